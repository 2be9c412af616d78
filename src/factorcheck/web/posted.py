"""A posted form read into answers: each text turned strictly into the contract's type, or a problem."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from factorcheck.answers.questionnaire import EXCLUSIVE_CHOICES, ITEMS_BY_ID, Item
from factorcheck.answers.shown import quoted
from factorcheck.answers.validate import enabled_items, find_problems, given_answers
from factorcheck.answers.validate_fast import quick_given
from factorcheck.conversation.typed_answers import LONGEST_NUMBER, AnswerError
from factorcheck.conversation.units import MEASURED, Measurement, parse_height, parse_weeks, parse_weight
from factorcheck.errors import Problem

_HEIGHT, _WEIGHT = MEASURED["height"], MEASURED["weight"]
# Form fields that are not questionnaire items: the imperial halves of height and weight. Each
# is read into its item (the item of that unit kind) through the same conversion `ask` uses.
IMPERIAL_FIELDS: dict[str, str] = {
    "height_ft": _HEIGHT.id,
    "height_in": _HEIGHT.id,
    "weight_lb": _WEIGHT.id,
}

# ASCII digits only, as in an answer file ("٤٠" is refused at every door alike).
_WHOLE = re.compile(r"-?[0-9]+")
_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


@dataclass
class Posted:
    """What a form post said: answers in the contract's types, the problems, and what was left out."""

    answers: dict[str, object] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Follow-ups answered although they do not apply (JavaScript off): left out, and said so.
    ignored: list[Item] = field(default_factory=list)
    # Every value as the person typed or chose it, to show the form again unchanged.
    typed: dict[str, list[str]] = field(default_factory=dict)
    conversions: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems


def _typed(item: Item, text: str) -> object:
    """One posted text as the contract's value for `item`; raises AnswerError saying what is allowed."""
    if item.type == "boolean":
        if text in ("true", "false"):
            return text == "true"
        raise AnswerError(f"{quoted(text)} is not one of the answers: choose Yes or No.")
    if item.unit_kind == "duration" and not _WHOLE.fullmatch(text):
        # "3 months" as the terminal takes it; the conversion is shown with the report.
        return parse_weeks(text, item)
    if item.type == "integer":
        if not _WHOLE.fullmatch(text):
            raise AnswerError(f"{quoted(text)} is not a whole number; expected {item.allowed()}.")
        if len(text) > LONGEST_NUMBER:
            raise AnswerError(f"{quoted(text)} is outside the range allowed; expected {item.allowed()}.")
        return int(text)
    if item.type == "number":
        if not _DECIMAL.fullmatch(text):
            raise AnswerError(f"{quoted(text)} is not a number; expected {item.allowed()}.")
        if len(text.split(".")[0]) > LONGEST_NUMBER:
            raise AnswerError(f"{quoted(text)} is outside the range allowed; expected {item.allowed()}.")
        number = float(text)
        return int(number) if number.is_integer() and "." not in text else number
    # Choice texts go to the validator as they are: it names what is allowed, with a "did you mean".
    return text


def _imperial(fields: dict[str, list[str]], posted: Posted) -> None:
    """Height in feet and inches, weight in pounds, converted when the metric field is empty."""
    feet, inches = _single(fields, "height_ft"), _single(fields, "height_in")
    pounds = _single(fields, "weight_lb")
    if (feet or inches) and not _single(fields, _HEIGHT.id):
        try:
            measured = parse_height(f"{feet or '0'} ft {inches or '0'} in", _HEIGHT)
            posted.answers[_HEIGHT.id] = measured.value
            posted.conversions.append(measured.conversion)
        except AnswerError as error:
            posted.problems.append(Problem(_HEIGHT.id, str(error)))
    elif feet or inches:
        posted.problems.append(
            Problem(_HEIGHT.id, "give your height once: in centimetres, or in feet and inches, not both.")
        )
    if pounds and not _single(fields, _WEIGHT.id):
        try:
            measured = parse_weight(f"{pounds} lb", item=_WEIGHT)
            posted.answers[_WEIGHT.id] = measured.value
            posted.conversions.append(measured.conversion)
        except AnswerError as error:
            posted.problems.append(Problem(_WEIGHT.id, str(error)))
    elif pounds:
        posted.problems.append(
            Problem(_WEIGHT.id, "give your weight once: in kilograms or in pounds, not both.")
        )


