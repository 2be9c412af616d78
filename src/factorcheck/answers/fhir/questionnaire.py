"""The R4 Questionnaire resource, generated from the answers model (the only place items are written)."""

from __future__ import annotations

import json
from typing import Any

from factorcheck.answers.fhir.names import (
    CODE_SYSTEM_URL,
    ITEM_CONTROL,
    ITEM_CONTROL_SYSTEM,
    MAX_VALUE,
    MIN_VALUE,
    OPTION_EXCLUSIVE,
    PART_LINK_IDS,
    QUESTIONNAIRE_URL,
    SDC_QUESTIONNAIRE_PROFILE,
    UCUM,
    UCUM_UNITS,
    UNIT,
    help_link_id,
)
from factorcheck.answers.questionnaire import (
    EXCLUSIVE_CHOICES,
    ITEMS,
    ITEMS_BY_ID,
    PARTS,
    QUESTIONNAIRE_VERSION,
    EnabledWhen,
    Item,
)
from factorcheck.errors import FactorcheckError

FHIR_TYPES = {
    "boolean": "boolean",
    "integer": "integer",
    "number": "decimal",
    "yes_no_unsure": "choice",
    "yes_no": "choice",
    "choice": "choice",
    "choices": "choice",
}
# The value[x] an answer of each FHIR item type carries.
VALUE_KEYS = {
    "boolean": "valueBoolean",
    "integer": "valueInteger",
    "decimal": "valueDecimal",
    "choice": "valueCoding",
}


class QuestionnaireExportError(FactorcheckError):
    """Raised when an item of the answers model has no faithful FHIR form (the export stops)."""


def fhir_type(item: Item) -> str:
    """The FHIR item type of a questionnaire item."""
    return FHIR_TYPES[item.type]


def coding(item: Item, code: str) -> dict[str, str]:
    """A choice of an item as a Coding of factorcheck's own code system."""
    return {"system": CODE_SYSTEM_URL, "code": code, "display": item.choice_label(code)}


def _typed_value(item: Item, value: float) -> dict[str, Any]:
    if item.type == "integer":
        return {"valueInteger": int(value)}
    return {"valueDecimal": int(value) if value == int(value) else value}


def _answer_option(item: Item, code: str) -> dict[str, Any]:
    option: dict[str, Any] = {"valueCoding": coding(item, code)}
    if item.type == "choices" and code in EXCLUSIVE_CHOICES:
        option["extension"] = [{"url": OPTION_EXCLUSIVE, "valueBoolean": True}]
    return option


def _unit(item: Item) -> dict[str, Any]:
    if item.unit not in UCUM_UNITS:
        raise QuestionnaireExportError(
            f'{item.id}: the unit "{item.unit}" has no UCUM code in names.UCUM_UNITS.'
        )
    code, display = UCUM_UNITS[item.unit]
    return {"url": UNIT, "valueCoding": {"system": UCUM, "code": code, "display": display}}


def _enable_answer(item: Item, condition: EnabledWhen, value: object) -> dict[str, Any]:
    source = ITEMS_BY_ID[condition.item]
    if isinstance(value, bool) and source.type == "boolean":
        return {"answerBoolean": value}
    if isinstance(value, str) and value in source.choices:
        return {"answerCoding": {"system": CODE_SYSTEM_URL, "code": value}}
    if type(value) is int and source.type == "integer":
        return {"answerInteger": value}
    raise QuestionnaireExportError(
        f"{item.id}: its condition on {condition.item} tests {value!r}, which has no enableWhen answer "
        f"for a {source.type} item."
    )


def enable_when(item: Item) -> dict[str, Any]:
    """The enableWhen entries and enableBehavior of a follow-up (nothing for an item always asked).

    The answers model asks a follow-up when every condition holds, each by one of its values: one
    condition with several values is `any`, several conditions of one value each `all`. An AND of
    ORs has no enableWhen form, so it stops the export rather than being approximated.
    """
    conditions = item.enabled_when
    if not conditions:
        return {}
    if len(conditions) > 1 and any(len(c.values) > 1 for c in conditions):
        shown = " and ".join(c.describe() for c in conditions)
        raise QuestionnaireExportError(
            f"{item.id}: its condition ({shown}) needs all of several conditions, one with several values; "
            "enableWhen cannot express that (it would need the SDC enableWhenExpression)."
        )
    entries = [
        {"question": c.item, "operator": "=", **_enable_answer(item, c, value)}
        for c in conditions
        for value in c.values
    ]
    result: dict[str, Any] = {"enableWhen": entries}
    if len(entries) > 1:
        result["enableBehavior"] = "any" if len(conditions) == 1 else "all"
    return result


def question_item(item: Item) -> dict[str, Any]:
    """One questionnaire item as a FHIR question item."""
    kind = fhir_type(item)
    found: dict[str, Any] = {"linkId": item.id, "text": item.question, "type": kind}
    extensions: list[dict[str, Any]] = []
    if item.minimum is not None:
        extensions.append({"url": MIN_VALUE, **_typed_value(item, item.minimum)})
    if item.maximum is not None:
        extensions.append({"url": MAX_VALUE, **_typed_value(item, item.maximum)})
    if item.unit:
        extensions.append(_unit(item))
    if extensions:
        found = {"extension": extensions, **found}
    found.update(enable_when(item))
    if item.required:
        found["required"] = True
    if item.type == "choices":
        found["repeats"] = True
    if item.choices:
        found["answerOption"] = [_answer_option(item, code) for code in item.choices]
    if item.help:
        found["item"] = [
            {
                "extension": [
                    {
                        "url": ITEM_CONTROL,
                        "valueCodeableConcept": {
                            "coding": [
                                {"system": ITEM_CONTROL_SYSTEM, "code": "help", "display": "Help-Button"}
                            ]
                        },
                    }
                ],
                "linkId": help_link_id(item.id),
                "text": item.help,
                "type": "display",
            }
        ]
    return found


def questionnaire_resource() -> dict[str, Any]:
    """The whole questionnaire as an R4 Questionnaire: one group per part, in order."""
    groups = [
        {
            "linkId": PART_LINK_IDS[part],
            "text": f"Part {part} of {len(PARTS)}: {title}",
            "type": "group",
            "item": [question_item(item) for item in ITEMS if item.part == part],
        }
        for part, title in PARTS.items()
    ]
    return {
        "resourceType": "Questionnaire",
        "id": "factorcheck",
        "meta": {"profile": [SDC_QUESTIONNAIRE_PROFILE]},
        "url": QUESTIONNAIRE_URL,
        "version": QUESTIONNAIRE_VERSION,
        "name": "Factorcheck",
        "title": "Knee pain and heel pain: how they may be linked",
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": "factorcheck",
        "description": "Questions about knee pain, heel pain (plantar fasciitis) and what may add strain, "
        "asked after a screen for warning signs that need prompt care. factorcheck scores the answers "
        "into an explanation of how the two pains may be linked: education, not a diagnosis.",
        "purpose": "Education: every report ends by asking the person to see a doctor, physiotherapist or "
        "podiatrist.",
        "item": groups,
    }


def questionnaire_json() -> str:
    """The Questionnaire as indented JSON, the way `factorcheck fhir questionnaire` prints it."""
    return json.dumps(questionnaire_resource(), indent=2, ensure_ascii=False) + "\n"
