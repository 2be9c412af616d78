"""The errors factorcheck reports on purpose, each with a message meant for a person, and the exit codes."""

from __future__ import annotations

import errno
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """What every command's exit status means; each command's help says which ones it uses."""

    OK = 0
    FAILURE = 1
    # `check`: the input was invalid; `batch`: some records were; `ask`: the --resume file was.
    INVALID_INPUT = 2
    # `ask`: stopped before the end (128 + SIGINT, as a shell reports Ctrl-C).
    STOPPED = 130


@dataclass(frozen=True)
class Problem:
    """One reason an answer set is invalid: which item, what was given, what is allowed."""

    item: str
    message: str

    def __str__(self) -> str:
        return f"{self.item}: {self.message}"


class FactorcheckError(Exception):
    """Base of every error factorcheck raises deliberately."""


class InvalidAnswersError(FactorcheckError, ValueError):
    """Raised when an answer set breaks the questionnaire contract; lists every problem."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        heading = "1 problem" if count == 1 else f"{count} problems"
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"The answers have {heading}:\n{lines}")


class RuleFileError(FactorcheckError):
    """Raised when a rule file cannot be loaded: names the file, the rule and the reason."""

    def __init__(self, path: str, rule: str | None, reason: str) -> None:
        self.path = path
        self.rule = rule
        self.reason = reason
        where = f"{path}, rule {rule}" if rule else path
        super().__init__(f"{where}: {reason}")


class EngineError(FactorcheckError):
    """Raised when the rules engine reports a failure while assessing an answer set."""


class InvalidJsonError(FactorcheckError, ValueError):
    """Raised when input is not one well-formed JSON document (or has a key twice, or NaN)."""


class OutputError(FactorcheckError):
    """Raised when output cannot be written (a full disk, say), in the operating system's words."""

    def __init__(self, error: OSError, what: str = "the output") -> None:
        reason = error.strerror or str(error)
        if error.errno == errno.ENOSPC:
            reason = f"the disk is full ({reason})"
        super().__init__(f"cannot write {what}: {reason}.")

    def __reduce__(self) -> tuple[object, ...]:
        # Raised in a worker process, it reaches the main process as the same message (the
        # default would call __init__ again with the message for `error`).
        return (_output_error, (str(self),))


def _output_error(message: str) -> OutputError:
    error = OutputError.__new__(OutputError)
    FactorcheckError.__init__(error, message)
    return error
