"""Answer sets recorded before rule set 2.0.0 give the same results today, apart from the two
combination rules that issue 19 added on purpose (tests/data/README.md says how they were made)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from factorcheck.assessment import Assessor, default_assessor
from factorcheck.engine.oracle import Oracle
from factorcheck.rules.loading import load_ruleset

RECORDED = Path(__file__).parent / "data" / "replay_before.jsonl"
RULESET = load_ruleset()
TRIAGE_ORDER = [rule.id for rule in RULESET.of_kind("triage")]
# The two rules of rule set 2.0.0 that can fire on answers given before it (each from today's items).
COMBINATIONS = ("child_knee_pain_with_limp", "night_pain_with_systemic_signs")


def _flagged(answers: dict[str, Any], item: str) -> bool:
    return answers.get(item) in ("yes", "not_sure")


def _combinations_holding(answers: dict[str, Any]) -> list[str]:
    """Which combination rules hold on an answer set of before 2.0.0, by the issue's own words."""
    holding = []
    if 9 <= answers["age_years"] <= 16 and answers["knee_pain"] and _flagged(answers, "gait_changed_by_knee"):
        holding.append("child_knee_pain_with_limp")
    if _flagged(answers, "rf_night_rest_pain") and _flagged(answers, "rf_systemic"):
        holding.append("night_pain_with_systemic_signs")
    return holding


def _records() -> list[dict[str, Any]]:
    with RECORDED.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


RECORDS = _records()
RANK = {"routine": 0, "soon": 1, "urgent": 2, "emergency": 3}


def _expected(record: dict[str, Any]) -> dict[str, Any]:
    added = _combinations_holding(record["answers"])
    expected = {key: record[key] for key in ("level", "reasons", "mechanisms", "factors", "approaches")}
    if added:
        expected["reasons"] = sorted([*record["reasons"], *added], key=TRIAGE_ORDER.index)
        expected["level"] = max(record["level"], "urgent", key=RANK.__getitem__)
    return expected


def _now(assessor: Assessor, answers: dict[str, Any]) -> dict[str, Any]:
    report = assessor.assess(answers)
    return {
        "level": report["triage"]["level"],
        "reasons": [reason["id"] for reason in report["triage"]["reasons"]],
        "mechanisms": [finding["id"] for finding in report["mechanisms"]],
        "factors": [finding["id"] for finding in report["factors"]],
        "approaches": [finding["id"] for finding in report["approaches"]],
    }


def test_the_recording_holds_what_its_readme_says() -> None:
    """2,623 answer sets, the shipped examples among them, and combination cases of both kinds."""
    assert len(RECORDS) == 2623
    assert sum(record["source"].startswith("examples/") for record in RECORDS) == 8
    changed = [record for record in RECORDS if _combinations_holding(record["answers"])]
    for rule in COMBINATIONS:
        assert any(rule in _combinations_holding(record["answers"]) for record in changed)
    # Some of them really change level (soon before, urgent now), not only add a reason.
    assert any(_expected(record)["level"] != record["level"] for record in changed)


@pytest.mark.parametrize("evaluator", ["durable", "oracle"])
def test_answer_sets_of_before_give_the_same_results_but_for_the_combination_rules(evaluator: str) -> None:
    """Same level, reasons, links, factors and approaches as recorded under rule set 1.0.1; where a
    combination rule holds, the level rises to at least urgent with the new reason beside the old."""
    assessor = default_assessor() if evaluator == "durable" else Assessor(RULESET, Oracle(RULESET))
    differences = []
    for record in RECORDS:
        now, expected = _now(assessor, record["answers"]), _expected(record)
        if now != expected:
            differences.append((record["source"], expected, now))
    assert not differences, differences[:5]


def test_only_the_combination_rules_change_anything() -> None:
    """The sets whose results changed are exactly those on which a combination rule holds."""
    assessor = default_assessor()
    changed = {
        record["source"]
        for record in RECORDS
        if _now(assessor, record["answers"])["reasons"] != record["reasons"]
    }
    expected = {record["source"] for record in RECORDS if _combinations_holding(record["answers"])}
    assert changed == expected
