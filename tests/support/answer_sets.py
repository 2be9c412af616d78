"""Hypothesis strategies for valid answer sets, biased so that every rule fires on a good share."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from factorcheck.answers.questionnaire import ITEMS, ITEMS_BY_ID

YES_NO_UNSURE = ("yes", "no", "not_sure")
# Gait changes gate the two rarest links, so "yes" is drawn for them more often.
MOSTLY_YES = ("yes", "yes", "no", "not_sure")
DIAGNOSES = ITEMS_BY_ID["inflammatory_diagnosis"].choices[:-2]

# Heights and weights that land exactly on, just under and just over a body-mass index of 30.
BMI_EDGES = ((100, 30), (200, 120), (170, 86.7), (170, 86.6), (150.5, 67.95), (160, 76.8))


def _maybe(values: st.SearchStrategy[Any], answered: float) -> st.SearchStrategy[Any]:
    """Either a value or None (not answered); `answered` is roughly the share answered."""
    weight = max(1, round(10 * answered))
    return st.one_of(*([values] * weight), *([st.none()] * (10 - weight)))


@st.composite
def answer_sets(draw: st.DrawFn, warning_share: float = 0.15) -> dict[str, Any]:
    """A valid answer set: follow-ups only when enabled, height with weight, valid lists."""
    answers: dict[str, Any] = {}
    for item in ITEMS:
        if item.part != 1 or item.enabled_when:
            continue
        flagged = draw(st.floats(0, 1)) < warning_share
        value = draw(st.sampled_from(("yes", "not_sure")) if flagged else _maybe(st.just("no"), 0.8))
        if value is not None:
            answers[item.id] = value
    if answers.get("rf_recent_injury") in ("yes", "not_sure"):
        answers["rf_rapid_knee_swelling"] = draw(_maybe(st.sampled_from(YES_NO_UNSURE), 0.8))
    if answers.get("rf_diabetes") in ("yes", "not_sure"):
        answers["rf_diabetic_foot_change"] = draw(_maybe(st.sampled_from(YES_NO_UNSURE), 0.8))

    answers["age_years"] = draw(
        st.one_of(st.integers(18, 90), st.integers(1, 120), st.sampled_from((17, 18)))
    )
    # Pain is drawn more often than not: most rules need it, and "no pain" still comes up often.
    heel = answers["heel_pain"] = draw(st.sampled_from((True, True, False)))
    knee = answers["knee_pain"] = draw(st.sampled_from((True, True, False)))
    if heel:
        answers["heel_pain_first_steps"] = draw(_maybe(st.sampled_from(YES_NO_UNSURE), 0.8))
        answers["heel_pain_side"] = draw(_maybe(st.sampled_from(("left", "right", "both")), 0.8))
        answers["heel_pain_weeks"] = draw(
            _maybe(st.one_of(st.integers(0, 520), st.sampled_from((11, 12))), 0.8)
        )
        answers["limp_from_heel"] = draw(_maybe(st.sampled_from(MOSTLY_YES), 0.8))
    if knee:
        answers["knee_pain_side"] = draw(_maybe(st.sampled_from(("left", "right", "both")), 0.8))
        answers["gait_changed_by_knee"] = draw(_maybe(st.sampled_from(MOSTLY_YES), 0.8))
    if heel and knee:
        answers["symptom_order"] = draw(
            _maybe(st.sampled_from(("knee_first", "heel_first", "same_time", "not_sure")), 0.8)
        )
    answers["knee_injury"] = draw(_maybe(st.sampled_from(YES_NO_UNSURE), 0.8))
    answers["knee_alignment"] = draw(
        _maybe(st.sampled_from(("straight", "knock_knees", "bow_legs", "not_sure")), 0.8)
    )
    answers["foot_rolls_in"] = draw(_maybe(st.sampled_from(("yes", "a_little", "no", "not_sure")), 0.8))
    answers["calf_tightness"] = draw(_maybe(st.sampled_from(YES_NO_UNSURE), 0.8))
    answers["hip_front_tightness"] = draw(_maybe(st.sampled_from(YES_NO_UNSURE), 0.8))
    body = draw(
        _maybe(
            st.one_of(
                st.tuples(st.integers(100, 230), st.integers(25, 350)),
                st.tuples(st.floats(100, 230), st.floats(25, 350)),
                st.sampled_from(BMI_EDGES),
            ),
            0.7,
        )
    )
    if body is not None:
        answers["height_cm"], answers["weight_kg"] = body
    answers["on_feet_most_of_day"] = draw(_maybe(st.sampled_from(("yes", "no")), 0.8))
    answers["activity_increase"] = draw(_maybe(st.sampled_from(("yes", "no")), 0.8))
    answers["inflammatory_diagnosis"] = draw(
        _maybe(
            st.one_of(
                st.sampled_from((["none"], ["not_sure"])),
                st.lists(st.sampled_from(DIAGNOSES), min_size=1, max_size=3, unique=True),
            ),
            0.7,
        )
    )
    for name in ("spa_features", "inflammatory_back_pain", "other_joint_swelling"):
        answers[name] = draw(_maybe(st.sampled_from(YES_NO_UNSURE), 0.7))
    return {name: value for name, value in answers.items() if value is not None}
