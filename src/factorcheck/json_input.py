"""Strict JSON reading: duplicate keys and non-standard numbers (NaN, Infinity) are refused."""

from __future__ import annotations

import json
from typing import Any

from factorcheck.errors import InvalidJsonError


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise InvalidJsonError(f'the key "{key}" appears twice; give each item once.')
        found[key] = value
    return found


def _no_constant(name: str) -> Any:
    raise InvalidJsonError(f"{name} is not a JSON number; give a real number.")


def loads_strict(text: str) -> Any:
    """Parse one JSON document; raises InvalidJsonError with the line and column of a syntax error."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise InvalidJsonError(
            f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from error
    except RecursionError as error:
        raise InvalidJsonError("the JSON is nested too deeply.") from error
