"""The questionnaire as a conversation: which prompt is next, going back, changing answers, what changed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from factorcheck.answers.questionnaire import ITEMS, ITEMS_BY_ID, PAIRED_ITEMS
from factorcheck.answers.shown import quoted
from factorcheck.answers.validate import enabled_items, find_problems
from factorcheck.assessment import Assessor
from factorcheck.conversation.checklist_steps import (
    CHECKLIST_ITEMS,
    NONE_KEY,
    NONE_LABEL,
    ChecklistStep,
    ConfirmStep,
    unconfirmed_ticks,
)
from factorcheck.conversation.item_steps import ItemStep, ReviewStep, review_lines
from factorcheck.conversation.prompts import Back, Notice, Prompt, Reply, Skip, Typed
from factorcheck.conversation.steps import ORDER, REVIEW, Progress, Step, StepHandler, StepKind, Updates
from factorcheck.conversation.told_at_once import (
    PROVISIONAL,
    STILL_APPLIES,
    TOLD_AT_ONCE,
    UNDER_18_RULE,
    ToldAtOnce,
)
from factorcheck.conversation.typed_answers import LONGEST_NUMBER, AnswerError, navigation
from factorcheck.report.wording import answer_text

# The names front ends and tests know the session by, wherever they now live.
__all__ = [
    "CHECKLIST_ITEMS",
    "NONE_KEY",
    "NONE_LABEL",
    "PROVISIONAL",
    "STILL_APPLIES",
    "TOLD_AT_ONCE",
    "UNDER_18_RULE",
    "Outcome",
    "Session",
]

_PARTNERS = dict(PAIRED_ITEMS) | {second: first for first, second in PAIRED_ITEMS}

# Every kind of step, in questionnaire order. A new kind of step is a StepHandler, its name in
# StepKind, and its place here; the session asks the table, never the kind's name.
STEP_KINDS: dict[StepKind, StepHandler] = {
    handler.kind: handler for handler in (ChecklistStep(), ConfirmStep(), ItemStep(), ReviewStep())
}


def _rank(step: Step) -> tuple[int, int]:
    return STEP_KINDS[step.kind].rank(step.item)


def sequence(answers: Mapping[str, object]) -> list[Step]:
    """Every step the answers so far call for, in order."""
    enabled = {item.id for item in enabled_items(answers)}
    return [step for handler in STEP_KINDS.values() for step in handler.steps(answers, enabled)]


def _after(answers: Mapping[str, object], step: Step) -> Step:
    """The step after `step` (which the answers may have left out meanwhile)."""
    return next(s for s in sequence(answers) if _rank(s) > _rank(step))


def _before(answers: Mapping[str, object], step: Step) -> Step | None:
    earlier = [s for s in sequence(answers) if _rank(s) < _rank(step)]
    return earlier[-1] if earlier else None


def _word(item: str) -> str:
    """An item's label as a word in a sentence ("height")."""
    return ITEMS_BY_ID[item].label.lower()


@dataclass(frozen=True)
class Outcome:
    """What a reply led to: an error to show with the same prompt again, or notices before the next one."""

    error: str = ""
    notices: tuple[Notice, ...] = ()


