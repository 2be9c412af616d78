"""`make bench`: the engine, `factorcheck batch`, the web form and the CLI's start, in one run, same data.

Every figure comes from answer sets generated here from a fixed seed (tests/support/synthetic.py),
1 in 1,000 of them invalid. Times are wall-clock on whatever else the machine is doing, so the
load average is printed with them, and each batch configuration runs several times (--runs):
the median is the figure, printed with every run.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections.abc import Callable, Sequence
from importlib import import_module
from importlib.metadata import version
from pathlib import Path

from factorcheck.answers.derived import Facts, facts_from_given
from factorcheck.answers.questionnaire import ITEMS
from factorcheck.answers.validate_fast import quick_given
from factorcheck.engine.closure_floor import ClosureEvaluator
from factorcheck.engine.durable import DurableEngine
from factorcheck.engine.evaluation import Evaluator
from factorcheck.engine.oracle import Oracle
from factorcheck.rules.loading import load_ruleset
from support.synthetic import answer_sets
from web_floor import html_reports
from web_path import form_body, web_path

SEED = 20250902
ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
EXAMPLE = ROOT / "examples" / "both-pains-several-links.json"


def _say(text: str) -> None:
    print(text, flush=True)


def machine() -> str:
    """What the figures were measured on."""
    model = "unknown processor"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{model}, {os.cpu_count()} cores, {memory:.0f} GiB; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; durable_rules {version('durable_rules')}; "
        f"compiled with mypyc: {', '.join(compiled_modules()) or 'nothing (pure Python)'}"
    )


def compiled_modules() -> list[str]:
    """The modules pyproject.toml lists for mypyc that this run imports compiled."""
    with (ROOT / "pyproject.toml").open("rb") as stream:
        listed = tomllib.load(stream)["tool"]["factorcheck"]["mypyc-compiled"]
    # "src/factorcheck/answers/derived.py" is the module factorcheck.answers.derived, shown as "derived".
    modules = {Path(path).stem: ".".join(Path(path).with_suffix("").parts[1:]) for path in listed}
    return [
        name for name, module in modules.items() if not str(import_module(module).__file__).endswith(".py")
    ]


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def write_input(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as stream:
        for raw in answer_sets(SEED, count, invalid_every=1000):
            stream.write(json.dumps(raw) + "\n")


def write_xlsx_input(source: Path, target: Path) -> None:
    """The JSON Lines answer sets as a sheet a clinic would keep: a header of item ids, then a row
    per answer set with TRUE/FALSE cells, number cells and text cells (lists as "a; b")."""
    import xlsxwriter

    columns = [item.id for item in ITEMS]
    workbook = xlsxwriter.Workbook(str(target), {"constant_memory": True})
    sheet = workbook.add_worksheet("answers")
    sheet.write_row(0, 0, columns)
    with source.open(encoding="utf-8") as lines:
        for row, line in enumerate(lines, start=1):
            raw = json.loads(line)
            for column, name in enumerate(columns):
                value = raw.get(name)
                if isinstance(value, bool):
                    sheet.write_boolean(row, column, value)
                elif isinstance(value, int | float):
                    sheet.write_number(row, column, value)
                elif isinstance(value, list):
                    sheet.write_string(row, column, "; ".join(map(str, value)))
                elif value is not None:
                    sheet.write_string(row, column, str(value))
    workbook.close()


def repeat_file(source: Path, target: Path, times: int) -> None:
    with target.open("wb") as out:
        for _ in range(times):
            with source.open("rb") as one:
                shutil.copyfileobj(one, out, 16 * 2**20)


# --- engine only --------------------------------------------------------------------------------


def engine_only(path: Path, count: int) -> tuple[float, float, float, float]:
    """Assessments per second of the durable path asked every time, of the closure floor, and of
    the durable path remembering decided facts as batch runs it (one pass over the facts, from
    empty tables), with how many facts it asserted per answer set in that pass."""
    ruleset = load_ruleset()
    facts: list[Facts] = []
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            given = quick_given(json.loads(line))
            if given is not None:
                facts.append(facts_from_given(given))
            if len(facts) == count:
                break
    durable, closures, oracle = (
        DurableEngine(ruleset, remembered=0),
        ClosureEvaluator(ruleset),
        Oracle(ruleset),
    )
    remembering = DurableEngine(ruleset)
    mismatches = sum(
        durable.evaluate(f) != oracle.evaluate(f)
        or closures.evaluate(f) != oracle.evaluate(f)
        or remembering.evaluate(f) != oracle.evaluate(f)
        for f in facts
    )
    if mismatches:
        raise SystemExit(f"bench: {mismatches} answer sets differ between the evaluators; no figures.")
    fresh = DurableEngine(ruleset)
    asserted = sum(len({group.fact_text(f.values) for f in facts}) for group in fresh.groups)
    once = len(facts) / _timed_once(fresh, facts)
    return _rate(durable, facts), _rate(closures, facts), once, asserted / len(facts)


def _rate(evaluator: Evaluator, facts: Sequence[Facts]) -> float:
    """Best of five passes, with the cyclic collector out of the way as in `factorcheck batch`."""
    evaluate = evaluator.evaluate
    gc.collect()
    gc.disable()
    try:
        best = min(_timed(lambda: [evaluate(one) for one in facts]) for _ in range(5))
    finally:
        gc.enable()
    return len(facts) / best


def _timed_once(evaluator: Evaluator, facts: Sequence[Facts]) -> float:
    """Seconds for one pass, the collector out of the way."""
    evaluate = evaluator.evaluate
    gc.collect()
    gc.disable()
    try:
        return _timed(lambda: [evaluate(one) for one in facts])
    finally:
        gc.enable()


def _timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


# --- factorcheck batch ----------------------------------------------------------------------------


def batch_rates(source: Path, output: Path, workers: int, records: int, runs: int) -> list[float]:
    """Records per second of whole `factorcheck batch` runs, start-up included, each writing a
    new file (replacing one costs time of its own)."""
    command = [str(BIN / "factorcheck"), "batch", str(source), "-o", str(output), "--workers", str(workers)]
    rates = []
    for _ in range(runs):
        output.unlink(missing_ok=True)
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - started
        if done.returncode not in (0, 2):
            raise SystemExit(f"bench: factorcheck batch failed ({done.returncode}): {done.stderr.strip()}")
        rates.append(records / elapsed)
    output.unlink()
    return rates


def typical_report(source: Path, work: Path) -> bytes:
    """A report of the median size among those batch writes for the first 1,000 records: what
    the I/O floor writes for every record, so that both write about as much."""
    sample, scored = work / "sample.jsonl", work / "sample-reports.jsonl"
    with source.open("rb") as stream:
        sample.write_bytes(b"".join(stream.readline() for _ in range(1000)))
    command = [str(BIN / "factorcheck"), "batch", str(sample), "-o", str(scored), "--workers", "1"]
    subprocess.run(command, capture_output=True, check=False)
    reports = sorted((line for line in scored.read_bytes().splitlines() if b'"triage"' in line), key=len)
    return reports[len(reports) // 2]


def floor_rates(
    source: Path, output: Path, workers: int, records: int, runs: int, report: Path
) -> list[float]:
    """Records per second of the I/O floor (bench/io_floor.py) on the same input and processes."""
    command = [
        sys.executable,
        str(ROOT / "bench" / "io_floor.py"),
        str(source),
        str(output),
        str(workers),
        str(report),
    ]
    rates = []
    for _ in range(runs):
        output.unlink(missing_ok=True)
        started = time.perf_counter()
        subprocess.run(command, check=True)
        rates.append(records / (time.perf_counter() - started))
    output.unlink()
    return rates


def _rates_line(rates: list[float]) -> str:
    each = ", ".join(f"{rate:,.0f}" for rate in rates)
    return f"{statistics.median(rates):>10,.0f} records/s  (median of {each})"


def _tree(root: int) -> list[int]:
    """The process and all its descendants."""
    found, frontier = [root], [root]
    while frontier:
        pid = frontier.pop()
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        found += [int(child) for child in children]
        frontier += [int(child) for child in children]
    return found


def _peak_rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def batch_peak_memory(source: Path, workers: int, records: int) -> tuple[float, float, float]:
    """Peak resident memory (MiB) of the largest process of a run, that of the main process, and
    the run's records per second. Output goes to /dev/null: only memory is measured here."""
    command = [str(BIN / "factorcheck"), "batch", str(source), "-o", os.devnull, "--workers", str(workers)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peaks: dict[int, int] = {}

    def watch() -> None:
        while process.poll() is None:
            for pid in _tree(process.pid):
                peaks[pid] = max(peaks.get(pid, 0), _peak_rss_kib(pid))
            time.sleep(0.1)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    watcher.join()
    if process.returncode not in (0, 2):
        raise SystemExit(f"bench: factorcheck batch failed ({process.returncode}): {stderr.strip()}")
    return max(peaks.values()) / 1024, peaks.get(process.pid, 0) / 1024, records / elapsed


# --- the web form -------------------------------------------------------------------------------


def web_rates(
    bodies: list[bytes], median_page: str, runs: int
) -> tuple[list[dict[str, float]], list[dict[str, float]]]:
    """`runs` runs each of factorcheck serve and of the web floor (bench/web_floor.py serving a
    report of the median size), alternating, each sorted by rate."""
    serve_command = [str(BIN / "factorcheck"), "serve", "--port", "0"]
    serve, floor = [], []
    with tempfile.TemporaryDirectory(prefix="factorcheck-bench-") as folder:
        page = Path(folder) / "page.html"
        page.write_text(median_page, encoding="utf-8")
        floor_command = [sys.executable, str(ROOT / "bench" / "web_floor.py"), str(page)]
        for _ in range(runs):
            serve.append(web_path(serve_command, bodies, clients=16, seconds=30.0))
            floor.append(web_path(floor_command, bodies, clients=16, seconds=30.0))
    return sorted(serve, key=lambda run: run["rate"]), sorted(floor, key=lambda run: run["rate"])


def _web_line(runs: list[dict[str, float]]) -> str:
    middle = runs[len(runs) // 2]
    each = ", ".join(f"{run['rate']:,.0f}" for run in runs)
    return (
        f"{middle['rate']:>10,.0f} pages/s  (p50 {middle['p50_ms']:.1f} ms, p99 {middle['p99_ms']:.1f} ms, "
        f"server CPU {middle['cpu_us']:.0f} µs a page; runs: {each})"
    )


# --- cold start -----------------------------------------------------------------------------------


def median_run(command: list[str], runs: int) -> float:
    """The median wall time of `runs` runs of `command`, after one run not counted. They run as an
    installed program does, reading Python's cached bytecode: an environment that forbids writing
    it (PYTHONDONTWRITEBYTECODE, set on some machines) would have every run compile every module."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    times = []
    for run in range(runs + 1):
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
        if run:
            times.append(time.perf_counter() - started)
    return statistics.median(times)


# --- the run --------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000, help="records for the batch runs")
    parser.add_argument("--million", type=int, default=1_000_000, help="records for the memory run")
    parser.add_argument("--engine-records", type=int, default=20_000, help="answer sets for engine-only")
    parser.add_argument("--runs", type=int, default=3, help="runs of each batch configuration")
    parser.add_argument("--web-requests", type=int, default=4_000, help="reports asked of the web server")
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    _say(f"machine: {machine()}")
    _say(f"load average before: {load()}")
    with tempfile.TemporaryDirectory(prefix="factorcheck-bench-") as folder:
        work = Path(folder)
        data = work / "answers.jsonl"
        write_input(data, args.records)
        _say(f"data: {args.records:,} generated answer sets (seed {SEED}, 1 in 1,000 invalid)")

        durable, floor, remembering, asserted = engine_only(data, args.engine_records)
        _say(f"engine only, {args.engine_records:,} answer sets, results equal to the reference evaluator's:")
        _say(f"  durable_rules path   {durable:>10,.0f} assessments/s  ({1e6 / durable:.1f} µs each)")
        _say(
            f"  remembering facts    {remembering:>10,.0f} assessments/s  ({1e6 / remembering:.1f} µs each; "
            f"one pass: {asserted:.2f} facts asserted per answer set)"
        )
        _say(f"  closure floor        {floor:>10,.0f} assessments/s  ({1e6 / floor:.1f} µs each)")
        _say(f"  durable / floor      {floor / durable:>10.1f}x the time (target: at most 10x)")

        _say(f"factorcheck batch, {args.records:,} records, JSON Lines to a file, start-up included:")
        output = work / "reports.jsonl"
        one = batch_rates(data, output, 1, args.records, args.runs)
        _say(f"  1 worker             {_rates_line(one)}")
        every = batch_rates(data, output, cores, args.records, args.runs)
        _say(f"  {cores} workers            {_rates_line(every)}; target: at least 40,000")
        report = work / "report.json"
        report.write_bytes(typical_report(data, work))
        floor_rate = floor_rates(data, output, cores, args.records, args.runs, report)
        _say(f"  I/O floor, {cores} procs     {_rates_line(floor_rate)}")
        ratio = statistics.median(floor_rate) / statistics.median(every)
        _say(f"  batch / I/O floor    {ratio:>10.1f}x the time (target: at most 1.5x)")
        sheet = work / "answers.xlsx"
        write_xlsx_input(data, sheet)
        from_sheet = batch_rates(sheet, output, cores, args.records, args.runs)
        _say(f"  .xlsx, {cores} workers      {_rates_line(from_sheet)}; the same records as a sheet")

        million = work / "million.jsonl"
        repeat_file(data, million, max(1, args.million // args.records))
        records = max(1, args.million // args.records) * args.records
        largest, main_process, rate = batch_peak_memory(million, cores, records)
        _say(f"factorcheck batch, {records:,} records, {cores} workers, output to /dev/null:")
        _say(f"  peak memory, largest process  {largest:,.0f} MiB (target: under 200)")
        _say(f"  peak memory, main process     {main_process:,.0f} MiB")
        _say(f"  throughput                    {rate:,.0f} records/s")

    bodies = [form_body(raw) for raw in answer_sets(SEED, args.web_requests)]
    report_us, assess_us, median_page = html_reports(bodies)
    serve_runs, floor_runs = web_rates(bodies, median_page, args.runs)
    served, least = serve_runs[len(serve_runs) // 2], floor_runs[len(floor_runs) // 2]
    posted = f"{served['reports']:,.0f} answer sets"
    _say(f"web form on loopback, 16 clients posting {posted}, {args.runs} runs each (the median shown):")
    _say(f"  factorcheck serve    {_web_line(serve_runs)}")
    _say(f"  web floor            {_web_line(floor_runs)}")
    _say(
        f"  serve / web floor    {least['rate'] / served['rate']:>10.1f}x the time "
        f"(target: at most 2x, and p99 at most 15 ms); {served['cpu_us'] / least['cpu_us']:.1f}x the "
        "server's CPU time"
    )
    _say(
        f"  one HTML report      {report_us:>10.0f} µs in-process (form read, assessed, laid out); "
        f"assess() alone {assess_us:.0f} µs"
    )

    check = median_run([str(BIN / "factorcheck"), "check", str(EXAMPLE)], 7)
    bare = median_run([sys.executable, "-c", "pass"], 7)
    _say("cold start, median of 7 runs:")
    _say(f"  factorcheck check    {check:.3f} s  (target: under 0.2 s)")
    _say(f"  python -c pass       {bare:.3f} s")
    _say(f"load average after: {load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
