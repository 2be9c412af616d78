"""The hazard log: rendered in docs/safety, and every test a mitigation names exists and runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from factorcheck.governance.hazard_log import hazard_log_page, load_hazards
from support import ROOT

HAZARDS = load_hazards()
NAMED = sorted({test for hazard in HAZARDS for m in hazard.mitigations for test in m.tests})


def test_the_rendered_hazard_log_is_current() -> None:
    page = (ROOT / "docs" / "safety" / "hazard-log.md").read_text(encoding="utf-8")
    assert page == hazard_log_page(), (
        "run: python -m factorcheck.governance.hazard_log > docs/safety/hazard-log.md"
    )


def test_every_hazard_is_reduced_or_held_and_has_tested_mitigations() -> None:
    assert len(HAZARDS) >= 7
    assert len({hazard.id for hazard in HAZARDS}) == len(HAZARDS)
    for hazard in HAZARDS:
        assert hazard.causes, hazard.id
        assert hazard.mitigations, hazard.id
        assert hazard.after.rating <= hazard.before.rating, hazard.id
        assert hazard.after.severity == hazard.before.severity, "a mitigation lowers likelihood, not harm"


def test_every_named_test_exists_and_is_not_skipped(tmp_path: Path) -> None:
    """Collects the named tests in a separate pytest run (a name that matches nothing fails it),
    and fails on any of them that a skip or skipif mark would skip here."""
    out = tmp_path / "collected.json"
    paths = [str(ROOT / "tests"), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "NAMED_TESTS_OUT": str(out), "PYTHONPATH": os.pathsep.join(paths)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "support.named_tests",
            *NAMED,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    collected: dict[str, str | None] = json.loads(out.read_text(encoding="utf-8"))
    for name in NAMED:
        matches = {
            node: reason for node, reason in collected.items() if node == name or node.startswith(name + "[")
        }
        assert matches, f"{name} is named in the hazard log but was not collected"
        skipped = {node: reason for node, reason in matches.items() if reason is not None}
        assert not skipped, f"{name} is named in the hazard log but skipped: {skipped}"
