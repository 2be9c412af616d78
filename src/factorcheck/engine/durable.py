"""The production evaluator: rule files compiled into durable_rules rulesets and driven safely.

durable_rules has traps, each measured: an event is consumed by the first rule that matches (so
only facts are used); the engine's own per-session state object matches any rule without a guard
field and loops forever; an exception inside an action is swallowed into the returned state; a
missing field compares as true; its default host starts timer threads that crash under threads.
So the engine is driven through its C module `durable_rules_engine` on one reused session (sid)
per compiled ruleset: the fact of an answer set is asserted, the matched rules are read from the
pending actions, and the fact is retracted again. No host is created, so no background timer
threads exist, and a lock serialises callers because the C state of a ruleset is not safe to
share between threads. durable_rules never frees a ruleset, so engines of one definition share
one (CompiledRules).

What keeps it fast (each measured; see docs/batch.md):
- a rule that tests another rule's conclusion gets that rule's condition inlined, so each rule
  is decided in one pass instead of one pass per stage;
- the rules are compiled in groups that compare no field in common (RuleGroup): for the shipped
  rules, most warning signs and the one-item factors, apart from the links between knee and
  heel and the rules that test the same answers. Each group has its own ruleset and its own,
  smaller fact, which takes far fewer distinct values across answer sets than the whole answer
  set does;
- a fact carries only the values some rule can match (a text or true/false value that no rule
  compares its field with cannot match any rule), under short field names, and its JSON text is
  assembled from fragments made once per field and value;
- a number is written as the representative of its class: the threshold it equals, or a number
  inside the same gap between the thresholds rules compare that field with, so every comparison
  holds as it would for the number itself;
- what the engine decided for a group's fact is remembered (a bounded table per group), so a
  fact met before is not asserted again.
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
import threading
from collections.abc import Mapping
from typing import Final

import durable_rules_engine as engine

from factorcheck.answers.derived import Facts, Value
from factorcheck.engine.branches import inlined_branches
from factorcheck.engine.capacity import check_capacity
from factorcheck.engine.evaluation import Basis, Evaluation
from factorcheck.errors import EngineError
from factorcheck.rules.ruleset import Compare, Rule, Ruleset

# Every compiled rule tests this field, which the engine's own per-session state object never
# has; without such a guard a rule can match that state object and loop forever.
_GUARD: Final = '"fc_":1'
_SID: Final = "factorcheck"
_ENVELOPE: Final = f'{{"sid":"{_SID}","id":"a",{_GUARD}'
_ASSERTED, _NOT_HANDLED = 0, 1
_ruleset_names = itertools.count()
# How many decided facts each group of rules remembers (a few megabytes at most); in a large
# batch the first ones met include the most common.
REMEMBERED = 16_384


def _leaf_expression(leaf: Compare, field: str) -> dict[str, object]:
    if leaf.op == "eq":
        return {field: leaf.value}
    if leaf.op == "in":
        assert isinstance(leaf.value, tuple)
        # A field holds one value, so at most one alternative matches: no duplicate firing.
        return {"$or": [{field: one} for one in leaf.value]}
    return {f"${leaf.op}": {field: leaf.value}}


def _fields_by_rule(ruleset: Ruleset) -> dict[str, list[str]]:
    """For each rule, every answer item or derived value its inlined branches compare."""
    return {
        rule.id: list(
            dict.fromkeys(leaf.name for leaves, _ in inlined_branches(rule.when, ruleset) for leaf in leaves)
        )
        for rule in ruleset.rules
    }


# Groups of rules that compare this few fields in all are merged into one: a fact of a field or
# two takes only a few values, so even together they repeat often.
_SMALL_GROUP_FIELDS = 2


def rule_groups(ruleset: Ruleset) -> list[list[Rule]]:
    """The rules in groups that compare no field in common, each group in rule-set order.

    Rules that compare a common field, directly or through other rules, are in one group, so
    the branches of a rule hold or not on its own group's fields alone and every group can be
    decided apart. Groups of few fields are then merged into one.
    """
    fields = _fields_by_rule(ruleset)
    group_of_field: dict[str, int] = {}
    members: dict[int, list[Rule]] = {}
    for number, rule in enumerate(ruleset.rules):
        joined = sorted({group_of_field[name] for name in fields[rule.id] if name in group_of_field})
        target = joined[0] if joined else number
        members.setdefault(target, []).append(rule)
        for other in joined[1:]:
            members[target] += members.pop(other)
        for name, group in list(group_of_field.items()):
            if group in joined:
                group_of_field[name] = target
        for name in fields[rule.id]:
            group_of_field[name] = target
    order = {rule.id: index for index, rule in enumerate(ruleset.rules)}
    groups: list[list[Rule]] = []
    small: list[Rule] = []
    for rules in members.values():
        if len({name for rule in rules for name in fields[rule.id]}) <= _SMALL_GROUP_FIELDS:
            small += rules
        else:
            groups.append(rules)
    if small:
        groups.append(small)
    ordered = [sorted(rules, key=lambda rule: order[rule.id]) for rules in groups]
    return sorted(ordered, key=lambda rules: order[rules[0].id])


def compile_rules(
    rules: list[Rule], ruleset: Ruleset
) -> tuple[dict[str, object], dict[str, tuple[str, frozenset[Basis]]], dict[str, str]]:
    """The durable_rules JSON definition of some rules, for each compiled rule its rule id and
    bases, and the short name of each field they compare.

    Each branch becomes one durable rule, named by a number, so the engine itself tells which
    branches held. Fields are renamed f0, f1, ... in first-use order.
    """
    fields = _fields_by_rule(ruleset)
    names = dict.fromkeys(name for rule in rules for name in fields[rule.id])
    short = {name: f"f{number}" for number, name in enumerate(names)}
    definition: dict[str, object] = {}
    branches: dict[str, tuple[str, frozenset[Basis]]] = {}
    for rule in rules:
        for leaves, bases in inlined_branches(rule.when, ruleset):
            name = str(len(branches))
            test = [{"fc_": 1}, *(_leaf_expression(leaf, short[leaf.name]) for leaf in leaves)]
            definition[name] = {"all": [{"m": {"$and": test}}]}
            branches[name] = (rule.id, bases)
    return definition, branches, short


# A number field of the fact: its prefix `,"fN":`, and the thresholds rules compare it with.
_NumberField = tuple[str, str, tuple[float, ...]]


def _fact_fields(
    rules: list[Rule], ruleset: Ruleset, short: dict[str, str]
) -> tuple[list[tuple[str, dict[object, str]]], list[_NumberField]]:
    """How each field the rules compare is written into their fact, `,"fN":value`.

    Text and true/false fields: the text for each value some rule compares the field with; any
    other value matches no rule, so it is left out and the fact stays small. Number fields: the
    prefix `,"fN":`, to which the number's representative is added, and the thresholds.
    """
    mentioned: dict[str, dict[object, str]] = {}
    thresholds: dict[str, set[float]] = {}
    for rule in rules:
        for leaves, _ in inlined_branches(rule.when, ruleset):
            for leaf in leaves:
                prefix = f',"{short[leaf.name]}":'
                for value in leaf.value if isinstance(leaf.value, tuple) else (leaf.value,):
                    if isinstance(value, bool | str):
                        mentioned.setdefault(leaf.name, {})[value] = prefix + json.dumps(value)
                    else:
                        thresholds.setdefault(leaf.name, set()).add(value)
    numbers = [(name, f',"{short[name]}":', tuple(sorted(found))) for name, found in thresholds.items()]
    return list(mentioned.items()), numbers


def representative(value: float, thresholds: tuple[float, ...]) -> float:
    """A number that compares with every threshold (<, <=, >, >=, ==, !=) as `value` does: the
    threshold it equals, or one strictly inside the same gap between two thresholds (sorted)."""
    place = bisect.bisect_left(thresholds, value)
    if place < len(thresholds) and thresholds[place] == value:
        return thresholds[place]
    if place == 0:
        return thresholds[0] - 1
    if place == len(thresholds):
        return thresholds[-1] + 1
    return (thresholds[place - 1] + thresholds[place]) / 2


def _number_text(value: object, thresholds: tuple[float, ...]) -> str:
    if type(value) is int or (type(value) is float and math.isfinite(value)):
        return repr(representative(value, thresholds))
    # Nothing validated gives anything else; whatever it is, the engine sees it as it is.
    return repr(value) if type(value) is float else json.dumps(value)


class CompiledRules:
    """A ruleset inside durable_rules, with the lock its callers share; one per definition.

    durable_rules never frees a ruleset, and a ruleset with its session holds about 1.6 MB, so
    engines for the same definition share one: a process that makes an engine per run (a library
    caller running batch again and again) would otherwise grow with every run.
    """

    def __init__(self, definition: str) -> None:
        self.definition = definition
        self.lock = threading.Lock()
        self.handle = self.create()

    def create(self) -> int:
        handle: int = engine.create_ruleset(f"factorcheck_{next(_ruleset_names)}", self.definition)
        return handle


_compiled: dict[str, CompiledRules] = {}
_compiled_lock = threading.Lock()


def compiled_rules(definition: str) -> CompiledRules:
    """The one CompiledRules of this process for a definition, made on first use."""
    with _compiled_lock:
        found = _compiled.get(definition)
        if found is None:
            found = _compiled[definition] = CompiledRules(definition)
        return found


class RuleGroup:
    """Some rules compiled together: their ruleset in durable_rules, their fact, and the facts
    already decided, each with the rules it fired and on what."""

    def __init__(self, rules: list[Rule], ruleset: Ruleset, remembered: int) -> None:
        definition, self._branches, short = compile_rules(rules, ruleset)
        self._texts, self.numbers = _fact_fields(rules, ruleset, short)
        self._text_names = [name for name, _ in self._texts]
        self._text_tables = [table for _, table in self._texts]
        self._rules = compiled_rules(json.dumps(definition))
        self._remembered = remembered
        self.decided: dict[str, dict[str, frozenset[Basis]]] = {}

    def fact_text(self, values: Mapping[str, Value]) -> str:
        """The JSON fact the engine sees for one answer set: the given values a rule can match."""
        get = values.get
        try:
            # Both loops run in C: each tested field's value, then its fragment (or None). A value
            # matches a fragment's key exactly when == says so (True == 1 included), which is
            # also what the reference evaluator's comparisons do.
            texts = "".join(filter(None, map(dict.get, self._text_tables, map(get, self._text_names))))
        except TypeError:  # an unhashable value where a rule expects text: it matches nothing
            texts = "".join(
                text
                for name, table in self._texts
                if not isinstance(value := get(name), list | dict) and (text := table.get(value))
            )
        numbers = [
            prefix + _number_text(value, thresholds)
            for name, prefix, thresholds in self.numbers
            if (value := get(name)) is not None
        ]
        return _ENVELOPE + texts + "".join(numbers) + "}"

    def fired(self, values: Mapping[str, Value]) -> dict[str, frozenset[Basis]]:
        """The group's rules that hold on these values, with their bases, as the engine handed
        them out; not to be changed (it may be remembered). DurableEngine puts them in order."""
        text = self.fact_text(values)
        known = self.decided.get(text)
        if known is not None:
            return known
        with self._rules.lock:
            names = self._matches(text)
        fired: dict[str, frozenset[Basis]] = {}
        branches = self._branches
        for name in names:
            rule_id, bases = branches[name]
            held = fired.get(rule_id)
            fired[rule_id] = bases if held is None else held | bases
        if len(self.decided) < self._remembered:
            self.decided[text] = fired
        return fired

    def _matches(self, text: str) -> list[str]:
        """Assert the fact, collect the name of every compiled rule it matched, retract it."""
        handle = self._rules.handle
        names: list[str] = []
        message: str | None = None
        broken = False
        try:
            status, state = engine.assert_fact(handle, text)
            if status == _NOT_HANDLED:
                return names
            if status != _ASSERTED:
                raise EngineError(f"durable_rules answered {status} to a fresh answer set")
            started = engine.start_action_for_state(handle, state)
            message = started[1] if started else None
            while message:
                # The engine writes the action as {"NAME":{...}}; only the name is needed.
                names.append(message[2 : message.index('"', 2)])
                message = engine.complete_and_start_action(handle, state)
            return names
        except engine.error as error:
            broken = True
            raise EngineError(f"durable_rules failed on an answer set: {error}") from error
        finally:
            if broken:
                # The session may be half-updated: start afresh rather than trust it.
                self._rules.handle = self._rules.create()
            else:
                # Interrupted (say by Ctrl-C) between two actions: finish them, or the session
                # keeps an action lease and hands out no action for minutes (silently wrong).
                while message:
                    message = engine.complete_and_start_action(handle, state)
                engine.retract_fact(handle, text)


class DurableEngine:
    """Evaluates a rule set with durable_rules; safe to call from several threads."""

    def __init__(self, ruleset: Ruleset, remembered: int = REMEMBERED) -> None:
        """`remembered`: how many decided facts each group keeps (0: ask the engine every time).
        Raises RuleFileError for rules beyond what durable_rules can hold, before compiling any."""
        # Also checked when a rule set is loaded (engine/loading.py); a rule set loaded or made
        # otherwise would make durable_rules fail or hang.
        check_capacity(ruleset)
        self.groups = [RuleGroup(rules, ruleset, remembered) for rules in rule_groups(ruleset)]
        self._order = {rule.id: index for index, rule in enumerate(ruleset.rules)}

    def fact_texts(self, values: Mapping[str, Value]) -> list[str]:
        """The JSON facts the engine sees for one answer set, one per group of rules."""
        return [group.fact_text(values) for group in self.groups]

    def evaluate(self, facts: Facts) -> Evaluation:
        values = facts.values
        fired: dict[str, frozenset[Basis]] = {}
        for group in self.groups:
            fired.update(group.fired(values))
        order = self._order
        indexes = [order[rule_id] for rule_id in fired]
        if indexes != sorted(indexes):  # the groups' rules interleave in the rule set
            fired = dict(sorted(fired.items(), key=lambda item: order[item[0]]))
        return fired
