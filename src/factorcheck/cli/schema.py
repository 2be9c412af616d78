"""`factorcheck schema`: the JSON Schema of an answer set, with each item's question and help text."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from factorcheck.cli.output import emit
from factorcheck.errors import ExitCode

DESCRIPTION = "Print the JSON Schema of an answer set, with each item's question and help text."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Describe `schema`, which takes no arguments."""
    parser.description = DESCRIPTION


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Run `factorcheck schema`; returns the exit code."""
    from factorcheck.answers.json_schema import answers_schema

    emit(stdout, json.dumps(answers_schema(), indent=2, ensure_ascii=False) + "\n")
    return ExitCode.OK
