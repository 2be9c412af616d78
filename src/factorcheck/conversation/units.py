"""Height and weight typed in metric or imperial units, and durations in months or years, converted
to the unit asked.

What an item measures is its unit kind (Item.unit_kind); everything that depends on it, for `ask`
and the web form alike, is read here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from factorcheck.answers.questionnaire import ITEMS, Item, UnitKind
from factorcheck.answers.shown import quoted
from factorcheck.conversation.typed_answers import LONGEST_NUMBER, AnswerError

CM_PER_INCH = 2.54
KG_PER_POUND = 0.45359237
POUNDS_PER_STONE = 14

# The first item of each unit kind: what a height or weight typed without naming its item is for.
MEASURED: dict[UnitKind, Item] = {
    item.unit_kind: item for item in reversed(ITEMS) if item.unit_kind is not None
}

_NUMBER = r"([0-9]+(?:\.[0-9]+)?)"
_FEET = r"(?:ft|feet|foot|')"
_INCHES = r"(?:in|inch|inches|\"|'')"
_HEIGHT_FORMS: tuple[tuple[str, str], ...] = (
    (rf"^{_NUMBER}\s*(?:cm|centimetres?|centimeters?)?$", "cm"),
    (rf"^{_NUMBER}\s*(?:m|metres?|meters?)$", "m"),
    (rf"^{_NUMBER}\s*{_FEET}\s*(?:{_NUMBER}\s*{_INCHES}?)?$", "ft"),
    (rf"^{_NUMBER}\s*{_INCHES}$", "in"),
)
_POUNDS = r"(?:lb|lbs|pounds?)"
_WEIGHT_FORMS: tuple[tuple[str, str], ...] = (
    (rf"^{_NUMBER}\s*(?:kg|kgs|kilos?|kilograms?)$", "kg"),
    (rf"^{_NUMBER}\s*{_POUNDS}$", "lb"),
    (rf"^{_NUMBER}\s*(?:st|stones?)\s*(?:{_NUMBER}\s*{_POUNDS}?)?$", "st"),
    (rf"^{_NUMBER}$", "bare"),
)


@dataclass(frozen=True)
class Measurement:
    """A height in cm or a weight in kg, with the conversion said in words when units were converted."""

    value: int | float
    conversion: str
    imperial: bool


def _tidy(value: float) -> int | float:
    # Whole values are stored as integers so saved answers read as a person would write them.
    return int(value) if float(value).is_integer() else value


def _show(value: float) -> str:
    return f"{value:g}"


def _feet_inches(cm: float) -> str:
    total = round(cm / CM_PER_INCH)
    return f"{total // 12} ft {total % 12} in"


def _pounds(kg: float) -> str:
    pounds = round(kg / KG_PER_POUND)
    return f"{pounds} lb"


def _range_error(item: Item, typed: str, metric: float | None) -> AnswerError:
    low, high = item.minimum or 0, item.maximum or 0
    if item.unit_kind == "height":
        span = f"{_show(low)} to {_show(high)} cm (about {_feet_inches(low)} to {_feet_inches(high)})"
        example = "170 cm, or 5 ft 7 in"
    else:
        span = f"{_show(low)} to {_show(high)} kg (about {_pounds(low)} to {_pounds(high)})"
        example = "74 kg, or 163 lb"
    given = quoted(typed) + (f" ({_show(round(metric, 1))} {item.unit})" if metric is not None else "")
    return AnswerError(f"{given} is outside the range this question allows: {span}. For example: {example}.")


def parse_height(text: str, item: Item | None = None) -> Measurement:
    """A typed height: centimetres (a bare number), metres, feet and inches, or inches."""
    item = item or MEASURED["height"]
    typed = text.strip()
    # Typographic quotes, as phones and word processors type them, mean feet and inches too.
    lowered = typed.lower().replace("\u2019", "'").replace("\u201d", '"')
    for pattern, unit in _HEIGHT_FORMS:
        match = re.match(pattern, lowered)
        if not match:
            continue
        if _too_long(match):
            raise _range_error(item, typed, None)
        first = float(match.group(1))
        if unit == "cm":
            cm: float = first
            measurement = Measurement(_tidy(first), "", imperial=False)
        elif unit == "m":
            cm = round(first * 100, 1)
            measurement = Measurement(_tidy(cm), f"{_show(first)} m = {_show(cm)} cm", imperial=False)
        else:
            inches = first * 12 + float(match.group(2) or 0) if unit == "ft" else first
            # Whole centimetres: an inch is 2.54 cm, so a finer figure would claim precision not given.
            cm = round(inches * CM_PER_INCH)
            if unit == "ft":
                said = f"{_show(first)} ft {_show(float(match.group(2) or 0))} in"
            else:
                said = f"{_show(first)} in"
            measurement = Measurement(_tidy(cm), f"{said} = {_show(cm)} cm", imperial=True)
        if not _in_range(item, cm):
            raise _range_error(item, typed, cm if unit != "cm" else None)
        return measurement
    raise AnswerError(
        f"{quoted(typed)} is not a height this form understands. Type centimetres (for example 170), "
        "metres (1.70 m), or feet and inches (5 ft 7 in)."
    )


def parse_weight(text: str, pounds_by_default: bool = False, item: Item | None = None) -> Measurement:
    """A typed weight: kilograms, pounds, or stones and pounds; a bare number is kg unless told otherwise."""
    item = item or MEASURED["weight"]
    typed = text.strip()
    lowered = typed.lower()
    for pattern, unit in _WEIGHT_FORMS:
        match = re.match(pattern, lowered)
        if not match:
            continue
        if _too_long(match):
            raise _range_error(item, typed, None)
        first = float(match.group(1))
        if unit == "bare":
            unit = "lb" if pounds_by_default else "kg"
        if unit == "kg":
            kg: float = first
            measurement = Measurement(_tidy(first), "", imperial=False)
        else:
            pounds = first * POUNDS_PER_STONE + float(match.group(2) or 0) if unit == "st" else first
            # A tenth of a kilogram is finer than any bathroom scale reads.
            kg = round(pounds * KG_PER_POUND, 1)
            if unit == "st":
                said = f"{_show(first)} st {_show(float(match.group(2) or 0))} lb"
            else:
                said = f"{_show(first)} lb"
            measurement = Measurement(_tidy(kg), f"{said} = {_show(kg)} kg", imperial=True)
        if not _in_range(item, kg):
            raise _range_error(item, typed, kg if unit != "kg" else None)
        return measurement
    raise AnswerError(
        f"{quoted(typed)} is not a weight this form understands. Type kilograms (for example 74 kg), "
        "pounds (163 lb), or stones and pounds (11 st 9 lb)."
    )


def _too_long(match: re.Match[str]) -> bool:
    """A number with more digits than any height or weight has is out of range unread: as a
    float it would be infinite, which no conversion can round."""
    return any(len(number) > LONGEST_NUMBER for number in match.groups() if number)


def _in_range(item: Item, value: float) -> bool:
    return (item.minimum is None or value >= item.minimum) and (item.maximum is None or value <= item.maximum)


def height_hint() -> str:
    """How to type a height."""
    return "Type centimetres (for example 170), or feet and inches (5 ft 7 in)."


def weight_hint(pounds_by_default: bool) -> str:
    """How to type a weight; a bare number follows the units the height was given in."""
    if pounds_by_default:
        return "Type pounds (for example 163), stones and pounds (11 st 9 lb), or kilograms (74 kg)."
    return "Type kilograms (for example 74), or pounds (163 lb), or stones and pounds (11 st 9 lb)."


def parse_measurement(item: Item, text: str, pounds_by_default: bool = False) -> Measurement:
    """A typed answer to a height or weight item (one with a unit kind), in the item's own unit."""
    if item.unit_kind == "height":
        return parse_height(text, item)
    if item.unit_kind == "duration":
        return parse_weeks(text, item)
    return parse_weight(text, pounds_by_default, item)


