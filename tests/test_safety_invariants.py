"""Safety invariants as properties: the consult message ends every report, emergencies lead, no claims."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from factorcheck.answers.fhir.questionnaire import questionnaire_json
from factorcheck.answers.questionnaire import ITEMS, ITEMS_BY_ID
from factorcheck.assessment import default_assessor
from factorcheck.report.document import report_document
from factorcheck.report.markdown import render_markdown
from factorcheck.report.text import render_text
from support import ARTICLE, EXAMPLES, ROOT, RULES
from support.answer_sets import answer_sets

RULESET = default_assessor().ruleset

# Citations may name their sources as titled ("Does Plantar Fasciitis Cause Knee Pain?"); the
# project's own sentences may only say that this is not a diagnosis.
CITED_TITLES = (RULESET.article.title, *RULESET.article.sections, "Diagnosing heel pain in adults")
ALLOWED = ("not a diagnosis",)
CLAIM = re.compile(
    r"\bcaus\w*|\bdiagnos(?:is|es|e|ing)\b|\bresults? in\b|\bleads? to\b"
    r"|\byou have (?:plantar|arthritis|an? \w+ condition)",
    re.IGNORECASE,
)


def claims(text: str) -> list[str]:
    """The cause or diagnosis claims in a shown text, once cited titles are set aside."""
    text = " ".join(text.split())
    for phrase in (*CITED_TITLES, *ALLOWED):
        text = re.sub(re.escape(phrase), " ", text, flags=re.IGNORECASE)
    return CLAIM.findall(text)


def closing(text: str) -> str:
    """The last paragraph of a text report, below its last rule, as one line."""
    return " ".join(text.rsplit("-" * 78 + "\n", 1)[1].split())


def formats(raw: dict[str, Any]) -> dict[str, str]:
    report = default_assessor().assess(raw)
    blocks = report_document(report, RULESET)
    return {"text": render_text(blocks), "markdown": render_markdown(blocks), "json": json.dumps(report)}


@settings(max_examples=400, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(answer_sets(warning_share=0.2))
def test_every_report_in_every_format_ends_with_consult_and_leads_with_action(raw: dict[str, Any]) -> None:
    """Text and Markdown end with the level's consult message; a non-routine report opens with what to do."""
    report = default_assessor().assess(raw)
    shown = formats(raw)
    level = report["triage"]["level"]
    consult = RULESET.level(level).consult
    assert closing(shown["text"]) == consult
    assert shown["markdown"].rstrip("\n").splitlines()[-1] == consult
    assert json.loads(shown["json"])["consult"] == consult
    if level != "routine":
        action_start = " ".join(report["triage"]["action"].split()[:6])
        text_head = " ".join(shown["text"].splitlines()[:4])
        assert f"{level.upper()}:" in text_head
        assert action_start in text_head
        assert shown["markdown"].startswith(f"> **{level.upper()}:")
    if level == "emergency":
        assert "emergency" in shown["text"].splitlines()[1].lower()
        assert shown["text"].index("emergency department") < shown["text"].index("FACTORCHECK REPORT")
    assert claims(shown["text"]) == []
    assert claims(shown["markdown"].replace("\\", "")) == []


SELF_CARE_WORDS = re.compile(r"\bice\b|pain relievers?|ibuprofen|\brest from\b", re.IGNORECASE)


