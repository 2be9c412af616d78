"""The durable engine, the reference evaluator and the spec's own tables agree on random answer sets."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factorcheck.answers.derived import facts_from_given
from factorcheck.answers.questionnaire import ITEMS
from factorcheck.answers.validate import given_answers, parse_answers
from factorcheck.engine.durable import DurableEngine
from factorcheck.engine.oracle import Oracle
from factorcheck.rules.loading import load_ruleset
from support.answer_sets import answer_sets
from support.spec_logic import APPROACHES, FACTORS, MECHANISMS, TRIAGE

RULESET = load_ruleset()
DURABLE = DurableEngine(RULESET)
ORACLE = Oracle(RULESET)
SPEC = {
    **{rule_id: holds for rule_id, (_, holds) in TRIAGE.items()},
    **MECHANISMS,
    **FACTORS,
    **APPROACHES,
}
RUNS = 2000


def test_spec_tables_cover_every_rule() -> None:
    """Every rule in rules/ has a row in the spec transcription, and the reverse."""
    assert set(SPEC) == {rule.id for rule in RULESET.rules}


@st.composite
def with_children(draw: st.DrawFn) -> dict[str, Any]:
    """The shared answer sets, a fifth of them made a child of 9 to 16 with the two items asked
    only then (thigh or hip pain, a limp), so that child_knee_pain_with_limp is exercised too."""
    answers = draw(answer_sets())
    if draw(st.integers(0, 4)) == 0:
        answers["age_years"] = draw(st.integers(9, 16))
        for item in ("thigh_or_hip_pain", "limp_or_foot_turned_out"):
            value = draw(st.sampled_from(("yes", "no", "not_sure", None)))
            if value is not None:
                answers[item] = value
    return answers


def test_engines_agree_and_every_rule_is_exercised() -> None:
    """On thousands of generated answer sets, durable equals the reference evaluator (rules, bases)
    and the spec.

    The generator is biased towards the rules' conditions: each rule must both fire and stay
    quiet on a good share of the sets, or the agreement would prove little.
    """
    fired_counts: Counter[str] = Counter()

    @settings(max_examples=RUNS, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
    @given(with_children())
    def agree(raw: dict[str, Any]) -> None:
        answers = parse_answers(raw)
        facts = facts_from_given(given_answers(answers))
        durable = DURABLE.evaluate(facts)
        assert durable == ORACLE.evaluate(facts)
        assert set(durable) == {rule_id for rule_id, holds in SPEC.items() if holds(raw)}
        fired_counts.update(list(durable))

    agree()
    shares = {rule.id: fired_counts[rule.id] / RUNS for rule in RULESET.rules}
    rarely = {rule_id: share for rule_id, share in shares.items() if not 0.03 <= share <= 0.97}
    assert not rarely, f"rules fired too rarely or too often to be tested well: {rarely}"


@pytest.mark.parametrize("evaluator", [DURABLE, ORACLE], ids=["durable", "oracle"])
def test_an_answer_set_that_matches_no_rule_gives_no_conclusion(evaluator: DurableEngine | Oracle) -> None:
    """A person with no pain and no factors matches no rule at all, and the engine says so."""
    answers = parse_answers({"age_years": 40, "heel_pain": False, "knee_pain": False})
    assert evaluator.evaluate(facts_from_given(given_answers(answers))) == {}


def test_durable_engine_is_reusable_after_many_assessments() -> None:
    """The engine's reused session leaves nothing behind: the same answers give the same result later."""
    answers = parse_answers({"age_years": 40, "heel_pain": True, "knee_pain": True, "calf_tightness": "yes"})
    facts = facts_from_given(given_answers(answers))
    first = DURABLE.evaluate(facts)
    for _ in range(2000):
        DURABLE.evaluate(facts)
    assert DURABLE.evaluate(facts) == first


def test_an_answer_set_that_fires_nearly_every_rule_stays_within_engine_limits() -> None:
    """The worst case for durable's per-fact limits (every rule firing at once) gives every rule."""
    raw: dict[str, Any] = {item.id: "yes" for item in ITEMS if item.type == "yes_no_unsure"}
    raw |= {
        "age_years": 16,
        "heel_pain": True,
        "knee_pain": True,
        "heel_pain_side": "both",
        "heel_pain_weeks": 30,
        "knee_pain_side": "both",
        "symptom_order": "heel_first",
        "knee_alignment": "knock_knees",
        "foot_rolls_in": "yes",
        "height_cm": 150,
        "weight_kg": 120,
        "on_feet_most_of_day": "yes",
        "activity_increase": "yes",
    }
    answers = parse_answers(raw)
    facts = facts_from_given(given_answers(answers))
    fired = DURABLE.evaluate(facts)
    assert fired == ORACLE.evaluate(facts)
    assert list(fired) == [rule.id for rule in RULESET.rules]
