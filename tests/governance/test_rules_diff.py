"""`rules diff`: per-rule changes, then the impact on answer sets, every level-down first and flagged."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from factorcheck.answers.sampling import answer_sets
from factorcheck.answers.validate import find_problems
from factorcheck.cli.main import main
from factorcheck.governance.impact import LEVEL_ORDER, corpus_impact, rule_changes
from factorcheck.rules.loading import default_rules_dir, load_ruleset

CHEST = 'when: {item: rf_breathless_chest_pain, in: ["yes", "not_sure"]}'
CHEST_EXAMPLE = (
    "        - {age_years: 50, heel_pain: false, knee_pain: true, rf_breathless_chest_pain: not_sure}\n"
)


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdin=io.StringIO(), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _copy(tmp_path: Path, name: str = "new") -> Path:
    target = tmp_path / name
    shutil.copytree(default_rules_dir(), target, ignore=shutil.ignore_patterns("*.py", "__pycache__", "*.md"))
    return target


def _edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the test's edit no longer applies to {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _narrowed(tmp_path: Path) -> Path:
    """The shipped rules with the chest-symptoms warning sign narrowed to "yes" (no "not sure"),
    and, so that the diff has a change upwards too, the under-18 sign raised to urgent (it fires
    for people who answer every warning sign "no", so the change shows in any corpus)."""
    new = _copy(tmp_path)
    _edit(new, "triage.yaml", CHEST, 'when: {item: rf_breathless_chest_pain, eq: "yes"}')
    _edit(new, "triage.yaml", CHEST_EXAMPLE, "")
    _edit(
        new,
        "triage.yaml",
        "  - id: under_18\n    level: soon",
        "  - id: under_18\n    level: urgent",
    )
    return new


def test_a_narrowed_triage_rule_reports_the_level_downs_first(tmp_path: Path) -> None:
    new = _narrowed(tmp_path)
    code, out, err = run(
        "rules", "diff", str(default_rules_dir()), str(new), "--generated", "4000", "--format", "json"
    )
    assert (code, err) == (3, "")
    document: dict[str, Any] = json.loads(out)
    rows = document["level_changes"]
    lower = [row["lower"] for row in rows]
    assert set(lower) == {True, False}, rows
    assert lower == sorted(lower, reverse=True), "every change to a lower level comes first"
    for row in rows:
        assert row["lower"] == (LEVEL_ORDER.index(row["to"]) < LEVEL_ORDER.index(row["from"]))
        assert 1 <= len(row["examples"]) <= 5
    assert any(row["from"] == "emergency" and row["lower"] for row in rows)
    # Each example of a level-down is a valid answer set with chest symptoms "not sure".
    for row in rows:
        if row["lower"] and row["from"] == "emergency":
            for answers in row["examples"]:
                assert find_problems(answers)[1] == []
                assert answers["rf_breathless_chest_pain"] == "not_sure"
    changed = {change["rule"]: change for change in document["rule_changes"]}
    assert set(changed) == {"chest_symptoms", "under_18"}
    logic = next(f for f in changed["chest_symptoms"]["fields"] if f["field"] == "logic")
    assert logic["before"].endswith("is yes or not sure")
    assert logic["after"].endswith("is yes")
    assert (
        document["reports_changed"] == sum(r["count"] for r in rows) or document["gained"] or document["lost"]
    )

    code, text, _ = run("rules", "diff", str(default_rules_dir()), str(new), "--generated", "4000")
    assert code == 3
    # Narrowed chest symptoms also break the safety floor: said first, then the level-downs.
    assert text.startswith("WARNING: the new rules break the safety floor")
    assert any(
        line.startswith("WARNING: ") and "LOWER triage level" in line for line in text.splitlines()[:4]
    )
    table = [line for line in text.splitlines() if " -> " in line and line.startswith("    ")]
    flagged = [line.endswith("LOWER") for line in table]
    assert flagged == sorted(flagged, reverse=True)
    assert flagged[0]
    assert not flagged[-1]


def test_the_same_rules_change_no_report_and_exit_0(tmp_path: Path) -> None:
    code, out, _ = run("rules", "diff", str(default_rules_dir()), str(_copy(tmp_path)), "--generated", "2000")
    assert code == 0
    assert "Rule changes\n  none" in out
    assert "reports that change: 0" in out


def test_metadata_texts_and_added_or_removed_rules_are_listed(tmp_path: Path) -> None:
    new = _copy(tmp_path)
    _edit(new, "factors.yaml", "  - id: first_step_pain\n", "  - id: first_step_pain_renamed\n")
    _edit(
        new,
        "factors.yaml",
        "  - id: overpronation\n",
        '  - id: overpronation\n    reviewers: ["Dr A. Example"]\n',
    )
    changes = {(c.rule, c.change): c for c in rule_changes(load_ruleset(), load_ruleset(new))}
    assert ("first_step_pain_renamed", "added") in changes
    assert ("first_step_pain", "removed") in changes
    reviewed = changes[("overpronation", "changed")]
    assert [(f.field, f.before, f.after) for f in reviewed.fields] == [("reviewers", "none", "Dr A. Example")]


def test_answers_from_a_file_and_a_bad_line_named(tmp_path: Path) -> None:
    new = _narrowed(tmp_path)
    unsure = {"age_years": 50, "heel_pain": False, "knee_pain": True, "rf_breathless_chest_pain": "not_sure"}
    plain = {"age_years": 50, "heel_pain": True, "knee_pain": False}
    corpus = tmp_path / "answers.jsonl"
    corpus.write_text(json.dumps(unsure) + "\n\n" + json.dumps(plain) + "\n", encoding="utf-8")
    code, out, _ = run(
        "rules", "diff", str(default_rules_dir()), str(new), "--answers", str(corpus), "--format", "json"
    )
    assert code == 3
    document = json.loads(out)
    assert document["corpus"]["answer_sets"] == 2
    assert document["reports_changed"] == 1
    assert document["level_changes"] == [
        {"from": "emergency", "to": "routine", "count": 1, "lower": True, "examples": [unsure]}
    ]
    corpus.write_text(
        json.dumps(plain) + "\n" + json.dumps({**plain, "age_years": "fifty"}) + "\n", encoding="utf-8"
    )
    code, _, err = run("rules", "diff", str(default_rules_dir()), str(new), "--answers", str(corpus))
    assert code == 1
    assert "line 2" in err
    assert "age_years" in err


def test_the_corpus_is_the_same_whatever_the_workers(tmp_path: Path) -> None:
    old, new = load_ruleset(), load_ruleset(_narrowed(tmp_path))
    one = corpus_impact(old, new, generated=12_000, workers=1)
    two = corpus_impact(old, new, generated=12_000, workers=2)
    assert (one.total, one.changed, one.levels) == (two.total, two.changed, two.levels)
    assert one.rechecked >= one.changed


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_answer_sets_are_valid_and_reach_every_level(seed: int) -> None:
    from factorcheck.answers.derived import facts_from_given
    from factorcheck.engine.closure_floor import ClosureEvaluator
    from factorcheck.engine.rule_examples import report_level

    ruleset = load_ruleset()
    evaluator = ClosureEvaluator(ruleset)
    levels = set()
    for answers in answer_sets(seed, 3000):
        _given, problems = find_problems(answers)
        assert problems == [], answers
        levels.add(report_level(ruleset, evaluator.evaluate(facts_from_given(answers))))
    assert levels == set(LEVEL_ORDER)
