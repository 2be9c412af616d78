"""Assessing answer sets: validation, derived values, the rules engine and the report, in one call."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path

from factorcheck.answers.derived import facts_from_given
from factorcheck.answers.validate import given_answers, parse_answers
from factorcheck.answers.validate_fast import quick_given
from factorcheck.engine.durable import DurableEngine
from factorcheck.engine.evaluation import Evaluator
from factorcheck.engine.loading import load_ruleset
from factorcheck.engine.safety_floor import hold_to_floor
from factorcheck.report.build import ReportBuilder
from factorcheck.report.build_fast import ReportWriter
from factorcheck.report.decisions import Decisions
from factorcheck.report.schema import Report
from factorcheck.rules.ruleset import Rule, Ruleset


class Assessor:
    """Turns answer sets into reports with one loaded rule set; safe to share between threads."""

    def __init__(
        self,
        ruleset: Ruleset | None = None,
        evaluator: Evaluator | None = None,
        *,
        allow_below_floor: bool = False,
    ) -> None:
        """`ruleset` defaults to the shipped rules. One not yet held to the safety floor (loaded
        by the rules stage alone) is held to it here: SafetyFloorError names each warning sign
        below its floor, unless `allow_below_floor` (then every report says so)."""
        if ruleset is None:
            ruleset = load_ruleset()
        elif ruleset.below_safety_floor is None:
            ruleset = hold_to_floor(ruleset, None, allow_below_floor)
        self.ruleset = ruleset
        self.evaluator = evaluator or DurableEngine(self.ruleset)
        self._builder = ReportBuilder(self.ruleset)
        self._writer = ReportWriter(self.ruleset)

    def assess(self, raw: object) -> Report:
        """The report for a raw answer set (a decoded JSON object); raises InvalidAnswersError."""
        given = _given(raw)
        facts = facts_from_given(given)
        return self._builder.build(given, facts, self.evaluator.evaluate(facts))

    def assess_to_json(self, raw: object) -> bytes:
        """`orjson.dumps(self.assess(raw))` (the report as compact UTF-8 JSON), several times faster."""
        given = _given(raw)
        facts = facts_from_given(given)
        return self._writer.dumps(given, facts, self.evaluator.evaluate(facts))

    def assess_to_json_decided(self, raw: object, handed_over: bool = False) -> tuple[bytes, Decisions]:
        """`assess_to_json(raw)`, and the report's decisions (level, screen, findings) with it.
        `handed_over`: the caller changes `raw` no more (see quick_given), so it need not be copied."""
        given = _given(raw, handed_over)
        facts = facts_from_given(given)
        return self._writer.dumps_decided(given, facts, self.evaluator.evaluate(facts))

    def triage_so_far(self, answers: Mapping[str, object]) -> list[Rule]:
        """The triage rules that hold on answers given so far (each valid, the set perhaps not yet
        complete), derived values included, in rule-set order: what a questionnaire tells at once."""
        fired = self.evaluator.evaluate(facts_from_given(answers))
        return [rule for rule in self.ruleset.of_kind("triage") if rule.id in fired]


def _given(raw: object, handed_over: bool = False) -> dict[str, object]:
    # Most answer sets are plainly valid; the full validator runs only when in doubt.
    given = quick_given(raw, handed_over)
    return given if given is not None else given_answers(parse_answers(raw))


_shared: dict[tuple[Path | None, bool], Assessor] = {}
_shared_lock = threading.Lock()


def default_assessor(rules_dir: Path | None = None, *, allow_below_floor: bool = False) -> Assessor:
    """The shared Assessor for the shipped rules (or another rules folder), created on first use;
    a rules folder below the safety floor raises SafetyFloorError unless `allow_below_floor`."""
    key = (rules_dir, allow_below_floor)
    with _shared_lock:
        if key not in _shared:
            _shared[key] = Assessor(load_ruleset(rules_dir, allow_below_floor=allow_below_floor))
        return _shared[key]


def assess(raw: object) -> Report:
    """The report for one raw answer set, with the shipped rules."""
    return default_assessor().assess(raw)
