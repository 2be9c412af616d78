"""`factorcheck batch`: many answer sets (JSON Lines, CSV, FHIR or a spreadsheet) scored into JSON Lines."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from factorcheck.cli.options import add_date_option, add_rules_option
from factorcheck.errors import ExitCode

DESCRIPTION = (
    "Assess every answer set of INPUT, one JSON Lines record per answer set, in input "
    'order: the report, or {"error": {"line": N, "problems": [...]}} for an invalid one, and go '
    "on. INPUT is JSON Lines (one answer set per line; blank lines skipped) or CSV as spreadsheets "
    "write it (a header of item ids; cells trimmed; an empty cell is not answered; true/false "
    "cells take true, false, yes or no in any case; list cells separate choices with ;; comma or "
    "semicolon delimited; TRUE/FALSE as spreadsheets write them in other languages, WAHR/FALSCH, "
    "VRAI/FAUX...; decimal commas in a semicolon-delimited file), or a spreadsheet (.xlsx, .xlsm, "
    ".xls, .ods: the first row of --sheet as the header, cells as the file stores them), told by "
    "the extension (.jsonl, .ndjson, .csv, .xlsx, .xlsm, .xls, .ods) or --input-format. "
    "A JSON Lines line may hold a FHIR R4 QuestionnaireResponse instead of an answer set. "
    "The summary line on stderr counts the reports by triage level and names the first "
    "emergencies. Files written are readable by you only, and appear only once complete. "
    "Exit codes: 0 every record gave a report; 2 some records were invalid; 1 the run failed "
    "(a message on stderr; the output may be incomplete). "
    "Example: factorcheck batch intake.csv -o reports.jsonl --id-field record_id"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Describe `batch` and add its arguments."""
    parser.description = DESCRIPTION
    parser.add_argument(
        "input",
        metavar="INPUT",
        help="a .jsonl, .csv, .xlsx, .xlsm, .xls or .ods file, or - to read standard input",
    )
    parser.add_argument(
        "-o",
        "--output",
        default="-",
        metavar="OUTPUT",
        help="the JSON Lines file to write (default: -, stdout)",
    )
    parser.add_argument(
        "--input-format",
        choices=("jsonl", "csv", "fhir", "xlsx", "xls", "ods"),
        help="the input format, when the extension does not tell; fhir: JSON Lines of FHIR R4 "
        "QuestionnaireResponses (a JSON Lines line with a resourceType is read as one anyway); "
        "xlsx also reads .xlsm",
    )
    parser.add_argument(
        "--sheet",
        metavar="NAME|NUMBER",
        help="the sheet of a spreadsheet to read, by name or by number from 1 (default: the first)",
    )
    parser.add_argument(
        "--id-field",
        metavar="NAME",
        help="a field (JSON) or column (CSV) holding each record's identifier; it is not an answer and is "
        'copied to the output as "id"',
    )
    parser.add_argument(
        "--workers", type=int, metavar="N", help="processes that assess records (default: all cores)"
    )
    _add_dask_arguments(parser)
    parser.add_argument(
        "--summary",
        type=Path,
        metavar="FILE.csv|FILE.xlsx",
        help="also write one row per record (line, id, level, screen complete, mechanisms, factors, "
        "error), to open in a spreadsheet: a .xlsx file is a spreadsheet (ids and levels as text, "
        "the header row frozen, emergencies marked); in a CSV file, a cell a spreadsheet would "
        "run as a formula starts with an apostrophe",
    )
    parser.add_argument(
        "--reports",
        type=Path,
        metavar="DIR",
        help="also write each valid record's report for a person to read into DIR (named by line and id)",
    )
    parser.add_argument(
        "--reports-format",
        choices=("markdown", "html"),
        default="markdown",
        help="the format of the --reports files: markdown (.md) or html (.html, a page to print); "
        "default: markdown",
    )
    add_date_option(parser, "the date the --reports files say they were made (default: today)")
    parser.add_argument(
        "--delimiter",
        choices=(",", ";"),
        help="the CSV delimiter (default: told from the header line)",
    )
    parser.add_argument(
        "--ignore-column",
        action="append",
        default=[],
        metavar="NAME",
        help="a CSV column that is not an answer, to skip (repeatable)",
    )
    parser.add_argument(
        "--ignore-unknown-columns",
        action="store_true",
        help="skip every CSV column that is not a questionnaire item, with a warning naming them",
    )
    add_rules_option(parser)


def _add_dask_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dask",
        metavar="SCHEDULER",
        help="score on a Dask cluster: a scheduler address (tcp://host:port) or local:N to start N "
        "workers here (needs pip install 'factorcheck[dask]'); prints the address of its dashboard",
    )
    parser.add_argument(
        "--dask-timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="how long to try to reach the --dask scheduler before failing (default: 10)",
    )
    parser.add_argument(
        "--dask-logs",
        action="store_true",
        help="show Dask's own log messages on stderr (hidden by default)",
    )


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Run `factorcheck batch`; returns the exit code."""
    from factorcheck.batch import run as batch
    from factorcheck.batch.reading import CsvOptions
    from factorcheck.batch.worker_pool import default_workers
    from factorcheck.cli import batch_streams

    options = batch.RunOptions(
        args.input,
        args.output,
        format_name=args.input_format,
        id_field=args.id_field,
        workers=default_workers() if args.workers is None else args.workers,
        rules_dir=args.rules,
        allow_below_floor=args.allow_below_safety_floor,
        csv_options=CsvOptions(
            delimiter=args.delimiter,
            ignore_columns=tuple(args.ignore_column),
            ignore_unknown_columns=args.ignore_unknown_columns,
            sheet=args.sheet,
        ),
        summary=args.summary,
        reports=args.reports,
        reports_format=args.reports_format,
        report_date=args.date,
        dask=args.dask,
        dask_timeout=args.dask_timeout,
        dask_logs=args.dask_logs,
    )
    try:
        return batch.run_batch(
            options,
            stdin=batch_streams.binary_input(stdin),
            stdout=batch_streams.binary_output(stdout),
            stderr=stderr,
        )
    except BrokenPipeError:
        batch_streams.redirect_closed_stdout()
        stderr.write("factorcheck: the output was closed before every record was written.\n")
        return ExitCode.FAILURE
    except KeyboardInterrupt:
        stderr.write("factorcheck: interrupted; the output holds only the records scored so far.\n")
        return ExitCode.FAILURE
