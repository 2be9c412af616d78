"""The answers contract: every valid answer is accepted, every malformed one is named and explained."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factorcheck.answers.answers_model import Answers
from factorcheck.answers.questionnaire import ITEMS, ITEMS_BY_ID
from factorcheck.answers.validate import find_problems, given_answers, parse_answers
from factorcheck.errors import InvalidAnswersError

BASE: dict[str, Any] = {"age_years": 40, "heel_pain": True, "knee_pain": True}
REMOVED = object()  # marks a key a malformed case leaves out


def _context_for(item_id: str) -> dict[str, Any]:
    """A base answer set in which the item is enabled."""
    context = dict(BASE)
    # Each condition met by its first value (a list item: a list holding it).
    for condition in ITEMS_BY_ID[item_id].enabled_when:
        source, first = ITEMS_BY_ID[condition.item], condition.values[0]
        context[condition.item] = [first] if source.type == "choices" else first
    return context


def _valid_values(item_id: str) -> list[Any]:
    item = next(i for i in ITEMS if i.id == item_id)
    if item.type == "boolean":
        return [True, False]
    if item.type in ("integer", "number"):
        assert item.minimum is not None
        assert item.maximum is not None
        values: list[Any] = [int(item.minimum), int(item.maximum)]
        return [*values, (item.minimum + item.maximum) / 2] if item.type == "number" else values
    if item.type == "choices":
        return [[choice] for choice in item.choices] + [list(item.choices[:2])]
    return list(item.choices)


VALID_CASES = [(item.id, value) for item in ITEMS for value in _valid_values(item.id)]


@pytest.mark.parametrize(("item_id", "value"), VALID_CASES, ids=[f"{i}={v}" for i, v in VALID_CASES])
def test_every_allowed_value_of_every_item_is_accepted(item_id: str, value: Any) -> None:
    """Each item accepts each of its allowed values (at both ends of a range) and keeps it as given."""
    raw = _context_for(item_id) | {item_id: value}
    if item_id in ("height_cm", "weight_kg"):
        raw |= {"height_cm": 170, "weight_kg": 70} | {item_id: value}
    assert given_answers(parse_answers(raw))[item_id] == value


MALFORMED: list[tuple[str, dict[str, Any], str, str]] = [
    # (case, answers, item named, words the message must contain)
    ("text for an integer", {"age_years": "35"}, "age_years", '"35" (text)'),
    ("float for an integer", {"age_years": 35.0}, "age_years", "whole number from 1 to 120"),
    ("boolean for an integer", {"age_years": True}, "age_years", "true is not allowed"),
    ("below the range", {"age_years": 0}, "age_years", "from 1 to 120"),
    ("above the range", {"heel_pain_weeks": 521}, "heel_pain_weeks", "from 0 to 520"),
    ("text for a boolean", {"heel_pain": "yes"}, "heel_pain", "true or false"),
    ("number for a boolean", {"knee_pain": 1}, "knee_pain", "true or false"),
    ("wrong case choice", {"knee_alignment": "Knock_knees"}, "knee_alignment", 'Did you mean "knock_knees"'),
    ("unknown choice", {"foot_rolls_in": "sometimes"}, "foot_rolls_in", '"a_little"'),
    ("boolean for yes/no", {"on_feet_most_of_day": True}, "on_feet_most_of_day", 'one of "yes", "no"'),
    (
        "not_sure where not allowed",
        {"activity_increase": "not_sure"},
        "activity_increase",
        'one of "yes", "no"',
    ),
    ("text for a number", {"height_cm": "170", "weight_kg": 70}, "height_cm", "without quotes"),
    ("height out of range", {"height_cm": 99.9, "weight_kg": 70}, "height_cm", "from 100 to 230"),
    ("null", {"knee_injury": None}, "knee_injury", "leave the item out"),
    ("unknown key", {"knee_pian": True}, "knee_pian", 'Did you mean "knee_pain"'),
    ("missing required", {"age_years": REMOVED}, "age_years", "required and missing"),
    ("weight without height", {"weight_kg": 70}, "height_cm", "go together"),
    ("height without weight", {"height_cm": 170}, "weight_kg", "go together"),
    (
        "follow-up not enabled",
        {"heel_pain": False, "heel_pain_side": "left"},
        "heel_pain_side",
        "heel_pain is true",
    ),
    ("safety follow-up", {"rf_rapid_knee_swelling": "yes"}, "rf_rapid_knee_swelling", "rf_recent_injury"),
    (
        "order without both pains",
        {"knee_pain": False, "symptom_order": "heel_first"},
        "symptom_order",
        "knee_pain",
    ),
    ("empty list", {"inflammatory_diagnosis": []}, "inflammatory_diagnosis", "at least one"),
    (
        "duplicate in list",
        {"inflammatory_diagnosis": ["gout", "gout"]},
        "inflammatory_diagnosis",
        "more than once",
    ),
    ("none combined", {"inflammatory_diagnosis": ["none", "gout"]}, "inflammatory_diagnosis", "on its own"),
    (
        "not_sure combined",
        {"inflammatory_diagnosis": ["gout", "not_sure"]},
        "inflammatory_diagnosis",
        "on its own",
    ),
    (
        "unknown list entry",
        {"inflammatory_diagnosis": ["goutt"]},
        "inflammatory_diagnosis",
        'Did you mean "gout"',
    ),
    (
        "text for a list",
        {"inflammatory_diagnosis": "gout"},
        "inflammatory_diagnosis",
        "a list of one or more",
    ),
]


@pytest.mark.parametrize(("case", "change", "item", "words"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_input_is_rejected_naming_the_item(
    case: str, change: dict[str, Any], item: str, words: str
) -> None:
    """A malformed answer is rejected with a message naming the item, what was given and what is allowed."""
    raw = {key: value for key, value in {**BASE, **change}.items() if value is not REMOVED}
    with pytest.raises(InvalidAnswersError) as caught:
        parse_answers(raw)
    messages = [str(problem) for problem in caught.value.problems if problem.item == item]
    assert messages, f"no problem names {item}: {caught.value}"
    assert any(words in message for message in messages), messages


def test_every_invalid_item_is_reported_not_just_the_first() -> None:
    """Several invalid items give one problem each, in questionnaire order."""
    _, problems = find_problems({"age_years": "x", "heel_pain": 3, "knee_pain": "no", "knee_alignment": "x"})
    assert [problem.item for problem in problems] == ["age_years", "heel_pain", "knee_pain", "knee_alignment"]


def test_a_non_object_is_rejected_clearly() -> None:
    """A JSON list or number is not an answer set."""
    _, problems = find_problems([1, 2])
    assert "expected an object" in str(problems[0])


def test_answers_are_immutable_and_strict() -> None:
    """The Answers model refuses coercion on its own, too, and cannot be changed after validation."""
    answers = parse_answers(BASE)
    with pytest.raises(Exception, match="frozen"):
        answers.age_years = 3  # type: ignore[attr-defined]
    assert Answers.model_config.get("strict") is True


def test_json_schema_carries_question_help_and_allowed_values() -> None:
    """The generated JSON Schema has each item's question, label and allowed values, for a form to use."""
    schema = Answers.model_json_schema()
    knee = schema["properties"]["knee_alignment"]
    assert "Stand with your feet together" in knee["description"]
    assert knee["label"]
    assert knee["help"]
    assert set(schema["required"]) == {"age_years", "heel_pain", "knee_pain"}
    assert schema["additionalProperties"] is False


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
ITEM_KEYS = st.sampled_from([item.id for item in ITEMS])


@settings(max_examples=500, derandomize=True, deadline=None)
@given(st.dictionaries(st.one_of(ITEM_KEYS, st.text(max_size=15)), JSON_VALUES, max_size=12) | JSON_VALUES)
def test_any_json_input_gives_answers_or_named_problems_never_a_crash(raw: Any) -> None:
    """Whatever JSON arrives, validation returns answers or problems that each name an item."""
    answers, problems = find_problems(raw)
    assert (answers is None) == bool(problems)
    for problem in problems:
        assert problem.item
        assert problem.message
