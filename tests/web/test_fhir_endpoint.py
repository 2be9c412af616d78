"""POST /fhir/QuestionnaireResponse: a FHIR client posts a response and gets the report, or an outcome."""

from __future__ import annotations

import json
from typing import Any

from factorcheck.answers.fhir.writing import response_resource
from factorcheck.assessment import default_assessor
from support import EXAMPLES
from support.fhir import schema_errors
from support.web_server import request

FHIR = {"Content-Type": "application/fhir+json"}
BOTH = json.loads((EXAMPLES / "both-pains-several-links.json").read_text())


def _post(
    server_url: str, resource: object, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    body = json.dumps(resource).encode()
    return request(server_url, "POST", "/fhir/QuestionnaireResponse", body, {**FHIR, **(headers or {})})


def test_a_response_gets_the_same_report_as_its_answers(server_url: str) -> None:
    """The JSON report for a posted QuestionnaireResponse equals the report for the answers it holds."""
    status, headers, text = _post(server_url, response_resource(BOTH))
    assert status == 200
    assert headers["content-type"].startswith("application/json")
    assert json.loads(text) == json.loads(json.dumps(default_assessor().assess(BOTH)))


def test_a_client_asking_for_html_gets_the_page(server_url: str) -> None:
    """Accept: text/html gives the printable HTML report instead."""
    status, headers, text = _post(server_url, response_resource(BOTH), {"Accept": "text/html"})
    assert status == 200
    assert headers["content-type"].startswith("text/html")
    assert text.startswith("<!DOCTYPE html>")


def test_an_invalid_response_gets_an_operation_outcome_naming_each_link_id(server_url: str) -> None:
    """Every problem is an issue of a valid R4 OperationOutcome (422) that names its linkId."""
    resource: dict[str, Any] = response_resource(BOTH)
    items = {item["linkId"]: item for group in resource["item"] for item in group.get("item", [])}
    items["age_years"]["answer"] = [{"valueDecimal": 52.5}]
    items["knee_alignment"]["answer"] = [{"valueCoding": {"code": "knock-knees"}}]
    status, headers, text = _post(server_url, resource)
    assert status == 422
    assert headers["content-type"].startswith("application/fhir+json")
    outcome = json.loads(text)
    assert schema_errors(outcome) == []
    named = [issue["expression"][0] for issue in outcome["issue"]]
    assert "QuestionnaireResponse.item.where(linkId='age_years')" in named
    assert "QuestionnaireResponse.item.where(linkId='knee_alignment')" in named
    assert all(issue["severity"] == "error" for issue in outcome["issue"])


def test_other_resources_and_bodies_are_refused_as_operation_outcomes(server_url: str) -> None:
    """A Patient, broken JSON and a form body are refused with a status and an outcome that say why."""
    status, _, text = _post(server_url, {"resourceType": "Patient"})
    assert status == 422
    assert "QuestionnaireResponse" in json.loads(text)["issue"][0]["diagnostics"]
    status, _, text = request(server_url, "POST", "/fhir/QuestionnaireResponse", b"{", FHIR)
    assert status == 400
    assert json.loads(text)["resourceType"] == "OperationOutcome"
    status, _, _ = request(server_url, "POST", "/fhir/QuestionnaireResponse", b"age_years=4")
    assert status == 415


def test_the_endpoint_has_the_same_guard_as_the_form(server_url: str) -> None:
    """A cross-site post is refused, and the safe headers are on the answer."""
    status, _, _ = _post(server_url, response_resource(BOTH), {"Sec-Fetch-Site": "cross-site"})
    assert status == 403
    _, headers, _ = _post(server_url, response_resource(BOTH))
    assert headers["cache-control"] == "no-store"
    assert "default-src 'none'" in headers["content-security-policy"]


def _strict(text: str) -> Any:
    """The body as a strict I-JSON reader takes it: no text in it holds a lone surrogate."""
    decoded = json.loads(text)

    def walk(value: Any) -> None:
        if isinstance(value, str):
            value.encode("utf-8")  # a lone surrogate raises here
        elif isinstance(value, list):
            for entry in value:
                walk(entry)
        elif isinstance(value, dict):
            for key, entry in value.items():
                walk(key)
                walk(entry)

    walk(decoded)
    return decoded


def test_lone_surrogates_anywhere_in_a_post_get_a_strict_json_outcome(server_url: str) -> None:
    """A lone surrogate (written as a JSON escape) in an element name, a linkId, a code or the
    resource type gets 422 with a strict-UTF-8 OperationOutcome, never a 500."""
    resource: dict[str, Any] = response_resource(BOTH)
    variants: list[dict[str, Any]] = [
        {**resource, "\ud800x": 1},
        {**resource, "resourceType": "\udc80"},
        {**resource, "item": [*resource["item"], {"linkId": "\udfff"}]},
        {**resource, "item": [{"linkId": "knee_injury", "answer": [{"valueCoding": {"code": "\ud800"}}]}]},
    ]
    for variant in variants:
        status, _, text = _post(server_url, variant)
        assert status == 422, text
        assert _strict(text)["resourceType"] == "OperationOutcome"


def test_an_oversized_resource_gets_a_413_operation_outcome(server_url: str) -> None:
    """A resource over the body limit is refused with the documented OperationOutcome, not text."""
    big = {**response_resource(BOTH), "text": {"div": "x" * (128 * 1024)}}
    status, headers, text = _post(server_url, big)
    assert status == 413
    assert headers["content-type"].startswith("application/fhir+json")
    assert _strict(text)["issue"][0]["code"] == "too-costly"
