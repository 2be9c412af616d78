"""What durable_rules can hold: the most branches a rule and a rule set may have, checked first."""

from __future__ import annotations

from factorcheck.errors import RuleFileError
from factorcheck.rules.rule_files import MANIFEST
from factorcheck.rules.ruleset import AnyOf, Compare, Condition, Fired, Ruleset

# Limits documented in rules/README.md. The engine compiles one durable_rules rule per branch of
# a condition in disjunctive form (an "all" of "any"s multiplies out): the shipped rules have at
# most 11 per rule and 73 in all. durable_rules 2.0.28 fails on more than about 255 compiled
# rules that share one comparison (error 108) and hangs on more than 512 distinct comparisons
# following one another; a rule set within MAX_BRANCHES stays clear of both, and each rule
# within MAX_RULE_BRANCHES.
MAX_RULE_BRANCHES = 64
MAX_BRANCHES = 250


def check_capacity(ruleset: Ruleset) -> None:
    """Refuse a rule, or a rule set, with more branches than the engine can hold, counted
    without multiplying anything out (rule references resolved, as the engine inlines them)."""
    by_id = ruleset.by_id
    counted: dict[str, int] = {}

    def branches(condition: Condition) -> int:
        # Saturated just past the limit: the count of a runaway condition stays a small number.
        if isinstance(condition, Compare):
            return 1
        if isinstance(condition, Fired):
            if condition.rule not in counted:
                counted[condition.rule] = branches(by_id[condition.rule].when)
            return counted[condition.rule]
        if isinstance(condition, AnyOf):
            return min(sum(branches(part) for part in condition.parts), MAX_BRANCHES + 1)
        total = 1
        for part in condition.parts:
            total = min(total * branches(part), MAX_BRANCHES + 1)
        return total

    total = 0
    for rule in ruleset.rules:
        if rule.id not in counted:
            counted[rule.id] = branches(rule.when)
        if counted[rule.id] > MAX_RULE_BRANCHES:
            shown = (
                f"{counted[rule.id]:,}" if counted[rule.id] <= MAX_BRANCHES else f"more than {MAX_BRANCHES:,}"
            )
            raise RuleFileError(
                rule.path,
                rule.id,
                f'the condition has {shown} branches (each way it can hold, with its "any"s multiplied '
                f"out), more than the {MAX_RULE_BRANCHES} a rule may have; split the rule or simplify it.",
            )
        total += counted[rule.id]
    if total > MAX_BRANCHES:
        raise RuleFileError(
            MANIFEST,
            None,
            f"the rule set has {total:,} branches in all, more than the {MAX_BRANCHES} the rules engine "
            "(durable_rules) is known to hold; remove rules or simplify their conditions.",
        )