def typed_hint(item: Item, pounds_by_default: bool) -> str:
    """How to type an answer to a height, weight or duration item in `ask`."""
    if item.unit_kind == "duration":
        return weeks_hint(item)
    return height_hint() if item.unit_kind == "height" else weight_hint(pounds_by_default)


def form_hint(item: Item) -> str:
    """The web form's hint under a height or weight item, which also takes imperial units, or under a
    duration, which also takes months or years."""
    if item.unit_kind == "duration":
        return f"In weeks ({item.allowed().removeprefix('a ')}), or in months or years, such as 3 months."
    if item.unit_kind == "height":
        return f"In centimetres ({item.allowed().removeprefix('a ')}), or in feet and inches."
    return f"In kilograms ({item.allowed().removeprefix('a ')}), or in pounds."


def as_typed(item: Item, value: object) -> str:
    """A recorded answer as it is offered for editing: a weight with its unit, so that it reads back
    as kilograms even where a bare number would be taken as pounds."""
    return f"{value} {item.unit}" if item.unit_kind == "weight" else str(value)


WEEKS_PER_MONTH = 52 / 12
_DURATION = re.compile(r"^([0-9]+(?:\.[0-9]+)?)\s*(w|wk|wks|weeks?|m|mo|mos|mths?|months?|y|yr|yrs|years?)?$")


def weeks_hint(item: Item) -> str:
    """How to type a duration: weeks, or months or years converted to weeks."""
    high = item.maximum or 0
    return (
        f"Type weeks (for example 6), or months or years (3 months, 1 year), up to {_show(high / 52)} years."
    )


def parse_weeks(text: str, item: Item | None = None) -> Measurement:
    """A typed duration in weeks (a bare whole number), months or years, as whole weeks."""
    item = item or MEASURED["duration"]
    typed = text.strip()
    match = _DURATION.match(typed.lower())
    low, high = item.minimum or 0, item.maximum or 0
    hint = weeks_hint(item)
    if match is None:
        raise AnswerError(f"{quoted(typed)} is not a length of time this form understands. {hint}")
    if _too_long(match):
        raise AnswerError(f"{quoted(typed)} is outside the range this question allows. {hint}")
    amount, unit = float(match.group(1)), (match.group(2) or "w")[0]
    if unit == "w" and not amount.is_integer():
        raise AnswerError(f"{quoted(typed)} is not a whole number of weeks. {hint}")
    # A month is 52/12 weeks; whole weeks are stored, rounded to the nearest.
    weeks = amount if unit == "w" else round(amount * (WEEKS_PER_MONTH if unit == "m" else 52))
    if not low <= weeks <= high:
        raise AnswerError(f"{quoted(typed)} is outside the range this question allows. {hint}")
    said = "" if unit == "w" else f"{typed} = {int(weeks)} weeks"
    return Measurement(int(weeks), said, imperial=False)
