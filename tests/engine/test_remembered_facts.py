"""What the durable engine remembers: numbers written by class, facts decided once, results unchanged."""

from __future__ import annotations

import math
import operator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factorcheck.answers.derived import Facts, facts_from_given
from factorcheck.answers.questionnaire import ITEMS
from factorcheck.answers.validate import given_answers, parse_answers
from factorcheck.engine.durable import DurableEngine, representative
from factorcheck.engine.oracle import Oracle
from factorcheck.rules.loading import load_ruleset
from support.answer_sets import answer_sets
from support.synthetic import answer_sets as synthetic_answer_sets

RULESET = load_ruleset()
ORACLE = Oracle(RULESET)
# Made once: each engine holds a durable ruleset for the life of the process.
REMEMBERING, ASKING = DurableEngine(RULESET), DurableEngine(RULESET, remembered=0)
COMPARISONS = (operator.lt, operator.le, operator.gt, operator.ge, operator.eq, operator.ne)
# Each number field rules compare, with its thresholds, as the engine writes it.
NUMBER_FIELDS = {
    name: thresholds for group in DurableEngine(RULESET).groups for name, _, thresholds in group.numbers
}


def _facts(raw: dict[str, Any]) -> Facts:
    return facts_from_given(given_answers(parse_answers(raw)))


def _near(thresholds: tuple[float, ...]) -> st.SearchStrategy[float]:
    """Numbers at each threshold, a float step either side of it, and anywhere around them."""
    edges = [
        edge
        for threshold in thresholds
        for edge in (threshold, math.nextafter(threshold, -math.inf), math.nextafter(threshold, math.inf))
    ]
    low, high = min(thresholds) - 50, max(thresholds) + 50
    anywhere = st.floats(low, high) | st.integers(int(low), int(high))
    return st.sampled_from(edges) | anywhere | st.sampled_from([t - 1 for t in thresholds])


def test_the_shipped_rules_compare_numbers_that_the_engine_writes_by_class() -> None:
    assert NUMBER_FIELDS, "no rule compares a number: nothing here is tested"
    assert all(thresholds == tuple(sorted(set(thresholds))) for thresholds in NUMBER_FIELDS.values())


@pytest.mark.parametrize("field", sorted(NUMBER_FIELDS))
def test_a_representative_compares_with_every_threshold_as_the_number_does(field: str) -> None:
    thresholds = NUMBER_FIELDS[field]

    @settings(max_examples=300, deadline=None)
    @given(_near(thresholds))
    def compares_the_same(value: float) -> None:
        stand_in = representative(value, thresholds)
        for threshold in thresholds:
            for compare in COMPARISONS:
                assert compare(stand_in, threshold) == compare(value, threshold), (value, stand_in)

    compares_the_same()


def test_answer_sets_that_differ_only_within_a_class_are_one_fact() -> None:
    engine = ASKING
    lighter = {"age_years": 40, "heel_pain": True, "knee_pain": False, "height_cm": 170, "weight_kg": 95}
    heavier = {**lighter, "weight_kg": 110}
    at_30 = {**lighter, "height_cm": 160, "weight_kg": 76.8}
    assert engine.fact_texts(_facts(lighter).values) == engine.fact_texts(_facts(heavier).values)
    assert engine.fact_texts(_facts(at_30).values) != engine.fact_texts(_facts(lighter).values)


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(answer_sets(), min_size=1, max_size=6))
def test_remembered_and_fresh_evaluations_equal_the_oracle(raws: list[dict[str, Any]]) -> None:
    """Each set evaluated twice (the second time from memory) by an engine that remembers, once
    by one that never does: all equal the reference evaluator, rules and bases."""
    for facts in [_facts(raw) for raw in raws] * 2:
        expected = ORACLE.evaluate(facts)
        assert REMEMBERING.evaluate(facts) == expected
        assert ASKING.evaluate(facts) == expected
    assert not any(group.decided for group in ASKING.groups)


AGE_FOLLOW_UPS = [item for item in ITEMS if any(c.item == "age_years" for c in item.enabled_when)]


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(answer_sets())
def test_numbers_on_either_side_of_each_threshold_are_decided_as_the_oracle_decides(
    raw: dict[str, Any],
) -> None:
    """Ages and heel-pain weeks at, under and over their thresholds, each twice (then remembered);
    the body-mass index around 30 is swept in test_body_mass_index.py."""
    engine = REMEMBERING
    for age in (17, 18, 19):
        for weeks in (11, 12, 13):
            if "heel_pain_weeks" in raw:
                raw["heel_pain_weeks"] = weeks
            raw["age_years"] = age
            # Follow-ups asked only at some ages (9 to 16) are left out at the others.
            for item in AGE_FOLLOW_UPS:
                if not all(c.holds(raw.get(c.item)) for c in item.enabled_when):
                    raw.pop(item.id, None)
            facts = _facts(raw)
            assert engine.evaluate(facts) == ORACLE.evaluate(facts)
            assert engine.evaluate(facts) == ORACLE.evaluate(facts)


def test_changing_an_evaluation_that_was_handed_out_changes_nothing_remembered() -> None:
    engine = DurableEngine(RULESET)
    facts = _facts({"age_years": 40, "heel_pain": True, "knee_pain": True, "calf_tightness": "yes"})
    first = engine.evaluate(facts)
    expected = dict(first)
    first.clear()
    engine.evaluate(facts).clear()
    assert engine.evaluate(facts) == expected == ORACLE.evaluate(facts)


def test_the_table_of_decided_facts_stays_within_its_bound_and_later_facts_are_still_right() -> None:
    engine = DurableEngine(RULESET, remembered=8)
    for facts in [_facts(raw) for raw in synthetic_answer_sets(seed=7, count=200)] * 2:
        assert engine.evaluate(facts) == ORACLE.evaluate(facts)
    assert max(len(group.decided) for group in engine.groups) == 8
