"""Where a batch record's CPU time goes, stage by stage, in one process, against the I/O floor's work.

Scores COUNT records the way a worker does (RecordScorer.score_chunk, chunks of 250, the
collector tuned as in a worker), then times each stage on its own over the same records: reading
the line, validating, derived values, the rules engine (a fresh engine, its tables of decided
facts empty, as in a worker), the report's JSON (and its decisions apart), and what
bench/io_floor.py does for a record (parse the line, write a report of the median size). CPU
time (time.process_time), the least of REPEATS runs: the machine is shared.

Usage: PYTHONPATH=tests python bench/stages.py [INPUT.jsonl] [COUNT] [REPEATS]
Without INPUT (or with "-"), the records are make bench's: its generator and seed, 1 in 1,000
invalid, as bench.py writes them.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import TypeVar

import orjson

from factorcheck.answers.derived import Facts, facts_from_given
from factorcheck.answers.json_input import loads_plain_object
from factorcheck.answers.validate import given_answers, parse_answers
from factorcheck.answers.validate_fast import quick_given
from factorcheck.batch.record_scoring import BatchOptions, Record, RecordScorer
from factorcheck.batch.worker_pool import CHUNK_RECORDS
from factorcheck.engine.durable import DurableEngine
from factorcheck.engine.evaluation import Evaluation
from factorcheck.engine.loading import load_ruleset
from factorcheck.errors import InvalidAnswersError
from factorcheck.report.build_fast import ReportWriter
from factorcheck.report.decisions import Decider, said

T = TypeVar("T")
SEED = 20250902  # bench.py's
PER_RECORD = ("record_scoring", "validate_fast", "derived", "durable", "build_fast", "decisions")
MODULES = {
    "record_scoring": "factorcheck.batch.record_scoring",
    "validate_fast": "factorcheck.answers.validate_fast",
    "derived": "factorcheck.answers.derived",
    "durable": "factorcheck.engine.durable",
    "build_fast": "factorcheck.report.build_fast",
    "decisions": "factorcheck.report.decisions",
}


def clock(work: Callable[[], T], repeats: int) -> tuple[float, T]:
    """The least CPU time of `repeats` runs of `work`, and what the last one gave."""
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        result = work()
        best = min(best, time.process_time() - started)
    return best, result


def given_or_none(raw: object) -> dict[str, object] | None:
    try:
        given = quick_given(raw)
        return given if given is not None else given_answers(parse_answers(raw))
    except InvalidAnswersError:
        return None


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else "-"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    if path == "-":
        from support.synthetic import answer_sets  # the tests' generator: PYTHONPATH=tests

        path = f"make bench's generated answer sets (seed {SEED})"
        lines = [json.dumps(raw).encode() for raw in answer_sets(SEED, count, invalid_every=1000)]
    else:
        with Path(path).open("rb") as stream:
            lines = [stream.readline().rstrip(b"\n") for _ in range(count)]
    ruleset = load_ruleset()
    compiled = [name for name in PER_RECORD if not str(import_module(MODULES[name]).__file__).endswith(".py")]
    # As in a worker (worker_pool._tune_collector): what is loaded is frozen, thresholds raised.
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)

    records: list[Record] = list(enumerate(lines, start=1))

    def score_all() -> None:
        scorer = RecordScorer(BatchOptions("jsonl", ruleset))
        for start in range(0, count, CHUNK_RECORDS):
            scorer.score_chunk(records[start : start + CHUNK_RECORDS])

    whole, _ = clock(score_all, repeats)

    read, raws = clock(lambda: [loads_plain_object(line) for line in lines], repeats)
    validate, maybe = clock(lambda: [given_or_none(raw) for raw in raws], repeats)
    givens = [given for given in maybe if given is not None]
    derive, facts = clock(lambda: [facts_from_given(given) for given in givens], repeats)

    def engine_pass() -> list[Evaluation]:
        engine = DurableEngine(ruleset)
        return [engine.evaluate(one) for one in facts]

    evaluate, fired = clock(engine_pass, repeats)
    triples: list[tuple[dict[str, object], Facts, Evaluation]] = list(zip(givens, facts, fired, strict=True))
    decider = Decider(ruleset)
    decide, _ = clock(lambda: [decider.decide(g, said(e, f)) for g, f, e in triples], repeats)

    def report_pass() -> list[bytes]:
        writer = ReportWriter(ruleset)
        return [writer.dumps_decided(g, f, e)[0] for g, f, e in triples]

    report, reports = clock(report_pass, repeats)
    median = orjson.loads(sorted(reports, key=len)[len(reports) // 2])
    floor, _ = clock(lambda: [(orjson.loads(line), orjson.dumps(median)) for line in lines], repeats)

    def us(seconds: float) -> str:
        return f"{seconds / count * 1e6:6.2f} µs"

    stages = read + validate + derive + evaluate + report
    print(f"{count:,} records of {path}; compiled: {', '.join(compiled) or 'none'}")
    print(f"scored as a worker does  {us(whole)} a record")
    print(f"  reading the line       {us(read)}")
    print(f"  validating             {us(validate)}")
    print(f"  derived values         {us(derive)}")
    print(f"  the rules engine       {us(evaluate)}")
    print(f"  the report's JSON      {us(report)}  (its decisions alone: {us(decide)})")
    print(f"  the rest               {us(whole - stages)}  (the record's output, counting, invalid records)")
    print(f"the I/O floor's work     {us(floor)}  (parse the line, write the median report)")
    print(f"scored / floor           {whole / floor:6.2f}x the CPU time")


if __name__ == "__main__":
    main()
