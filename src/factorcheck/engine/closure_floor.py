"""The plain-Python floor: the rule files compiled once into one Python function, for benchmarks.

It is the fastest honest way to evaluate the same rules in Python: each rule's condition, in
disjunctive form, becomes plain `if` tests on local variables inside one generated function
(a closure over the rules' constant bases), with no engine and no interpretation per answer set.
The durable_rules path is measured against it. It computes the same bases as the reference
evaluator (engine/oracle.py) and is tested against it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from factorcheck.answers.derived import Facts, Value
from factorcheck.engine.branches import Leaf, bases, branches
from factorcheck.engine.evaluation import Basis, Evaluation
from factorcheck.rules.ruleset import Fired, Ruleset

_PYTHON_OPERATORS = {"eq": "==", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}


class _Source:
    """The generated function's text and the constants it refers to by name."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.constants: dict[str, object] = {}
        self.variables: dict[str, str] = {}

    def constant(self, value: object) -> str:
        name = f"c{len(self.constants)}"
        self.constants[name] = value
        return name

    def variable(self, field: str) -> str:
        if field not in self.variables:
            self.variables[field] = f"v{len(self.variables)}"
        return self.variables[field]

    def test(self, leaf: Leaf) -> str:
        if isinstance(leaf, Fired):
            return f"{self.constant(leaf.rule)} in fired"
        variable = self.variable(leaf.name)
        if leaf.op == "in":
            assert isinstance(leaf.value, tuple)
            return f"{variable} in {self.constant(frozenset(leaf.value))}"
        # An unanswered item (None) matches nothing; "==" with None is already false.
        present = "" if leaf.op == "eq" else f"{variable} is not None and "
        return f"{present}{variable} {_PYTHON_OPERATORS[leaf.op]} {self.constant(leaf.value)}"


def compile_ruleset(ruleset: Ruleset) -> Callable[[Mapping[str, Value]], dict[str, frozenset[Basis]]]:
    """One function from the facts' values to the fired rules and their bases, in stage order."""
    source = _Source()
    body: list[str] = []
    for rule in sorted(ruleset.rules, key=lambda rule: rule.stage):
        rule_id = source.constant(rule.id)
        expanded = branches(rule.when)
        if len(expanded) == 1:
            test = " and ".join(source.test(leaf) for leaf in expanded[0])
            body += [f"    if {test}:", f"        fired[{rule_id}] = {source.constant(bases(expanded[0]))}"]
            continue
        body.append("    held = None")
        for branch in expanded:
            test = " and ".join(source.test(leaf) for leaf in branch)
            held_on = source.constant(bases(branch))
            body += [f"    if {test}:", f"        held = {held_on} if held is None else held | {held_on}"]
        body += ["    if held is not None:", f"        fired[{rule_id}] = held"]
    lines = ["def evaluate(values):", "    get = values.get", "    fired = {}"]
    lines += [
        f"    {variable} = get({source.constant(field)})" for field, variable in source.variables.items()
    ]
    lines += [*body, "    return fired"]
    namespace: dict[str, object] = dict(source.constants)
    exec(compile("\n".join(lines), f"<rules {ruleset.digest}>", "exec"), namespace)
    function = namespace["evaluate"]
    assert callable(function)
    return function


class ClosureEvaluator:
    """Evaluates a rule set with the function `compile_ruleset` makes for it."""

    def __init__(self, ruleset: Ruleset) -> None:
        self._evaluate = compile_ruleset(ruleset)
        self._order = {rule.id: index for index, rule in enumerate(ruleset.rules)}

    def evaluate(self, facts: Facts) -> Evaluation:
        fired = self._evaluate(facts.values)
        order = self._order
        return dict(sorted(fired.items(), key=lambda item: order[item[0]]))
