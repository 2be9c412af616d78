"""Before any test runs: no compiled module may be older than its source.

An editable install compiles some modules with mypyc (see setup.py) beside their sources in
src/factorcheck's subpackages, where Python imports them before the .py files. An edited source
would then be tested as its old compiled self, so the session stops at once instead. setup.py
records the SHA-256 of each source it compiled in src/factorcheck/compiled-sources.sha256.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import signal
import sys
from pathlib import Path

import pytest

# The web tests' server and browser fixtures; the fuzz suite's watched server.
pytest_plugins = ["support.web_server", "support.watched_server"]

SOURCE = Path(__file__).resolve().parent.parent / "src" / "factorcheck"
RECORD = SOURCE / "compiled-sources.sha256"


def _package_dir() -> Path:
    """Where `import factorcheck` finds the package (the source tree, or an installed copy)."""
    spec = importlib.util.find_spec("factorcheck")
    assert spec is not None
    assert spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def compiled_modules(package: Path) -> dict[str, Path]:
    """The package's modules that this Python imports as extension modules, by their path
    relative to the package without the suffix ("answers/derived")."""
    found: dict[str, Path] = {}
    for path in sorted(package.rglob("*")):
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            name = path.name.removesuffix(suffix)
            # "derived.cpython-312-x86_64-linux-gnu" is another Python's build: not imported here.
            if name != path.name and "." not in name:
                found.setdefault(path.parent.relative_to(package).joinpath(name).as_posix(), path)
                break
    return found


def _recorded() -> dict[str, str]:
    """Source path (relative to the package) -> its SHA-256 when compiled, as setup.py recorded it."""
    if not RECORD.exists():
        return {}
    digests = {}
    for line in RECORD.read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        digests[name] = digest
    return digests


def stale_compiled_modules() -> list[str]:
    """What is wrong with each compiled module in src/factorcheck that its source does not match."""
    recorded = _recorded()
    problems = []
    for name, compiled in compiled_modules(SOURCE).items():
        source = SOURCE / f"{name}.py"
        shown = compiled.relative_to(SOURCE.parent.parent).as_posix()
        if not source.exists():
            problems.append(f"{shown} has no source: run `make clean test`.")
        elif f"{name}.py" not in recorded:
            problems.append(f"{shown} has no record of its source: run `make clean test`.")
        elif hashlib.sha256(source.read_bytes()).hexdigest() != recorded[f"{name}.py"]:
            problems.append(
                f"src/factorcheck/{name}.py changed since it was compiled: run `make test` (it recompiles)."
            )
    return problems


def pytest_report_header() -> str:
    package = _package_dir()
    compiled = ", ".join(compiled_modules(package)) or "none (pure Python)"
    return f"factorcheck from {package}; compiled with mypyc: {compiled}"


def pytest_configure(config: pytest.Config) -> None:
    """Ctrl-C reaches the programs the tests start, however the suite was started.

    A shell starts a background job (`make test &`, nohup) with SIGINT ignored, and an ignored
    signal stays ignored in every child: the tests that press Ctrl-C would find the program deaf
    to it. A handled signal is reset to its default when a child starts, so handling it here gives
    each program the Ctrl-C it would have in a terminal.
    """
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_sessionstart(session: pytest.Session) -> None:
    # An installed copy carries its own sources; only the source tree can go stale like this.
    if _package_dir() == SOURCE and (problems := stale_compiled_modules()):
        raise pytest.UsageError("\n".join(problems))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """After a run of the fuzz suite (tests/fuzz): how many cases each entry point ran, and what they gave."""
    fuzzing = sys.modules.get("support.fuzzing")
    if fuzzing is None or not fuzzing.OUTCOMES:
        return
    terminalreporter.section(f"fuzz cases (up to {fuzzing.EXAMPLES:,} per test)")
    for entry_point, outcomes in sorted(fuzzing.OUTCOMES.items()):
        shown = ", ".join(f"{count:,} {outcome}" for outcome, count in sorted(outcomes.items()))
        terminalreporter.write_line(f"{entry_point}: {sum(outcomes.values()):,}: {shown}")
