"""The --summary file is safe to open in a spreadsheet: .xlsx with every text a text cell, and CSV
with formula-like cells neutralised (OWASP)."""

from __future__ import annotations

import csv
import io
import json
import re
import stat
import tempfile
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from factorcheck.batch.summary import neutralised
from factorcheck.cli.main import main

VALID = {"age_years": 40, "heel_pain": True, "knee_pain": False}
# Ids as clinics have them, and as an attacker would send them.
IDS = [
    "00123",
    "=1+1",
    "+49 30 1234",
    "-5",
    "@SUM(A1:A9)",
    "\tx",
    "\rx",
    "2026-12-01",
    "1e5",
    '=HYPERLINK("x")',
]


def _batch(*args: str) -> tuple[int, str]:
    stderr = io.StringIO()
    code = main(["batch", *args], stdout=io.StringIO(), stderr=stderr)
    return code, stderr.getvalue()


def _input(tmp_path: Path) -> Path:
    """A record per id; the second is an emergency (chest pain), the third invalid."""
    source = tmp_path / "in.jsonl"
    lines = []
    for number, record_id in enumerate(IDS):
        record: dict[str, object] = {"rid": record_id, **VALID}
        if number == 1:
            record["rf_breathless_chest_pain"] = "yes"
        if number == 2:
            record["age_years"] = 400
        lines.append(json.dumps(record))
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return source


def test_the_xlsx_summary_keeps_ids_as_text_holds_no_formula_and_marks_emergencies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read back with the reader: every id as written (00123, =1+1, 2026-12-01), levels as text;
    the file holds no formula, its header row is frozen, the emergency row is marked, it is
    private, and its scratch files are gone."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    summary = tmp_path / "summary.xlsx"
    code, stderr = _batch(
        str(_input(tmp_path)),
        "-o",
        str(tmp_path / "out.jsonl"),
        "--id-field",
        "rid",
        "--summary",
        str(summary),
    )
    assert code == 2, stderr
    rows = CalamineWorkbook.from_path(str(summary)).get_sheet_by_index(0).to_python()
    assert rows[0] == ["line", "id", "level", "screen complete", "mechanisms", "factors", "error"]
    assert [row[1] for row in rows[1:]] == IDS
    assert [row[0] for row in rows[1:]] == list(range(1, len(IDS) + 1))
    assert rows[2][2] == "emergency"
    assert rows[3][2] == ""
    assert "age_years: 400 is not allowed" in str(rows[3][6])
    assert all(isinstance(row[2], str) for row in rows)
    with zipfile.ZipFile(summary) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet
    assert "<f " not in sheet
    assert 'state="frozen"' in sheet
    assert 'ySplit="1"' in sheet
    marked = {int(number) for number in re.findall(r'<c r="A(\d+)" s="2"', sheet)}
    assert marked == {3}  # the emergency record's row (the header is row 1)
    assert stat.S_IMODE(summary.stat().st_mode) == 0o600
    assert list(scratch.iterdir()) == []


def test_the_csv_summary_neutralises_cells_a_spreadsheet_would_run_as_formulas(tmp_path: Path) -> None:
    """Cells starting with =, +, -, @, tab or carriage return get a leading apostrophe; others stay."""
    summary = tmp_path / "summary.csv"
    code, _ = _batch(
        str(_input(tmp_path)),
        "-o",
        str(tmp_path / "out.jsonl"),
        "--id-field",
        "rid",
        "--summary",
        str(summary),
    )
    assert code == 2
    with summary.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    ids = [row[1] for row in rows[1:]]
    assert ids == [
        "00123",
        "'=1+1",
        "'+49 30 1234",
        "'-5",
        "'@SUM(A1:A9)",
        "'\tx",
        "'\rx",
        "2026-12-01",
        "1e5",
        '\'=HYPERLINK("x")',
    ]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1", "'=1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\t1", "'\t1"),
        ("\r1", "'\r1"),
        ("a=1", "a=1"),
        ("", ""),
    ],
)
def test_neutralised(cell: str, written: str) -> None:
    assert neutralised(cell) == written


def test_an_id_that_is_no_unicode_text_is_written_escaped_in_either_summary(tmp_path: Path) -> None:
    """A lone surrogate from a JSON escape cannot be UTF-8: the identifier is refused (issue 20
    item 3), and either summary writes the escape in the record's error instead of failing."""
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"rid": "\\ud800x", "age_years": 40, "heel_pain": true, "knee_pain": false}\n', encoding="utf-8"
    )
    for name in ("s.csv", "s.xlsx"):
        code, stderr = _batch(
            str(source),
            "-o",
            str(tmp_path / "out.jsonl"),
            "--id-field",
            "rid",
            "--summary",
            str(tmp_path / name),
        )
        assert code == 2, stderr
    assert "\\ud800x" in (tmp_path / "s.csv").read_text(encoding="utf-8")
    rows = CalamineWorkbook.from_path(str(tmp_path / "s.xlsx")).get_sheet_by_index(0).to_python()
    assert rows[1][1] == ""
    error = str(rows[1][-1])
    assert error.startswith("rid: the identifier must be")
    assert '"\\ud800x"' in error
