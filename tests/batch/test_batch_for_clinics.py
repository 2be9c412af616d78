"""`factorcheck batch` for a clinic: level counts, a summary sheet, reports, spreadsheet CSV, privacy."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from factorcheck.batch.record_scoring import report_file_name
from factorcheck.cli.main import main
from support.synthetic import answer_sets

HEADER = "age_years,heel_pain,knee_pain,inflammatory_diagnosis,rf_recent_injury"


def _batch(*args: str) -> tuple[int, str]:
    stderr = io.StringIO()
    code = main(["batch", *args], stdout=io.StringIO(), stderr=stderr)
    return code, stderr.getvalue()


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _mixed_input(path: Path, count: int = 400) -> Path:
    """Generated answer sets with ids, invalid ones mixed in, and some warning signs."""
    lines = []
    for number, raw in enumerate(answer_sets(seed=13, count=count, invalid_every=17)):
        record = {"rid": f"R{number}", **raw} if isinstance(raw, dict) else raw
        lines.append(json.dumps(record))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("workers", ["1", "2"])
def test_level_counts_and_summary_rows_equal_the_reports(tmp_path: Path, workers: str) -> None:
    """The stderr counts per level and every --summary row agree with the JSON report of that line."""
    source = _mixed_input(tmp_path / "in.jsonl")
    out, sheet = tmp_path / "out.jsonl", tmp_path / "summary.csv"
    code, stderr = _batch(
        str(source), "-o", str(out), "--id-field", "rid", "--summary", str(sheet), "--workers", workers
    )
    assert code == 2
    reports = _lines(out)
    with sheet.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [row["line"] for row in rows] == [str(n) for n in range(1, len(reports) + 1)]
    counted = {"emergency": 0, "urgent": 0, "soon": 0, "routine": 0, "routine (screen incomplete)": 0}
    incomplete = 0
    for report, row in zip(reports, rows, strict=True):
        assert row["id"] == ("" if report["id"] is None else str(report["id"]))
        if "error" in report:
            assert row["level"] == ""
            assert row["error"] == "; ".join(
                f"{p['item']}: {p['message']}" for p in report["error"]["problems"]
            )
            continue
        triage = report["triage"]
        level = triage["level"]
        if level == "routine" and not triage["screen_complete"]:
            level = "routine (screen incomplete)"
        counted[level] += 1
        incomplete += not triage["screen_complete"]
        assert row["level"] == level
        assert row["screen complete"] == ("yes" if triage["screen_complete"] else "no")
        assert row["mechanisms"] == ";".join(m["id"] for m in report["mechanisms"])
        assert row["factors"] == ";".join(f["id"] for f in report["factors"])
        assert row["error"] == ""
    shown = ", ".join(f"{level} {count:,}" for level, count in counted.items())
    assert f"({shown}; safety screen incomplete in {incomplete:,})" in stderr
    assert counted["routine (screen incomplete)"] > 0
    assert counted["emergency"] > 0


def test_an_unscreened_record_is_never_plain_routine_in_the_summary(tmp_path: Path) -> None:
    """A record with no warning-sign answers at all is "routine (screen incomplete)", screen complete "no"."""
    source = tmp_path / "in.jsonl"
    source.write_text('{"age_years": 40, "heel_pain": true, "knee_pain": false}\n', encoding="utf-8")
    sheet = tmp_path / "summary.csv"
    assert _batch(str(source), "-o", str(tmp_path / "out.jsonl"), "--summary", str(sheet))[0] == 0
    with sheet.open(encoding="utf-8", newline="") as stream:
        (row,) = list(csv.DictReader(stream))
    assert row["level"] == "routine (screen incomplete)"
    assert row["screen complete"] == "no"


def test_the_first_emergencies_are_named_in_the_summary_line(tmp_path: Path) -> None:
    """The end-of-run line names the lines (or ids) of the first emergencies."""
    emergency = {"age_years": 40, "heel_pain": True, "knee_pain": False, "rf_breathless_chest_pain": "yes"}
    plain = {"age_years": 40, "heel_pain": True, "knee_pain": False}
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in [plain, emergency, plain, emergency]) + "\n")
    _, stderr = _batch(str(source), "-o", str(tmp_path / "out.jsonl"))
    assert "emergency 2," in stderr
    assert "emergencies: line 2, line 4;" in stderr


def test_reports_folder_holds_one_private_markdown_report_per_valid_record(tmp_path: Path) -> None:
    """--reports DIR writes each valid record's Markdown report, named by line and id, owner-only."""
    source = _mixed_input(tmp_path / "in.jsonl", count=40)
    folder = tmp_path / "reports"
    code, _ = _batch(
        str(source), "-o", str(tmp_path / "out.jsonl"), "--id-field", "rid", "--reports", str(folder)
    )
    assert code == 2
    reports = _lines(tmp_path / "out.jsonl")
    expected = sorted(
        report_file_name(line, report["id"])
        for line, report in enumerate(reports, start=1)
        if "error" not in report
    )
    assert sorted(path.name for path in folder.iterdir()) == expected
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    first = folder / expected[0]
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    text = first.read_text(encoding="utf-8")
    # A report's title comes first, after what to do now when a warning sign calls for care.
    assert "\n# factorcheck report\n" in "\n" + text
    first_report = next(report for report in reports if "error" not in report)
    assert text.rstrip().splitlines()[-1] == first_report["consult"]


