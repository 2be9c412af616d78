"""The shipped rules are exactly the outcome contract of docs/outcomes.md, and rules check guards it."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest

from factorcheck.cli.main import main
from factorcheck.rules.loading import default_rules_dir, load_ruleset
from support import ROOT

OUTCOMES = ROOT / "docs" / "outcomes.md"
# Each numbered section of docs/outcomes.md and the kind of rule its table lists.
SECTIONS = {
    "1. Triage": "triage",
    "2. Mechanisms": "mechanism",
    "3. Contributing factors": "factor",
    "4. Approaches": "approach",
}
_ID = re.compile(r"`([a-z][a-z0-9_]*)`")


def contract() -> list[tuple[str, str, str | None]]:
    """(id, kind, level) of every row of the contract's tables, in their order."""
    rows: list[tuple[str, str, str | None]] = []
    kind: str | None = None
    for line in OUTCOMES.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            kind = SECTIONS.get(line[3:].strip())
            continue
        if kind is None or not line.startswith("| "):
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if kind == "triage":
            if (
                len(cells) == 3
                and cells[0] in ("emergency", "urgent", "soon")
                and (found := _ID.fullmatch(cells[1]))
            ):
                rows.append((found.group(1), kind, cells[0]))
        elif found := _ID.fullmatch(cells[0]):
            rows.append((found.group(1), kind, None))
    return rows


def test_the_contract_tables_are_read() -> None:
    """docs/outcomes.md still has its four tables: 29 triage rules, 5 links, 6 factors, 7 approaches."""
    kinds = [kind for _, kind, _ in contract()]
    assert [kinds.count(kind) for kind in SECTIONS.values()] == [29, 5, 6, 7]


def test_the_shipped_rules_have_exactly_the_contracts_ids_kinds_and_levels() -> None:
    """No rule added, deleted, renamed, moved to another kind or given another level; and in table order."""
    shipped = [(rule.id, rule.kind, rule.level) for rule in load_ruleset().rules]
    assert shipped == contract()


def _rules_check(rules: Path) -> tuple[int, str]:
    stdout = io.StringIO()
    code = main(["rules", "check", "--rules", str(rules)], stdout=stdout, stderr=io.StringIO())
    return code, stdout.getvalue()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "  - id: hot_swollen_with_fever\n    level: emergency\n",
            "  - id: hot_swollen_with_fever\n    level: soon\n",
        ),
        ("  - id: calf_swelling\n    level: urgent\n", "  - id: calf_swelling\n    level: soon\n"),
        ("  - id: under_18\n    level: soon\n", "  - id: under_18\n    level: urgent\n"),
    ],
    ids=["emergency to soon", "urgent to soon", "soon to urgent"],
)
def test_rules_check_refuses_a_changed_triage_level(tmp_path: Path, old: str, new: str) -> None:
    """A triage rule's level changed in triage.yaml: rules check fails, naming the example and both levels."""
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    path = rules / "triage.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, output = _rules_check(rules)
    assert code == 1
    expected = old.split("level: ")[1].strip()
    assert f"the example expects {expected}" in output


def test_rules_check_passes_on_the_shipped_rules(tmp_path: Path) -> None:
    """The shipped rules, levels of the examples included, pass rules check."""
    code, output = _rules_check(default_rules_dir())
    assert code == 0, output
    assert "0 failed" in output
