"""Typed answers: choices by number or words, whole numbers, heights and weights in either unit system."""

from __future__ import annotations

import pytest

from factorcheck.answers.questionnaire import ITEMS_BY_ID
from factorcheck.conversation.prompts import Back, Option, Skip
from factorcheck.conversation.typed_answers import (
    AnswerError,
    navigation,
    parse_option,
    parse_options,
    parse_whole_number,
)
from factorcheck.conversation.units import parse_height, parse_weeks, parse_weight

YES_NO_UNSURE = (Option("yes", "Yes"), Option("no", "No"), Option("not_sure", "Not sure"))
SIDES = (Option("left", "Left"), Option("right", "Right"), Option("both", "Both"))


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("1", "yes"),
        ("3", "not_sure"),
        ("Yes", "yes"),
        ("  NOT SURE ", "not_sure"),
        ("not_sure", "not_sure"),
        ("not-sure", "not_sure"),
        ("y", "yes"),
        ("n", "no"),
        ("no", "no"),
        ("not", "not_sure"),
    ],
)
def test_choice_by_number_words_or_start(typed: str, key: str) -> None:
    """A choice is typed as its number, its words (any case), or an unambiguous start of them."""
    assert parse_option(typed, YES_NO_UNSURE) == key


def test_b_is_both_not_back() -> None:
    """One letter that starts one option picks it ("b" is Both); going back takes the word "back"."""
    assert parse_option("b", SIDES) == "both"
    assert isinstance(navigation("back"), Back)
    assert isinstance(navigation(" Skip "), Skip)
    assert navigation("b") is None


@pytest.mark.parametrize(("typed", "shown"), [("4", '"4" is not one of the numbers'), ("maybe", '"maybe"')])
def test_unknown_choice_says_what_was_typed_and_what_is_allowed(typed: str, shown: str) -> None:
    """An unknown choice names what was typed and the allowed numbers and words."""
    with pytest.raises(AnswerError) as caught:
        parse_option(typed, YES_NO_UNSURE)
    message = str(caught.value)
    assert shown in message
    assert "1 to 3" in message


def test_several_choices_by_numbers_or_words() -> None:
    """Several choices are typed as numbers with spaces or commas, or words with commas, each once."""
    options = tuple(
        Option(c, ITEMS_BY_ID["inflammatory_diagnosis"].choice_label(c)) for c in ("gout", "none")
    )
    assert parse_options("2, 1", options) == ("gout", "none")
    assert parse_options("1 1", options) == ("gout",)
    assert parse_options("gout", options) == ("gout",)


@pytest.mark.parametrize(("typed", "value"), [("35", 35), ("35 years", 35), (" 1 ", 1), ("120", 120)])
def test_whole_numbers(typed: str, value: int) -> None:
    """A whole number may carry the item's unit."""
    assert parse_whole_number(typed, ITEMS_BY_ID["age_years"]) == value


@pytest.mark.parametrize(
    ("typed", "part"), [("abc", '"abc" is not a whole number'), ("35.5", '"35.5"'), ("0", "0 is outside")]
)
def test_bad_whole_numbers(typed: str, part: str) -> None:
    """A bad whole number says what was typed and the allowed range."""
    with pytest.raises(AnswerError) as caught:
        parse_whole_number(typed, ITEMS_BY_ID["age_years"])
    assert part in str(caught.value)
    assert "from 1 to 120" in str(caught.value)


@pytest.mark.parametrize(
    ("typed", "cm", "conversion"),
    [
        ("170", 170, ""),
        ("170 cm", 170, ""),
        ("170.5", 170.5, ""),
        ("1.7 m", 170, "1.7 m = 170 cm"),
        ("5 ft 7 in", 170, "5 ft 7 in = 170 cm"),
        ("5'7\"", 170, "5 ft 7 in = 170 cm"),
        ("5\u20197\u201d", 170, "5 ft 7 in = 170 cm"),
        ("5 feet 7", 170, "5 ft 7 in = 170 cm"),
        ("6 ft", 183, "6 ft 0 in = 183 cm"),
        ("67 in", 170, "67 in = 170 cm"),
    ],
)
def test_heights(typed: str, cm: float, conversion: str) -> None:
    """Heights in cm, m, feet and inches or inches become whole cm when converted, and say how."""
    measured = parse_height(typed)
    assert measured.value == cm
    assert measured.conversion == conversion
    assert isinstance(measured.value, int) == float(cm).is_integer()


@pytest.mark.parametrize(
    ("typed", "pounds_default", "kg", "conversion"),
    [
        ("74", False, 74, ""),
        ("74 kg", True, 74, ""),
        ("163 lb", False, 73.9, "163 lb = 73.9 kg"),
        ("163", True, 73.9, "163 lb = 73.9 kg"),
        ("11 st 9 lb", False, 73.9, "11 st 9 lb = 73.9 kg"),
        ("11st", False, 69.9, "11 st 0 lb = 69.9 kg"),
    ],
)
def test_weights(typed: str, pounds_default: bool, kg: float, conversion: str) -> None:
    """Weights in kg, pounds or stones become kg to a tenth; a bare number follows the height's units."""
    measured = parse_weight(typed, pounds_by_default=pounds_default)
    assert measured.value == kg
    assert measured.conversion == conversion


def test_height_out_of_range_gives_both_units() -> None:
    """A height outside the range says what it came to and the range in both unit systems."""
    with pytest.raises(AnswerError) as caught:
        parse_height("3 ft")
    message = str(caught.value)
    assert '"3 ft" (91 cm)' in message
    assert "100 to 230 cm" in message
    assert "ft" in message.split("cm", 1)[1]


