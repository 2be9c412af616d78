"""Fuzzing `factorcheck batch` on JSON Lines: one output record per input record, at its line, always."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from support.fuzzing import FUZZ, documents, record, run_batch

lines = documents.map(lambda data: data.replace(b"\n", b" ").replace(b"\r", b" "))


@FUZZ
@given(st.lists(lines, min_size=1, max_size=4))
def test_every_json_line_gives_one_record_at_its_line(records: list[bytes]) -> None:
    """Each non-blank line: a report or an error record naming its line; exit 0 or 2; nothing lost."""
    code, output, err = run_batch(b"\n".join(records) + b"\n", "--input-format", "jsonl", "--workers", "1")
    assert "unexpected" not in err
    assert code in (0, 2), err
    for record_written in output:
        record("batch JSON Lines (records)", "report" if "triage" in record_written else "error record")
    expected = [number for number, line in enumerate(records, start=1) if line.strip()]
    assert len(output) == len(expected)
    for number, written in zip(expected, output, strict=True):
        if "error" in written:
            assert written["error"]["line"] == number
            assert all(problem["item"] and problem["message"] for problem in written["error"]["problems"])
        else:
            assert written["consult"]
