"""A report's JSON text assembled from fragments made once per rule: json.dumps of the report, fast.

`ReportWriter.dumps(given, facts, fired)` returns exactly `json.dumps(report, ensure_ascii=False)`
of the report `ReportBuilder.build` makes from the same arguments (the tests hold it to that,
byte for byte). Serialising a report with json.dumps costs more than assessing it, because most
of a report is fixed text (titles, explanations, evidence); here that text is serialised once.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from factorcheck import __version__
from factorcheck.derived import DERIVED_BY_NAME, Facts
from factorcheck.evaluation import RULE_PREFIX, Basis, Evaluation
from factorcheck.questionnaire import ITEMS, SAFETY_ITEMS
from factorcheck.report import condition_notes
from factorcheck.ruleset import AllOf, AnyOf, Compare, Condition, Kind, Rule, Ruleset

_HOLE = "\x00because\x00"
_SEPARATOR = ", "


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _around_because(shape: Mapping[str, Any]) -> tuple[str, str]:
    """The JSON text of an object before and after the value of its "because" key."""
    head, tail = _dumps({**shape, "because": _HOLE}).split(_dumps(_HOLE))
    return head, tail


class _Values:
    """JSON text of answer and derived values; texts and lists of texts are made once."""

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}
        self._lists: dict[tuple[str, ...], str] = {}

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
        if type(value) is list and all(type(entry) is str for entry in value):
            key = tuple(value)
            text = self._lists.get(key)
            if text is None:
                text = _dumps(value)
                if len(self._lists) < 4096:
                    self._lists[key] = text
            return text
        return _dumps(value)


def fixed_answers(condition: Condition) -> dict[str, object]:
    """The items a condition compares only for equality with one text or true/false value.

    When such an item is among the bases a rule fired on, its answer can only be that value, so
    the rule's "because" text is the same every time and is made once.
    """
    tests: dict[str, set[tuple[str, object]]] = {}

    def walk(part: Condition) -> None:
        if isinstance(part, Compare):
            tests.setdefault(part.name, set()).add((part.op, part.value))
        elif isinstance(part, AllOf | AnyOf):
            for inner in part.parts:
                walk(inner)

    walk(condition)
    fixed: dict[str, object] = {}
    for name, found in tests.items():
        if len(found) == 1 and name not in DERIVED_BY_NAME:
            ((op, value),) = found
            if op == "eq" and isinstance(value, bool | str):
                fixed[name] = value
    return fixed


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
        self._fixed = {rule.id: fixed_answers(rule.when) for rule in ruleset.rules}
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
        # Per rule: its place in the rule set, its kind and level, and its text around "because".
        self._rules = {rule.id: (index, rule.kind, rule.level) for index, rule in enumerate(ruleset.rules)}
        self._texts: dict[str, tuple[str, str]] = {}
        for rule in ruleset.rules:
            head, tail = self._reason_text(rule) if rule.kind == "triage" else self._finding_text(rule)
            self._texts[rule.id] = (head, tail if rule.kind == "mechanism" else tail + "}")
        self._findings_made: dict[tuple[str, frozenset[Basis]], str] = {}
        self._approach_ids = [rule.id for rule in ruleset.of_kind("approach")]
        # Each safety item with what enables it (nothing for most): unanswered and enabled ones
        # make the screen incomplete.
        self._safety_items = [
            (item.id, tuple((c.item, c.values) for c in item.enabled_when)) for item in SAFETY_ITEMS
        ]
        # The common case, every always-asked one answered: only the follow-ups are left to look
        # at (a shortcut taken while each has one condition, as in the questionnaire).
        self._asked_always = frozenset(item.id for item in SAFETY_ITEMS if not item.enabled_when)
        follow_ups = [(item.id, item.enabled_when) for item in SAFETY_ITEMS if item.enabled_when]
        self._follow_up_safety = (
            [(name, c[0].item, c[0].values) for name, c in follow_ups]
            if all(len(conditions) == 1 for _, conditions in follow_ups)
            else None
        )

    def _reason_text(self, rule: Rule) -> tuple[str, str]:
        head, tail = _around_because(
            {
                "id": rule.id,
                "level": rule.level,
                "title": rule.title,
                "explanation": rule.explanation,
                "because": None,
                "evidence": list(rule.evidence),
            }
        )
        return head, tail[:-1]

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
        return head, tail[:-1]

    def dumps(self, given: Mapping[str, Any], facts: Facts, fired: Evaluation) -> str:
        """The JSON text of the report for one validated answer set and the rules that fired."""
        sections: dict[Kind, list[str]] = {"triage": [], "mechanism": [], "factor": [], "approach": []}
        rank, opening = self._levels["routine"]
        last = -1
        for rule_id in fired:
            index, kind, level = self._rules[rule_id]
            if index < last:  # not in rule-set order, which the report lists follow
                return self._dumps_in_order(given, facts, fired)
            last = index
            text = self._finding(rule_id, facts, fired)
            if kind == "mechanism":
                basis = RULE_PREFIX + rule_id
                text += self._list_text(tuple(a for a in self._approach_ids if basis in fired.get(a, ())))
            elif kind == "triage":
                assert level is not None
                if self._levels[level][0] > rank:
                    rank, opening = self._levels[level]
            sections[kind].append(text)
        if not (given.get("heel_pain") or given.get("knee_pain")):
            notice = "no_pain"
        elif not sections["mechanism"]:
            notice = "no_mechanism"
        else:
            notice = ""
        follow_ups = self._follow_up_safety
        if follow_ups is not None and given.keys() >= self._asked_always:
            unanswered = [
                name for name, item, values in follow_ups if name not in given and given.get(item) in values
            ]
        else:
            unanswered = [
                name
                for name, conditions in self._safety_items
                if name not in given and all(given.get(item) in values for item, values in conditions)
            ]
        parts = [
            self._prefix,
            self._answers(given),
            "}, ",
            opening,
            _SEPARATOR.join(sections["triage"]),
            "], ",
        ]
        if unanswered:
            parts += [
                '"screen_complete": false, "unanswered_safety_items": ',
                self._values.dumps(unanswered),
                ", ",
            ]
        parts += [self._screen[not unanswered], ", "]
        parts += [
            '"notices": ',
            self._notice[notice],
            ', "mechanisms": [',
            _SEPARATOR.join(sections["mechanism"]),
        ]
        parts += ['], "factors": [', _SEPARATOR.join(sections["factor"])]
        parts += ['], "approaches": [', _SEPARATOR.join(sections["approach"]), "]", self._suffix]
        return "".join(parts)

    def _dumps_in_order(self, given: Mapping[str, Any], facts: Facts, fired: Evaluation) -> str:
        ordered = sorted(fired, key=lambda rule_id: self._rules[rule_id][0])
        return self.dumps(given, facts, {rule_id: fired[rule_id] for rule_id in ordered})

    def _finding(self, rule_id: str, facts: Facts, fired: Evaluation) -> str:
        """A fired rule's object, without the closing brace for a mechanism (which adds its
        approaches); made once for each set of bases when it holds no answer-dependent value."""
        key = (rule_id, fired[rule_id])
        text = self._findings_made.get(key)
        if text is None:
            head, tail = self._texts[rule_id]
            because = self._because(rule_id, facts, fired)
            text = head + because + tail
            if key in self._plans and isinstance(self._plans[key], str) and len(self._findings_made) < 4096:
                self._findings_made[key] = text
        return text

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
            kind = "value" if basis in DERIVED_BY_NAME else "answer"
            start = '{"item": ' + _dumps(basis) + f', "{kind}": '
            if basis.startswith(RULE_PREFIX):
                plan.append((_dumps({"rule": basis.removeprefix(RULE_PREFIX)})[:-1] + end, basis, "", ""))
            elif basis in self._fixed[rule_id]:
                plan.append((start + _dumps(self._fixed[rule_id][basis]) + end, basis, "", ""))
            else:
                plan.append(("", basis, start, end))
        if all(fixed for fixed, _, _, _ in plan):
            return "[" + _SEPARATOR.join(fixed for fixed, _, _, _ in plan) + "]"
        return tuple(plan)
