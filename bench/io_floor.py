"""The I/O floor of `factorcheck batch`: read and parse every line, write a report for each, nothing else.

Run by bench.py on the same input and the same number of processes as the batch runs it is set
against. Each worker parses its lines with orjson and writes, for each, a real report of the
same shape and size (made once, before the clock starts) with orjson; the main process writes
the results in input order, as batch does. What batch spends beyond this is validation, the
rules and building the report.

Usage: python bench/io_floor.py INPUT OUTPUT WORKERS REPORT.json
"""

from __future__ import annotations

import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import orjson

SPAN_BYTES = 196608
_report: object = None


def _start(report_path: str) -> None:
    global _report
    _report = orjson.loads(Path(report_path).read_bytes())


def _score(task: tuple[str, int, int]) -> bytes:
    path, start, length = task
    with Path(path).open("rb") as stream:
        stream.seek(start)
        data = stream.read(length)
    out = []
    for line in data.splitlines():
        if line.strip():
            try:
                orjson.loads(line)
            except orjson.JSONDecodeError:
                out.append(b'{"error":{}}')
                continue
            out.append(orjson.dumps(_report))
    return b"\n".join(out) + b"\n" if out else b""


def _spans(path: str) -> list[tuple[str, int, int]]:
    spans, offset = [], 0
    data = Path(path).read_bytes()
    while offset < len(data):
        cut = data.rfind(b"\n", offset, offset + SPAN_BYTES) + 1
        end = cut if cut > offset else len(data)
        spans.append((path, offset, end - offset))
        offset = end
    return spans


def main() -> int:
    source, output, workers, report = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    with Path(output).open("wb") as sink:
        if workers == 1:
            _start(report)
            for span in _spans(source):
                sink.write(_score(span))
        else:
            with ProcessPoolExecutor(workers, initializer=_start, initargs=(report,)) as pool:
                for chunk in pool.map(_score, _spans(source), chunksize=1):
                    sink.write(chunk)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
