"""`factorcheck batch`: many answer sets (JSON Lines or CSV) scored in input order, on several cores.

The main process cuts the input into chunks (byte ranges of whole lines of a JSON Lines file, or
batches of CSV rows or standard-input lines) and writes the results in input order; worker
processes, each with its own rules engine (a durable_rules ruleset cannot cross processes), turn
chunks into output lines (record_scoring.py), which come back through shared memory. At most a
few chunks are in flight at once, so memory stays flat however long the input. Nothing is logged
or kept: answers are health data.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import gc
import io
import mmap
import multiprocessing
import multiprocessing.context
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO, TextIO, cast

from factorcheck.answers.csv_input import check_header, header_names
from factorcheck.answers.questionnaire import ITEMS_BY_ID
from factorcheck.answers.shown import quoted
from factorcheck.answers.spreadsheet_input import (
    SPREADSHEET_EXTENSIONS,
    SPREADSHEET_FORMATS,
    open_sheet,
    spreadsheet_signature,
)
from factorcheck.batch.dask_cluster import DaskOptions
from factorcheck.batch.record_scoring import (
    EMERGENCIES_NAMED,
    LEVELS,
    NOT_UTF8,
    BatchOptions,
    ChunkResult,
    Record,
    RecordScorer,
)
from factorcheck.batch.summary import SummaryFile
from factorcheck.errors import ExitCode, FactorcheckError, OutputError
from factorcheck.private_files import private_folder, private_output
from factorcheck.rules.loading import load_ruleset

# "fhir" is JSON Lines with a QuestionnaireResponse on every line (any JSON Lines line that says
# it is a resource is read as one anyway).
FORMATS = ("jsonl", "csv", "fhir", *SPREADSHEET_FORMATS)
_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", **SPREADSHEET_EXTENSIONS}
# Records per chunk sent to a worker, and chunks in flight per worker: enough to keep every
# worker busy while the main process writes, few enough to keep memory flat.
CHUNK_RECORDS = 250
SPAN_BYTES = 196608  # about CHUNK_RECORDS lines of JSON Lines
CHUNKS_PER_WORKER = 3
# Room for a chunk's output (reports are ~6 kB); only the pages written are ever used.
BUFFER_BYTES = 16 * 1024 * 1024
OUTPUT_BUFFER_BYTES = 1024 * 1024
NEWLINE = ord("\n")


@dataclass(frozen=True)
class Span:
    """Whole lines of a JSON Lines file, by byte range: a worker reads them itself, so the main
    process does not pass every line through a pipe."""

    path: str
    start: int
    length: int
    first_line: int

    def records(self) -> list[Record]:
        with Path(self.path).open("rb") as stream:
            stream.seek(self.start)
            data = stream.read(self.length)
        lines = data.split(b"\n")
        if lines and not lines[-1]:
            lines.pop()  # after the last newline
        return [(self.first_line + number, line) for number, line in enumerate(lines) if not _blank(line)]


# --- worker processes ---------------------------------------------------------------------------

_worker_scorer: RecordScorer | None = None


# Scoring allocates many short-lived containers and keeps none; at the default thresholds the
# cyclic collector would run every few hundred records and rescan the long-lived rule set.
_SCORING_THRESHOLDS = (50_000, 50, 100)


def _tune_collector() -> None:
    """For a worker's own process: what is loaded is frozen out of the collector's scans."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*_SCORING_THRESHOLDS)


@contextlib.contextmanager
def _collector_tuned() -> Iterator[None]:
    """The collector's thresholds raised for the length of a run in this process, then put back.
    Unlike a worker, this process is the caller's: its heap is not collected and frozen, which
    would cost time in proportion to whatever the caller holds (seconds, under a test runner)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(*_SCORING_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _start_worker(options: BatchOptions) -> None:
    global _worker_scorer
    # Ctrl-C, and a SIGTERM sent to the process group (a container stop), reach every process
    # of the group; the main process alone answers them (it stops the workers once their
    # chunks are done), so no worker dies half-way or prints a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _end_with_parent()
    _worker_scorer = RecordScorer(options)
    _tune_collector()


def _end_with_parent() -> None:
    """Have the kernel end this worker when the process that started it ends, however it ends
    (even killed outright), so that no worker is left running under PID 1 holding the pipes."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    set_parent_death_signal = 1  # PR_SET_PDEATHSIG
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(set_parent_death_signal, int(signal.SIGKILL), 0, 0, 0)


