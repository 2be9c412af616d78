"""The web form as data for its template, made from the questionnaire model: no question written twice."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from factorcheck.answers.questionnaire import EXCLUSIVE_CHOICES, ITEMS, ITEMS_BY_ID, PARTS, Item
from factorcheck.answers.validate import enabled_items
from factorcheck.conversation.units import form_hint
from factorcheck.errors import Problem
from factorcheck.report.wording import answer_text

# A measured pace for one question (read, choose, move on); follow-ups are not counted, as most
# people see only some of them.
SECONDS_PER_QUESTION = 10

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


# Answers beside drawings read as a scale, from the upright foot to the one rolling in, "Not sure"
# last; the questionnaire's own order (yes first) would put the two drawings out of step.
SHOWN_ORDER: dict[str, tuple[str, ...]] = {"foot_rolls_in": ("no", "a_little", "yes", "not_sure")}


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
    kind: str  # "radios", "checkboxes", "text", "height", "weight", "duration" (months typed too)
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
    order = SHOWN_ORDER.get(item.id, item.choices)
    shown = [c for c in order if c in item.choices] + [c for c in item.choices if c not in order]
    return tuple((choice, item.choice_label(choice)) for choice in shown)


def _hint(item: Item) -> str:
    if item.unit_kind is not None:
        return form_hint(item)
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
        kind: str = item.unit_kind or "text"
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


def progress(parts: Sequence[int]) -> str:
    """Where the person is and how long is left: "Question group 2 of 4, about 3 minutes left"."""
    first, last = min(parts), max(parts)
    left = [item for item in ITEMS if item.part >= first and not item.enabled_when]
    minutes = max(1, math.ceil(len(left) * SECONDS_PER_QUESTION / 60))
    groups = (
        f"Question group {first} of {len(PARTS)}"
        if first == last
        else f"Question groups {first} to {last} of {len(PARTS)}"
    )
    return f"{groups}, about {minutes} minute{'' if minutes == 1 else 's'} left"


@dataclass(frozen=True)
class ReviewRow:
    """One question on the review page: its short name and the answer in words (or "Not answered")."""

    item_id: str
    label: str
    answer: str


def review_groups(answers: Mapping[str, object]) -> tuple[tuple[str, tuple[ReviewRow, ...]], ...]:
    """Every question that applies to these answers, by part, each answer in short."""
    applies = {item.id for item in enabled_items(dict(answers))}
    return tuple(
        (
            title,
            tuple(
                ReviewRow(
                    item.id,
                    item.label,
                    answer_text(item.id, answers[item.id]) if item.id in answers else "Not answered",
                )
                for item in ITEMS
                if item.part == number and item.id in applies
            ),
        )
        for number, title in PARTS.items()
    )


def part_of(item_id: str) -> int:
    """The part a question (or a form field standing for one, like `height_ft`) is asked in."""
    return ITEMS_BY_ID[item_id].part
