"""QuestionnaireResponse in: the answers it holds, keyed by item id, or every problem, each naming its linkId.

What comes out is a raw answer set, exactly what a JSON answer file would hold, so the same strict
validation judges it; only what is particular to FHIR (value[x] types, codings, groups, one
answer per item) is checked here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from factorcheck.answers.fhir.names import CODE_SYSTEM_URL, PART_LINK_IDS, QUESTIONNAIRE_URL, help_link_id
from factorcheck.answers.fhir.questionnaire import VALUE_KEYS, fhir_type
from factorcheck.answers.questionnaire import ITEMS, ITEMS_BY_ID, Item
from factorcheck.answers.shown import quoted, safe_text
from factorcheck.answers.suggestions import did_you_mean
from factorcheck.answers.validate import describe_value, find_problems
from factorcheck.errors import InvalidAnswersError, Problem

RESOURCE = "(resource)"
RESPONSE = "QuestionnaireResponse"
# The R4 elements of a QuestionnaireResponse, of one of its items and of an answer. Anything else
# is a mistake (a misspelt element would otherwise drop answers without a word).
_RESPONSE_ELEMENTS = frozenset(
    [
        "resourceType",
        "id",
        "meta",
        "implicitRules",
        "language",
        "text",
        "contained",
        "extension",
        "modifierExtension",
        "identifier",
        "basedOn",
        "partOf",
        "questionnaire",
        "status",
        "subject",
        "encounter",
        "authored",
        "author",
        "source",
        "item",
    ]
)
_ITEM_ELEMENTS = frozenset(
    ["id", "extension", "modifierExtension", "linkId", "definition", "text", "answer", "item"]
)
_ANSWER_ELEMENTS = frozenset(["id", "extension", "modifierExtension", "item"])
_STATUSES = ("in-progress", "completed", "amended", "entered-in-error", "stopped")
_GROUPS = frozenset(PART_LINK_IDS.values())
_HELP = frozenset(help_link_id(item.id) for item in ITEMS if item.help)
# Stands for an answer that could not be read: the validator then counts the item as given (and
# invalid), so it does not also blame the item's follow-ups for an item "not answered".
_UNREADABLE = object()


def is_response(document: object) -> bool:
    """Whether a decoded JSON document is a FHIR resource (it says so with its resourceType)."""
    return isinstance(document, dict) and "resourceType" in document


def _refusal(resource: Mapping[str, Any]) -> Problem | None:
    """Why the whole resource is refused, if it is: another kind of resource, or another questionnaire's."""
    kind = resource.get("resourceType")
    if kind != RESPONSE:
        shown = (
            f"a {safe_text(kind)}"
            if isinstance(kind, str) and kind
            else f"resourceType {describe_value(kind)}"
        )
        return Problem(RESOURCE, f"is {shown}, not a {RESPONSE}; factorcheck scores only {RESPONSE}s.")
    named = resource.get("questionnaire")
    if named is not None and (not isinstance(named, str) or named.split("|", 1)[0] != QUESTIONNAIRE_URL):
        return Problem(
            "questionnaire",
            f"{describe_value(named)} is another questionnaire; factorcheck scores only answers to its "
            f"own, {QUESTIONNAIRE_URL} (`factorcheck fhir questionnaire` prints it).",
        )
    return None


def _resource_problems(resource: Mapping[str, Any]) -> list[Problem]:
    """Problems with the response's own elements (its status, an element R4 does not have)."""
    problems: list[Problem] = []
    status = resource.get("status")
    if status is not None and status not in _STATUSES:
        allowed = ", ".join(f'"{s}"' for s in _STATUSES)
        problems.append(
            Problem("status", f"{describe_value(status)} is not allowed; expected one of {allowed}.")
        )
    elif status == "entered-in-error":
        problems.append(
            Problem("status", 'is "entered-in-error": these answers were withdrawn, so none is scored.')
        )
    for key in resource:
        if key not in _RESPONSE_ELEMENTS:
            hint = did_you_mean(key, _RESPONSE_ELEMENTS)
            problems.append(Problem(safe_text(str(key)) or '""', f"is not an element of a {RESPONSE}.{hint}"))
    if "modifierExtension" in resource:
        problems.append(_modifier_problem(RESOURCE))
    return problems