class StopGate:
    """SIGINT and SIGTERM stop a run between two records, never inside one.

    A signal that arrives while output is being written only asks for the stop, which comes once
    the write is done; at any other moment it raises KeyboardInterrupt at once (also out of a
    blocking read or wait). Either way the run ends as Ctrl-C ends it: the workers finish their
    chunks and exit, and the output holds only whole records.
    """

    def __init__(self) -> None:
        self.writing = False
        self.requested = False
        self._stopping = False

    def handle(self, signum: int, frame: object) -> None:
        if self._stopping:  # a second signal while the run winds down: it is already stopping
            return
        if self.writing:
            self.requested = True
            return
        self._stopping = True
        raise KeyboardInterrupt

    def check(self) -> None:
        """Stop here if a signal asked for it during the last write."""
        if self.requested and not self._stopping:
            self._stopping = True
            raise KeyboardInterrupt


@contextlib.contextmanager
def _stoppable() -> Iterator[StopGate]:
    gate = StopGate()
    # Handlers can only be set from the main thread (a library caller may run batches from
    # others), and a signal the caller chose to ignore stays ignored.
    if threading.current_thread() is not threading.main_thread():
        yield gate
        return
    previous: dict[signal.Signals, Any] = {}
    for stop in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(stop) is not signal.SIG_IGN:
            previous[stop] = signal.signal(stop, gate.handle)
    try:
        yield gate
    finally:
        for stop, handler in previous.items():
            signal.signal(stop, handler)


# Output buffers for the chunks in flight: anonymous shared memory, made before the workers are
# forked so that each inherits them (nothing is named, and nothing outlives the run). Workers
# from a fork server have none, and send their lines through the pipe instead.
_buffers: list[mmap.mmap] = []


@contextlib.contextmanager
def _shared_buffers(count: int) -> Iterator[list[mmap.mmap]]:
    buffers = [mmap.mmap(-1, BUFFER_BYTES) for _ in range(count)]
    # Only a run whose workers are about to be forked sets them; it is the only run going then
    # (another would have its own threads), so a run from a fork server leaves them alone.
    if buffers:
        _buffers[:] = buffers
    try:
        yield buffers
    finally:
        for buffer in buffers:
            buffer.close()
        if buffers:
            _buffers.clear()


def _score_in_worker(task: list[Record] | Span, slot: int) -> ChunkResult:
    assert _worker_scorer is not None, "worker started without its scorer"
    result = _worker_scorer.score_chunk(task.records() if isinstance(task, Span) else task)
    # No shared buffer here, or an unusually large chunk: the lines go through the pipe.
    if slot >= len(_buffers) or result.length > BUFFER_BYTES:
        return result
    buffer = _buffers[slot]
    start = 0
    for line in result.lines:
        end = start + len(line)
        buffer[start:end] = line
        buffer[end] = NEWLINE
        start = end + 1
    return replace(result, lines=[])


def _newline_terminated(lines: list[bytes]) -> Iterator[bytes]:
    for line in lines:
        yield line
        yield b"\n"


def _chunks(records: Iterator[Record]) -> Iterator[list[Record]]:
    while chunk := list(islice(records, CHUNK_RECORDS)):
        yield chunk


def _in_order(
    pool: ProcessPoolExecutor,
    chunks: Iterator[list[Record]] | Iterator[Span],
    in_flight: int,
    buffers: list[mmap.mmap],
) -> Generator[tuple[ChunkResult, Iterable[bytes | memoryview]], None, None]:
    """Chunk results in input order, each with its text, with at most `in_flight` chunks read ahead.

    Each chunk in flight has a slot: its shared buffer, when the workers have them, so that the main
    process writes the lines out without copying megabytes through a pipe (which cost more than
    scoring them).
    """
    free = deque(range(in_flight))
    pending: deque[tuple[Future[ChunkResult], int]] = deque()
    try:
        for chunk in chunks:
            slot = free.popleft()
            pending.append((pool.submit(_score_in_worker, chunk, slot), slot))
            if not free:
                yield from _collect(pending.popleft(), free, buffers)
        while pending:
            yield from _collect(pending.popleft(), free, buffers)
    except BrokenProcessPool as error:  # from a result, or from submitting once the pool broke
        raise FactorcheckError(
            "a worker process stopped unexpectedly (killed, or out of memory); the run is incomplete."
        ) from error


