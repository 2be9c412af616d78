"""Strict JSON reading: duplicate keys are refused; NaN and Infinity are left to validation to refuse."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import orjson

from factorcheck.errors import FactorcheckError, InvalidJsonError

# Every digit as "0", to find runs of digits: a whole number of up to 18 digits fits in 64 bits.
_DIGITS_AS_ZERO = bytes.maketrans(b"0123456789", b"0" * 10)
_NINETEEN_DIGITS = b"0" * 19


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


def _constant(name: str) -> float:
    # NaN and Infinity are not JSON, but refusing them here would name no item and hide the
    # answer set's other problems: they are read as floats, which validation refuses by item.
    return float(name)


# Made once: json.loads with options builds a new decoder on every call.
_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_constant=_constant)


def read_text(path: Path, context: str) -> str:
    """A UTF-8 text file's content; `context` starts each error message ("cannot read a.json")."""
    try:
        # A byte-order mark at the start is allowed (some editors write one), as batch allows it.
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise FactorcheckError(f"{context}: no such file.") from error
    except UnicodeDecodeError as error:
        raise InvalidJsonError(f"{context}: {not_utf8(error)}") from error
    except OSError as error:
        raise FactorcheckError(f"{context}: {error.strerror}.") from error


def not_utf8(error: UnicodeDecodeError) -> str:
    """Where text that should be UTF-8 is not, for a message."""
    return f"it is not UTF-8 text (byte {error.object[error.start]:#04x} at offset {error.start:,})."


def decode_text(data: bytes, context: str) -> str:
    """UTF-8 bytes as text, a leading byte-order mark allowed; `context` starts the error message."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidJsonError(f"{context}: {not_utf8(error)}") from error


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
    except InvalidJsonError:  # a repeated key
        raise
    except ValueError as error:  # a whole number of more digits than Python reads (4,300)
        raise InvalidJsonError(
            f"not valid JSON: a number has more than {sys.get_int_max_str_digits():,} digits."
        ) from error


def loads_plain_object(data: bytes) -> dict[str, Any] | None:
    """The JSON object in `data`, when it is certainly what loads_strict would give; else None.

    Batch scoring reads one object per line, and orjson reads one several times faster than the
    json module. Where the two could differ, this says None and the caller reads the text with
    loads_strict, which also words the error: orjson refuses NaN, lone surrogates, a byte-order
    mark and invalid UTF-8 by itself; a repeated key (orjson keeps the last) and a whole number
    beyond 64 bits (orjson makes it a float) are ruled out here.
    """
    try:
        found = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    if type(found) is not dict:
        return None
    # Every key of every object, repeated or not, is followed by a colon, and colons inside
    # texts only add to the count: as many colons as keys means no key is repeated, at any depth.
    if data.count(b":") != len(found):
        return None
    # orjson reads a whole number beyond 64 bits as a float; such a number has 19 digits or more.
    if data.translate(_DIGITS_AS_ZERO).find(_NINETEEN_DIGITS) >= 0:
        return None
    return found


def json_literal(value: object) -> str:
    """A scalar as it reads in JSON, for messages: true, false, null, "text" (quoted, unescaped), 35."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return f'"{value}"' if isinstance(value, str) else str(value)
