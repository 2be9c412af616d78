"""Fuzzing the rule loader: any edit of the shipped rule files loads, or is a load error naming the file."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factorcheck.engine.durable import DurableEngine
from factorcheck.engine.loading import load_ruleset
from factorcheck.engine.safety_floor import SafetyFloorError
from factorcheck.errors import RuleFileError
from factorcheck.rules.loading import default_rules_dir
from support.fuzzing import FUZZ, record

SHIPPED = default_rules_dir()
FILES = sorted(path.name for path in SHIPPED.glob("*.yaml"))
TEXTS = {name: (SHIPPED / name).read_bytes() for name in FILES}
# Pieces of rule-file syntax: aliases, nesting, levels, operators, odd bytes.
PIECES = [
    b"&a ",
    b"*a",
    b"<<: *a",
    b"{any: [",
    b"{all: [",
    b"]}",
    b"level: soon",
    b"level: emergency",
    b"- id: x\n",
    b"{item: bmi, gte: 30}",
    b"{rule: tight_calves}",
    b"{condition: pain}",
    b"when: ",
    b"note: ",
    b"\xff",
    b"\t",
    b"\x00",
    b": ",
    b"- ",
    b"\n",
    b"'",
    b'"',
    b"!!python/object:os.system ",
    b"~",
    b"1e400",
]


@st.composite
def edits(draw: st.DrawFn) -> tuple[str, bytes]:
    """A shipped file with a few edits: lines dropped, doubled or swapped, bytes replaced, pieces put in."""
    name = draw(st.sampled_from(FILES))
    lines = TEXTS[name].split(b"\n")
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "double", "swap", "byte", "piece"]))
        if action == "drop":
            del lines[where]
        elif action == "double":
            lines.insert(where, lines[where])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[where], lines[other] = lines[other], lines[where]
        else:
            line = lines[where]
            column = draw(st.integers(0, len(line)))
            piece = bytes([draw(st.integers(0, 255))]) if action == "byte" else draw(st.sampled_from(PIECES))
            lines[where] = line[:column] + piece + line[column + (action == "byte") :]
        if not lines:
            lines = [b""]
    return name, b"\n".join(lines)


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as temporary:
        target = Path(temporary) / "rules"
        shutil.copytree(SHIPPED, target)
        yield target


@FUZZ
@given(edits())
def test_an_edited_rule_set_loads_or_is_a_named_load_error(folder: Path, edit: tuple[str, bytes]) -> None:
    """Load and compile: it works, or a RuleFileError naming a rule file; never another error or a hang."""
    name, data = edit
    for shipped in FILES:
        (folder / shipped).write_bytes(data if shipped == name else TEXTS[shipped])
    failure: RuleFileError | None = None
    below: SafetyFloorError | None = None
    try:
        ruleset = load_ruleset(folder)
    except SafetyFloorError as error:
        # Loaded, but a warning sign fell below its floor: refused unless allowed.
        below = error
        ruleset = load_ruleset(folder, allow_below_floor=True)
    except RuleFileError as error:
        failure = error
    if failure is None:
        DurableEngine(ruleset)
    if below is not None:
        assert str(below).startswith(str(folder))
        assert ruleset.below_safety_floor == tuple(short.sign.rule_id for short in below.shortfalls)
    record("rule files", "loaded" if failure is None else "load error")
    if failure is not None:
        assert failure.path in FILES
        assert str(failure).startswith(failure.path)
