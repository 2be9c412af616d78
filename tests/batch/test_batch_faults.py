"""`factorcheck batch` under bad input and faults: every record accounted for, nothing half written."""

from __future__ import annotations

import json
import os
import resource
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from support.synthetic import answer_sets

VALID = '{"age_years": 40, "heel_pain": true, "knee_pain": false}'
COMMAND = [sys.executable, "-m", "factorcheck"]


def _run(
    *args: str, stdin: Any = None, cwd: Path | None = None, **options: Any
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, *args], stdin=stdin, capture_output=True, text=True, timeout=60, cwd=cwd, **options
    )


def _records(text: str) -> list[dict[str, Any]]:
    """Every output line, each a whole JSON record."""
    assert text == "" or text.endswith("\n"), "the last line is cut off"
    return [json.loads(line) for line in text.splitlines()]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_standard_input_redirected_from_a_file_is_read_whatever_the_workers(
    tmp_path: Path, workers: str
) -> None:
    """`batch - < file` reads the redirected file, even with workers and a file named "-" nearby."""
    source = tmp_path / "in.jsonl"
    source.write_text((VALID + "\n") * 3000, encoding="utf-8")
    (tmp_path / "-").write_text(VALID + "\n", encoding="utf-8")  # a decoy a worker must not open
    with source.open("rb") as stdin:
        result = _run(
            "batch", "-", "--input-format", "jsonl", "--workers", workers, stdin=stdin, cwd=tmp_path
        )
    assert result.returncode == 0, result.stderr
    assert len(_records(result.stdout)) == 3000


BAD_JSON_LINES = [
    ('{"age_years": ' + "9" * 5000 + ', "heel_pain": true, "knee_pain": false}', "4,300 digits"),
    ('{"age_years": 40, "heel_pain": true, "knee_pain": ' + "[" * 1000 + "]" * 1000 + "}", "knee_pain"),
    ('{"age_years": 40, "heel_pain": true, "knee_pain": ' + "[" * 100_000 + "]" * 100_000 + "}", "deeply"),
    ('{"age_years": NaN, "heel_pain": true, "knee_pain": false}', "age_years"),
    ('{"age_years": 40, "heel_pain": true, "knee_pain": false', "not valid JSON"),
    ('{"age_years": 40, "heel_pain": true, "knee_pain": "' + "y" * 5_000_000 + '"}', "characters"),
    (
        '{"age_years": 40, "heel_pain": true, "knee_pain": false, "' + "y" * 5_000_000 + '": 1}',
        "characters",
    ),
]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_bad_json_line_is_an_error_record_at_its_line_and_the_run_goes_on(
    tmp_path: Path, workers: str
) -> None:
    """Huge numbers, deep nesting, NaN, broken JSON, huge texts: each an error record, and the run goes on."""
    lines = [VALID]
    for bad, _ in BAD_JSON_LINES:
        lines += [bad, VALID]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _run("batch", str(source), "--workers", workers)
    assert result.returncode == 2, result.stderr
    output = _records(result.stdout)
    assert len(output) == len(lines)
    for number, (_, words) in enumerate(BAD_JSON_LINES):
        error = output[2 * number + 1]["error"]
        assert error["line"] == 2 * number + 2
        assert words in json.dumps(error)
        assert len(json.dumps(error)) < 2000
    assert all("triage" in output[2 * number] for number in range(len(BAD_JSON_LINES) + 1))
    assert "unexpected" not in result.stderr


def test_an_error_reads_the_same_whatever_the_workers(tmp_path: Path) -> None:
    """The output, error positions included, does not depend on --workers."""
    source = tmp_path / "in.jsonl"
    source.write_text((VALID + "\n" + VALID[:-1] + "\n" + VALID + "\r\n") * 500, encoding="utf-8")
    outputs = {_run("batch", str(source), "--workers", workers).stdout for workers in ("1", "2")}
    assert len(outputs) == 1
    assert "at line 1, column 56" in outputs.pop()


