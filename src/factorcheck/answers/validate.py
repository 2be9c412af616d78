"""Turning raw input into validated Answers, with every problem explained in plain words."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING

from factorcheck.answers.json_input import json_literal
from factorcheck.answers.questionnaire import EXCLUSIVE_CHOICES, ITEMS, ITEMS_BY_ID, PAIRED_ITEMS, Item
from factorcheck.answers.shown import quoted, safe_text
from factorcheck.answers.suggestions import did_you_mean
from factorcheck.errors import InvalidAnswersError, Problem

if TYPE_CHECKING:
    from pydantic import BaseModel

_MISSING = object()
# Beyond this, a whole number is described by its number of digits (about 60 digits).
_LONGEST_NUMBER_BITS = 200
_LOG10_2 = math.log10(2)
_LIST_ENTRIES_SHOWN = 8


def describe_value(value: object) -> str:
    """Show a given value the way the person typed it, with its kind when that matters.

    Bounded whatever was given: a long text is shortened, a number of thousands of digits is
    described by its length, and a list or object is never shown past its first level.
    """
    if isinstance(value, list):
        return "a list " + _list_text(value)
    if isinstance(value, str):
        return f"{quoted(value)} (text)"
    if isinstance(value, dict):
        return "an object"
    return _scalar_text(value)


def _scalar_text(value: object) -> str:
    if value is None or isinstance(value, bool):
        return json_literal(value)
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, float) and math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if isinstance(value, int) and value.bit_length() > _LONGEST_NUMBER_BITS:
        return f"a whole number of about {int(value.bit_length() * _LOG10_2) + 1:,} digits"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[…]" if value else "[]"
    if isinstance(value, dict):
        return "{…}" if value else "{}"
    # Anything else came from a library caller: its type says enough, and its repr could be huge.
    return f"a {safe_text(type(value).__name__)}"


def _list_text(value: list[object]) -> str:
    """A list's entries as JSON would write them, the first level only, and at most a few."""
    shown = [_scalar_text(entry) for entry in value[:_LIST_ENTRIES_SHOWN]]
    more = f", … ({len(value):,} entries)" if len(value) > _LIST_ENTRIES_SHOWN else ""
    return "[" + ", ".join(shown) + more + "]"


def _value_problem(item: Item, value: object) -> Problem:
    hint = ""
    if isinstance(value, str) and item.choices:
        hint = did_you_mean(value, item.choices)
    elif isinstance(value, str) and item.type == "boolean":
        hint = " Write true or false, without quotes."
    elif isinstance(value, str) and item.type in ("integer", "number"):
        hint = " Write the number without quotes."
    elif isinstance(value, list) and item.type == "choices":
        bad = [v for v in value if v not in item.choices]
        if bad and isinstance(bad[0], str):
            hint = did_you_mean(bad[0], item.choices)
    elif isinstance(value, float) and not math.isfinite(value):
        hint = " NaN and Infinity are not numbers in JSON; give a real number."
    elif item.type == "integer" and isinstance(value, float) and value.is_integer():
        hint = " Write it without a decimal point."
    return Problem(item.id, f"{describe_value(value)} is not allowed; expected {item.allowed()}.{hint}")


def _list_problems(item: Item, value: list[object]) -> list[Problem]:
    problems: list[Problem] = []
    if not value:
        problems.append(Problem(item.id, 'the list is empty; give at least one choice, or "none".'))
    # Every entry is one of the item's choices here (a text): counting them is linear.
    duplicates = sorted(str(entry) for entry, times in Counter(map(str, value)).items() if times > 1)
    if duplicates:
        problems.append(Problem(item.id, f"{', '.join(duplicates)} is listed more than once."))
    alone = [v for v in value if v in EXCLUSIVE_CHOICES]
    if alone and len(value) > 1:
        problems.append(
            Problem(item.id, f'"{alone[0]}" cannot be combined with other choices; give it on its own.')
        )
    return problems


def _too_long(item: Item, value: list[object]) -> Problem:
    return Problem(
        item.id,
        f"the list has {len(value):,} entries, but there are only {len(item.choices)} choices to give, "
        "each at most once.",
    )


def _enabled(item: Item, raw: Mapping[str, object]) -> bool:
    return all(c.holds(raw.get(c.item, _MISSING)) for c in item.enabled_when)


