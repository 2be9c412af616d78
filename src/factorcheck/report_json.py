"""A report's JSON text assembled from fragments made once per rule: json.dumps of the report, fast.

`ReportWriter.dumps(given, facts, fired)` returns exactly `json.dumps(report, ensure_ascii=False)`
of the report `ReportBuilder.build` makes from the same arguments (the tests hold it to that,
byte for byte). Serialising a report with json.dumps costs more than assessing it, because most
of a report is fixed text (titles, explanations, evidence); here that text is serialised once.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from factorcheck import __version__
from factorcheck.derived import DERIVED_BY_NAME, Facts
from factorcheck.evaluation import RULE_PREFIX, Basis, Evaluation
from factorcheck.questionnaire import ITEMS, SAFETY_ITEMS
from factorcheck.report import condition_notes
from factorcheck.ruleset import Rule, Ruleset

_HOLE = "\x00because\x00"
_SEPARATOR = ", "


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _around_because(shape: Mapping[str, Any]) -> tuple[str, str]:
    """The JSON text of an object before and after the value of its "because" key."""
    head, tail = _dumps({**shape, "because": _HOLE}).split(_dumps(_HOLE))
    return head, tail


class _Values:
    """JSON text of answer and derived values; texts are made once."""

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}

    def dumps(self, value: object) -> str:
        if type(value) is str:
            text = self._texts.get(value)
            if text is None:
                text = _dumps(value)
                # Only values the questionnaire allows reach here; the bound guards odd callers.
                if len(self._texts) < 4096:
                    self._texts[value] = text
            return text
        if value is True:
            return "true"
        if value is False:
            return "false"
        if type(value) is int:
            return int.__repr__(value)
        if type(value) is float and math.isfinite(value):
            return float.__repr__(value)
        return _dumps(value)


class ReportWriter:
    """Writes the JSON text of reports for one rule set."""

    def __init__(self, ruleset: Ruleset) -> None:
        self._values = _Values()
        order = [item.id for item in ITEMS] + list(DERIVED_BY_NAME)
        order += [RULE_PREFIX + rule.id for rule in ruleset.rules]
        self._basis_order = {basis: index for index, basis in enumerate(order)}
        self._keys = {name: _dumps(name) + ": " for name in order}
        # Per item, the text of "item": value for each text or true/false value it takes.
        self._answer_fragments: dict[str, dict[object, str]] = {
            item.id: {
                value: self._keys[item.id] + _dumps(value)
                for value in ((True, False) if item.type == "boolean" else item.choices)
            }
            for item in ITEMS
        }
        self._plans: dict[tuple[str, frozenset[Basis]], str | tuple[tuple[str, Basis, str, str], ...]] = {}
        # Made on first use; bounded by the rules and items, so they stay small.
        self._from_texts: dict[tuple[str, ...], str] = {}
        self._list_texts: dict[tuple[str, ...], str] = {}
        self._notes = {rule.id: condition_notes(rule.when) for rule in ruleset.rules}
        messages = ruleset.messages
        self._prefix = (
            "{"
            + f'"tool": {_dumps({"name": "factorcheck", "version": __version__})}, '
            + f'"ruleset": {_dumps({"version": ruleset.version, "digest": ruleset.digest})}, '
            + '"answers": {'
        )
        self._notice = {
            "no_pain": _dumps([messages.no_pain]),
            "no_mechanism": _dumps([messages.no_mechanism]),
            "": "[]",
        }
        self._suffix = f', "consult": {_dumps(messages.consult)}}}'
        self._levels = {
            level.id: (
                level.rank,
                '"triage": {'
                + f'"level": {_dumps(level.id)}, "title": {_dumps(level.title)}, '
                + f'"action": {_dumps(level.action)}, "reasons": [',
            )
            for level in ruleset.levels
        }
        self._screen = {
            True: f'"screen_complete": true, "unanswered_safety_items": [], '
            f'"screen_note": {_dumps(messages.screen_complete)}}}',
            False: f'"screen_note": {_dumps(messages.screen_incomplete)}}}',
        }
        self._triage = [(rule.id, rule.level, *self._reason_text(rule)) for rule in ruleset.of_kind("triage")]
        self._mechanisms = [(rule.id, *self._finding_text(rule)) for rule in ruleset.of_kind("mechanism")]
        self._factors = [(rule.id, *self._finding_text(rule)) for rule in ruleset.of_kind("factor")]
        self._approaches = [(rule.id, *self._finding_text(rule)) for rule in ruleset.of_kind("approach")]
        self._approach_ids = [rule.id for rule in ruleset.of_kind("approach")]
        self._safety_follow_ups = {
            item.id: tuple((c.item, c.values) for c in item.enabled_when) for item in SAFETY_ITEMS
        }

    def _reason_text(self, rule: Rule) -> tuple[str, str]:
        return _around_because(
            {
                "id": rule.id,
                "level": rule.level,
                "title": rule.title,
                "explanation": rule.explanation,
                "because": None,
                "evidence": list(rule.evidence),
            }
        )

    def _finding_text(self, rule: Rule) -> tuple[str, str]:
        head, tail = _around_because(
            {
                "id": rule.id,
                "title": rule.title,
                "explanation": rule.explanation,
                "because": None,
                "source": rule.source,
                "evidence": list(rule.evidence),
            }
        )
        return head, tail[:-1]  # without the closing brace: a mechanism adds its approaches

    def dumps(self, given: Mapping[str, Any], facts: Facts, fired: Evaluation) -> str:
        """The JSON text of the report for one validated answer set and the rules that fired."""
        parts = [self._prefix, self._answers(given), "}, "]
        self._triage_section(parts, given, facts, fired)
        mechanisms: list[str] = []
        for rule_id, head, tail in self._mechanisms:
            if rule_id in fired:
                basis = RULE_PREFIX + rule_id
                approaches = tuple(a for a in self._approach_ids if basis in fired.get(a, ()))
                mechanisms.append(
                    head + self._because(rule_id, facts, fired) + tail + self._list_text(approaches)
                )
        if not (given.get("heel_pain") or given.get("knee_pain")):
            notice = "no_pain"
        elif not mechanisms:
            notice = "no_mechanism"
        else:
            notice = ""
        parts += ['"notices": ', self._notice[notice], ', "mechanisms": [', _SEPARATOR.join(mechanisms)]
        parts += ['], "factors": [', self._findings(self._factors, facts, fired)]
        parts += ['], "approaches": [', self._findings(self._approaches, facts, fired), "]", self._suffix]
        return "".join(parts)

    def _answers(self, given: Mapping[str, Any]) -> str:
        fragments, keys, dumps = self._answer_fragments, self._keys, self._values.dumps
        try:
            return _SEPARATOR.join(
                [
                    fragments[name][value]
                    if type(value) is str or type(value) is bool
                    else keys[name] + dumps(value)
                    for name, value in given.items()
                ]
            )
        except KeyError:  # a value the questionnaire does not allow: not from validated answers
            return _SEPARATOR.join([keys[name] + dumps(value) for name, value in given.items()])

    def _findings(self, rules: Sequence[tuple[str, str, str]], facts: Facts, fired: Evaluation) -> str:
        return _SEPARATOR.join(
            [
                head + self._because(rule_id, facts, fired) + tail + "}"
                for rule_id, head, tail in rules
                if rule_id in fired
            ]
        )

    def _triage_section(
        self, parts: list[str], given: Mapping[str, Any], facts: Facts, fired: Evaluation
    ) -> None:
        reasons: list[str] = []
        rank, opening = self._levels["routine"]
        for rule_id, level, head, tail in self._triage:
            if rule_id in fired:
                assert level is not None
                reasons.append(head + self._because(rule_id, facts, fired) + tail)
                if self._levels[level][0] > rank:
                    rank, opening = self._levels[level]
        unanswered = [
            name
            for name, conditions in self._safety_follow_ups.items()
            if name not in given and all(given.get(item) in values for item, values in conditions)
        ]
        parts += [opening, _SEPARATOR.join(reasons), "], "]
        if unanswered:
            parts += ['"screen_complete": false, "unanswered_safety_items": ', _dumps(unanswered), ", "]
        parts.append(self._screen[not unanswered])
        parts.append(", ")

    def _because(self, rule_id: str, facts: Facts, fired: Evaluation) -> str:
        bases = fired[rule_id]
        plan = self._plans.get((rule_id, bases))
        if plan is None:
            plan = self._plan(rule_id, bases)
            if len(self._plans) < 4096:
                self._plans[rule_id, bases] = plan
        if isinstance(plan, str):
            return plan
        values, sources, dumps = facts.values, facts.sources, self._values.dumps
        entries = []
        for fixed, basis, start, end in plan:
            if fixed:
                entries.append(fixed)
            elif basis in sources:
                entries.append(start + dumps(values[basis]) + ', "from": ' + self._from(sources[basis]) + end)
            else:
                entries.append(start + dumps(values[basis]) + end)
        return "[" + _SEPARATOR.join(entries) + "]"

    def _list_text(self, approaches: tuple[str, ...]) -> str:
        text = self._list_texts.get(approaches)
        if text is None:
            text = self._list_texts[approaches] = ', "approaches": ' + _dumps(list(approaches)) + "}"
        return text

    def _from(self, sources: tuple[str, ...]) -> str:
        text = self._from_texts.get(sources)
        if text is None:
            text = self._from_texts[sources] = _dumps(list(sources))
        return text

    def _plan(self, rule_id: str, bases: frozenset[Basis]) -> str | tuple[tuple[str, Basis, str, str], ...]:
        """How to write the "because" of a rule fired on these bases: the whole text when it holds
        no value, else per entry its fixed text, or the text around its value."""
        plan = []
        notes = self._notes[rule_id]
        for basis in sorted(bases, key=self._basis_order.__getitem__):
            note = notes.get(basis)
            end = (f', "note": {_dumps(note)}' if note else "") + "}"
            if basis.startswith(RULE_PREFIX):
                plan.append((_dumps({"rule": basis.removeprefix(RULE_PREFIX)})[:-1] + end, basis, "", ""))
            else:
                kind = "value" if basis in DERIVED_BY_NAME else "answer"
                plan.append(("", basis, '{"item": ' + _dumps(basis) + f', "{kind}": ', end))
        if all(fixed for fixed, _, _, _ in plan):
            return "[" + _SEPARATOR.join(fixed for fixed, _, _, _ in plan) + "]"
        return tuple(plan)
