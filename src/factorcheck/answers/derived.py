"""Values derived from the answers (body-mass index and friends), computed once, in one place."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

# Item answers are scalars or (inflammatory_diagnosis) a list of choices.
Value = object


@dataclass(frozen=True)
class DerivedValue:
    """A value rules may test like an item; never asked, always computed from answers."""

    name: str
    label: str
    type: str  # "boolean", "integer" or "number": what a rule may compare it with
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Facts:
    """What the rules see: the given answers plus the derived values, and where each came from."""

    values: dict[str, Value]
    # For each derived value, the answer items that produced it (for "because ...").
    sources: dict[str, tuple[str, ...]]


_SPA_FEATURES: Final = ("spa_features", "inflammatory_back_pain", "other_joint_swelling")
# Answers of the diagnosis list that name no inflammatory condition (osteoarthritis is wear and tear).
_NOT_A_DIAGNOSIS: Final = ("none", "not_sure", "osteoarthritis", "arthritis_type_unknown")

DERIVED: tuple[DerivedValue, ...] = (
    DerivedValue("bmi", "Body-mass index", "number", ("height_cm", "weight_kg")),
    DerivedValue(
        "inflammatory_feature_count",
        "Signs that can go with inflammatory arthritis",
        "integer",
        ("heel_pain_side", *_SPA_FEATURES),
    ),
    DerivedValue(
        "inflammatory_diagnosed",
        "A diagnosed inflammatory condition",
        "boolean",
        ("inflammatory_diagnosis",),
    ),
)
DERIVED_BY_NAME: dict[str, DerivedValue] = {d.name: d for d in DERIVED}


def _as_typed(value: int | float) -> tuple[int, int]:
    """The decimal a number was typed as, `(digits, exponent)` with value = digits * 10**exponent.

    A float's repr is the shortest decimal that reads back as it, which is the decimal the JSON
    held (76.8 stays 76.8, where binary arithmetic would see 76.799999999999997).
    """
    if isinstance(value, int):
        return value, 0
    mantissa, _, exponent = repr(value).partition("e")
    whole, _, fraction = mantissa.partition(".")
    return int(whole + fraction), (int(exponent) if exponent else 0) - len(fraction)


def body_mass_index(height_cm: int | float, weight_kg: int | float) -> float:
    """weight / height² (kg/m²) of the numbers as typed, exact wherever a rule's threshold could tell.

    Binary arithmetic makes 76.8 kg at 160 cm 29.999999999999993, under 30. The float quotient
    is within about 1e-14 of the exact one, so only a threshold that close could compare
    differently; a threshold of up to six decimals (30, 27.5) is a whole number of millionths,
    so when the quotient lies within 1e-9 of one, it is computed exactly instead.
    """
    metres = height_cm / 100
    estimate = weight_kg / (metres * metres)
    millionths = estimate * 1e6
    if abs(millionths - round(millionths)) > 1e-3:
        return estimate
    return exact_body_mass_index(height_cm, weight_kg)


def exact_body_mass_index(height_cm: int | float, weight_kg: int | float) -> float:
    """weight / height² of the typed decimals, computed exactly (scaled integers), as the largest
    float not above the exact value: "at least N" and "less than N" then decide exactly."""
    weight, weight_exponent = _as_typed(weight_kg)
    height, height_exponent = _as_typed(height_cm)
    # kg / (cm / 100)² = kg * 10**4 / cm²
    exponent = weight_exponent + 4 - 2 * height_exponent
    numerator, denominator = weight, height * height
    if exponent >= 0:
        numerator *= 10**exponent
    else:
        denominator *= 10**-exponent
    nearest = numerator / denominator  # correctly rounded: may lie just above the exact value
    top, bottom = nearest.as_integer_ratio()
    if top * denominator > numerator * bottom:
        return math.nextafter(nearest, -math.inf)
    return nearest


def _bmi(given: Mapping[str, Value]) -> tuple[float, tuple[str, ...]] | None:
    height, weight = given.get("height_cm"), given.get("weight_kg")
    if height is None or weight is None:
        return None
    assert isinstance(height, int | float)
    assert isinstance(weight, int | float)
    return body_mass_index(height, weight), ("height_cm", "weight_kg")


def given_body_mass_index(given: Mapping[str, Value]) -> float | None:
    """The body-mass index of the given answers, as their facts have it (None without height and weight)."""
    found = _bmi(given)
    return None if found is None else found[0]


def _inflammatory_feature_count(given: Mapping[str, Value]) -> tuple[int, tuple[str, ...]]:
    counted = [name for name in _SPA_FEATURES if given.get(name) == "yes"]
    if given.get("heel_pain_side") == "both":
        counted.insert(0, "heel_pain_side")
    return len(counted), tuple(counted)


def _inflammatory_diagnosed(given: Mapping[str, Value]) -> tuple[bool, tuple[str, ...]]:
    diagnosis = given.get("inflammatory_diagnosis")
    if diagnosis is None:
        return False, ()
    assert isinstance(diagnosis, list)
    return any(entry not in _NOT_A_DIAGNOSIS for entry in diagnosis), ("inflammatory_diagnosis",)


def facts_from_given(given: Mapping[str, Value]) -> Facts:
    """The facts for the given answers of a validated answer set (see validation.given_answers)."""
    values: dict[str, Value] = dict(given)
    sources: dict[str, tuple[str, ...]] = {}
    # Each of DERIVED in turn, called directly (a table of functions costs a generic call each).
    bmi = _bmi(given)
    if bmi is not None:
        values["bmi"], sources["bmi"] = bmi
    count, counted = _inflammatory_feature_count(given)
    values["inflammatory_feature_count"], sources["inflammatory_feature_count"] = count, counted
    diagnosed, diagnosis = _inflammatory_diagnosed(given)
    values["inflammatory_diagnosed"], sources["inflammatory_diagnosed"] = diagnosed, diagnosis
    return Facts(values, sources)
