"""Made-up answer sets, varied and repeatable from a seed, for benchmarks and tests; never real data.

The answer sets follow the questionnaire's rules (follow-ups only when enabled, height and weight
together, list rules), with plausible proportions: most people answer "no" to warning signs,
many have heel or knee pain or both, some skip optional items. A few invalid ones can be mixed
in, each broken in one of the ways people really get wrong.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from factorcheck.answers.questionnaire import ITEMS, SAFETY_ITEMS

_DIAGNOSES = (
    "rheumatoid_arthritis",
    "psoriatic_arthritis",
    "axial_spondyloarthritis",
    "gout",
    "other_inflammatory_arthritis",
)
_CHOICE_ITEMS = {item.id: item.choices for item in ITEMS}


def _yes_no_unsure(rng: random.Random, yes: float, unsure: float) -> str:
    draw = rng.random()
    return "yes" if draw < yes else "not_sure" if draw < yes + unsure else "no"


def answer_set(rng: random.Random) -> dict[str, object]:
    """One valid answer set, in questionnaire order."""
    answers: dict[str, object] = {}
    skip = rng.choice((0.0, 0.05, 0.3))  # some people answer everything, some skip a lot

    def ask(item_id: str, value: object) -> None:
        if rng.random() >= skip:
            answers[item_id] = value

    warning = rng.random() < 0.15  # a minority reports any warning sign at all
    for item in SAFETY_ITEMS:
        if item.id == "rf_rapid_knee_swelling" and answers.get("rf_recent_injury") not in ("yes", "not_sure"):
            continue
        if item.id == "rf_diabetic_foot_change" and answers.get("rf_diabetes") not in ("yes", "not_sure"):
            continue
        if item.id == "rf_diabetes":
            ask(item.id, _yes_no_unsure(rng, 0.1, 0.02))
        else:
            ask(item.id, _yes_no_unsure(rng, 0.08, 0.04) if warning else "no")

    answers["age_years"] = rng.randint(1, 17) if rng.random() < 0.02 else rng.randint(18, 95)
    pain = rng.random()
    heel, knee = pain < 0.65, 0.4 < pain < 0.92
    answers["heel_pain"] = heel
    if heel:
        ask("heel_pain_first_steps", _yes_no_unsure(rng, 0.6, 0.15))
        ask("heel_pain_side", rng.choice(("left", "right", "both")))
        ask("heel_pain_weeks", rng.choice((rng.randint(0, 12), rng.randint(12, 104), rng.randint(0, 520))))
    answers["knee_pain"] = knee
    if knee:
        ask("knee_pain_side", rng.choice(("left", "right", "both")))
    if heel and knee:
        ask("symptom_order", rng.choice(_CHOICE_ITEMS["symptom_order"]))
    ask("knee_injury", _yes_no_unsure(rng, 0.15, 0.1))
    ask("knee_alignment", rng.choices(_CHOICE_ITEMS["knee_alignment"], (6, 1, 1, 2))[0])
    if knee:
        ask("gait_changed_by_knee", _yes_no_unsure(rng, 0.35, 0.15))
    if heel:
        ask("limp_from_heel", _yes_no_unsure(rng, 0.3, 0.15))

    ask("foot_rolls_in", rng.choice(_CHOICE_ITEMS["foot_rolls_in"]))
    ask("calf_tightness", _yes_no_unsure(rng, 0.35, 0.2))
    ask("hip_front_tightness", _yes_no_unsure(rng, 0.25, 0.2))
    if rng.random() >= skip:
        height = min(230.0, max(100.0, rng.gauss(170, 10)))
        bmi = min(60.0, max(15.0, rng.gauss(27, 5)))
        weight = min(350.0, max(25.0, bmi * (height / 100) ** 2))
        if rng.random() < 0.5:
            answers["height_cm"], answers["weight_kg"] = round(height), round(weight)
        else:
            answers["height_cm"], answers["weight_kg"] = round(height, 1), round(weight, 1)
    ask("on_feet_most_of_day", rng.choice(("yes", "no")))
    ask("activity_increase", rng.choice(("yes", "no", "no")))

    draw = rng.random()
    if draw < 0.55:
        ask("inflammatory_diagnosis", ["none"])
    elif draw < 0.65:
        ask("inflammatory_diagnosis", ["not_sure"])
    elif draw < 0.8:
        ask("inflammatory_diagnosis", rng.sample(_DIAGNOSES, rng.choice((1, 1, 2))))
    for item_id in ("spa_features", "inflammatory_back_pain", "other_joint_swelling"):
        ask(item_id, _yes_no_unsure(rng, 0.12, 0.1))
    return answers


def _break(rng: random.Random, answers: dict[str, object]) -> dict[str, object]:
    """The same answer set made invalid in one common way."""
    broken = dict(answers)
    way = rng.randrange(6)
    if way == 0:
        broken["age_years"] = float(broken["age_years"])  # type: ignore[arg-type]
    elif way == 1:
        broken["calf_tightnes"] = "yes"
    elif way == 2:
        broken["heel_pain"] = "yes"
    elif way == 3:
        broken["age_years"] = 150
    elif way == 4:
        broken.pop("weight_kg", None)
        broken["height_cm"] = 170
    else:
        broken["heel_pain"] = False
        broken["heel_pain_side"] = "left"
    return broken


def answer_sets(seed: int, count: int, invalid_every: int = 0) -> Iterator[dict[str, object]]:
    """`count` answer sets from `seed`; with `invalid_every` N, every Nth one is made invalid."""
    rng = random.Random(seed)
    for number in range(1, count + 1):
        answers = answer_set(rng)
        yield _break(rng, answers) if invalid_every and number % invalid_every == 0 else answers