def _collect(
    task: tuple[Future[ChunkResult], int], free: deque[int], buffers: list[mmap.mmap]
) -> Iterator[tuple[ChunkResult, Iterable[bytes | memoryview]]]:
    waiting, slot = task
    result = waiting.result()
    if result.lines or not result.length:
        yield result, _newline_terminated(result.lines)
    else:
        with memoryview(buffers[slot]) as whole, whole[: result.length] as view:
            yield result, [view]
    free.append(slot)


# --- reading ------------------------------------------------------------------------------------


def input_format(source: str, given: str | None) -> str:
    """The input format: as given, or from the file's extension."""
    if given:
        return given
    found = _EXTENSIONS.get(Path(source).suffix.lower()) if source != "-" else None
    if found is None:
        where = "standard input" if source == "-" else source
        raise FactorcheckError(
            f"cannot tell whether {where} is JSON Lines, CSV or a spreadsheet; give --input-format "
            "jsonl, csv, fhir, xlsx, xls or ods."
        )
    return found


def _spans(path: str, stream: BinaryIO) -> Iterator[Span]:
    """The file as runs of whole lines of about SPAN_BYTES each, with their first line number."""
    offset, line, carry = 0, 1, b""
    while True:
        block = stream.read(SPAN_BYTES)
        data = carry + block if carry else block
        if not block:
            if data:  # a last line without a newline
                yield Span(path, offset, len(data), line)
            return
        cut = data.rfind(b"\n") + 1
        if cut == 0:  # no line end yet: a very long line
            carry = data
            continue
        yield Span(path, offset, cut, line)
        offset += cut
        line += data.count(b"\n", 0, cut)
        carry = data[cut:]


def _blank(line: bytes) -> bool:
    # Unlike strip(), isspace() copies nothing, and stops at a line's first character.
    return not line or line.isspace()


def _json_lines(stream: BinaryIO) -> Iterator[Record]:
    # Without its newline, as Span.records gives a line: a record's error reads the same
    # whatever the number of workers.
    for number, line in enumerate(stream, start=1):
        if not _blank(line):
            # Without its newline, as Span.records gives it: a record reads (and its error is
            # worded) the same whoever reads it.
            yield number, line[:-1] if line.endswith(b"\n") else line


class _CsvLines:
    """The lines of a CSV file for csv.reader, decoded one by one: a line that is not UTF-8 is
    noted by its number (its record becomes an error record) and read on with replacements, so
    that one bad byte does not end the run."""

    def __init__(self, stream: BinaryIO) -> None:
        self._lines = iter(stream)
        self.number = 0
        self.not_utf8: list[int] = []

    def __iter__(self) -> _CsvLines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.number += 1
        try:
            return line.decode("utf-8-sig" if self.number == 1 else "utf-8")
        except UnicodeDecodeError:
            self.not_utf8.append(self.number)
            return line.decode("utf-8", "replace")

    def bad_since(self, start: int) -> bool:
        """Whether a line from `start` to the last one read was not UTF-8 (forgetting older ones)."""
        if not self.not_utf8:
            return False
        found = self.not_utf8[-1] >= start
        self.not_utf8.clear()
        return found


def _csv_problem(error: csv.Error) -> str:
    """What a csv.Error means, for the error record of the row it stopped."""
    text = str(error)
    if "field limit" in text:
        return f"a cell is longer than {csv.field_size_limit():,} characters."
    if "unexpected end of data" in text:
        return "a quoted cell is never closed: its closing quote is missing (the rest of the file is in it)."
    return f"the row is not well-formed CSV: {text}."


