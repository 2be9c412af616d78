"""`factorcheck ask` without a terminal: one line per answer from a pipe, for scripts."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from factorcheck.assessment import default_assessor
from factorcheck.rules.ruleset import Ruleset
from support import ROOT
from support.ask_screen import COLUMNS, Terminal, ask
from support.typical_session import TYPICAL


@pytest.fixture(scope="module")
def ruleset() -> Ruleset:
    return default_assessor().ruleset


def test_typical_person_needs_exactly_30_lines(tmp_path: Path, ruleset: Ruleset) -> None:
    """A typical person answers 30 prompts (issue 19's limit): 30 lines give the report, 29 are not enough."""
    assert len(TYPICAL) == 30
    done = ask(TYPICAL, "--save-answers", "answers.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert " ".join(done.stdout.split()).endswith(ruleset.level("routine").consult)
    saved = json.loads((tmp_path / "answers.json").read_text())
    assert saved["knee_alignment"] == "knock_knees"
    assert saved["symptom_order"] == "heel_first"
    assert saved["knee_pain_weeks"] == 13  # "3 months", kept in weeks
    assert (saved["pain_now"], saved["pain_stops"]) == (6, ["walking", "sport"])
    assert saved["treatments_tried"] == ["rest_or_ice", "insoles"]
    short = ask(list(TYPICAL[:-1]), cwd=tmp_path)
    assert short.returncode == 1
    assert "the input ended before the questionnaire was finished; nothing was saved" in short.stderr


def test_piped_answers_are_echoed_and_the_report_matches_check(tmp_path: Path) -> None:
    """Each piped answer is echoed after its prompt, and the report equals `factorcheck check`'s."""
    done = ask(TYPICAL, "--save-answers", "answers.json", "--output", "report.txt", cwd=tmp_path)
    assert "> knock knees\n" in done.stdout
    check = subprocess.run(
        [sys.executable, "-m", "factorcheck", "check", "answers.json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    assert done.stdout.endswith(check.stdout)
    assert (tmp_path / "report.txt").read_text() == check.stdout


def test_markdown_output_matches_check(tmp_path: Path) -> None:
    """--output FILE.md writes the same Markdown as `factorcheck check --format markdown`."""
    ask(TYPICAL, "--save-answers", "answers.json", "--output", "report.md", cwd=tmp_path)
    check = subprocess.run(
        [sys.executable, "-m", "factorcheck", "check", "answers.json", "--format", "markdown"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    assert (tmp_path / "report.md").read_text() == check.stdout


def test_html_output_matches_check(tmp_path: Path) -> None:
    """--output FILE.html writes the page `factorcheck check --format html` prints, for its owner only."""
    ask(TYPICAL, "--save-answers", "answers.json", "--output", "report.html", cwd=tmp_path)
    check = subprocess.run(
        [sys.executable, "-m", "factorcheck", "check", "answers.json", "--format", "html"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    assert (tmp_path / "report.html").read_text() == check.stdout
    assert check.stdout.startswith("<!DOCTYPE html>")
    assert (tmp_path / "report.html").stat().st_mode & 0o777 == 0o600


def test_invalid_line_is_asked_again(tmp_path: Path) -> None:
    """A bad line gets a message naming it and what is allowed, then the same question again."""
    lines = [*TYPICAL[:1], "abc", "-3", *TYPICAL[1:]]
    done = ask(lines, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert '! "abc" is not a whole number. Type a whole number from 1 to 120.' in done.stdout
    assert "! -3 is outside the range this question allows." in done.stdout
    assert done.stdout.count("How old are you, in years?") == 3


def test_nothing_is_written_unless_asked(tmp_path: Path) -> None:
    """Without --save-answers or --output, a full session leaves no file behind."""
    assert ask(TYPICAL, cwd=tmp_path).returncode == 0
    assert list(tmp_path.iterdir()) == []


def test_resume_from_a_partial_file(tmp_path: Path) -> None:
    """--resume continues after the answers in the file, which are kept."""
    (tmp_path / "partial.json").write_text(
        json.dumps({"rf_diabetes": "no", "age_years": 52, "heel_pain": True})
    )
    done = ask(TYPICAL[3:], "--resume", "partial.json", "--save-answers", "answers.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Continuing from partial.json: 3 answers loaded." in done.stdout
    saved = json.loads((tmp_path / "answers.json").read_text())
    assert saved["rf_diabetes"] == "no"
    assert "rf_recent_injury" not in saved


@pytest.mark.parametrize(
    ("content", "status", "message"),
    [
        (
            '{"age_years": "52"}',
            2,
            'cannot continue from bad.json. The answers have 1 problem:\n  - age_years: "52"',
        ),
        ('{"heel_pain_side": "left"}', 2, "heel_pain_side: is a follow-up asked only when heel_pain is true"),
        ('{"agee_years": 52}', 2, 'Did you mean "age_years"?'),
        ("[1, 2]", 2, "expected an object of item ids and answers"),
        ("{oops", 2, "cannot continue from bad.json: not valid JSON"),
    ],
)
def test_bad_resume_file_is_refused_clearly(tmp_path: Path, content: str, status: int, message: str) -> None:
    """A resume file that is not valid answers is refused with the file's name and each problem."""
    (tmp_path / "bad.json").write_text(content)
    done = ask([], "--resume", "bad.json", cwd=tmp_path)
    assert done.returncode == status
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_missing_resume_file(tmp_path: Path) -> None:
    """A resume file that does not exist is named in the error."""
    done = ask([], "--resume", "nowhere.json", cwd=tmp_path)
    assert done.returncode == 1
    assert "cannot continue from nowhere.json: no such file." in done.stderr


def test_output_folder_is_checked_before_any_question(tmp_path: Path) -> None:
    """An --output in a folder that does not exist fails at once, before a question is asked."""
    done = ask(TYPICAL, "--output", "no/such/folder/report.md", cwd=tmp_path)
    assert done.returncode == 1
    assert "folder does not exist" in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--output", "report.pdf"), 'factorcheck does not write ".pdf" reports'),
        (("--output", "same.txt", "--save-answers", "same.txt"), "the report would replace your answers"),
        (
            ("--output", "./x/../same.md", "--save-answers", "same.md"),
            "the report would replace your answers",
        ),
    ],
)
def test_files_that_cannot_be_written_as_asked_are_refused_first(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    """A report format that does not exist yet, or one file for both answers and report, stops at once."""
    (tmp_path / "x").mkdir()
    done = ask(TYPICAL, *args, cwd=tmp_path)
    assert done.returncode == 1
    assert message in done.stderr
    assert done.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x"]


def test_an_existing_file_is_not_replaced_without_asking(tmp_path: Path) -> None:
    """Without a terminal to ask in, an existing --output or --save-answers file is refused, untouched."""
    for option in ("--output", "--save-answers"):
        kept = tmp_path / "kept.txt"
        kept.write_text("mine")
        done = ask(TYPICAL, option, "kept.txt", cwd=tmp_path)
        assert done.returncode == 1
        assert (
            "kept.txt already exists, and factorcheck does not replace a file without asking" in done.stderr
        )
        assert kept.read_text() == "mine"


def test_answers_saved_back_to_the_resumed_file_are_kept_and_extended(tmp_path: Path) -> None:
    """--resume FILE --save-answers FILE is the way to carry on: that file may be replaced."""
    (tmp_path / "me.json").write_text(json.dumps({"rf_diabetes": "no", "age_years": 52, "heel_pain": True}))
    done = ask(TYPICAL[3:], "--resume", "me.json", "--save-answers", "me.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    saved = json.loads((tmp_path / "me.json").read_text())
    assert saved["age_years"] == 52
    assert saved["heel_pain_weeks"] == 20


def test_other_commands_do_not_load_the_terminal_library() -> None:
    """The terminal library is imported only by `ask` in a terminal, keeping other commands fast."""
    code = (
        "import sys, io; from factorcheck.cli.main import main; "
        "main(['check', 'examples/no-pain.json'], stdout=io.StringIO()); "
        "print('prompt_toolkit' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "False"


def test_plain_prompts_in_a_terminal_and_ctrl_c(tmp_path: Path) -> None:
    """--plain gives line prompts even in a terminal; Ctrl-C there offers to save as well."""
    term = Terminal("--plain", cwd=tmp_path)
    term.wait_for("Type the numbers that apply (for example 2 5), or none if none apply.")
    term.keys("11", "enter")
    term.wait_for("You ticked this warning sign.")
    term.keys("2", "enter")
    term.wait_for("Is your foot red, warm or swollen")
    term.keys("ctrl-c")
    term.wait_for("type a file name to save them in")
    term.keys("partial.json", "enter")
    term.wait_for("Saved to partial.json.")
    assert term.finish() == 130
    # The command printed to continue runs as shown, and keeps the options of the first run.
    # It is one line, which the terminal wraps when the program's path is long (as in a CI clone).
    rows = term.transcript().splitlines()
    at = next(number for number, row in enumerate(rows) if "To continue later, run:" in row) + 1
    command = rows[at]
    while len(rows[at]) == COLUMNS and at + 1 < len(rows):
        at += 1
        command += rows[at]
    command = command.strip()
    assert command.endswith("ask --resume partial.json --plain")
    done = subprocess.run(
        [*shlex.split(command.removesuffix(" --plain")), "--output", "report.md"],
        input="".join(f"{line}\n" for line in ["no", *TYPICAL[1:]]),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "report.md").exists()
    saved = json.loads((tmp_path / "partial.json").read_text())
    assert saved["rf_diabetes"] == "not_sure"
    assert saved["rf_recent_injury"] == "no"
