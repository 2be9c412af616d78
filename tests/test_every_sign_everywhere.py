"""Every warning sign reaches at least its level through every way answers come in: the library,
a CSV row, a FHIR QuestionnaireResponse, the web form's post and its live check, and the terminal
questionnaire. The signs are read from the rule files, so a new one is tested without a new line."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from factorcheck.answers.csv_input import RowReader, cell_text
from factorcheck.answers.fhir.reading import read_response
from factorcheck.answers.fhir.writing import response_resource
from factorcheck.answers.questionnaire import ITEMS, ITEMS_BY_ID
from factorcheck.assessment import default_assessor
from factorcheck.conversation.prompts import Typed
from factorcheck.conversation.session import CHECKLIST_ITEMS, Session
from factorcheck.web.app import WebForm
from factorcheck.web.posted import read_posted

ASSESSOR = default_assessor()
RULESET = ASSESSOR.ruleset
RANK: dict[str, int] = {level.id: level.rank for level in RULESET.levels}
# (rule, level, one of its must-fire examples), for every warning sign and every example.
SIGNS: list[tuple[str, str, dict[str, Any]]] = [
    (rule.id, rule.level, dict(example))
    for rule in RULESET.of_kind("triage")
    if rule.level is not None
    for example in rule.examples.must_fire
]


def _ids(case: tuple[str, str, dict[str, Any]]) -> str:
    return case[0]


def _level(answers: Mapping[str, object]) -> str:
    report = ASSESSOR.assess(dict(answers))
    assert report["triage"]["reasons"], "no reason at all"
    return report["triage"]["level"]


def _form_pairs(answers: Mapping[str, object]) -> list[tuple[str, str]]:
    pairs = []
    for name, value in answers.items():
        for one in value if isinstance(value, list) else [value]:
            pairs.append((name, ("true" if one else "false") if isinstance(one, bool) else str(one)))
    return pairs


@pytest.mark.parametrize("case", SIGNS, ids=[_ids(case) for case in SIGNS])
def test_each_sign_reaches_its_level_from_csv_fhir_and_the_web_form(
    case: tuple[str, str, dict[str, Any]],
) -> None:
    """The same answers as a CSV row, as a FHIR response and as a posted form give at least the level."""
    rule_id, level, answers = case
    header = [item.id for item in ITEMS if item.id in answers]
    from_csv, problems = RowReader(header, None).answers([cell_text(answers[name]) for name in header])
    assert problems == []
    from_fhir = read_response(response_resource(answers))
    posted = read_posted(_form_pairs(answers))
    assert posted.valid, posted.problems
    for arrived in (answers, from_csv, from_fhir, posted.answers):
        assert RANK[_level(arrived)] >= RANK[level], rule_id
        assert rule_id in [r["id"] for r in ASSESSOR.assess(dict(arrived))["triage"]["reasons"]]


TOLD_AT_ONCE = [case for case in SIGNS if case[1] in ("emergency", "urgent")]


@pytest.mark.parametrize("case", TOLD_AT_ONCE, ids=[_ids(case) for case in TOLD_AT_ONCE])
def test_each_urgent_or_emergency_sign_is_told_at_once_on_the_web_and_in_the_terminal(
    case: tuple[str, str, dict[str, Any]],
) -> None:
    """The web form's live check names the sign at its level or higher, as soon as the warning-sign
    answers are given; the terminal questionnaire warns before the report, at the latest right after
    the answer that completes the sign."""
    rule_id, level, answers = case
    safety = {k: v for k, v in answers.items() if ITEMS_BY_ID[k].is_safety_item}
    title = RULESET.by_id[rule_id].title
    if all(ITEMS_BY_ID[k].is_safety_item or k in ("age_years", "heel_pain", "knee_pain") for k in answers):
        told = WebForm(ASSESSOR)._triage(safety)
        assert told is not None, rule_id
        assert RANK[str(told["level"])] >= RANK[level]
    session = Session(ASSESSOR)
    ticked = [str(n) for n, item in enumerate(CHECKLIST_ITEMS, 1) if item.id in safety]
    notices = list(session.reply(Typed(" ".join(ticked) or "none")).notices)
    steps = 0
    while not session.finished and steps < 80:
        prompt = session.prompt()
        if prompt.kind == "review":
            break
        item = prompt.key.split(":", 1)[1]
        value = answers.get(item)
        if prompt.key.startswith("confirm:"):
            reply = "not sure" if value == "not_sure" else "yes"
        elif value is None:
            reply = "skip"
        elif isinstance(value, bool):
            reply = "yes" if value else "no"
        elif isinstance(value, list):
            reply = ", ".join(ITEMS_BY_ID[item].choice_label(v) for v in value)
        else:
            reply = "not sure" if value == "not_sure" else str(value)
        outcome = session.reply(Typed(reply))
        assert not outcome.error, (prompt.key, reply, outcome.error)
        notices += outcome.notices
        steps += 1
    pressing = [n for n in notices if n.kind in ("urgent", "emergency")]
    assert any(title in n.lines for n in pressing), rule_id
    assert max(RANK[n.kind] for n in pressing) >= RANK[level]
