"""CSV from spreadsheets set to other languages: TRUE/FALSE in the words they write, decimal commas
in semicolon-separated files (and only there); nothing else guessed."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from factorcheck.answers.csv_input import LOCALE_BOOLEANS
from factorcheck.answers.questionnaire import ITEMS
from factorcheck.cli.main import main
from support.synthetic import answer_sets

COLUMNS = [item.id for item in ITEMS]
HEADER = "age_years;heel_pain;knee_pain;height_cm;weight_kg"


def _batch(*args: str) -> tuple[int, str]:
    stderr = io.StringIO()
    code = main(["batch", *args], stdout=io.StringIO(), stderr=stderr)
    return code, stderr.getvalue()


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _german_cell(value: object) -> str:
    """A cell as LibreOffice Calc in a German locale shows it, and so writes it to CSV."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "WAHR" if value else "FALSCH"
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, list):
        return "; ".join(str(entry) for entry in value)
    return str(value)


def test_a_german_locale_csv_as_libreoffice_writes_it_gives_the_json_lines_output(tmp_path: Path) -> None:
    """Semicolons, WAHR/FALSCH, decimal commas (74,5), list cells quoted because they hold the
    delimiter: 300 generated answer sets give the same output as their JSON Lines."""
    records = list(answer_sets(seed=43, count=300))
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    german = tmp_path / "in.csv"
    with german.open("w", encoding="utf-8", newline="") as stream:
        # LibreOffice's CSV export: text delimiter ", quoting only where a cell needs it.
        writer = csv.writer(stream, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(COLUMNS)
        for record in records:
            writer.writerow([_german_cell(record.get(column)) for column in COLUMNS])
    text = german.read_text(encoding="utf-8")
    assert "WAHR" in text
    assert ",5;" in text or ",5\n" in text
    expected, got = tmp_path / "expected.jsonl", tmp_path / "got.jsonl"
    assert _batch(str(source), "-o", str(expected), "--workers", "1")[0] == 0
    code, stderr = _batch(str(german), "-o", str(got), "--workers", "1")
    assert code == 0, stderr
    assert got.read_bytes() == expected.read_bytes()


@pytest.mark.parametrize(("language", "words"), sorted(LOCALE_BOOLEANS.items()))
def test_true_and_false_are_read_as_each_major_spreadsheet_language_writes_them(
    tmp_path: Path, language: str, words: tuple[str, str]
) -> None:
    """In upper case as exported, and in lower case, in a comma- or a semicolon-separated file."""
    true, false = words
    source = tmp_path / "in.csv"
    source.write_text(
        f"age_years,heel_pain,knee_pain\n40,{true},{false}\n41,{false.lower()},{true.lower()}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    assert _batch(str(source), "-o", str(out), "--workers", "1")[0] == 0, language
    answers = [line["answers"] for line in _lines(out)]
    assert (answers[0]["heel_pain"], answers[0]["knee_pain"]) == (True, False)
    assert (answers[1]["heel_pain"], answers[1]["knee_pain"]) == (False, True)


@pytest.mark.parametrize(
    ("rows", "item", "words"),
    [
        # A decimal comma in a comma-separated file (the cell had to be quoted) is not read.
        (
            'age_years,heel_pain,knee_pain,height_cm,weight_kg\n40,true,false,170,"74,5"\n',
            "weight_kg",
            "semicolon",
        ),
        # A whole-number item still takes no decimal part, written with a comma or not.
        (f"{HEADER}\n40,0;WAHR;FALSCH;;\n", "age_years", "without a decimal point"),
        # Thousands separators are not guessed.
        (f"{HEADER}\n40;WAHR;FALSCH;170;1.074,5\n", "weight_kg", "1.074,5"),
        (f"{HEADER}\n40;WAHR;FALSCH;170;74,5,1\n", "weight_kg", "74,5,1"),
        # Nor are 1/0, ja/nein or a word of another meaning.
        (f"{HEADER}\n40;1;FALSCH;;\n", "heel_pain", "TRUE and FALSE as spreadsheets write"),
        (f"{HEADER}\n40;ja;FALSCH;;\n", "heel_pain", '"ja"'),
    ],
)
def test_nothing_else_is_guessed(tmp_path: Path, rows: str, item: str, words: str) -> None:
    source = tmp_path / "in.csv"
    source.write_text(rows, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert _batch(str(source), "-o", str(out), "--workers", "1")[0] == 2
    problems = {p["item"]: p["message"] for p in _lines(out)[0]["error"]["problems"]}
    assert words in problems[item]


def test_a_decimal_point_in_a_semicolon_separated_file_is_still_read(tmp_path: Path) -> None:
    """As before: 74.5 in a ;-separated file is 74.5 (a spreadsheet set to a decimal comma never
    writes it so, and what other tools write with semicolons keeps working)."""
    source = tmp_path / "in.csv"
    source.write_text(f"{HEADER}\n40;WAHR;FALSCH;170,5;74.5\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert _batch(str(source), "-o", str(out), "--workers", "1")[0] == 0
    answers = _lines(out)[0]["answers"]
    assert (answers["height_cm"], answers["weight_kg"]) == (170.5, 74.5)
