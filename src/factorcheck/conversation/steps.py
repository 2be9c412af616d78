"""The questionnaire's steps as a table: each kind of step, where it comes, what it asks and records."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from factorcheck.answers.questionnaire import EXCLUSIVE_CHOICES, ITEMS, ITEMS_BY_ID, PARTS, SAFETY_ITEMS, Item
from factorcheck.answers.validate import enabled_items
from factorcheck.conversation.prompts import Notice, Option, Picked, Prompt, PromptKind, ReviewLine, Typed
from factorcheck.conversation.typed_answers import (
    AnswerError,
    parse_option,
    parse_options,
    parse_whole_number,
)
from factorcheck.conversation.units import height_hint, parse_height, parse_weight, weight_hint
from factorcheck.report.wording import answer_text

StepKind = Literal["checklist", "confirm", "item", "review"]
# What a reply records: an answer for each item it touched, None where the answer is taken away.
Updates = dict[str, object | None]

# The always-asked warning signs share one checklist screen; their follow-ups are asked one by one.
CHECKLIST_ITEMS: tuple[Item, ...] = tuple(item for item in SAFETY_ITEMS if not item.enabled_when)
TICKED = ("yes", "not_sure")
# The checklist's own last option: nothing is recorded as "no" until the person says so.
NONE_KEY = "none"
NONE_LABEL = "None of these apply to me"
_ORDER = {item.id: index for index, item in enumerate(ITEMS)}
_YES_NO = (Option("yes", "Yes"), Option("no", "No"))
_CONFIRM = (Option("yes", "Yes"), Option("not_sure", "Not sure"), Option("no", "No, I ticked it by mistake"))
_REVIEW_SECTION = "Check your answers"


@dataclass(frozen=True)
class Step:
    """A place in the questionnaire: the checklist, a confirmation, one item, or the review."""

    kind: StepKind
    item: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.item}" if self.item else self.kind

    @property
    def rank(self) -> tuple[int, int]:
        """Position in the questionnaire, also for steps that the current answers leave out."""
        return STEP_KINDS[self.kind].rank(self.item)

    @property
    def items(self) -> tuple[str, ...]:
        return STEP_KINDS[self.kind].items(self.item)


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


def word(item: str) -> str:
    """An item's label as a word in a sentence ("height")."""
    return ITEMS_BY_ID[item].label.lower()


def _section(part: int) -> str:
    return f"Part {part} of {len(PARTS)}: {PARTS[part]}"


def _keys(prompt: Prompt, reply: Typed | Picked, many: bool) -> tuple[str, ...]:
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
    """How one kind of step behaves; the session drives the steps through STEP_KINDS."""

    kind: StepKind
    # False for the review, where a reply chooses where to go and records no answer.
    records_answers = True

    def steps(self, answers: Mapping[str, object], enabled: Collection[str]) -> list[Step]:
        """The steps of this kind that the answers so far call for, in questionnaire order."""
        raise NotImplementedError

    def rank(self, item: str) -> tuple[int, int]:
        """Position in the questionnaire: steps of a kind come before those of the kinds after it."""
        raise NotImplementedError

    def items(self, item: str) -> tuple[str, ...]:
        """The items a step of this kind asks."""
        return (item,) if item else ()

    def prompt(self, progress: Progress, step: Step, can_go_back: bool) -> Prompt:
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
        progress.asked.update(step.items)

    def changed(self, item: str) -> str:
        """What the person changed, in the notice about follow-ups that no longer apply."""
        return ITEMS_BY_ID[item].label


