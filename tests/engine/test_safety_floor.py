"""The safety floor: no rule set loads that brings a warning sign below its level in docs/outcomes.md,
unless the person allows it, and then every report says so at the top."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest

from factorcheck.answers.validate import parse_answers
from factorcheck.assessment import Assessor
from factorcheck.cli.main import main
from factorcheck.engine.loading import load_ruleset
from factorcheck.engine.safety_floor import FLOOR, SafetyFloorError, probe_answer_sets, shortfalls
from factorcheck.report.render import format_report
from factorcheck.rules import loading as rules_stage
from support import ROOT

OUTCOMES = ROOT / "docs" / "outcomes.md"
CHEST = {"age_years": 50, "heel_pain": False, "knee_pain": True, "rf_breathless_chest_pain": "yes"}


def triage_table() -> dict[str, str]:
    """Rule id -> level of each row of docs/outcomes.md's "### Triage rules" table."""
    text = OUTCOMES.read_text(encoding="utf-8")
    section = text.split("### Triage rules", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| *(emergency|urgent|soon|routine) *\| *`([a-z0-9_]+)` *\|", section, re.MULTILINE)
    return {rule_id: level for level, rule_id in rows}


def test_the_floor_is_the_triage_table_of_the_outcomes() -> None:
    """Each row of the triage table has its floor entry with its level, and no entry is not in the table:
    a warning sign added to docs/outcomes.md needs its entry in engine/safety_floor.py FLOOR."""
    table = triage_table()
    assert len(table) >= 16
    floor = {sign.rule_id: sign.level for sign in FLOOR}
    problems = [
        f"{rule_id}: docs/outcomes.md says {table.get(rule_id, 'nothing')}, "
        f"the floor says {floor.get(rule_id, 'nothing')}"
        for rule_id in sorted(set(table) | set(floor))
        if table.get(rule_id) != floor.get(rule_id)
    ]
    assert not problems, "engine/safety_floor.py FLOOR differs from docs/outcomes.md:\n" + "\n".join(problems)
    assert len(FLOOR) == len(floor), "one floor entry per sign"


@pytest.mark.parametrize("sign", FLOOR, ids=[sign.rule_id for sign in FLOOR])
def test_every_probe_is_a_valid_answer_set_that_shows_its_sign(sign: object) -> None:
    """Each probe answer set is valid (the floor skips validating them, for speed), and fires its own
    sign with the shipped rules (so it probes it)."""
    from factorcheck.engine.oracle import Oracle
    from factorcheck.engine.safety_floor import Sign

    assert isinstance(sign, Sign)
    ruleset = rules_stage.load_ruleset()
    oracle = Oracle(ruleset)
    answer_sets = probe_answer_sets(sign)
    assert len(answer_sets) >= 8
    assert any(value == "not_sure" for answers in answer_sets for value in answers.values()) or (
        sign.rule_id in ("under_18", "possible_inflammatory_condition")
    )
    from factorcheck.answers.derived import facts_from_given
    from factorcheck.answers.validate import given_answers

    for answers in answer_sets:
        facts = facts_from_given(given_answers(parse_answers(answers)))
        assert facts_from_given(answers).values == facts.values, "the floor's facts are the validated ones"
        assert sign.rule_id in oracle.evaluate(facts), answers


def test_the_shipped_rules_hold_the_floor() -> None:
    """The shipped rules bring every warning sign to its level on every probe, and load as holding it
    (from the package without the check, which this test makes safe; as a --rules folder with it)."""
    assert shortfalls(rules_stage.load_ruleset()) == []
    assert load_ruleset().below_safety_floor == ()
    assert load_ruleset(rules_stage.default_rules_dir()).below_safety_floor == ()


def _edited(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(rules_stage.default_rules_dir(), rules)
    path = rules / "triage.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return rules


def _without_rule(rule_id: str) -> tuple[str, str]:
    text = (rules_stage.default_rules_dir() / "triage.yaml").read_text(encoding="utf-8")
    start = text.index(f"  - id: {rule_id}\n")
    end = text.index("  - id: ", start + 1)
    return text[start:end], ""


# Each keeps every example of the rule set passing: only the floor tells.
LOWERINGS = {
    "deleted": (("chest_symptoms", "routine", None), [_without_rule("chest_symptoms")]),
    "narrowed": (
        ("chest_symptoms", "routine", "not_sure"),
        [
            (
                'when: {item: rf_breathless_chest_pain, in: ["yes", "not_sure"]}',
                'when: {item: rf_breathless_chest_pain, in: ["yes"]}',
            ),
            (
                "        - {age_years: 50, heel_pain: false, knee_pain: true, "
                "rf_breathless_chest_pain: not_sure}\n",
                "",
            ),
        ],
    ),
    "lowered": (
        ("hot_swollen_with_fever", "urgent", None),
        [
            (
                "  - id: hot_swollen_with_fever\n    level: emergency\n",
                "  - id: hot_swollen_with_fever\n    level: urgent\n",
            ),
            (
                '- answers: {age_years: 40, heel_pain: true, knee_pain: false, rf_hot_swollen_fever: "yes"}\n'
                "          level: emergency",
                '- answers: {age_years: 40, heel_pain: true, knee_pain: false, rf_hot_swollen_fever: "yes"}\n'
                "          level: urgent",
            ),
        ],
    ),
}


def _rules_check(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["rules", "check", *args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("name", LOWERINGS)
def test_rules_check_fails_a_rule_set_below_the_floor(tmp_path: Path, name: str) -> None:
    """A deleted sign, a narrowed `when` (examples edited to match) and a lowered level: rules check
    exits 1 naming the sign, the answers that showed it and the level it got; every example still passes."""
    (sign, level, answer), edits = LOWERINGS[name]
    rules = _edited(tmp_path, *edits)
    code, out, _ = _rules_check("--rules", str(rules))
    assert code == 1, out
    assert " 0 failed;" in out
    [line] = [line for line in out.splitlines() if line.startswith("FAIL")]
    assert f"warning sign {sign} must bring a report to at least" in line
    assert f"the report's triage level is {level}" in line
    if answer:
        assert f'"{answer}"' in line
    code, out, _ = _rules_check("--rules", str(rules), "--allow-below-safety-floor")
    assert code == 0, out
    assert "BELOW FLOOR (allowed)" in out


@pytest.mark.parametrize("name", LOWERINGS)
def test_loading_a_rule_set_below_the_floor_fails_naming_the_sign(tmp_path: Path, name: str) -> None:
    """The library's load_ruleset and an Assessor given the rules stage's rule set both refuse it."""
    (sign, level, _), edits = LOWERINGS[name]
    rules = _edited(tmp_path, *edits)
    with pytest.raises(SafetyFloorError) as caught:
        load_ruleset(rules)
    assert [short.sign.rule_id for short in caught.value.shortfalls] == [sign]
    assert caught.value.shortfalls[0].level == level
    assert str(caught.value).startswith(str(rules))
    with pytest.raises(SafetyFloorError):
        Assessor(rules_stage.load_ruleset(rules))


def test_a_rule_set_allowed_below_the_floor_says_so_in_every_report(tmp_path: Path) -> None:
    """allow_below_floor=True loads it with its lowered signs listed; the JSON report's ruleset lists
    them, and text, Markdown and HTML begin with the warning."""
    rules = _edited(tmp_path, _without_rule("chest_symptoms"))
    ruleset = load_ruleset(rules, allow_below_floor=True)
    assert ruleset.below_safety_floor == ("chest_symptoms",)
    assessor = Assessor(ruleset)
    report = assessor.assess(CHEST)
    assert report["triage"]["level"] == "routine"
    assert report["ruleset"]["below_safety_floor"] == ["chest_symptoms"]
    assert json.loads(assessor.assess_to_json(CHEST))["ruleset"] == report["ruleset"]
    assert json.loads(format_report(report, "json", ruleset))["ruleset"]["below_safety_floor"] == [
        "chest_symptoms"
    ]
    for fmt in ("text", "markdown"):
        first = format_report(report, fmt, ruleset).lstrip().splitlines()[0]
        assert "safety floor" in first, (fmt, first)
    html = format_report(report, "html", ruleset)
    body = html.split("<body", 1)[1]
    assert body.index("safety floor") < body.index("factorcheck report")
    assert Assessor(rules_stage.load_ruleset(rules), allow_below_floor=True).ruleset.below_safety_floor == (
        "chest_symptoms",
    )


def test_reports_with_rules_that_hold_the_floor_have_no_warning() -> None:
    assessor = Assessor()
    report = assessor.assess(CHEST)
    assert "below_safety_floor" not in report["ruleset"]
    assert "below_safety_floor" not in json.loads(assessor.assess_to_json(CHEST))["ruleset"]
    assert "safety floor" not in format_report(report, "text", assessor.ruleset)


def _check(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["check", "-", "--format", "json", *args],
        stdin=io.StringIO(json.dumps(CHEST)),
        stdout=out,
        stderr=err,
    )
    return code, out.getvalue(), err.getvalue()


def test_check_refuses_rules_below_the_floor_unless_allowed(tmp_path: Path) -> None:
    """`check --rules DIR` with chest_symptoms deleted: exit 1 naming it and nothing printed; with
    --allow-below-safety-floor the report (routine) says the rules are below the floor."""
    rules = _edited(tmp_path, _without_rule("chest_symptoms"))
    code, out, err = _check("--rules", str(rules))
    assert (code, out) == (1, "")
    assert "warning sign chest_symptoms must bring a report to at least emergency" in err
    assert "Traceback" not in err
    code, out, err = _check("--rules", str(rules), "--allow-below-safety-floor")
    assert (code, err) == (0, "")
    assert json.loads(out)["ruleset"]["below_safety_floor"] == ["chest_symptoms"]


@pytest.mark.parametrize("command", [["check", "-"], ["batch", "-"], ["serve"], ["ask"], ["rules", "check"]])
def test_every_command_taking_rules_can_allow_a_set_below_the_floor(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main([*command, "--help"])
    assert "--allow-below-safety-floor" in capsys.readouterr().out


def test_the_floor_check_is_cheap() -> None:
    """Held against the shipped rules, the floor costs little (it runs at every load)."""
    import time

    ruleset = rules_stage.load_ruleset()
    shortfalls(ruleset)  # probes validated once per process
    start = time.perf_counter()
    shortfalls(ruleset)
    assert time.perf_counter() - start < 0.5


def test_batch_refuses_rules_below_the_floor_unless_allowed(tmp_path: Path) -> None:
    """`batch --rules DIR` with chest_symptoms deleted: exit 1 before any output; allowed, each
    report (in the output and in --reports) says the rules are below the floor."""
    rules = _edited(tmp_path, _without_rule("chest_symptoms"))
    source, output, reports = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "reports"
    source.write_text(json.dumps({"id": "a", **CHEST}) + "\n", encoding="utf-8")
    args = [
        "batch",
        str(source),
        "-o",
        str(output),
        "--id-field",
        "id",
        "--workers",
        "1",
        "--rules",
        str(rules),
    ]
    err = io.StringIO()
    assert main(args, stdout=io.StringIO(), stderr=err) == 1
    assert "warning sign chest_symptoms" in err.getvalue()
    assert not output.exists()
    allowed = [*args, "--allow-below-safety-floor", "--reports", str(reports), "--reports-format", "markdown"]
    assert main(allowed, stdout=io.StringIO(), stderr=io.StringIO()) == 0
    assert '"below_safety_floor":["chest_symptoms"]' in output.read_text(encoding="utf-8")
    [report] = reports.iterdir()
    assert report.read_text(encoding="utf-8").startswith("**Warning: these rules fall below")


@pytest.mark.parametrize("command", [["serve", "--port", "0"], ["ask", "--plain"]])
def test_serve_and_ask_refuse_rules_below_the_floor(tmp_path: Path, command: list[str]) -> None:
    """Before serving or asking anything: exit 1, the sign named, no traceback."""
    rules = _edited(tmp_path, _without_rule("chest_symptoms"))
    out, err = io.StringIO(), io.StringIO()
    assert main([*command, "--rules", str(rules)], stdin=io.StringIO(""), stdout=out, stderr=err) == 1
    assert "warning sign chest_symptoms must bring a report to at least emergency" in err.getvalue()
    assert "Traceback" not in err.getvalue()
