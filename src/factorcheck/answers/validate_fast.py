"""The fast twin of answers/validate.py: a plainly valid answer set accepted fast, anything in doubt deferred.

Batch scoring validates every record, and most records are valid, so the happy path is checked
here with plain comparisons against tables made once from the questionnaire. It only ever says
"certainly valid" (with the given answers, exactly as its slow twin's `given_answers` would give
them) or "not sure": the slow twin then decides and explains, so no error message lives here.
tests/test_fast_path.py holds the two equal on generated valid and invalid answer sets.
"""

from __future__ import annotations

from typing import Final

from factorcheck.answers.questionnaire import EXCLUSIVE_CHOICES, ITEMS, PAIRED_ITEMS

# The tables are Final: compiled, a Final module constant is read directly, where any other
# module-level name is looked up in the module's dictionary at every use.
_KNOWN: Final = frozenset(item.id for item in ITEMS)
_REQUIRED: Final = frozenset(item.id for item in ITEMS if item.required)
_ORDER: Final[tuple[str, ...]] = tuple(item.id for item in ITEMS)
_PLACE: Final = {name: place for place, name in enumerate(_ORDER)}
# Per item, the texts it accepts (empty for items that take no text).
_CHOICES: Final[dict[str, frozenset[str]]] = {
    item.id: frozenset(item.choices if item.type != "choices" else ()) for item in ITEMS
}
_BOOLEAN: Final = frozenset(item.id for item in ITEMS if item.type == "boolean")
_INTEGER: Final = frozenset(item.id for item in ITEMS if item.type == "integer")
# Per number or integer item, its inclusive range.
_RANGE: Final[dict[str, tuple[float, float]]] = {
    item.id: (item.minimum, item.maximum)
    for item in ITEMS
    if item.minimum is not None and item.maximum is not None
}
_LISTS: Final[dict[str, frozenset[str]]] = {
    item.id: frozenset(item.choices) for item in ITEMS if item.type == "choices"
}
_LIST_ITEMS: Final[tuple[str, ...]] = tuple(_LISTS)
_EXCLUSIVE: Final = frozenset(EXCLUSIVE_CHOICES)
# (follow-up, the item it depends on, the answers of that item that enable it)
_FOLLOW_UPS: Final = tuple(
    (item.id, condition.item, condition.values) for item in ITEMS for condition in item.enabled_when
)
_PAIRED: Final = tuple(PAIRED_ITEMS)
_MISSING: Final = object()


def _valid_list(name: str, value: list[object]) -> bool:
    allowed = _LISTS.get(name)
    if allowed is None or not value:
        return False
    if not all(type(entry) is str and entry in allowed for entry in value):
        return False
    distinct = set(value)
    return len(distinct) == len(value) and (len(value) == 1 or not distinct & _EXCLUSIVE)


def quick_given(raw: object, handed_over: bool = False) -> dict[str, object] | None:
    """The given answers, in questionnaire order, when `raw` is certainly valid; else None.

    `handed_over`: the caller gives `raw` up (batch, which read it from a line and only reads it
    after): when it is in questionnaire order already, it is returned itself, without a copy.
    """
    if type(raw) is not dict:
        return None
    keys = raw.keys()
    if not keys <= _KNOWN or not keys >= _REQUIRED:
        return None
    # Whether the answers are in questionnaire order is seen on the way (each key is known).
    last = -1
    in_order = True
    # Exact types only: strict validation refuses true for a number and "35" for 35, and anything
    # unusual (a str subclass, a tuple) is simply left to the full validator.
    for name, value in raw.items():
        place = _PLACE[name]
        if place < last:
            in_order = False
        last = place
        kind = type(value)
        if kind is str:
            if value not in _CHOICES[name]:
                return None
        elif kind is bool:
            if name not in _BOOLEAN:
                return None
        elif kind is int or kind is float:
            bounds = _RANGE.get(name)
            # NaN fails both comparisons; infinities fail the range.
            if bounds is None or not bounds[0] <= value <= bounds[1] or (kind is float and name in _INTEGER):
                return None
        elif kind is not list or not _valid_list(name, value):
            return None
    for name, parent, enabling in _FOLLOW_UPS:
        if name in raw:
            answer = raw.get(parent, _MISSING)
            # A list enables its follow-up when it holds one of the values (the slow twin's holds()).
            if type(answer) is list:
                if not any(entry in enabling for entry in answer):
                    return None
            elif answer not in enabling:
                return None
    for first, second in _PAIRED:
        if (first in raw) != (second in raw):
            return None
    # Answer sets usually arrive in questionnaire order already; then a copy keeps that order.
    if in_order and handed_over:
        return raw
    given = dict(raw) if in_order else {name: raw[name] for name in _ORDER if name in raw}
    # A list is mutable: the given answers hold their own copy, as the slow twin's do.
    for name in _LIST_ITEMS:
        if name in given:
            given[name] = list(raw[name])
    return given
