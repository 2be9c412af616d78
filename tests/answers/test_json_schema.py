"""`factorcheck schema` is a true JSON Schema 2020-12 whose verdict on an answer set equals `check`'s."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factorcheck.answers.json_schema import DIALECT, answers_schema
from factorcheck.answers.questionnaire import ITEMS, ITEMS_BY_ID
from factorcheck.answers.validate import find_problems
from support import EXAMPLES
from support.answer_sets import answer_sets

SCHEMA = answers_schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=None)

# Values an answer file can hold by mistake: other types, other items' choices, the edges of the
# ranges, lists that repeat or combine what must stand alone.
WRONG_VALUES: list[Any] = [
    None,
    True,
    False,
    "yes",
    "no",
    "not_sure",
    "a_little",
    "left",
    "TRUE",
    "",
    "35",
    0,
    1,
    -1,
    24,
    25,
    35,
    35.5,
    120,
    121,
    250,
    350,
    351,
    520,
    521,
    10**30,
    [],
    ["none"],
    ["not_sure"],
    ["gout"],
    ["gout", "none"],
    ["gout", "gout"],
    ["gout", "psoriatic_arthritis"],
    [1],
    [None],
    {"a": 1},
]
KEYS = [item.id for item in ITEMS] + ["knee_pian", "age", ""]


@st.composite
def mistaken_answer_sets(draw: st.DrawFn) -> dict[str, Any]:
    """A valid answer set with up to four items changed, dropped or added."""
    answers: dict[str, Any] = dict(draw(answer_sets()))
    for _ in range(draw(st.integers(0, 4))):
        action = draw(st.sampled_from(["set", "drop", "add"]))
        if action == "drop" and answers:
            answers.pop(draw(st.sampled_from(sorted(answers))))
        else:
            key = (
                draw(st.sampled_from(sorted(answers)))
                if action == "set" and answers
                else draw(st.sampled_from(KEYS))
            )
            answers[key] = draw(st.sampled_from(WRONG_VALUES))
    return answers


def _schema_gap(answers: dict[str, Any]) -> bool:
    """35.0 for a whole number: refused by check, but the same number as 35 to JSON Schema (the
    schema's $comment says so)."""
    return any(
        isinstance(value, float) and value.is_integer() and ITEMS_BY_ID[key].type == "integer"
        for key, value in answers.items()
        if key in ITEMS_BY_ID
    )


def _agree(answers: Any) -> None:
    _, problems = find_problems(answers)
    assert VALIDATOR.is_valid(answers) == (not problems), (answers, problems)


def test_the_schema_is_a_valid_2020_12_schema() -> None:
    """It declares the 2020-12 dialect and passes that dialect's meta-schema."""
    assert SCHEMA["$schema"] == DIALECT
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_the_schema_has_no_null_and_no_private_keywords() -> None:
    """No item allows null, ranges are minimum/maximum, follow-ups are dependentSchemas."""
    text = json.dumps(SCHEMA)
    assert '"null"' not in text
    for word in ("anyOf", '"ge"', '"le"', "enabled_when"):
        assert word not in text
    assert set(SCHEMA["dependentSchemas"]) == {item.id for item in ITEMS if item.enabled_when}
    assert SCHEMA["properties"]["age_years"]["type"] == "integer"
    assert SCHEMA["properties"]["weight_kg"]["minimum"] == ITEMS_BY_ID["weight_kg"].minimum


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.json")), ids=lambda path: path.stem)
def test_the_shipped_examples_are_valid(example: Any) -> None:
    """Every shipped example passes the schema, as it passes check."""
    _agree(json.loads(example.read_text()))


@settings(max_examples=1000, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(mistaken_answer_sets())
def test_the_schemas_verdict_equals_checks(answers: dict[str, Any]) -> None:
    """On generated answer sets, valid and mistaken alike, a standard validator accepts exactly
    what check accepts (apart from 35.0 for a whole number, which JSON Schema cannot tell apart)."""
    if not _schema_gap(answers):
        _agree(answers)


@pytest.mark.parametrize(
    "answers",
    [
        {"age_years": 40, "heel_pain": True},
        {"age_years": 40, "heel_pain": True, "knee_pain": False, "knee_pain_side": "left"},
        {"age_years": 40, "heel_pain": True, "knee_pain": False, "height_cm": 170},
        {"age_years": 40, "heel_pain": True, "knee_pain": False, "inflammatory_diagnosis": ["none", "gout"]},
        {"age_years": 40, "heel_pain": True, "knee_pain": False, "inflammatory_diagnosis": []},
        {"age_years": 40, "heel_pain": True, "knee_pain": False, "rf_calf_swelling": None},
        {"age_years": True, "heel_pain": True, "knee_pain": False},
        {"age_years": 40, "heel_pain": 1, "knee_pain": False},
    ],
)
def test_each_rule_check_applies_refuses_in_the_schema_too(answers: dict[str, Any]) -> None:
    """Required items, follow-ups, the height/weight pair, list rules, null and strict types."""
    assert find_problems(answers)[1]
    assert not VALIDATOR.is_valid(answers)


def test_the_gap_is_the_only_one_on_whole_numbers() -> None:
    """35.0 where a whole number is asked: check refuses it, JSON Schema cannot (documented)."""
    answers = {"age_years": 35.0, "heel_pain": True, "knee_pain": False}
    assert find_problems(answers)[1]
    assert VALIDATOR.is_valid(answers)
    assert "35.0" in SCHEMA["$comment"]
