"""The table of commands: each is listed and has its help, and running one loads no other's code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from factorcheck.cli import ask, batch, check, fhir, rules, schema, serve
from factorcheck.cli.commands import COMMANDS, CommandModule, load
from factorcheck.cli.main import main
from support import ROOT

# Typed as the protocol, so that mypy checks each command's module offers what dispatch calls.
COMMAND_MODULES: dict[str, CommandModule] = {
    "check": check,
    "ask": ask,
    "batch": batch,
    "serve": serve,
    "rules": rules,
    "schema": schema,
    "fhir": fhir,
}


def test_the_table_names_each_command_s_module() -> None:
    """Each entry of the table loads the module of its command, and every command module is listed."""
    assert {name: load(name) for name in COMMANDS} == COMMAND_MODULES


def test_the_help_lists_every_command_with_its_summary(capsys: pytest.CaptureFixture[str]) -> None:
    """`factorcheck --help` names each command of the table, in its order, with its summary."""
    with pytest.raises(SystemExit) as stopped:
        main(["--help"])
    assert stopped.value.code == 0
    listing = " ".join(capsys.readouterr().out.split())
    entries = [f" {name} {command.summary}" for name, command in COMMANDS.items()]
    assert [entry for entry in entries if entry not in listing] == []
    assert sorted(entries, key=listing.index) == entries


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_has_its_own_help(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`factorcheck COMMAND --help` shows that command's usage (its module loads and adds its arguments)."""
    with pytest.raises(SystemExit) as stopped:
        main([name, "--help"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: factorcheck {name} [-h]")


def test_check_loads_no_other_command_and_no_front_end() -> None:
    """Only the module of the command run is imported: `check` loads neither another command's
    module nor any front end (ask, batch, web), which keeps its start fast."""
    code = (
        "import sys, io; from factorcheck.cli.main import main; "
        "from factorcheck.cli.commands import COMMANDS; "
        "main(['check', 'examples/no-pain.json'], stdout=io.StringIO()); "
        "print(*[name for name, command in COMMANDS.items() if command.module in sys.modules]); "
        "print(*sorted(m for m in sys.modules if m.split('.')[:2] in "
        "(['factorcheck', 'ask'], ['factorcheck', 'batch'], ['factorcheck', 'web'])))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout == "check\n\n"


def _pydantic_modules_after(code: str) -> list[str]:
    """The pydantic modules a fresh process has imported once it has run the code."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            f"{code}\nimport sys; print(*sorted(m for m in sys.modules if 'pydantic' in m))",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return done.stdout.split()


def test_the_questionnaire_and_the_fast_path_import_no_pydantic() -> None:
    """Pydantic (the reference validator's model) is imported only when that validator runs: the
    questionnaire, the fast validator and the assessment start without it."""
    code = (
        "import factorcheck.answers.questionnaire, factorcheck.answers.validate_fast, factorcheck.assessment"
    )
    assert _pydantic_modules_after(code) == []


def test_check_on_a_valid_answer_file_imports_no_pydantic(tmp_path: Path) -> None:
    """`check` on a valid file (rule set loaded, its examples checked, report written) needs no pydantic."""
    report = tmp_path / "report.json"
    words = ["check", "examples/both-pains-several-links.json", "--format", "json", "-o", str(report)]
    code = f"from factorcheck.cli.main import main; assert main({words!r}) == 0"
    assert _pydantic_modules_after(code) == []
    assert report.stat().st_size > 0


def test_check_on_an_invalid_answer_file_still_explains_it(tmp_path: Path) -> None:
    """The reference validator, imported when needed, still names the item, the value and what is allowed."""
    answers = tmp_path / "answers.json"
    answers.write_text('{"age_years": 40, "heel_pain": "yes", "knee_pain": false}', encoding="utf-8")
    code = (
        "import io, sys; from factorcheck.cli.main import main; errors = io.StringIO(); "
        f"code = main(['check', {str(answers)!r}], stdout=io.StringIO(), stderr=errors); "
        "assert code == 2, errors.getvalue(); "
        "print(errors.getvalue(), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert 'heel_pain: "yes" (text) is not allowed; expected true or false.' in done.stderr