class Session:
    """One person's way through the questionnaire; knows nothing about screens or keys."""

    def __init__(self, assessor: Assessor, answers: Mapping[str, object] | None = None) -> None:
        """Start afresh, or continue from already validated (possibly partial) answers."""
        self._progress = Progress(dict(answers or {}))
        self._told_at_once = ToldAtOnce(assessor)
        self.finished = False
        self._step = self._resume_step()

    # What the person has said so far.

    @property
    def answers(self) -> dict[str, object]:
        """The answers given so far, in questionnaire order."""
        given = self._progress.answers
        return {item.id: given[item.id] for item in ITEMS if item.id in given}

    def start(self) -> tuple[Notice, ...]:
        """Notices due before the first prompt: an urgent or emergency sign already in resumed answers."""
        return self._told_at_once.newly_reached(self._progress.answers)

    def advice_now(self) -> tuple[Notice, ...]:
        """What to do now if the answers so far reach an urgent or emergency sign: shown again on a stop."""
        return self._told_at_once.advice_now(self._progress.answers)

    # Where the person is.

    def _resume_step(self) -> Step:
        steps = sequence(self._progress.answers)
        given = self._progress.answers
        answered = [
            i
            for i, step in enumerate(steps)
            if any(s in given for s in STEP_KINDS[step.kind].items(step.item))
        ]
        if not answered:
            return steps[0]
        for step in steps[: answered[-1] + 1]:
            STEP_KINDS[step.kind].answered(self._progress, step)
        return steps[answered[-1] + 1]

    def _pending(self) -> list[str]:
        """Enabled items never put to the person: new follow-ups after a changed answer."""
        progress = self._progress
        return [
            item.id
            for item in enabled_items(progress.answers)
            if item.id not in progress.answers and item.id not in progress.asked
        ]

    def prompt(self) -> Prompt:
        """The prompt to show now."""
        step = self._step
        return STEP_KINDS[step.kind].prompt(self._progress, step, _before(self._progress.answers, step))

    # Replies.

    def reply(self, reply: Reply) -> Outcome:
        """Take the person's reply to the current prompt and move on (or say what was wrong)."""
        if self.finished:
            raise RuntimeError("the questionnaire is finished")
        if isinstance(reply, Typed):
            reply = navigation(reply.text) or reply
        if isinstance(reply, Back):
            return self._back()
        step = self._step
        handler = STEP_KINDS[step.kind]
        if not handler.records_answers:
            return self._review(reply)
        progress = self._progress
        notices: list[Notice] = []
        partner = _PARTNERS.get(step.item)
        if isinstance(reply, Skip):
            if not handler.can_skip(step.item):
                return Outcome(error="This question needs an answer, so it cannot be skipped.")
            updates: Updates = {step.item: None}
            if partner in progress.answers:
                updates[partner] = None
                notices.append(
                    Notice(
                        "info", f"{self._pair_words(step.item)} The {_word(partner)} answer was removed too."
                    )
                )
        else:
            try:
                if partner and self._partner_left_out(step.item, partner):
                    raise AnswerError(
                        f"{self._pair_words(step.item)} You left out your {_word(partner)}: "
                        "type back to give it, or skip this question too."
                    )
                updates = handler.parse(progress, step, self.prompt(), reply, notices)
            except AnswerError as error:
                return Outcome(error=str(error))
        notices += self._apply(updates, step)
        if partner and partner not in progress.answers and step.item in progress.answers:
            # Ask the other half of the pair next, even when changing one answer from the review.
            progress.asked.discard(partner)
        handler.answered(progress, step)
        self._advance(step)
        # Ticks on the checklist are confirmed one by one next: advice on them says it is provisional.
        provisional = step.kind == "checklist" and unconfirmed_ticks(progress)
        told = (
            *self._told_at_once.newly_reached(progress.answers, provisional),
            *self._told_at_once.under_18(progress.answers),
        )
        return Outcome(notices=(*notices, *told))

    def _partner_left_out(self, item: str, partner: str) -> bool:
        progress = self._progress
        return partner not in progress.answers and partner in progress.asked and ORDER[partner] < ORDER[item]

    def _pair_words(self, item: str) -> str:
        first, second = sorted((item, _PARTNERS[item]), key=ORDER.__getitem__)
        return f"{ITEMS_BY_ID[first].label} and {ITEMS_BY_ID[second].label.lower()} go together."

    def _back(self) -> Outcome:
        step = self._step
        if self._progress.editing and step != REVIEW:
            # Going back from changing one answer returns to the review, where the change began.
            self._step = REVIEW
            return Outcome()
        earlier = _before(self._progress.answers, step)
        if earlier is None:
            return Outcome(error="This is the first question, so there is nothing to go back to.")
        self._progress.editing = False
        self._step = earlier
        return Outcome()

    def _advance(self, step: Step) -> None:
        if self._progress.editing:
            pending = self._pending()
            self._step = Step("item", pending[0]) if pending else REVIEW
        else:
            self._step = _after(self._progress.answers, step)

    def _review(self, reply: Reply) -> Outcome:
        """A reply to the review: Enter for the report, or the number of an answer to change."""
        given = self._progress.answers
        lines = review_lines(given)
        count = len(lines)
        text = reply.text.strip() if isinstance(reply, Typed) else None
        if text == "":
            missing = [i for i in enabled_items(given) if i.required and i.id not in given]
            if missing:
                self._progress.editing = True
                self._step = Step("item", missing[0].id)
                return Outcome(notices=(Notice("info", "The report needs an answer to this question."),))
            problems = find_problems(given)[1]
            if problems:
                return Outcome(error="Please change these answers first: " + "; ".join(map(str, problems)))
            self.finished = True
            return Outcome()
        # ASCII digits only, and few of them (Python reads no whole number of over 4,300 digits).
        if (
            text is not None
            and text.isascii()
            and text.isdigit()
            and len(text) <= LONGEST_NUMBER
            and 1 <= int(text) <= count
        ):
            self._progress.editing = True
            self._step = Step("item", lines[int(text) - 1].item)
            return Outcome()
        shown = f"{quoted(text)} is not" if text is not None else "That is not"
        return Outcome(
            error=f"{shown} one of the answer numbers. Press Enter to see your report, "
            f"or type a number from 1 to {count} to change that answer."
        )

    # Recording answers.

    def _apply(self, updates: Updates, step: Step) -> list[Notice]:
        """Record answers; drop answers to follow-ups that no longer apply, and say so."""
        progress = self._progress
        for name, value in updates.items():
            if value is None:
                progress.answers.pop(name, None)
            else:
                progress.answers[name] = value
        dropped: list[str] = []
        while True:
            enabled = {item.id for item in enabled_items(progress.answers)}
            gone = [name for name in self.answers if name not in enabled]
            if not gone:
                break
            for name in gone:
                value = progress.answers.pop(name)
                dropped.append(f"{ITEMS_BY_ID[name].label} (you had answered: {answer_text(name, value)})")
        progress.asked &= enabled
        for handler in STEP_KINDS.values():
            handler.answers_changed(progress)
        if not dropped:
            return []
        changed = STEP_KINDS[step.kind].changed(step.item)
        return [
            Notice(
                "dropped",
                f"Because of your new answer to: {changed}, these follow-up questions no longer apply, "
                "so their answers were removed:",
                lines=tuple(dropped),
            )
        ]
