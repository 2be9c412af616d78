"""Parsing a condition, each comparison checked against the questionnaire's items and values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from factorcheck.answers.derived import DERIVED_BY_NAME
from factorcheck.answers.questionnaire import ITEMS_BY_ID
from factorcheck.answers.suggestions import did_you_mean
from factorcheck.rules.reader import Reader, hint
from factorcheck.rules.rule_files import MANIFEST
from factorcheck.rules.ruleset import OPS, AllOf, AnyOf, Compare, Condition, Fired, Scalar

# A limit documented in rules/README.md: conditions are a few levels deep.
MAX_DEPTH = 20


def _value_fits(type_name: str, choices: tuple[str, ...], value: object) -> bool:
    if type_name == "boolean":
        return isinstance(value, bool)
    if type_name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, str) and value in choices


def _check_compare(reader: Reader, name: str, op: str, value: object) -> Compare:
    type_name: str
    if name in ITEMS_BY_ID:
        item = ITEMS_BY_ID[name]
        type_name, choices, allowed = item.type, item.choices, item.allowed()
    elif name in DERIVED_BY_NAME:
        type_name, choices = DERIVED_BY_NAME[name].type, ()
        allowed = {"boolean": "true or false", "integer": "a whole number"}.get(type_name, "a number")
    else:
        raise reader.fail(
            f'the condition tests "{name}", which is neither a questionnaire item nor a derived value.'
            + hint(name, [*ITEMS_BY_ID, *DERIVED_BY_NAME])
        )
    if type_name == "choices":
        raise reader.fail(
            f'"{name}" is a list item and cannot be compared directly; '
            'test the derived value "inflammatory_diagnosed" instead.'
        )
    ordered = type_name in ("integer", "number")
    if op in ("lt", "lte", "gt", "gte") and not ordered:
        raise reader.fail(f'"{op}" compares numbers, but "{name}" is {allowed}; use "eq" or "in".')
    values = value if op == "in" else [value]
    if op == "in" and (not isinstance(value, list) or not value):
        raise reader.fail(f'"in" on "{name}" needs a non-empty list of values.')
    for one in cast(list[object], values):
        if not _value_fits(type_name, choices, one):
            hint_text = did_you_mean(one, choices) if isinstance(one, str) else ""
            raise reader.fail(f'"{name}" {op} {one!r}: the value must be {allowed}.{hint_text}')
        # The body-mass index decides exactly against thresholds of up to six decimals (see
        # answers/derived.py); a finer one could be decided in floating point.
        if name == "bmi" and isinstance(one, float) and round(one, 6) != one:
            raise reader.fail(f'"bmi" {op} {one!r}: a body-mass index threshold has at most six decimals.')
    if op == "in":
        return Compare(name, "in", tuple(cast(list[Scalar], value)))
    return Compare(name, cast(Any, op), cast(Scalar, value))


def parse_condition(
    reader: Reader, data: object, named: Mapping[str, Condition], depth: int = 1
) -> Condition:
    """A condition from its YAML form; `named` holds the manifest's named conditions."""
    if depth > MAX_DEPTH:
        raise reader.fail(f"the condition is nested more than {MAX_DEPTH} levels deep; write it flatter.")
    if not isinstance(data, dict):
        raise reader.fail(f"a condition must be a mapping, got {data!r}.")
    if "all" in data or "any" in data:
        reader.mapping(data, "an all/any condition", ("all", "any"))
        if len(data) != 1:
            raise reader.fail('a condition has either "all" or "any", not both.')
        key, parts = next(iter(data.items()))
        if not isinstance(parts, list) or not parts:
            raise reader.fail(f'"{key}" needs a non-empty list of conditions.')
        parsed = tuple(parse_condition(reader, part, named, depth + 1) for part in parts)
        return AllOf(parsed) if key == "all" else AnyOf(parsed)
    if "condition" in data:
        reader.mapping(data, "a named-condition reference", ("condition",))
        name = data["condition"]
        if name not in named:
            raise reader.fail(f'no named condition "{name}" in {MANIFEST}.{hint(name, list(named))}')
        return named[name]
    if "rule" in data:
        reader.mapping(data, "a rule reference", ("rule", "note"))
        return Fired(str(data["rule"]), str(data.get("note", "")))
    if "item" in data:
        leaf = reader.mapping(data, "a comparison", ("item", "note", *OPS))
        ops = [key for key in leaf if key in OPS]
        if len(ops) != 1:
            raise reader.fail(
                f'the comparison on "{leaf["item"]}" needs exactly one operator of {", ".join(OPS)}.'
            )
        compare = _check_compare(reader, str(leaf["item"]), ops[0], leaf[ops[0]])
        note = leaf.get("note", "")
        return Compare(compare.name, compare.op, compare.value, " ".join(str(note).split()))
    keys = ", ".join(str(k) for k in data)
    raise reader.fail(
        f"a condition needs one of all, any, item, rule or condition; got {keys}.{hint(keys, OPS)}"
    )
