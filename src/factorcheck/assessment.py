"""Assessing answer sets: validation, derived values, the rules engine and the report, in one call."""

from __future__ import annotations

import threading
from pathlib import Path

from factorcheck.derived import derive_facts
from factorcheck.durable_engine import DurableEngine
from factorcheck.evaluation import Evaluator
from factorcheck.loading import load_ruleset
from factorcheck.questionnaire import Answers
from factorcheck.report import Report, ReportBuilder
from factorcheck.ruleset import Ruleset
from factorcheck.validation import given_answers, parse_answers


class Assessor:
    """Turns answer sets into reports with one loaded rule set; safe to share between threads."""

    def __init__(self, ruleset: Ruleset | None = None, evaluator: Evaluator | None = None) -> None:
        self.ruleset = ruleset or load_ruleset()
        self.evaluator = evaluator or DurableEngine(self.ruleset)
        self._builder = ReportBuilder(self.ruleset)

    def assess(self, raw: object) -> Report:
        """The report for a raw answer set (a decoded JSON object); raises InvalidAnswersError."""
        return self.assess_answers(parse_answers(raw))

    def assess_answers(self, answers: Answers) -> Report:
        """The report for answers that are already validated."""
        given = given_answers(answers)
        facts = derive_facts(answers, given)
        return self._builder.build(given, facts, self.evaluator.evaluate(facts))


_shared: dict[Path | None, Assessor] = {}
_shared_lock = threading.Lock()


def default_assessor(rules_dir: Path | None = None) -> Assessor:
    """The shared Assessor for the shipped rules (or another rules folder), created on first use."""
    with _shared_lock:
        if rules_dir not in _shared:
            _shared[rules_dir] = Assessor(load_ruleset(rules_dir) if rules_dir else None)
        return _shared[rules_dir]


def assess(raw: object) -> Report:
    """The report for one raw answer set, with the shipped rules."""
    return default_assessor().assess(raw)
