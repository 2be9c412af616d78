"""Values derived from the answers (body-mass index and friends), computed once, in one place."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

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

    values: Mapping[str, Value]
    # For each derived value, the answer items that produced it (for "because ...").
    sources: Mapping[str, tuple[str, ...]]


_SPA_FEATURES = ("spa_features", "inflammatory_back_pain", "other_joint_swelling")
_NOT_A_DIAGNOSIS = ("none", "not_sure")

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


def _bmi(given: Mapping[str, Value]) -> tuple[float, tuple[str, ...]] | None:
    height, weight = given.get("height_cm"), given.get("weight_kg")
    if height is None or weight is None:
        return None
    assert isinstance(height, int | float)
    assert isinstance(weight, int | float)
    metres = height / 100
    return weight / (metres * metres), ("height_cm", "weight_kg")


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


_COMPUTE: dict[str, Callable[[Mapping[str, Value]], tuple[Value, tuple[str, ...]] | None]] = {
    "bmi": _bmi,
    "inflammatory_feature_count": _inflammatory_feature_count,
    "inflammatory_diagnosed": _inflammatory_diagnosed,
}


def facts_from_given(given: Mapping[str, Value]) -> Facts:
    """The facts for the given answers of a validated answer set (see validation.given_answers)."""
    values: dict[str, Value] = dict(given)
    sources: dict[str, tuple[str, ...]] = {}
    for name, compute in _COMPUTE.items():
        result = compute(given)
        if result is not None:
            values[name], sources[name] = result
    return Facts(values=values, sources=sources)