class ChecklistStep(StepHandler):
    """The always-asked warning signs on one screen, ending with "None of these apply to me"."""

    kind = "checklist"

    def steps(self, answers: Mapping[str, object], enabled: Collection[str]) -> list[Step]:
        return [Step("checklist")]

    def rank(self, item: str) -> tuple[int, int]:
        return (0, 0)

    def items(self, item: str) -> tuple[str, ...]:
        return tuple(sign.id for sign in CHECKLIST_ITEMS)

    def prompt(self, progress: Progress, step: Step, can_go_back: bool) -> Prompt:
        return Prompt(
            key=step.key,
            kind="checklist",
            section=_section(1),
            question="Do any of these apply to you now?",
            hint="Tick any that apply, or that you are unsure about. If none apply, choose the last "
            f'one, "{NONE_LABEL}".',
            options=(
                *(Option(item.id, item.label) for item in CHECKLIST_ITEMS),
                Option(NONE_KEY, NONE_LABEL),
            ),
            selected=self._selected(progress.answers),
            can_go_back=False,
        )

    def _selected(self, answers: Mapping[str, object]) -> tuple[str, ...]:
        ticked = tuple(item.id for item in CHECKLIST_ITEMS if answers.get(item.id) in TICKED)
        if ticked:
            return ticked
        # "None of these" shows as chosen only once the person has chosen it (every sign answered no).
        if all(answers.get(item.id) == "no" for item in CHECKLIST_ITEMS):
            return (NONE_KEY,)
        return ()

    def parse(
        self, progress: Progress, step: Step, prompt: Prompt, reply: Typed | Picked, notices: list[Notice]
    ) -> Updates:
        answers = progress.answers
        ticked = self._ticked(prompt, reply)
        return {
            item.id: (answers.get(item.id) if answers.get(item.id) in TICKED else "not_sure")
            if item.id in ticked
            else "no"
            for item in CHECKLIST_ITEMS
        }

    def _ticked(self, prompt: Prompt, reply: Typed | Picked) -> tuple[str, ...]:
        """The warning signs ticked; an empty answer is refused, so that "none" is always said."""
        number = len(prompt.options)
        if isinstance(reply, Typed) and reply.text.strip().lower() in ("0", NONE_KEY, "none of these"):
            return ()
        keys = _keys(prompt, reply, many=True)
        if not keys:
            raise AnswerError(
                "Nothing is ticked. If none of these apply to you, choose the last one, "
                f'{number}. "{NONE_LABEL}". Otherwise tick each sign that applies, or that you are '
                "unsure about."
            )
        if NONE_KEY in keys:
            if len(keys) > 1:
                raise AnswerError(
                    f'"{NONE_LABEL}" cannot go with ticked signs. Untick it, or untick the signs.'
                )
            return ()
        return keys

    def changed(self, item: str) -> str:
        return "the warning-sign checklist"


class ConfirmStep(StepHandler):
    """A ticked warning sign asked again on its own: yes, not sure, or ticked by mistake."""

    kind = "confirm"

    def steps(self, answers: Mapping[str, object], enabled: Collection[str]) -> list[Step]:
        return [Step("confirm", i.id) for i in CHECKLIST_ITEMS if answers.get(i.id) in TICKED]

    def rank(self, item: str) -> tuple[int, int]:
        return (1, _ORDER[item])

    def prompt(self, progress: Progress, step: Step, can_go_back: bool) -> Prompt:
        confirmed = step.item in progress.confirmed
        return Prompt(
            key=step.key,
            kind="choice",
            section=_section(1),
            question=ITEMS_BY_ID[step.item].question,
            context="You ticked this warning sign. Is it a yes, are you not sure, or was it a mistake?",
            options=_CONFIRM,
            selected=(str(progress.answers[step.item]),) if confirmed else (),
            can_go_back=can_go_back,
        )

    def parse(
        self, progress: Progress, step: Step, prompt: Prompt, reply: Typed | Picked, notices: list[Notice]
    ) -> Updates:
        return {step.item: _keys(prompt, reply, many=False)[0]}

    def answered(self, progress: Progress, step: Step) -> None:
        super().answered(progress, step)
        progress.confirmed.add(step.item)


