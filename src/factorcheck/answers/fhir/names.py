"""The FHIR names factorcheck uses: its canonical URLs, the extensions, the group and help linkIds."""

from __future__ import annotations

from factorcheck.answers.questionnaire import PARTS

FHIR_VERSION = "4.0.1"
# Identifiers, not addresses: nothing is published there (a reserved top-level domain, so the
# names can never belong to anyone else). A QuestionnaireResponse names the questionnaire by URL.
QUESTIONNAIRE_URL = "https://factorcheck.invalid/fhir/Questionnaire/factorcheck"
CODE_SYSTEM_URL = "https://factorcheck.invalid/fhir/CodeSystem/answer-choices"

SDC_QUESTIONNAIRE_PROFILE = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire"
SDC_RESPONSE_PROFILE = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaireresponse"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
UNIT = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"
OPTION_EXCLUSIVE = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
UCUM = "http://unitsofmeasure.org"

# The questionnaire's units (as the answers model names them) in UCUM: code, and what a form shows.
UCUM_UNITS: dict[str, tuple[str, str]] = {
    "years": ("a", "years"),
    "weeks": ("wk", "weeks"),
    "cm": ("cm", "cm"),
    "kg": ("kg", "kg"),
    # A pain score from 0 to 10 has no physical unit: UCUM writes such a count in braces.
    "points": ("{score}", "points"),
}

# One group per part of the questionnaire; contract item ids never contain a hyphen, so these
# linkIds cannot collide with an item's.
PART_LINK_IDS: dict[int, str] = {part: f"part-{part}" for part in PARTS}
HELP_SUFFIX = "-help"


def help_link_id(item_id: str) -> str:
    """The linkId of the display item that holds an item's help text."""
    return item_id + HELP_SUFFIX
