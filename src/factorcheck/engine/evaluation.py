"""What evaluating a rule set on one answer set yields: the rules that fired and what they held on."""

from __future__ import annotations

from typing import Protocol

from factorcheck.answers.derived import Facts
from factorcheck.rules.ruleset import RULE_PREFIX

# What a fired rule held on: an answer item or derived value by name, or another rule as
# RULE_PREFIX + its id.
Basis = str
__all__ = ["RULE_PREFIX", "Basis", "Evaluation", "Evaluator"]

# Fired rule id -> the bases of every branch of its condition that held, in rule-set order.
# A dict, not a Mapping: the compiled modules then read it with direct dict operations.
Evaluation = dict[str, frozenset[Basis]]


class Evaluator(Protocol):
    """Anything that evaluates the loaded rule set on the facts of one answer set."""

    def evaluate(self, facts: Facts) -> Evaluation: ...
