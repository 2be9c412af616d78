"""Strict JSON reading: duplicate keys and non-standard numbers (NaN, Infinity) are refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from factorcheck.errors import FactorcheckError, InvalidJsonError


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) == len(pairs):
        return found
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise InvalidJsonError(f'the key "{key}" appears twice; give each item once.')
        seen.add(key)
    raise AssertionError("unreachable: a shorter dict means a repeated key")


def _no_constant(name: str) -> Any:
    raise InvalidJsonError(f"{name} is not a JSON number; give a real number.")


# Made once: json.loads with options builds a new decoder on every call.
_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_constant=_no_constant)


def read_text(path: Path, context: str) -> str:
    """A UTF-8 text file's content; `context` starts each error message ("cannot read a.json")."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise FactorcheckError(f"{context}: no such file.") from error
    except UnicodeDecodeError as error:
        raise InvalidJsonError(f"{context}: it is not UTF-8 text.") from error
    except OSError as error:
        raise FactorcheckError(f"{context}: {error.strerror}.") from error


def loads_strict(text: str) -> Any:
    """Parse one JSON document; raises InvalidJsonError with the line and column of a syntax error."""
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as error:
        raise InvalidJsonError(
            f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from error
    except RecursionError as error:
        raise InvalidJsonError("the JSON is nested too deeply.") from error
