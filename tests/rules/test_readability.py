"""Warning-sign questions and explanations read at about grade 8: short sentences, everyday words."""

from __future__ import annotations

import pytest

from factorcheck.answers.questionnaire import SAFETY_ITEMS, Item
from factorcheck.assessment import default_assessor
from factorcheck.rules.ruleset import Rule
from support.readability import grade, syllables

RULESET = default_assessor().ruleset
# About grade 8: no single warning-sign text above 8.5, and the set on average well under 8.
MOST = 8.5
MEAN = 8.0


def test_the_formula_scores_easy_and_hard_text_apart() -> None:
    """The grade formula gives a plain sentence a low grade and a long technical one a high grade."""
    assert [syllables(w) for w in ("cat", "table", "inflammatory", "knee")] == [1, 2, 5, 1]
    assert grade("The cat sat on the mat. It was warm.") < 2
    hard = (
        "Inflammatory enthesopathies characteristically demonstrate multifocal involvement "
        "necessitating comprehensive rheumatological evaluation and immunological investigation."
    )
    assert grade(hard) > 16


@pytest.mark.parametrize("rule", RULESET.of_kind("triage"), ids=lambda rule: rule.id)
def test_each_warning_sign_explanation_reads_at_about_grade_8(rule: Rule) -> None:
    """Each warning-sign explanation scores at most grade 8.5."""
    assert grade(rule.explanation) <= MOST, f"{rule.id}: grade {grade(rule.explanation):.1f}"


def test_warning_sign_texts_average_under_grade_8() -> None:
    """The warning-sign explanations and the level actions together average under grade 8."""
    texts = [rule.explanation for rule in RULESET.of_kind("triage")] + [
        level.action for level in RULESET.levels
    ]
    assert sum(map(grade, texts)) / len(texts) < MEAN
    assert all(grade(level.action) <= MOST for level in RULESET.levels)


@pytest.mark.parametrize("item", SAFETY_ITEMS, ids=lambda item: item.id)
def test_each_warning_sign_question_reads_at_about_grade_8(item: Item) -> None:
    """Each warning-sign question, as a person in pain reads it, scores at most grade 8.5."""
    assert grade(item.question) <= MOST, f"{item.id}: grade {grade(item.question):.1f}"
