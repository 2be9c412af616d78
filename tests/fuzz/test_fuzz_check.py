"""Fuzzing `factorcheck check -`: any bytes on standard input give a report (0) or named problems (2)."""

from __future__ import annotations

import io

from hypothesis import given

from factorcheck.cli.main import main
from support.fuzzing import CONSULTS, FUZZ, UNSAFE, documents, record


def run_check(data: bytes) -> tuple[int, str, str]:
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["check", "-"], stdin=stdin, stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


@FUZZ
@given(documents)
def test_check_gives_a_report_or_named_problems(data: bytes) -> None:
    """Exit 0 with a report ending in the consult message, or 2 with problems on stderr; never 1."""
    code, out, err = run_check(data)
    record("check", {0: "report", 2: "invalid"}.get(code, f"exit {code}"))
    assert "unexpected" not in err
    assert code in (0, 2), err
    if code == 0:
        shown = " ".join(out.split())
        assert any(shown.endswith(consult) for consult in CONSULTS)
        assert err == ""
    else:
        assert out == ""
        assert err.startswith("factorcheck: ")
        assert len(err) < 20_000
        assert not UNSAFE & set(err), err
