"""`factorcheck batch --dask`: the same output, byte for byte, and the same summary, scored on a cluster."""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from factorcheck.cli.batch import add_arguments
from factorcheck.cli.main import main
from support.synthetic import answer_sets


def _batch(*args: str) -> tuple[int, str]:
    stderr = io.StringIO()
    code = main(["batch", *args], stdout=io.StringIO(), stderr=stderr)
    return code, stderr.getvalue()


def _without_timing(summary: str) -> str:
    return re.sub(r"; [0-9.]+ s(, [0-9,]+ records/s)?\.$", ".", summary.strip())


def test_a_local_dask_cluster_writes_what_a_local_run_writes(tmp_path: Path) -> None:
    """--dask local:2, 10,000 answer sets with invalid lines: output and summary byte-equal to a local run."""
    source = tmp_path / "in.jsonl"
    with source.open("w", encoding="utf-8") as stream:
        for number, raw in enumerate(answer_sets(seed=31, count=10_000, invalid_every=23)):
            stream.write(json.dumps({"rid": number, **raw} if isinstance(raw, dict) else raw) + "\n")
            if number % 997 == 3:
                stream.write('{"age_years": 40, "heel_pain"\n')
    runs = {}
    for name, extra in (("local", ["--workers", "2"]), ("dask", ["--dask", "local:2"])):
        out, sheet = tmp_path / f"{name}.jsonl", tmp_path / f"{name}.csv"
        code, stderr = _batch(
            str(source), "-o", str(out), "--id-field", "rid", "--summary", str(sheet), *extra
        )
        if name == "dask":  # the one line a Dask run adds: where its dashboard is
            dashboard, stderr = stderr.split("\n", 1)
            assert re.fullmatch(
                r"factorcheck batch: the Dask dashboard is at http://127\.0\.0\.1:\d+/status", dashboard
            )
        runs[name] = (code, _without_timing(stderr), out.read_bytes(), sheet.read_bytes())
    assert runs["dask"][0] == runs["local"][0] == 2
    assert runs["dask"][1] == runs["local"][1]
    assert runs["dask"][2] == runs["local"][2]
    assert runs["dask"][3] == runs["local"][3]
    assert runs["local"][2].count(b"\n") == 10_000 + 11


@pytest.mark.parametrize(
    ("scheduler", "message"),
    [
        ("local:0", "local:N needs a number of workers of at least 1"),
        ("local:two", "local:N needs a number of workers"),
        ("cluster.example:8786", "give a scheduler address (tcp://host:port"),
    ],
)
def test_a_scheduler_that_cannot_be_used_is_refused_clearly(
    tmp_path: Path, scheduler: str, message: str
) -> None:
    """A malformed --dask value exits 1 with what to give instead, and no output file."""
    source = tmp_path / "in.jsonl"
    source.write_text('{"age_years": 40, "heel_pain": true, "knee_pain": false}\n', encoding="utf-8")
    code, stderr = _batch(str(source), "-o", str(tmp_path / "out.jsonl"), "--dask", scheduler)
    assert code == 1
    assert message in stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_reports_are_not_written_on_a_remote_clusters_machines(tmp_path: Path) -> None:
    """--reports with a remote scheduler is refused before anything is sent."""
    source = tmp_path / "in.jsonl"
    source.write_text('{"age_years": 40, "heel_pain": true, "knee_pain": false}\n', encoding="utf-8")
    code, stderr = _batch(
        str(source),
        "-o",
        str(tmp_path / "o.jsonl"),
        "--dask",
        "tcp://127.0.0.1:1",
        "--reports",
        str(tmp_path / "r"),
    )
    assert code == 1
    assert "--reports cannot be used with a remote --dask scheduler" in stderr


