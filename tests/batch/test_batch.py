"""`factorcheck batch`: JSON Lines and CSV in, one output line per record, in order, never a lost record."""

from __future__ import annotations

import csv
import errno
import gc
import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, TextIO, cast

import pytest

from factorcheck.answers.csv_input import cell_text
from factorcheck.answers.questionnaire import ITEMS
from factorcheck.batch.progress import Progress
from factorcheck.batch.run import RunOptions, run_batch
from factorcheck.cli.main import main
from support import EXAMPLES as EXAMPLE_DIR
from support.synthetic import answer_sets

EXAMPLES = sorted(EXAMPLE_DIR.glob("*.json"))
COLUMNS = [item.id for item in ITEMS]


def _write_jsonl(path: Path, records: list[Any]) -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def _write_csv(path: Path, rows: list[dict[str, object]], columns: list[str] = COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([cell_text(row.get(column)) for column in columns])
    return path


def _batch(*args: str) -> tuple[int, str]:
    """Run `factorcheck batch ARGS`; the exit code and what went to stderr."""
    stderr = io.StringIO()
    code = main(["batch", *args], stdout=io.StringIO(), stderr=stderr)
    return code, stderr.getvalue()


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _check(path: Path) -> dict[str, Any]:
    stdout = io.StringIO()
    assert main(["check", str(path), "--format", "json"], stdout=stdout, stderr=io.StringIO()) == 0
    result: dict[str, Any] = json.loads(stdout.getvalue())
    return result


def test_batch_output_equals_one_check_per_record(tmp_path: Path) -> None:
    """Each output line is the report `factorcheck check --format json` gives for that record."""
    records = [json.loads(path.read_text(encoding="utf-8")) for path in EXAMPLES]
    records += list(answer_sets(seed=21, count=60))
    source = _write_jsonl(tmp_path / "in.jsonl", records)
    code, stderr = _batch(str(source), "-o", str(tmp_path / "out.jsonl"), "--workers", "1")
    assert code == 0
    assert "68 records: 68 reports" in stderr
    output = _lines(tmp_path / "out.jsonl")
    assert len(output) == len(records)
    for number, (record, line) in enumerate(zip(records, output, strict=True)):
        single = tmp_path / f"one-{number}.json"
        single.write_text(json.dumps(record), encoding="utf-8")
        assert line == _check(single)


def test_invalid_records_are_reported_in_place_and_the_rest_is_scored(tmp_path: Path) -> None:
    """Invalid records become error records with their line and every problem; the run goes on."""
    good = {"age_years": 40, "heel_pain": True, "knee_pain": False}
    source = tmp_path / "in.jsonl"
    source.write_text(
        "\n".join(
            [
                json.dumps(good),
                '{"age_years": 40, "heel_pain": true,',  # cut short
                json.dumps(
                    {"age_years": 35.0, "heel_pain": "yes", "knee_pain": False, "calf_tightnes": "yes"}
                ),
                '{"age_years": 40, "age_years": 41, "heel_pain": true, "knee_pain": false}',
                "[1, 2]",
                json.dumps(good),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    code, stderr = _batch(str(source), "-o", str(tmp_path / "out.jsonl"), "--workers", "1")
    assert code == 2
    assert "6 records: 2 reports (" in stderr
    assert "), 4 invalid (the first on line 2)" in stderr
    output = _lines(tmp_path / "out.jsonl")
    assert [("triage" in line, "error" in line) for line in output] == [
        (True, False),
        (False, True),
        (False, True),
        (False, True),
        (False, True),
        (True, False),
    ]
    assert output[1]["error"]["line"] == 2
    assert output[1]["error"]["problems"][0]["item"] == "(record)"
    assert "not valid JSON" in output[1]["error"]["problems"][0]["message"]
    assert {problem["item"] for problem in output[2]["error"]["problems"]} == {
        "age_years",
        "heel_pain",
        "calf_tightnes",
    }
    assert "appears twice" in output[3]["error"]["problems"][0]["message"]
    assert output[4]["error"]["problems"][0]["item"] == "(answers)"
    assert set(output[2]) == {"error"}  # an error record has nothing a report has


def test_blank_lines_in_json_lines_are_skipped(tmp_path: Path) -> None:
    """Blank and whitespace-only lines give no output; line numbers stay those of the file."""
    good = json.dumps({"age_years": 40, "heel_pain": True, "knee_pain": False})
    source = tmp_path / "in.jsonl"
    source.write_text(
        f"\n{good}\n   \n\t\n{good}\n" + '{"age_years": 0, "heel_pain": true, "knee_pain": true}\n\n'
    )
    code, _ = _batch(str(source), "-o", str(tmp_path / "out.jsonl"), "--workers", "1")
    assert code == 2
    output = _lines(tmp_path / "out.jsonl")
    assert len(output) == 3
    assert output[2]["error"]["line"] == 6


def test_csv_input_gives_the_same_reports_as_json_lines(tmp_path: Path) -> None:
    """The same answer sets as CSV and as JSON Lines give identical output."""
    records = list(answer_sets(seed=22, count=300))
    _write_jsonl(tmp_path / "in.jsonl", records)
    _write_csv(tmp_path / "in.csv", records)
    assert _batch(str(tmp_path / "in.jsonl"), "-o", str(tmp_path / "a.jsonl"), "--workers", "1")[0] == 0
    assert _batch(str(tmp_path / "in.csv"), "-o", str(tmp_path / "b.jsonl"), "--workers", "1")[0] == 0
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


def test_csv_lists_and_numbers_follow_the_documented_encoding(tmp_path: Path) -> None:
    """A list cell splits on ";", a number cell keeps 170 and 70.5 as given, an empty cell is unanswered."""
    source = _write_csv(
        tmp_path / "in.csv",
        [{"age_years": 50, "heel_pain": False, "knee_pain": True, "height_cm": 170, "weight_kg": 70.5}],
        ["age_years", "heel_pain", "knee_pain", "height_cm", "weight_kg", "inflammatory_diagnosis"],
    )
    text = source.read_text(encoding="utf-8").replace("70.5,\n", "70.5,gout;psoriatic_arthritis\n")
    source.write_text(text, encoding="utf-8")
    assert _batch(str(source), "-o", str(tmp_path / "out.jsonl"), "--workers", "1")[0] == 0
    answers = _lines(tmp_path / "out.jsonl")[0]["answers"]
    assert answers["height_cm"] == 170
    assert isinstance(answers["height_cm"], int)
    assert answers["weight_kg"] == 70.5
    assert answers["inflammatory_diagnosis"] == ["gout", "psoriatic_arthritis"]
    assert "knee_pain_side" not in answers


def test_id_field_is_carried_through_and_is_not_an_answer(tmp_path: Path) -> None:
    """--id-field puts each record's id in its output line; a missing id makes an error record."""
    records: list[dict[str, object]] = [
        {"record_id": "A-1", "age_years": 40, "heel_pain": True, "knee_pain": False},
        {"record_id": 7, "age_years": 0, "heel_pain": True, "knee_pain": False},
        {"age_years": 40, "heel_pain": True, "knee_pain": False},
    ]
    source = _write_jsonl(tmp_path / "in.jsonl", records)
    code, _ = _batch(
        str(source), "-o", str(tmp_path / "out.jsonl"), "--id-field", "record_id", "--workers", "1"
    )
    assert code == 2
    output = _lines(tmp_path / "out.jsonl")
    assert output[0]["id"] == "A-1"
    assert "record_id" not in output[0]["answers"]
    assert output[1]["id"] == 7
    assert output[1]["error"]["problems"][0]["item"] == "age_years"
    assert output[2]["id"] is None
    assert output[2]["error"]["problems"][0]["item"] == "record_id"

    rows: list[dict[str, object]] = [
        {"record_id": "B-2", "age_years": 30, "heel_pain": False, "knee_pain": True}
    ]
    csv_source = _write_csv(tmp_path / "in.csv", rows, ["record_id", "age_years", "heel_pain", "knee_pain"])
    code, _ = _batch(str(csv_source), "-o", str(tmp_path / "csv.jsonl"), "--id-field", "record_id")
    assert code == 0
    assert _lines(tmp_path / "csv.jsonl")[0]["id"] == "B-2"


def test_texts_and_numbers_json_cannot_hold_compactly_still_give_one_line_each(tmp_path: Path) -> None:
    """A lone surrogate or a number beyond 64 bits (in answers or ids) is reported, never a crash;
    an identifier holding a lone surrogate is refused, never carried as invalid text."""
    valid = '"age_years": 40, "heel_pain": true, "knee_pain": false'
    lines = [
        '{"age_years": 40, "heel_pain": true, "knee_pain": "\\ud800"}',
        '{"age_years": 100000000000000000000000000, "heel_pain": true, "knee_pain": false}',
        '{"rid": "a\\ud800", ' + valid + "}",
        '{"rid": 100000000000000000000000000, ' + valid + "}",
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _ = _batch(str(source), "-o", str(tmp_path / "out.jsonl"), "--workers", "1")
    assert code == 2
    output = _lines(tmp_path / "out.jsonl")
    problem = output[0]["error"]["problems"][0]
    assert problem["item"] == "knee_pain"
    # Shown escaped: a lone surrogate is not text a terminal can show.
    assert problem["message"].startswith('"\\ud800" (text) is not allowed; expected true or false.')
    assert output[1]["error"]["problems"][0]["item"] == "age_years"
    code, _ = _batch(str(source), "-o", str(tmp_path / "ids.jsonl"), "--id-field", "rid", "--workers", "1")
    assert code == 2
    output = _lines(tmp_path / "ids.jsonl")
    # An identifier that is not text (a lone surrogate) is refused rather than altered: output is
    # I-JSON, and a changed identifier could be matched to the wrong person.
    assert output[2]["id"] is None
    assert output[2]["error"]["problems"][0]["item"] == "rid"
    assert "the identifier must be a text" in output[2]["error"]["problems"][0]["message"]
    assert output[3]["id"] == 100000000000000000000000000
    assert "triage" in output[3]


class _FullDisk(io.RawIOBase):
    """An output that takes two writes, then fails as a full disk does."""

    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.writes += 1
        if self.writes > 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return len(data)


class _Stdout:
    """A standard output whose bytes go to `buffer`, as sys.stdout's do."""

    def __init__(self, buffer: io.RawIOBase) -> None:
        self.buffer = buffer


@pytest.mark.parametrize("workers", ["1", "2"])
def test_an_output_that_fails_mid_run_stops_it_with_a_clear_message(tmp_path: Path, workers: str) -> None:
    """A full disk while writing gives exit code 1 and says why, not an 'unexpected error'."""
    source = _write_jsonl(tmp_path / "in.jsonl", list(answer_sets(seed=29, count=2000)))
    stderr = io.StringIO()
    code = main(
        ["batch", str(source), "-o", "-", "--workers", workers],
        stdout=cast(TextIO, _Stdout(_FullDisk())),
        stderr=stderr,
    )
    assert code == 1
    assert stderr.getvalue() == (
        "factorcheck: cannot write the output: the disk is full (No space left on device).\n"
    )


def test_one_worker_and_two_workers_write_identical_output(tmp_path: Path) -> None:
    """Several worker processes give byte-for-byte the output of one, in input order."""
    source = _write_jsonl(tmp_path / "in.jsonl", list(answer_sets(seed=23, count=3000, invalid_every=97)))
    assert _batch(str(source), "-o", str(tmp_path / "one.jsonl"), "--workers", "1")[0] == 2
    assert _batch(str(source), "-o", str(tmp_path / "two.jsonl"), "--workers", "2")[0] == 2
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()


def test_standard_input_and_output_with_a_summary_and_no_progress_bar(tmp_path: Path) -> None:
    """`-` reads stdin and writes stdout; stderr (not a terminal) gets only the summary line."""
    lines = "".join(json.dumps(raw) + "\n" for raw in answer_sets(seed=24, count=20))
    done = subprocess.run(
        [sys.executable, "-m", "factorcheck", "batch", "-", "--input-format", "jsonl", "--workers", "2"],
        input=lines,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 20
    assert done.stderr.startswith("factorcheck batch: 20 records: 20 reports")
    assert "\r" not in done.stderr


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["in.txt"], "cannot tell whether in.txt is JSON Lines, CSV or a spreadsheet"),
        (["missing.jsonl"], "no such file"),
        (["in.jsonl", "--workers", "0"], "--workers must be at least 1"),
        (["in.jsonl", "--id-field", "age_years"], "is a questionnaire item"),
        (["in.jsonl", "-o", "in.jsonl"], "is the input file"),
    ],
)
def test_a_run_that_cannot_start_exits_1_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, arguments: list[str], message: str
) -> None:
    """Bad arguments give exit code 1 and a message, never a traceback."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.txt").write_text("{}\n", encoding="utf-8")
    (tmp_path / "in.jsonl").write_text("{}\n", encoding="utf-8")
    code, stderr = _batch(*arguments)
    assert code == 1
    assert message in stderr
    assert "Traceback" not in stderr


def test_an_empty_input_gives_no_output_and_exit_0(tmp_path: Path) -> None:
    """No records: nothing written, a summary saying so, success."""
    (tmp_path / "in.jsonl").write_text("\n\n", encoding="utf-8")
    code, stderr = _batch(str(tmp_path / "in.jsonl"), "-o", str(tmp_path / "out.jsonl"))
    assert code == 0
    assert "0 records" in stderr
    assert (tmp_path / "out.jsonl").read_bytes() == b""


def test_workers_read_long_lines_crlf_and_a_last_line_without_newline(tmp_path: Path) -> None:
    """Cutting a file into ranges for workers loses no line: a huge line, CRLF, no final newline."""
    good = json.dumps({"age_years": 40, "heel_pain": True, "knee_pain": False})
    huge = json.dumps({"age_years": 40, "heel_pain": True, "knee_pain": False, "notes": "x" * 500_000})
    records = [good] * 700 + [huge] + [good] * 700
    source = tmp_path / "in.jsonl"
    source.write_bytes(("\r\n".join(records)).encode("utf-8"))  # no newline at the end
    assert _batch(str(source), "-o", str(tmp_path / "one.jsonl"), "--workers", "1")[0] == 2
    assert _batch(str(source), "-o", str(tmp_path / "two.jsonl"), "--workers", "2")[0] == 2
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()
    output = _lines(tmp_path / "two.jsonl")
    assert len(output) == 1401
    assert output[700]["error"]["line"] == 701
    assert output[700]["error"]["problems"][0]["item"] == "notes"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_line_is_shown_on_a_terminal_and_cleared_before_the_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal, stderr gets a progress line (records, share done, rate), then the summary."""
    monkeypatch.setattr(Progress, "interval", 0.0)
    source = _write_jsonl(tmp_path / "in.jsonl", list(answer_sets(seed=25, count=600)))
    stderr = _Terminal()
    code = main(["batch", str(source), "-o", str(tmp_path / "out.jsonl"), "--workers", "1"], stderr=stderr)
    assert code == 0
    shown = stderr.getvalue()
    assert "\r" in shown
    assert "records [" in shown
    assert "/s" in shown
    assert "\r\x1b[Kfactorcheck batch: 600 records: 600 reports (" in shown


def test_with_threads_running_workers_come_from_a_fork_server_and_give_the_same_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the caller has threads (forking would be unsafe), the fork-server path gives the same lines."""
    source = _write_jsonl(tmp_path / "in.jsonl", list(answer_sets(seed=26, count=800, invalid_every=50)))
    assert _batch(str(source), "-o", str(tmp_path / "one.jsonl"), "--workers", "1")[0] == 2
    monkeypatch.setattr("factorcheck.batch.worker_pool.threading.active_count", lambda: 2)
    assert _batch(str(source), "-o", str(tmp_path / "two.jsonl"), "--workers", "2")[0] == 2
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()


def test_runs_from_several_threads_at_once_each_give_their_own_output(tmp_path: Path) -> None:
    """A library caller may run batches from threads: each run writes exactly its own lines."""
    inputs = [
        _write_jsonl(tmp_path / f"in-{seed}.jsonl", list(answer_sets(seed=seed, count=600, invalid_every=40)))
        for seed in (31, 32, 33)
    ]
    for source in inputs:
        assert _batch(str(source), "-o", str(source.with_suffix(".one")), "--workers", "1")[0] == 2
    codes: list[int] = []

    def run(source: Path) -> None:
        codes.append(_batch(str(source), "-o", str(source.with_suffix(".two")), "--workers", "2")[0])

    threads = [threading.Thread(target=run, args=(source,)) for source in inputs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert codes == [2, 2, 2]
    for source in inputs:
        assert source.with_suffix(".two").read_bytes() == source.with_suffix(".one").read_bytes()


@pytest.mark.parametrize("workers", [1, 2])
def test_a_library_run_from_its_options_writes_what_the_command_line_writes(
    tmp_path: Path, workers: int
) -> None:
    """run_batch takes a RunOptions (its streams apart) and writes the very bytes the command does."""
    source = _write_jsonl(tmp_path / "in.jsonl", list(answer_sets(seed=41, count=300, invalid_every=30)))
    assert _batch(str(source), "-o", str(tmp_path / "cli.jsonl"), "--workers", str(workers))[0] == 2
    stderr = io.StringIO()
    options = RunOptions(str(source), str(tmp_path / "library.jsonl"), workers=workers)
    assert run_batch(options, stdin=io.BytesIO(), stdout=io.BytesIO(), stderr=stderr) == 2
    assert (tmp_path / "library.jsonl").read_bytes() == (tmp_path / "cli.jsonl").read_bytes()
    assert stderr.getvalue().startswith("factorcheck batch: 300 records: ")


def _die(task: object, slot: int) -> None:
    os._exit(3)


def test_a_worker_that_dies_fails_the_run_with_a_message_instead_of_hanging(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker process killed mid-run (here: it exits at once) gives exit code 1 and a clear message."""
    source = _write_jsonl(tmp_path / "in.jsonl", list(answer_sets(seed=27, count=600)))
    monkeypatch.setattr("factorcheck.batch.worker_pool._score_in_worker", _die)
    code, stderr = _batch(str(source), "-o", str(tmp_path / "out.jsonl"), "--workers", "2")
    assert code == 1
    assert "a worker process stopped unexpectedly" in stderr


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_run_in_the_callers_process_leaves_its_collector_as_it_was(tmp_path: Path, workers: str) -> None:
    """No full collection of the caller's heap is forced (under a test runner's heap that took
    a second a run), nothing is left frozen, and the thresholds are put back."""
    source = _write_jsonl(tmp_path / "in.jsonl", list(answer_sets(5, 20)))
    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    full_collections: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            full_collections.append(1)

    # Automatic collections are off for the run, so that any full one seen was forced.
    gc.disable()
    gc.callbacks.append(note)
    try:
        code, err = _batch(str(source), "-o", str(tmp_path / "out.jsonl"), "--workers", workers)
    finally:
        gc.callbacks.remove(note)
        gc.enable()
    assert code == 0, err
    assert not full_collections
    assert (gc.get_threshold(), gc.get_freeze_count()) == (thresholds, frozen)
