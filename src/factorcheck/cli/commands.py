"""The table of commands: each one's module and summary, its module imported only when it runs."""

from __future__ import annotations

import argparse
import importlib
from dataclasses import dataclass
from typing import Protocol, TextIO, cast


class CommandModule(Protocol):
    """What a command's module offers: its arguments, and running it."""

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Describe the command on its parser and add its arguments."""

    def run(self, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
        """Run the command; returns the exit code."""


@dataclass(frozen=True)
class Command:
    """Where a command's code is, and the line `factorcheck --help` shows for it."""

    module: str
    summary: str


# In the order `factorcheck --help` lists them. Only the module of the command that runs is
# imported, so that no command pays for loading another's front end.
COMMANDS = {
    "check": Command("factorcheck.cli.check", "assess one answer set and print its report"),
    "ask": Command("factorcheck.cli.ask", "answer the questionnaire in the terminal and see the report"),
    "batch": Command("factorcheck.cli.batch", "assess many answer sets (JSON Lines or CSV) into JSON Lines"),
    "serve": Command(
        "factorcheck.cli.serve", "the questionnaire as a web page on this computer, with a report to print"
    ),
    "rules": Command("factorcheck.cli.rules", "work with the rule files"),
    "schema": Command("factorcheck.cli.schema", "print the JSON Schema of an answer set"),
    "fhir": Command("factorcheck.cli.fhir", "the questionnaire as HL7 FHIR R4"),
}


def load(name: str) -> CommandModule:
    """The module of the command `name` (a key of COMMANDS)."""
    return cast(CommandModule, importlib.import_module(COMMANDS[name].module))
