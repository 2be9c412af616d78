"""The report as JSON-ready data (a dict per docs/report.md), built from what the rules concluded."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from factorcheck.answers.derived import DERIVED, DERIVED_BY_NAME, Facts
from factorcheck.answers.questionnaire import ITEMS
from factorcheck.engine.evaluation import RULE_PREFIX, Evaluation
from factorcheck.report.decisions import NO_MECHANISM, NO_PAIN, Decider, Decisions, condition_notes, said
from factorcheck.report.schema import Finding, Reason, Report, Triage
from factorcheck.rules.ruleset import Rule, Ruleset
from factorcheck.version import __version__


class ReportBuilder:
    """Builds reports for one rule set; the per-rule parts that never change are made once."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        order = [item.id for item in ITEMS] + [d.name for d in DERIVED]
        order += [RULE_PREFIX + rule.id for rule in ruleset.rules]
        self._basis_order = {basis: index for index, basis in enumerate(order)}
        self._notes = {rule.id: condition_notes(rule.when) for rule in ruleset.rules}
        self._decider = Decider(ruleset)
        messages = ruleset.messages
        self._notices = {NO_PAIN: (messages.no_pain,), NO_MECHANISM: (messages.no_mechanism,), "": ()}

    def build(self, given: Mapping[str, Any], facts: Facts, fired: Evaluation) -> Report:
        """The report for one validated answer set and the rules that fired on it."""
        fired = said(fired, facts)
        decided = self._decider.decide(given, fired)
        by_id = self.ruleset.by_id
        mechanisms = []
        for rule_id in decided.mechanisms:
            finding = self._finding(by_id[rule_id], facts, fired)
            finding["approaches"] = list(decided.approaches_of[rule_id])
            mechanisms.append(finding)
        return {
            "tool": {"name": "factorcheck", "version": __version__},
            "ruleset": {
                "version": self.ruleset.version,
                "digest": self.ruleset.digest,
                "review_state": self.ruleset.review_state,
            },
            "answers": dict(given),
            "triage": self._triage_section(decided, facts, fired),
            "notices": list(self._notices[decided.notice]),
            "mechanisms": mechanisms,
            "factors": [self._finding(by_id[rule_id], facts, fired) for rule_id in decided.factors],
            "approaches": [self._finding(by_id[rule_id], facts, fired) for rule_id in decided.approaches],
            "consult": decided.level.consult,
        }

    def _triage_section(self, decided: Decisions, facts: Facts, fired: Evaluation) -> Triage:
        reasons: list[Reason] = []
        for rule_id in decided.reasons:
            rule = self.ruleset.by_id[rule_id]
            assert rule.level is not None
            title, explanation = rule.wording_for(fired[rule_id])
            reasons.append(
                {
                    "id": rule.id,
                    "level": rule.level,
                    "title": title,
                    "explanation": explanation,
                    "because": self._because(rule, facts, fired),
                    "evidence": rule.evidence_for(fired[rule_id]),
                }
            )
        level, unanswered = decided.level, decided.unanswered_safety_items
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
        # Wording and evidence fit the branches that held (rules/README.md).
        title, explanation = rule.wording_for(fired[rule.id])
        return {
            "id": rule.id,
            "title": title,
            "explanation": explanation,
            "because": self._because(rule, facts, fired),
            "source": rule.source,
            "evidence": rule.evidence_for(fired[rule.id]),
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
