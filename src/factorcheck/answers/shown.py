"""Showing what a person gave inside a message: shortened when long, control characters escaped."""

from __future__ import annotations

import re

# Longer texts are cut in a message: a 50 MB value is shown by its start and its length.
LONGEST_SHOWN = 60
_KEPT = 40
# C0 and C1 controls, DEL, and the invisible format characters that reorder or hide text on a
# terminal (bidirectional overrides, zero-width marks, the byte-order mark), plus lone
# surrogates (bytes that were not UTF-8), are never written raw: a key or a value could
# otherwise move the cursor, recolour the screen or hide what follows.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x100:
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(match.group(), f"\\x{code:02x}")
    return f"\\u{code:04x}"


def safe_text(text: str) -> str:
    """The text with every control or invisible character escaped (\\x1b, \\u202e), shortened when long."""
    if len(text) > LONGEST_SHOWN:
        return f"{_UNSAFE.sub(_escape, text[:_KEPT])}… ({len(text):,} characters)"
    return _UNSAFE.sub(_escape, text)


def quoted(text: str) -> str:
    """The text in double quotes, as safe_text shows it."""
    if len(text) > LONGEST_SHOWN:
        return f'"{_UNSAFE.sub(_escape, text[:_KEPT])}…" ({len(text):,} characters)'
    return f'"{_UNSAFE.sub(_escape, text)}"'


_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """The text with each lone surrogate (from bytes that were not UTF-8) written as its escape
    (\\udc80), so that strict UTF-8 and I-JSON (RFC 7493) can carry it; nothing else changes."""
    return _SURROGATE.sub(_escape, text)


def without_surrogates_in(value: object) -> object:
    """A JSON value with `without_surrogates` applied to every text in it, keys included."""
    if isinstance(value, str):
        return without_surrogates(value)
    if isinstance(value, list):
        return [without_surrogates_in(entry) for entry in value]
    if isinstance(value, dict):
        return {without_surrogates_in(key): without_surrogates_in(entry) for key, entry in value.items()}
    return value