def test_height_in_feet_as_a_decimal_is_refused_with_an_example() -> None:
    """A bare 5.7 (feet, meant) is out of the cm range, and the message shows feet and inches."""
    with pytest.raises(AnswerError) as caught:
        parse_height("5.7")
    assert "5 ft 7 in" in str(caught.value)


@pytest.mark.parametrize("typed", ["tall", "170 kg", "-5", ""])
def test_unreadable_measures(typed: str) -> None:
    """Text that is no height says what is understood."""
    with pytest.raises(AnswerError) as caught:
        parse_height(typed)
    assert "feet and inches" in str(caught.value)


def test_weight_out_of_range() -> None:
    """A weight outside the range says the range in kg and pounds."""
    with pytest.raises(AnswerError) as caught:
        parse_weight("20")
    assert "25 to 350 kg" in str(caught.value)
    assert "lb" in str(caught.value)


HUGE = "9" * 5000


@pytest.mark.parametrize(
    "typed",
    [HUGE, "-" + HUGE, f"{HUGE} years", "9" * 309, "\u0664\u0660", "\u0664\u0660 years", "\uff14\uff10"],
)
def test_huge_or_non_ascii_whole_numbers_are_refused_not_a_crash(typed: str) -> None:
    """Thousands of digits are out of range (Python cannot even read them as a number), and digits
    of other scripts are not numbers, as in an answer file; the message stays short."""
    with pytest.raises(AnswerError) as caught:
        parse_whole_number(typed, ITEMS_BY_ID["age_years"])
    assert len(str(caught.value)) < 200


@pytest.mark.parametrize(
    "typed",
    [
        f"{'9' * 308} ft 2 in",
        f"5 ft {'9' * 400} in",
        f"{'9' * 400} in",
        f"{'9' * 400}.5",
        "\u0661\u0667\u0660",
    ],
)
def test_huge_or_non_ascii_heights_are_refused_not_a_crash(typed: str) -> None:
    """A height of hundreds of digits (infinite as a float) is out of range, not an overflow."""
    with pytest.raises(AnswerError) as caught:
        parse_height(typed)
    assert len(str(caught.value)) < 300


@pytest.mark.parametrize("typed", [f"{'9' * 400} lb", f"{'9' * 400} st 2 lb", f"{'9' * 400}"])
def test_huge_weights_are_refused_not_a_crash(typed: str) -> None:
    """A weight of hundreds of digits is out of range, not an overflow."""
    with pytest.raises(AnswerError):
        parse_weight(typed)


@pytest.mark.parametrize("typed", [HUGE, "\u0661"])
def test_huge_or_non_ascii_option_numbers_are_refused(typed: str) -> None:
    """An option number of thousands of digits, or in another script, is not one of the numbers shown."""
    options = [Option("yes", "Yes"), Option("no", "No")]
    with pytest.raises(AnswerError) as caught:
        parse_option(typed, options)
    assert len(str(caught.value)) < 200


@pytest.mark.parametrize(
    ("typed", "weeks", "said"),
    [
        ("12", 12, ""),
        ("6 weeks", 6, ""),
        ("3 months", 13, "3 months = 13 weeks"),
        ("1 year", 52, "1 year = 52 weeks"),
        ("2.5 years", 130, "2.5 years = 130 weeks"),
        ("18 mo", 78, "18 mo = 78 weeks"),
    ],
)
def test_a_duration_is_taken_in_weeks_months_or_years(typed: str, weeks: int, said: str) -> None:
    """ "3 months" is accepted wherever a duration is asked, kept as whole weeks, and the conversion said."""
    for item in ("heel_pain_weeks", "knee_pain_weeks", "achilles_pain_weeks"):
        measured = parse_weeks(typed, ITEMS_BY_ID[item])
        assert (measured.value, measured.conversion) == (weeks, said)


@pytest.mark.parametrize("typed", ["abc", "1.5", "-3", "11 years", "3 fortnights"])
def test_a_duration_that_is_not_one_says_what_to_type(typed: str) -> None:
    """Anything else is refused with what to type instead."""
    with pytest.raises(AnswerError, match=r"Type weeks \(for example 6\), or months or years"):
        parse_weeks(typed, ITEMS_BY_ID["knee_pain_weeks"])


def test_the_web_form_takes_months_for_weeks_too() -> None:
    """A posted "3 months" for a duration is 13 weeks, with the conversion shown with the report."""
    from factorcheck.web.posted import read_posted

    posted = read_posted(
        [("age_years", "40"), ("heel_pain", "false"), ("knee_pain", "true"), ("knee_pain_weeks", "3 months")]
    )
    assert posted.valid, posted.problems
    assert posted.answers["knee_pain_weeks"] == 13
    assert posted.conversions == ["3 months = 13 weeks"]


@pytest.mark.parametrize("typed", [f"{'9' * 400} years", f"{'9' * 400}", HUGE, "\u0663 months"])
def test_huge_or_non_ascii_durations_are_refused_not_a_crash(typed: str) -> None:
    """A duration of hundreds of digits is out of range, not an overflow; other scripts' digits are
    refused."""
    with pytest.raises(AnswerError) as caught:
        parse_weeks(typed, ITEMS_BY_ID["knee_pain_weeks"])
    assert len(str(caught.value)) < 300