class ItemStep(StepHandler):
    """One question: the warning signs' follow-ups first, then every other item that applies."""

    kind = "item"

    def steps(self, answers: Mapping[str, object], enabled: Collection[str]) -> list[Step]:
        steps = [Step("item", i.id) for i in SAFETY_ITEMS if i.enabled_when and i.id in enabled]
        return steps + [Step("item", i.id) for i in ITEMS if not i.is_safety_item and i.id in enabled]

    def rank(self, item: str) -> tuple[int, int]:
        return (2 if ITEMS_BY_ID[item].is_safety_item else 3, _ORDER[item])

    def prompt(self, progress: Progress, step: Step, can_go_back: bool) -> Prompt:
        item = ITEMS_BY_ID[step.item]
        current = progress.answers.get(item.id)
        common = Prompt(
            key=step.key,
            kind="text",
            section=_section(item.part),
            question=item.question,
            help=item.help,
            context=self._context(progress, item, step),
            can_skip=not item.required,
            can_go_back=can_go_back,
        )
        if item.type in ("integer", "number"):
            return replace(
                common, hint=self._text_hint(progress, item), default_text=self._as_typed(item, current)
            )
        options: tuple[Option, ...]
        selected: tuple[str, ...]
        if item.type == "boolean":
            options = _YES_NO
            selected = () if current is None else ("yes" if current else "no",)
        else:
            options = tuple(Option(choice, item.choice_label(choice)) for choice in item.choices)
            if isinstance(current, list):
                selected = tuple(str(v) for v in current)
            else:
                selected = () if current is None else (str(current),)
        kind: PromptKind = "multi" if item.type == "choices" else "choice"
        return replace(common, kind=kind, options=options, selected=selected)

    def _context(self, progress: Progress, item: Item, step: Step) -> str:
        """Why a follow-up is asked, unless it comes straight after what it follows from."""
        if not item.enabled_when:
            return ""
        earlier = None if progress.editing else before(progress.answers, step)
        if earlier is not None and earlier.kind == self.kind:
            previous = ITEMS_BY_ID[earlier.item]
            follows = any(condition.item == previous.id for condition in item.enabled_when)
            if follows or previous.enabled_when == item.enabled_when:
                return ""
        return "Follow-up to: " + "; ".join(ITEMS_BY_ID[c.item].label for c in item.enabled_when)

    def _text_hint(self, progress: Progress, item: Item) -> str:
        if item.id == "height_cm":
            return height_hint()
        if item.id == "weight_kg":
            return weight_hint(progress.pounds)
        return f"Type {item.allowed()}."

    def _as_typed(self, item: Item, value: object) -> str:
        if value is None:
            return ""
        if item.id == "weight_kg":
            return f"{value} kg"
        return str(value)

    def can_skip(self, item: str) -> bool:
        return not ITEMS_BY_ID[item].required

    def parse(
        self, progress: Progress, step: Step, prompt: Prompt, reply: Typed | Picked, notices: list[Notice]
    ) -> Updates:
        item = ITEMS_BY_ID[step.item]
        if item.type == "choices":
            return {item.id: list(self._choices(item, prompt, reply))}
        if item.type in ("integer", "number"):
            if isinstance(reply, Picked):
                raise AnswerError(f"Type {item.allowed()}.")
            text = reply.text if reply.text.strip() else prompt.default_text
            if not text.strip():
                raise AnswerError(f"{self._needs_answer(item, 'type an answer')} {prompt.hint}")
            return {item.id: self._number(progress, item, text, notices)}
        key = _keys(prompt, reply, many=False)[0]
        return {item.id: key == "yes" if item.type == "boolean" else key}

    def _choices(self, item: Item, prompt: Prompt, reply: Typed | Picked) -> tuple[str, ...]:
        keys = _keys(prompt, reply, many=True)
        if not keys:
            raise AnswerError(self._needs_answer(item, "choose at least one answer"))
        alone = [key for key in keys if key in EXCLUSIVE_CHOICES]
        if alone and len(keys) > 1:
            others = ", ".join(item.choice_label(k) for k in keys if k != alone[0])
            raise AnswerError(
                f'"{item.choice_label(alone[0])}" cannot go with other answers, but {others} '
                "was also chosen. Choose it on its own, or leave it out."
            )
        return keys

    def _needs_answer(self, item: Item, what: str) -> str:
        if item.required:
            return f"This question needs an answer: {what}."
        return f"Please {what}, or type skip to leave this question out."

    def _number(self, progress: Progress, item: Item, text: str, notices: list[Notice]) -> int | float:
        if item.id == "height_cm":
            measured = parse_height(text)
            progress.pounds = measured.imperial
        elif item.id == "weight_kg":
            measured = parse_weight(text, pounds_by_default=progress.pounds)
        else:
            return parse_whole_number(text, item)
        if measured.conversion:
            notices.append(Notice("converted", measured.conversion))
        return measured.value


class ReviewStep(StepHandler):
    """Every answer given, numbered: Enter to see the report, or a number to change that answer."""

    kind = "review"
    records_answers = False

    def steps(self, answers: Mapping[str, object], enabled: Collection[str]) -> list[Step]:
        return [REVIEW]

    def rank(self, item: str) -> tuple[int, int]:
        return (4, 0)

    def prompt(self, progress: Progress, step: Step, can_go_back: bool) -> Prompt:
        lines = review_lines(progress.answers)
        return Prompt(
            key="review",
            kind="review",
            section=_REVIEW_SECTION,
            question="These are your answers.",
            hint=f"Press Enter to see your report, or type a number from 1 to {len(lines)} "
            "to change that answer.",
            review=lines,
        )


def review_lines(answers: Mapping[str, object]) -> tuple[ReviewLine, ...]:
    """The review's lines: every item that applies, numbered, with its answer in words."""
    return tuple(
        ReviewLine(
            number,
            item.id,
            item.label,
            answer_text(item.id, answers[item.id]) if item.id in answers else "(not answered)",
        )
        for number, item in enumerate(enabled_items(answers), start=1)
    )


# Every kind of step, in questionnaire order: a new kind is a StepHandler here and a name in StepKind.
STEP_KINDS: dict[StepKind, StepHandler] = {
    handler.kind: handler for handler in (ChecklistStep(), ConfirmStep(), ItemStep(), ReviewStep())
}


def sequence(answers: Mapping[str, object]) -> list[Step]:
    """Every step the answers so far call for, in order."""
    enabled = {item.id for item in enabled_items(answers)}
    return [step for handler in STEP_KINDS.values() for step in handler.steps(answers, enabled)]


def after(answers: Mapping[str, object], step: Step) -> Step:
    """The step that comes next after `step` (which the answers may have left out meanwhile)."""
    return next(s for s in sequence(answers) if s.rank > step.rank)


def before(answers: Mapping[str, object], step: Step) -> Step | None:
    """The step before `step`, if any."""
    earlier = [s for s in sequence(answers) if s.rank < step.rank]
    return earlier[-1] if earlier else None
