"""The FHIR R4 Questionnaire export: valid by HL7's schema and invariants, and true to the answers model."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
from typing import Any

import pytest

from factorcheck.answers.fhir.names import (
    CODE_SYSTEM_URL,
    MAX_VALUE,
    MIN_VALUE,
    OPTION_EXCLUSIVE,
    PART_LINK_IDS,
    QUESTIONNAIRE_URL,
    SDC_QUESTIONNAIRE_PROFILE,
    UCUM,
    UNIT,
)
from factorcheck.answers.fhir.questionnaire import (
    QuestionnaireExportError,
    enable_when,
    question_item,
    questionnaire_resource,
)
from factorcheck.answers.questionnaire import ITEMS, ITEMS_BY_ID, PARTS, QUESTIONNAIRE_VERSION, EnabledWhen
from factorcheck.rules.loading import load_ruleset
from support.fhir import SCHEMA_FILE, SCHEMA_SHA256, broken_invariants, schema_errors

QUESTIONNAIRE = questionnaire_resource()
QUESTIONS = {item["linkId"]: item for group in QUESTIONNAIRE["item"] for item in group["item"]}


def _extension(item: dict[str, Any], url: str) -> dict[str, Any] | None:
    return next((e for e in item.get("extension", []) if e["url"] == url), None)


def test_the_vendored_schema_is_hl7s_file_unchanged() -> None:
    """tests/fhir_schema/fhir.schema.json is the file its README names, byte for byte."""
    assert hashlib.sha256(SCHEMA_FILE.read_bytes()).hexdigest() == SCHEMA_SHA256


def test_the_questionnaire_is_valid_by_hl7s_r4_json_schema() -> None:
    """The exported Questionnaire breaks nothing in HL7's R4 JSON Schema."""
    assert schema_errors(QUESTIONNAIRE) == []


def test_the_questionnaire_keeps_every_r4_invariant() -> None:
    """que-0 to que-13, evaluated with fhirpathpy, all hold on the export."""
    assert broken_invariants(QUESTIONNAIRE) == []


@pytest.mark.parametrize(
    ("name", "breaks", "expected"),
    [
        ("a group without items", lambda q: q["item"][1].update(item=[]), "que-1 at part-2"),
        ("a linkId twice", lambda q: q["item"][0]["item"][1].update(linkId="rf_recent_injury"), "que-2"),
        (
            "a display item that is required",
            lambda q: q["item"][2]["item"][2]["item"][0].update(required=True),
            "que-6",
        ),
        (
            "answer options on a boolean",
            lambda q: q["item"][1]["item"][1].update(answerOption=[{"valueString": "x"}]),
            "que-5",
        ),
        (
            "two enableWhen and no behaviour",
            lambda q: next(i for i in q["item"][1]["item"] if i["linkId"] == "symptom_order").pop(
                "enableBehavior"
            ),
            "que-12 at symptom_order",
        ),
    ],
)
def test_the_invariant_check_catches_a_broken_questionnaire(name: str, breaks: Any, expected: str) -> None:
    """The invariant check is no formality: a Questionnaire broken on purpose fails it."""
    broken = copy.deepcopy(QUESTIONNAIRE)
    breaks(broken)
    assert any(found.startswith(expected) for found in broken_invariants(broken)), name


def test_the_schema_check_catches_what_invariants_do_not() -> None:
    """HL7's schema refuses a bad enableWhen operator and `required: "yes"`."""
    broken = copy.deepcopy(QUESTIONNAIRE)
    broken["item"][1]["item"][0]["required"] = "yes"
    broken["item"][1]["item"][2]["enableWhen"][0]["operator"] = "equals"
    errors = schema_errors(broken)
    assert any("required" in error for error in errors)
    assert any("operator" in error for error in errors)


def test_resource_metadata() -> None:
    """resourceType, canonical url, the package version, status active and the SDC profile."""
    assert QUESTIONNAIRE["resourceType"] == "Questionnaire"
    assert QUESTIONNAIRE["url"] == QUESTIONNAIRE_URL
    assert QUESTIONNAIRE["version"] == QUESTIONNAIRE_VERSION == load_ruleset().version
    assert QUESTIONNAIRE["status"] == "active"
    assert QUESTIONNAIRE["meta"]["profile"] == [SDC_QUESTIONNAIRE_PROFILE]


def test_one_group_per_part_in_order_holding_every_item_in_order() -> None:
    """Each part is a group, in order; together they hold every item of the model, in its order."""
    groups = QUESTIONNAIRE["item"]
    assert [g["linkId"] for g in groups] == [PART_LINK_IDS[p] for p in PARTS]
    assert all(g["type"] == "group" and PARTS[p] in g["text"] for g, p in zip(groups, PARTS, strict=True))
    for group, part in zip(groups, PARTS, strict=True):
        assert [i["linkId"] for i in group["item"]] == [item.id for item in ITEMS if item.part == part]


