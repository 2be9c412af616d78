"""Made-up answer sets, varied and repeatable from a seed, for benchmarks and tests; never real data.

Built from the questionnaire (ITEMS): each item answered in its type and range, follow-ups only
when enabled, paired items together, lists by the list rules. What is not in the questionnaire
is only how often each answer comes up (WEIGHTS below), chosen for plausible proportions: most
people answer "no" to warning signs, many have heel or knee pain or both, some skip optional
items. An item not in WEIGHTS has every allowed answer equally often. A few invalid sets can be
mixed in, each broken in one of the ways people really get wrong.
"""

from __future__ import annotations

import functools
import itertools
import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from factorcheck.answers.questionnaire import EXCLUSIVE_CHOICES, ITEMS, ITEMS_BY_ID, PAIRED_ITEMS, Item

_MISSING = object()
_SEVERAL = "several"  # in a list item's weights: one or two of its non-exclusive choices


@dataclass(frozen=True)
class Weighting:
    """How often an item's answers come up; what the answers may be comes from the questionnaire."""

    # Relative weight of each allowed answer (True/False for a boolean item; for a list item
    # also _SEVERAL); an answer not named weighs 1.
    values: Mapping[object, float] = field(default_factory=dict)
    # The same, instead, when an earlier item has a given answer: ((item, answer), weights).
    given: tuple[tuple[tuple[str, object], Mapping[object, float]], ...] = ()
    # Integer items: the ranges drawn from, each with its weight (default: the item's range).
    bands: tuple[tuple[int, int, float], ...] = ()
    # Number items: a normal distribution (mean, standard deviation), clipped to the range.
    normal: tuple[float, float] | None = None
    # A share left unanswered on top of the person's general skipping.
    unanswered: float = 0.0
    # A warning sign: answered "no" by the (many) people who report no warning sign at all.
    warning_sign: bool = False


_WARNING = Weighting({"yes": 8, "not_sure": 4, "no": 88}, warning_sign=True)
_EVEN = Weighting()


def _yes_unsure(yes: float, unsure: float) -> Weighting:
    return Weighting({"yes": yes, "not_sure": unsure, "no": 100 - yes - unsure})


# Per item, how often each answer comes up (in percent where it reads so).
WEIGHTS: dict[str, Weighting] = {
    "rf_diabetes": _yes_unsure(10, 2),
    "age_years": Weighting(bands=((1, 17, 2), (18, 95, 98))),
    # 65% have heel pain, 52% knee pain, 25% both: knee pain depends on heel pain.
    "heel_pain": Weighting({True: 65, False: 35}),
    "knee_pain": Weighting(
        given=((("heel_pain", True), {True: 25, False: 40}), (("heel_pain", False), {True: 27, False: 8}))
    ),
    "heel_pain_first_steps": _yes_unsure(60, 15),
    "heel_pain_weeks": Weighting(bands=((0, 12, 1), (12, 104, 1), (0, 520, 1))),
    "knee_injury": _yes_unsure(15, 10),
    "knee_alignment": Weighting({"straight": 6, "knock_knees": 1, "bow_legs": 1, "not_sure": 2}),
    "gait_changed_by_knee": _yes_unsure(35, 15),
    "limp_from_heel": _yes_unsure(30, 15),
    "calf_tightness": _yes_unsure(35, 20),
    "hip_front_tightness": _yes_unsure(25, 20),
    "height_cm": Weighting(normal=(170, 10)),
    # Independent of height: a body-mass index of about 27 on average, over 30 for about a third.
    "weight_kg": Weighting(normal=(78, 13)),
    "activity_increase": Weighting({"yes": 1, "no": 2}),
    "inflammatory_diagnosis": Weighting({"none": 55, "not_sure": 10, _SEVERAL: 15}, unanswered=0.2),
    "spa_features": _yes_unsure(12, 10),
    "inflammatory_back_pain": _yes_unsure(12, 10),
    "other_joint_swelling": _yes_unsure(12, 10),
}


def weighting(item: Item) -> Weighting:
    """The item's weighting: from WEIGHTS, else a warning sign's for the safety screen, else even."""
    if item.id in WEIGHTS:
        return WEIGHTS[item.id]
    return _WARNING if item.is_safety_item else _EVEN


_WEIGHTINGS = {item.id: weighting(item) for item in ITEMS}


def _enabled(item: Item, answers: Mapping[str, object]) -> bool:
    return all(c.holds(answers.get(c.item, _MISSING)) for c in item.enabled_when)


def _range(item: Item) -> tuple[float, float]:
    if item.minimum is None or item.maximum is None:
        raise ValueError(f"{item.id} has no range")
    return item.minimum, item.maximum


@functools.cache
def _cumulative(item_id: str, variant: int, choices: tuple[object, ...]) -> tuple[float, ...]:
    """The cumulative weights of `choices` (variant -1: the item's own, else that `given` entry's)."""
    weights = weighting(ITEMS_BY_ID[item_id])
    values = weights.values if variant < 0 else weights.given[variant][1]
    return tuple(itertools.accumulate(values.get(choice, 1) for choice in choices))


