"""The I/O floor of `factorcheck batch`: read and parse every line, write a report for each, nothing else.

Run by bench.py on the same input and the same number of processes as the batch runs it is set
against. It is `factorcheck batch` itself (the same reading, chunks, worker processes, shared
buffers and ordered writing) with the scoring of a record replaced by the least it could be:
the line parsed with orjson, and a real report of the usual shape and size (made once, before
the clock starts) written with orjson. What batch spends beyond this is validation, the rules
and building each report.

Usage: python bench/io_floor.py INPUT OUTPUT WORKERS REPORT.json
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import orjson

from factorcheck.batch import run, worker_pool
from factorcheck.batch.record_scoring import LEVELS, BatchOptions, ChunkResult, Record


class FloorScorer:
    """Stands in for RecordScorer: parses each line and writes the same report for it."""

    def __init__(self, options: BatchOptions) -> None:
        self._report = orjson.loads(Path(REPORT).read_bytes())

    def score_chunk(self, records: list[Record]) -> ChunkResult:
        lines = []
        for _, payload in records:
            assert isinstance(payload, bytes)
            try:
                orjson.loads(payload)
            except orjson.JSONDecodeError:
                lines.append(b'{"error":{}}')
                continue
            lines.append(orjson.dumps(self._report))
        length = sum(len(line) + 1 for line in lines)
        return ChunkResult(lines, length, len(lines), 0, None, [0] * len(LEVELS), 0, [], [])


REPORT = ""


def main() -> int:
    global REPORT
    source, output, workers, REPORT = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    # The workers are forked from this process, so they score with FloorScorer too.
    run.RecordScorer = FloorScorer  # type: ignore[assignment,attr-defined]
    worker_pool.RecordScorer = FloorScorer  # type: ignore[assignment,attr-defined]
    return run.run_batch(
        run.RunOptions(source, output, format_name="jsonl", workers=workers),
        stdin=sys.stdin.buffer,
        stdout=sys.stdout.buffer,
        stderr=io.StringIO(),
    )


if __name__ == "__main__":
    raise SystemExit(main())
