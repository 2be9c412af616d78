"""Hypothesis strategies for valid answer sets, biased so that every rule fires on a good share.

Built from the questionnaire (ITEMS): each item drawn in its type and range, follow-ups only when
enabled, paired items together, lists by the list rules. Only the weightings are set here, per
item, in FAVOURED: answers drawn more often, and values at the rules' thresholds. An item not in
the table has every allowed answer equally often, and is answered 4 times in 5.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from factorcheck.answers.questionnaire import EXCLUSIVE_CHOICES, ITEMS, ITEMS_BY_ID, PAIRED_ITEMS, Item

YES_NO_UNSURE = ("yes", "no", "not_sure")
_MISSING = object()


@dataclass(frozen=True)
class Favoured:
    """How one item is drawn beyond what the questionnaire allows."""

    # Answers drawn this many times as often as the others (each other answer counts once).
    often: Mapping[object, int] | None = None
    # Whole numbers drawn besides the item's range: a likely band, and values at thresholds.
    band: tuple[int, int] | None = None
    edges: tuple[object, ...] = ()
    # The share answered, for an item that is not required.
    answered: float = 0.8


# Gait changes gate the two rarest links, so "yes" is drawn for them more often; pain is drawn more
# often than not (most rules need it, and "no pain" still comes up often).
FAVOURED: dict[str, Favoured] = {
    "age_years": Favoured(band=(18, 90), edges=(9, 16, 17, 18)),
    "heel_pain": Favoured(often={True: 2}),
    "knee_pain": Favoured(often={True: 2}),
    "heel_pain_weeks": Favoured(edges=(11, 12)),
    "gait_changed_by_knee": Favoured(often={"yes": 2}),
    "limp_from_heel": Favoured(often={"yes": 2}),
    "height_cm": Favoured(answered=0.7),
    "inflammatory_diagnosis": Favoured(answered=0.7),
    "spa_features": Favoured(answered=0.7),
    "inflammatory_back_pain": Favoured(answered=0.7),
    "other_joint_swelling": Favoured(answered=0.7),
}
# Heights and weights that land exactly on, just under and just over a body-mass index of 30.
PAIR_EDGES: dict[tuple[str, str], tuple[tuple[object, object], ...]] = {
    ("height_cm", "weight_kg"): (
        (100, 30),
        (200, 120),
        (170, 86.7),
        (170, 86.6),
        (150.5, 67.95),
        (160, 76.8),
    ),
}
_PLAIN = Favoured()


def _maybe(values: st.SearchStrategy[Any], answered: float) -> st.SearchStrategy[Any]:
    """Either a value or None (not answered); `answered` is roughly the share answered."""
    weight = max(1, round(10 * answered))
    return st.one_of(*([values] * weight), *([st.none()] * (10 - weight)))


def _range(item: Item) -> tuple[float, float]:
    if item.minimum is None or item.maximum is None:
        raise ValueError(f"{item.id} has no range")
    return item.minimum, item.maximum


def item_values(item: Item) -> st.SearchStrategy[Any]:
    """Any value `item` accepts, drawn as FAVOURED says."""
    favoured = FAVOURED.get(item.id, _PLAIN)
    if item.type in ("integer", "number"):
        low, high = _range(item)
        whole = st.integers(int(low), int(high))
        drawn = st.one_of(whole, st.floats(low, high)) if item.type == "number" else whole
        bands = [st.integers(*favoured.band)] if favoured.band else []
        edges = [st.sampled_from(favoured.edges)] if favoured.edges else []
        return st.one_of(*bands, drawn, *edges)
    if item.type == "choices":
        several = [choice for choice in item.choices if choice not in EXCLUSIVE_CHOICES]
        alone = [[choice] for choice in item.choices if choice in EXCLUSIVE_CHOICES]
        return st.one_of(
            st.sampled_from(alone), st.lists(st.sampled_from(several), min_size=1, max_size=3, unique=True)
        )
    choices: tuple[object, ...] = (True, False) if item.type == "boolean" else item.choices
    often = favoured.often or {}
    return st.sampled_from([choice for choice in choices for _ in range(often.get(choice, 1))])


def _enabled(item: Item, answers: Mapping[str, object]) -> bool:
    return all(c.holds(answers.get(c.item, _MISSING)) for c in item.enabled_when)


_PAIRS = dict(PAIRED_ITEMS)


@st.composite
def answer_sets(draw: st.DrawFn, warning_share: float = 0.15) -> dict[str, Any]:
    """A valid answer set: follow-ups only when enabled, paired items together, valid lists.

    Each warning sign (a safety item that is not a follow-up) is "yes" or "not sure" with the
    chance `warning_share`, else mostly "no".
    """
    answers: dict[str, Any] = {}
    for item in ITEMS:
        if item.id in answers or not _enabled(item, answers):
            continue
        favoured = FAVOURED.get(item.id, _PLAIN)
        if item.is_safety_item and not item.enabled_when:
            flagged = draw(st.floats(0, 1)) < warning_share
            value = draw(st.sampled_from(("yes", "not_sure")) if flagged else _maybe(st.just("no"), 0.8))
        elif item.id in _PAIRS:
            partner = ITEMS_BY_ID[_PAIRS[item.id]]
            pairs = st.tuples(item_values(item), item_values(partner))
            edges = PAIR_EDGES.get((item.id, partner.id), ())
            pair = draw(
                _maybe(st.one_of(pairs, st.sampled_from(edges)) if edges else pairs, favoured.answered)
            )
            value = None if pair is None else pair[0]
            answers[partner.id] = None if pair is None else pair[1]
        elif item.required:
            value = draw(item_values(item))
        else:
            value = draw(_maybe(item_values(item), favoured.answered))
        answers[item.id] = value
    order = [item.id for item in ITEMS]
    return {name: answers[name] for name in order if answers.get(name) is not None}


def drawn(strategy: st.SearchStrategy[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    """`count` examples of `strategy`, the same on every run (outside a test's own @given)."""
    found: list[dict[str, Any]] = []

    @settings(max_examples=count, derandomize=True, database=None, deadline=None)
    @given(strategy)
    def collect(answers: dict[str, Any]) -> None:
        found.append(answers)

    collect()
    return found


def never_answered(sets: Iterable[Mapping[str, object]]) -> list[str]:
    """The items that no answer set answers (absent everywhere, or only ever null), in questionnaire order."""
    answered = {name for answers in sets for name, value in answers.items() if value is not None}
    return [item.id for item in ITEMS if item.id not in answered]
