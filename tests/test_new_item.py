"""Adding a questionnaire item of an existing kind needs its declaration (and its docs entry), nothing else.

A copy of the package gains two items in the ITEMS declaration of answers/questionnaire.py only
(the pydantic model of answers/answers_model.py is built from it): a whole-number follow-up
in Part 2 and a yes/no/not sure item in Part 3. In a fresh process on that copy, every consumer
of the questionnaire picks them up (validation and its fast twin, the JSON Schema, the FHIR
Questionnaire, the web form, the `ask` session, the report, both answer-set generators), and the
docs check names each item that docs/questionnaire.md does not describe yet.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from support import ROOT
from support.typical_session import TYPICAL

FOLLOW_UP = """    _item(
        "knee_swelling_weeks",
        _whole_number(0, 520),
        question="About how many weeks has the knee been swollen?",
        label="Weeks of knee swelling",
        unit="weeks",
        enabled_when=_KNEE,
    ),
"""
FACTOR = """    _item(
        "stairs_worse",
        YES_NO_UNSURE,
        question="Do stairs make the pain worse?",
        label="Pain worse on stairs",
    ),
"""
NEW_IDS = ["knee_swelling_weeks", "stairs_worse"]


def _package_with_new_items(tmp_path: Path) -> Path:
    source = tmp_path / "src"
    shutil.copytree(
        ROOT / "src",
        source,
        ignore=shutil.ignore_patterns(
            "*.so", "*.pyd", "__pycache__", "*.egg-info", "compiled-sources.sha256"
        ),
    )
    questionnaire = source / "factorcheck" / "answers" / "questionnaire.py"
    text = questionnaire.read_text(encoding="utf-8")
    before_follow_up, end_of_part_3 = (
        '    _item(\n        "symptom_order",\n',
        ")\n\n# Part 4: whole-body",
    )
    assert text.count(before_follow_up) == text.count(end_of_part_3) == 1
    text = text.replace(before_follow_up, FOLLOW_UP + before_follow_up)
    questionnaire.write_text(text.replace(end_of_part_3, FACTOR + end_of_part_3), encoding="utf-8")
    return source


def test_a_new_item_of_an_existing_kind_reaches_every_consumer(tmp_path: Path) -> None:
    source = _package_with_new_items(tmp_path)
    answers = {
        "age_years": 40,
        "heel_pain": False,
        "knee_pain": True,
        "knee_swelling_weeks": 6,
        "stairs_worse": "yes",
    }
    done = subprocess.run(
        [sys.executable, "-m", "support.new_item_check", json.dumps(NEW_IDS), json.dumps(answers)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(source), str(ROOT / "tests")])},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    items = seen["items"]
    assert items.index("knee_swelling_weeks") == items.index("knee_pain_weeks") + 1
    assert items.index("stairs_worse") == items.index("activity_increase") + 1
    assert set(NEW_IDS) <= set(seen["schema"])
    assert set(NEW_IDS) <= set(seen["fhir"])
    assert seen["form"] is True
    assert seen["form_has"] == NEW_IDS
    assert seen["valid"] == []
    assert seen["fast"] is True
    assert seen["out_of_range"] == [
        "knee_swelling_weeks: 521 is not allowed; expected a whole number from 0 to 520.",
        'stairs_worse: "maybe" (text) is not allowed; expected one of "yes", "no", "not_sure".',
    ]
    assert seen["fast_out_of_range"] is None
    assert set(NEW_IDS) <= set(seen["report_answers"])
    assert seen["walk"] == [len(TYPICAL) + 2, len(TYPICAL) + 2]
    assert seen["never_answered_seeded"] == []
    assert seen["never_answered_drawn"] == []
    assert seen["docs"] == [
        "knee_swelling_weeks: missing from docs/questionnaire.md (Part 2 table, after `knee_pain_weeks`).",
        "stairs_worse: missing from docs/questionnaire.md (Part 3 table, after `activity_increase`).",
    ]