HEADER = "age_years,heel_pain,knee_pain,knee_pain_side\n"
GOOD_ROW = "40,true,true,left\n"
BAD_CSV_ROWS = [
    ("40,true,true," + "x" * 200_000 + "\n", "longer than"),
    ("40,true,true,l\xff\n".encode("latin-1").decode("utf-8", "surrogateescape"), "not UTF-8"),
    ("4" * 5000 + ",true,true,left\n", "age_years"),
    ('40,true,true,"left\n', "never closed"),
]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_bad_csv_row_is_an_error_record_at_its_line_and_the_run_goes_on(
    tmp_path: Path, workers: str
) -> None:
    """A cell over the csv field limit, a non-UTF-8 byte, a huge number, an unclosed quote: error records."""
    for bad, words in BAD_CSV_ROWS:
        source = tmp_path / "in.csv"
        source.write_bytes((HEADER + GOOD_ROW + bad + GOOD_ROW).encode("utf-8", "surrogateescape"))
        result = _run("batch", str(source), "--workers", workers)
        assert result.returncode == 2, result.stderr
        output = _records(result.stdout)
        assert "triage" in output[0]
        assert output[1]["error"]["line"] == 3
        assert words in json.dumps(output[1]["error"])
        # An unclosed quote takes the rest of the file into its cell; anything else goes on.
        assert len(output) == (2 if words == "never closed" else 3)
        assert "unexpected" not in result.stderr


def test_a_long_list_is_refused_quickly_by_check_and_batch(tmp_path: Path) -> None:
    """A megabyte of list entries is refused by its length in seconds, by check and by batch."""
    raw = json.loads(VALID) | {"knee_pain": True, "inflammatory_diagnosis": ["gout", "none"] * 100_000}
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(raw) + "\n", encoding="utf-8")
    started = time.monotonic()
    checked = _run("check", str(source))
    batched = _run("batch", str(source), "--workers", "1")
    assert time.monotonic() - started < 20
    assert checked.returncode == batched.returncode == 2
    assert "200,000 entries" in checked.stderr
    assert "200,000 entries" in _records(batched.stdout)[0]["error"]["problems"][0]["message"]


# --- stopping a run ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def long_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough records that a run is still going when it is stopped."""
    path = tmp_path_factory.mktemp("signals") / "long.jsonl"
    lines = [json.dumps(raw) + "\n" for raw in answer_sets(seed=31, count=2000)]
    path.write_text("".join(lines) * 100, encoding="utf-8")
    return path


