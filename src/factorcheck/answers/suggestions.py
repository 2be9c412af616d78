"""The "did you mean" hint for a mistyped item id, choice, column or rule key, written once."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

_LONGEST_SUGGESTED = 100
_LARGEST_SUGGESTED_NUMBER = 10**30


def closest(word: object, options: Iterable[str]) -> str | None:
    """The option `word` most likely meant (case aside; "Age" for age_years), or None."""
    # Only a short text or number can be close to an option, and comparing a long one costs time.
    if isinstance(word, int) and abs(word) > _LARGEST_SUGGESTED_NUMBER:
        return None
    typed = (word if isinstance(word, str) else str(word) if isinstance(word, int | float) else "").lower()
    if not typed or len(typed) > _LONGEST_SUGGESTED:
        return None
    lowered = {option.lower(): option for option in options}
    if typed in lowered:
        return lowered[typed]
    close = difflib.get_close_matches(typed, list(lowered), n=1, cutoff=0.6)
    if close:
        return lowered[close[0]]
    # The first word of an id alone, as a spreadsheet column is often headed.
    starting = [option for key, option in lowered.items() if key.startswith(typed + "_")] if typed else []
    return starting[0] if len(starting) == 1 else None


def did_you_mean(word: object, options: Iterable[str]) -> str:
    """' Did you mean "x"?' for the option closest to `word`, or "" if none is close."""
    found = closest(word, options)
    return f' Did you mean "{found}"?' if found is not None else ""
