"""The report as JSON-ready data (a dict per docs/report.md), built from what the rules concluded."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from factorcheck.answers.derived import DERIVED, DERIVED_BY_NAME, Facts
from factorcheck.answers.questionnaire import ITEMS, SAFETY_ITEMS
from factorcheck.answers.validate import enabled_items
from factorcheck.engine.evaluation import RULE_PREFIX, Basis, Evaluation
from factorcheck.report.schema import Finding, Reason, Report, Triage
from factorcheck.rules.ruleset import AllOf, AnyOf, Compare, Condition, Fired, Rule, Ruleset
from factorcheck.version import __version__


def condition_notes(condition: Condition) -> dict[Basis, str]:
    """The note of each comparison or rule reference in a condition that has one, by basis."""
    if isinstance(condition, Compare) and condition.note:
        return {condition.name: condition.note}
    if isinstance(condition, Fired) and condition.note:
        return {RULE_PREFIX + condition.rule: condition.note}
    if isinstance(condition, AllOf | AnyOf):
        found: dict[Basis, str] = {}
        for part in condition.parts:
            found.update(condition_notes(part))
        return found
    return {}


class ReportBuilder:
    """Builds reports for one rule set; the per-rule parts that never change are made once."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        order = [item.id for item in ITEMS] + [d.name for d in DERIVED]
        order += [RULE_PREFIX + rule.id for rule in ruleset.rules]
        self._basis_order = {basis: index for index, basis in enumerate(order)}
        self._notes = {rule.id: condition_notes(rule.when) for rule in ruleset.rules}
        self._triage = ruleset.of_kind("triage")
        self._mechanisms = ruleset.of_kind("mechanism")
        self._factors = ruleset.of_kind("factor")
        self._approaches = ruleset.of_kind("approach")

    def build(self, given: Mapping[str, Any], facts: Facts, fired: Evaluation) -> Report:
        """The report for one validated answer set and the rules that fired on it."""
        messages = self.ruleset.messages
        approaches = [self._finding(rule, facts, fired) for rule in self._approaches if rule.id in fired]
        mechanisms = []
        for rule in self._mechanisms:
            if rule.id in fired:
                finding = self._finding(rule, facts, fired)
                finding["approaches"] = [
                    approach.id
                    for approach in self._approaches
                    if RULE_PREFIX + rule.id in fired.get(approach.id, ())
                ]
                mechanisms.append(finding)
        notices: list[str] = []
        if not (given.get("heel_pain") or given.get("knee_pain")):
            notices.append(messages.no_pain)
        elif not mechanisms:
            notices.append(messages.no_mechanism)
        return {
            "tool": {"name": "factorcheck", "version": __version__},
            "ruleset": {"version": self.ruleset.version, "digest": self.ruleset.digest},
            "answers": dict(given),
            "triage": self._triage_section(given, facts, fired),
            "notices": notices,
            "mechanisms": mechanisms,
            "factors": [self._finding(rule, facts, fired) for rule in self._factors if rule.id in fired],
            "approaches": approaches,
            "consult": messages.consult,
        }

    def _triage_section(self, given: Mapping[str, Any], facts: Facts, fired: Evaluation) -> Triage:
        reasons: list[Reason] = []
        for rule in self._triage:
            if rule.id in fired:
                assert rule.level is not None
                reasons.append(
                    {
                        "id": rule.id,
                        "level": rule.level,
                        "title": rule.title,
                        "explanation": rule.explanation,
                        "because": self._because(rule, facts, fired),
                        "evidence": list(rule.evidence),
                    }
                )
        level = min(
            (self.ruleset.level(reason["level"]) for reason in reasons),
            key=lambda found: -found.rank,
            default=self.ruleset.level("routine"),
        )
        asked = {item.id for item in enabled_items(given)}
        unanswered = [item.id for item in SAFETY_ITEMS if item.id in asked and item.id not in given]
        messages = self.ruleset.messages
        return {
            "level": level.id,
            "title": level.title,
            "action": level.action,
            "reasons": reasons,
            "screen_complete": not unanswered,
            "unanswered_safety_items": unanswered,
            "screen_note": messages.screen_incomplete if unanswered else messages.screen_complete,
        }

    def _finding(self, rule: Rule, facts: Facts, fired: Evaluation) -> Finding:
        return {
            "id": rule.id,
            "title": rule.title,
            "explanation": rule.explanation,
            "because": self._because(rule, facts, fired),
            "source": rule.source,
            "evidence": list(rule.evidence),
        }

    def _because(self, rule: Rule, facts: Facts, fired: Evaluation) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = []
        notes = self._notes[rule.id]
        for basis in sorted(fired[rule.id], key=self._basis_order.__getitem__):
            entry: dict[str, Any]
            if basis.startswith(RULE_PREFIX):
                entry = {"rule": basis.removeprefix(RULE_PREFIX)}
            elif basis in DERIVED_BY_NAME:
                entry = {"item": basis, "value": facts.values[basis], "from": list(facts.sources[basis])}
            else:
                entry = {"item": basis, "answer": facts.values[basis]}
            if basis in notes:
                entry["note"] = notes[basis]
            entries.append(entry)
        return entries
