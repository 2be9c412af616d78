"""Loading a rule set for the engine: the rule files read and checked, then held to its capacity."""

from __future__ import annotations

from pathlib import Path

from factorcheck.engine.capacity import check_capacity
from factorcheck.rules import loading
from factorcheck.rules.ruleset import Ruleset


def load_ruleset(rules_dir: Path | None = None) -> Ruleset:
    """Load and check every rule file, and that the rules engine can hold them all; raises
    RuleFileError naming the file, rule and reason."""
    ruleset = loading.load_ruleset(rules_dir)
    check_capacity(ruleset)
    return ruleset
