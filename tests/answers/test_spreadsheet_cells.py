"""Sheet rows of any cells the reader can give: one output line each, a report or an error record
whose problems of item columns name their cell; never an exception."""

from __future__ import annotations

import datetime

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from factorcheck.answers.questionnaire import ITEMS
from factorcheck.batch.record_scoring import BatchOptions, RecordScorer
from factorcheck.rules.loading import load_ruleset

HEADER = ("rid", *(item.id for item in ITEMS[:18]))
SCORER = RecordScorer(
    BatchOptions("xlsx", load_ruleset(), "rid", header=HEADER, sheet_name="Intake 2026", first_column=2)
)
# Every kind of cell python-calamine gives: texts, booleans, numbers, dates, times, durations.
cells = st.one_of(
    st.sampled_from(["", " ", "yes", "no", "not_sure", "TRUE", "wahr", "40", "74,5", "gout; none", "=1+1"]),
    st.text(max_size=30),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(cells, min_size=0, max_size=len(HEADER) + 2), st.integers(2, 1_048_576))
def test_any_sheet_row_gives_one_line(row: list[object], number: int) -> None:
    line, (record_id, decided, problems) = SCORER.score(number, tuple(row))
    written = orjson.loads(line)
    assert written["id"] == record_id
    if decided is None:
        assert written["error"]["line"] == number
        assert problems
        for problem in problems:
            if problem.item in HEADER:
                column = "CDEFGHIJKLMNOPQRSTUVWXYZ"[HEADER.index(problem.item)]
                assert problem.message.startswith(f"'Intake 2026'!{column}{number}: "), problem
    else:
        assert "triage" in written


def test_a_valid_row_with_typed_cells_gives_a_report() -> None:
    header = ("age_years", "heel_pain", "knee_pain")
    scorer = RecordScorer(BatchOptions("ods", load_ruleset(), None, header=header, sheet_name="Sheet1"))
    line, (_, decided, problems) = scorer.score(2, (40.0, True, False))
    assert decided is not None, problems
    assert orjson.loads(line)["answers"] == {"age_years": 40, "heel_pain": True, "knee_pain": False}
    line, (_, decided, problems) = scorer.score(3, (datetime.time(9, 30), True, False))
    assert decided is None
    assert problems[0].message.startswith("Sheet1!A3: a time cell (09:30:00) is not allowed")
