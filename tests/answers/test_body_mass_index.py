"""Body-mass index: "at least 30" decides exactly on the numbers as typed, and reports show one decimal."""

from __future__ import annotations

import io
import json
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factorcheck.answers.derived import body_mass_index, exact_body_mass_index, facts_from_given
from factorcheck.assessment import assess
from factorcheck.cli.main import main
from factorcheck.engine.durable import DurableEngine
from factorcheck.engine.oracle import Oracle
from factorcheck.rules.loading import load_ruleset

RULESET = load_ruleset()
EVALUATORS = (DurableEngine(RULESET), Oracle(RULESET))


def _exact(height: float, weight: float) -> Fraction:
    return Fraction(str(weight)) * 10000 / Fraction(str(height)) ** 2


def _weights_around_30(height: int | float) -> list[float]:
    """Weights of one decimal from 0.3 kg under to 0.3 kg over BMI 30 at this height."""
    middle = Decimal(str(height)) ** 2 * 30 / 10000
    tenths = int(middle * 10)
    return [float(Decimal(tenths + step) / 10) for step in range(-3, 4)]


HEIGHTS = [*range(100, 231), *(height + 0.5 for height in range(100, 230, 7))]


@pytest.mark.parametrize(("height", "weight"), [(160, 76.8), (110, 36.3), (220, 145.2)])
def test_a_bmi_of_exactly_30_is_excess_weight(height: int, weight: float) -> None:
    """The issue's cases: floating point made them 29.999999999999993; they are 30 and fire."""
    report = assess(
        {"age_years": 40, "heel_pain": True, "knee_pain": False, "height_cm": height, "weight_kg": weight}
    )
    assert [factor["id"] for factor in report["factors"]] == ["excess_weight"]
    assert report["factors"][0]["because"][0]["value"] == 30.0


def test_a_sweep_around_bmi_30_decides_exactly_in_both_evaluators() -> None:
    """Heights of 100 to 230 cm, weights in tenths around BMI 30: excess_weight fires exactly at >= 30."""
    checked = 0
    for height in HEIGHTS:
        for weight in _weights_around_30(height):
            if not 25 <= weight <= 350:
                continue
            facts = facts_from_given(
                {
                    "age_years": 40,
                    "heel_pain": True,
                    "knee_pain": False,
                    "height_cm": height,
                    "weight_kg": weight,
                }
            )
            expected = _exact(height, weight) >= 30
            for evaluator in EVALUATORS:
                assert ("excess_weight" in evaluator.evaluate(facts)) is expected, (height, weight)
            checked += 1
    assert checked > 1000


@settings(max_examples=300, derandomize=True)
@given(
    st.decimals(min_value=100, max_value=230, places=2),
    st.decimals(min_value=25, max_value=350, places=3),
)
def test_the_bmi_is_the_largest_float_not_above_the_exact_value(height: Decimal, weight: Decimal) -> None:
    """Exact arithmetic gives the largest float <= weight / height²; the fast path agrees with it at 30."""
    exact = Fraction(weight) * 10000 / Fraction(height) ** 2
    value = exact_body_mass_index(float(height), float(weight))
    assert Fraction(value) <= exact
    assert Fraction(math.nextafter(value, math.inf)) > exact
    assert (body_mass_index(float(height), float(weight)) >= 30) == (exact >= 30)


def test_human_formats_show_the_bmi_with_one_decimal() -> None:
    """The text and Markdown reports show the BMI rounded to one decimal; JSON keeps the number."""
    answers = json.dumps(
        {"age_years": 40, "heel_pain": True, "knee_pain": False, "height_cm": 171, "weight_kg": 95.3}
    )
    for format_name in ("text", "markdown"):
        stdout = io.StringIO()
        assert main(["check", "-", "--format", format_name], stdin=io.StringIO(answers), stdout=stdout) == 0
        assert "Body-mass index: 32.6" in stdout.getvalue()
    stdout = io.StringIO()
    assert main(["check", "-", "--format", "json"], stdin=io.StringIO(answers), stdout=stdout) == 0
    value = json.loads(stdout.getvalue())["factors"][0]["because"][0]["value"]
    assert isinstance(value, float)
    assert abs(value - 95.3 / 1.71**2) < 1e-12