def _group_is_gone(group: int) -> bool:
    """Whether no process of the group is left (bounded wait)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("workers", ["1", "2"])
@pytest.mark.parametrize("target", ["process", "group"])
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stopped_run_ends_cleanly(
    long_input: Path, workers: str, target: str, stop: signal.Signals
) -> None:
    """SIGTERM or SIGINT, to the main process or its group: exit in seconds, no process left, no half line."""
    process = subprocess.Popen(
        [*COMMAND, "batch", str(long_input), "--workers", workers],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 30)
        assert ready, "the run wrote nothing in 30 s"
        # Unbuffered, so that communicate() below reads on exactly where this stopped.
        first = os.read(process.stdout.fileno(), 65536)
        if target == "group":
            os.killpg(process.pid, stop)
        else:
            os.kill(process.pid, stop)
        rest, errors = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    assert _group_is_gone(process.pid), "a worker outlived the run"
    output = (first + rest).decode("utf-8")
    records = _records(output)
    assert 0 < len(records) < 200_000
    assert process.returncode == 1
    assert errors.decode().endswith(
        "factorcheck: interrupted; the output holds only the records scored so far.\n"
    )


def test_workers_end_when_the_main_process_is_killed_outright(long_input: Path) -> None:
    """SIGKILL to the main process (no chance to clean up): its workers end too, releasing the pipe."""
    process = subprocess.Popen(
        [*COMMAND, "batch", str(long_input), "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 30)
        assert ready
        os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=15)  # end of output: no worker holds the pipe
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    assert _group_is_gone(process.pid)


# --- output faults ----------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["check", "examples/no-pain.json"], ["schema"], ["rules", "check"]])
def test_a_full_disk_is_named_for_every_command(command: list[str]) -> None:
    """check, schema and rules check on a full disk (/dev/full): exit 1, "the disk is full"."""
    root = Path(__file__).resolve().parents[2]
    with Path("/dev/full").open("w") as full:
        result = subprocess.run(
            [*COMMAND, *command], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60, cwd=root
        )
    assert result.returncode == 1
    assert (
        result.stderr == "factorcheck: cannot write the output: the disk is full (No space left on device).\n"
    )


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_full_disk_in_batch_is_named(tmp_path: Path, workers: str) -> None:
    """batch -o /dev/full and batch > /dev/full: exit 1, "the disk is full", no traceback."""
    source = tmp_path / "in.jsonl"
    source.write_text((VALID + "\n") * 2000, encoding="utf-8")
    to_file = _run("batch", str(source), "-o", "/dev/full", "--workers", workers)
    with Path("/dev/full").open("w") as full:
        to_stdout = subprocess.run(
            [*COMMAND, "batch", str(source), "--workers", workers],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    for result in (to_file, to_stdout):
        assert result.returncode == 1
        assert (
            result.stderr
            == "factorcheck: cannot write the output: the disk is full (No space left on device).\n"
        )


def _limit_file_size() -> None:
    # A file may not grow past 100 kB: writes beyond fail as on a full disk (EFBIG).
    resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))


@pytest.mark.parametrize("workers", ["1", "2"])
def test_output_that_runs_out_of_room_leaves_no_half_file(tmp_path: Path, workers: str) -> None:
    """When the output file cannot grow mid-run, the run fails clearly and leaves no file (and no
    half record) under the output's name, nor a partial file beside it."""
    source = tmp_path / "in.jsonl"
    source.write_text((VALID + "\n") * 2000, encoding="utf-8")
    target = tmp_path / "out.jsonl"
    result = _run("batch", str(source), "-o", str(target), "--workers", workers, preexec_fn=_limit_file_size)
    assert result.returncode == 1
    assert result.stderr.startswith("factorcheck: cannot write the output: File too large")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.jsonl"]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_stopped_run_to_a_file_leaves_no_half_file(long_input: Path, tmp_path: Path, workers: str) -> None:
    """SIGTERM while writing -o FILE: the file never appears half-written under its name."""
    target = tmp_path / "out.jsonl"
    process = subprocess.Popen(
        [*COMMAND, "batch", str(long_input), "-o", str(target), "--workers", workers],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        # The file being written has no name yet (O_TMPFILE): stop the run a moment after it starts.
        time.sleep(1.0)
        assert process.poll() is None, "the run ended before it could be stopped"
        os.killpg(process.pid, signal.SIGTERM)
        _, errors = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    assert process.returncode == 1
    assert b"interrupted" in errors
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_the_output_file_is_the_owners_alone_even_if_it_existed(tmp_path: Path) -> None:
    """batch -o writes a 0600 file, and tightens one that was readable by others."""
    source = tmp_path / "in.jsonl"
    source.write_text(VALID + "\n", encoding="utf-8")
    target = tmp_path / "out.jsonl"
    target.write_text("", encoding="utf-8")
    target.chmod(0o644)
    assert _run("batch", str(source), "-o", str(target), "--workers", "1").returncode == 0
    assert target.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("input_format", ["jsonl", "csv", "fhir"])
@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_fault_while_scoring_one_record_is_that_records_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, input_format: str, workers: str
) -> None:
    """When the engine fails on one record (here made to fail on the only answer set with a past
    knee injury), that record gets an error record naming the fault's kind only, every other
    record its report, and the run ends with exit 2; nothing of the answers is printed."""
    import io

    import durable_rules_engine

    from factorcheck.assessment import Assessor, default_assessor
    from factorcheck.cli.main import main

    real = durable_rules_engine.assert_fact
    sets: list[dict[str, Any]] = [
        {"age_years": 40 + n, "heel_pain": True, "knee_pain": True} for n in range(6)
    ]
    sets[3]["knee_injury"] = "yes"

    def facts_of(answers: dict[str, Any]) -> set[str]:
        """The facts the engine is asked to decide for these answers (by a fresh assessor)."""
        seen: list[str] = []

        def spy(handle: int, text: str) -> object:
            seen.append(text)
            return real(handle, text)

        monkeypatch.setattr(durable_rules_engine, "assert_fact", spy)
        Assessor(default_assessor().ruleset).assess(answers)
        return set(seen)

    poison = facts_of(sets[3]).difference(*(facts_of(answers) for answers in sets[:3] + sets[4:]))
    assert poison

    def failing_on_one(handle: int, text: str) -> object:
        if text in poison:
            raise durable_rules_engine.error("injected fault 'age_years': 40")
        return real(handle, text)

    monkeypatch.setattr(durable_rules_engine, "assert_fact", failing_on_one)
    if input_format == "csv":
        source = tmp_path / "in.csv"
        source.write_text(
            "age_years,heel_pain,knee_pain,knee_injury\n"
            + "".join(f"{s['age_years']},true,true,{s.get('knee_injury', '')}\n" for s in sets)
        )
    else:
        source = tmp_path / "in.jsonl"
        lines = []
        for answers in sets:
            if input_format == "fhir":
                items = [
                    {"linkId": "age_years", "answer": [{"valueInteger": answers["age_years"]}]},
                    {"linkId": "heel_pain", "answer": [{"valueBoolean": True}]},
                    {"linkId": "knee_pain", "answer": [{"valueBoolean": True}]},
                ]
                if "knee_injury" in answers:
                    items.append({"linkId": "knee_injury", "answer": [{"valueCoding": {"code": "yes"}}]})
                lines.append(json.dumps({"resourceType": "QuestionnaireResponse", "item": items}))
            else:
                lines.append(json.dumps(answers))
        source.write_text("\n".join(lines) + "\n")
    output = tmp_path / "out.jsonl"
    stderr = io.StringIO()
    code = main(
        ["batch", str(source), "-o", str(output), "--workers", workers], stdout=io.StringIO(), stderr=stderr
    )
    records = _records(output.read_text())
    assert code == 2
    assert len(records) == len(sets)
    assert ["error" in record for record in records] == [False, False, False, True, False, False]
    (problem,) = records[3]["error"]["problems"]
    assert problem["item"] == "(record)"
    assert "unexpected error in factorcheck (EngineError)" in problem["message"]
    assert "age_years" not in problem["message"]
    assert "age_years" not in stderr.getvalue()


