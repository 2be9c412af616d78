"""The package's layout shows its pipeline: no import circles, no stage reaching a later one.

Every import of every module counts, including those inside functions and under TYPE_CHECKING: a
circle that only closes at run time, or only for the type checker, is still a circle to a reader.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from support import ROOT

PACKAGE = ROOT / "src" / "factorcheck"

# The pipeline, in order: a module may import its own stage and earlier ones, never a later one.
# The shared modules (rank 0) import no other part of the package.
RANKS = {
    "factorcheck.errors": 0,
    "factorcheck.version": 0,
    "factorcheck.private_files": 0,
    "factorcheck.answers": 1,
    "factorcheck.rules": 2,
    "factorcheck.engine": 3,
    "factorcheck.report": 4,
    "factorcheck.assessment": 5,
    # The rule book, the impact of a rule change and the hazard log: rules and engines, no front end.
    "factorcheck.governance": 5,
    "factorcheck.conversation": 6,
    "factorcheck.ask": 7,
    "factorcheck.batch": 7,
    "factorcheck.web": 7,
    # The command line dispatches every command, so it alone imports the front ends.
    "factorcheck.cli": 8,
    "factorcheck.__main__": 9,
    # The public API re-exports names from every stage; nothing in the package imports it.
    "factorcheck": 9,
}
FRONT_ENDS = ("factorcheck.ask", "factorcheck.batch", "factorcheck.web")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str) -> Iterator[str]:
    """The package's modules that module `name` imports, anywhere in its text."""
    for node in ast.walk(ast.parse(MODULES[name].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{name}: the package imports itself by absolute names only"
            base = node.module or ""
            # `from factorcheck.batch import run` imports the module factorcheck.batch.run.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names
            ]
        else:
            continue
        yield from (target for target in targets if target in MODULES and target != name)


GRAPH = {name: sorted(set(imported(name))) for name in MODULES}


def stage(name: str) -> str | None:
    """The entry of RANKS a module belongs to: itself, or the subpackage holding it."""
    if name in RANKS:
        return name
    package = ".".join(name.split(".")[:2])
    return package if package in RANKS and package != name else None


def rank(name: str) -> int:
    home = stage(name)
    assert home is not None, f"{name} belongs to no stage"
    return RANKS[home]


def test_every_module_belongs_to_a_stage() -> None:
    """Each module sits in a stage of the pipeline (a new top-level module needs a place in RANKS)."""
    assert [name for name in MODULES if stage(name) is None] == []


def test_there_are_no_import_circles() -> None:
    """Following imports from any module never leads back to it."""
    circles: list[list[str]] = []
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for target in GRAPH[name]:
            if state.get(target) == "open":
                circles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[name] = "done"

    for name in MODULES:
        if name not in state:
            visit(name, [name])
    assert circles == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_imports_a_later_stage(name: str) -> None:
    """Answers come before rules, rules before the engine, the engine before the report, and so on."""
    later = [target for target in GRAPH[name] if rank(target) > rank(name)]
    assert later == []


def test_no_front_end_imports_another() -> None:
    """ask and batch (and the front ends to come) are independent of each other."""
    crossing = [
        (name, target)
        for name in MODULES
        for target in GRAPH[name]
        if stage(name) in FRONT_ENDS and stage(target) in FRONT_ENDS and stage(name) != stage(target)
    ]
    assert crossing == []


def test_the_public_api_is_explicit() -> None:
    """Every name in factorcheck.__all__ can be imported, and nothing else is offered as public."""
    import factorcheck

    assert sorted(factorcheck.__all__) == sorted(set(factorcheck.__all__))
    for public in factorcheck.__all__:
        assert getattr(factorcheck, public) is not None
    with pytest.raises(AttributeError):
        _ = factorcheck.not_a_public_name


LONGEST_MODULE = 450
LONGEST_FUNCTION = 80
# Data tables, not logic: the questionnaire's items, each declared with its wording.
TABLES = {"answers/questionnaire.py"}


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_no_module_is_over_450_lines() -> None:
    """A module past 450 lines holds more than one concept: split it where its seams are."""
    long = [
        f"{path.relative_to(PACKAGE)}: {count} lines"
        for path in _sources()
        if str(path.relative_to(PACKAGE)) not in TABLES
        and (count := len(path.read_text(encoding="utf-8").splitlines())) > LONGEST_MODULE
    ]
    assert not long, long


def test_no_function_is_over_80_lines() -> None:
    """A function past 80 lines does several things: give each its name."""
    long = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                count = (node.end_lineno or node.lineno) - node.lineno + 1
                if count > LONGEST_FUNCTION:
                    long.append(f"{path.relative_to(PACKAGE)}: {node.name}, {count} lines")
    assert not long, long
