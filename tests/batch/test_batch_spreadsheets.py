"""`factorcheck batch` reading .xlsx and .ods files directly: the same output as JSON Lines, cells
taken as the file stores them, and every problem named by its cell ("Sheet1!D14")."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path
from typing import Any

import pytest

from factorcheck.answers.questionnaire import ITEMS
from factorcheck.answers.spreadsheet_input import column_letters, sheet_reference
from factorcheck.cli.main import main
from support.spreadsheets import Cell, sheet_row, write_ods, write_xlsx
from support.synthetic import answer_sets

COLUMNS = ["rid", *(item.id for item in ITEMS)]
WRITERS = {"xlsx": write_xlsx, "ods": write_ods}


def _batch(*args: str, stdin: io.TextIOWrapper | None = None) -> tuple[int, str]:
    stderr = io.StringIO()
    stdin = stdin if stdin is not None else io.TextIOWrapper(io.BytesIO())
    code = main(["batch", *args], stdin=stdin, stdout=io.StringIO(), stderr=stderr)
    return code, stderr.getvalue()


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _problems(record: dict[str, Any]) -> dict[str, str]:
    return {problem["item"]: problem["message"] for problem in record["error"]["problems"]}


HEADER = ["age_years", "heel_pain", "knee_pain", "inflammatory_diagnosis", "height_cm", "weight_kg"]


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_a_spreadsheet_gives_the_same_output_as_the_same_records_in_json_lines(
    tmp_path: Path, kind: str
) -> None:
    """300 generated answer sets, written by a writer library with typed cells (TRUE/FALSE cells,
    number cells, list cells), give the output of the same records as JSON Lines."""
    records = [{"rid": f"R{number:05d}", **raw} for number, raw in enumerate(answer_sets(seed=41, count=300))]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    sheet = WRITERS[kind](
        tmp_path / f"in.{kind}", {"Intake": [COLUMNS, *(sheet_row(record, COLUMNS) for record in records)]}
    )
    expected, got = tmp_path / "expected.jsonl", tmp_path / "got.jsonl"
    assert _batch(str(source), "-o", str(expected), "--id-field", "rid", "--workers", "1")[0] == 0
    code, stderr = _batch(str(sheet), "-o", str(got), "--id-field", "rid", "--workers", "2")
    assert code == 0, stderr
    # Equal as JSON: a sheet stores 64.0 and 64 alike, and a whole number reads as 64 (as a CSV
    # export of it writes), where the JSON Lines record may have said 64.0.
    assert _lines(got) == _lines(expected)
    assert _lines(got)[0]["id"] == "R00000"


def test_cells_are_taken_as_stored_and_each_problem_names_its_cell(tmp_path: Path) -> None:
    """A table placed at B3 of a sheet named with a space: a TRUE/FALSE cell is a boolean, 52 a
    whole number, a text cell reads as a CSV cell; a date cell, a number in a true/false column and
    52.5 for an age are errors for their record, named "'Intake 2026'!C5" and so on."""
    rows: list[list[Cell]] = [
        ["id", *HEADER],
        ["00123", 52, True, False, "gout; psoriatic_arthritis", 168.5, 74],
        ["A-2", datetime.date(2026, 12, 1), 1, "FALSE", None, None, None],
        [None, None, None, None, None, None, None],
        ["A-4", 52.5, "yes", True, None, None, None],
        [7, 40, False, True, None, 170, None],
    ]
    source = write_xlsx(tmp_path / "in.xlsx", {"Intake 2026": rows}, at=(2, 1))
    out = tmp_path / "out.jsonl"
    code, stderr = _batch(str(source), "-o", str(out), "--id-field", "id", "--workers", "1")
    assert code == 2, stderr
    first, dated, halved, numbered = _lines(out)
    assert first["id"] == "00123"
    assert first["answers"] == {
        "age_years": 52,
        "heel_pain": True,
        "knee_pain": False,
        "inflammatory_diagnosis": ["gout", "psoriatic_arthritis"],
        "height_cm": 168.5,
        "weight_kg": 74,
    }
    assert isinstance(first["answers"]["age_years"], int)
    assert dated["error"]["line"] == 5
    problems = _problems(dated)
    assert problems["age_years"].startswith("'Intake 2026'!C5: a date cell (2026-12-01) is not allowed")
    assert problems["heel_pain"].startswith("'Intake 2026'!D5: a number cell (1) is not allowed")
    assert "knee_pain" not in problems  # a text cell FALSE, read as a CSV cell is
    assert halved["error"]["line"] == 7  # the blank row is skipped, and counted
    assert _problems(halved)["age_years"].startswith("'Intake 2026'!C7: a number cell (52.5)")
    # A problem the validator finds (no weight with a height) names the cell of its item.
    assert numbered["id"] == 7
    assert _problems(numbered)["weight_kg"].startswith("'Intake 2026'!H8: ")
    assert "records: 1 reports" in stderr.replace(",", "")


def test_an_ods_date_cell_and_a_value_under_no_header_are_errors_for_their_record(tmp_path: Path) -> None:
    """In an .ods file too: a date cell names its cell; a value in a column with no header name
    is not dropped silently."""
    rows: list[list[Cell]] = [
        ["age_years", "heel_pain", "knee_pain"],
        [datetime.date(2026, 12, 1), True, False],
        [40, True, False, "a note"],
        [41, False, True],
    ]
    source = write_ods(tmp_path / "in.ods", {"Sheet1": rows})
    out = tmp_path / "out.jsonl"
    assert _batch(str(source), "-o", str(out), "--workers", "1")[0] == 2
    dated, noted, fine = _lines(out)
    assert _problems(dated)["age_years"].startswith("Sheet1!A2: a date cell (2026-12-01)")
    assert (
        "Sheet1!D3 holds a value, but its column has no name in the header row"
        in _problems(noted)["(record)"]
    )
    assert fine["answers"] == {"age_years": 41, "heel_pain": False, "knee_pain": True}


def test_the_sheet_is_chosen_by_name_or_number_and_the_first_by_default(tmp_path: Path) -> None:
    """--sheet NAME or --sheet NUMBER (from 1); an unknown one lists the sheets there are."""
    first: list[list[Cell]] = [["age_years", "heel_pain", "knee_pain"], [30, True, False]]
    second: list[list[Cell]] = [["age_years", "heel_pain", "knee_pain"], [60, False, True]]
    source = write_xlsx(tmp_path / "in.xlsx", {"Clinic A": first, "Clinic B": second})
    ages = {}
    for name, extra in (("default", []), ("name", ["--sheet", "Clinic B"]), ("number", ["--sheet", "2"])):
        out = tmp_path / f"{name}.jsonl"
        assert _batch(str(source), "-o", str(out), *extra)[0] == 0
        ages[name] = _lines(out)[0]["answers"]["age_years"]
    assert ages == {"default": 30, "name": 60, "number": 60}
    code, stderr = _batch(str(source), "-o", str(tmp_path / "x.jsonl"), "--sheet", "3")
    assert code == 1
    assert 'has no such sheet; its sheets are 1 "Clinic A", 2 "Clinic B"' in stderr
    assert not (tmp_path / "x.jsonl").exists()
    csv_source = tmp_path / "in.csv"
    csv_source.write_text("age_years,heel_pain,knee_pain\n30,true,false\n", encoding="utf-8")
    code, stderr = _batch(str(csv_source), "-o", str(tmp_path / "x.jsonl"), "--sheet", "2")
    assert code == 1
    assert "--sheet is for a spreadsheet file" in stderr


def test_header_problems_name_the_column_by_its_letter(tmp_path: Path) -> None:
    """An unknown column is named by its letter and the sheet, with the closest item id."""
    source = write_xlsx(
        tmp_path / "in.xlsx", {"Sheet1": [["heel_pain", "knee_pain", "Age"], [True, False, 40]]}
    )
    code, stderr = _batch(str(source), "-o", str(tmp_path / "out.jsonl"))
    assert code == 1
    assert (
        'the header row of sheet "Sheet1" has an unknown column: "Age" (column C; did you mean "age_years"?)'
        in stderr
    )


def test_a_spreadsheet_read_from_standard_input(tmp_path: Path) -> None:
    """`batch - --input-format xlsx` reads the workbook from standard input."""
    source = write_xlsx(
        tmp_path / "in.xlsx", {"Sheet1": [["age_years", "heel_pain", "knee_pain"], [30, True, False]]}
    )
    stdin = io.TextIOWrapper(io.BytesIO(source.read_bytes()))
    out = tmp_path / "out.jsonl"
    assert _batch("-", "--input-format", "xlsx", "-o", str(out), stdin=stdin)[0] == 0
    assert _lines(out)[0]["answers"]["age_years"] == 30


def test_a_spreadsheet_named_as_csv_is_told_apart_clearly(tmp_path: Path) -> None:
    """An .xlsx file named .csv, or given --input-format csv, is refused in one clear message that
    says what to give, not with the csv module's words."""
    workbook = write_xlsx(tmp_path / "in.xlsx", {"Sheet1": [["age_years"], [30]]})
    renamed = tmp_path / "in.csv"
    renamed.write_bytes(workbook.read_bytes())
    for args in (
        [str(renamed)],
        [str(workbook), "--input-format", "csv"],
        [str(workbook), "--input-format", "jsonl"],
    ):
        code, stderr = _batch(*args, "-o", str(tmp_path / "out.jsonl"))
        assert code == 1
        assert "is a spreadsheet file (.xlsx or .ods), not" in stderr
        assert "--input-format xlsx, ods or xls" in stderr
        assert "newline" not in stderr


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"PK\x03\x04 not really a zip",
        b"age_years,heel_pain\n40,true\n",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1xx",
    ],
)
@pytest.mark.parametrize("suffix", [".xlsx", ".ods", ".xls"])
def test_a_file_that_is_no_readable_spreadsheet_is_refused_without_a_traceback(
    tmp_path: Path, content: bytes, suffix: str
) -> None:
    source = tmp_path / f"in{suffix}"
    source.write_bytes(content)
    code, stderr = _batch(str(source), "-o", str(tmp_path / "out.jsonl"))
    assert code == 1
    assert "Traceback" not in stderr
    assert "unexpected error" not in stderr
    assert stderr.startswith(f"factorcheck: cannot read {source} as a spreadsheet")
    assert not (tmp_path / "out.jsonl").exists()


def test_an_empty_sheet_is_refused_clearly(tmp_path: Path) -> None:
    source = write_xlsx(tmp_path / "in.xlsx", {"Sheet1": []})
    code, stderr = _batch(str(source), "-o", str(tmp_path / "out.jsonl"))
    assert code == 1
    assert 'sheet "Sheet1" of' in stderr
    assert "is empty: it needs a header row of item ids" in stderr


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")])
def test_column_letters_count_as_spreadsheets_do(index: int, letters: str) -> None:
    assert column_letters(index) == letters


@pytest.mark.parametrize(
    ("name", "shown"),
    [("Sheet1", "Sheet1"), ("Intake 2026", "'Intake 2026'"), ("O'Brien", "'O''Brien'"), ("A1", "'A1'")],
)
def test_sheet_names_are_quoted_as_cell_references_quote_them(name: str, shown: str) -> None:
    assert sheet_reference(name) == shown
