"""The command line: `factorcheck check`, `ask`, `batch`, `serve`, `rules check`, `schema` and `fhir`."""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from factorcheck.errors import ExitCode, FactorcheckError, InvalidAnswersError, InvalidJsonError, OutputError
from factorcheck.report.render import FORMATS
from factorcheck.version import __version__


def _read_input(source: str, stdin: TextIO) -> str:
    from factorcheck.answers.json_input import decode_text, read_text

    if source == "-":
        # Read as bytes, so that text that is not UTF-8 is named as such (not decoded into
        # escapes), and a byte-order mark is allowed as it is in a file.
        buffer = getattr(stdin, "buffer", None)
        if buffer is not None:
            return decode_text(buffer.read(), "standard input")
        return stdin.read().removeprefix("\ufeff")
    return read_text(Path(source), f"cannot read {source}")


def _emit(stdout: TextIO, text: str) -> None:
    """Write a command's output; a failure (a full disk, a closed pipe) is an OutputError."""
    try:
        stdout.write(text)
        stdout.flush()
    except OSError as error:
        # Point standard output at /dev/null, so that the text still buffered is not written
        # again (and does not fail again) when Python exits.
        if stdout is sys.stdout:
            with contextlib.suppress(OSError, ValueError):
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, stdout.fileno())
                os.close(devnull)
        raise OutputError(error) from error


