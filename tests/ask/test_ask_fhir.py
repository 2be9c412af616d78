"""`factorcheck ask` saving its answers as a QuestionnaireResponse, and resuming from one."""

from __future__ import annotations

import io
import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from factorcheck.answers.answer_files import load_partial
from factorcheck.answers.fhir.reading import read_response
from factorcheck.answers.fhir.writing import response_json
from factorcheck.ask.command import offer_to_save
from factorcheck.ask.line_prompts import LineFrontEnd
from factorcheck.assessment import default_assessor
from factorcheck.conversation.session import Session
from support.ask_screen import ask
from support.typical_session import TYPICAL


@pytest.mark.parametrize(
    ("name", "args"),
    [("answers.fhir.json", []), ("answers.json", ["--answers-format", "fhir"])],
)
def test_save_answers_as_a_response_reads_back_to_the_same_answers(
    tmp_path: Path, name: str, args: list[str]
) -> None:
    """--save-answers FILE.fhir.json (or --answers-format fhir) writes a private QuestionnaireResponse that
    reads back to the answers the JSON file holds, and `check` on it prints the report `ask` showed."""
    done = ask(TYPICAL, "--save-answers", name, *args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    as_json = ask(TYPICAL, "--save-answers", "plain.json", cwd=tmp_path)
    assert as_json.returncode == 0, as_json.stderr
    saved = json.loads((tmp_path / name).read_text())
    assert saved["resourceType"] == "QuestionnaireResponse"
    assert saved["status"] == "completed"
    assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    assert read_response(saved) == json.loads((tmp_path / "plain.json").read_text())
    check = subprocess.run(
        [sys.executable, "-m", "factorcheck", "check", name],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    assert done.stdout.endswith(check.stdout)


def test_resume_from_a_response_saved_part_way(tmp_path: Path) -> None:
    """--resume reads an in-progress QuestionnaireResponse and carries on after its answers."""
    partial = {"rf_diabetes": "no", "age_years": 52, "heel_pain": True}
    (tmp_path / "partial.fhir.json").write_text(response_json(partial, status="in-progress"))
    done = ask(TYPICAL[3:], "--resume", "partial.fhir.json", "--save-answers", "answers.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Continuing from partial.fhir.json: 3 answers loaded." in done.stdout
    saved = json.loads((tmp_path / "answers.json").read_text())
    assert saved["rf_diabetes"] == "no"


def test_a_malformed_response_to_resume_is_refused_naming_the_link_id(tmp_path: Path) -> None:
    """A resume response with a bad answer is refused with the file's name and the linkId; exit 2."""
    resource = json.loads(response_json({"age_years": 52}, status="in-progress"))
    resource["item"][0]["item"][0]["answer"] = [{"valueDecimal": 52.5}]
    (tmp_path / "bad.fhir.json").write_text(json.dumps(resource))
    done = ask([], "--resume", "bad.fhir.json", cwd=tmp_path)
    assert done.returncode == 2
    assert "cannot continue from bad.fhir.json" in done.stderr
    assert "age_years: valueDecimal is not an answer this item takes" in done.stderr
    assert done.stdout == ""


def test_answers_kept_after_a_stop_are_an_in_progress_response(tmp_path: Path) -> None:
    """After Ctrl-C, a file name ending in .fhir.json keeps the answers so far as an in-progress response."""
    partial = {"rf_diabetes": "no", "age_years": 52}
    target = tmp_path / "later.fhir.json"
    front = LineFrontEnd(io.StringIO(f"{target}\n"), io.StringIO())
    offer_to_save(Session(default_assessor(), dict(partial)), front)
    saved = json.loads(target.read_text())
    assert saved["status"] == "in-progress"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert load_partial(target) == partial
