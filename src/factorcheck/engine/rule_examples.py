"""Running every rule's embedded examples against the evaluators, for `rules check` and the tests."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from factorcheck.answers.derived import facts_from_given
from factorcheck.answers.validate import given_answers, parse_answers
from factorcheck.engine.evaluation import Evaluator
from factorcheck.rules.ruleset import Level, Rule, Ruleset


@dataclass(frozen=True)
class Example:
    """One embedded example: the rule, whether it must fire, and the answer set."""

    rule: Rule
    must_fire: bool
    number: int
    answers: Mapping[str, object]
    # The report's triage level the example expects, when it states one.
    level: Level | None = None

    @property
    def name(self) -> str:
        kind = "must_fire" if self.must_fire else "must_not_fire"
        return f"{self.rule.id}:{kind}#{self.number}"


def all_examples(ruleset: Ruleset) -> Iterator[Example]:
    """Every example of every rule, in rule-set order."""
    for rule in ruleset.rules:
        examples = rule.examples
        for must_fire, cases, levels in (
            (True, examples.must_fire, examples.must_fire_levels),
            (False, examples.must_not_fire, examples.must_not_fire_levels),
        ):
            for number, answers in enumerate(cases, start=1):
                level = levels[number - 1] if number <= len(levels) else None
                yield Example(rule, must_fire, number, answers, level)


def report_level(ruleset: Ruleset, fired: Iterable[str]) -> str:
    """The report's triage level when these rules fired: the highest of the triage rules among them."""
    levels = [ruleset.level(level) for rule_id in fired if (level := ruleset.by_id[rule_id].level)]
    return max(levels, key=lambda level: level.rank).id if levels else "routine"


def example_failures(example: Example, evaluators: Mapping[str, Evaluator], ruleset: Ruleset) -> list[str]:
    """What each evaluator got wrong on one example (empty when all are right): whether the rule
    fired, and the report's triage level where the example states it."""
    answers = parse_answers(example.answers)
    facts = facts_from_given(given_answers(answers))
    failures = []
    for name, evaluator in evaluators.items():
        evaluation = evaluator.evaluate(facts)
        fired = example.rule.id in evaluation
        if fired != example.must_fire:
            verb = "did not fire" if example.must_fire else "fired"
            failures.append(f"{example.rule.path}: {example.name}: {verb} in the {name} evaluator")
        level = report_level(ruleset, evaluation)
        if example.level is not None and level != example.level:
            failures.append(
                f"{example.rule.path}: {example.name}: the report's triage level is {level} in the {name} "
                f"evaluator; the example expects {example.level}"
            )
    return failures
