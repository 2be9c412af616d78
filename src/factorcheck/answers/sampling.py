"""Made-up answer sets drawn evenly from the questionnaire (ITEMS), for `rules diff`; never real data.

Every allowed answer of an item comes up equally often, so that the warning signs and other rare
answers appear often enough to show what a rule change does to them; answer sets with realistic
proportions come from a file (`rules diff --answers`). Follow-ups are answered only when enabled;
optional items are left out now and then, paired items together.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping

from factorcheck.answers.questionnaire import EXCLUSIVE_CHOICES, ITEMS, PAIRED_ITEMS, Item

# Share of optional items left unanswered, so that "not answered" is exercised too.
UNANSWERED = 0.15


def _enabled(item: Item, answers: Mapping[str, object]) -> bool:
    return all(answers.get(c.item, None) in c.values for c in item.enabled_when)


def _value(rng: random.Random, item: Item) -> object:
    if item.type == "boolean":
        return rng.random() < 0.5
    if item.type in ("integer", "number"):
        assert item.minimum is not None
        assert item.maximum is not None
        if item.type == "integer":
            return rng.randint(int(item.minimum), int(item.maximum))
        return round(rng.uniform(item.minimum, item.maximum), 1)
    if item.type == "choices":
        alone = [choice for choice in item.choices if choice in EXCLUSIVE_CHOICES]
        several = [choice for choice in item.choices if choice not in EXCLUSIVE_CHOICES]
        pick = rng.randrange(len(alone) + 1)
        return [alone[pick]] if pick < len(alone) else rng.sample(several, rng.choice((1, 2)))
    return rng.choice(item.choices)


def answer_set(rng: random.Random) -> dict[str, object]:
    """One valid answer set, in questionnaire order."""
    answers: dict[str, object] = {}
    for item in ITEMS:
        if item.enabled_when and not _enabled(item, answers):
            continue
        if not item.required and rng.random() < UNANSWERED:
            continue
        answers[item.id] = _value(rng, item)
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
