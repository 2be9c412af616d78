"""Conditions expanded into branches (an "any" of "all"s), for the evaluators that compile rules.

The durable_rules engine and the plain-Python floor both compile each rule into one test per
branch; the reference evaluator (engine/oracle.py) walks the condition tree instead and must not
use this module, so that it stays an independent check of both.
"""

from __future__ import annotations

from factorcheck.engine.evaluation import RULE_PREFIX, Basis
from factorcheck.rules.ruleset import AnyOf, Compare, Condition, Fired, Ruleset

Leaf = Compare | Fired
# One branch with every tested rule replaced by its own comparisons: the comparisons that must
# all hold, and what the branch holds on when they do (answer items, derived values, or
# "rule:ID" for a rule that was inlined).
Branch = tuple[tuple[Compare, ...], frozenset[Basis]]


def branches(condition: Condition) -> list[tuple[Leaf, ...]]:
    """The condition as an "any" of "all"s of comparisons and rule references, in order."""
    if isinstance(condition, Compare | Fired):
        return [(condition,)]
    if isinstance(condition, AnyOf):
        return [branch for part in condition.parts for branch in branches(part)]
    expanded: list[tuple[Leaf, ...]] = [()]
    for part in condition.parts:
        expanded = [left + right for left in expanded for right in branches(part)]
    return expanded


def bases(branch: tuple[Leaf, ...]) -> frozenset[Basis]:
    """What a branch holds on: the items and values it compares, and the rules it refers to."""
    return frozenset(RULE_PREFIX + leaf.rule if isinstance(leaf, Fired) else leaf.name for leaf in branch)


def inlined_branches(condition: Condition, ruleset: Ruleset) -> list[Branch]:
    """The condition's branches with each tested rule replaced by that rule's own branches.

    A tested rule holds exactly when one of its branches holds, so a branch that refers to it
    becomes one branch per branch of that rule, each holding on "rule:ID" rather than on the
    comparisons inside it.
    """
    inlined: list[Branch] = []
    for branch in branches(condition):
        alternatives: list[Branch] = [((), frozenset())]
        for leaf in branch:
            if isinstance(leaf, Fired):
                basis = frozenset({RULE_PREFIX + leaf.rule})
                inner = [
                    (leaves, basis) for leaves, _ in inlined_branches(ruleset.by_id[leaf.rule].when, ruleset)
                ]
            else:
                inner = [((leaf,), frozenset({leaf.name}))]
            alternatives = [
                (tuple(dict.fromkeys(left + right)), left_bases | right_bases)
                for left, left_bases in alternatives
                for right, right_bases in inner
            ]
        inlined += alternatives
    return inlined
