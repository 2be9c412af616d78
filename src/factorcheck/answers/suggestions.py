"""The "did you mean" hint for a mistyped item id, choice, column or rule key, written once."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

_LONGEST_SUGGESTED = 100
_LARGEST_SUGGESTED_NUMBER = 10**30


def did_you_mean(word: object, options: Iterable[str]) -> str:
    """' Did you mean "x"?' for the option closest to `word` (case aside), or "" if none is close."""
    # Only a short text or number can be close to an option, and comparing a long one costs time.
    if isinstance(word, int) and abs(word) > _LARGEST_SUGGESTED_NUMBER:
        return ""
    typed = (word if isinstance(word, str) else str(word) if isinstance(word, int | float) else "").lower()
    if not typed or len(typed) > _LONGEST_SUGGESTED:
        return ""
    lowered = {option.lower(): option for option in options}
    if typed in lowered:
        return f' Did you mean "{lowered[typed]}"?'
    close = difflib.get_close_matches(typed, list(lowered), n=1, cutoff=0.6)
    return f' Did you mean "{lowered[close[0]]}"?' if close else ""
