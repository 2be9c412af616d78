"""Loading rules/: a bad rule file is refused with its file, the rule and a reason (and a suggestion)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from factorcheck.errors import RuleFileError
from factorcheck.rules.loading import default_rules_dir, load_ruleset

BAD_EDITS: list[tuple[str, str, str, str, str, str]] = [
    # (case, file, text to replace, replacement, rule named, words the reason must contain)
    (
        "unknown item",
        "factors.yaml",
        '{item: calf_tightness, eq: "yes"}',
        '{item: calf_tightnes, eq: "yes"}',
        "tight_calves",
        'Did you mean "calf_tightness"?',
    ),
    (
        "wrong value type",
        "factors.yaml",
        "{item: bmi, gte: 30}",
        '{item: bmi, gte: "30"}',
        "excess_weight",
        "must be a number",
    ),
    (
        "value not allowed",
        "factors.yaml",
        '{item: heel_pain_first_steps, eq: "yes"}',
        '{item: heel_pain_first_steps, eq: "yess"}',
        "first_step_pain",
        'Did you mean "yes"?',
    ),
    (
        "YAML yes/no trap",
        "factors.yaml",
        '{item: on_feet_most_of_day, eq: "yes"}',
        "{item: on_feet_most_of_day, eq: true}",
        "prolonged_standing",
        'one of "yes", "no"',
    ),
    (
        "bad operator",
        "factors.yaml",
        "{item: bmi, gte: 30}",
        "{item: bmi, atleast: 30}",
        "excess_weight",
        'unknown key "atleast"',
    ),
    (
        "ordering on a choice",
        "factors.yaml",
        '{item: foot_rolls_in, in: ["yes", a_little]}',
        '{item: foot_rolls_in, gt: "no"}',
        "overpronation",
        '"gt" compares numbers',
    ),
    (
        "list item compared",
        "factors.yaml",
        "{item: bmi, gte: 30}",
        "{item: inflammatory_diagnosis, eq: gout}",
        "excess_weight",
        "inflammatory_diagnosed",
    ),
    (
        "unknown rule reference",
        "approaches.yaml",
        "{rule: systemic_condition}",
        "{rule: systemic_conditions}",
        "rheumatology_review",
        'Did you mean "systemic_condition"?',
    ),
    (
        "unknown source",
        "approaches.yaml",
        'source: "What is Plantar Fasciitis?"\n    rationale:',
        'source: "What is Plantar Fascitis?"\n    rationale:',
        "weight_management",
        "Did you mean",
    ),
    (
        "duplicate key",
        "factors.yaml",
        "  - id: tight_calves\n",
        "  - id: tight_calves\n    id: tight_calves\n",
        "",
        "appears twice",
    ),
    (
        "duplicate id",
        "factors.yaml",
        "  - id: tight_calves\n",
        "  - id: overpronation\n",
        "overpronation",
        "already used",
    ),
    (
        "missing explanation",
        "factors.yaml",
        "    explanation: >-\n      Tight calf",
        "    explain: >-\n      Tight calf",
        "tight_calves",
        'unknown key "explain"',
    ),
    (
        "invalid example",
        "factors.yaml",
        '{age_years: 30, heel_pain: true, knee_pain: false, calf_tightness: "yes"}',
        '{age_years: 30, heel_pain: true, calf_tightness: "yes"}',
        "tight_calves",
        "knee_pain: is required",
    ),
    (
        "no examples",
        "factors.yaml",
        "      must_not_fire:\n        - {age_years: 30, heel_pain: true, knee_pain: false, "
        "calf_tightness: not_sure}",
        "      must_not_fire: []",
        "tight_calves",
        "must_not_fire",
    ),
    (
        "triage without level",
        "triage.yaml",
        '    level: urgent\n    title: "A knee that is locked',
        '    title: "A knee that is locked',
        "knee_locked",
        "needs a level",
    ),
    ("bad kind", "factors.yaml", "kind: factor", "kind: factors", "", 'Did you mean "factor"?'),
    (
        "unknown named condition",
        "mechanisms.yaml",
        "{condition: pain}",
        "{condition: pains}",
        "biomechanical_imbalance",
        'Did you mean "pain"?',
    ),
    (
        "self_care not a boolean",
        "approaches.yaml",
        "    self_care: true",
        '    self_care: "yes"',
        "pain_management",
        '"self_care" must be true or false',
    ),
    (
        "self_care on a factor",
        "factors.yaml",
        "  - id: excess_weight\n",
        "  - id: excess_weight\n    self_care: true\n",
        "excess_weight",
        'only approaches have "self_care"',
    ),
    (
        "level without self_care",
        "ruleset.yaml",
        "    self_care: false\n",
        "",
        "",
        'level emergency needs "self_care"',
    ),
    (
        "level without consult",
        "ruleset.yaml",
        "    consult: >-\n      This report is education, not a diagnosis. Get emergency care first",
        "    advice: >-\n      This report is education, not a diagnosis. Get emergency care first",
        "",
        'a level has an unknown key "advice"',
    ),
]


def _copy_rules(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), target)
    return target


@pytest.mark.parametrize(
    ("case", "file", "old", "new", "rule", "words"), BAD_EDITS, ids=[edit[0] for edit in BAD_EDITS]
)
def test_bad_rule_file_is_a_load_error_naming_file_rule_and_reason(
    tmp_path: Path, case: str, file: str, old: str, new: str, rule: str, words: str
) -> None:
    """Each kind of mistake in a rule file stops loading with the file, the rule id and a helpful reason."""
    rules = _copy_rules(tmp_path)
    path = rules / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the test's edit no longer applies to {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_ruleset(rules)
    error = caught.value
    assert error.path == file
    if rule:
        assert error.rule == rule
    assert words in error.reason, str(error)
    assert str(error).startswith(file)


def test_a_rule_file_not_listed_in_the_manifest_is_refused(tmp_path: Path) -> None:
    """A forgotten rule file is an error, not silently ignored."""
    rules = _copy_rules(tmp_path)
    (rules / "extra.yaml").write_text("kind: factor\nrules: []\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"extra\.yaml is in the rules folder but not listed"):
        load_ruleset(rules)


def test_a_cycle_of_rule_references_is_refused(tmp_path: Path) -> None:
    """Rules that test each other in a circle cannot be ordered into stages."""
    rules = _copy_rules(tmp_path)
    path = rules / "approaches.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    when: {rule: excess_weight}", "    when: {rule: rheumatology_review}")
    text = text.replace("        - {rule: systemic_condition}", "        - {rule: weight_management}")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError, match="cycle"):
        load_ruleset(rules)


def test_the_digest_follows_the_content_and_ignores_line_endings(tmp_path: Path) -> None:
    """The rule-set digest changes with any content change, and not with CRLF line endings."""
    shipped = load_ruleset()
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", shipped.digest)
    rules = _copy_rules(tmp_path)
    for path in rules.glob("*.yaml"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert load_ruleset(rules).digest == shipped.digest
    factors = rules / "factors.yaml"
    factors.write_bytes(factors.read_bytes() + b"# a comment\r\n")
    assert load_ruleset(rules).digest != shipped.digest


def test_rules_are_ordered_as_the_outcome_tables() -> None:
    """Rules load in the order of the spec's tables, so reports list conclusions in that order."""
    ruleset = load_ruleset()
    assert [rule.id for rule in ruleset.of_kind("mechanism")] == [
        "biomechanical_imbalance",
        "compensatory_movement",
        "muscle_imbalance",
        "systemic_condition",
        "heel_to_knee",
    ]
    assert [rule.id for rule in ruleset.of_kind("approach")] == [
        "physical_therapy",
        "orthotics",
        "pain_management",
        "treat_knee_pain",
        "stretching",
        "weight_management",
        "rheumatology_review",
    ]
    assert all(rule.stage == 1 for rule in ruleset.of_kind("approach") if rule.id != "pain_management")


def test_an_evidence_branch_outside_the_condition_is_refused(tmp_path: Path) -> None:
    """An evidence line tied to a branch the rule does not test is a load error listing the branches."""
    rules = _copy_rules(tmp_path)
    path = rules / "mechanisms.yaml"
    text = path.read_text(encoding="utf-8")
    assert "        branch: hip_front_tightness" in text
    path.write_text(text.replace("        branch: hip_front_tightness", "        branch: hip_tightness", 1))
    with pytest.raises(RuleFileError) as caught:
        load_ruleset(rules)
    assert caught.value.rule == "muscle_imbalance"
    assert "hip_front_tightness" in caught.value.reason
    assert "not in the rule's condition" in caught.value.reason