def _modifier_problem(where: str) -> Problem:
    return Problem(
        where, "has a modifierExtension, which may change what the answers mean; factorcheck knows none."
    )


class _Collector:
    """Walks the items of a response (in groups or not, in any order) and gathers each item's answers."""

    def __init__(self) -> None:
        self.answers: dict[str, list[object]] = {}
        self.problems: list[Problem] = []

    def walk(self, items: object, where: str) -> None:
        if not isinstance(items, list):
            self.problems.append(
                Problem(where, f"item must be a list of items, not {describe_value(items)}.")
            )
            return
        for entry in items:
            self._entry(entry, where)

    def _entry(self, entry: object, where: str) -> None:
        if not isinstance(entry, dict):
            self.problems.append(
                Problem(where, f"has an item that is not an object: {describe_value(entry)}.")
            )
            return
        given = entry.get("linkId")
        if not isinstance(given, str) or not given:
            self.problems.append(
                Problem(where, f"has an item without a linkId (linkId {describe_value(given)}).")
            )
            return
        # A linkId or element name is the sender's text: shown escaped and shortened, as any value.
        link = safe_text(given)
        for key in entry:
            if key not in _ITEM_ELEMENTS:
                hint = did_you_mean(key, _ITEM_ELEMENTS)
                self.problems.append(
                    Problem(link, f"has {safe_text(key)}, which is not an element of an item.{hint}")
                )
        if "modifierExtension" in entry:
            self.problems.append(_modifier_problem(link))
        answers = entry.get("answer")
        if link in ITEMS_BY_ID:
            if link in self.answers:
                self.problems.append(
                    Problem(
                        link, "appears twice; give each item once, with all its answers in its answer list."
                    )
                )
            elif answers is not None:
                self._answers(link, answers)
        elif link in _GROUPS or link in _HELP:
            if answers is not None:
                kind = "a group" if link in _GROUPS else "help text"
                self.problems.append(Problem(link, f"is {kind}, which takes no answer."))
        else:
            hint = did_you_mean(given, [*ITEMS_BY_ID, *_GROUPS])
            self.problems.append(Problem(link, f"is not a linkId of factorcheck's questionnaire.{hint}"))
        if "item" in entry:
            self.walk(entry["item"], link)

    def _answers(self, link: str, answers: object) -> None:
        if not isinstance(answers, list) or not answers:
            self.problems.append(
                Problem(
                    link,
                    f"answer must be a list of one or more answers, not {describe_value(answers)}; "
                    "leave the item out if it was not answered.",
                )
            )
            self.answers[link] = [_UNREADABLE]
            return
        self.answers[link] = answers
        for answer in answers:
            if isinstance(answer, dict) and "item" in answer:
                self.walk(answer["item"], link)


def _allowed(item: Item) -> str:
    key = VALUE_KEYS[fhir_type(item)]
    if item.choices:
        codes = ", ".join(f'"{c}"' for c in item.choices)
        return f"a {key} whose code is one of {codes}"
    return f"a {key}: {item.allowed()}"


def _value(item: Item, answer: object) -> tuple[object, Problem | None]:
    """The contract's value of one answer, or the problem with it."""
    if not isinstance(answer, dict):
        return _UNREADABLE, Problem(
            item.id, f"has an answer that is not an object: {describe_value(answer)}."
        )
    for key in answer:
        if not key.startswith("value") and key not in _ANSWER_ELEMENTS:
            return _UNREADABLE, Problem(
                item.id, f"has an answer with {safe_text(key)}, which is not an element of an answer."
            )
    if "modifierExtension" in answer:
        return _UNREADABLE, _modifier_problem(item.id)
    keys = [key for key in answer if key.startswith("value")]
    if len(keys) != 1:
        given = "no value" if not keys else f"{len(keys)} values ({', '.join(map(safe_text, keys))})"
        return _UNREADABLE, Problem(item.id, f"has an answer with {given}; expected {_allowed(item)}.")
    key, value = keys[0], answer[keys[0]]
    expected = VALUE_KEYS[fhir_type(item)]
    if key != expected:
        return _UNREADABLE, Problem(
            item.id, f"{safe_text(key)} is not an answer this item takes; expected {_allowed(item)}."
        )
    if key == "valueCoding":
        return _code(item, value)
    wrong = Problem(item.id, f"{key} {describe_value(value)} is not allowed; expected {_allowed(item)}.")
    if key == "valueBoolean" and not isinstance(value, bool):
        return _UNREADABLE, wrong
    if key == "valueInteger" and (isinstance(value, bool) or not isinstance(value, int)):
        return _UNREADABLE, wrong
    # A whole number is finite however long (math.isfinite would overflow on 309 digits); its
    # range is the validator's to judge, as for an answer file.
    if key == "valueDecimal" and (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (isinstance(value, float) and not math.isfinite(value))
    ):
        return _UNREADABLE, wrong
    return value, None


