"""QuestionnaireResponses in and out: the same answers and report as JSON, and every malformed case named."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factorcheck.answers.fhir.names import CODE_SYSTEM_URL, QUESTIONNAIRE_URL, SDC_RESPONSE_PROFILE
from factorcheck.answers.fhir.reading import answers_document, answers_from_response, read_response
from factorcheck.answers.fhir.writing import response_resource
from factorcheck.answers.questionnaire import QUESTIONNAIRE_VERSION
from factorcheck.assessment import default_assessor
from factorcheck.errors import InvalidAnswersError
from support import EXAMPLES
from support.answer_sets import answer_sets
from support.fhir import broken_invariants, schema_errors

EXAMPLE = json.loads((EXAMPLES / "both-pains-several-links.json").read_text())


def seeded(examples: int) -> settings:
    """Hypothesis settings for a repeatable run of `examples` answer sets."""
    return settings(
        max_examples=examples, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck)
    )


def _flat_items(resource: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for group in resource["item"] for item in group["item"]]


def _item(resource: dict[str, Any], link: str) -> dict[str, Any]:
    return next(item for item in _flat_items(resource) if item["linkId"] == link)


def _coding(code: str) -> dict[str, Any]:
    return {"valueCoding": {"system": CODE_SYSTEM_URL, "code": code}}


@seeded(300)
@given(answer_sets())
def test_answers_to_response_and_back_is_the_identity(answers: dict[str, Any]) -> None:
    """For any valid answer set, answers -> QuestionnaireResponse -> answers gives the same answers."""
    assert read_response(response_resource(answers)) == answers


@seeded(150)
@given(answer_sets())
def test_the_report_from_the_response_equals_the_report_from_the_json(answers: dict[str, Any]) -> None:
    """Scoring the QuestionnaireResponse gives exactly the report (as JSON) the JSON answers give."""
    assessor = default_assessor()
    resource = json.loads(json.dumps(response_resource(answers)))
    assert assessor.assess_to_json(answers_document(resource)) == assessor.assess_to_json(answers)


@seeded(40)
@given(answer_sets())
def test_generated_responses_are_valid_r4(answers: dict[str, Any]) -> None:
    """Every generated QuestionnaireResponse passes HL7's R4 JSON Schema and the qrs invariants."""
    resource = response_resource(answers, authored="2026-12-01T21:00:00+00:00")
    assert schema_errors(resource) == []
    assert broken_invariants(resource) == []


def test_the_response_names_the_questionnaire_and_its_version() -> None:
    """A written response names factorcheck's questionnaire (with the version), is completed and SDC."""
    resource = response_resource(EXAMPLE)
    assert resource["questionnaire"] == f"{QUESTIONNAIRE_URL}|{QUESTIONNAIRE_VERSION}"
    assert resource["status"] == "completed"
    assert resource["meta"]["profile"] == [SDC_RESPONSE_PROFILE]
    assert [
        answer["valueCoding"]["code"] for answer in _item(resource, "inflammatory_diagnosis")["answer"]
    ] == ["none"]


def test_the_invariant_check_catches_an_item_given_twice() -> None:
    """qrs-2 (answers of one item combined in one item) is checked, not assumed."""
    resource = response_resource(EXAMPLE)
    twice = copy.deepcopy(_item(resource, "knee_injury"))
    twice["answer"] = [_coding("yes")]
    resource["item"][1]["item"].append(twice)
    assert broken_invariants(resource) == ["qrs-2 at QuestionnaireResponse"]


