"""The test-data generators follow the questionnaire: every item comes up answered, and every set is valid."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from factorcheck.answers.validate import find_problems
from support.answer_sets import answer_sets, drawn, never_answered
from support.synthetic import answer_sets as synthetic_answer_sets

BENCH_SEED = 20250902


def test_every_item_comes_up_answered_in_the_seeded_answer_sets() -> None:
    """bench and the batch tests' answer sets answer every item; an item never answered is named."""
    sets = list(synthetic_answer_sets(BENCH_SEED, 3000))
    missing = never_answered(sets)
    assert not missing, f"never answered in 3,000 seeded answer sets (tests/support/synthetic.py): {missing}"


def test_every_item_comes_up_answered_in_the_property_tests_answer_sets() -> None:
    """The property tests' strategy answers every item; an item never answered is named."""
    missing = never_answered(drawn(answer_sets(), 300))
    assert not missing, f"never answered in 300 drawn answer sets (tests/support/answer_sets.py): {missing}"


def test_seeded_answer_sets_are_valid_except_the_ones_broken_on_purpose() -> None:
    """Every seeded answer set is valid, and each one broken on purpose has a problem."""
    for number, raw in enumerate(synthetic_answer_sets(BENCH_SEED, 2000, invalid_every=7), start=1):
        _, problems = find_problems(raw)
        assert bool(problems) == (number % 7 == 0), (number, raw, problems)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer_sets(warning_share=0.3))
def test_drawn_answer_sets_are_valid(raw: dict[str, object]) -> None:
    assert find_problems(raw)[1] == []