@pytest.mark.parametrize(
    ("record_id", "name"),
    [
        (None, "line-000007.md"),
        ("A-1", "line-000007-A-1.md"),
        ("../etc/passwd", "line-000007-etc_passwd.md"),
        ("", "line-000007.md"),
    ],
)
def test_report_file_names_are_safe_for_any_id(record_id: object, name: str) -> None:
    """An id never escapes the reports folder or makes an odd file name."""
    assert report_file_name(7, record_id) == name


def test_csv_cells_as_spreadsheets_write_them_read_as_documented(tmp_path: Path) -> None:
    """Trimmed cells and list entries, TRUE/FALSE in any case, yes/no in the two pain columns."""
    source = tmp_path / "in.csv"
    source.write_text(
        HEADER
        + "\n 40 ,TRUE,False,gout; psoriatic_arthritis , no \n41, yes ,NO,,\n42,Yes,no,none,not_sure\n",
        encoding="utf-8",
    )
    assert _batch(str(source), "-o", str(tmp_path / "out.jsonl"), "--workers", "1")[0] == 0
    answers = [line["answers"] for line in _lines(tmp_path / "out.jsonl")]
    assert answers[0] == {
        "rf_recent_injury": "no",
        "age_years": 40,
        "heel_pain": True,
        "knee_pain": False,
        "inflammatory_diagnosis": ["gout", "psoriatic_arthritis"],
    }
    assert answers[1] == {"age_years": 41, "heel_pain": True, "knee_pain": False}
    assert answers[2]["inflammatory_diagnosis"] == ["none"]


@pytest.mark.parametrize(
    ("cells", "item", "words"),
    [
        ("35.0,true,false,,", "age_years", "without a decimal point"),
        ("35,maybe,false,,", "heel_pain", "yes and no are allowed too"),
        ("35,true,false,gout;flu,", "inflammatory_diagnosis", '"flu"'),
        ("35,true,false,,Yes", "rf_recent_injury", 'Did you mean "yes"?'),
        ("35,true,false,,y", "rf_recent_injury", "expected one of"),
    ],
)
def test_nothing_else_is_guessed_in_a_csv_cell(tmp_path: Path, cells: str, item: str, words: str) -> None:
    """A value outside the documented encoding stays a clear error for that record, naming the item."""
    source = tmp_path / "in.csv"
    source.write_text(f"{HEADER}\n{cells}\n", encoding="utf-8")
    assert _batch(str(source), "-o", str(tmp_path / "out.jsonl"), "--workers", "1")[0] == 2
    problems = {p["item"]: p["message"] for p in _lines(tmp_path / "out.jsonl")[0]["error"]["problems"]}
    assert words in problems[item]


def test_a_semicolon_delimited_csv_is_recognised_or_named(tmp_path: Path) -> None:
    """A ;-separated export reads like a ,-separated one; --delimiter names it outright."""
    source = tmp_path / "in.csv"
    source.write_text(
        'age_years;heel_pain;knee_pain;inflammatory_diagnosis\n40;true;false;"gout;psoriatic_arthritis"\n'
    )
    for extra in ([], ["--delimiter", ";"]):
        out = tmp_path / f"out{len(extra)}.jsonl"
        assert _batch(str(source), "-o", str(out), *extra)[0] == 0
        assert _lines(out)[0]["answers"]["inflammatory_diagnosis"] == ["gout", "psoriatic_arthritis"]


def test_every_unknown_column_is_named_at_once_with_suggestions(tmp_path: Path) -> None:
    """Every unknown column is in one message, "Age" suggesting age_years; no output is written."""
    source = tmp_path / "in.csv"
    source.write_text("Age,heel_pian,knee_pain,clinic\n40,true,false,north\n", encoding="utf-8")
    code, stderr = _batch(str(source), "-o", str(tmp_path / "out.jsonl"))
    assert code == 1
    assert '3 unknown columns: "Age" (column 1; did you mean "age_years"?)' in stderr
    assert '"heel_pian" (column 2; did you mean "heel_pain"?)' in stderr
    assert '"clinic" (column 4)' in stderr
    assert "--ignore-column" in stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_an_id_like_first_column_suggests_id_field(tmp_path: Path) -> None:
    """A first column such as patient_id, unknown and not named by --id-field, suggests --id-field."""
    source = tmp_path / "in.csv"
    source.write_text("patient_id,age_years,heel_pain,knee_pain\nP1,40,true,false\n", encoding="utf-8")
    code, stderr = _batch(str(source), "-o", str(tmp_path / "out.jsonl"))
    assert code == 1
    assert 'give --id-field "patient_id"' in stderr


