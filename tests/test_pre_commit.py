"""The pre-commit hooks run the same lint and type checks as `make test`, on the same paths."""

from __future__ import annotations

import yaml

from support import ROOT


def test_pre_commit_hooks_are_make_tests_checks() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    checks = [line.strip().replace("$(BIN)/", ".venv/bin/") for line in recipe.splitlines()[1:]]
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [hook["entry"] for repo in config["repos"] for hook in repo["hooks"]]
    assert hooks == [check for check in checks if "/ruff " in check or check.endswith("/mypy")]
    assert len(hooks) == 3