def test_without_dask_installed_the_message_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--dask without the optional extra names the pip command."""
    monkeypatch.setitem(sys.modules, "distributed", None)
    source = tmp_path / "in.jsonl"
    source.write_text('{"age_years": 40, "heel_pain": true, "knee_pain": false}\n', encoding="utf-8")
    code, stderr = _batch(str(source), "-o", str(tmp_path / "out.jsonl"), "--dask", "local:1")
    assert code == 1
    assert "pip install 'factorcheck[dask]'" in stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_an_unreachable_scheduler_fails_within_the_timeout(tmp_path: Path) -> None:
    """Nothing listens at the address: the run fails within --dask-timeout (10 s unless given),
    saying so, and writes no output."""
    source = tmp_path / "in.jsonl"
    source.write_text('{"age_years": 40, "heel_pain": true, "knee_pain": false}\n', encoding="utf-8")
    started = time.monotonic()
    code, stderr = _batch(
        str(source),
        "-o",
        str(tmp_path / "out.jsonl"),
        "--dask",
        f"tcp://127.0.0.1:{_free_port()}",
        "--dask-timeout",
        "2",
    )
    assert time.monotonic() - started < 8
    assert code == 1
    assert "cannot reach the scheduler within 2 s" in stderr
    assert "Traceback" not in stderr
    assert not (tmp_path / "out.jsonl").exists()
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert parser.parse_args(["x.jsonl"]).dask_timeout == 10


def _run(args: list[str], env: dict[str, str], read: bool = True) -> subprocess.Popen[str]:
    """A Python program started with these arguments; its output read through pipes, or dropped."""
    output = subprocess.PIPE if read else subprocess.DEVNULL
    return subprocess.Popen([sys.executable, *args], env=env, text=True, stdout=output, stderr=output)


def test_local_workers_keep_their_scratch_space_in_a_private_folder_that_is_removed(tmp_path: Path) -> None:
    """--dask local:1 leaves nothing in the temporary folder (no dask-scratch-space), and its
    stderr holds the dashboard's address and the summary line, nothing of Dask's own."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    source = tmp_path / "in.jsonl"
    source.write_text('{"age_years": 40, "heel_pain": true, "knee_pain": false}\n' * 50, encoding="utf-8")
    env = {**os.environ, "TMPDIR": str(temporary)}
    run = _run(
        ["-m", "factorcheck", "batch", str(source), "-o", str(tmp_path / "out.jsonl"), "--dask", "local:1"],
        env,
    )
    _, stderr = run.communicate(timeout=180)
    assert run.returncode == 0, stderr
    assert list(temporary.iterdir()) == []
    lines = stderr.splitlines()
    assert len(lines) == 2, stderr
    assert lines[0].startswith("factorcheck batch: the Dask dashboard is at http://127.0.0.1:")
    assert lines[1].startswith("factorcheck batch: 50 records: 50 reports")


def test_a_scheduler_killed_mid_run_ends_in_one_clear_line_without_library_tracebacks(tmp_path: Path) -> None:
    """A remote scheduler killed while chunks are scored: exit 1 soon after (--dask-timeout), and
    stderr holds factorcheck's lines only, the last one saying what happened."""
    source = tmp_path / "in.jsonl"
    with source.open("w", encoding="utf-8") as stream:
        for raw in answer_sets(seed=5, count=60_000):
            stream.write(json.dumps(raw) + "\n")
    scheduler_file = tmp_path / "scheduler.json"
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    cli = "distributed.cli"
    scheduler = _run(
        [
            "-m",
            f"{cli}.dask_scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--dashboard-address",
            "127.0.0.1:0",
            "--scheduler-file",
            str(scheduler_file),
        ],
        env,
        read=False,
    )
    started = [scheduler]
    try:
        deadline = time.monotonic() + 120
        while not scheduler_file.exists() or not scheduler_file.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text(encoding="utf-8"))["address"]
        started.append(
            _run(
                [
                    "-m",
                    f"{cli}.dask_worker",
                    "--scheduler-file",
                    str(scheduler_file),
                    "--nthreads",
                    "1",
                    "--nworkers",
                    "1",
                    "--local-directory",
                    str(tmp_path),
                ],
                env,
                read=False,
            )
        )
        batch = _run(
            [
                "-m",
                "factorcheck",
                "batch",
                str(source),
                "-o",
                os.devnull,
                "--dask",
                address,
                "--dask-timeout",
                "6",
            ],
            env,
        )
        started.append(batch)
        assert batch.stderr is not None
        seen = [batch.stderr.readline(), batch.stderr.readline()]
        assert "the Dask dashboard is at" in seen[1], seen
        time.sleep(1.0)  # chunks are being scored
        scheduler.kill()
        killed = time.monotonic()
        rest = batch.stderr.read()
        batch.wait(timeout=60)
        assert time.monotonic() - killed < 30
        stderr = "".join(seen) + rest
        assert batch.returncode == 1, stderr
        assert "Traceback" not in stderr
        assert "distributed" not in stderr
        assert all(line.startswith("factorcheck") for line in stderr.splitlines()), stderr
        assert stderr.splitlines()[-1].startswith(
            "factorcheck: the connection to the Dask scheduler was lost"
        )
    finally:
        for process in started:
            if process.poll() is None:
                process.kill()
            process.communicate(timeout=30)
