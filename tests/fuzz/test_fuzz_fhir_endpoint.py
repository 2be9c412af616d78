"""Fuzzing POST /fhir/QuestionnaireResponse: a report or an OperationOutcome, strict JSON; a quiet server."""

from __future__ import annotations

from typing import Any

import orjson
from hypothesis import given

from support.fuzzing import FUZZ, record, response_documents
from support.watched_server import WatchedServer

# A report (200); the problems (422); not a JSON resource (400); over 64 KiB (413).
ANSWERS = {200: "report", 422: "problems", 400: "not JSON", 413: "too large"}


@FUZZ
@given(response_documents)
def test_a_hostile_response_gets_a_report_or_an_operation_outcome(
    watched_server: WatchedServer, body: bytes
) -> None:
    """200 with a report, or 4xx with an OperationOutcome whose every issue says what is wrong;
    every answer strict JSON (orjson reads it); nothing on the server's output."""
    status, kind, content = watched_server.post("/fhir/QuestionnaireResponse", body, "application/fhir+json")
    record("serve POST /fhir/QuestionnaireResponse", ANSWERS.get(status, f"status {status}"))
    assert watched_server.written() == ""
    assert status in ANSWERS, content[:2000]
    answer: dict[str, Any] = orjson.loads(content)
    if status == 200:
        assert kind.startswith("application/json")
        assert answer["consult"]
        return
    assert kind.startswith("application/fhir+json")
    assert answer["resourceType"] == "OperationOutcome"
    assert answer["issue"]
    for issue in answer["issue"]:
        assert issue["severity"] == "error"
        assert issue["diagnostics"]
        assert len(issue["diagnostics"]) < 2000
