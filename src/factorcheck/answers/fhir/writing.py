"""QuestionnaireResponse out: answers as the R4 resource that reading.py reads back to the same answers."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from factorcheck.answers.fhir.names import PART_LINK_IDS, QUESTIONNAIRE_URL, SDC_RESPONSE_PROFILE
from factorcheck.answers.fhir.questionnaire import coding
from factorcheck.answers.questionnaire import ITEMS, PARTS, QUESTIONNAIRE_VERSION, Item

FILE_SUFFIX = ".fhir.json"


def _answers(item: Item, value: object) -> list[dict[str, Any]]:
    if item.type == "choices":
        assert isinstance(value, list)
        return [{"valueCoding": coding(item, str(code))} for code in value]
    if item.choices:
        return [{"valueCoding": coding(item, str(value))}]
    if item.type == "boolean":
        return [{"valueBoolean": value}]
    if item.type == "integer":
        return [{"valueInteger": value}]
    return [{"valueDecimal": value}]


def response_resource(
    answers: Mapping[str, object], *, status: str = "completed", authored: str | None = None
) -> dict[str, Any]:
    """The answers as a QuestionnaireResponse to factorcheck's questionnaire, grouped by part.

    `answers` are valid answers (or, with status "in-progress", those given so far); items left out
    are left out of the response too.
    """
    groups = []
    for part in PARTS:
        items = [
            {"linkId": item.id, "text": item.question, "answer": _answers(item, answers[item.id])}
            for item in ITEMS
            if item.part == part and item.id in answers
        ]
        if items:
            groups.append({"linkId": PART_LINK_IDS[part], "item": items})
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "meta": {"profile": [SDC_RESPONSE_PROFILE]},
        "questionnaire": f"{QUESTIONNAIRE_URL}|{QUESTIONNAIRE_VERSION}",
        "status": status,
    }
    if authored is not None:
        resource["authored"] = authored
    resource["item"] = groups
    return resource


def response_json(
    answers: Mapping[str, object], *, status: str = "completed", authored: str | None = None
) -> str:
    """The QuestionnaireResponse as indented JSON, as `ask --save-answers` writes it."""
    resource = response_resource(answers, status=status, authored=authored)
    return json.dumps(resource, indent=2, ensure_ascii=False) + "\n"
