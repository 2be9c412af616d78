"""A rule's condition in plain words, generated from its `when` so the words cannot drift from what runs."""

from __future__ import annotations

from collections.abc import Mapping

from factorcheck.answers.derived import DERIVED_BY_NAME
from factorcheck.answers.questionnaire import ITEMS_BY_ID
from factorcheck.rules.ruleset import AllOf, Compare, Condition, Fired, Scalar

_ORDERED = {"lt": "less than {}", "lte": "{} or less", "gt": "more than {}", "gte": "{} or more"}


def _name(name: str) -> str:
    label = ITEMS_BY_ID[name].label if name in ITEMS_BY_ID else DERIVED_BY_NAME[name].label
    return f'"{label}"'


def _value(name: str, value: Scalar) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        item = ITEMS_BY_ID.get(name)
        return (item.choice_label(value) if item else value).lower()
    unit = ITEMS_BY_ID[name].unit if name in ITEMS_BY_ID else ""
    return f"{value:g} {unit}".strip() if isinstance(value, float) else f"{value} {unit}".strip()


def _compare(leaf: Compare) -> str:
    if leaf.op == "in":
        assert isinstance(leaf.value, tuple)
        return f"{_name(leaf.name)} is {' or '.join(_value(leaf.name, v) for v in leaf.value)}"
    assert not isinstance(leaf.value, tuple)
    if leaf.op == "eq":
        return f"{_name(leaf.name)} is {_value(leaf.name, leaf.value)}"
    return f"{_name(leaf.name)} is {_ORDERED[leaf.op].format(_value(leaf.name, leaf.value))}"


def describe(condition: Condition, titles: Mapping[str, str] | None = None) -> str:
    """The condition in words, e.g. '"Pain under the heel or along the arch" is yes and
    "Body-mass index" is 30 or more'; `titles` names the rules a condition tests."""
    known = titles or {}

    def words(part: Condition, inside: bool) -> str:
        if isinstance(part, Compare):
            return _compare(part)
        if isinstance(part, Fired):
            title = known.get(part.rule)
            return (
                f'the rule {part.rule} ("{title}") has fired' if title else f"the rule {part.rule} has fired"
            )
        joined = (" and " if isinstance(part, AllOf) else " or ").join(words(p, True) for p in part.parts)
        if len(part.parts) == 1 or not inside:
            return joined
        return f"(all of: {joined})" if isinstance(part, AllOf) else f"(any of: {joined})"

    return words(condition, False)


def fires_when(condition: Condition, titles: Mapping[str, str] | None = None) -> str:
    """A sentence for a rule's logic: 'fires when ...'."""
    return f"fires when {describe(condition, titles)}"
