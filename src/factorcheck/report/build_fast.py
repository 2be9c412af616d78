"""The fast twin of report/build.py: a report's JSON assembled from fragments made once per rule.

`ReportWriter.dumps(given, facts, fired)` returns exactly `orjson.dumps(report)` (compact UTF-8
JSON) of the report that its slow twin `ReportBuilder.build` makes from the same arguments;
tests/test_fast_path.py holds the two byte-equal on every example and on generated answer sets.
Both write the same decisions (report/decisions.py). Building a report and serialising it costs
more than assessing it, because most of a report is fixed text (titles, explanations, evidence);
here that text is serialised once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import orjson

from factorcheck.answers.derived import DERIVED_BY_NAME, Facts
from factorcheck.answers.questionnaire import ITEMS
from factorcheck.engine.evaluation import RULE_PREFIX, Basis, Evaluation
from factorcheck.report.decisions import NO_MECHANISM, NO_PAIN, Decider, Decisions, condition_notes, said
from factorcheck.report.schema import ruleset_identity
from factorcheck.rules.ruleset import AllOf, AnyOf, Compare, Condition, Rule, Ruleset
from factorcheck.version import __version__

_HOLE: Final = "\x00because\x00"
# Each cache keyed by rule and set of bases (texts, plans, findings) keeps at most this many
# entries, so a long batch's memory stays bounded however varied its records; beyond it a text
# is made again each time (the same bytes, more slowly).
CACHE_LIMIT = 4096
_SEPARATOR: Final = b","
_dumps: Final = orjson.dumps
# How to write one entry of a "because": its whole text, or the text around its value.
_Plan = bytes | tuple[tuple[bytes, Basis, bytes, bytes], ...]


def _around_because(shape: Mapping[str, Any]) -> tuple[bytes, bytes]:
    """The JSON text of an object before and after the value of its "because" key."""
    head, tail = _dumps({**shape, "because": _HOLE}).split(_dumps(_HOLE))
    return head, tail


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
        order = [item.id for item in ITEMS] + list(DERIVED_BY_NAME)
        order += [RULE_PREFIX + rule.id for rule in ruleset.rules]
        self._basis_order = {basis: index for index, basis in enumerate(order)}
        self._plans: dict[tuple[str, frozenset[Basis]], _Plan] = {}
        # Made on first use; bounded by the rules and items, so they stay small.
        self._from_texts: dict[tuple[str, ...], bytes] = {}
        self._list_texts: dict[tuple[str, ...], bytes] = {}
        self._notes = {rule.id: condition_notes(rule.when) for rule in ruleset.rules}
        self._fixed = {rule.id: fixed_answers(rule.when) for rule in ruleset.rules}
        messages = ruleset.messages
        self._prefix = (
            b'{"tool":'
            + _dumps({"name": "factorcheck", "version": __version__})
            + b',"ruleset":'
            + _dumps(ruleset_identity(ruleset))
            + b',"answers":'
        )
        self._notice = {
            NO_PAIN: _dumps([messages.no_pain]),
            NO_MECHANISM: _dumps([messages.no_mechanism]),
            "": b"[]",
        }
        self._suffix = {level.id: b',"consult":' + _dumps(level.consult) + b"}" for level in ruleset.levels}
        self._levels = {
            level.id: b',"triage":{"level":'
            + _dumps(level.id)
            + b',"title":'
            + _dumps(level.title)
            + b',"action":'
            + _dumps(level.action)
            + b',"reasons":['
            for level in ruleset.levels
        }
        self._screen = {
            True: b'"screen_complete":true,"unanswered_safety_items":[],"screen_note":'
            + _dumps(messages.screen_complete)
            + b"}",
            False: b'"screen_note":' + _dumps(messages.screen_incomplete) + b"}",
        }
        # Per rule and set of bases: its text around "because" (wording and evidence follow the
        # branches that held); the same for every set of bases for most rules.
        self._rules = ruleset.by_id
        self._texts: dict[tuple[str, frozenset[Basis]], tuple[bytes, bytes]] = {}
        self._varies = {rule.id for rule in ruleset.rules if rule.evidence_branches or rule.wordings}
        self._findings_made: dict[tuple[str, frozenset[Basis]], bytes] = {}
        self._decider = Decider(ruleset)

    def _text(self, rule_id: str, bases: frozenset[Basis]) -> tuple[bytes, bytes]:
        key = (rule_id, bases if rule_id in self._varies else frozenset())
        found = self._texts.get(key)
        if found is None:
            rule = self._rules[rule_id]
            head, tail = (
                self._reason_text(rule, bases) if rule.kind == "triage" else self._finding_text(rule, bases)
            )
            found = (head, tail if rule.kind == "mechanism" else tail + b"}")
            if len(self._texts) < CACHE_LIMIT:
                self._texts[key] = found
        return found

    def _reason_text(self, rule: Rule, bases: frozenset[Basis]) -> tuple[bytes, bytes]:
        title, explanation = rule.wording_for(bases)
        head, tail = _around_because(
            {
                "id": rule.id,
                "level": rule.level,
                "title": title,
                "explanation": explanation,
                "because": None,
                "evidence": rule.evidence_for(bases),
            }
        )
        return head, tail[:-1]

    def _finding_text(self, rule: Rule, bases: frozenset[Basis]) -> tuple[bytes, bytes]:
        title, explanation = rule.wording_for(bases)
        head, tail = _around_because(
            {
                "id": rule.id,
                "title": title,
                "explanation": explanation,
                "because": None,
                "source": rule.source,
                "evidence": rule.evidence_for(bases),
            }
        )
        return head, tail[:-1]

    def dumps(self, given: Mapping[str, Any], facts: Facts, fired: Evaluation) -> bytes:
        """The JSON of the report for one validated answer set and the rules that fired."""
        return self.dumps_decided(given, facts, fired)[0]

    def dumps_decided(
        self, given: Mapping[str, Any], facts: Facts, fired: Evaluation
    ) -> tuple[bytes, Decisions]:
        """The JSON of the report, and the decisions it writes (for a run's summary)."""
        fired = said(fired, facts)
        decided = self._decider.decide(given, fired)
        finding = self._finding
        mechanisms = [
            finding(rule_id, facts, fired) + self._list_text(decided.approaches_of[rule_id])
            for rule_id in decided.mechanisms
        ]
        unanswered = decided.unanswered_safety_items
        parts = [
            self._prefix,
            # The answers are given in questionnaire order, as the report lists them.
            _dumps(given),
            self._levels[decided.level.id],
            _SEPARATOR.join([finding(rule_id, facts, fired) for rule_id in decided.reasons]),
            b"],",
        ]
        if unanswered:
            parts += [b'"screen_complete":false,"unanswered_safety_items":', _dumps(unanswered), b","]
        parts += [
            self._screen[not unanswered],
            b',"notices":',
            self._notice[decided.notice],
            b',"mechanisms":[',
            _SEPARATOR.join(mechanisms),
            b'],"factors":[',
            _SEPARATOR.join([finding(rule_id, facts, fired) for rule_id in decided.factors]),
            b'],"approaches":[',
            _SEPARATOR.join([finding(rule_id, facts, fired) for rule_id in decided.approaches]),
            b"]",
            self._suffix[decided.level.id],
        ]
        return b"".join(parts), decided

    def _finding(self, rule_id: str, facts: Facts, fired: Evaluation) -> bytes:
        """A fired rule's object, without the closing brace for a mechanism (which adds its
        approaches); made once for each set of bases when it holds no answer-dependent value."""
        key = (rule_id, fired[rule_id])
        text = self._findings_made.get(key)
        if text is None:
            head, tail = self._text(rule_id, fired[rule_id])
            because = self._because(rule_id, facts, fired)
            text = head + because + tail
            if (
                key in self._plans
                and isinstance(self._plans[key], bytes)
                and len(self._findings_made) < CACHE_LIMIT
            ):
                self._findings_made[key] = text
        return text

    def _because(self, rule_id: str, facts: Facts, fired: Evaluation) -> bytes:
        bases = fired[rule_id]
        plan = self._plans.get((rule_id, bases))
        if plan is None:
            plan = self._plan(rule_id, bases)
            if len(self._plans) < CACHE_LIMIT:
                self._plans[rule_id, bases] = plan
        if isinstance(plan, bytes):
            return plan
        values, sources, dumps = facts.values, facts.sources, _dumps
        entries = []
        for fixed, basis, start, end in plan:
            if fixed:
                entries.append(fixed)
            elif basis in sources:
                entries.append(start + dumps(values[basis]) + b',"from":' + self._from(sources[basis]) + end)
            else:
                entries.append(start + dumps(values[basis]) + end)
        return b"[" + _SEPARATOR.join(entries) + b"]"

    def _list_text(self, approaches: tuple[str, ...]) -> bytes:
        text = self._list_texts.get(approaches)
        if text is None:
            text = self._list_texts[approaches] = b',"approaches":' + _dumps(list(approaches)) + b"}"
        return text

    def _from(self, sources: tuple[str, ...]) -> bytes:
        text = self._from_texts.get(sources)
        if text is None:
            text = self._from_texts[sources] = _dumps(list(sources))
        return text

    def _plan(self, rule_id: str, bases: frozenset[Basis]) -> _Plan:
        """How to write the "because" of a rule fired on these bases: the whole text when it holds
        no value, else per entry its fixed text, or the text around its value."""
        plan = []
        notes = self._notes[rule_id]
        for basis in sorted(bases, key=self._basis_order.__getitem__):
            note = notes.get(basis)
            end = (b',"note":' + _dumps(note) if note else b"") + b"}"
            kind = b"value" if basis in DERIVED_BY_NAME else b"answer"
            start = b'{"item":' + _dumps(basis) + b',"' + kind + b'":'
            if basis.startswith(RULE_PREFIX):
                plan.append((_dumps({"rule": basis.removeprefix(RULE_PREFIX)})[:-1] + end, basis, b"", b""))
            elif basis in self._fixed[rule_id]:
                plan.append((start + _dumps(self._fixed[rule_id][basis]) + end, basis, b"", b""))
            else:
                plan.append((b"", basis, start, end))
        if all(fixed for fixed, _, _, _ in plan):
            return b"[" + _SEPARATOR.join(fixed for fixed, _, _, _ in plan) + b"]"
        return tuple(plan)