def _code(item: Item, coding: object) -> tuple[object, Problem | None]:
    if not isinstance(coding, dict) or not isinstance(coding.get("code"), str):
        shown = describe_value(coding.get("code")) if isinstance(coding, dict) else describe_value(coding)
        return _UNREADABLE, Problem(
            item.id, f"valueCoding has no code (code {shown}); expected {_allowed(item)}."
        )
    system = coding.get("system")
    if system is not None and system != CODE_SYSTEM_URL:
        return _UNREADABLE, Problem(
            item.id,
            f"valueCoding code {quoted(coding['code'])} is from the code system {describe_value(system)}; "
            f"expected factorcheck's, {CODE_SYSTEM_URL}, or no system.",
        )
    code: str = coding["code"]
    if code not in item.choices:
        hint = did_you_mean(code, item.choices)
        return _UNREADABLE, Problem(
            item.id, f"valueCoding code {quoted(code)} is not allowed; expected {_allowed(item)}.{hint}"
        )
    return code, None


def answers_from_response(resource: object) -> tuple[dict[str, object], list[Problem]]:
    """The raw answers a QuestionnaireResponse holds, by item id, and every problem with it.

    With no problems, the answers are exactly what the same person's JSON answer file holds, and
    valid; else the problems are the FHIR reading's and the strict validator's (the same as for a
    JSON answer file), each naming a linkId.
    """
    if not isinstance(resource, dict):
        return {}, [
            Problem(RESOURCE, f"expected a {RESPONSE} (a JSON object), got {describe_value(resource)}.")
        ]
    refusal = _refusal(resource)
    if refusal is not None:
        return {}, [refusal]
    problems = _resource_problems(resource)
    collector = _Collector()
    if "item" in resource:
        collector.walk(resource["item"], RESOURCE)
    problems += collector.problems
    raw: dict[str, object] = {}
    bad: set[str] = {problem.item for problem in collector.problems}
    for item in ITEMS:
        if item.id not in collector.answers:
            continue
        answers = collector.answers[item.id]
        if answers == [_UNREADABLE]:
            raw[item.id] = _UNREADABLE
            continue
        if item.type != "choices" and len(answers) > 1:
            problems.append(Problem(item.id, f"has {len(answers)} answers; it takes one."))
            raw[item.id] = _UNREADABLE
            bad.add(item.id)
            continue
        values: list[object] = []
        for answer in answers:
            value, problem = _value(item, answer)
            if problem is not None:
                problems.append(problem)
                bad.add(item.id)
            values.append(value)
        if item.id in bad:
            raw[item.id] = _UNREADABLE
        else:
            raw[item.id] = values if item.type == "choices" else values[0]
    # The validator's view of everything (ranges, lists, follow-ups, required items), without
    # repeating what was already said about an item.
    _, checked = find_problems(raw)
    problems += [
        problem for problem in checked if problem.item not in bad and raw.get(problem.item) is not _UNREADABLE
    ]
    order = {item.id: index for index, item in enumerate(ITEMS)}
    problems.sort(key=lambda problem: order.get(problem.item, -1))
    return raw, problems


def read_response(resource: object) -> dict[str, object]:
    """The answers of a QuestionnaireResponse, validated; raises InvalidAnswersError with every problem."""
    raw, problems = answers_from_response(resource)
    if problems:
        raise InvalidAnswersError(problems)
    return raw


def answers_document(document: object, *, fhir: bool = False) -> object:
    """Answers from a decoded JSON document: a QuestionnaireResponse (by its resourceType, or when
    `fhir` says the input is one) is read into answers; anything else is taken to be answers."""
    if fhir or is_response(document):
        return read_response(document)
    return document
