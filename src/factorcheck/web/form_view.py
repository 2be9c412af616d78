"""The web form as data for its template, made from the questionnaire model: no question written twice."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from factorcheck.answers.questionnaire import EXCLUSIVE_CHOICES, ITEMS, ITEMS_BY_ID, PARTS, Item
from factorcheck.errors import Problem

# Drawings (web/static/*.svg) beside the answers people most often are not sure of, each with
# its text alternative: (item, answer) -> (file, description).
DRAWINGS: dict[tuple[str, str], tuple[str, str]] = {
    ("knee_alignment", "straight"): (
        "legs-straight.svg",
        "Drawing of two legs standing feet together: the knees and the ankles both touch.",
    ),
    ("knee_alignment", "knock_knees"): (
        "legs-knock-knees.svg",
        "Drawing of knock-knees: the knees touch and lean inwards, the ankles stay apart.",
    ),
    ("knee_alignment", "bow_legs"): (
        "legs-bow-legs.svg",
        "Drawing of bow legs: the ankles touch, the knees bow outwards with a gap between them.",
    ),
    ("foot_rolls_in", "no"): (
        "foot-neutral.svg",
        "Drawing of a right foot from behind: the heel stands upright under the leg and the arch is raised.",
    ),
    ("foot_rolls_in", "yes"): (
        "foot-rolls-in.svg",
        "Drawing of a right foot from behind: the ankle leans inwards and the arch is flat on the floor.",
    ),
}


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    input_id: str
    checked: bool
    exclusive: bool = False
    drawing: tuple[str, str] | None = None


@dataclass(frozen=True)
class Field:
    """One question on the page: how it is drawn, its options, help, condition, error and typed value."""

    item: Item
    kind: str  # "radios", "checkboxes", "text", "height", "weight"
    options: tuple[Option, ...] = ()
    value: str = ""
    extra_values: Mapping[str, str] = field(default_factory=dict)
    condition: str = ""
    condition_json: str = ""
    errors: tuple[str, ...] = ()
    hint: str = ""

    @property
    def id(self) -> str:
        return self.item.id


@dataclass(frozen=True)
class Part:
    number: int
    title: str
    fields: tuple[Field, ...]


def condition_in_words(item: Item) -> str:
    """When a follow-up applies, as a person would say it."""
    words = []
    for condition in item.enabled_when:
        trigger = ITEMS_BY_ID[condition.item]
        said = " or ".join(f"“{_value_label(trigger, v)}”" for v in condition.values)
        words.append(f"you answered {said} to “{trigger.question}”")
    return " and ".join(words)


def _value_label(item: Item, value: object) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return item.choice_label(str(value))


def _form_value(value: object) -> str:
    """A contract value as the form posts it (`true`, `not_sure`, `44`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _choices(item: Item) -> tuple[tuple[str, str], ...]:
    if item.type == "boolean":
        return (("true", "Yes"), ("false", "No"))
    return tuple((choice, item.choice_label(choice)) for choice in item.choices)


def _hint(item: Item) -> str:
    if item.id == "height_cm":
        return f"In centimetres ({item.allowed().removeprefix('a ')}), or in feet and inches."
    if item.id == "weight_kg":
        return f"In kilograms ({item.allowed().removeprefix('a ')}), or in pounds."
    if item.unit == "weeks":
        return f"In weeks ({item.allowed().removeprefix('a ')}), or in months or years, such as 3 months."
    if item.type in ("integer", "number"):
        unit = f", in {item.unit}" if item.unit else ""
        return f"{item.allowed()[0].upper()}{item.allowed()[1:]}{unit}."
    return ""


def _field(item: Item, typed: Mapping[str, Sequence[str]], errors: Mapping[str, list[str]]) -> Field:
    chosen = [v for v in typed.get(item.id, []) if v]
    condition = f"Answer this only if {condition_in_words(item)}." if item.enabled_when else ""
    condition_json = (
        json.dumps(
            [{"item": c.item, "values": [_form_value(v) for v in c.values]} for c in item.enabled_when]
        )
        if item.enabled_when
        else ""
    )
    item_errors = tuple(errors.get(item.id, []))
    if item.type in ("integer", "number"):
        kind = {"height_cm": "height", "weight_kg": "weight"}.get(item.id, "text")
        extra = {name: (typed.get(name) or [""])[0] for name in ("height_ft", "height_in", "weight_lb")}
        return Field(
            item, kind, (), (chosen or [""])[0], extra, condition, condition_json, item_errors, _hint(item)
        )
    multiple = item.type == "choices"
    options = tuple(
        Option(
            value,
            label,
            f"{item.id}--{value}",
            value in chosen,
            multiple and value in EXCLUSIVE_CHOICES,
            DRAWINGS.get((item.id, value)),
        )
        for value, label in _choices(item)
    )
    kind = "checkboxes" if multiple else "radios"
    return Field(item, kind, options, "", {}, condition, condition_json, item_errors, "")


def form_parts(
    parts: Sequence[int], typed: Mapping[str, Sequence[str]], problems: Sequence[Problem] = ()
) -> tuple[Part, ...]:
    """The parts asked on one page, in order, each question with what the person gave and its problems."""
    errors: dict[str, list[str]] = {}
    for problem in problems:
        errors.setdefault(problem.item, []).append(problem.message)
    return tuple(
        Part(
            number, PARTS[number], tuple(_field(item, typed, errors) for item in ITEMS if item.part == number)
        )
        for number in parts
    )


def hidden_values(parts: Sequence[int], typed: Mapping[str, Sequence[str]]) -> list[tuple[str, str]]:
    """The answers of the parts not shown on a page, carried on as hidden fields."""
    return [
        (item.id, value) for item in ITEMS if item.part in parts for value in typed.get(item.id, []) if value
    ]
