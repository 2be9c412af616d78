"""Derived values: each one DERIVED declares is computed, with its sources, and nothing else is added."""

from __future__ import annotations

from factorcheck.answers.derived import DERIVED, facts_from_given
from factorcheck.answers.validate import given_answers, parse_answers
from support.synthetic import answer_sets

NAMES = {value.name for value in DERIVED}


def test_facts_hold_the_answers_and_every_declared_derived_value() -> None:
    """The body-mass index needs height and weight; the others are always there."""
    for raw in answer_sets(seed=11, count=300):
        given = given_answers(parse_answers(raw))
        facts = facts_from_given(given)
        expected = NAMES if {"height_cm", "weight_kg"} <= given.keys() else NAMES - {"bmi"}
        assert {name: facts.values[name] for name in given} == given
        assert set(facts.values) - set(given) == set(facts.sources) == expected
        for value in DERIVED:
            if value.name in facts.sources:
                assert set(facts.sources[value.name]) <= set(value.sources)