def _csv_rows(reader: Iterator[list[str]], lines: _CsvLines) -> Iterator[Record]:
    """Each record with the line it starts on; a row the csv module cannot read, or whose text is
    not UTF-8, becomes an error message in its place and the reading goes on."""
    start = lines.number + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            lines.bad_since(start)
            yield start, _csv_problem(error)
        else:
            if lines.bad_since(start):
                yield start, NOT_UTF8
            elif row:  # not a blank line
                yield start, row
        start = lines.number + 1


# --- progress -----------------------------------------------------------------------------------


class Progress:
    """A one-line progress display on a terminal; silent anywhere else."""

    interval = 0.2  # seconds between updates

    def __init__(self, stream: TextIO, size: int | None, position: BinaryIO | None) -> None:
        self._stream = stream
        self._size = size
        self._position = position
        self._shown = stream.isatty()
        self._started = time.monotonic()
        self._next = self._started + self.interval

    def update(self, records: int) -> None:
        if not self._shown or time.monotonic() < self._next:
            return
        self._next = time.monotonic() + self.interval
        rate = records / max(time.monotonic() - self._started, 1e-9)
        done = ""
        if self._size and self._position is not None:
            try:
                share = min(self._position.tell() / self._size, 1.0)
            except (OSError, ValueError):
                share = None
            if share is not None:
                bar = "#" * int(share * 30)
                done = f" [{bar:<30}] {share:4.0%}"
        self._stream.write(f"\r{records:>12,} records{done}  {rate:,.0f}/s ")
        self._stream.flush()

    def finish(self) -> None:
        if self._shown:
            self._stream.write("\r\033[K")
            self._stream.flush()


# --- the run ------------------------------------------------------------------------------------


@dataclass
class Totals:
    """What a run did, for the summary line and the exit code."""

    reports: int = 0
    invalid: int = 0
    first_invalid_line: int | None = None
    elapsed: float = 0.0
    levels: list[int] = field(default_factory=lambda: [0] * len(LEVELS))
    incomplete: int = 0
    emergencies: list[str] = field(default_factory=list)

    def add(self, result: ChunkResult) -> None:
        self.reports += result.reports
        self.invalid += result.invalid
        if self.first_invalid_line is None:
            self.first_invalid_line = result.first_invalid_line
        self.levels = [total + count for total, count in zip(self.levels, result.levels, strict=True)]
        self.incomplete += result.incomplete
        self.emergencies += result.emergencies[: EMERGENCIES_NAMED - len(self.emergencies)]


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class CsvOptions:
    """How to read a CSV or a spreadsheet: the CSV's delimiter (None: told from the header), the
    columns to skip, and the spreadsheet's sheet (a name or a number from 1; None: the first)."""

    delimiter: str | None = None
    ignore_columns: tuple[str, ...] = ()
    ignore_unknown_columns: bool = False
    sheet: str | None = None


