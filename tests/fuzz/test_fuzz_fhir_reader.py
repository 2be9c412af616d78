"""Fuzzing the FHIR reader through `check` and `batch`: named problems or reports, never a lost record."""

from __future__ import annotations

import io
import re

from hypothesis import given
from hypothesis import strategies as st

from factorcheck.cli.main import main
from support.fuzzing import (
    CONSULTS,
    FUZZ,
    is_safe_message,
    record,
    response_documents,
    run_batch,
)

# One problem of check's list: "  - ITEM: MESSAGE" (the message may go on over further lines).
PROBLEM = re.compile(r"^  - (?P<item>[^:\n]+): (?P<message>.+)$", re.MULTILINE)


def run_check(data: bytes, *options: str) -> tuple[int, str, str]:
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["check", "-", *options], stdin=stdin, stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


@FUZZ
@given(response_documents, st.sampled_from([(), ("--input-format", "fhir")]))
def test_check_reads_a_hostile_response_into_a_report_or_named_problems(
    data: bytes, options: tuple[str, ...]
) -> None:
    """Exit 0 with the report, or 2 with every problem naming an item; never 1, never a traceback;
    messages bounded and free of terminal controls and lone surrogates."""
    code, out, err = run_check(data, *options)
    problems = PROBLEM.findall(err)
    record("check FHIR", {0: "report", 2: "invalid" if problems else "not JSON"}.get(code, f"exit {code}"))
    assert "unexpected" not in err
    assert "Traceback" not in err
    assert code in (0, 2), err
    if code == 0:
        assert err == ""
        shown = " ".join(out.split())
        assert any(shown.endswith(consult) for consult in CONSULTS)
        return
    assert out == ""
    assert err.startswith("factorcheck: ")
    assert len(err) < 50_000
    assert is_safe_message(err), err
    if "The answers have" in err:
        count = int(re.search(r"The answers have (\d+) problem", err).group(1))  # type: ignore[union-attr]
        assert len(problems) == count
        assert all(item.strip() and message.strip() for item, message in problems)


lines = response_documents.map(lambda data: data.replace(b"\n", b" ").replace(b"\r", b" "))


@FUZZ
@given(st.lists(lines, min_size=1, max_size=4))
def test_batch_gives_one_strict_json_record_per_response(records: list[bytes]) -> None:
    """--input-format fhir: one record per non-blank line, at its line, each strict JSON (I-JSON);
    error records name an item for every problem; exit 0 or 2."""
    code, output, err = run_batch(b"\n".join(records) + b"\n", "--input-format", "fhir", "--workers", "1")
    assert "unexpected" not in err
    assert "Traceback" not in err
    assert code in (0, 2), err
    for written in output:
        record("batch FHIR (records)", "report" if "triage" in written else "error record")
    expected = [number for number, line in enumerate(records, start=1) if line.strip()]
    assert len(output) == len(expected)
    for number, written in zip(expected, output, strict=True):
        if "error" in written:
            assert written["error"]["line"] == number
            for problem in written["error"]["problems"]:
                assert problem["item"]
                assert problem["message"]
                assert is_safe_message(problem["item"] + problem["message"]), problem
        else:
            assert written["consult"]
