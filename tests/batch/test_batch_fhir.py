"""`factorcheck batch` with QuestionnaireResponses, one per JSON line, scored as the same answers as JSON."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from factorcheck.answers.fhir.writing import response_resource
from factorcheck.cli.main import main
from support.synthetic import answer_sets


def _write_jsonl(path: Path, records: list[Any]) -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def _batch(*args: str, stdin: str = "") -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["batch", *args], stdin=io.StringIO(stdin), stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_responses_and_answer_sets_mixed_give_the_same_reports(tmp_path: Path, workers: str) -> None:
    """A JSON Lines file mixing responses and answer sets scores each response as its answers."""
    answers = list(answer_sets(seed=12, count=40))
    mixed = [response_resource(a) if number % 2 else a for number, a in enumerate(answers)]
    _batch(str(_write_jsonl(tmp_path / "plain.jsonl", answers)), "-o", str(tmp_path / "plain.out"))
    code, _, stderr = _batch(
        str(_write_jsonl(tmp_path / "mixed.jsonl", mixed)),
        "-o",
        str(tmp_path / "mixed.out"),
        "--workers",
        workers,
    )
    assert code == 0, stderr
    assert "40 records: 40 reports" in stderr
    assert _lines(tmp_path / "mixed.out") == _lines(tmp_path / "plain.out")


def test_a_malformed_response_is_an_error_record_naming_the_link_id(tmp_path: Path) -> None:
    """A bad response gives an error record naming its line and linkId; the records after it are scored."""
    good = response_resource({"age_years": 40, "heel_pain": True, "knee_pain": False})
    bad = response_resource({"age_years": 40, "heel_pain": True, "knee_pain": False})
    bad["item"][0]["item"][1]["answer"] = [{"valueBoolean": True}, {"valueBoolean": False}]
    patient = {"resourceType": "Patient", "id": "p1"}
    source = _write_jsonl(tmp_path / "in.jsonl", [good, bad, patient, good])
    code, _, stderr = _batch(str(source), "-o", str(tmp_path / "out.jsonl"), "--workers", "1")
    assert code == 2
    out = _lines(tmp_path / "out.jsonl")
    assert "triage" in out[0]
    assert "triage" in out[3]
    assert out[1]["error"] == {
        "line": 2,
        "problems": [{"item": "heel_pain", "message": "has 2 answers; it takes one."}],
    }
    assert out[2]["error"]["problems"][0]["item"] == "(resource)"
    assert "is a Patient, not a QuestionnaireResponse" in out[2]["error"]["problems"][0]["message"]
    assert "2 invalid (the first on line 2)" in stderr


def test_input_format_fhir_reads_standard_input_and_requires_responses() -> None:
    """--input-format fhir: every line must be a QuestionnaireResponse; a plain answer set is refused."""
    answers = {"age_years": 40, "heel_pain": True, "knee_pain": False}
    stdin = json.dumps(response_resource(answers)) + "\n" + json.dumps(answers) + "\n"
    code, stdout, _ = _batch("-", "--input-format", "fhir", stdin=stdin)
    assert code == 2
    first, second = (json.loads(line) for line in stdout.splitlines())
    assert first["answers"] == answers
    assert "not a QuestionnaireResponse" in second["error"]["problems"][0]["message"]


def test_id_field_takes_an_element_of_the_response(tmp_path: Path) -> None:
    """--id-field id carries each response's id to the output; a response without it is an error record."""
    answers = {"age_years": 40, "heel_pain": False, "knee_pain": True}
    with_id = {**response_resource(answers), "id": "qr-7"}
    source = _write_jsonl(tmp_path / "in.jsonl", [with_id, response_resource(answers)])
    code, _, _ = _batch(str(source), "-o", str(tmp_path / "out.jsonl"), "--id-field", "id", "--workers", "1")
    assert code == 2
    first, second = _lines(tmp_path / "out.jsonl")
    assert (first["id"], first["answers"]) == ("qr-7", answers)
    assert second["error"]["problems"][0] == {
        "item": "id",
        "message": "is missing; --id-field asks every record for its identifier.",
    }
