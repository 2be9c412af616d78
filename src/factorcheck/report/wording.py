"""Plain-language phrasing of answers and reasons, shared by every human-readable format."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from factorcheck.answers.derived import DERIVED_BY_NAME
from factorcheck.answers.questionnaire import ITEMS, ITEMS_BY_ID, Item
from factorcheck.rules.ruleset import Ruleset


def answer_text(item_id: str, value: Any) -> str:
    """An answer as a person would say it: "Yes", "Knock-knees: ...", "170 cm"."""
    item = ITEMS_BY_ID[item_id]
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(item.choice_label(str(v)) for v in value)
    if isinstance(value, str):
        return item.choice_label(value)
    return f"{value:g} {item.unit}".strip() if isinstance(value, float) else f"{value} {item.unit}".strip()


def _fixed_answers(item: Item) -> tuple[object, ...]:
    """Every answer an item of one fixed choice (or yes/no) can have; () for numbers and lists."""
    if item.type == "boolean":
        return (True, False)
    return () if item.type in ("choices", "integer", "number") else item.choices


# "Label: answer" for every answer of a fixed choice, written once: every report lists many.
_ANSWER_LINES: dict[tuple[str, object], str] = {
    (item.id, value): f"{item.label}: {answer_text(item.id, value)}"
    for item in ITEMS
    for value in _fixed_answers(item)
}


def answer_line(item_id: str, value: Any) -> str:
    """An answer with its item's label, as a report lists it: "Diabetes: No", "Age: 52 years"."""
    if not isinstance(value, list):
        line = _ANSWER_LINES.get((item_id, value))
        if line is not None:
            return line
    return f"{ITEMS_BY_ID[item_id].label}: {answer_text(item_id, value)}"


def _unsure(answer: Any) -> bool:
    return answer == "not_sure" or (isinstance(answer, list) and "not_sure" in answer)


def _derived_value_text(value: Any, sources: list[Any]) -> str:
    """A derived value in the person's own terms: a "no" that came from "not sure" stays "not sure"."""
    if isinstance(value, bool):
        if not value and not sources:
            return "not answered"
        if not value and any(_unsure(answer) for answer in sources):
            return "not sure"
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def because_text(entry: Mapping[str, Any], answers: Mapping[str, Any], titles: Mapping[str, str]) -> str:
    """One "because" entry of a report in words."""
    if "rule" in entry:
        text = f"this report found: {titles.get(entry['rule'], entry['rule'])}"
    elif entry["item"] in DERIVED_BY_NAME:
        derived = DERIVED_BY_NAME[entry["item"]]
        parts = [answer_line(s, answers[s]) for s in entry.get("from", [])]
        given = [answers[s] for s in entry.get("from", [])]
        text = f"{derived.label}: {_derived_value_text(entry['value'], given)}"
        if parts:
            text += f" (from {'; '.join(parts)})"
    else:
        text = answer_line(entry["item"], entry["answer"])
    if entry.get("note"):
        text += f" [{entry['note']}]"
    return text


def rule_titles(ruleset: Ruleset) -> dict[str, str]:
    """Every rule's title by id, for naming conclusions in other conclusions' reasons."""
    return {rule.id: rule.title for rule in ruleset.rules}


def source_text(section: str) -> str:
    """A reference to a section of the source article, which the report cites once in full."""
    return f'the source article (see "Source" below), section "{section}"'


def article_citation(ruleset: Ruleset) -> str:
    """The source article, cited once in full, its date as printed and why it is ambiguous."""
    article = ruleset.article
    return (
        f'The links, factors and approaches above come from the article "{article.title}", dated '
        f'"{article.published}" as printed there. That date can be read as day-month or '
        "month-day, so the article does not say which day it was published. Each section above "
        "names the part of the article it comes from."
    )
