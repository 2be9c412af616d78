"""Saved answer files: partial answers checked item by item on resume, private files on disk."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from factorcheck.answers.answer_files import answers_json, load_partial, partial_problems
from factorcheck.errors import FactorcheckError, InvalidAnswersError, InvalidJsonError
from factorcheck.private_files import write_private


def test_partial_answers_need_no_required_items_or_pairs() -> None:
    """A stop half-way is fine: missing required items and a height still waiting for its weight."""
    assert partial_problems({"rf_diabetes": "no", "height_cm": 170}) == []
    assert partial_problems({}) == []


@pytest.mark.parametrize(
    ("raw", "item"),
    [
        ({"rf_diabetes": "maybe"}, "rf_diabetes"),
        ({"age_years": "35"}, "age_years"),
        ({"age_yeers": 35}, "age_yeers"),
        ({"heel_pain_side": "left"}, "heel_pain_side"),
        ({"heel_pain": False, "heel_pain_side": "left"}, "heel_pain_side"),
        ({"inflammatory_diagnosis": ["none", "gout"]}, "inflammatory_diagnosis"),
    ],
)
def test_every_given_answer_is_checked(raw: dict[str, object], item: str) -> None:
    """Each answer given is checked against its item, and follow-ups against what they follow."""
    assert [problem.item for problem in partial_problems(raw)] == [item]


def test_not_an_object() -> None:
    """A file holding something other than an object of answers is refused."""
    assert partial_problems([1, 2])


def test_load_partial_reads_a_saved_file(tmp_path: Path) -> None:
    """Answers written by the save offer load back the same."""
    path = tmp_path / "answers.json"
    answers = {"rf_recent_injury": "not_sure", "age_years": 40, "weight_kg": 73.9}
    path.write_text(answers_json({"rf_recent_injury": "not_sure", "age_years": 40}))
    assert load_partial(path) == {"rf_recent_injury": "not_sure", "age_years": 40}
    assert json.loads(answers_json(answers)) == answers


def test_load_partial_errors_name_the_problem(tmp_path: Path) -> None:
    """Missing, non-JSON and invalid files each give a clear error."""
    with pytest.raises(FactorcheckError, match="no such file"):
        load_partial(tmp_path / "missing.json")
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{not json")
    with pytest.raises(InvalidJsonError, match=r"cannot continue from .*bad\.json: not valid JSON"):
        load_partial(bad_json)
    invalid = tmp_path / "invalid.json"
    invalid.write_text('{"age_years": 300}')
    with pytest.raises(InvalidAnswersError, match="age_years: 300 is not allowed"):
        load_partial(invalid)


def test_written_files_are_private(tmp_path: Path) -> None:
    """Answer and report files are readable by their owner only."""
    path = tmp_path / "answers.json"
    write_private(path, "{}\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text() == "{}\n"
