"""`factorcheck batch`: many answer sets (JSON Lines, CSV, a sheet) scored in input order, on several cores.

The main process cuts the input into chunks (byte ranges of whole lines of a JSON Lines file, or
batches of CSV rows, sheet rows or standard-input lines: reading.py) and writes the results in
input order (writing.py); worker processes (worker_pool.py), each with its own rules engine (a durable_rules
ruleset cannot cross processes), turn chunks into output lines (record_scoring.py), which come
back through shared memory. At most a few chunks are in flight at once, so memory stays flat
however long the input. Nothing is logged or kept: answers are health data. This module runs
those parts in order, with the stop on signals (stopping.py), the progress line (progress.py)
and the tally that gives the summary line and the exit code (tally.py).
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO, TextIO

from factorcheck.answers.csv_input import check_header, header_names
from factorcheck.answers.questionnaire import ITEMS_BY_ID
from factorcheck.answers.shown import quoted
from factorcheck.answers.spreadsheet_input import SPREADSHEET_FORMATS, open_sheet
from factorcheck.batch.dask_cluster import DaskOptions
from factorcheck.batch.progress import Progress
from factorcheck.batch.reading import (
    CsvLines,
    CsvOptions,
    Span,
    csv_rows,
    file_spans,
    header_delimiter,
    input_format,
    input_size,
    json_lines,
    open_input,
    read_header,
    spreadsheet_kind,
)
from factorcheck.batch.record_scoring import BatchOptions, Record, RecordScorer
from factorcheck.batch.stopping import StopGate, stoppable
from factorcheck.batch.summary import SummaryFile
from factorcheck.batch.tally import Totals
from factorcheck.batch.worker_pool import (
    CHUNKS_PER_WORKER,
    chunks_of,
    collector_tuned,
    default_workers,
    in_order,
    newline_terminated,
    shared_buffers,
    start_worker,
    worker_context,
)
from factorcheck.batch.writing import clear_stale_partials, drain, open_output, reports_folder
from factorcheck.engine.loading import load_ruleset
from factorcheck.errors import FactorcheckError


@dataclass(frozen=True)
class RunOptions:
    """What a batch run reads and how, and what it writes besides its output: all but its streams."""

    source: str  # a file, or "-" for standard input
    output: str  # a file, or "-" for standard output
    format_name: str | None = None  # None: told from the source's extension
    id_field: str | None = None
    workers: int = field(default_factory=default_workers)
    rules_dir: Path | None = None  # None: the shipped rules
    allow_below_floor: bool = False  # whether rules_dir may bring a warning sign below its floor
    csv_options: CsvOptions = field(default_factory=CsvOptions)
    summary: Path | None = None
    reports: Path | None = None
    reports_format: str = "markdown"
    report_date: datetime.date | None = None
    dask: str | None = None  # a Dask scheduler's address, or local:N
    dask_timeout: float = 10.0  # seconds to try to reach the Dask scheduler
    dask_logs: bool = False  # show Dask's own log messages on stderr


def run_batch(options: RunOptions, *, stdin: BinaryIO, stdout: BinaryIO, stderr: TextIO) -> int:
    """Score every record of `options.source` into `options.output` (on a Dask cluster when
    `options.dask` names one); returns the exit code."""
    source, id_field, workers = options.source, options.id_field, options.workers
    summary, reports = options.summary, options.reports
    fmt = input_format(source, options.format_name)
    if id_field is not None and id_field in ITEMS_BY_ID:
        raise FactorcheckError(f"--id-field {id_field} is a questionnaire item; name the identifier column.")
    if workers < 1:
        raise FactorcheckError("--workers must be at least 1.")
    if not 0 < options.dask_timeout <= 3600:
        raise FactorcheckError("--dask-timeout must be more than 0 and at most 3600 seconds.")
    if options.csv_options.sheet is not None and fmt not in SPREADSHEET_FORMATS:
        raise FactorcheckError(
            f"--sheet is for a spreadsheet file (.xlsx, .xlsm, .xls, .ods); {source} is not one."
        )
    for path, what in ((summary, "--summary"), (reports, "--reports")):
        if path is not None and source != "-" and path.exists() and path.samefile(source):
            raise FactorcheckError(f"{what} {path} is the input file; write it elsewhere.")
    outputs = [Path(path) for path in (options.output, summary) if path is not None and str(path) != "-"]
    clear_stale_partials(outputs, reports, stderr)
    binary = stdin if source == "-" else open_input(source)
    with contextlib.ExitStack() as opened:
        if binary is not stdin:
            opened.enter_context(binary)
        # Loaded once, before any record: a broken rules folder stops the run here.
        scoring = BatchOptions(
            fmt,
            load_ruleset(options.rules_dir, allow_below_floor=options.allow_below_floor),
            id_field,
            summary_rows=summary is not None,
            reports_dir=None if reports is None else str(reports_folder(reports)),
            reports_format=options.reports_format,
            report_date=options.report_date,
        )
        records, scoring, size = _records(binary, options, fmt, scoring, stderr)
        # Workers read a JSON Lines file themselves; standard input (even a redirected file: "-"
        # is no file name a worker could open), CSV and Dask come through here.
        local_workers = workers if options.dask is None else 1
        by_span = fmt != "csv" and source != "-" and size is not None and local_workers > 1
        spans = file_spans(source, binary) if by_span else None
        gate = opened.enter_context(stoppable())
        sink = opened.enter_context(open_output(options.output, source, stdout))
        rows = opened.enter_context(SummaryFile.open(summary, with_id=id_field is not None))
        progress = Progress(stderr, size, binary)
        if options.dask is not None:
            cluster = DaskOptions(options.dask, options.dask_timeout, options.dask_logs)
            totals = _score_on_dask(cluster, records, sink, rows, scoring, progress, stderr, gate)
        else:
            totals = _score_all(records, spans, sink, rows, scoring, workers, progress, gate)
    stderr.write(totals.summary_line())
    return totals.return_code


def _records(
    binary: BinaryIO, options: RunOptions, fmt: str, scoring: BatchOptions, stderr: TextIO
) -> tuple[Iterator[Record], BatchOptions, int | None]:
    """The input's records, the scoring options with what its header told, and its size in bytes
    (None: not known, or read whole already)."""
    source, id_field, csv_options = options.source, options.id_field, options.csv_options
    if fmt not in SPREADSHEET_FORMATS and (kind := spreadsheet_kind(binary)):
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
        _warn_ignored(ignored, stderr)
        scoring = replace(
            scoring, header=tuple(sheet.header), sheet_name=sheet.name, first_column=sheet.first_column
        )
        return sheet.records, scoring, None  # the sheet is read whole when it is opened
    size = input_size(binary)
    if fmt != "csv":
        return json_lines(binary), scoring, size
    delimiter = csv_options.delimiter or header_delimiter(binary)
    lines = CsvLines(binary)
    reader = csv.reader(lines, strict=True, delimiter=delimiter)
    header = header_names(read_header(reader, lines))
    ignored = check_header(header, id_field, csv_options.ignore_columns, csv_options.ignore_unknown_columns)
    _warn_ignored(ignored, stderr)
    scoring = replace(scoring, header=tuple(header), decimal_comma=delimiter == ";")
    return csv_rows(reader, lines), scoring, size


def _warn_ignored(ignored: list[str], stderr: TextIO) -> None:
    if ignored:
        names = ", ".join(quoted(name) for name in ignored)
        stderr.write(f"factorcheck batch: ignoring columns that are not questionnaire items: {names}.\n")


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
    chunks = chunks_of(records)
    if workers == 1:
        scorer = RecordScorer(options)
        with collector_tuned():
            results = (
                (result, newline_terminated(result.lines)) for result in map(scorer.score_chunk, chunks)
            )
            drain(results, sink, rows, totals, progress, gate)
    else:
        context = worker_context()
        in_flight = workers * CHUNKS_PER_WORKER
        with shared_buffers(in_flight if context.get_start_method() == "fork" else 0) as buffers:
            pool = ProcessPoolExecutor(
                workers, mp_context=context, initializer=start_worker, initargs=(options,)
            )
            try:
                tasks = spans if spans is not None else chunks
                # The main process, too, makes short-lived objects for every chunk.
                # Closed on the way out, so that no view of a buffer is left open when it closes.
                with (
                    collector_tuned(),
                    contextlib.closing(in_order(pool, tasks, in_flight, buffers)) as ordered,
                ):
                    drain(ordered, sink, rows, totals, progress, gate)
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
    results = score_on_dask(cluster, chunks_of(records), options, stderr)
    with contextlib.closing(results):
        chunks = ((result, newline_terminated(result.lines)) for result in results)
        drain(chunks, sink, rows, totals, progress, gate)
    progress.finish()
    totals.elapsed = time.monotonic() - started
    return totals
