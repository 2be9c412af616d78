"""A report's "because" lists only what the person said, or a derived value with the answers behind it."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings

from factorcheck.assessment import assess
from support.answer_sets import answer_sets


def _entries(report: Any) -> list[dict[str, Any]]:
    findings = [
        *report["triage"]["reasons"],
        *report["mechanisms"],
        *report["factors"],
        *report["approaches"],
    ]
    return [entry for finding in findings for entry in finding["because"]]


def test_an_unanswered_diagnosis_is_not_listed_as_no() -> None:
    """possible_inflammatory_condition without inflammatory_diagnosis: no "diagnosed: no" in its because."""
    report = assess(
        {
            "age_years": 40,
            "heel_pain": True,
            "knee_pain": True,
            "heel_pain_side": "both",
            "spa_features": "yes",
        }
    )
    (reason,) = report["triage"]["reasons"]
    assert reason["id"] == "possible_inflammatory_condition"
    assert [entry["item"] for entry in reason["because"]] == [
        "heel_pain",
        "knee_pain",
        "inflammatory_feature_count",
    ]


def test_an_answered_none_is_listed_with_its_answer() -> None:
    """With inflammatory_diagnosis answered "none", the derived "no" is listed, from that answer."""
    report = assess(
        {
            "age_years": 40,
            "heel_pain": True,
            "knee_pain": True,
            "heel_pain_side": "both",
            "spa_features": "yes",
            "inflammatory_diagnosis": ["none"],
        }
    )
    (reason,) = report["triage"]["reasons"]
    assert {"item": "inflammatory_diagnosed", "value": False, "from": ["inflammatory_diagnosis"]} in reason[
        "because"
    ]


@settings(max_examples=300, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer_sets())
def test_every_basis_is_something_the_person_said(answers: dict[str, Any]) -> None:
    """Every entry is an answer given, a rule, or a derived value with the given answers it came from."""
    report = assess(answers)
    for entry in _entries(report):
        if "rule" in entry:
            continue
        if "answer" in entry:
            assert answers[entry["item"]] == entry["answer"]
        else:
            assert entry["from"], entry
            assert all(source in answers for source in entry["from"]), entry
