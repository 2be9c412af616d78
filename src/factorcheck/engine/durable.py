"""The production evaluator: rule files compiled into a durable_rules ruleset and driven safely.

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
- one assertion per answer set: a rule that tests another rule's conclusion gets that rule's
  condition inlined, so every rule is decided in one pass instead of one pass per stage;
- the fact carries only the values some rule can match (a text or true/false value that no rule
  compares its field with cannot match any rule), under short field names, and its JSON text is
  assembled from fragments made once per field and value.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Mapping

import durable_rules_engine as engine

from factorcheck.answers.derived import Facts, Value
from factorcheck.engine.branches import inlined_branches
from factorcheck.engine.evaluation import Basis, Evaluation
from factorcheck.errors import EngineError
from factorcheck.rules.ruleset import Compare, Ruleset

# Every compiled rule tests this field, which the engine's own per-session state object never
# has; without such a guard a rule can match that state object and loop forever.
_GUARD = '"fc_":1'
_SID = "factorcheck"
_ENVELOPE = f'{{"sid":"{_SID}","id":"a",{_GUARD}'
_ASSERTED, _NOT_HANDLED = 0, 1
_ruleset_names = itertools.count()


def _leaf_expression(leaf: Compare, field: str) -> dict[str, object]:
    if leaf.op == "eq":
        return {field: leaf.value}
    if leaf.op == "in":
        assert isinstance(leaf.value, tuple)
        # A field holds one value, so at most one alternative matches: no duplicate firing.
        return {"$or": [{field: one} for one in leaf.value]}
    return {f"${leaf.op}": {field: leaf.value}}


def tested_fields(ruleset: Ruleset) -> list[str]:
    """Every answer item or derived value some rule compares, in first-use order."""
    names: dict[str, None] = {}
    for rule in ruleset.rules:
        for leaves, _ in inlined_branches(rule.when, ruleset):
            names.update(dict.fromkeys(leaf.name for leaf in leaves))
    return list(names)


def compile_ruleset(ruleset: Ruleset) -> tuple[dict[str, object], dict[str, tuple[str, frozenset[Basis]]]]:
    """The durable_rules JSON definition, and for each compiled rule its rule id and bases.

    Each branch becomes one durable rule, named by a number, so the engine itself tells which
    branches held. Fields are renamed f0, f1, ... in the order of `tested_fields`.
    """
    short = {name: f"f{number}" for number, name in enumerate(tested_fields(ruleset))}
    definition: dict[str, object] = {}
    branches: dict[str, tuple[str, frozenset[Basis]]] = {}
    for rule in ruleset.rules:
        for leaves, bases in inlined_branches(rule.when, ruleset):
            name = str(len(branches))
            test = [{"fc_": 1}, *(_leaf_expression(leaf, short[leaf.name]) for leaf in leaves)]
            definition[name] = {"all": [{"m": {"$and": test}}]}
            branches[name] = (rule.id, bases)
    return definition, branches


def _fact_fields(ruleset: Ruleset) -> tuple[list[tuple[str, dict[object, str]]], list[tuple[str, str]]]:
    """How each tested field is written into the fact, `,"fN":value`.

    Text and true/false fields: the text for each value some rule compares the field with; any
    other value matches no rule, so it is left out and the fact stays small. Number fields: the
    prefix `,"fN":`, to which the number is added.
    """
    short = {name: f"f{number}" for number, name in enumerate(tested_fields(ruleset))}
    mentioned: dict[str, dict[object, str]] = {}
    numbers: dict[str, str] = {}
    for rule in ruleset.rules:
        for leaves, _ in inlined_branches(rule.when, ruleset):
            for leaf in leaves:
                prefix = f',"{short[leaf.name]}":'
                for value in leaf.value if isinstance(leaf.value, tuple) else (leaf.value,):
                    if isinstance(value, bool | str):
                        mentioned.setdefault(leaf.name, {})[value] = prefix + json.dumps(value)
                    else:
                        numbers[leaf.name] = prefix
    return list(mentioned.items()), list(numbers.items())


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


class DurableEngine:
    """Evaluates a rule set with durable_rules; safe to call from several threads."""

    def __init__(self, ruleset: Ruleset) -> None:
        definition, self._branches = compile_ruleset(ruleset)
        self._texts, self._numbers = _fact_fields(ruleset)
        self._text_names = [name for name, _ in self._texts]
        self._text_tables = [table for _, table in self._texts]
        self._order = {rule.id: index for index, rule in enumerate(ruleset.rules)}
        self._rules = compiled_rules(json.dumps(definition))

    def fact_text(self, values: Mapping[str, Value]) -> str:
        """The JSON fact the engine sees for one answer set: the given values a rule can match."""
        get = values.get
        try:
            # Both loops run in C: each tested field's value, then its fragment (or None). A value
            # matches a fragment's key exactly when == says so (True == 1 included), which is
            # also what the oracle's comparisons do.
            texts = "".join(filter(None, map(dict.get, self._text_tables, map(get, self._text_names))))
        except TypeError:  # an unhashable value where a rule expects text: it matches nothing
            texts = "".join(
                text
                for name, table in self._texts
                if not isinstance(value := get(name), list | dict) and (text := table.get(value))
            )
        numbers = [
            prefix + (repr(value) if type(value) is int or type(value) is float else json.dumps(value))
            for name, prefix in self._numbers
            if (value := get(name)) is not None
        ]
        return _ENVELOPE + texts + "".join(numbers) + "}"

    def evaluate(self, facts: Facts) -> Evaluation:
        text = self.fact_text(facts.values)
        with self._rules.lock:
            names = self._matches(text)
        fired: dict[str, frozenset[Basis]] = {}
        branches = self._branches
        for name in names:
            rule_id, bases = branches[name]
            held = fired.get(rule_id)
            fired[rule_id] = bases if held is None else held | bases
        order = self._order
        indexes = [order[rule_id] for rule_id in fired]
        if indexes == sorted(indexes):  # the engine hands out actions in rule order
            return fired
        return dict(sorted(fired.items(), key=lambda item: order[item[0]]))

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
