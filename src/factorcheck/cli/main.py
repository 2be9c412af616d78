"""The command line's entry point: the top-level parser made from the table of commands, and dispatch."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from factorcheck.cli.commands import COMMANDS, load
from factorcheck.errors import ExitCode, FactorcheckError, InvalidAnswersError, InvalidJsonError
from factorcheck.version import __version__


def _command_asked(argv: Sequence[str]) -> str | None:
    """The command `argv` names: its first word that is not an option, as the top-level options
    (--help, --version) take no value."""
    word = next((word for word in argv if not word.startswith("-")), None)
    return word if word in COMMANDS else None


def _parser(command: str | None) -> argparse.ArgumentParser:
    """The parser of every command's name and summary, with the arguments of `command` alone."""
    parser = argparse.ArgumentParser(
        prog="factorcheck",
        description="Explains how knee pain and heel pain (plantar fasciitis) may be linked, from a "
        "questionnaire's answers. Education, not a diagnosis: always talk to a professional.",
    )
    parser.add_argument("--version", action="version", version=f"factorcheck {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, entry in COMMANDS.items():
        command_parser = commands.add_parser(name, help=entry.summary)
        if name == command:
            load(name).add_arguments(command_parser)
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
    words = sys.argv[1:] if argv is None else argv
    args = _parser(_command_asked(words)).parse_args(words)
    try:
        return load(args.command).run(args, stdin, stdout, stderr)
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