@pytest.mark.parametrize("input_format", ["jsonl", "fhir"])
def test_lone_surrogates_in_records_give_strict_json_lines(tmp_path: Path, input_format: str) -> None:
    """Lone surrogates (JSON escapes of no character) in keys, values, linkIds, codes and the
    --id-field are echoed as the text of their escape: every output line is I-JSON, read by a
    strict parser (orjson), and each record is accounted for."""
    import orjson

    bad = "\ud800"
    if input_format == "fhir":
        base: dict[str, Any] = {
            "resourceType": "QuestionnaireResponse",
            "id": "r1",
            "item": [
                {"linkId": "age_years", "answer": [{"valueInteger": 40}]},
                {"linkId": "heel_pain", "answer": [{"valueBoolean": True}]},
                {"linkId": "knee_pain", "answer": [{"valueBoolean": False}]},
            ],
        }
        records = [
            {**base, bad: 1},
            {**base, "id": bad},
            {**base, "item": [*base["item"], {"linkId": bad + "x"}]},
            {**base, "item": [{"linkId": "knee_injury", "answer": [{"valueCoding": {"code": bad}}]}]},
            {**base, "item": [{"linkId": "knee_injury", "answer": [{"value" + bad: 1}]}]},
            base,
        ]
        id_field = "id"
    else:
        base = {"rid": "r1", "age_years": 40, "heel_pain": True, "knee_pain": False}
        records = [
            {**base, bad: 1},
            {**base, "rid": bad},
            {**base, "knee_injury": bad},
            {**base, "inflammatory_diagnosis": [bad]},
            {**base, "rid": "x" + bad + "y" * 100},
            base,
        ]
        id_field = "rid"
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(record) + "\n" for record in records))
    done = _run("batch", str(source), "-o", str(tmp_path / "out.jsonl"), "--id-field", id_field)
    assert done.returncode == 2, done.stderr
    lines = (tmp_path / "out.jsonl").read_bytes().splitlines()
    assert len(lines) == len(records)
    parsed = [orjson.loads(line) for line in lines]
    assert "triage" in parsed[-1]
    assert all("error" in record for record in parsed[:-1])


