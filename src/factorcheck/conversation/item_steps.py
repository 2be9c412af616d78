"""Each item asked on its own, and the review of every answer, as steps."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace

from factorcheck.answers.questionnaire import EXCLUSIVE_CHOICES, ITEMS, ITEMS_BY_ID, SAFETY_ITEMS, Item
from factorcheck.answers.validate import enabled_items
from factorcheck.conversation.prompts import Notice, Option, Picked, Prompt, PromptKind, ReviewLine, Typed
from factorcheck.conversation.steps import (
    ORDER,
    REVIEW,
    Progress,
    Step,
    StepHandler,
    Updates,
    option_keys,
    section,
)
from factorcheck.conversation.typed_answers import AnswerError, parse_whole_number
from factorcheck.conversation.units import as_typed, parse_measurement, typed_hint
from factorcheck.report.wording import answer_text

_YES_NO = (Option("yes", "Yes"), Option("no", "No"))
_REVIEW_SECTION = "Check your answers"


class ItemStep(StepHandler):
    """One question: the warning signs' follow-ups first, then every other item that applies."""

    kind = "item"

    def steps(self, answers: Mapping[str, object], enabled: Collection[str]) -> list[Step]:
        steps = [Step("item", i.id) for i in SAFETY_ITEMS if i.enabled_when and i.id in enabled]
        return steps + [Step("item", i.id) for i in ITEMS if not i.is_safety_item and i.id in enabled]

    def rank(self, item: str) -> tuple[int, int]:
        return (2 if ITEMS_BY_ID[item].is_safety_item else 3, ORDER[item])

    def prompt(self, progress: Progress, step: Step, earlier: Step | None) -> Prompt:
        item = ITEMS_BY_ID[step.item]
        current = progress.answers.get(item.id)
        common = Prompt(
            key=step.key,
            kind="text",
            section=section(item.part),
            question=item.question,
            help=item.help,
            context=self._context(progress, item, earlier),
            can_skip=not item.required,
            can_go_back=progress.can_go_back(earlier),
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

    def _context(self, progress: Progress, item: Item, earlier: Step | None) -> str:
        """Why a follow-up is asked, unless it comes straight after what it follows from."""
        if not item.enabled_when:
            return ""
        if not progress.editing and earlier is not None and earlier.kind == self.kind:
            previous = ITEMS_BY_ID[earlier.item]
            follows = any(condition.item == previous.id for condition in item.enabled_when)
            if follows or previous.enabled_when == item.enabled_when:
                return ""
        return "Follow-up to: " + "; ".join(ITEMS_BY_ID[c.item].label for c in item.enabled_when)

    def _text_hint(self, progress: Progress, item: Item) -> str:
        if item.unit_kind is not None:
            return typed_hint(item, progress.pounds)
        return f"Type {item.allowed()}."

    def _as_typed(self, item: Item, value: object) -> str:
        if value is None:
            return ""
        return as_typed(item, value)

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
        key = option_keys(prompt, reply, many=False)[0]
        return {item.id: key == "yes" if item.type == "boolean" else key}

    def _choices(self, item: Item, prompt: Prompt, reply: Typed | Picked) -> tuple[str, ...]:
        keys = option_keys(prompt, reply, many=True)
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
        if item.unit_kind is None:
            return parse_whole_number(text, item)
        measured = parse_measurement(item, text, pounds_by_default=progress.pounds)
        if item.unit_kind == "height":
            progress.pounds = measured.imperial
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

    def prompt(self, progress: Progress, step: Step, earlier: Step | None) -> Prompt:
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