@settings(max_examples=300, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(answer_sets(warning_share=0.3))
def test_urgent_and_emergency_reports_hold_no_self_care_advice(raw: dict[str, Any]) -> None:
    """At a level where care comes first, no human format shows self-care advice; approaches wait."""
    report = default_assessor().assess(raw)
    level = RULESET.level(report["triage"]["level"])
    if level.self_care:
        return
    shown = formats(raw)
    self_care = [rule for rule in RULESET.of_kind("approach") if rule.self_care]
    # The person's own answers (a treatment already tried, "Rest or ice") are shown back to them and
    # their clinician: what they said, not advice.
    said = [
        ITEMS_BY_ID[name].choice_label(choice)
        for name, value in raw.items()
        if isinstance(value, list)
        for choice in value
    ]
    for fmt in ("text", "markdown"):
        flat = " ".join(shown[fmt].replace("\\", "").split())
        for label in said:
            flat = flat.replace(label, "")
        for rule in self_care:
            assert rule.explanation not in flat, (fmt, rule.id)
        assert SELF_CARE_WORDS.findall(flat) == [], fmt
        assert "To discuss with a professional" not in flat
        if report["approaches"]:
            assert "once you have been seen" in flat


def test_levels_that_withhold_self_care_are_the_urgent_ones() -> None:
    """Emergency and urgent withhold self-care; their consult wording does not ask anyone to wait."""
    withheld = {level.id for level in RULESET.levels if not level.self_care}
    assert withheld == {"emergency", "urgent"}
    for level_id in withheld:
        consult = RULESET.level(level_id).consult
        assert "before you act on it" not in consult
        assert "once you have been seen" in consult.lower()
    assert "emergency care first" in RULESET.level("emergency").consult.lower()
    assert len({level.consult for level in RULESET.levels}) == len(RULESET.levels)
    assert any(rule.self_care for rule in RULESET.of_kind("approach"))


def test_the_self_care_words_are_in_the_self_care_advice() -> None:
    """The words the property test looks for do occur in the shipped self-care advice (so it can fail)."""
    advice = " ".join(rule.explanation for rule in RULESET.of_kind("approach") if rule.self_care)
    assert SELF_CARE_WORDS.findall(advice)


def test_no_rule_text_claims_a_cause_or_a_diagnosis() -> None:
    """Every title, explanation, message and question the project can show is free of cause claims."""
    texts = [rule.title for rule in RULESET.rules] + [rule.explanation for rule in RULESET.rules]
    texts += [level.action for level in RULESET.levels] + [level.title for level in RULESET.levels]
    texts += [level.consult for level in RULESET.levels]
    texts += list(vars(RULESET.messages).values())
    texts += (
        [item.question for item in ITEMS] + [item.help for item in ITEMS] + [item.label for item in ITEMS]
    )
    offending = {text: found for text in texts if (found := claims(text))}
    assert offending == {}


def test_mechanisms_say_may() -> None:
    """Each mechanism presents its link as possible ("may"), never as certain."""
    for rule in RULESET.of_kind("mechanism"):
        assert re.search(r"\bmay\b", rule.explanation), rule.id


def _eight_word_runs(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z']+", text.lower())
    return {tuple(words[i : i + 8]) for i in range(len(words) - 7)}


def test_no_shown_text_repeats_a_sentence_of_the_source_article() -> None:
    """No eight-word run of the article's body appears in the rule files, the questions, a report, the
    FHIR Questionnaire or the documentation."""
    if not ARTICLE.exists():
        pytest.skip(f"the source article is not beside this checkout ({ARTICLE}); CI has it")
    article = ARTICLE.read_text(encoding="utf-8")
    # Headings may be cited as they are; only the body's sentences count, line by line.
    body_lines = [
        line for line in article.splitlines() if len(line.split()) >= 12 or line.strip().endswith(".")
    ]
    article_runs = set().union(*(_eight_word_runs(line) for line in body_lines))
    rules_dir = RULES
    ours = [path.read_text(encoding="utf-8") for path in rules_dir.glob("*.yaml")]
    ours += [item.question + " " + item.help for item in ITEMS]
    examples = EXAMPLES
    ours += [formats(json.loads(path.read_text()))["text"] for path in examples.glob("*.json")]
    ours.append(questionnaire_json())
    ours += [path.read_text(encoding="utf-8") for path in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]]
    copied = [" ".join(run) for text in ours for run in _eight_word_runs(text) & article_runs]
    assert copied == []


def _bases(entries: list[dict[str, Any]]) -> set[str]:
    return {entry["item"] if "item" in entry else "rule:" + entry["rule"] for entry in entries}


@settings(max_examples=300, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(answer_sets(warning_share=0.2))
def test_every_evidence_line_belongs_to_a_branch_that_held(raw: dict[str, Any]) -> None:
    """Each evidence line a report shows is about the whole rule or tied to a branch among its reasons."""
    report = default_assessor().assess(raw)
    found = [*report["triage"]["reasons"], *report["mechanisms"], *report["factors"], *report["approaches"]]
    for finding in found:
        rule = RULESET.by_id[finding["id"]]
        tied = dict(zip(rule.evidence, rule.evidence_branches or [None] * len(rule.evidence), strict=True))
        held = _bases(finding["because"])
        for line in finding["evidence"]:
            assert tied[line] is None or tied[line] in held, (rule.id, line)
        assert finding["evidence"] == rule.evidence_for(held)


@settings(max_examples=200, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(answer_sets(warning_share=0.2))
def test_every_human_report_has_the_answers_summary_the_date_and_one_citation(raw: dict[str, Any]) -> None:
    """Text and Markdown carry the date, the answers in short (flagged signs too) and one full citation."""
    import datetime

    from factorcheck.report.document import summary_lines

    report = default_assessor().assess(raw)
    day = datetime.date(2026, 3, 1)
    blocks = report_document(report, RULESET, day)
    summary = summary_lines(report)
    assert summary[0].startswith("Age: ")
    flagged = [item for item, value in raw.items() if item.startswith("rf_") and value in ("yes", "not_sure")]
    assert (summary[-1].endswith(": none")) == (not flagged)
    for shown in (render_text(blocks), render_markdown(blocks).replace("\\", "")):
        flat = " ".join(shown.split())
        assert "Made on 2026-03-01." in flat
        assert "Your answers in short" in flat
        assert all(" ".join(line.split()) in flat for line in summary)
        assert flat.count(RULESET.article.published) <= 1
    assert "date" not in json.loads(formats(raw)["json"])
