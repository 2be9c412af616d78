"""Safety invariants as properties: the consult message ends every report, emergencies lead, no claims."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from factorcheck.answers.fhir.questionnaire import questionnaire_json
from factorcheck.answers.questionnaire import ITEMS
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


def formats(raw: dict[str, Any]) -> dict[str, str]:
    report = default_assessor().assess(raw)
    blocks = report_document(report, RULESET)
    return {"text": render_text(blocks), "markdown": render_markdown(blocks), "json": json.dumps(report)}


@settings(max_examples=400, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(answer_sets(warning_share=0.2))
def test_every_report_in_every_format_ends_with_consult_and_leads_with_action(raw: dict[str, Any]) -> None:
    """Text and Markdown end with the consult line; a non-routine report opens with what to do."""
    report = default_assessor().assess(raw)
    shown = formats(raw)
    consult = RULESET.messages.consult
    assert shown["text"].rstrip("\n").splitlines()[-1] == consult
    assert shown["markdown"].rstrip("\n").splitlines()[-1] == consult
    assert json.loads(shown["json"])["consult"] == consult
    level = report["triage"]["level"]
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


def test_no_rule_text_claims_a_cause_or_a_diagnosis() -> None:
    """Every title, explanation, message and question the project can show is free of cause claims."""
    texts = [rule.title for rule in RULESET.rules] + [rule.explanation for rule in RULESET.rules]
    texts += [level.action for level in RULESET.levels] + [level.title for level in RULESET.levels]
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
