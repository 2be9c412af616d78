"""Running every rule's embedded examples against the evaluators, for `rules check` and the tests."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from factorcheck.answers.derived import facts_from_given
from factorcheck.answers.validate import given_answers, parse_answers
from factorcheck.engine.evaluation import Evaluator
from factorcheck.rules.ruleset import Rule, Ruleset


@dataclass(frozen=True)
class Example:
    """One embedded example: the rule, whether it must fire, and the answer set."""

    rule: Rule
    must_fire: bool
    number: int
    answers: Mapping[str, object]

    @property
    def name(self) -> str:
        kind = "must_fire" if self.must_fire else "must_not_fire"
        return f"{self.rule.id}:{kind}#{self.number}"


def all_examples(ruleset: Ruleset) -> Iterator[Example]:
    """Every example of every rule, in rule-set order."""
    for rule in ruleset.rules:
        for number, answers in enumerate(rule.examples.must_fire, start=1):
            yield Example(rule, True, number, answers)
        for number, answers in enumerate(rule.examples.must_not_fire, start=1):
            yield Example(rule, False, number, answers)


def example_failures(example: Example, evaluators: Mapping[str, Evaluator]) -> list[str]:
    """What each evaluator got wrong on one example (empty when all are right)."""
    answers = parse_answers(example.answers)
    facts = facts_from_given(given_answers(answers))
    failures = []
    for name, evaluator in evaluators.items():
        fired = example.rule.id in evaluator.evaluate(facts)
        if fired != example.must_fire:
            verb = "did not fire" if example.must_fire else "fired"
            failures.append(f"{example.rule.path}: {example.name}: {verb} in the {name} evaluator")
    return failures
