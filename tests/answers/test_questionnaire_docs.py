"""docs/questionnaire.md describes the questionnaire model: ids, types, values, ranges, follow-ups, order."""

from __future__ import annotations

import dataclasses

from factorcheck.answers.questionnaire import ITEMS, ITEMS_BY_ID
from support import ROOT
from support.questionnaire_docs import RANGE_DASH, doc_problems, doc_rows

DOC = (ROOT / "docs" / "questionnaire.md").read_text(encoding="utf-8")


def test_the_item_tables_match_the_questionnaire_model() -> None:
    """Every item has its row, in its Part and in question order, and each column says what the model says."""
    problems = doc_problems(DOC, ITEMS)
    assert not problems, "\n".join(problems)


def test_the_tables_are_read_at_all() -> None:
    assert [row.id for row in doc_rows(DOC)] == [item.id for item in ITEMS]


def test_a_missing_or_wrong_row_is_reported_by_item() -> None:
    """The check names the item whose row is missing or wrong, and says what the model has."""
    without = "\n".join(line for line in DOC.splitlines() if not line.startswith("| `limp_from_heel`"))
    assert doc_problems(without, ITEMS) == [
        "limp_from_heel: missing from docs/questionnaire.md (Part 2 table, after `gait_changed_by_knee`)."
    ]
    weeks = dataclasses.replace(ITEMS_BY_ID["heel_pain_weeks"], maximum=260)
    changed = [weeks if item.id == weeks.id else item for item in ITEMS]
    assert doc_problems(DOC, changed) == [
        f"heel_pain_weeks: docs/questionnaire.md says allowed values '0{RANGE_DASH}520'; "
        f"the model says '0{RANGE_DASH}260'."
    ]
    swapped = [*ITEMS]
    swapped[0], swapped[1] = swapped[1], swapped[0]
    assert doc_problems(DOC, swapped) == ["rf_recent_injury: out of question order in docs/questionnaire.md."]