def test_columns_can_be_ignored_by_name_or_all_unknown_ones_with_a_warning(tmp_path: Path) -> None:
    """--ignore-column skips named columns quietly; --ignore-unknown-columns skips the rest and says which."""
    source = tmp_path / "in.csv"
    source.write_text("clinic,age_years,heel_pain,knee_pain,notes\nN,40,true,false,x\n", encoding="utf-8")
    code, stderr = _batch(
        str(source), "-o", str(tmp_path / "a.jsonl"), "--ignore-column", "clinic", "--ignore-column", "notes"
    )
    assert code == 0
    assert "ignoring" not in stderr
    code, stderr = _batch(str(source), "-o", str(tmp_path / "b.jsonl"), "--ignore-unknown-columns")
    assert code == 0
    assert 'ignoring columns that are not questionnaire items: "clinic", "notes"' in stderr
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    assert _lines(tmp_path / "a.jsonl")[0]["answers"] == {
        "age_years": 40,
        "heel_pain": True,
        "knee_pain": False,
    }


@pytest.mark.parametrize("umask", [0o000, 0o022])
def test_every_file_written_is_private_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    """Batch output, summary, reports and check -o are 0600, even with a permissive umask."""
    source = _mixed_input(tmp_path / "in.jsonl", count=10)
    answers = tmp_path / "one.json"
    answers.write_text('{"age_years": 40, "heel_pain": true, "knee_pain": false}', encoding="utf-8")
    previous = os.umask(umask)
    try:
        _batch(
            str(source),
            "-o",
            str(tmp_path / "out.jsonl"),
            "--summary",
            str(tmp_path / "s.csv"),
            "--reports",
            str(tmp_path / "reports"),
        )
        assert (
            main(
                ["check", str(answers), "-o", str(tmp_path / "report.md"), "--format", "markdown"],
                stdout=io.StringIO(),
                stderr=io.StringIO(),
            )
            == 0
        )
    finally:
        os.umask(previous)
    written = [
        tmp_path / "out.jsonl",
        tmp_path / "s.csv",
        tmp_path / "report.md",
        *sorted((tmp_path / "reports").iterdir()),
    ]
    assert [oct(stat.S_IMODE(path.stat().st_mode)) for path in written] == [oct(0o600)] * len(written)


def test_an_existing_output_is_replaced_whole_and_loses_its_old_permissions(tmp_path: Path) -> None:
    """A world-readable file that is overwritten becomes private, and no partial file is left beside it."""
    source = _mixed_input(tmp_path / "in.jsonl", count=10)
    out = tmp_path / "out.jsonl"
    out.write_text("old\n")
    out.chmod(0o644)
    _batch(str(source), "-o", str(out))
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_text().count("\n") == 10
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]


def test_a_run_that_fails_leaves_no_output_file_and_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run stopped part-way (here after its first chunk) leaves neither the output nor a temporary file."""
    from factorcheck.batch import tally

    source = _mixed_input(tmp_path / "in.jsonl", count=1000)
    calls = {"n": 0}
    real = tally.Totals.add

    def interrupted(self: Any, result: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        real(self, result)

    monkeypatch.setattr(tally.Totals, "add", interrupted)
    code, stderr = _batch(str(source), "-o", str(tmp_path / "out.jsonl"), "--workers", "1")
    assert code == 1
    assert "interrupted" in stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.jsonl"]


def test_a_semicolon_delimited_csv_is_recognised_on_standard_input_too() -> None:
    """The delimiter is told from the header of a pipe, which cannot be rewound."""
    done = subprocess.run(
        [sys.executable, "-m", "factorcheck", "batch", "-", "--input-format", "csv", "--workers", "1"],
        input="age_years;heel_pain;knee_pain\n40;TRUE;no\n",
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["answers"] == {"age_years": 40, "heel_pain": True, "knee_pain": False}


def test_reports_carry_the_date_given_so_that_a_run_can_be_made_again(tmp_path: Path) -> None:
    """--date sets the date every --reports file says it was made."""
    source = tmp_path / "in.jsonl"
    source.write_text('{"age_years": 40, "heel_pain": true, "knee_pain": false}\n', encoding="utf-8")
    folder = tmp_path / "reports"
    assert (
        _batch(
            str(source), "-o", str(tmp_path / "o.jsonl"), "--reports", str(folder), "--date", "2026-01-02"
        )[0]
        == 0
    )
    (report,) = folder.iterdir()
    assert "2026-01-02" in report.read_text(encoding="utf-8")


def test_reports_can_be_html_pages_to_print(tmp_path: Path) -> None:
    """--reports-format html writes each report as a self-contained page ending in .html."""
    source = tmp_path / "in.jsonl"
    source.write_text('{"age_years": 40, "heel_pain": true, "knee_pain": false}\n', encoding="utf-8")
    folder = tmp_path / "reports"
    out = tmp_path / "o.jsonl"
    assert _batch(str(source), "-o", str(out), "--reports", str(folder), "--reports-format", "html")[0] == 0
    (report,) = folder.iterdir()
    assert report.name == "line-000001.html"
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
