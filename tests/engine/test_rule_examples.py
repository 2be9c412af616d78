"""Every example embedded in the rule files holds, in both the durable engine and the reference evaluator."""

from __future__ import annotations

import pytest

from factorcheck.engine.durable import DurableEngine
from factorcheck.engine.evaluation import Evaluator
from factorcheck.engine.oracle import Oracle
from factorcheck.engine.rule_examples import Example, all_examples, example_failures
from factorcheck.rules.loading import load_ruleset

RULESET = load_ruleset()
EVALUATORS: dict[str, Evaluator] = {"durable": DurableEngine(RULESET), "oracle": Oracle(RULESET)}
EXAMPLES = list(all_examples(RULESET))


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.name for example in EXAMPLES])
def test_rule_example(example: Example) -> None:
    """The rule fires on its must_fire examples and stays quiet on its must_not_fire ones."""
    assert example_failures(example, EVALUATORS, RULESET) == []


def test_every_rule_has_examples_both_ways() -> None:
    """No rule ships without at least one example that must fire and one that must not."""
    for rule in RULESET.rules:
        assert rule.examples.must_fire, rule.id
        assert rule.examples.must_not_fire, rule.id
