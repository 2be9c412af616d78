"""`factorcheck check`: assess one answer set (a file or standard input) and print its report."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from factorcheck.cli.options import add_date_option, add_rules_option
from factorcheck.cli.output import emit
from factorcheck.errors import ExitCode, FactorcheckError
from factorcheck.report.render import FORMATS

DESCRIPTION = (
    "Assess one answer set (a JSON file, or - for standard input) and print the report. "
    "The answers may also be a FHIR R4 QuestionnaireResponse (see factorcheck fhir questionnaire). "
    "Exit codes: 0 a report was printed; 2 the input was invalid (each problem on stderr); "
    "1 anything else. Example: factorcheck check examples/no-pain.json --format json"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Describe `check` and add its arguments."""
    parser.description = DESCRIPTION
    parser.add_argument(
        "answers",
        metavar="FILE",
        help="a JSON answer file or QuestionnaireResponse, or - to read standard input",
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="report format (default: text)")
    add_date_option(parser)
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write the report to FILE (readable by you only) instead of standard output",
    )
    parser.add_argument(
        "--input-format",
        choices=("json", "fhir"),
        help="json: an answer file; fhir: a FHIR R4 QuestionnaireResponse (default: a QuestionnaireResponse "
        "when the input's resourceType says so, else an answer file)",
    )
    add_rules_option(parser)


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


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Run `factorcheck check`; returns the exit code."""
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
    assessor = default_assessor(args.rules, allow_below_floor=args.allow_below_safety_floor)
    report = assessor.assess(raw)
    text = format_report(report, args.format, assessor.ruleset, args.date)
    if args.output is None:
        emit(stdout, text)
    else:
        from factorcheck.private_files import write_private

        try:
            write_private(args.output, text)
        except OSError as error:
            raise FactorcheckError(f"cannot write {args.output}: {error.strerror or error}.") from error
    return ExitCode.OK
