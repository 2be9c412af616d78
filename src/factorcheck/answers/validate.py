"""Turning raw input into validated Answers, with every problem explained in plain words."""

from __future__ import annotations

import math
from collections.abc import Mapping

from pydantic import ValidationError

from factorcheck.answers.json_input import json_literal
from factorcheck.answers.questionnaire import (
    EXCLUSIVE_CHOICES,
    ITEMS,
    ITEMS_BY_ID,
    PAIRED_ITEMS,
    Answers,
    Item,
)
from factorcheck.answers.suggestions import did_you_mean
from factorcheck.errors import InvalidAnswersError, Problem

_MISSING = object()


def describe_value(value: object) -> str:
    """Show a given value the way the person typed it, with its kind when that matters."""
    if value is None or isinstance(value, bool):
        return json_literal(value)
    if isinstance(value, str):
        return f"{json_literal(value)} (text)"
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return str(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "a list " + repr(value)
    if isinstance(value, dict):
        return "an object"
    return repr(value)


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
    elif item.type == "integer" and isinstance(value, float) and value.is_integer():
        hint = " Write it without a decimal point."
    return Problem(item.id, f"{describe_value(value)} is not allowed; expected {item.allowed()}.{hint}")


def _list_problems(item: Item, value: list[object]) -> list[Problem]:
    problems: list[Problem] = []
    if not value:
        problems.append(Problem(item.id, 'the list is empty; give at least one choice, or "none".'))
    duplicates = sorted({str(v) for v in value if value.count(v) > 1})
    if duplicates:
        problems.append(Problem(item.id, f"{', '.join(duplicates)} is listed more than once."))
    alone = [v for v in value if v in EXCLUSIVE_CHOICES]
    if alone and len(value) > 1:
        problems.append(
            Problem(item.id, f'"{alone[0]}" cannot be combined with other choices; give it on its own.')
        )
    return problems


def _enabled(item: Item, raw: Mapping[str, object]) -> bool:
    return all(raw.get(c.item, _MISSING) in c.values for c in item.enabled_when)


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


def find_problems(raw: object) -> tuple[Answers | None, list[Problem]]:
    """Validate raw input; return the Answers (when valid) and every problem found."""
    if not isinstance(raw, Mapping):
        return None, [
            Problem("(answers)", f"expected an object of item ids and answers, got {describe_value(raw)}.")
        ]
    problems: list[Problem] = []
    known: dict[str, object] = {}
    for key, value in raw.items():
        if key not in ITEMS_BY_ID:
            hint = did_you_mean(str(key), list(ITEMS_BY_ID))
            problems.append(Problem(str(key) or '""', f"is not a questionnaire item.{hint}"))
        elif value is None:
            problems.append(Problem(key, "null is not an answer; leave the item out if it was not answered."))
        else:
            known[key] = value

    invalid: set[str] = set()
    answers: Answers | None = None
    try:
        answers = Answers.model_validate(known)
    except ValidationError as error:
        for detail in error.errors():
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


def parse_answers(raw: object) -> Answers:
    """Validate raw input (a decoded JSON object) into Answers, or raise InvalidAnswersError."""
    answers, problems = find_problems(raw)
    if problems or answers is None:
        raise InvalidAnswersError(problems)
    return answers


def given_answers(answers: Answers) -> dict[str, object]:
    """The answers that were given, in questionnaire order; left-out items are absent."""
    return answers.model_dump(exclude_none=True)


def enabled_items(answers: Mapping[str, object]) -> list[Item]:
    """The items a person with these answers is asked, in questionnaire order."""
    return [item for item in ITEMS if _enabled(item, answers)]
