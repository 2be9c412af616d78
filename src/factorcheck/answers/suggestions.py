"""The "did you mean" hint for a mistyped item id, choice, column or rule key, written once."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: object, options: Iterable[str]) -> str:
    """' Did you mean "x"?' for the option closest to `word` (case aside), or "" if none is close."""
    lowered = {option.lower(): option for option in options}
    typed = str(word).lower()
    if typed in lowered:
        return f' Did you mean "{lowered[typed]}"?'
    close = difflib.get_close_matches(typed, list(lowered), n=1, cutoff=0.6)
    return f' Did you mean "{lowered[close[0]]}"?' if close else ""