def run_batch(
    source: str,
    output: str,
    *,
    format_name: str | None,
    id_field: str | None,
    workers: int,
    rules_dir: Path | None,
    stdin: BinaryIO,
    stdout: BinaryIO,
    stderr: TextIO,
    csv_options: CsvOptions = CsvOptions(),
    summary: Path | None = None,
    reports: Path | None = None,
    reports_format: str = "markdown",
    report_date: datetime.date | None = None,
    dask: str | None = None,
    dask_timeout: float = 10.0,
    dask_logs: bool = False,
) -> int:
    """Score every record of `source` into `output` (on a Dask cluster when `dask` names one);
    returns the exit code."""
    fmt = input_format(source, format_name)
    if id_field is not None and id_field in ITEMS_BY_ID:
        raise FactorcheckError(f"--id-field {id_field} is a questionnaire item; name the identifier column.")
    if workers < 1:
        raise FactorcheckError("--workers must be at least 1.")
    if not 0 < dask_timeout <= 3600:
        raise FactorcheckError("--dask-timeout must be more than 0 and at most 3600 seconds.")
    if csv_options.sheet is not None and fmt not in SPREADSHEET_FORMATS:
        raise FactorcheckError(
            f"--sheet is for a spreadsheet file (.xlsx, .xlsm, .xls, .ods); {source} is not one."
        )
    for path, what in ((summary, "--summary"), (reports, "--reports")):
        if path is not None and source != "-" and path.exists() and path.samefile(source):
            raise FactorcheckError(f"{what} {path} is the input file; write it elsewhere.")
    binary = stdin if source == "-" else _open_input(source)
    with contextlib.ExitStack() as opened:
        if binary is not stdin:
            opened.enter_context(binary)
        # Loaded once, before any record: a broken rules folder stops the run here.
        options = BatchOptions(
            fmt,
            load_ruleset(rules_dir),
            id_field,
            summary_rows=summary is not None,
            reports_dir=None if reports is None else str(_reports_folder(reports)),
            reports_format=reports_format,
            report_date=report_date,
        )
        records: Iterator[Record]
        size = _size(binary)
        if fmt not in SPREADSHEET_FORMATS and (kind := _spreadsheet_kind(binary)):
            raise FactorcheckError(
                f"{'standard input' if source == '-' else source} is a spreadsheet file ({kind}), not "
                f"{'CSV' if fmt == 'csv' else 'JSON Lines'}: name it by its extension, or give "
                "--input-format xlsx, ods or xls."
            )
        if fmt in SPREADSHEET_FORMATS:
            sheet = open_sheet(binary, source, fmt, csv_options.sheet)
            ignored = check_header(
                sheet.header,
                id_field,
                csv_options.ignore_columns,
                csv_options.ignore_unknown_columns,
                sheet.header_place,
                sheet.column_name,
            )
            if ignored:
                names = ", ".join(quoted(name) for name in ignored)
                stderr.write(
                    f"factorcheck batch: ignoring columns that are not questionnaire items: {names}.\n"
                )
            header = sheet.header
            options = replace(
                options, header=tuple(header), sheet_name=sheet.name, first_column=sheet.first_column
            )
            records, size = sheet.records, None  # the sheet is read whole when it is opened
        elif fmt == "csv":
            delimiter = csv_options.delimiter or _delimiter(binary)
            lines = _CsvLines(binary)
            reader = csv.reader(lines, strict=True, delimiter=delimiter)
            header = header_names(_read_header(reader, lines))
            ignored = check_header(
                header, id_field, csv_options.ignore_columns, csv_options.ignore_unknown_columns
            )
            if ignored:
                names = ", ".join(quoted(name) for name in ignored)
                stderr.write(
                    f"factorcheck batch: ignoring columns that are not questionnaire items: {names}.\n"
                )
            options = replace(options, header=tuple(header), decimal_comma=delimiter == ";")
            records = _csv_rows(reader, lines)
        else:
            records = _json_lines(binary)
        # Workers read a JSON Lines file themselves; standard input (even a redirected file: "-"
        # is no file name a worker could open), CSV and Dask come through here.
        local_workers = workers if dask is None else 1
        by_span = fmt != "csv" and source != "-" and size is not None and local_workers > 1
        spans = _spans(source, binary) if by_span else None
        gate = opened.enter_context(_stoppable())
        sink = opened.enter_context(_open_output(output, source, stdout))
        rows = opened.enter_context(SummaryFile.open(summary, with_id=id_field is not None))
        progress = Progress(stderr, size, binary)
        if dask is not None:
            cluster = DaskOptions(dask, dask_timeout, dask_logs)
            totals = _score_on_dask(cluster, records, sink, rows, options, progress, stderr, gate)
        else:
            totals = _score_all(records, spans, sink, rows, options, workers, progress, gate)
    return _summary(stderr, totals)


def _reports_folder(path: Path) -> Path:
    if path.exists() and not path.is_dir():
        raise FactorcheckError(f"--reports {path} is a file; name a folder for the reports.")
    try:
        private_folder(path)
    except OSError as error:
        raise FactorcheckError(f"cannot make the folder {path}: {error.strerror}.") from error
    return path


def _spreadsheet_kind(binary: BinaryIO) -> str | None:
    """Which spreadsheet file the input is, by how it begins (looked at without being read past)."""
    if binary.seekable():
        start = binary.tell()
        first = binary.read(8)
        binary.seek(start)
    else:
        peek = getattr(binary, "peek", None)
        first = peek(8)[:8] if peek is not None else b""
    return spreadsheet_signature(first)


