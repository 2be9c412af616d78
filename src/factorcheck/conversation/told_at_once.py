"""What the person is told between prompts as soon as the answers call for it: urgent signs, under 18."""

from __future__ import annotations

from collections.abc import Mapping

from factorcheck.assessment import Assessor
from factorcheck.conversation.prompts import Notice, NoticeKind
from factorcheck.rules.ruleset import Rule

# Levels told the moment the answers so far reach them; lower levels are told in the report.
TOLD_AT_ONCE = ("emergency", "urgent")
# The triage rule for people under 18, told right after the age (the tool is written for adults).
UNDER_18_RULE = "under_18"
# Said with advice given on ticks not yet confirmed, and when a sign told at once is taken back.
PROVISIONAL = (
    " You ticked this on the list: the next questions ask you to confirm each sign. If you take one "
    "back, you will be told whether this advice still applies."
)
STILL_APPLIES = "Other answers you gave still need care, as said again below."


class ToldAtOnce:
    """Remembers what the person has been told, so that the same answers do not tell them twice."""

    def __init__(self, assessor: Assessor) -> None:
        self._assessor = assessor
        # Triage rules already told at once, so that the same answers do not warn twice.
        self._told: frozenset[str] = frozenset()
        self._told_under_18 = False

    def advice_now(self, answers: Mapping[str, object]) -> tuple[Notice, ...]:
        """What to do now if the answers so far reach an urgent or emergency sign: shown again on a stop."""
        return self._level_notice(self._reached(answers), wait=False)

    def _reached(self, answers: Mapping[str, object]) -> list[Rule]:
        return [rule for rule in self._assessor.triage_so_far(answers) if rule.level in TOLD_AT_ONCE]

    def _level_notice(self, reached: list[Rule], wait: bool, provisional: bool = False) -> tuple[Notice, ...]:
        if not reached:
            return ()
        # Levels are listed highest first: the notice is for the highest one reached.
        reached_levels = {rule.level for rule in reached}
        level = next(level for level in self._assessor.ruleset.levels if level.id in reached_levels)
        highest = level.id
        kind: NoticeKind = "emergency" if highest == "emergency" else "urgent"
        text = level.action + (PROVISIONAL if provisional else "")
        return (Notice(kind, level.title, text, tuple(rule.title for rule in reached), wait=wait),)

    def newly_reached(self, answers: Mapping[str, object], provisional: bool = False) -> tuple[Notice, ...]:
        """A notice when the answers so far newly reach an urgent or emergency triage rule (said to be
        provisional while ticks wait for confirmation), or when a sign told earlier was taken back
        (its advice no longer applies)."""
        reached = self._reached(answers)
        ids = frozenset(rule.id for rule in reached)
        new = ids - self._told
        withdrawn = self._told - ids
        # Forget signs that were taken back, so that giving them again warns again.
        self._told = ids
        if new:
            return self._level_notice(reached, wait=True, provisional=provisional)
        if not withdrawn:
            return ()
        by_id = self._assessor.ruleset.by_id
        still = f" {STILL_APPLIES}" if reached else ""
        return (
            Notice(
                "info",
                "The earlier advice no longer applies",
                f"You took back the answer that led to it.{still}",
                lines=tuple(by_id[rule_id].title for rule_id in sorted(withdrawn)),
            ),
            *self._level_notice(reached, wait=False),
        )

    def under_18(self, answers: Mapping[str, object]) -> tuple[Notice, ...]:
        """Right after an age under 18: the tool is written for adults (the rule's own words)."""
        rule = self._assessor.ruleset.by_id.get(UNDER_18_RULE)
        if rule is None:
            return ()
        holds = any(r.id == UNDER_18_RULE for r in self._assessor.triage_so_far(answers))
        told, self._told_under_18 = self._told_under_18, holds
        if not holds or told:
            return ()
        return (
            Notice(
                "info",
                "You are under 18.",
                f"{rule.explanation} Please see a doctor about your pain. You may go on with the "
                "questions; the report will say this again.",
            ),
        )
