"""A pytest plugin for the hazard log's test: writes, for every test collected, whether it is skipped.

Loaded with `-p support.named_tests` in a collect-only run; the file named by the environment
variable NAMED_TESTS_OUT receives {node id: the reason it is skipped, or null}.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from _pytest.skipping import evaluate_skip_marks


def pytest_collection_finish(session: pytest.Session) -> None:
    found: dict[str, str | None] = {}
    for item in session.items:
        skip = evaluate_skip_marks(item)
        found[item.nodeid] = skip.reason if skip is not None else None
    Path(os.environ["NAMED_TESTS_OUT"]).write_text(json.dumps(found), encoding="utf-8")