def _delimiter(binary: BinaryIO) -> str:
    """ "," or ";" (as spreadsheets set to a decimal comma write), told from the header line,
    which is looked at without being read past (standard input cannot be rewound)."""
    if binary.seekable():
        start = binary.tell()
        first = binary.readline()
        binary.seek(start)
    else:
        peek = getattr(binary, "peek", None)
        first = peek(65536).split(b"\n", 1)[0] if peek is not None else b""
    return ";" if first.count(b";") > first.count(b",") else ","


def _score_all(
    records: Iterator[Record],
    spans: Iterator[Span] | None,
    sink: BinaryIO,
    rows: SummaryFile,
    options: BatchOptions,
    workers: int,
    progress: Progress,
    gate: StopGate,
) -> Totals:
    started = time.monotonic()
    totals = Totals()
    chunks = _chunks(records)
    if workers == 1:
        scorer = RecordScorer(options)
        with _collector_tuned():
            results = (
                (result, _newline_terminated(result.lines)) for result in map(scorer.score_chunk, chunks)
            )
            _drain(results, sink, rows, totals, progress, gate)
    else:
        context = _worker_context()
        in_flight = workers * CHUNKS_PER_WORKER
        with _shared_buffers(in_flight if context.get_start_method() == "fork" else 0) as buffers:
            pool = ProcessPoolExecutor(
                workers, mp_context=context, initializer=_start_worker, initargs=(options,)
            )
            try:
                tasks = spans if spans is not None else chunks
                # The main process, too, makes short-lived objects for every chunk.
                # Closed on the way out, so that no view of a buffer is left open when it closes.
                with (
                    _collector_tuned(),
                    contextlib.closing(_in_order(pool, tasks, in_flight, buffers)) as ordered,
                ):
                    _drain(ordered, sink, rows, totals, progress, gate)
            finally:
                # On an error or Ctrl-C, chunks not yet started are dropped; running ones finish.
                pool.shutdown(wait=True, cancel_futures=True)
    progress.finish()
    totals.elapsed = time.monotonic() - started
    return totals


def _score_on_dask(
    cluster: DaskOptions,
    records: Iterator[Record],
    sink: BinaryIO,
    rows: SummaryFile,
    options: BatchOptions,
    progress: Progress,
    stderr: TextIO,
    gate: StopGate,
) -> Totals:
    from factorcheck.batch.dask_cluster import score_on_dask

    started = time.monotonic()
    totals = Totals()
    results = score_on_dask(cluster, _chunks(records), options, stderr)
    with contextlib.closing(results):
        chunks = ((result, _newline_terminated(result.lines)) for result in results)
        _drain(chunks, sink, rows, totals, progress, gate)
    progress.finish()
    totals.elapsed = time.monotonic() - started
    return totals


def _worker_context() -> multiprocessing.context.BaseContext:
    """Fork when this process has a single thread (workers then start at once, with everything
    loaded; the executor forks them all before it starts its own thread); otherwise a fork
    server, since forking a process with threads is unsafe."""
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["factorcheck.batch.run"])
    return context


def _drain(
    results: Iterator[tuple[ChunkResult, Iterable[bytes | memoryview]]],
    sink: BinaryIO,
    rows: SummaryFile,
    totals: Totals,
    progress: Progress,
    gate: StopGate,
) -> None:
    for result, parts in results:
        gate.writing = True
        try:
            _write_all(sink, parts)
            rows.write(result.rows)
        except BrokenPipeError:  # the reader went away: the command line says so
            raise
        except OSError as error:  # a full disk, say
            raise OutputError(error) from error
        finally:
            gate.writing = False
        totals.add(result)
        progress.update(totals.reports + totals.invalid)
        gate.check()


def _write_all(sink: BinaryIO, parts: Iterable[bytes | memoryview]) -> None:
    """Write every byte of every part. A buffered write that a signal interrupts half-way
    returns the bytes written so far without an error (writelines would drop the rest), so a
    large part is written on until all of it is out."""
    for part in parts:
        written = sink.write(part)
        if written is not None and written < len(part):
            with memoryview(part) as view:
                while written < len(view):
                    written += sink.write(view[written:]) or 0


