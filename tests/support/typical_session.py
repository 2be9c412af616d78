"""The replies of a typical person (both pains, no warning signs), shared by the ask tests."""

from __future__ import annotations

from collections.abc import Mapping

from factorcheck.assessment import default_assessor
from factorcheck.conversation.prompts import Typed
from factorcheck.conversation.session import Session

# A typical person: both pains, no warning signs, every optional question answered (30 prompts). By prompt:
# the safety checklist, then each item by id, then the review. An optional item not named here
# is skipped.
TYPICAL_REPLIES: dict[str, str] = {
    "checklist": "none",  # none of these apply
    "age_years": "52",
    "heel_pain": "yes",
    "heel_pain_first_steps": "yes",
    "heel_pain_side": "left",
    "heel_pain_weeks": "20",
    "knee_pain": "yes",
    "knee_pain_side": "left",
    "knee_pain_weeks": "3 months",  # typed in months
    "symptom_order": "heel first",
    "knee_injury": "no",
    "knee_alignment": "knock knees",
    "gait_changed_by_knee": "yes",
    "limp_from_heel": "yes",
    "pain_now": "6",  # 0 to 10
    "pain_stops": "walking, sport",
    "pain_elsewhere": "none",
    "treatments_tried": "rest, insoles",
    "foot_rolls_in": "a little",
    "calf_tightness": "yes",
    "hip_front_tightness": "not sure",
    "height_cm": "168",
    "weight_kg": "74",
    "on_feet_most_of_day": "yes",
    "activity_increase": "no",
    "inflammatory_diagnosis": "none",
    "spa_features": "no",
    "inflammatory_back_pain": "no",
    "other_joint_swelling": "no",
    "review": "",  # see the report
}


def walk(replies: Mapping[str, str]) -> tuple[str, ...]:
    """The lines typed, in the order `ask` asks, by a person who replies as `replies` says."""
    session = Session(default_assessor())
    typed: list[str] = []
    while not session.finished:
        name = session.prompt().key.removeprefix("item:")
        reply = replies.get(name, "skip")
        outcome = session.reply(Typed(reply))
        if outcome.error:
            raise ValueError(f"{name}: the reply {reply!r} is refused: {outcome.error}")
        typed.append(reply)
    return tuple(typed)


TYPICAL: tuple[str, ...] = walk(TYPICAL_REPLIES)
