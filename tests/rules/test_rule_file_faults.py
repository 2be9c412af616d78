"""Rule files that are hostile or too big for the engine: a clear load error, named, within seconds."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from factorcheck.engine.capacity import MAX_BRANCHES, MAX_RULE_BRANCHES
from factorcheck.engine.loading import load_ruleset
from factorcheck.errors import RuleFileError
from factorcheck.rules.loading import default_rules_dir
from factorcheck.rules.rule_files import MAX_FILE_BYTES

TIGHT_CALVES_WHEN = '    when: {item: calf_tightness, eq: "yes"}\n'


def _copy_rules(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), target)
    return target


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the test's edit no longer applies to {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _explosive_condition(alls: int, anys: int) -> str:
    """An "all" of `alls` "any"s of `anys` comparisons: anys ** alls branches."""
    parts = ", ".join(
        "{any: [" + ", ".join(f"{{item: age_years, gte: {i * anys + j + 1}}}" for j in range(anys)) + "]}"
        for i in range(alls)
    )
    return f"    when: {{all: [{parts}]}}\n"


def _extra_rules(count: int) -> str:
    """`count` valid approach rules (each with its own id), as YAML list entries."""
    rule = (
        "  - id: extra_{number}\n"
        '    title: "An extra rule"\n'
        '    explanation: "An extra rule, valid on its own."\n'
        '    source: "What is Plantar Fasciitis?"\n'
        '    rationale: "A test rule."\n'
        '    population: "Test answer sets."\n'
        '    limitations: "None: it exists to be counted."\n'
        "    evidence: [{{text: none, type: supports, grade: F}}]\n"
        "    when: {{item: age_years, lte: {age}}}\n"
        "    examples:\n"
        "      must_fire: [{{age_years: {age}, heel_pain: true, knee_pain: false}}]\n"
        "      must_not_fire: [{{age_years: 120, heel_pain: true, knee_pain: false}}]\n"
    )
    return "".join(rule.format(number=number, age=number % 100 + 1) for number in range(count))


def _not_utf8(rules: Path) -> None:
    path = rules / "triage.yaml"
    data = path.read_bytes()
    assert b"title:" in data
    path.write_bytes(data.replace(b"title:", b"title: \xff", 1))


def _alias_bomb(rules: Path) -> None:
    """A note of ten levels of aliases, each nine of the one before: 9 ** 10 texts once built."""
    levels = ["&a0 [" + ", ".join(['"x"'] * 9) + "]"]
    levels += [f"&a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]" for level in range(1, 10)]
    note = "[" + ", ".join(levels) + "]"
    _replace(
        rules / "factors.yaml",
        TIGHT_CALVES_WHEN,
        f'    when: {{item: calf_tightness, eq: "yes", note: {note}}}\n',
    )


def _simple_alias(rules: Path) -> None:
    path = rules / "factors.yaml"
    _replace(path, TIGHT_CALVES_WHEN, '    when: &calf {item: calf_tightness, eq: "yes"}\n')
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "    when: {item: on_feet_most_of_day", "    when: *calf\n    x: {item: on_feet_most_of_day", 1
        ),
        encoding="utf-8",
    )


def _branches(alls: int, anys: int) -> Callable[[Path], None]:
    def edit(rules: Path) -> None:
        _replace(rules / "factors.yaml", TIGHT_CALVES_WHEN, _explosive_condition(alls, anys))

    return edit


def _complex_key(rules: Path) -> None:
    path = rules / "approaches.yaml"
    path.write_text("? {a: 1}\n: x\n" + path.read_text(encoding="utf-8"), encoding="utf-8")


def _deep_condition(rules: Path) -> None:
    # Within what the YAML parser reads (it stops at 1,000 levels), beyond what a condition may be.
    deep = "{all: [" * 30 + '{item: calf_tightness, eq: "yes"}' + "]}" * 30
    _replace(rules / "factors.yaml", TIGHT_CALVES_WHEN, f"    when: {deep}\n")


def _deep_yaml(rules: Path) -> None:
    path = rules / "factors.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# end\nx: " + "[" * 100_000 + "]" * 100_000 + "\n")


def _many_rules(rules: Path) -> None:
    path = rules / "approaches.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + _extra_rules(1000), encoding="utf-8")


def _huge(rules: Path) -> None:
    path = rules / "factors.yaml"
    path.write_text(path.read_text(encoding="utf-8") + ("# padding\n" * (MAX_FILE_BYTES // 10 + 1)))


def _device(rules: Path) -> None:
    (rules / "factors.yaml").unlink()
    (rules / "factors.yaml").symlink_to("/dev/zero")


def _folder(rules: Path) -> None:
    (rules / "factors.yaml").unlink()
    (rules / "factors.yaml").mkdir()


CASES: list[tuple[str, Callable[[Path], None], str, str | None, str]] = [
    ("not UTF-8", _not_utf8, "triage.yaml", None, "not UTF-8 text (byte 0xff on line"),
    ("alias", _simple_alias, "factors.yaml", None, "alias"),
    ("alias bomb", _alias_bomb, "factors.yaml", None, "alias"),
    ("eight anys of six", _branches(8, 6), "factors.yaml", "tight_calves", f"more than {MAX_BRANCHES}"),
    ("six anys of six", _branches(6, 6), "factors.yaml", "tight_calves", f"more than {MAX_BRANCHES}"),
    ("three anys of five", _branches(3, 5), "factors.yaml", "tight_calves", "125 branches"),
    ("a mapping as a key", _complex_key, "approaches.yaml", None, "a key must be a plain word or text"),
    ("deep condition", _deep_condition, "factors.yaml", "tight_calves", "nested more than"),
    ("deep YAML", _deep_yaml, "factors.yaml", None, "not valid YAML"),
    (
        "1,000 extra rules",
        _many_rules,
        "ruleset.yaml",
        None,
        f"more than the {MAX_BRANCHES} the rules engine",
    ),
    ("huge file", _huge, "factors.yaml", None, f"larger than {MAX_FILE_BYTES:,} bytes"),
    ("link to /dev/zero", _device, "factors.yaml", None, "not a regular file"),
    ("folder", _folder, "factors.yaml", None, "not a regular file"),
]


@pytest.mark.parametrize(("case", "edit", "file", "rule", "words"), CASES, ids=[case[0] for case in CASES])
def test_a_hostile_rule_file_is_a_named_load_error_within_seconds(
    tmp_path: Path, case: str, edit: Callable[[Path], None], file: str, rule: str | None, words: str
) -> None:
    """Bad bytes, aliases, exploding conditions, too many rules, huge or odd files: a clear error, fast."""
    rules = _copy_rules(tmp_path)
    edit(rules)
    started = time.monotonic()
    with pytest.raises(RuleFileError) as caught:
        load_ruleset(rules)
    assert time.monotonic() - started < 5
    assert caught.value.path == file
    assert caught.value.rule == rule
    assert words in caught.value.reason, str(caught.value)


def test_a_rule_within_the_branch_limit_loads(tmp_path: Path) -> None:
    """A rule of exactly MAX_RULE_BRANCHES branches (an "all" of two "any"s of 8) is accepted."""
    rules = _copy_rules(tmp_path)
    # first_step_pain: a rule no other rule tests, so its branches are its own alone.
    when = '    when: {item: heel_pain_first_steps, eq: "yes"}\n'
    _replace(rules / "factors.yaml", when, _explosive_condition(2, 8))
    assert MAX_RULE_BRANCHES == 64
    # Its examples no longer match the new condition; only loading is checked here.
    assert load_ruleset(rules).by_id["first_step_pain"].kind == "factor"


@pytest.mark.parametrize(
    "command",
    [
        ["rules", "check"],
        ["check", "-"],
        ["batch", "IN", "-o", "OUT"],
        ["batch", "IN", "-o", "OUT", "--workers", "2"],
    ],
    ids=["rules check", "check", "batch", "batch on two workers"],
)
def test_rules_beyond_the_engine_are_refused_as_they_load_by_every_command(
    tmp_path: Path, command: list[str]
) -> None:
    """A rule set beyond what the engine holds: the named load error, exit 1, nothing written, no
    traceback, whichever command loads it (batch before any record or output file)."""
    rules = _copy_rules(tmp_path)
    _many_rules(rules)
    (tmp_path / "in.jsonl").write_text('{"age_years": 44, "heel_pain": true, "knee_pain": false}\n')
    places = {"IN": str(tmp_path / "in.jsonl"), "OUT": str(tmp_path / "out.jsonl")}
    arguments = [places.get(word, word) for word in command]
    done = subprocess.run(
        [sys.executable, "-m", "factorcheck", *arguments, "--rules", str(rules)],
        input='{"age_years": 44, "heel_pain": true, "knee_pain": false}',
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (
        "factorcheck: ruleset.yaml: the rule set has 1,094 branches in all, more than the "
        f"{MAX_BRANCHES} the rules engine (durable_rules) is known to hold; remove rules or simplify "
        "their conditions.\n"
    )
    assert not (tmp_path / "out.jsonl").exists()