def test_a_run_killed_outright_leaves_no_hidden_file(long_input: Path, tmp_path: Path) -> None:
    """SIGKILL while writing -o FILE and --summary: neither the file nor any hidden partial is left
    (the files have no name until they are complete)."""
    out = tmp_path / "out"
    out.mkdir()
    process = subprocess.Popen(
        [*COMMAND, "batch", str(long_input), "-o", str(out / "r.jsonl"), "--summary", str(out / "s.csv")],
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        time.sleep(1.5)
        assert process.poll() is None, "the run ended before it could be stopped"
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    assert _group_is_gone(process.pid)
    assert list(out.iterdir()) == []


def test_stale_partials_of_a_stopped_run_are_removed_and_said(tmp_path: Path) -> None:
    """Hidden partial files a stopped run left (where files must have a name while written) are
    removed by the next run writing the same files, which says so; a running writer's are kept."""
    source = tmp_path / "in.jsonl"
    source.write_text(VALID + "\n", encoding="utf-8")
    reports = tmp_path / "reports"
    reports.mkdir()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    gone = int(dead.stdout)
    stale = [
        tmp_path / f".out.jsonl.{gone}.abcd1234.partial",
        tmp_path / f".sum.csv.{gone}.abcd1234.partial",
        reports / f".line-000001.md.{gone}.abcd1234.partial",
    ]
    alive = tmp_path / f".out.jsonl.{os.getpid()}.abcd1234.partial"
    for path in [*stale, alive]:
        path.write_bytes(b"x" * 1000)
    result = _run(
        "batch",
        str(source),
        "-o",
        str(tmp_path / "out.jsonl"),
        "--summary",
        str(tmp_path / "sum.csv"),
        "--reports",
        str(reports),
    )
    assert result.returncode == 0, result.stderr
    assert "removed 3 unfinished file(s) (3,000 bytes)" in result.stderr
    assert not any(path.exists() for path in stale)
    assert alive.exists()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_report_or_summary_that_cannot_be_written_is_named(tmp_path: Path, workers: str) -> None:
    """A report file or the summary that runs out of room (here a file-size limit, EFBIG, as a full
    disk gives ENOSPC) ends the run with exit 1 naming that file, never "unexpected error"."""
    source = tmp_path / "in.jsonl"
    source.write_text((VALID + "\n") * 3000, encoding="utf-8")
    reports = tmp_path / "reports"

    def limit(size: int) -> Any:
        return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    by_report = _run(
        "batch",
        str(source),
        "-o",
        "/dev/null",
        "--reports",
        str(reports),
        "--reports-format",
        "html",
        "--workers",
        workers,
        preexec_fn=limit(2_000),
    )
    summary = tmp_path / "sum.csv"
    by_summary = _run(
        "batch",
        str(source),
        "-o",
        "/dev/null",
        "--summary",
        str(summary),
        "--workers",
        workers,
        preexec_fn=limit(20_000),
    )
    assert by_report.returncode == 1
    assert by_report.stderr.startswith(f"factorcheck: cannot write the report {reports}/line-"), (
        by_report.stderr
    )
    assert "unexpected" not in by_report.stderr
    assert by_summary.returncode == 1
    assert by_summary.stderr.startswith(f"factorcheck: cannot write --summary {summary}:"), by_summary.stderr
