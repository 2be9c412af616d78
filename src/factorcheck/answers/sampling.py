"""Made-up answer sets drawn from the questionnaire (ITEMS), for `rules diff`; never real data.

Every allowed answer of an item comes up equally often, except the warning signs: most made-up
people (WITHOUT_WARNING_SIGNS) answer every warning sign "no", as most real people do, and the
rest answer each of them evenly, so that every triage level is well represented and a change to
any warning sign shows. Answer sets with realistic proportions come from a file (`rules diff
--answers`). Follow-ups are answered only when enabled; optional items are left out now and then,
paired items together.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping

from factorcheck.answers.questionnaire import EXCLUSIVE_CHOICES, ITEMS, PAIRED_ITEMS, Item

# Share of optional items left unanswered, so that "not answered" is exercised too.
UNANSWERED = 0.15
# Share of answer sets with every warning sign answered "no".
WITHOUT_WARNING_SIGNS = 0.6

Draw = Callable[[random.Random], object]


def _drawer(item: Item) -> Draw:
    """How to draw one answer to `item`: each allowed answer equally likely."""
    if item.type == "boolean":
        return lambda rng: rng.random() < 0.5
    if item.type in ("integer", "number"):
        assert item.minimum is not None
        assert item.maximum is not None
        low, high = item.minimum, item.maximum
        if item.type == "integer":
            span = int(high) - int(low) + 1
            return lambda rng: int(low) + int(rng.random() * span)
        return lambda rng: round(low + rng.random() * (high - low), 1)
    if item.type == "choices":
        alone = [choice for choice in item.choices if choice in EXCLUSIVE_CHOICES]
        several = [choice for choice in item.choices if choice not in EXCLUSIVE_CHOICES]

        def draw_list(rng: random.Random) -> object:
            pick = int(rng.random() * (len(alone) + 1))
            return [alone[pick]] if pick < len(alone) else rng.sample(several, 1 + int(rng.random() * 2))

        return draw_list
    choices = item.choices
    return lambda rng: choices[int(rng.random() * len(choices))]


# Per item: its id, how to draw it, the answers that enable it as (item, values) pairs, whether
# it may be left out, and whether it is a warning sign answered "no" by people without any.
_PLAN = tuple(
    (
        item.id,
        _drawer(item),
        tuple((c.item, c.values) for c in item.enabled_when),
        not item.required,
        item.is_safety_item and item.type == "yes_no_unsure",
    )
    for item in ITEMS
)


def _enabled(conditions: tuple[tuple[str, tuple[object, ...]], ...], answers: Mapping[str, object]) -> bool:
    return all(answers.get(name) in values for name, values in conditions)


def answer_set(rng: random.Random) -> dict[str, object]:
    """One valid answer set, in questionnaire order."""
    answers: dict[str, object] = {}
    warning_signs = rng.random() >= WITHOUT_WARNING_SIGNS
    for item_id, draw, conditions, optional, warning_sign in _PLAN:
        if conditions and not _enabled(conditions, answers):
            continue
        if optional and rng.random() < UNANSWERED:
            continue
        answers[item_id] = "no" if warning_sign and not warning_signs else draw(rng)
    for first, second in PAIRED_ITEMS:  # given together or not at all
        if (first in answers) != (second in answers):
            answers.pop(first, None)
            answers.pop(second, None)
    return answers


def answer_sets(seed: int, count: int) -> Iterator[dict[str, object]]:
    """`count` answer sets, the same for the same seed."""
    rng = random.Random(seed)
    for _ in range(count):
        yield answer_set(rng)