def _value(rng: random.Random, item: Item, answers: Mapping[str, object]) -> object:
    weights = _WEIGHTINGS[item.id]
    variant = -1
    for index, ((earlier, answer), _) in enumerate(weights.given):
        if answers.get(earlier, _MISSING) == answer:
            variant = index

    def pick(choices: tuple[object, ...]) -> object:
        return rng.choices(choices, cum_weights=_cumulative(item.id, variant, choices))[0]

    if item.type == "boolean":
        return pick((True, False))
    if item.type == "integer":
        bottom, top = _range(item)
        bands = weights.bands or ((int(bottom), int(top), 1.0),)
        low, high, _ = rng.choices(bands, [band[2] for band in bands])[0]
        return rng.randint(low, high)
    if item.type == "number":
        lowest, highest = _range(item)
        mean, spread = weights.normal or ((lowest + highest) / 2, (highest - lowest) / 6)
        number = min(highest, max(lowest, rng.gauss(mean, spread)))
        return round(number) if rng.random() < 0.5 else round(number, 1)
    if item.type == "choices":
        several = [choice for choice in item.choices if choice not in EXCLUSIVE_CHOICES]
        alone = tuple(choice for choice in item.choices if choice in EXCLUSIVE_CHOICES)
        picked = pick((*alone, _SEVERAL))
        return rng.sample(several, rng.choice((1, 1, 2))) if picked == _SEVERAL else [picked]
    return pick(item.choices)


_PAIRS = dict(PAIRED_ITEMS)
_ORDER = {item.id: place for place, item in enumerate(ITEMS)}
# Per item asked on its own (the second of a pair is answered with the first): the item, its
# weighting and its partner, if any.
_ASKED = tuple(
    (item, weighting(item), ITEMS_BY_ID[_PAIRS[item.id]] if item.id in _PAIRS else None)
    for item in ITEMS
    if item.id not in _PAIRS.values()
)

_PAIRS_ADJACENT = all(_ORDER[second] == _ORDER[first] + 1 for first, second in PAIRED_ITEMS)


def answer_set(rng: random.Random) -> dict[str, object]:
    """One valid answer set, in questionnaire order."""
    answers: dict[str, object] = {}
    skip = rng.choice((0.0, 0.05, 0.3))  # some people answer everything, some skip a lot
    warning = rng.random() < 0.15  # a minority reports any warning sign at all
    for item, weights, partner in _ASKED:
        if item.enabled_when and not _enabled(item, answers):
            continue
        left_out = weights.unanswered and rng.random() < weights.unanswered
        if not item.required and (rng.random() < skip or left_out):
            continue
        if weights.warning_sign and not warning:
            answers[item.id] = "no"
            continue
        answers[item.id] = _value(rng, item, answers)
        if partner is not None:
            answers[partner.id] = _value(rng, partner, answers)
    if _PAIRS_ADJACENT:
        return answers
    # The second of a pair may come later in questionnaire order than items answered after it.
    return dict(sorted(answers.items(), key=lambda pair: _ORDER[pair[0]]))


def _break(rng: random.Random, answers: dict[str, object]) -> dict[str, object]:
    """The same answer set made invalid in one common way."""
    broken = dict(answers)
    way = rng.randrange(6)
    if way == 0:
        broken[_WHOLE.id] = float(broken[_WHOLE.id])  # type: ignore[arg-type]
    elif way == 1:
        broken[rng.choice(_YES_NO_UNSURE)[:-1]] = "yes"  # an item id misspelt
    elif way == 2:
        broken[_BOOLEAN] = "yes"
    elif way == 3:
        broken[_WHOLE.id] = int(_range(_WHOLE)[1]) + 30
    elif way == 4:
        first, second = _PAIR
        broken.pop(second.id, None)
        broken[first.id] = round(sum(_range(first)) / 2)
    else:
        broken[_FOLLOW_UP.enabled_when[0].item] = False
        broken[_FOLLOW_UP.id] = _FOLLOW_UP.choices[0]
    return broken


# What _break breaks: a required whole number, a yes/no/not sure item's id, a boolean item, the
# first pair, and a follow-up asked when a boolean item is true.
_WHOLE = next(item for item in ITEMS if item.type == "integer" and item.required)
_YES_NO_UNSURE = [item.id for item in ITEMS if item.type == "yes_no_unsure" and not item.is_safety_item]
_BOOLEAN = next(item.id for item in ITEMS if item.type == "boolean")
_PAIR = (ITEMS_BY_ID[PAIRED_ITEMS[0][0]], ITEMS_BY_ID[PAIRED_ITEMS[0][1]])
_FOLLOW_UP = next(
    item
    for item in ITEMS
    if item.choices and item.enabled_when[:1] and item.enabled_when[0].values == (True,)
)


def answer_sets(seed: int, count: int, invalid_every: int = 0) -> Iterator[dict[str, object]]:
    """`count` answer sets from `seed`; with `invalid_every` N, every Nth one is made invalid."""
    rng = random.Random(seed)
    for number in range(1, count + 1):
        answers = answer_set(rng)
        yield _break(rng, answers) if invalid_every and number % invalid_every == 0 else answers
