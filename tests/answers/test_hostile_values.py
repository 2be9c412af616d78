"""Hostile answer values get a clear, bounded problem naming the item, never a crash or a flood."""

from __future__ import annotations

import time

import pytest

from factorcheck.answers.shown import LONGEST_SHOWN, quoted, safe_text
from factorcheck.answers.validate import find_problems
from factorcheck.assessment import assess
from factorcheck.errors import InvalidAnswersError

BASE: dict[str, object] = {"age_years": 40, "heel_pain": True, "knee_pain": True}


def _nested(depth: int) -> list[object]:
    root: list[object] = []
    inner = root
    for _ in range(depth):
        deeper: list[object] = []
        inner.append(deeper)
        inner = deeper
    return root


def _problems(raw: dict[str, object]) -> dict[str, str]:
    with pytest.raises(InvalidAnswersError) as caught:
        assess(raw)
    return {problem.item: problem.message for problem in caught.value.problems}


@pytest.mark.parametrize(
    ("item", "value", "words"),
    [
        ("inflammatory_diagnosis", _nested(20_000), ["a list [[…]]"]),
        ("age_years", _nested(20_000), ["a list [[…]]"]),
        ("age_years", 10**5000, ["a whole number of about 5,001 digits"]),
        ("age_years", -(10**5000), ["a whole number of about 5,001 digits"]),
        ("age_years", float("nan"), ["NaN is not allowed"]),
        ("weight_kg", float("inf"), ["Infinity is not allowed"]),
        ("knee_pain_side", {"a": _nested(5000)}, ["an object"]),
    ],
    ids=["deep list", "deep list for a number", "huge integer", "huge negative", "NaN", "Infinity", "object"],
)
def test_a_hostile_value_is_a_problem_of_its_item(item: str, value: object, words: list[str]) -> None:
    """Deep nesting, huge integers, NaN and Infinity are problems of their item, not a RecursionError."""
    raw = {**BASE, item: value}
    if item == "weight_kg":
        raw["height_cm"] = 170
    problems = _problems(raw)
    assert item in problems
    for word in words:
        assert word in problems[item]


def test_nan_does_not_hide_the_other_problems() -> None:
    """NaN in one item and a wrong type in another: both are named."""
    problems = _problems({**BASE, "age_years": float("nan"), "heel_pain": "yes"})
    assert set(problems) == {"age_years", "heel_pain"}


@pytest.mark.parametrize("where", ["key", "value"])
def test_a_huge_text_is_shown_shortened(where: str) -> None:
    """A 10 MB key or text value is quoted by its start and its length, quickly."""
    huge = "x" * 10_000_000
    raw = {**BASE, huge: 1} if where == "key" else {**BASE, "knee_pain_side": huge}
    started = time.monotonic()
    _, problems = find_problems(raw)
    assert time.monotonic() - started < 2
    assert problems
    text = " ".join(str(problem) for problem in problems)
    assert len(text) < 1000
    assert "10,000,000 characters" in text


@pytest.mark.parametrize("unsafe", ["\x1b[2J\x1b[31m", "\x07\x00", "\u202e", "\x9b", "\ud8ff"])
@pytest.mark.parametrize("where", ["key", "value"])
def test_control_characters_are_shown_escaped(unsafe: str, where: str) -> None:
    """Terminal escape sequences, control and invisible characters in a key or a value are escaped."""
    raw = {**BASE, f"k{unsafe}": 1} if where == "key" else {**BASE, "knee_pain_side": f"v{unsafe}"}
    _, problems = find_problems(raw)
    text = " ".join(str(problem) for problem in problems)
    assert unsafe not in text
    assert "\\x" in text or "\\u" in text


def test_safe_text_shortens_and_escapes() -> None:
    """safe_text and quoted keep short texts as they are, escape controls, and cut long ones."""
    assert safe_text("knee") == "knee"
    assert quoted("a\nb") == '"a\\nb"'
    long = "y" * (LONGEST_SHOWN + 1)
    assert safe_text(long).endswith(f"({LONGEST_SHOWN + 1} characters)")
    assert len(quoted(long)) < LONGEST_SHOWN + 30


@pytest.mark.parametrize("entries", [1_000, 100_000])
def test_a_long_list_is_refused_in_linear_time(entries: int) -> None:
    """A list longer than its choices is refused by its length at once; nothing quadratic runs."""
    raw = {**BASE, "inflammatory_diagnosis": ["gout"] * entries}
    started = time.monotonic()
    problems = _problems(raw)
    assert time.monotonic() - started < 1
    assert f"{entries:,} entries" in problems["inflammatory_diagnosis"]


def test_duplicates_within_the_choices_are_still_named() -> None:
    """A short list with a repeated choice still says which one."""
    problems = _problems({**BASE, "inflammatory_diagnosis": ["gout", "gout"]})
    assert "gout is listed more than once" in problems["inflammatory_diagnosis"]