def _follow_up_problems(raw: Mapping[str, object], valid: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    for item in ITEMS:
        if item.id not in raw or not item.enabled_when:
            continue
        # A follow-up can only be judged once the items it depends on are themselves valid.
        if any(c.item not in valid and c.item in raw for c in item.enabled_when):
            continue
        if not _enabled(item, raw):
            why = " and ".join(c.describe() for c in item.enabled_when)
            given = "; ".join(
                f"{c.item} is {describe_value(raw[c.item]) if c.item in raw else 'not answered'}"
                for c in item.enabled_when
            )
            problems.append(
                Problem(item.id, f"is a follow-up asked only when {why}, but {given}. Leave it out.")
            )
    return problems


def _pair_problems(raw: Mapping[str, object]) -> list[Problem]:
    problems: list[Problem] = []
    for first, second in PAIRED_ITEMS:
        if (first in raw) != (second in raw):
            given, missing = (first, second) if first in raw else (second, first)
            problems.append(
                Problem(missing, f"is missing; {given} and {missing} go together: give both or neither.")
            )
    return problems


def find_problems(raw: object) -> tuple[BaseModel | None, list[Problem]]:
    """Validate raw input; return the Answers (when valid) and every problem found."""
    if not isinstance(raw, Mapping):
        return None, [
            Problem("(answers)", f"expected an object of item ids and answers, got {describe_value(raw)}.")
        ]
    problems: list[Problem] = []
    known: dict[str, object] = {}
    # A list longer than its item's choices is invalid whatever it holds: it is not read further.
    too_long: set[str] = set()
    for key, value in raw.items():
        if key not in ITEMS_BY_ID:
            shown = safe_text(key if isinstance(key, str) else type(key).__name__)
            hint = did_you_mean(key, ITEMS_BY_ID)
            problems.append(Problem(shown or '""', f"is not a questionnaire item.{hint}"))
        elif value is None:
            problems.append(Problem(key, "null is not an answer; leave the item out if it was not answered."))
        else:
            known[key] = value
            item = ITEMS_BY_ID[key]
            if item.type == "choices" and isinstance(value, list) and len(value) > len(item.choices):
                too_long.add(key)
                problems.append(_too_long(item, value))

    # Imported here, not at the top: this module's helpers serve the fast path too (`check`, batch,
    # the web form), which must not pay for importing pydantic and building the model at start-up.
    from pydantic import ValidationError

    from factorcheck.answers.answers_model import Answers

    invalid: set[str] = set(too_long)
    answers: BaseModel | None = None
    try:
        answers = Answers.model_validate(
            {key: value for key, value in known.items() if key not in too_long} if too_long else known
        )
    except ValidationError as error:
        for detail in error.errors(include_url=False, include_context=False, include_input=False):
            name = str(detail["loc"][0]) if detail["loc"] else "(answers)"
            if name in invalid:
                continue
            invalid.add(name)
            item = ITEMS_BY_ID[name]
            if detail["type"] == "missing" and name not in raw:
                problems.append(Problem(name, f"is required and missing; expected {item.allowed()}."))
            else:
                problems.append(_value_problem(item, known.get(name, raw.get(name))))
    for name, value in known.items():
        if ITEMS_BY_ID[name].type == "choices" and isinstance(value, list) and name not in invalid:
            list_problems = _list_problems(ITEMS_BY_ID[name], value)
            if list_problems:
                invalid.add(name)
                problems.extend(list_problems)
    valid = set(known) - invalid
    problems.extend(_follow_up_problems(known, valid))
    problems.extend(_pair_problems(known))
    order = {item.id: index for index, item in enumerate(ITEMS)}
    problems.sort(key=lambda p: order.get(p.item, -1))
    return (answers if not problems else None), problems


def parse_answers(raw: object) -> BaseModel:
    """Validate raw input (a decoded JSON object) into Answers, or raise InvalidAnswersError."""
    answers, problems = find_problems(raw)
    if problems or answers is None:
        raise InvalidAnswersError(problems)
    return answers


def given_answers(answers: BaseModel) -> dict[str, object]:
    """The answers that were given, in questionnaire order; left-out items are absent."""
    return answers.model_dump(exclude_none=True)


def enabled_items(answers: Mapping[str, object]) -> list[Item]:
    """The items a person with these answers is asked, in questionnaire order."""
    return [item for item in ITEMS if _enabled(item, answers)]
