"""The safety screen: each warning sign, "not sure" as yes, the highest level first, incomplete screens."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from factorcheck.answers.questionnaire import ITEMS_BY_ID, SAFETY_ITEMS
from factorcheck.assessment import Assessor, default_assessor
from factorcheck.engine.oracle import Oracle
from factorcheck.rules.loading import load_ruleset
from factorcheck.rules.ruleset import AllOf, AnyOf, Compare, Condition
from support.answer_sets import answer_sets
from support.spec_logic import TRIAGE, expected_level

BASE: dict[str, Any] = {"age_years": 40, "heel_pain": True, "knee_pain": True}
ORACLE_ASSESSOR = Assessor(load_ruleset(), Oracle(load_ruleset()))
ALL_NO = {item.id: "no" for item in SAFETY_ITEMS if not item.enabled_when}
RULESET = load_ruleset()
SAFETY_IDS = frozenset(item.id for item in SAFETY_ITEMS)


def triage(raw: dict[str, Any]) -> dict[str, Any]:
    return dict(default_assessor().assess(raw)["triage"])


def _single_signs() -> list[tuple[str, dict[str, str], str, str]]:
    """Every triage rule that one warning-sign answer sets off on its own, read from the rule files:
    (item, the answers that make it asked, rule, level). A new sign is tested without a new line here."""
    signs: list[tuple[str, dict[str, str], str, str]] = []
    for rule in RULESET.of_kind("triage"):
        when = rule.when
        if isinstance(when, Compare) and when.name in SAFETY_IDS and when.value == ("yes", "not_sure"):
            context = {c.item: str(c.values[0]) for c in ITEMS_BY_ID[when.name].enabled_when}
            assert rule.level is not None
            signs.append((when.name, context, rule.id, rule.level))
    return signs


SINGLE_SIGNS = _single_signs()


@pytest.mark.parametrize("answer", ["yes", "not_sure"])
@pytest.mark.parametrize(("item", "context", "rule", "level"), SINGLE_SIGNS, ids=[s[2] for s in SINGLE_SIGNS])
def test_each_warning_sign_fires_its_rule_on_yes_and_on_not_sure(
    item: str, context: dict[str, str], rule: str, level: str, answer: str
) -> None:
    """A warning sign answered yes or not sure gives its reason and level, in both evaluators."""
    raw: dict[str, Any] = {**BASE, **ALL_NO, **context, item: answer}
    if item == "rf_diabetic_foot_change":
        raw["heel_pain"] = False  # keep diabetes_with_heel_pain out of the way
    for assessor in (default_assessor(), ORACLE_ASSESSOR):
        result = assessor.assess(raw)["triage"]
        reasons = {reason["id"]: reason for reason in result["reasons"]}
        assert rule in reasons
        assert reasons[rule]["level"] == level
        assert {"item": item, "answer": answer} in reasons[rule]["because"]
        assert result["level"] == expected_level(raw)


def test_injury_and_cannot_bear_weight_is_an_emergency_with_both_reasons() -> None:
    """An injury plus not bearing weight is an emergency; the lower urgent reason is listed too."""
    result = triage({**BASE, **ALL_NO, "rf_recent_injury": "not_sure", "rf_cannot_bear_weight": "yes"})
    assert result["level"] == "emergency"
    assert [reason["id"] for reason in result["reasons"]] == [
        "injury_cannot_bear_weight",
        "cannot_bear_weight",
    ]


def test_highest_level_wins_and_every_reason_is_listed_in_table_order() -> None:
    """Soon, urgent and emergency reasons together give emergency, with all three listed."""
    result = triage(
        {**BASE, **ALL_NO, "rf_systemic": "yes", "rf_knee_locked": "not_sure", "rf_hot_swollen_fever": "yes"}
    )
    assert result["level"] == "emergency"
    assert [reason["id"] for reason in result["reasons"]] == [
        "hot_swollen_with_fever",
        "knee_locked",
        "systemic_symptoms",
    ]
    assert "emergency" in result["action"].lower()


def test_under_18_is_soon_and_says_the_tool_is_for_adults() -> None:
    """A person under 18 gets level soon and is told the tool is written for adults."""
    result = triage({**ALL_NO, "age_years": 17, "heel_pain": True, "knee_pain": False})
    (reason,) = result["reasons"]
    assert (result["level"], reason["id"]) == ("soon", "under_18")
    assert "written for adults" in reason["explanation"]


def test_diabetes_with_heel_pain_is_soon() -> None:
    """Diabetes (or not sure) with heel pain gives level soon; without heel pain it does not."""
    assert triage({**BASE, **ALL_NO, "rf_diabetes": "not_sure"})["level"] == "soon"
    assert triage({**BASE, **ALL_NO, "heel_pain": False, "rf_diabetes": "yes"})["level"] == "routine"


def test_possible_inflammatory_condition_only_without_a_diagnosis() -> None:
    """Two inflammatory signs without a diagnosed condition give level soon; a diagnosis removes it."""
    signs = {"heel_pain_side": "both", "inflammatory_back_pain": "yes"}
    assert triage({**BASE, **ALL_NO, **signs})["level"] == "soon"
    assert triage({**BASE, **ALL_NO, **signs, "inflammatory_diagnosis": ["not_sure"]})["level"] == "soon"
    assert triage({**BASE, **ALL_NO, **signs, "inflammatory_diagnosis": ["gout"]})["level"] == "routine"


def test_complete_screen_with_all_no_is_routine_and_complete() -> None:
    """Every warning-sign question answered no: routine, no reasons, screen complete."""
    result = triage({**BASE, **ALL_NO})
    assert (result["level"], result["reasons"], result["screen_complete"]) == ("routine", [], True)


def test_unanswered_warning_sign_makes_the_screen_incomplete_without_raising_the_level() -> None:
    """A missing warning-sign answer is stated, and does not change the level."""
    raw = {**BASE, **ALL_NO}
    del raw["rf_calf_swelling"]
    result = triage(raw)
    assert result["screen_complete"] is False
    assert result["unanswered_safety_items"] == ["rf_calf_swelling"]
    assert result["level"] == "routine"
    assert "incomplete" in result["screen_note"]


def test_an_enabled_safety_follow_up_left_out_makes_the_screen_incomplete() -> None:
    """After an injury, the knee-swelling follow-up is part of the screen; leaving it out is incomplete."""
    result = triage({**BASE, **ALL_NO, "rf_recent_injury": "yes"})
    assert result["unanswered_safety_items"] == ["rf_rapid_knee_swelling"]
    complete = triage({**BASE, **ALL_NO, "rf_recent_injury": "yes", "rf_rapid_knee_swelling": "no"})
    assert complete["screen_complete"] is True


@settings(max_examples=1500, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(answer_sets(warning_share=0.3))
def test_durable_and_oracle_agree_on_level_and_every_reason(raw: dict[str, Any]) -> None:
    """On answer sets rich in warning signs, both evaluators give the same level and reasons as the spec."""
    durable = default_assessor().assess(raw)
    oracle = ORACLE_ASSESSOR.assess(raw)
    assert durable["triage"] == oracle["triage"]
    assert durable["triage"]["level"] == expected_level(raw)
    assert [r["id"] for r in durable["triage"]["reasons"]] == [
        rule for rule, (_, holds) in TRIAGE.items() if holds(raw)
    ]
    assert durable["consult"] == oracle["consult"]


def _names(condition: Condition) -> set[str]:
    if isinstance(condition, Compare):
        return {condition.name}
    if isinstance(condition, AllOf | AnyOf):
        return set().union(*(_names(part) for part in condition.parts))
    return set()


def test_every_warning_sign_question_is_read_by_a_triage_rule() -> None:
    """No warning-sign question is asked for nothing: each one is tested by at least one triage rule,
    and the single-answer signs found in the rule files include the issue 19 ones."""
    tested = set().union(*(_names(rule.when) for rule in RULESET.of_kind("triage")))
    assert tested >= SAFETY_IDS, sorted(SAFETY_IDS - tested)
    single = {rule for _, _, rule, _ in SINGLE_SIGNS}
    assert {"stroke_signs", "cold_pale_limb", "achilles_snap", "new_leg_weakness", "knee_gives_way"} <= single


CHILD = {**ALL_NO, "age_years": 12, "heel_pain": False, "knee_pain": True}


@pytest.mark.parametrize(
    ("answers", "fires"),
    [
        ({"gait_changed_by_knee": "yes"}, True),
        ({"gait_changed_by_knee": "not_sure"}, True),
        ({"gait_changed_by_knee": "no", "limp_or_foot_turned_out": "yes"}, True),
        ({"knee_pain": False, "thigh_or_hip_pain": "yes", "limp_or_foot_turned_out": "not_sure"}, True),
        ({"knee_pain": False, "thigh_or_hip_pain": "no", "limp_or_foot_turned_out": "yes"}, False),
        ({"gait_changed_by_knee": "no", "limp_or_foot_turned_out": "no"}, False),
        ({"age_years": 8, "gait_changed_by_knee": "yes"}, False),
        ({"age_years": 9, "gait_changed_by_knee": "yes"}, True),
        ({"age_years": 16, "gait_changed_by_knee": "yes"}, True),
        ({"age_years": 17, "gait_changed_by_knee": "yes"}, False),
    ],
)
def test_a_child_with_knee_or_thigh_pain_and_a_limp_is_urgent(answers: dict[str, Any], fires: bool) -> None:
    """Age 9 to 16, knee or thigh pain and a limp or out-turned foot: urgent (a hip problem of growth)."""
    raw = {**CHILD, **answers}
    if raw["age_years"] not in range(9, 17):
        raw.pop("limp_or_foot_turned_out", None)
    for assessor in (default_assessor(), ORACLE_ASSESSOR):
        result = assessor.assess(raw)["triage"]
        ids = [reason["id"] for reason in result["reasons"]]
        assert ("child_knee_pain_with_limp" in ids) is fires
        assert result["level"] == expected_level(raw)
        if fires:
            assert result["level"] == "urgent"


@pytest.mark.parametrize("lump_or_systemic", ["rf_systemic", "rf_bone_lump"])
@pytest.mark.parametrize("answer", ["yes", "not_sure"])
def test_night_pain_with_a_systemic_sign_or_a_lump_is_urgent(lump_or_systemic: str, answer: str) -> None:
    """Pain at rest or at night together with a systemic sign or a hard lump is urgent; each alone is soon."""
    raw = {**BASE, **ALL_NO, "rf_night_rest_pain": answer, lump_or_systemic: answer}
    result = triage(raw)
    assert result["level"] == "urgent"
    assert "night_pain_with_systemic_signs" in [reason["id"] for reason in result["reasons"]]
    for alone in ("rf_night_rest_pain", lump_or_systemic):
        assert triage({**BASE, **ALL_NO, alone: answer})["level"] == "soon"
