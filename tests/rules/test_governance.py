"""Governance metadata: every rule carries it, loading refuses a rule without it, naming the field."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

from factorcheck.errors import RuleFileError
from factorcheck.rules.governance import NOT_REVIEWED, add_months, overdue
from factorcheck.rules.loading import default_rules_dir, load_ruleset


def _copy_rules(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), target, ignore=shutil.ignore_patterns("*.py", "__pycache__", "*.md"))
    return target


def _edit(rules: Path, file: str, old: str, new: str) -> None:
    path = rules / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the test's edit no longer applies to {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_shipped_rule_carries_complete_metadata() -> None:
    ruleset = load_ruleset()
    assert ruleset.governance is not None
    assert ruleset.governance.grading.expert_opinion in ruleset.governance.grading.grades
    for rule in ruleset.rules:
        meta = rule.governance
        assert meta is not None, rule.id
        assert meta.status == "active"
        assert meta.author == "factorcheck maintainers"
        assert meta.reviewers == ()
        assert meta.review_state == NOT_REVIEWED
        assert meta.rationale
        assert meta.population
        assert meta.limitations
        assert meta.version in [change.version for change in meta.changes]
        assert len(meta.evidence) == len(rule.evidence)
        assert meta.next_review <= add_months(meta.last_reviewed, 24)
    assert ruleset.review_state == NOT_REVIEWED


BAD = [
    (
        "no rationale",
        "factors.yaml",
        "    rationale: >-\n"
        "      Pronated foot posture has been associated with plantar heel pain in some studies, though\n"
        "      pooled evidence is weak.\n",
        "",
        '"rationale"',
    ),
    ("bad status", "ruleset.yaml", "status: active", "status: live", "status"),
    ("untyped evidence", "triage.yaml", "        type: supports\n", "", "type"),
    ("ungraded evidence", "triage.yaml", "        grade: F\n", "        grade: Z\n", "grade"),
    ("review too far", "ruleset.yaml", 'next_review: "2027-12-06"', 'next_review: "2029-01-01"', "24 months"),
    ("not a date", "ruleset.yaml", 'last_reviewed: "2026-12-06"', 'last_reviewed: "6 Dec"', "last_reviewed"),
    (
        "no change entry",
        "ruleset.yaml",
        'version: "1.0.0"\n    author',
        'version: "1.1.0"\n    author',
        "changes",
    ),
]


@pytest.mark.parametrize(("case", "file", "old", "new", "words"), BAD, ids=[case[0] for case in BAD])
def test_a_rule_without_its_metadata_is_a_load_error_naming_file_rule_and_field(
    tmp_path: Path, case: str, file: str, old: str, new: str, words: str
) -> None:
    rules = _copy_rules(tmp_path)
    _edit(rules, file, old, new)
    with pytest.raises(RuleFileError) as caught:
        load_ruleset(rules)
    assert words in caught.value.reason, str(caught.value)
    # A default from ruleset.yaml that a rule cannot take is reported on the first rule taking it.
    assert caught.value.rule is not None, str(caught.value)
    assert caught.value.path == ("triage.yaml" if file == "ruleset.yaml" else file)


def test_the_expert_opinion_grade_must_be_named_so(tmp_path: Path) -> None:
    rules = _copy_rules(tmp_path)
    _edit(rules, "ruleset.yaml", 'F: "Expert opinion:', 'F: "Consensus:')
    with pytest.raises(RuleFileError, match="expert opinion"):
        load_ruleset(rules)


def test_only_active_rules_run_unless_drafts_are_asked_for(tmp_path: Path) -> None:
    rules = _copy_rules(tmp_path)
    _edit(
        rules,
        "factors.yaml",
        "  - id: prolonged_standing\n",
        "  - id: prolonged_standing\n    status: draft\n",
    )
    _edit(rules, "factors.yaml", "  - id: load_increase\n", "  - id: load_increase\n    status: retired\n")
    active = load_ruleset(rules)
    assert "prolonged_standing" not in active.by_id
    assert "load_increase" not in active.by_id
    with_drafts = load_ruleset(rules, include_drafts=True)
    assert "prolonged_standing" in with_drafts.by_id
    assert "load_increase" not in with_drafts.by_id


def test_a_review_is_overdue_after_its_next_review_date() -> None:
    meta = load_ruleset().rules[0].governance
    assert meta is not None
    assert not overdue(meta, meta.next_review)
    assert overdue(meta, meta.next_review + datetime.timedelta(days=1))
    assert add_months(datetime.date(2024, 2, 29), 24) == datetime.date(2026, 2, 28)
