"""The command line: exit codes, clean errors on stderr, nothing on stdout when the input is invalid."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from factorcheck import __version__
from factorcheck.cli.main import main
from support import ROOT

EXAMPLE = ROOT / "examples" / "both-pains-several-links.json"
CONSULT_START = "This report is education, not a diagnosis."


def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
    """Run the CLI in-process; returns exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_check_prints_a_text_report_ending_with_the_consult_line() -> None:
    """`check FILE` prints a readable report whose last paragraph, below a rule, is the consult message."""
    code, out, err = run("check", str(EXAMPLE))
    assert (code, err) == (0, "")
    assert "Favouring a painful knee may overload the foot" in out
    assert out.rsplit("-" * 78 + "\n", 1)[1].startswith(CONSULT_START)
    assert max(map(len, out.splitlines())) <= 80


def test_check_json_reads_standard_input() -> None:
    """`check - --format json` reads the answers from standard input and prints the JSON report."""
    code, out, _ = run("check", "-", "--format", "json", stdin=EXAMPLE.read_text())
    assert code == 0
    report = json.loads(out)
    assert report["answers"] == json.loads(EXAMPLE.read_text())


def test_check_markdown() -> None:
    """`--format markdown` gives Markdown with headings and the consult message last."""
    code, out, _ = run("check", str(EXAMPLE), "--format", "markdown")
    assert code == 0
    assert out.startswith("# factorcheck report")
    assert out.rstrip("\n").splitlines()[-1].startswith(CONSULT_START)


@pytest.mark.parametrize(
    ("stdin", "words"),
    [
        (
            '{"age_years": "40", "heel_pain": true, "knee_pian": true}',
            ["age_years", "knee_pian", "knee_pain"],
        ),
        (
            '{"age_years": 40, "heel_pain": true, "knee_pain": true, "age_years": 41}',
            ['"age_years" appears twice'],
        ),
        ('{"age_years": 40,', ["not valid JSON", "line 1"]),
        (
            '{"age_years": NaN, "heel_pain": 1, "knee_pain": -Infinity}',
            ["age_years: NaN is not allowed", "heel_pain: 1", "knee_pain: -Infinity is not allowed"],
        ),
        ("[]", ["expected an object"]),
        ("", ["not valid JSON"]),
    ],
    ids=["invalid items", "duplicate key", "broken JSON", "NaN", "not an object", "empty"],
)
def test_invalid_input_exits_2_with_every_problem_on_stderr_and_nothing_on_stdout(
    stdin: str, words: list[str]
) -> None:
    """Invalid input: exit 2, a message naming each problem on stderr, stdout empty."""
    code, out, err = run("check", "-", stdin=stdin)
    assert (code, out) == (2, "")
    for word in words:
        assert word in err
    assert "Traceback" not in err


def test_missing_file_exits_1_with_a_clear_message() -> None:
    """A file that does not exist is a clear error (exit 1), never a traceback."""
    code, out, err = run("check", "no/such/file.json")
    assert (code, out) == (1, "")
    assert "no such file" in err


def test_rules_check_runs_every_example_against_both_evaluators() -> None:
    """`rules check` validates the rule files and runs every example on durable and the reference
    evaluator (which it names oracle)."""
    code, out, _ = run("rules", "check")
    assert code == 0
    assert "against durable and oracle" in out
    assert " 0 failed" in out


def test_rules_check_reports_a_bad_rules_folder(tmp_path: Path) -> None:
    """`rules check --rules DIR` on a broken folder names the problem and exits 1."""
    code, _, err = run("rules", "check", "--rules", str(tmp_path))
    assert code == 1
    assert "ruleset.yaml" in err


def test_schema_prints_the_answers_json_schema() -> None:
    """`schema` prints a JSON Schema listing every questionnaire item."""
    code, out, _ = run("schema")
    assert code == 0
    assert "inflammatory_diagnosis" in json.loads(out)["properties"]


def test_real_process_exit_codes_and_version() -> None:
    """The installed entry point behaves the same as a real process, and reports its version."""
    version = subprocess.run(
        [sys.executable, "-m", "factorcheck", "--version"], capture_output=True, text=True, check=False
    )
    assert version.stdout.strip() == f"factorcheck {__version__}"
    bad = subprocess.run(
        [sys.executable, "-m", "factorcheck", "check", "-"],
        input='{"age_years": 0}',
        capture_output=True,
        text=True,
        check=False,
    )
    assert (bad.returncode, bad.stdout) == (2, "")
    assert "age_years" in bad.stderr
    assert "heel_pain" in bad.stderr


def test_check_date_sets_the_report_date_and_only_then_json_has_one() -> None:
    """--date dates text and JSON reports; without it text says today and JSON has no date."""
    import datetime

    code, out, _ = run("check", str(EXAMPLE), "--date", "2026-03-01")
    assert code == 0
    assert "Made on 2026-03-01." in out
    _, today, _ = run("check", str(EXAMPLE))
    assert f"Made on {datetime.date.today().isoformat()}." in today
    _, dated, _ = run("check", str(EXAMPLE), "--format", "json", "--date", "2026-03-01")
    assert json.loads(dated)["date"] == "2026-03-01"
    _, plain, _ = run("check", str(EXAMPLE), "--format", "json")
    assert "date" not in json.loads(plain)


@pytest.mark.parametrize("value", ["2026-02-30", "01-03-2026", "20260301", "tomorrow"])
def test_check_refuses_a_date_that_is_not_yyyy_mm_dd(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A bad --date is refused with the value given and the form allowed; no report is printed."""
    with pytest.raises(SystemExit) as stopped:
        run("check", str(EXAMPLE), "--date", value)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert f'"{value}" is not a date: give it as YYYY-MM-DD' in err
