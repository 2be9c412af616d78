"""The exceptions factorcheck raises on purpose, each with a message meant for a person."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from factorcheck.validation import Problem


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
