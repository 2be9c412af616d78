"""`rules check --as-of`: an overdue review is a failure; the tests pass a fixed date."""

from __future__ import annotations

import io

import pytest

from factorcheck.cli.main import main
from factorcheck.rules.loading import load_ruleset


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdin=io.StringIO(), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_rules_check_fails_on_an_overdue_review() -> None:
    due = min(rule.governance.next_review for rule in load_ruleset().rules if rule.governance)
    code, out, _ = run("rules", "check", "--as-of", due.isoformat())
    assert code == 0, out
    assert "0 overdue; not yet clinically reviewed" in out
    later = due.replace(year=due.year + 1)
    code, out, _ = run("rules", "check", "--as-of", later.isoformat())
    assert code == 1
    assert "review overdue: next review was due " + due.isoformat() in out
    assert f"{len(load_ruleset().rules)} overdue" in out.splitlines()[-1]


def test_rules_check_refuses_a_date_that_is_not_one(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        run("rules", "check", "--as-of", "next year")
    assert stopped.value.code == 2
    assert "is not a date" in capsys.readouterr().err