def _summary(stderr: TextIO, totals: Totals) -> int:
    processed, elapsed = totals.reports + totals.invalid, totals.elapsed
    rate = f", {processed / elapsed:,.0f} records/s" if elapsed > 0 and processed else ""
    invalid = ""
    if totals.invalid:
        invalid = f", {totals.invalid:,} invalid (the first on line {totals.first_invalid_line})"
    levels = ""
    if totals.reports:
        counts = ", ".join(f"{level} {count:,}" for level, count in zip(LEVELS, totals.levels, strict=True))
        levels = f" ({counts}; safety screen incomplete in {totals.incomplete:,})"
    emergencies = ""
    if totals.emergencies:
        more = " and more" if totals.levels[0] > len(totals.emergencies) else ""
        emergencies = f"; emergencies: {', '.join(totals.emergencies)}{more}"
    stderr.write(
        f"factorcheck batch: {processed:,} records: {totals.reports:,} reports{levels}{invalid}"
        f"{emergencies}; {elapsed:.1f} s{rate}.\n"
    )
    return ExitCode.INVALID_INPUT if totals.invalid else ExitCode.OK


def _read_header(reader: Iterator[list[str]], lines: _CsvLines) -> list[str]:
    try:
        for row in reader:
            if lines.bad_since(1):
                raise FactorcheckError(f"the CSV header (line {lines.number}) is not UTF-8 text.")
            if row:
                return row
    except csv.Error as error:
        raise FactorcheckError(f"the CSV header (line {lines.number}): {_csv_problem(error)}") from error
    raise FactorcheckError("the CSV is empty: it needs a header of item ids.")


def _open_input(source: str) -> BinaryIO:
    try:
        return Path(source).open("rb")
    except FileNotFoundError as error:
        raise FactorcheckError(f"cannot read {source}: no such file.") from error
    except OSError as error:
        raise FactorcheckError(f"cannot read {source}: {error.strerror}.") from error


def _size(stream: BinaryIO) -> int | None:
    try:
        return os.fstat(stream.fileno()).st_size or None
    except (OSError, ValueError, io.UnsupportedOperation):
        return None


@contextlib.contextmanager
def _open_output(output: str, source: str, stdout: BinaryIO) -> Iterator[BinaryIO]:
    """The output stream: standard output (flushed at the end), a device or pipe named by -o
    (such as /dev/null), or a private file that takes its name only once the run has written it
    whole (a run that fails or is stopped leaves no file, never half a record)."""
    if output == "-":
        with _flushed(stdout):
            yield stdout
        return
    path = Path(output)
    if source != "-" and path.exists() and path.samefile(source):
        raise FactorcheckError(f"the output {output} is the input file; write the results elsewhere.")
    if path.is_dir():
        raise FactorcheckError(f"cannot write {output}: it is a folder.")
    # A large buffer: chunks arrive as one short line per record. (A device such as /dev/null is
    # written as it is: see private_file.)
    with private_output(path, output, buffering=OUTPUT_BUFFER_BYTES) as stream:
        yield stream


@contextlib.contextmanager
def _flushed(stream: BinaryIO) -> Iterator[None]:
    """Flush the stream at the end; a failure then is an OutputError, unless the run is already
    failing (that first error is the one to report)."""
    try:
        yield
    except BaseException:
        with contextlib.suppress(OSError):
            stream.flush()
        raise
    try:
        stream.flush()
    except BrokenPipeError:  # the reader went away: the command line says so
        raise
    except OSError as error:
        raise OutputError(error) from error


def binary_input(stream: TextIO) -> BinaryIO:
    """The bytes under a text stream such as sys.stdin (a text-only stream is read whole)."""
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        return cast(BinaryIO, buffer)
    return io.BytesIO(stream.read().encode("utf-8"))


class _TextSink(io.RawIOBase):
    """Writes UTF-8 output into a text-only stream (such as io.StringIO in a library call)."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._stream.write(bytes(data).decode("utf-8"))
        return len(data)


def binary_output(stream: TextIO) -> BinaryIO:
    """The bytes under a text stream such as sys.stdout (or a sink that decodes into it)."""
    buffer = getattr(stream, "buffer", None)
    return cast(BinaryIO, buffer if buffer is not None else _TextSink(stream))


def redirect_closed_stdout() -> None:
    """After the reader of standard output went away, keep Python's exit from failing on it."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