def _check(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    from factorcheck.answers.fhir.reading import answers_document
    from factorcheck.answers.json_input import loads_strict
    from factorcheck.assessment import default_assessor
    from factorcheck.report.render import format_report

    document = loads_strict(_read_input(args.answers, stdin))
    raw = (
        document
        if args.input_format == "json"
        else answers_document(document, fhir=args.input_format == "fhir")
    )
    assessor = default_assessor(args.rules)
    report = assessor.assess(raw)
    text = format_report(report, args.format, assessor.ruleset, args.date)
    if args.output is None:
        _emit(stdout, text)
    else:
        from factorcheck.private_files import write_private

        try:
            write_private(args.output, text)
        except OSError as error:
            raise FactorcheckError(f"cannot write {args.output}: {error.strerror or error}.") from error
    return ExitCode.OK


def _batch(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from factorcheck.batch import run as batch

    try:
        return batch.run_batch(
            args.input,
            args.output,
            format_name=args.input_format,
            id_field=args.id_field,
            workers=batch.default_workers() if args.workers is None else args.workers,
            rules_dir=args.rules,
            csv_options=batch.CsvOptions(
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
            stdin=batch.binary_input(stdin),
            stdout=batch.binary_output(stdout),
            stderr=stderr,
        )
    except BrokenPipeError:
        batch.redirect_closed_stdout()
        stderr.write("factorcheck: the output was closed before every record was written.\n")
        return ExitCode.FAILURE
    except KeyboardInterrupt:
        stderr.write("factorcheck: interrupted; the output holds only the records scored so far.\n")
        return ExitCode.FAILURE


def _rules_check(args: argparse.Namespace, stdout: TextIO) -> int:
    from factorcheck.engine.durable import DurableEngine
    from factorcheck.engine.evaluation import Evaluator
    from factorcheck.engine.oracle import Oracle
    from factorcheck.engine.rule_examples import all_examples, example_failures
    from factorcheck.rules.loading import load_ruleset

    ruleset = load_ruleset(args.rules)
    evaluators: dict[str, Evaluator] = {"durable": DurableEngine(ruleset), "oracle": Oracle(ruleset)}
    examples = list(all_examples(ruleset))
    failures = [failure for example in examples for failure in example_failures(example, evaluators, ruleset)]
    lines = [f"FAIL {failure}\n" for failure in failures]
    lines.append(
        f"rules {ruleset.version} ({ruleset.digest}): {len(ruleset.rules)} rules, "
        f"{len(examples)} examples run against {' and '.join(evaluators)}: "
        f"{len(examples) * len(evaluators) - len(failures)} passed, {len(failures)} failed\n"
    )
    _emit(stdout, "".join(lines))
    return ExitCode.FAILURE if failures else ExitCode.OK


def _schema(stdout: TextIO) -> int:
    from factorcheck.answers.questionnaire import Answers

    _emit(stdout, json.dumps(Answers.model_json_schema(), indent=2, ensure_ascii=False) + "\n")
    return ExitCode.OK


def _report_date(text: str) -> datetime.date:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(
        f'"{text}" is not a date: give it as YYYY-MM-DD, for example 2026-03-01.'
    )


def _add_date_option(
    parser: argparse.ArgumentParser,
    help: str = "the date the report says it was made (default: today), so that a report can be made "
    "again exactly; the JSON report carries a date only when this is given",
) -> None:
    parser.add_argument("--date", type=_report_date, metavar="YYYY-MM-DD", help=help)


def _fhir_questionnaire(args: argparse.Namespace, stdout: TextIO) -> int:
    from factorcheck.answers.fhir.questionnaire import questionnaire_json

    text = questionnaire_json()
    if args.output is None:
        _emit(stdout, text)
        return ExitCode.OK
    from factorcheck.private_files import write_private

    try:
        write_private(args.output, text)
    except OSError as error:
        raise FactorcheckError(f"cannot write {args.output}: {error.strerror}.") from error
    return ExitCode.OK


def _add_rules_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", type=Path, metavar="DIR", help="a rules folder other than the shipped one")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factorcheck",
        description="Explains how knee pain and heel pain (plantar fasciitis) may be linked, from a "
        "questionnaire's answers. Education, not a diagnosis: always talk to a professional.",
    )
    parser.add_argument("--version", action="version", version=f"factorcheck {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="assess one answer set and print its report",
        description="Assess one answer set (a JSON file, or - for standard input) and print the report. "
        "The answers may also be a FHIR R4 QuestionnaireResponse (see factorcheck fhir questionnaire). "
        "Exit codes: 0 a report was printed; 2 the input was invalid (each problem on stderr); "
        "1 anything else. Example: factorcheck check examples/no-pain.json --format json",
    )
    check.add_argument(
        "answers",
        metavar="FILE",
        help="a JSON answer file or QuestionnaireResponse, or - to read standard input",
    )
    check.add_argument("--format", choices=FORMATS, default="text", help="report format (default: text)")
    _add_date_option(check)
    check.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write the report to FILE (readable by you only) instead of standard output",
    )
    check.add_argument(
        "--input-format",
        choices=("json", "fhir"),
        help="json: an answer file; fhir: a FHIR R4 QuestionnaireResponse (default: a QuestionnaireResponse "
        "when the input's resourceType says so, else an answer file)",
    )
    _add_rules_option(check)

    ask = commands.add_parser(
        "ask",
        help="answer the questionnaire in the terminal and see the report",
        description="Ask the questionnaire one question at a time (warning signs first), then print the "
        "report. Nothing is saved unless you ask: with --save-answers, --output, or when you stop with "
        "Ctrl-C and choose to keep your answers. Without a terminal (input from a pipe, or --plain) "
        "the questions are plain lines and each answer is one line. "
        "Exit codes: 0 the report was shown; 2 the --resume file was invalid; 130 stopped before "
        "the end; 1 anything else.",
    )
    ask.add_argument(
        "--resume", type=Path, metavar="FILE", help="continue from answers saved when you stopped"
    )
    ask.add_argument(
        "--save-answers",
        type=Path,
        metavar="FILE",
        help="also save your answers as JSON, which factorcheck check reads (a FHIR QuestionnaireResponse "
        "if FILE ends in .fhir.json)",
    )
    ask.add_argument(
        "--answers-format",
        choices=("json", "fhir"),
        help="the format of --save-answers: json (an answer file) or fhir (a FHIR R4 QuestionnaireResponse); "
        "default: fhir if FILE ends in .fhir.json, else json",
    )
    ask.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help="also save the report, to take to a clinician: a web page to print if FILE ends in .html, "
        "Markdown if it ends in .md, text otherwise",
    )
    ask.add_argument("--format", choices=FORMATS, default="text", help="report format shown (default: text)")
    ask.add_argument("--plain", action="store_true", help="plain line-by-line prompts, even in a terminal")
    _add_date_option(ask)
    _add_rules_option(ask)

    batch = commands.add_parser(
        "batch",
        help="assess many answer sets (JSON Lines, CSV or a spreadsheet) into JSON Lines",
        description="Assess every answer set of INPUT, one JSON Lines record per answer set, in input "
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
        "Example: factorcheck batch intake.csv -o reports.jsonl --id-field record_id",
    )
    batch.add_argument(
        "input",
        metavar="INPUT",
        help="a .jsonl, .csv, .xlsx, .xlsm, .xls or .ods file, or - to read standard input",
    )
    batch.add_argument(
        "-o",
        "--output",
        default="-",
        metavar="OUTPUT",
        help="the JSON Lines file to write (default: -, stdout)",
    )
    batch.add_argument(
        "--input-format",
        choices=("jsonl", "csv", "fhir", "xlsx", "xls", "ods"),
        help="the input format, when the extension does not tell; fhir: JSON Lines of FHIR R4 "
        "QuestionnaireResponses (a JSON Lines line with a resourceType is read as one anyway); "
        "xlsx also reads .xlsm",
    )
    batch.add_argument(
        "--sheet",
        metavar="NAME|NUMBER",
        help="the sheet of a spreadsheet to read, by name or by number from 1 (default: the first)",
    )
    batch.add_argument(
        "--id-field",
        metavar="NAME",
        help="a field (JSON) or column (CSV) holding each record's identifier; it is not an answer and is "
        'copied to the output as "id"',
    )
    batch.add_argument(
        "--workers", type=int, metavar="N", help="processes that assess records (default: all cores)"
    )
    batch.add_argument(
        "--dask",
        metavar="SCHEDULER",
        help="score on a Dask cluster: a scheduler address (tcp://host:port) or local:N to start N "
        "workers here (needs pip install 'factorcheck[dask]'); prints the address of its dashboard",
    )
    batch.add_argument(
        "--dask-timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="how long to try to reach the --dask scheduler before failing (default: 10)",
    )
    batch.add_argument(
        "--dask-logs",
        action="store_true",
        help="show Dask's own log messages on stderr (hidden by default)",
    )
    batch.add_argument(
        "--summary",
        type=Path,
        metavar="FILE.csv|FILE.xlsx",
        help="also write one row per record (line, id, level, screen complete, mechanisms, factors, "
        "error), to open in a spreadsheet: a .xlsx file is a spreadsheet (ids and levels as text, "
        "the header row frozen, emergencies marked); in a CSV file, a cell a spreadsheet would "
        "run as a formula starts with an apostrophe",
    )
    batch.add_argument(
        "--reports",
        type=Path,
        metavar="DIR",
        help="also write each valid record's report for a person to read into DIR (named by line and id)",
    )
    batch.add_argument(
        "--reports-format",
        choices=("markdown", "html"),
        default="markdown",
        help="the format of the --reports files: markdown (.md) or html (.html, a page to print); "
        "default: markdown",
    )
    _add_date_option(batch, "the date the --reports files say they were made (default: today)")
    batch.add_argument(
        "--delimiter",
        choices=(",", ";"),
        help="the CSV delimiter (default: told from the header line)",
    )
    batch.add_argument(
        "--ignore-column",
        action="append",
        default=[],
        metavar="NAME",
        help="a CSV column that is not an answer, to skip (repeatable)",
    )
    batch.add_argument(
        "--ignore-unknown-columns",
        action="store_true",
        help="skip every CSV column that is not a questionnaire item, with a warning naming them",
    )
    _add_rules_option(batch)

    serve = commands.add_parser(
        "serve",
        help="the questionnaire as a web page on this computer, with a report to print",
        description="Serve the questionnaire as a local web page and print its address; Ctrl-C stops it. "
        "Nothing is stored or logged. By default only this computer can reach it; with another --host "
        "the answers cross the network unencrypted (a warning says so). "
        "Exit codes: 0 stopped with Ctrl-C; 1 it could not start (for example, the port is in use).",
    )
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    serve.add_argument(
        "--port", type=int, default=8765, help="the port to listen on (default: 8765; 0 picks a free one)"
    )
    _add_rules_option(serve)

    rules = commands.add_parser("rules", help="work with the rule files")
    rules_commands = rules.add_subparsers(dest="rules_command", required=True, metavar="COMMAND")
    rules_check = rules_commands.add_parser(
        "check",
        help="validate the rule files and run their examples",
        description="Load and validate every rule file, then run each rule's must-fire and must-not-fire "
        "examples against both the durable_rules engine and the reference evaluator. "
        "Exit codes: 0 all passed; 1 a rule file is invalid or an example failed.",
    )
    _add_rules_option(rules_check)

    commands.add_parser(
        "schema",
        help="print the JSON Schema of an answer set",
        description="Print the JSON Schema of an answer set, with each item's question and help text.",
    )

    fhir = commands.add_parser("fhir", help="the questionnaire as HL7 FHIR R4")
    fhir_commands = fhir.add_subparsers(dest="fhir_command", required=True, metavar="COMMAND")
    fhir_questionnaire = fhir_commands.add_parser(
        "questionnaire",
        help="print the FHIR R4 Questionnaire resource",
        description="Print the questionnaire as a FHIR R4 (4.0.1) Questionnaire resource (SDC), which any "
        "FHIR form renderer can ask; check and batch score the QuestionnaireResponses it collects. "
        "Example: factorcheck fhir questionnaire --output factorcheck.questionnaire.json",
    )
    fhir_questionnaire.add_argument(
        "--output", type=Path, metavar="FILE", help="write it to FILE instead of standard output"
    )
    return parser


