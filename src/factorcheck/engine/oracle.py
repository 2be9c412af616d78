"""The reference evaluator: interprets the rule files directly, as the test oracle for durable."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

from factorcheck.answers.derived import Facts, Value
from factorcheck.engine.evaluation import RULE_PREFIX, Basis, Evaluation
from factorcheck.rules.ruleset import AllOf, AnyOf, Compare, Condition, Fired, Ruleset

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
    "in": lambda given, allowed: given in allowed,
}


def held_on(condition: Condition, values: Mapping[str, Value], fired: Evaluation) -> frozenset[Basis] | None:
    """The bases a condition holds on, or None when it does not hold.

    An unanswered item matches nothing. For "any", only the branches that hold are kept.
    """
    if isinstance(condition, Compare):
        if condition.name not in values:
            return None
        holds = _COMPARE[condition.op](values[condition.name], condition.value)
        return frozenset({condition.name}) if holds else None
    if isinstance(condition, Fired):
        return frozenset({RULE_PREFIX + condition.rule}) if condition.rule in fired else None
    results = [held_on(part, values, fired) for part in condition.parts]
    if isinstance(condition, AllOf):
        if any(result is None for result in results):
            return None
        return frozenset().union(*(r for r in results if r is not None))
    assert isinstance(condition, AnyOf)
    holding = [result for result in results if result is not None]
    return frozenset().union(*holding) if holding else None


class Oracle:
    """Evaluates a rule set by walking each rule's condition tree, stage by stage."""

    def __init__(self, ruleset: Ruleset) -> None:
        self._ruleset = ruleset

    def evaluate(self, facts: Facts) -> Evaluation:
        fired: dict[str, frozenset[Basis]] = {}
        for stage in range(self._ruleset.stages):
            for rule in self._ruleset.rules:
                if rule.stage != stage:
                    continue
                bases = held_on(rule.when, facts.values, fired)
                if bases is not None:
                    fired[rule.id] = bases
        return {rule.id: fired[rule.id] for rule in self._ruleset.rules if rule.id in fired}
