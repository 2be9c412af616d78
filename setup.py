"""Compiles the hot per-record modules with mypyc; pyproject.toml holds everything else.

The modules are listed once, in pyproject.toml ([tool.factorcheck] mypyc-compiled). Their Python
source stays the only implementation: mypyc translates that typed code to C, reading the
project's own mypy settings, so the compiled and the pure module behave alike.
FACTORCHECK_PURE_PYTHON=1 skips compilation: a pure-Python install.

An editable install (`make` runs `pip install -e`) builds in place: each compiled module (a .so
file) goes beside its source, in the subpackage's folder, where Python imports it before the .py
file; they are build output, never edited, and git ignores them. So such a build first removes
what earlier builds left there, and then records the SHA-256 of each source as compiled in
src/factorcheck/compiled-sources.sha256 (paths relative to it; `sha256sum -c` run in
src/factorcheck reads it): the test suite
refuses to run a compiled module whose source has changed since. (`setup.py build_ext --inplace`
does the same, but needs the setuptools of [build-system]; pip provides it, a venv may not.)
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

SOURCE_ROOT = Path("src")
PACKAGE_DIR = SOURCE_ROOT / "factorcheck"
RECORD = PACKAGE_DIR / "compiled-sources.sha256"
PURE_PYTHON = os.environ.get("FACTORCHECK_PURE_PYTHON") == "1"


def compiled_sources() -> list[Path]:
    """The modules to compile, as listed in pyproject.toml."""
    with Path("pyproject.toml").open("rb") as file:
        listed: list[str] = tomllib.load(file)["tool"]["factorcheck"]["mypyc-compiled"]
    return [Path(name) for name in listed]


def remove_inplace_build() -> None:
    """Remove compiled modules that an earlier in-place build left in the source tree."""
    # mypyc puts the modules' shared code in one library at the top level, named "<hash>__mypyc".
    for path in [*PACKAGE_DIR.rglob("*.so"), *PACKAGE_DIR.rglob("*.pyd"), *SOURCE_ROOT.glob("*__mypyc.*")]:
        path.unlink()
    RECORD.unlink(missing_ok=True)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class BuildPy(build_py):
    def run(self) -> None:
        # An editable install imports from the source tree: a pure one must not find old builds.
        if self.editable_mode:
            remove_inplace_build()
        super().run()


class BuildExt(build_ext):
    def run(self) -> None:
        if not self.inplace:
            super().run()
            return
        remove_inplace_build()
        super().run()
        # The hashes were taken just before mypyc read the sources: a source edited while it
        # compiled no longer matches, so it reads as stale rather than as fresh.
        RECORD.write_text(
            "".join(
                f"{digest}  {path.relative_to(PACKAGE_DIR).as_posix()}\n" for path, digest in HASHES.items()
            ),
            encoding="utf-8",
        )


def extensions() -> list[Extension]:
    """The compiled modules (none for a pure-Python install); hashes their sources first."""
    if PURE_PYTHON:
        return []
    from mypyc.build import mypycify

    sources = compiled_sources()
    HASHES.update((path, sha256(path)) for path in sources)
    # The project's mypy settings, explicitly: strict, and durable_rules_engine (no type
    # information) is Any, so the engine is called through ordinary attribute lookups. A cache
    # of its own: the type checker's, made with the dev tools installed, would hide a package
    # missing from [build-system] requires (as it once did for types-PyYAML).
    options = ["--config-file", "pyproject.toml", "--cache-dir", "build/mypyc-cache"]
    built = mypycify([*options, *map(str, sources)], opt_level="3")
    # Typed as setuptools' or (Python 3.11) distutils' Extension: mypyc makes setuptools' when
    # setuptools is imported, as it is here.
    compiled = [extension for extension in built if isinstance(extension, Extension)]
    assert len(compiled) == len(built)
    return compiled


HASHES: dict[Path, str] = {}

setup(ext_modules=extensions(), cmdclass={"build_py": BuildPy, "build_ext": BuildExt})
