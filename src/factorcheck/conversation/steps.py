"""What every step of the questionnaire has: its place, the person's progress, the handler of its kind."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Literal

from factorcheck.answers.questionnaire import ITEMS, ITEMS_BY_ID, PARTS
from factorcheck.conversation.prompts import Notice, Picked, Prompt, Typed
from factorcheck.conversation.typed_answers import AnswerError, parse_option, parse_options

StepKind = Literal["checklist", "confirm", "item", "review"]
# What a reply records: an answer for each item it touched, None where the answer is taken away.
Updates = dict[str, object | None]
# Each item's place in the questionnaire.
ORDER = {item.id: index for index, item in enumerate(ITEMS)}


@dataclass(frozen=True)
class Step:
    """A place in the questionnaire: the checklist, a confirmation, one item, or the review."""

    kind: StepKind
    item: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.item}" if self.item else self.kind


REVIEW = Step("review")


@dataclass
class Progress:
    """What the person has said and been asked so far: what the steps read and the session changes."""

    answers: dict[str, object]
    # Items already put to the person, answered or skipped: an edit asks only new follow-ups.
    asked: set[str] = field(default_factory=set)
    # Ticked warning signs whose yes / not sure the person has confirmed (a tick alone means "not sure").
    confirmed: set[str] = field(default_factory=set)
    # Changing one answer from the review: the session returns there afterwards.
    editing: bool = False
    # A bare weight follows the units the height was given in.
    pounds: bool = False

    def can_go_back(self, earlier: Step | None) -> bool:
        """Whether "back" leads anywhere from a step with `earlier` before it."""
        return self.editing or earlier is not None


def section(part: int) -> str:
    """A part of the questionnaire as a heading: "Part 2 of 4: Your pain and its history"."""
    return f"Part {part} of {len(PARTS)}: {PARTS[part]}"


def option_keys(prompt: Prompt, reply: Typed | Picked, many: bool) -> tuple[str, ...]:
    """The option keys of a reply; an empty typed reply keeps what is chosen now."""
    allowed = [option.key for option in prompt.options]
    if isinstance(reply, Picked):
        unknown = [key for key in reply.keys if key not in allowed]
        if unknown or (not many and len(reply.keys) != 1):
            raise AnswerError(f"Choose {'any' if many else 'one'} of: {', '.join(allowed)}.")
        return tuple(sorted(set(reply.keys), key=allowed.index))
    if not reply.text.strip() and (prompt.selected or many):
        return prompt.selected
    if many:
        return parse_options(reply.text, prompt.options)
    return (parse_option(reply.text, prompt.options),)


class StepHandler:
    """How one kind of step behaves; the session's table STEP_KINDS holds one handler per kind."""

    kind: StepKind
    # False for the review, where a reply chooses where to go and records no answer.
    records_answers = True

    def steps(self, answers: Mapping[str, object], enabled: Collection[str]) -> list[Step]:
        """The steps of this kind that the answers so far call for, in questionnaire order."""
        raise NotImplementedError

    def rank(self, item: str) -> tuple[int, int]:
        """Position in the questionnaire, also for steps that the current answers leave out: steps of
        one kind come before those of the kinds after it in STEP_KINDS."""
        raise NotImplementedError

    def items(self, item: str) -> tuple[str, ...]:
        """The items a step of this kind asks."""
        return (item,) if item else ()

    def prompt(self, progress: Progress, step: Step, earlier: Step | None) -> Prompt:
        """The prompt for `step`, which has `earlier` (if any) before it."""
        raise NotImplementedError

    def can_skip(self, item: str) -> bool:
        return False

    def parse(
        self, progress: Progress, step: Step, prompt: Prompt, reply: Typed | Picked, notices: list[Notice]
    ) -> Updates:
        """The answers a reply gives (notices about it go to `notices`); AnswerError says what was wrong."""
        raise NotImplementedError

    def answered(self, progress: Progress, step: Step) -> None:
        """Note that the person has answered (or skipped) the step."""
        progress.asked.update(self.items(step.item))

    def answers_changed(self, progress: Progress) -> None:
        """Bring this kind's own state in line with answers just recorded (or dropped)."""

    def changed(self, item: str) -> str:
        """What the person changed, in the notice about follow-ups that no longer apply."""
        return ITEMS_BY_ID[item].label