@seeded(100)
@given(answer_sets(), st.randoms(use_true_random=False), st.booleans())
def test_answers_may_come_in_groups_or_not_in_any_order(
    answers: dict[str, Any], order: random.Random, flat: bool
) -> None:
    """Items read the same nested in their groups or not, in any order, with or without system and display."""
    resource = response_resource(answers)
    items = _flat_items(resource)
    order.shuffle(items)
    for item in items:
        for answer in item["answer"]:
            if "valueCoding" in answer and order.random() < 0.5:
                answer["valueCoding"] = {"code": answer["valueCoding"]["code"]}
    if flat:
        resource["item"] = items
    else:
        resource["item"] = [{"linkId": "part-3", "item": items[: len(items) // 2]}, *items[len(items) // 2 :]]
    assert read_response(resource) == answers


def test_a_response_saved_part_way_reads_back() -> None:
    """An in-progress response reads back to the answers it holds; only the required items are missing."""
    partial = {"rf_recent_injury": "yes", "rf_rapid_knee_swelling": "not_sure"}
    resource = response_resource(partial, status="in-progress")
    raw, problems = answers_from_response(resource)
    assert raw == partial
    assert [(p.item, p.message.split(";")[0]) for p in problems] == [
        (item, "is required and missing") for item in ("age_years", "heel_pain", "knee_pain")
    ]


def _answer(link: str, *answers: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def change(resource: dict[str, Any]) -> None:
        _item(resource, link)["answer"] = list(answers)

    return change


def _add(group: int, item: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def change(resource: dict[str, Any]) -> None:
        resource["item"][group]["item"].append(item)

    return change


def _no_heel_pain(resource: dict[str, Any]) -> None:
    _item(resource, "heel_pain")["answer"] = [{"valueBoolean": False}]
    for link in ("heel_pain_first_steps", "heel_pain_weeks", "limp_from_heel", "symptom_order"):
        resource["item"][1]["item"].remove(_item(resource, link))


def _drop(link: str) -> Callable[[dict[str, Any]], None]:
    def change(resource: dict[str, Any]) -> None:
        for group in resource["item"]:
            group["item"] = [item for item in group["item"] if item["linkId"] != link]

    return change


def _set(link: str, key: str, value: object) -> Callable[[dict[str, Any]], None]:
    def change(resource: dict[str, Any]) -> None:
        _item(resource, link)[key] = value

    return change


# Each malformed response: what is wrong, how to break a valid one, the linkId the problem names,
# and words the message must hold.
MALFORMED: list[tuple[str, Callable[[dict[str, Any]], None], str, str]] = [
    (
        "a text where a choice goes",
        _answer("knee_alignment", {"valueString": "straight"}),
        "knee_alignment",
        "valueString is not an answer this item takes; expected a valueCoding whose code is one of",
    ),
    (
        "an integer given as text",
        _answer("age_years", {"valueInteger": "52"}),
        "age_years",
        'valueInteger "52" (text) is not allowed; expected a valueInteger: a whole number from 1 to 120',
    ),
    (
        "a decimal for an integer item",
        _answer("age_years", {"valueDecimal": 52.0}),
        "age_years",
        "valueDecimal is not an answer this item takes; expected a valueInteger",
    ),
    (
        "an integer for a decimal item",
        _answer("height_cm", {"valueInteger": 168}),
        "height_cm",
        "valueInteger is not an answer this item takes; expected a valueDecimal",
    ),
    (
        "a boolean given as text",
        _answer("heel_pain", {"valueBoolean": "true"}),
        "heel_pain",
        'valueBoolean "true" (text) is not allowed; expected a valueBoolean: true or false',
    ),
    (
        "a coding for a boolean",
        _answer("knee_pain", _coding("yes")),
        "knee_pain",
        "valueCoding is not an answer this item takes; expected a valueBoolean",
    ),
    (
        "an unknown linkId",
        _add(1, {"linkId": "knee_pian", "answer": [{"valueBoolean": True}]}),
        "knee_pian",
        'is not a linkId of factorcheck\'s questionnaire. Did you mean "knee_pain"?',
    ),
    (
        "a code outside the choices",
        _answer("knee_alignment", _coding("straigt")),
        "knee_alignment",
        'valueCoding code "straigt" is not allowed; expected a valueCoding whose code is one of "straight"',
    ),
    (
        "a code from another system",
        _answer("heel_pain_side", {"valueCoding": {"system": "http://snomed.info/sct", "code": "left"}}),
        "heel_pain_side",
        'is from the code system "http://snomed.info/sct" (text); expected factorcheck\'s',
    ),
    (
        "a coding without a code",
        _answer("heel_pain_side", {"valueCoding": {"display": "Left"}}),
        "heel_pain_side",
        "valueCoding has no code",
    ),
    (
        "two answers to a single-answer item",
        _answer("heel_pain_side", _coding("left"), _coding("right")),
        "heel_pain_side",
        "has 2 answers; it takes one.",
    ),
    (
        "a follow-up that does not apply",
        _no_heel_pain,
        "heel_pain_side",
        "is a follow-up asked only when heel_pain is true, but heel_pain is false",
    ),
    (
        "an exclusive choice with another",
        _answer("inflammatory_diagnosis", _coding("none"), _coding("gout")),
        "inflammatory_diagnosis",
        '"none" cannot be combined with other choices',
    ),
    (
        "a choice ticked twice",
        _answer("inflammatory_diagnosis", _coding("gout"), _coding("gout")),
        "inflammatory_diagnosis",
        "gout is listed more than once",
    ),
    (
        "an item given twice",
        _add(2, {"linkId": "knee_injury", "answer": [_coding("yes")]}),
        "knee_injury",
        "appears twice",
    ),
    (
        "a number out of range",
        _answer("age_years", {"valueInteger": 150}),
        "age_years",
        "150 is not allowed; expected a whole number from 1 to 120",
    ),
    ("an answer without a value", _answer("knee_injury", {}), "knee_injury", "has an answer with no value"),
    (
        "an answer with two values",
        _answer("knee_injury", {"valueBoolean": True, **_coding("no")}),
        "knee_injury",
        "has an answer with 2 values",
    ),
    (
        "an empty answer list",
        _answer("knee_injury"),
        "knee_injury",
        "answer must be a list of one or more answers",
    ),
    (
        "a group with an answer",
        lambda r: r["item"][1].update(answer=[{"valueBoolean": True}]),
        "part-2",
        "is a group, which takes no answer",
    ),
    ("a required item missing", _drop("knee_pain"), "knee_pain", "is required and missing"),
    (
        "a misspelt element",
        _set("knee_injury", "answers", [_coding("no")]),
        "knee_injury",
        'has answers, which is not an element of an item. Did you mean "answer"?',
    ),
    (
        "a modifier extension",
        _set("knee_injury", "modifierExtension", [{"url": "http://x", "valueBoolean": True}]),
        "knee_injury",
        "has a modifierExtension",
    ),
    ("height without weight", _drop("weight_kg"), "weight_kg", "height_cm and weight_kg go together"),
]


@pytest.mark.parametrize(("case", "breaks", "link", "words"), MALFORMED, ids=[case[0] for case in MALFORMED])
def test_each_malformed_response_is_a_clear_problem_naming_the_link_id(
    case: str, breaks: Callable[[dict[str, Any]], None], link: str, words: str
) -> None:
    """A malformed QuestionnaireResponse raises InvalidAnswersError naming the linkId, and says why."""
    resource = response_resource(EXAMPLE)
    breaks(resource)
    with pytest.raises(InvalidAnswersError) as raised:
        read_response(resource)
    named = [problem for problem in raised.value.problems if problem.item == link]
    assert named, f"{case}: {raised.value}"
    assert any(words in problem.message for problem in named), f"{case}: {raised.value}"
    assert f"  - {link}: " in str(raised.value)


def test_a_bad_item_does_not_also_make_its_follow_ups_look_unasked() -> None:
    """An unreadable heel_pain is one problem; its follow-ups are not blamed for heel_pain being absent."""
    resource = response_resource(EXAMPLE)
    _item(resource, "heel_pain")["answer"] = [{"valueString": "yes"}]
    with pytest.raises(InvalidAnswersError) as raised:
        read_response(resource)
    assert [problem.item for problem in raised.value.problems] == ["heel_pain"]


def test_every_problem_is_reported_at_once() -> None:
    """Several malformed items give one problem each, in questionnaire order."""
    resource = response_resource(EXAMPLE)
    _answer("age_years", {"valueInteger": 0})(resource)
    _answer("knee_alignment", _coding("bow"))(resource)
    _answer("calf_tightness", {"valueBoolean": True})(resource)
    with pytest.raises(InvalidAnswersError) as raised:
        read_response(resource)
    assert [problem.item for problem in raised.value.problems] == [
        "age_years",
        "knee_alignment",
        "calf_tightness",
    ]


@pytest.mark.parametrize(
    ("resource", "link", "words"),
    [
        ({"resourceType": "Patient", "id": "p1"}, "(resource)", "is a Patient, not a QuestionnaireResponse"),
        (
            [{"resourceType": "QuestionnaireResponse"}],
            "(resource)",
            "expected a QuestionnaireResponse (a JSON object)",
        ),
        (
            {
                "resourceType": "QuestionnaireResponse",
                "status": "completed",
                "questionnaire": "http://example.org/Q/phq9",
            },
            "questionnaire",
            '"http://example.org/Q/phq9" (text) is another questionnaire',
        ),
        (
            {
                "resourceType": "QuestionnaireResponse",
                "status": "entered-in-error",
                "questionnaire": QUESTIONNAIRE_URL,
            },
            "status",
            "these answers were withdrawn",
        ),
        (
            {"resourceType": "QuestionnaireResponse", "status": "done"},
            "status",
            '"done" (text) is not allowed',
        ),
        ({"resourceType": "QuestionnaireResponse", "items": []}, "items", 'Did you mean "item"?'),
    ],
)
def test_other_resources_and_other_questionnaires_are_refused(
    resource: object, link: str, words: str
) -> None:
    """Another kind of resource, another questionnaire's answers or withdrawn answers are refused, clearly."""
    with pytest.raises(InvalidAnswersError) as raised:
        answers_document(resource, fhir=True)
    assert any(problem.item == link and words in problem.message for problem in raised.value.problems), str(
        raised.value
    )


def test_the_questionnaire_may_be_named_with_or_without_a_version() -> None:
    """questionnaire may be the canonical URL alone or with |version; both are factorcheck's."""
    for named in (QUESTIONNAIRE_URL, f"{QUESTIONNAIRE_URL}|{QUESTIONNAIRE_VERSION}"):
        resource = response_resource(EXAMPLE)
        resource["questionnaire"] = named
        assert read_response(resource) == EXAMPLE


def test_plain_answers_pass_through_unless_fhir_is_forced() -> None:
    """A JSON answer set is not a resource; forcing FHIR on it refuses it as not a QuestionnaireResponse."""
    assert answers_document(EXAMPLE) is EXAMPLE
    with pytest.raises(InvalidAnswersError, match="not a QuestionnaireResponse"):
        answers_document(EXAMPLE, fhir=True)


def _response_with(*items: dict[str, Any]) -> dict[str, Any]:
    base = [
        {"linkId": "age_years", "answer": [{"valueInteger": 40}]},
        {"linkId": "heel_pain", "answer": [{"valueBoolean": True}]},
        {"linkId": "knee_pain", "answer": [{"valueBoolean": False}]},
    ]
    return {"resourceType": "QuestionnaireResponse", "status": "completed", "item": [*base, *items]}


@pytest.mark.parametrize("digits", [309, 400, 5000])
def test_a_decimal_of_hundreds_of_digits_is_a_problem_naming_the_item(digits: int) -> None:
    """A whole number too large for a float, given as a decimal, is out of range for its item,
    not an overflow (it used to end a whole batch)."""
    huge = 10**digits - 1
    _, problems = answers_from_response(
        _response_with(
            {"linkId": "height_cm", "answer": [{"valueDecimal": 170}]},
            {"linkId": "weight_kg", "answer": [{"valueDecimal": huge}]},
        )
    )
    assert [problem.item for problem in problems] == ["weight_kg"]
    assert "a whole number of about" in problems[0].message
    assert "expected a number from" in problems[0].message


@pytest.mark.parametrize(
    "name",
    ["\x1b[2J\x1b[31mred", "\u202etxt.exe", "a" * 100_000, "\ud800lone"],
    ids=["escape codes", "bidi override", "100,000 characters", "lone surrogate"],
)
def test_names_from_the_document_are_shown_escaped_and_short(name: str) -> None:
    """An element name, linkId, value key or code the sender wrote is escaped and shortened in
    every message, as answer-file messages are: no terminal escape, no 100,000-character line, no
    lone surrogate (which strict UTF-8 output could not carry)."""
    documents = [
        {**_response_with(), name: 1},
        _response_with({"linkId": name}),
        _response_with({"linkId": "knee_injury", name: 1}),
        _response_with({"linkId": "knee_injury", "answer": [{name: 1}]}),
        _response_with({"linkId": "knee_injury", "answer": [{"value" + name: 1}]}),
        _response_with({"linkId": "knee_injury", "answer": [{"valueCoding": {"code": name}}]}),
        _response_with(
            {"linkId": "knee_injury", "answer": [{"valueCoding": {"code": name, "system": "urn:x"}}]}
        ),
        {**_response_with(), "resourceType": name},
    ]
    for document in documents:
        _, problems = answers_from_response(document)
        assert problems, document
        for problem in problems:
            for text in (problem.item, problem.message):
                assert "\x1b" not in text
                assert "\u202e" not in text
                assert len(text) < 400
                text.encode("utf-8")  # strict: a lone surrogate would raise here