def main(
    argv: Sequence[str] | None = None,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    stderr: TextIO = sys.stderr,
) -> int:
    """Run the command line; returns the exit code."""
    # No pydantic plugin may see the answers (health data): factorcheck uses none, and one
    # installed in the environment would be handed every answer set validated. Not looking for
    # them also spares a scan of every installed package at start-up.
    os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
    args = build_parser().parse_args(argv)
    try:
        if args.command == "check":
            return _check(args, stdin, stdout)
        if args.command == "ask":
            from factorcheck.ask.command import run_ask

            return run_ask(args, stdin, stdout, stderr)
        if args.command == "batch":
            return _batch(args, stdin, stdout, stderr)
        if args.command == "serve":
            # Imported here, so that no other command loads the web stack.
            from factorcheck.web.serve import run_serve

            return run_serve(args.host, args.port, args.rules, stdout, stderr)
        if args.command == "rules":
            return _rules_check(args, stdout)
        if args.command == "fhir":
            return _fhir_questionnaire(args, stdout)
        return _schema(stdout)
    except (InvalidAnswersError, InvalidJsonError) as error:
        stderr.write(f"factorcheck: {error}\n")
        return ExitCode.INVALID_INPUT
    except FactorcheckError as error:
        stderr.write(f"factorcheck: {error}\n")
        return ExitCode.FAILURE
    except KeyboardInterrupt:
        stderr.write("factorcheck: interrupted.\n")
        return ExitCode.FAILURE
    except Exception as error:
        stderr.write(f"factorcheck: unexpected error ({type(error).__name__}: {error}). Please report it.\n")
        return ExitCode.FAILURE
