"""Loading a rule set for the engine: the rule files checked, then its capacity and the safety floor."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from factorcheck.engine.capacity import check_capacity
from factorcheck.engine.safety_floor import hold_to_floor
from factorcheck.rules import loading
from factorcheck.rules.ruleset import Ruleset


def load_ruleset(
    rules_dir: Path | None = None, *, allow_below_floor: bool = False, include_drafts: bool = False
) -> Ruleset:
    """Load and check every rule file, that the rules engine can hold them all, and that each
    warning sign reaches its safety floor; raises RuleFileError naming the file, rule and reason
    (SafetyFloorError naming each sign below its floor).

    With `allow_below_floor`, a rule set below the floor loads, its lowered signs listed in its
    `below_safety_floor` (every report made with it says so). With `include_drafts`, draft rules
    take part too."""
    ruleset = loading.load_ruleset(rules_dir, include_drafts=include_drafts)
    check_capacity(ruleset)
    if rules_dir is None and not include_drafts:
        # The package's own rules, which the tests and `rules check` (in make test) hold to the
        # floor as they hold them to their examples: every `check` is spared the floor's cost.
        return replace(ruleset, below_safety_floor=())
    return hold_to_floor(ruleset, rules_dir, allow_below_floor)
