"""Turning what a person types into an answer, or a message saying what was typed and what is allowed."""

from __future__ import annotations

import re
from collections.abc import Sequence

from factorcheck.answers.questionnaire import Item
from factorcheck.answers.shown import quoted
from factorcheck.conversation.prompts import Back, Option, Skip

BACK_WORDS = ("back",)
SKIP_WORDS = ("skip",)
# Conventional one-letter answers, tried before prefixes (where "n" would match "No" and "Not sure").
_SHORTCUTS = {"y": "yes", "n": "no"}
# More digits than any answer's range needs; a longer number is out of range without being read
# (Python refuses to read a whole number of over 4,300 digits at all).
LONGEST_NUMBER = 12


class AnswerError(ValueError):
    """A typed answer that cannot be used; the message is shown to the person as it is."""


def _normal(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().lower())


def navigation(text: str) -> Back | Skip | None:
    """The navigation word a person typed instead of an answer, if any."""
    word = _normal(text)
    if word in BACK_WORDS:
        return Back()
    if word in SKIP_WORDS:
        return Skip()
    return None


def _choices_in_words(options: Sequence[Option]) -> str:
    return ", ".join(option.label.split(":")[0] for option in options)


def parse_option(text: str, options: Sequence[Option]) -> str:
    """The key of the option a person typed: its number, its words, or the start of its words."""
    typed = text.strip()
    word = _normal(typed)
    count = len(options)
    if word.isascii() and word.isdigit():
        if len(word) <= LONGEST_NUMBER and 1 <= int(word) <= count:
            return options[int(word) - 1].key
        raise AnswerError(
            f"{quoted(typed)} is not one of the numbers shown; type a number from 1 to {count}."
        )
    for option in options:
        if word in (_normal(option.key), _normal(option.label)):
            return option.key
    keys = {option.key for option in options}
    if word in _SHORTCUTS and _SHORTCUTS[word] in keys:
        return _SHORTCUTS[word]
    starting = [o for o in options if word and any(_normal(t).startswith(word) for t in (o.label, o.key))]
    if len(starting) == 1:
        return starting[0].key
    if not word:
        raise AnswerError(f"Please choose an answer: type a number from 1 to {count}.")
    raise AnswerError(
        f"{quoted(typed)} is not one of the answers here. Type a number from 1 to {count}, "
        f"or one of: {_choices_in_words(options)}."
    )


def parse_options(text: str, options: Sequence[Option]) -> tuple[str, ...]:
    """The keys of every option a person listed, by number ("1 3" or "1, 3") or in words ("gout, none")."""
    typed = text.strip()
    if re.fullmatch(r"[0-9\s,;]+", typed):
        parts = [part for part in re.split(r"[\s,;]+", typed) if part]
    else:
        parts = [part for part in re.split(r"[,;]", typed) if part.strip()]
    picked: list[str] = []
    for part in parts:
        key = parse_option(part, options)
        if key not in picked:
            picked.append(key)
    order = [option.key for option in options]
    return tuple(sorted(picked, key=order.index))


def parse_whole_number(text: str, item: Item) -> int:
    """A whole number within the item's range; the item's unit may follow it ("35 years")."""
    typed = text.strip()
    unit = item.unit.rstrip("s")
    match = re.fullmatch(rf"(-?[0-9]+)\s*(?:{re.escape(unit)}s?)?", typed.lower()) if unit else None
    if match is None:
        match = re.fullmatch(r"(-?[0-9]+)", typed)
    if match is None:
        raise AnswerError(f"{quoted(typed)} is not a whole number. Type {item.allowed()}.")
    digits = match.group(1)
    value = int(digits) if len(digits) <= LONGEST_NUMBER else None
    low, high = item.minimum, item.maximum
    if value is None or (low is not None and value < low) or (high is not None and value > high):
        shown = quoted(digits) if value is None else str(value)
        raise AnswerError(f"{shown} is outside the range this question allows. Type {item.allowed()}.")
    return value
