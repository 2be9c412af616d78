"""HL7's R4 JSON Schema (vendored, loaded once) and the R4 invariants as FHIRPath, for the FHIR tests."""

from __future__ import annotations

import functools
import json
from typing import Any

import fhirpathpy
import jsonschema
from fhirpathpy.models import models

from support import ROOT

SCHEMA_FILE = ROOT / "tests" / "fhir_schema" / "fhir.schema.json"
SCHEMA_SHA256 = "15b9548af6412c44faaa411456e0652542de286fd1c58ef882b09bdc8947909d"
R4 = models["r4"]
# que-1 traces two values, which fhirpathpy would print; the tests need only the verdict.
_OPTIONS = {"traceFn": lambda label, value: None}

# The R4 (4.0.1) invariants of Questionnaire and QuestionnaireResponse, with HL7's FHIRPath, and
# where each applies. Two differ from the published text, each stricter or equal: que-12 is
# published as "count() > 2", an erratum (its text says "more than one"), so "> 1" is checked; and
# qrs-2 tests `answer.exists()` for HL7's `answer.value.exists()`, because fhirpathpy loses the
# element types inside `repeat(answer|item)` and then finds no value[x] at all (every answer has
# exactly one value, which the schema and the reader check).
_QUESTION_ITEMS = "Questionnaire.repeat(item)"
_RESPONSE_ITEMS = "QuestionnaireResponse.repeat(item | answer.item)"
INVARIANTS: dict[str, tuple[str, str]] = {
    "que-0": ("Questionnaire", "name.matches('[A-Z]([A-Za-z0-9_]){0,254}')"),
    "que-1": (
        _QUESTION_ITEMS,
        "(type='group' implies item.empty().not()) and (type.trace('type')='display' implies "
        "item.trace('item').empty())",
    ),
    "que-2": ("Questionnaire", "descendants().linkId.isDistinct()"),
    "que-3": (_QUESTION_ITEMS, "type!='display' or code.empty()"),
    "que-4": (_QUESTION_ITEMS, "answerOption.empty() or answerValueSet.empty()"),
    "que-5": (
        _QUESTION_ITEMS,
        "(type ='choice' or type = 'open-choice' or type = 'decimal' or type = 'integer' or type = 'date' "
        "or type = 'dateTime' or type = 'time' or type = 'string' or type = 'quantity') or "
        "(answerValueSet.empty() and answerOption.empty())",
    ),
    "que-6": (_QUESTION_ITEMS, "type!='display' or (required.empty() and repeats.empty())"),
    "que-7": (f"{_QUESTION_ITEMS}.enableWhen", "operator = 'exists' implies (answer is boolean)"),
    "que-8": (_QUESTION_ITEMS, "(type!='group' and type!='display') or initial.empty()"),
    "que-9": (_QUESTION_ITEMS, "type!='display' or readOnly.empty()"),
    "que-10": (
        _QUESTION_ITEMS,
        "(type in ('boolean' | 'decimal' | 'integer' | 'string' | 'text' | 'url' | 'open-choice')) or "
        "maxLength.empty()",
    ),
    "que-11": (_QUESTION_ITEMS, "answerOption.empty() or initial.empty()"),
    "que-12": (_QUESTION_ITEMS, "enableWhen.count() > 1 implies enableBehavior.exists()"),
    "que-13": (_QUESTION_ITEMS, "repeats=true or initial.count() <= 1"),
    "qrs-1": (_RESPONSE_ITEMS, "(answer.exists() and item.exists()).not()"),
    "qrs-2": (
        "QuestionnaireResponse",
        "repeat(answer|item).select(item.where(answer.exists()).linkId.isDistinct()).allTrue()",
    ),
}


@functools.cache
def _definitions() -> dict[str, Any]:
    """The schema's definitions, read once per test session (the file is 3 MB)."""
    definitions: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))["definitions"]
    return definitions


@functools.cache
def _validator(resource_type: str) -> jsonschema.Draft6Validator:
    schema = {"$ref": f"#/definitions/{resource_type}", "definitions": _definitions()}
    return jsonschema.Draft6Validator(schema)


def schema_errors(resource: dict[str, Any]) -> list[str]:
    """Every way `resource` breaks HL7's R4 JSON Schema for its resourceType, as readable lines."""
    validator = _validator(str(resource["resourceType"]))
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(resource)
    ]


def broken_invariants(resource: dict[str, Any]) -> list[str]:
    """The R4 invariants of the resource's type that it breaks, each with where."""
    prefix = "que-" if resource["resourceType"] == "Questionnaire" else "qrs-"
    broken: list[str] = []
    for key, (context, expression) in INVARIANTS.items():
        if not key.startswith(prefix):
            continue
        for node in fhirpathpy.evaluate(resource, context, model=R4):
            if _holds(node, expression) is False:
                where = node.get("linkId", context)
                broken.append(f"{key} at {where}")
    return broken


def _holds(node: dict[str, Any], expression: str) -> bool | None:
    """The invariant's verdict on one element: None when it does not apply (FHIRPath gives an
    empty result, as que-0 does on a resource without a name)."""
    result = fhirpathpy.evaluate(node, expression, model=R4, options=_OPTIONS)
    return None if result == [] else result == [True]
