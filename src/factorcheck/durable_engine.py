"""The production evaluator: rule files compiled into a durable_rules ruleset and driven safely.

Read shared notes on durable_rules before changing this module. In short, the engine is driven
through its C module `durable_rules_engine` on one reused session (sid) per engine instance:
the fact of each stage is asserted, the matched rules are read from the pending actions, and
the fact is retracted again. No host is created, so no background timer threads exist, and a
lock serialises callers because the C state of a ruleset is not safe to share between threads.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Mapping

import durable_rules_engine as engine

from factorcheck.derived import Facts
from factorcheck.errors import EngineError
from factorcheck.evaluation import RULE_PREFIX, Basis, Evaluation
from factorcheck.ruleset import AnyOf, Compare, Condition, Fired, Ruleset

Leaf = Compare | Fired

# Every compiled rule tests this field, which the engine's own per-session state object never
# has; without such a guard a rule can match that state object and loop forever.
_STAGE_FIELD = "fc_stage"
_FIRED_FIELD = "fc_fired__"
_SID = "factorcheck"
_ASSERTED, _NOT_HANDLED = 0, 1
_ruleset_names = itertools.count()


def disjunctive_branches(condition: Condition) -> list[tuple[Leaf, ...]]:
    """The condition as an "any" of "all"s of comparisons (disjunctive normal form)."""
    if isinstance(condition, Compare | Fired):
        return [(condition,)]
    if isinstance(condition, AnyOf):
        return [branch for part in condition.parts for branch in disjunctive_branches(part)]
    branches: list[tuple[Leaf, ...]] = [()]
    for part in condition.parts:
        branches = [left + right for left in branches for right in disjunctive_branches(part)]
    return branches


def _leaf_expression(leaf: Leaf) -> dict[str, object]:
    if isinstance(leaf, Fired):
        return {_FIRED_FIELD + leaf.rule: True}
    if leaf.op == "eq":
        return {leaf.name: leaf.value}
    if leaf.op == "in":
        assert isinstance(leaf.value, tuple)
        # A field holds one value, so at most one alternative matches: no duplicate firing.
        return {"$or": [{leaf.name: one} for one in leaf.value]}
    return {f"${leaf.op}": {leaf.name: leaf.value}}


def _leaf_basis(leaf: Leaf) -> Basis:
    return RULE_PREFIX + leaf.rule if isinstance(leaf, Fired) else leaf.name


def compile_ruleset(ruleset: Ruleset) -> tuple[dict[str, object], dict[str, tuple[str, frozenset[Basis]]]]:
    """The durable_rules JSON definition, and for each compiled rule its rule id and bases.

    Each branch of a rule's disjunctive form becomes one durable rule, named RULE#N, so the
    engine itself tells which branches held.
    """
    definition: dict[str, object] = {}
    branches: dict[str, tuple[str, frozenset[Basis]]] = {}
    for rule in ruleset.rules:
        for number, branch in enumerate(disjunctive_branches(rule.when)):
            name = f"{rule.id}#{number}"
            test = [{_STAGE_FIELD: rule.stage}, *(_leaf_expression(leaf) for leaf in branch)]
            definition[name] = {"all": [{"m": {"$and": test}}]}
            branches[name] = (rule.id, frozenset(_leaf_basis(leaf) for leaf in branch))
    return definition, branches


def _scalar_fields(values: Mapping[str, object]) -> dict[str, object]:
    # Lists are never tested directly (rules test derived values instead) and need not travel.
    return {name: value for name, value in values.items() if not isinstance(value, list)}


class DurableEngine:
    """Evaluates a rule set with durable_rules; safe to call from several threads."""

    def __init__(self, ruleset: Ruleset) -> None:
        self._ruleset = ruleset
        definition, self._branches = compile_ruleset(ruleset)
        self._handle = engine.create_ruleset(f"factorcheck_{next(_ruleset_names)}", json.dumps(definition))
        self._lock = threading.Lock()

    def evaluate(self, facts: Facts) -> Evaluation:
        fired: dict[str, frozenset[Basis]] = {}
        fact = _scalar_fields(facts.values)
        with self._lock:
            for stage in range(self._ruleset.stages):
                fact[_STAGE_FIELD] = stage
                for name in self._matches(fact):
                    rule_id, bases = self._branches[name]
                    fired[rule_id] = fired.get(rule_id, frozenset()) | bases
                fact.update({_FIRED_FIELD + rule_id: True for rule_id in fired})
        return {rule.id: fired[rule.id] for rule in self._ruleset.rules if rule.id in fired}

    def _matches(self, fact: dict[str, object]) -> list[str]:
        """Assert the fact, collect the name of every compiled rule it matched, retract it."""
        text = json.dumps({**fact, "sid": _SID, "id": f"stage{fact[_STAGE_FIELD]}"})
        try:
            status, state = engine.assert_fact(self._handle, text)
        except engine.error as error:
            raise EngineError(f"durable_rules rejected an answer set: {error}") from error
        names: list[str] = []
        try:
            if status == _NOT_HANDLED:
                return names
            if status != _ASSERTED:
                raise EngineError(f"durable_rules answered {status} to a fresh answer set")
            started = engine.start_action_for_state(self._handle, state)
            message = started[1] if started else None
            while message:
                names.append(_action_name(message))
                message = engine.complete_and_start_action(self._handle, state)
            return names
        finally:
            engine.retract_fact(self._handle, text)


def _action_name(message: str) -> str:
    # The engine writes the action as {"RULE#N": {...}}; only the name is needed.
    return message[2 : message.index('"', 2)]
