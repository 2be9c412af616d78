"""`factorcheck batch --dask`: the same output, byte for byte, and the same summary, scored on a cluster."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest

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
