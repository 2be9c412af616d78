"""`factorcheck fhir questionnaire`, and `check` reading a QuestionnaireResponse like an answer file."""

from __future__ import annotations

import io
import json
import stat
from pathlib import Path

import pytest

from factorcheck.answers.fhir.questionnaire import questionnaire_resource
from factorcheck.answers.fhir.writing import response_json, response_resource
from factorcheck.cli.main import main
from support import EXAMPLES

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.json"))


def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
    """Run the CLI in-process; returns exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_fhir_questionnaire_prints_the_questionnaire() -> None:
    """`fhir questionnaire` prints the R4 Questionnaire as JSON on stdout; exit 0."""
    code, out, err = run("fhir", "questionnaire")
    assert (code, err) == (0, "")
    assert json.loads(out) == questionnaire_resource()


def test_fhir_questionnaire_output_writes_a_private_file(tmp_path: Path) -> None:
    """--output FILE writes the same JSON to FILE (owner-only), and nothing to stdout."""
    target = tmp_path / "q.json"
    code, out, err = run("fhir", "questionnaire", "--output", str(target))
    assert (code, out, err) == (0, "", "")
    assert json.loads(target.read_text()) == questionnaire_resource()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_fhir_questionnaire_output_to_a_missing_folder_fails_cleanly(tmp_path: Path) -> None:
    """A FILE whose folder does not exist is a one-line error; exit 1."""
    code, out, err = run("fhir", "questionnaire", "--output", str(tmp_path / "nowhere" / "q.json"))
    assert (code, out) == (1, "")
    assert err.startswith("factorcheck: cannot write ")


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda path: path.stem)
@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_check_gives_the_same_report_for_a_response_as_for_the_json(
    tmp_path: Path, path: Path, fmt: str
) -> None:
    """`check` on a QuestionnaireResponse prints exactly the report of the same answers as JSON."""
    response = tmp_path / "answers.fhir.json"
    response.write_text(response_json(json.loads(path.read_text())))
    assert run("check", str(response), "--format", fmt) == run("check", str(path), "--format", fmt)


def test_check_reads_a_response_from_standard_input() -> None:
    """A QuestionnaireResponse on stdin is recognised by its resourceType."""
    answers = json.loads(EXAMPLE_FILES[0].read_text())
    code, out, _ = run("check", "-", "--format", "json", stdin=response_json(answers))
    assert code == 0
    assert json.loads(out)["answers"] == answers


@pytest.mark.parametrize(
    ("stdin", "args", "words"),
    [
        (
            json.dumps({"age_years": 40, "heel_pain": True, "knee_pain": True}),
            ["--input-format", "fhir"],
            "(resource): is resourceType null, not a QuestionnaireResponse",
        ),
        (
            json.dumps({"resourceType": "Patient"}),
            [],
            "(resource): is a Patient, not a QuestionnaireResponse",
        ),
        (
            response_json({"age_years": 40, "heel_pain": True, "knee_pain": True}),
            ["--input-format", "json"],
            "resourceType: is not a questionnaire item",
        ),
        (
            json.dumps(
                {
                    "resourceType": "QuestionnaireResponse",
                    "status": "completed",
                    "item": [
                        {"linkId": "age_years", "answer": [{"valueInteger": 40}]},
                        {"linkId": "heel_pain", "answer": [{"valueBoolean": True}]},
                        {"linkId": "knee_pain", "answer": [{"valueString": "no"}]},
                    ],
                }
            ),
            [],
            "knee_pain: valueString is not an answer this item takes; expected a valueBoolean",
        ),
    ],
)
def test_invalid_responses_exit_2_with_nothing_on_stdout(stdin: str, args: list[str], words: str) -> None:
    """A refused or malformed response: exit 2, the problem (naming the linkId) on stderr, stdout empty."""
    code, out, err = run("check", "-", *args, stdin=stdin)
    assert (code, out) == (2, "")
    assert words in err
    assert "Traceback" not in err


def test_a_response_saved_part_way_is_not_a_complete_answer_set() -> None:
    """check needs the required items from a response too, and says which are missing."""
    partial = response_resource({"rf_recent_injury": "no"}, status="in-progress")
    code, out, err = run("check", "-", stdin=json.dumps(partial))
    assert (code, out) == (2, "")
    assert "age_years: is required and missing" in err
