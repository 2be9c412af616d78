"""The warning-sign checklist and the confirmation of each sign ticked on it, as steps."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from factorcheck.answers.questionnaire import ITEMS_BY_ID, SAFETY_ITEMS, Item
from factorcheck.conversation.prompts import Notice, Option, Picked, Prompt, Typed
from factorcheck.conversation.steps import ORDER, Progress, Step, StepHandler, Updates, option_keys, section
from factorcheck.conversation.typed_answers import AnswerError

# The always-asked warning signs share one checklist screen; their follow-ups are asked one by one.
CHECKLIST_ITEMS: tuple[Item, ...] = tuple(item for item in SAFETY_ITEMS if not item.enabled_when)
TICKED = ("yes", "not_sure")
# The checklist's own last option: nothing is recorded as "no" until the person says so.
NONE_KEY = "none"
NONE_LABEL = "None of these apply to me"


def unconfirmed_ticks(progress: Progress) -> bool:
    """Whether signs ticked on the checklist still wait for their confirmation (advice is provisional)."""
    return any(
        progress.answers.get(item.id) in TICKED and item.id not in progress.confirmed
        for item in CHECKLIST_ITEMS
    )


_CONFIRM = (Option("yes", "Yes"), Option("not_sure", "Not sure"), Option("no", "No, I ticked it by mistake"))


class ChecklistStep(StepHandler):
    """The always-asked warning signs on one screen, ending with "None of these apply to me"."""

    kind = "checklist"

    def steps(self, answers: Mapping[str, object], enabled: Collection[str]) -> list[Step]:
        return [Step("checklist")]

    def rank(self, item: str) -> tuple[int, int]:
        return (0, 0)

    def items(self, item: str) -> tuple[str, ...]:
        return tuple(sign.id for sign in CHECKLIST_ITEMS)

    def prompt(self, progress: Progress, step: Step, earlier: Step | None) -> Prompt:
        return Prompt(
            key=step.key,
            kind="checklist",
            section=section(1),
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
        keys = option_keys(prompt, reply, many=True)
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
        return (1, ORDER[item])

    def prompt(self, progress: Progress, step: Step, earlier: Step | None) -> Prompt:
        confirmed = step.item in progress.confirmed
        return Prompt(
            key=step.key,
            kind="choice",
            section=section(1),
            question=ITEMS_BY_ID[step.item].question,
            context="You ticked this warning sign. Is it a yes, are you not sure, or was it a mistake?",
            options=_CONFIRM,
            selected=(str(progress.answers[step.item]),) if confirmed else (),
            can_go_back=progress.can_go_back(earlier),
        )

    def parse(
        self, progress: Progress, step: Step, prompt: Prompt, reply: Typed | Picked, notices: list[Notice]
    ) -> Updates:
        return {step.item: option_keys(prompt, reply, many=False)[0]}

    def answered(self, progress: Progress, step: Step) -> None:
        super().answered(progress, step)
        progress.confirmed.add(step.item)

    def answers_changed(self, progress: Progress) -> None:
        # A sign no longer ticked loses its confirmation: ticked again, its confirmation starts unchosen.
        progress.confirmed = {name for name in progress.confirmed if progress.answers.get(name) in TICKED}