@pytest.mark.parametrize("item", ITEMS, ids=lambda item: item.id)
def test_each_question_says_what_the_model_says(item: Any) -> None:
    """linkId is the contract's id, text the question, type and required as the model has them."""
    found = QUESTIONS[item.id]
    assert found["text"] == item.question
    expected_type = {"boolean": "boolean", "integer": "integer", "number": "decimal"}.get(item.type, "choice")
    assert found["type"] == expected_type
    assert found.get("required", False) is item.required
    assert found.get("repeats", False) is (item.type == "choices")


def test_exactly_the_three_required_items_are_required() -> None:
    """age_years, heel_pain and knee_pain carry required: true, and nothing else does."""
    assert sorted(k for k, v in QUESTIONS.items() if v.get("required")) == [
        "age_years",
        "heel_pain",
        "knee_pain",
    ]


@pytest.mark.parametrize("item", [i for i in ITEMS if i.choices], ids=lambda item: item.id)
def test_choices_are_codings_of_factorchecks_code_system(item: Any) -> None:
    """Each choice is an answerOption valueCoding: the contract's value as code, its label as display."""
    options = QUESTIONS[item.id]["answerOption"]
    assert [o["valueCoding"] for o in options] == [
        {"system": CODE_SYSTEM_URL, "code": code, "display": item.choice_label(code)} for code in item.choices
    ]


def test_the_list_item_repeats_and_marks_its_exclusive_choices() -> None:
    """inflammatory_diagnosis repeats; "none" and "not_sure" (only they) are optionExclusive."""
    found = QUESTIONS["inflammatory_diagnosis"]
    assert found["repeats"] is True
    exclusive = [
        o["valueCoding"]["code"]
        for o in found["answerOption"]
        if (_extension(o, OPTION_EXCLUSIVE) or {}).get("valueBoolean") is True
    ]
    assert exclusive == ["none", "not_sure"]


@pytest.mark.parametrize("item", [i for i in ITEMS if i.minimum is not None], ids=lambda item: item.id)
def test_ranges_and_units(item: Any) -> None:
    """Ranges are minValue/maxValue extensions of the item's type, units questionnaire-unit in UCUM."""
    found = QUESTIONS[item.id]
    key = "valueInteger" if item.type == "integer" else "valueDecimal"
    low, high = _extension(found, MIN_VALUE), _extension(found, MAX_VALUE)
    assert low is not None
    assert high is not None
    assert (low[key], high[key]) == (item.minimum, item.maximum)
    unit = _extension(found, UNIT)
    assert unit is not None
    assert unit["valueCoding"]["system"] == UCUM
    assert (
        unit["valueCoding"]["code"]
        == {"years": "a", "weeks": "wk", "cm": "cm", "kg": "kg", "points": "{score}"}[item.unit]
    )


@pytest.mark.parametrize("item", ITEMS, ids=lambda item: item.id)
def test_help_text_is_a_child_display_item(item: Any) -> None:
    """An item with help text has it as its one child, a display item; others have no children."""
    children = QUESTIONS[item.id].get("item", [])
    if item.help:
        assert [(c["type"], c["text"]) for c in children] == [("display", item.help)]
    else:
        assert children == []


def test_follow_ups_become_enable_when() -> None:
    """One enableWhen per enabling value; several values of one item `any`, several items `all`."""
    assert QUESTIONS["rf_rapid_knee_swelling"]["enableWhen"] == [
        {
            "question": "rf_recent_injury",
            "operator": "=",
            "answerCoding": {"system": CODE_SYSTEM_URL, "code": code},
        }
        for code in ("yes", "not_sure")
    ]
    assert QUESTIONS["rf_rapid_knee_swelling"]["enableBehavior"] == "any"
    assert QUESTIONS["heel_pain_side"]["enableWhen"] == [
        {"question": "heel_pain", "operator": "=", "answerBoolean": True}
    ]
    assert "enableBehavior" not in QUESTIONS["heel_pain_side"]
    assert [e["question"] for e in QUESTIONS["symptom_order"]["enableWhen"]] == ["heel_pain", "knee_pain"]
    assert QUESTIONS["symptom_order"]["enableBehavior"] == "all"
    followed = {item.id for item in ITEMS if item.enabled_when}
    assert {k for k, v in QUESTIONS.items() if "enableWhen" in v} == followed


def test_a_condition_enable_when_cannot_express_stops_the_export() -> None:
    """All of several conditions, one with several values, fails loudly instead of being approximated."""
    item = dataclasses.replace(
        ITEMS_BY_ID["symptom_order"],
        enabled_when=(EnabledWhen("heel_pain", (True,)), EnabledWhen("rf_diabetes", ("yes", "not_sure"))),
    )
    with pytest.raises(QuestionnaireExportError, match=r"symptom_order.*enableWhenExpression"):
        enable_when(item)


def test_a_unit_without_a_ucum_code_stops_the_export() -> None:
    """An item whose unit has no UCUM code is refused, naming the item and the unit."""
    item = dataclasses.replace(ITEMS_BY_ID["height_cm"], unit="inches")
    with pytest.raises(QuestionnaireExportError, match='height_cm: the unit "inches"'):
        question_item(item)