def _single(fields: dict[str, list[str]], name: str) -> str:
    values = [v for v in fields.get(name, []) if v.strip()]
    return values[0].strip() if values else ""


def read_posted(pairs: Sequence[tuple[str, str]]) -> Posted:
    """Read the (name, value) pairs of a form post: convert, drop follow-ups that do not apply, validate."""
    fields: dict[str, list[str]] = {}
    for name, value in pairs:
        fields.setdefault(name, []).append(value)
    posted = Posted(typed=fields)
    unknown: dict[str, object] = {}
    for name, values in fields.items():
        texts = [text for value in values if (text := value.strip())]
        if name in IMPERIAL_FIELDS:
            continue
        item = ITEMS_BY_ID.get(name)
        if item is None:
            if texts:
                unknown[name] = texts[0]
            continue
        if not texts:
            continue
        if item.type == "choices":
            posted.answers[name] = texts
            continue
        if len(texts) > 1:
            shown = ", ".join(quoted(t) for t in texts)
            posted.problems.append(Problem(name, f"was given {len(texts)} answers ({shown}); give one."))
            continue
        try:
            read = _typed(item, texts[0])
            if isinstance(read, Measurement):
                posted.answers[name] = read.value
                posted.conversions.append(read.conversion)
            else:
                posted.answers[name] = read
        except AnswerError as error:
            posted.problems.append(Problem(name, str(error)))
    _imperial(fields, posted)
    if not posted.problems and not unknown:
        # Most posts are plainly valid: the validator's fast twin then gives the answers exactly
        # as the full path below would, and every follow-up given applies (none is left out).
        given = quick_given(posted.answers)
        if given is not None:
            posted.answers = given
            return posted
    _drop_inapplicable(posted)
    # The validator every entry point shares; an item whose text could not be read is already
    # explained, so its "required and missing" would only repeat it.
    answers, problems = find_problems({**posted.answers, **unknown})
    failed = {problem.item for problem in posted.problems}
    posted.problems += [_in_form_words(p) for p in problems if p.item not in failed]
    order = {item_id: index for index, item_id in enumerate(ITEMS_BY_ID)}
    posted.problems.sort(key=lambda p: order.get(p.item, -1))
    if not posted.problems and answers is not None:
        posted.answers = given_answers(answers)
    return posted


def _drop_inapplicable(posted: Posted) -> None:
    """Follow-ups whose condition does not hold are left out (a browser without JavaScript sends them)."""
    failed = {problem.item for problem in posted.problems}
    enabled = {item.id for item in enabled_items(posted.answers)}
    for item_id in list(posted.answers):
        item = ITEMS_BY_ID[item_id]
        if not item.enabled_when or item_id in enabled:
            continue
        # A condition on an answer that could not be read cannot be judged yet: keep it for later.
        if any(condition.item in failed for condition in item.enabled_when):
            continue
        del posted.answers[item_id]
        posted.ignored.append(item)


def _in_form_words(problem: Problem) -> Problem:
    """A validator's problem told in the form's words ("choose Yes or No"), not the answer file's
    ("expected true or false"); a problem with no question of its own stays as it is."""
    item = ITEMS_BY_ID.get(problem.item)
    if item is None:
        return problem
    missing = problem.message.startswith("is required and missing")
    if item.type == "boolean":
        need = "choose Yes or No"
    elif item.type in ("integer", "number"):
        if not missing:
            return problem
        need = f"type {item.allowed()}"
    else:
        labels = ", ".join(f"“{item.choice_label(c)}”" for c in item.choices)
        if item.type == "choices":
            need = f"choose one or more of: {labels}"
            alone = [f"“{item.choice_label(c)}”" for c in item.choices if c in EXCLUSIVE_CHOICES]
            if alone:
                need += f" ({' and '.join(alone)} stand alone)"
        else:
            need = f"choose one of: {labels}"
    message = f"is required: {need}." if missing else f"the answer sent is not one of its choices; {need}."
    return Problem(problem.item, message)
