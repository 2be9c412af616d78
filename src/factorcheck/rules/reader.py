"""Typed values read out of a rule file's parsed YAML, each problem a RuleFileError naming it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from factorcheck.answers.suggestions import did_you_mean
from factorcheck.errors import RuleFileError


def hint(word: object, options: Sequence[str]) -> str:
    """A "did you mean" for a close option, else the list of allowed options."""
    return did_you_mean(word, options) or " Allowed: " + ", ".join(options) + "."


class Reader:
    """Reads one file's content, turning every problem into a RuleFileError that names it."""

    def __init__(self, path: str, rule: str | None = None) -> None:
        self.path = path
        self.rule = rule

    def fail(self, reason: str) -> RuleFileError:
        return RuleFileError(self.path, self.rule, reason)

    def mapping(self, value: object, what: str, allowed: Sequence[str]) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(f"{what} must be a mapping of keys to values, got {type(value).__name__}.")
        for key in value:
            if key not in allowed:
                raise self.fail(f'{what} has an unknown key "{key}".{hint(key, allowed)}')
        return cast(Mapping[str, Any], value)

    def text(self, data: Mapping[str, Any], key: str, what: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f'{what} needs "{key}": a non-empty text (quote it if YAML reads it otherwise).')
        return " ".join(value.split())

    def texts(self, data: Mapping[str, Any], key: str, what: str) -> tuple[str, ...]:
        value = data.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            raise self.fail(f'{what} needs "{key}": a non-empty list of texts.')
        return tuple(" ".join(v.split()) for v in value)
