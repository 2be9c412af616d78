"""The outcome spec's tables transcribed by hand into Python: a third, independent statement of truth.

Each function mirrors one row of docs/outcomes.md. The tests check that the rules, as
evaluated by the engine, fire exactly when these say they should.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

A = dict[str, Any]


def flagged(a: A, item: str) -> bool:
    """A safety item counts when answered yes or not_sure."""
    return a.get(item) in ("yes", "not_sure")


def pain(a: A) -> bool:
    return bool(a["heel_pain"] or a["knee_pain"])


def diagnosed(a: A) -> bool:
    not_inflammatory = ("none", "not_sure", "osteoarthritis", "arthritis_type_unknown")
    return any(d not in not_inflammatory for d in a.get("inflammatory_diagnosis", []))


def feature_count(a: A) -> int:
    features = [
        a.get("heel_pain_side") == "both",
        a.get("spa_features") == "yes",
        a.get("inflammatory_back_pain") == "yes",
        a.get("other_joint_swelling") == "yes",
    ]
    return sum(features)


def bmi(a: A) -> Fraction | None:
    """The body-mass index of the numbers as typed, exactly (the spec compares it as given)."""
    if "height_cm" not in a:
        return None
    metres = Fraction(str(a["height_cm"])) / 100
    return Fraction(str(a["weight_kg"])) / (metres * metres)


def systemic_condition(a: A) -> bool:
    return pain(a) and (diagnosed(a) or feature_count(a) >= 2)


def biomechanical_imbalance(a: A) -> bool:
    return pain(a) and (
        a.get("knee_alignment") in ("knock_knees", "bow_legs") or a.get("knee_injury") == "yes"
    )


def compensatory_movement(a: A) -> bool:
    return a["knee_pain"] and a["heel_pain"] and a.get("gait_changed_by_knee") == "yes"


def muscle_imbalance(a: A) -> bool:
    return pain(a) and (a.get("calf_tightness") == "yes" or a.get("hip_front_tightness") == "yes")


def heel_to_knee(a: A) -> bool:
    return (
        a["knee_pain"]
        and a["heel_pain"]
        and a.get("limp_from_heel") == "yes"
        and (a.get("heel_pain_weeks", -1) >= 12 or a.get("symptom_order") == "heel_first")
    )


def overpronation(a: A) -> bool:
    return a.get("foot_rolls_in") in ("yes", "a_little")


def tight_calves(a: A) -> bool:
    return a.get("calf_tightness") == "yes"


def excess_weight(a: A) -> bool:
    value = bmi(a)
    return value is not None and value >= 30


def child_knee_pain_with_limp(a: A) -> bool:
    """Age 9 to 16, knee or thigh pain, and a limp or an out-turned foot (a hip problem of growth)."""
    painful = a["knee_pain"] or flagged(a, "thigh_or_hip_pain")
    limping = flagged(a, "gait_changed_by_knee") or flagged(a, "limp_or_foot_turned_out")
    return 9 <= a["age_years"] <= 16 and painful and limping


def night_pain_with_systemic_signs(a: A) -> bool:
    """Pain at rest or at night with a systemic sign or a hard lump near a bone (NICE NG12)."""
    return flagged(a, "rf_night_rest_pain") and (flagged(a, "rf_systemic") or flagged(a, "rf_bone_lump"))


TRIAGE: dict[str, tuple[str, Callable[[A], bool]]] = {
    "chest_symptoms": ("emergency", lambda a: flagged(a, "rf_breathless_chest_pain")),
    "hot_swollen_with_fever": ("emergency", lambda a: flagged(a, "rf_hot_swollen_fever")),
    "deformity_or_snap": ("emergency", lambda a: flagged(a, "rf_deformity_or_snap")),
    "injury_cannot_bear_weight": (
        "emergency",
        lambda a: flagged(a, "rf_recent_injury") and flagged(a, "rf_cannot_bear_weight"),
    ),
    "stroke_signs": ("emergency", lambda a: flagged(a, "rf_stroke_signs")),
    "saddle_numbness_or_bladder_change": ("emergency", lambda a: flagged(a, "rf_saddle_numbness_or_bladder")),
    "cold_pale_limb": ("emergency", lambda a: flagged(a, "rf_cold_pale_limb")),
    "tight_swollen_leg_after_injury": ("emergency", lambda a: flagged(a, "rf_tight_swollen_after_injury")),
    "cannot_bear_weight": ("urgent", lambda a: flagged(a, "rf_cannot_bear_weight")),
    "knee_locked": ("urgent", lambda a: flagged(a, "rf_knee_locked")),
    "rapid_knee_swelling": ("urgent", lambda a: flagged(a, "rf_rapid_knee_swelling")),
    "calf_swelling": ("urgent", lambda a: flagged(a, "rf_calf_swelling")),
    "diabetic_foot_change": ("urgent", lambda a: flagged(a, "rf_diabetic_foot_change")),
    "achilles_snap": ("urgent", lambda a: flagged(a, "rf_achilles_snap")),
    "spreading_skin_redness": ("urgent", lambda a: flagged(a, "rf_spreading_redness")),
    "new_leg_weakness": ("urgent", lambda a: flagged(a, "rf_new_weakness")),
    "child_knee_pain_with_limp": ("urgent", child_knee_pain_with_limp),
    "night_pain_with_systemic_signs": ("urgent", night_pain_with_systemic_signs),
    "nerve_symptoms": ("soon", lambda a: flagged(a, "rf_numbness_tingling")),
    "night_or_rest_pain": ("soon", lambda a: flagged(a, "rf_night_rest_pain")),
    "systemic_symptoms": ("soon", lambda a: flagged(a, "rf_systemic")),
    "severe_or_worsening": ("soon", lambda a: flagged(a, "rf_severe_or_worsening")),
    "hard_lump": ("soon", lambda a: flagged(a, "rf_bone_lump")),
    "knee_gives_way": ("soon", lambda a: flagged(a, "rf_knee_gives_way")),
    "red_hot_swollen_joint_or_skin": ("soon", lambda a: flagged(a, "rf_red_hot_joint_or_skin")),
    "weak_defences_with_red_hot_joint_or_skin": (
        "soon",
        lambda a: flagged(a, "rf_immunosuppressed") and flagged(a, "rf_red_hot_joint_or_skin"),
    ),
    "diabetes_with_heel_pain": ("soon", lambda a: flagged(a, "rf_diabetes") and a["heel_pain"]),
    "under_18": ("soon", lambda a: a["age_years"] < 18),
    "possible_inflammatory_condition": (
        "soon",
        lambda a: systemic_condition(a) and feature_count(a) >= 2 and not diagnosed(a),
    ),
}

MECHANISMS: dict[str, Callable[[A], bool]] = {
    "biomechanical_imbalance": biomechanical_imbalance,
    "compensatory_movement": compensatory_movement,
    "muscle_imbalance": muscle_imbalance,
    "systemic_condition": systemic_condition,
    "heel_to_knee": heel_to_knee,
}

FACTORS: dict[str, Callable[[A], bool]] = {
    "overpronation": overpronation,
    "tight_calves": tight_calves,
    "excess_weight": excess_weight,
    "prolonged_standing": lambda a: a.get("on_feet_most_of_day") == "yes",
    "load_increase": lambda a: a.get("activity_increase") == "yes",
    "first_step_pain": lambda a: a.get("heel_pain_first_steps") == "yes",
}

APPROACHES: dict[str, Callable[[A], bool]] = {
    "physical_therapy": lambda a: (
        biomechanical_imbalance(a) or compensatory_movement(a) or muscle_imbalance(a) or heel_to_knee(a)
    ),
    "orthotics": lambda a: biomechanical_imbalance(a) or heel_to_knee(a) or overpronation(a),
    "pain_management": pain,
    "treat_knee_pain": lambda a: a["knee_pain"] and (compensatory_movement(a) or biomechanical_imbalance(a)),
    "stretching": lambda a: muscle_imbalance(a) or tight_calves(a),
    "weight_management": excess_weight,
    "rheumatology_review": systemic_condition,
}

LEVEL_RANK = {"routine": 0, "soon": 1, "urgent": 2, "emergency": 3}


def expected_level(a: A) -> str:
    """The highest level of any triage row that holds; routine when none does."""
    levels = [level for level, holds in TRIAGE.values() if holds(a)]
    return max(levels, key=LEVEL_RANK.__getitem__, default="routine")
