"""The answer-set contract as a JSON Schema 2020-12, built from the questionnaire, judging as `check` does."""

from __future__ import annotations

from typing import Any

from factorcheck.answers.questionnaire import (
    EXCLUSIVE_CHOICES,
    ITEMS,
    ITEMS_BY_ID,
    PAIRED_ITEMS,
    EnabledWhen,
    Item,
)
from factorcheck.version import __version__

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "https://factorcheck.invalid/schema/answers.json"

# What a standard validator cannot be told, said in the schema itself: JSON Schema takes 35.0
# to be the same number as 35, so a whole-number item given with a decimal point passes a
# validator while `check` asks for it to be written without one.
_WHOLE_NUMBERS = (
    "A whole-number item (type integer) must be written without a decimal point: factorcheck "
    "refuses 35.0 where 35 is asked, which JSON Schema cannot express (it takes them to be equal)."
)


def answers_schema() -> dict[str, Any]:
    """The JSON Schema of one answer set: every item, its type and range, the follow-ups, the pairs."""
    properties = {item.id: _property(item) for item in ITEMS}
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": SCHEMA_ID,
        "title": "factorcheck answers",
        "description": (
            "One person's answers, keyed by item id. An item left out was not answered; null is "
            "not an answer. A follow-up may be given only when the answers it follows say so."
        ),
        "$comment": f"factorcheck {__version__}. {_WHOLE_NUMBERS}",
        "type": "object",
        "properties": properties,
        "required": [item.id for item in ITEMS if item.required],
        "additionalProperties": False,
    }
    follow_ups = {item.id: _follow_up(item) for item in ITEMS if item.enabled_when}
    if follow_ups:
        schema["dependentSchemas"] = follow_ups
    pairs: dict[str, list[str]] = {}
    for first, second in PAIRED_ITEMS:
        pairs.setdefault(first, []).append(second)
        pairs.setdefault(second, []).append(first)
    if pairs:
        schema["dependentRequired"] = pairs
    return schema


def _property(item: Item) -> dict[str, Any]:
    described: dict[str, Any] = {"title": item.label, "description": item.question}
    if item.help:
        described["x-help"] = item.help
    if item.unit:
        described["x-unit"] = item.unit
    return {**described, **_value_schema(item)}


def _value_schema(item: Item) -> dict[str, Any]:
    if item.type == "boolean":
        return {"type": "boolean"}
    if item.type == "choices":
        return _list_schema(item)
    if item.choices:
        return {"type": "string", "enum": list(item.choices)}
    number: dict[str, Any] = {"type": "integer" if item.type == "integer" else "number"}
    if item.minimum is not None:
        number["minimum"] = _exact(item.minimum)
    if item.maximum is not None:
        number["maximum"] = _exact(item.maximum)
    return number


def _list_schema(item: Item) -> dict[str, Any]:
    """A list of the item's choices: at least one, each at most once, and a choice that must
    stand alone ("none", "not sure") only on its own."""
    schema: dict[str, Any] = {
        "type": "array",
        "items": {"enum": list(item.choices)},
        "minItems": 1,
        "maxItems": len(item.choices),
        "uniqueItems": True,
    }
    alone = [choice for choice in item.choices if choice in EXCLUSIVE_CHOICES]
    if alone:
        schema["allOf"] = [
            {"if": {"contains": {"const": choice}}, "then": {"maxItems": 1}} for choice in alone
        ]
    return schema


def _follow_up(item: Item) -> dict[str, Any]:
    """Given the follow-up, every item it follows is answered with one of the values that ask it."""
    return {
        "required": [condition.item for condition in item.enabled_when],
        "properties": {condition.item: _enabling(condition) for condition in item.enabled_when},
    }


def _enabling(condition: EnabledWhen) -> dict[str, Any]:
    """The answers to `condition.item` that ask the follow-up: one of the values, or, for a list,
    a list holding one of them."""
    if ITEMS_BY_ID[condition.item].type == "choices":
        return {"contains": {"enum": list(condition.values)}}
    return {"enum": list(condition.values)}


def _exact(bound: float) -> int | float:
    return int(bound) if float(bound).is_integer() else bound
