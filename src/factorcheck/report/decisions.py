"""What a report says, decided once from the fired rules: level, reasons, findings, screen, notice.

Both serialisers of a report, the dict of report/build.py and the JSON bytes of
report/build_fast.py, write these decisions; neither decides anything of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from factorcheck.answers.derived import Facts
from factorcheck.answers.questionnaire import SAFETY_ITEMS
from factorcheck.engine.evaluation import RULE_PREFIX, Basis, Evaluation
from factorcheck.rules.ruleset import AllOf, AnyOf, Compare, Condition, Fired, Ruleset, TriageLevel

# Which of the rule set's messages the report's "notices" hold: none, or one of these.
NO_PAIN, NO_MECHANISM = "no_pain", "no_mechanism"


@dataclass
class Decisions:
    """The decisions of one report; every list in rule-set order."""

    level: TriageLevel
    # The fired rules by kind, as rule ids.
    reasons: list[str]
    mechanisms: list[str]
    factors: list[str]
    approaches: list[str]
    # For each fired mechanism, the fired approaches that hold on it.
    approaches_of: dict[str, tuple[str, ...]]
    # Safety items that were asked (always, or as an enabled follow-up) but not answered.
    unanswered_safety_items: list[str]
    notice: str


class Decider:
    """Makes the decisions of reports for one rule set; what depends only on the rules is made once."""

    def __init__(self, ruleset: Ruleset) -> None:
        levels = {level.id: level for level in ruleset.levels}
        self._routine = ruleset.level("routine")
        # Per rule: its place in the rule set, its kind, and the level it raises the triage to
        # (routine, the lowest, for a rule that names none).
        self._rules = {
            rule.id: (index, rule.kind, levels[rule.level] if rule.level else self._routine)
            for index, rule in enumerate(ruleset.rules)
        }
        # A mechanism as an approach's condition names it, among the bases the approach fired on.
        self._as_basis = {rule.id: RULE_PREFIX + rule.id for rule in ruleset.of_kind("mechanism")}
        # Each safety item with what enables it (nothing for most).
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

    def decide(self, given: Mapping[str, object], fired: Evaluation) -> Decisions:
        """The decisions for one validated answer set and the rules that fired on it."""
        rules = self._rules
        order = list(fired)
        last = -1
        for rule_id in order:
            index = rules[rule_id][0]
            if index < last:  # not in rule-set order, which the report lists follow
                order.sort(key=lambda found: rules[found][0])
                break
            last = index
        by_kind: dict[str, list[str]] = {"triage": [], "mechanism": [], "factor": [], "approach": []}
        level = self._routine
        for rule_id in order:
            _, kind, raises_to = rules[rule_id]
            by_kind[kind].append(rule_id)
            if raises_to.rank > level.rank:
                level = raises_to
        mechanisms = by_kind["mechanism"]
        approaches = by_kind["approach"]
        as_basis = self._as_basis
        approaches_of = {
            mechanism: tuple([a for a in approaches if as_basis[mechanism] in fired[a]])
            for mechanism in mechanisms
        }
        if not (given.get("heel_pain") or given.get("knee_pain")):
            notice = NO_PAIN
        elif not mechanisms:
            notice = NO_MECHANISM
        else:
            notice = ""
        return Decisions(
            level=level,
            reasons=by_kind["triage"],
            mechanisms=mechanisms,
            factors=by_kind["factor"],
            approaches=approaches,
            approaches_of=approaches_of,
            unanswered_safety_items=self._unanswered(given),
            notice=notice,
        )

    def _unanswered(self, given: Mapping[str, object]) -> list[str]:
        follow_ups = self._follow_up_safety
        if follow_ups is not None and given.keys() >= self._asked_always:
            return [
                name for name, item, values in follow_ups if name not in given and given.get(item) in values
            ]
        return [
            name
            for name, conditions in self._safety_items
            if name not in given and all(given.get(item) in values for item, values in conditions)
        ]


def said(fired: Evaluation, facts: Facts) -> Evaluation:
    """The fired rules with only what the person said in their bases: a derived value that no
    answer gave (inflammatory_diagnosed while inflammatory_diagnosis was left out) still decides,
    but a report's "because" does not list it as if it had been answered."""
    unsaid = [name for name, sources in facts.sources.items() if not sources]
    if not unsaid:
        return fired
    dropped = frozenset(unsaid)
    return {
        rule_id: bases if dropped.isdisjoint(bases) else bases - dropped for rule_id, bases in fired.items()
    }


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
