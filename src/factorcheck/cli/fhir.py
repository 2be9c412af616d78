"""`factorcheck fhir questionnaire`: the questionnaire as a FHIR R4 Questionnaire resource."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from factorcheck.cli.output import emit
from factorcheck.errors import ExitCode, FactorcheckError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add `fhir`'s one subcommand, `questionnaire`, and its arguments."""
    fhir_commands = parser.add_subparsers(dest="fhir_command", required=True, metavar="COMMAND")
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


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Run `factorcheck fhir questionnaire`; returns the exit code."""
    from factorcheck.answers.fhir.questionnaire import questionnaire_json

    text = questionnaire_json()
    if args.output is None:
        emit(stdout, text)
        return ExitCode.OK
    from factorcheck.private_files import write_private

    try:
        write_private(args.output, text)
    except OSError as error:
        raise FactorcheckError(f"cannot write {args.output}: {error.strerror}.") from error
    return ExitCode.OK
