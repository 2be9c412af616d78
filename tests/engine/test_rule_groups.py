"""The engine's groups of rules: no field in common between two groups, and the same results as one whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from factorcheck.answers.derived import facts_from_given
from factorcheck.answers.validate import given_answers, parse_answers
from factorcheck.engine.durable import DurableEngine, _fields_by_rule, rule_groups
from factorcheck.engine.oracle import Oracle
from factorcheck.rules.loading import default_rules_dir, load_ruleset
from factorcheck.rules.ruleset import Ruleset
from support.synthetic import answer_sets

SHIPPED = load_ruleset()
CHEST = 'when: {item: rf_breathless_chest_pain, in: ["yes", "not_sure"]}'
# The same rule also holding on an item of the links between knee and heel: it joins their group.
CALVES = '{item: calf_tightness, eq: "yes"}'
CHEST_AND_CALVES = f"when: {{any: [{CHEST.removeprefix('when: ')}, {CALVES}]}}"


def _bridged(tmp_path: Path) -> Ruleset:
    folder = tmp_path / "rules"
    folder.mkdir()
    for shipped in default_rules_dir().glob("*.yaml"):
        shutil.copy(shipped, folder)
    triage = folder / "triage.yaml"
    text = triage.read_text(encoding="utf-8")
    assert CHEST in text
    triage.write_text(text.replace(CHEST, CHEST_AND_CALVES), encoding="utf-8")
    return load_ruleset(folder)


def _check_groups(ruleset: Ruleset) -> list[list[str]]:
    groups = rule_groups(ruleset)
    order = [rule.id for rule in ruleset.rules]
    ids = [[rule.id for rule in group] for group in groups]
    assert sorted(rule for group in ids for rule in group) == sorted(order), "each rule in one group"
    assert all(group == sorted(group, key=order.index) for group in ids), "each group in rule-set order"
    fields = _fields_by_rule(ruleset)
    owners: dict[str, int] = {}
    for number, group in enumerate(ids):
        for rule_id in group:
            for name in fields[rule_id]:
                assert owners.setdefault(name, number) == number, f"{name} is compared in two groups"
    return ids


def test_the_shipped_rules_fall_into_the_warning_signs_the_links_and_night_pain() -> None:
    """Rule set 2.0.0: the child's-limp rule compares the age with the knee and gait answers, so the
    age rules join the links; night pain with systemic signs or a lump is a small group of its own."""
    groups = _check_groups(SHIPPED)
    assert len(groups) == 3
    warning_signs, links, night_pain = groups
    assert {"chest_symptoms", "stroke_signs", "achilles_snap"} <= set(warning_signs)
    assert {
        "biomechanical_imbalance",
        "heel_to_knee",
        "orthotics",
        "under_18",
        "child_knee_pain_with_limp",
    } <= set(links)
    assert set(night_pain) == {
        "night_pain_with_systemic_signs",
        "night_or_rest_pain",
        "systemic_symptoms",
        "hard_lump",
    }


@pytest.mark.parametrize("remembered", [0, 64], ids=["asking", "remembering"])
def test_a_rule_that_bridges_two_groups_joins_them_and_results_stay_the_oracles(
    tmp_path: Path, remembered: int
) -> None:
    ruleset = _bridged(tmp_path)
    groups = _check_groups(ruleset)
    assert next(group for group in groups if "chest_symptoms" in group) == next(
        group for group in groups if "muscle_imbalance" in group
    )
    engine, oracle = DurableEngine(ruleset, remembered=remembered), Oracle(ruleset)
    for raw in list(answer_sets(seed=5, count=300)) * 2:
        facts = facts_from_given(given_answers(parse_answers(raw)))
        assert engine.evaluate(facts) == oracle.evaluate(facts)
