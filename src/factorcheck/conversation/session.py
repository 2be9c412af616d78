"""The questionnaire as a conversation: which prompt is next, going back, changing answers, what changed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from factorcheck.answers.questionnaire import (
    EXCLUSIVE_CHOICES,
    ITEMS,
    ITEMS_BY_ID,
    PAIRED_ITEMS,
    PARTS,
    SAFETY_ITEMS,
    Item,
)
from factorcheck.answers.validate import enabled_items, find_problems
from factorcheck.assessment import Assessor
from factorcheck.conversation.prompts import (
    Back,
    Notice,
    NoticeKind,
    Option,
    Picked,
    Prompt,
    PromptKind,
    Reply,
    ReviewLine,
    Skip,
    Typed,
)
from factorcheck.conversation.typed_answers import (
    AnswerError,
    navigation,
    parse_option,
    parse_options,
    parse_whole_number,
)
from factorcheck.conversation.units import height_hint, parse_height, parse_weeks, parse_weight, weight_hint
from factorcheck.report.wording import answer_text
from factorcheck.rules.ruleset import Rule

StepKind = Literal["checklist", "confirm", "item", "review"]

# The always-asked warning signs share one checklist screen; their follow-ups are asked one by one.
CHECKLIST_ITEMS: tuple[Item, ...] = tuple(item for item in SAFETY_ITEMS if not item.enabled_when)
TICKED = ("yes", "not_sure")
# The checklist's own last option: nothing is recorded as "no" until the person says so.
NONE_KEY = "none"
NONE_LABEL = "None of these apply to me"
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
_ORDER = {item.id: index for index, item in enumerate(ITEMS)}
_YES_NO = (Option("yes", "Yes"), Option("no", "No"))
_CONFIRM = (Option("yes", "Yes"), Option("not_sure", "Not sure"), Option("no", "No, I ticked it by mistake"))
_REVIEW_SECTION = "Check your answers"
_PARTNERS = dict(PAIRED_ITEMS) | {second: first for first, second in PAIRED_ITEMS}


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
        if self.kind == "checklist":
            return (0, 0)
        if self.kind == "confirm":
            return (1, _ORDER[self.item])
        if self.kind == "review":
            return (4, 0)
        return (2 if ITEMS_BY_ID[self.item].is_safety_item else 3, _ORDER[self.item])

    @property
    def items(self) -> tuple[str, ...]:
        if self.kind == "checklist":
            return tuple(item.id for item in CHECKLIST_ITEMS)
        return (self.item,) if self.item else ()


@dataclass(frozen=True)
class Outcome:
    """What a reply led to: an error to show with the same prompt again, or notices before the next one."""

    error: str = ""
    notices: tuple[Notice, ...] = ()


def _word(item: str) -> str:
    """An item's label as a word in a sentence ("height")."""
    return ITEMS_BY_ID[item].label.lower()


def _section(part: int) -> str:
    return f"Part {part} of {len(PARTS)}: {PARTS[part]}"


class Session:
    """One person's way through the questionnaire; knows nothing about screens or keys."""

    def __init__(self, assessor: Assessor, answers: Mapping[str, object] | None = None) -> None:
        """Start afresh, or continue from already validated (possibly partial) answers."""
        self._assessor = assessor
        self._answers: dict[str, object] = dict(answers or {})
        # Items already put to the person, answered or skipped: an edit asks only new follow-ups.
        self._asked: set[str] = set()
        # Ticked warning signs whose yes / not sure the person has confirmed (a tick alone means "not sure").
        self._confirmed: set[str] = set()
        self._editing = False
        # Triage rules already told at once, so that the same answers do not warn twice.
        self._told: frozenset[str] = frozenset()
        self._told_under_18 = False
        # A bare weight follows the units the height was given in.
        self._pounds = False
        self.finished = False
        self._step = self._resume_step()

    # What the person has said so far.

    @property
    def answers(self) -> dict[str, object]:
        """The answers given so far, in questionnaire order."""
        return {item.id: self._answers[item.id] for item in ITEMS if item.id in self._answers}

    def start(self) -> tuple[Notice, ...]:
        """Notices due before the first prompt: an urgent or emergency sign already in resumed answers."""
        return self._told_at_once()

    # Where the person is.

    def _sequence(self) -> list[Step]:
        enabled = {item.id for item in enabled_items(self._answers)}
        steps = [Step("checklist")]
        steps += [Step("confirm", i.id) for i in CHECKLIST_ITEMS if self._answers.get(i.id) in TICKED]
        steps += [Step("item", i.id) for i in SAFETY_ITEMS if i.enabled_when and i.id in enabled]
        steps += [Step("item", i.id) for i in ITEMS if not i.is_safety_item and i.id in enabled]
        steps.append(Step("review"))
        return steps

    def _resume_step(self) -> Step:
        sequence = self._sequence()
        answered = [i for i, step in enumerate(sequence) if any(s in self._answers for s in step.items)]
        if not answered:
            return sequence[0]
        for step in sequence[: answered[-1] + 1]:
            self._asked.update(step.items)
            if step.kind == "confirm":
                self._confirmed.add(step.item)
        return sequence[answered[-1] + 1]

    def _after(self, step: Step) -> Step:
        return next(s for s in self._sequence() if s.rank > step.rank)

    def _before(self, step: Step) -> Step | None:
        earlier = [s for s in self._sequence() if s.rank < step.rank]
        return earlier[-1] if earlier else None

    def _pending(self) -> list[str]:
        """Enabled items never put to the person: new follow-ups after a changed answer."""
        return [
            item.id
            for item in enabled_items(self._answers)
            if item.id not in self._answers and item.id not in self._asked
        ]

    # The prompt for where the person is.

    def prompt(self) -> Prompt:
        """The prompt to show now."""
        step = self._step
        can_go_back = self._editing or self._before(step) is not None
        if step.kind == "checklist":
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
                selected=self._checklist_selected(),
                can_go_back=False,
            )
        if step.kind == "review":
            return self._review_prompt()
        item = ITEMS_BY_ID[step.item]
        if step.kind == "confirm":
            confirmed = step.item in self._confirmed
            return Prompt(
                key=step.key,
                kind="choice",
                section=_section(1),
                question=item.question,
                context="You ticked this warning sign. Is it a yes, are you not sure, or was it a mistake?",
                options=_CONFIRM,
                selected=(str(self._answers[step.item]),) if confirmed else (),
                can_go_back=can_go_back,
            )
        return self._item_prompt(item, step, can_go_back)

    def _checklist_selected(self) -> tuple[str, ...]:
        ticked = tuple(item.id for item in CHECKLIST_ITEMS if self._answers.get(item.id) in TICKED)
        if ticked:
            return ticked
        # "None of these" shows as chosen only once the person has chosen it (every sign answered no).
        if all(self._answers.get(item.id) == "no" for item in CHECKLIST_ITEMS):
            return (NONE_KEY,)
        return ()

    def _item_prompt(self, item: Item, step: Step, can_go_back: bool) -> Prompt:
        current = self._answers.get(item.id)
        common = Prompt(
            key=step.key,
            kind="text",
            section=_section(item.part),
            question=item.question,
            help=item.help,
            context=self._context(item, step),
            can_skip=not item.required,
            can_go_back=can_go_back,
        )
        if item.type in ("integer", "number"):
            return replace(common, hint=self._text_hint(item), default_text=self._as_typed(item, current))
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

    def _context(self, item: Item, step: Step) -> str:
        """Why a follow-up is asked, unless it comes straight after what it follows from."""
        if not item.enabled_when:
            return ""
        before = None if self._editing else self._before(step)
        if before is not None and before.kind == "item":
            previous = ITEMS_BY_ID[before.item]
            follows = any(condition.item == previous.id for condition in item.enabled_when)
            if follows or previous.enabled_when == item.enabled_when:
                return ""
        return "Follow-up to: " + "; ".join(ITEMS_BY_ID[c.item].label for c in item.enabled_when)

    def _text_hint(self, item: Item) -> str:
        if item.id == "height_cm":
            return height_hint()
        if item.id == "weight_kg":
            return weight_hint(self._pounds)
        if item.unit == "weeks":
            return "Type weeks (for example 6), or months or years (3 months, 1 year)."
        return f"Type {item.allowed()}."

    def _as_typed(self, item: Item, value: object) -> str:
        if value is None:
            return ""
        if item.id == "weight_kg":
            return f"{value} kg"
        return str(value)

    def _review_lines(self) -> tuple[ReviewLine, ...]:
        answers = self._answers
        return tuple(
            ReviewLine(
                number,
                item.id,
                item.label,
                answer_text(item.id, answers[item.id]) if item.id in answers else "(not answered)",
            )
            for number, item in enumerate(enabled_items(answers), start=1)
        )

    def _review_prompt(self) -> Prompt:
        lines = self._review_lines()
        return Prompt(
            key="review",
            kind="review",
            section=_REVIEW_SECTION,
            question="These are your answers.",
            hint=f"Press Enter to see your report, or type a number from 1 to {len(lines)} "
            "to change that answer.",
            review=lines,
        )

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
        if step.kind == "review":
            return self._review(reply)
        notices: list[Notice] = []
        partner = _PARTNERS.get(step.item)
        if isinstance(reply, Skip):
            if step.kind != "item" or ITEMS_BY_ID[step.item].required:
                return Outcome(error="This question needs an answer, so it cannot be skipped.")
            updates: dict[str, object | None] = {step.item: None}
            if partner in self._answers:
                updates[partner] = None
                notices.append(
                    Notice(
                        "info",
                        f"{self._pair_words(step.item)} The {_word(partner)} answer was removed too.",
                    )
                )
        else:
            try:
                if partner and self._partner_left_out(step.item, partner):
                    raise AnswerError(
                        f"{self._pair_words(step.item)} You left out your {_word(partner)}: "
                        "type back to give it, or skip this question too."
                    )
                updates = self._parse(step, reply, notices)
            except AnswerError as error:
                return Outcome(error=str(error))
        notices += self._apply(updates, step)
        if partner and partner not in self._answers and step.item in self._answers:
            # Ask the other half of the pair next, even when changing one answer from the review.
            self._asked.discard(partner)
        self._asked.update(step.items)
        if step.kind == "confirm":
            self._confirmed.add(step.item)
        self._advance(step)
        # Ticks on the checklist are confirmed one by one next: advice on them says it is provisional.
        provisional = step.kind == "checklist" and any(
            self._answers.get(item.id) in TICKED and item.id not in self._confirmed
            for item in CHECKLIST_ITEMS
        )
        return Outcome(notices=(*notices, *self._told_at_once(provisional), *self._under_18()))

    def _partner_left_out(self, item: str, partner: str) -> bool:
        return partner not in self._answers and partner in self._asked and _ORDER[partner] < _ORDER[item]

    def _pair_words(self, item: str) -> str:
        first, second = sorted((item, _PARTNERS[item]), key=_ORDER.__getitem__)
        return f"{ITEMS_BY_ID[first].label} and {ITEMS_BY_ID[second].label.lower()} go together."

    def _back(self) -> Outcome:
        step = self._step
        if self._editing and step.kind != "review":
            # Going back from changing one answer returns to the review, where the change began.
            self._step = Step("review")
            return Outcome()
        before = self._before(step)
        if before is None:
            return Outcome(error="This is the first question, so there is nothing to go back to.")
        self._editing = False
        self._step = before
        return Outcome()

    def _advance(self, step: Step) -> None:
        if self._editing:
            pending = self._pending()
            self._step = Step("item", pending[0]) if pending else Step("review")
        else:
            self._step = self._after(step)

    def _review(self, reply: Reply) -> Outcome:
        count = len(self._review_lines())
        text = reply.text.strip() if isinstance(reply, Typed) else None
        if text == "":
            missing = [i for i in enabled_items(self._answers) if i.required and i.id not in self._answers]
            if missing:
                self._editing = True
                self._step = Step("item", missing[0].id)
                return Outcome(notices=(Notice("info", "The report needs an answer to this question."),))
            problems = find_problems(self._answers)[1]
            if problems:
                return Outcome(error="Please change these answers first: " + "; ".join(map(str, problems)))
            self.finished = True
            return Outcome()
        if text is not None and text.isdigit() and 1 <= int(text) <= count:
            self._editing = True
            self._step = Step("item", self._review_lines()[int(text) - 1].item)
            return Outcome()
        shown = f'"{text}" is not' if text is not None else "That is not"
        return Outcome(
            error=f"{shown} one of the answer numbers. Press Enter to see your report, "
            f"or type a number from 1 to {count} to change that answer."
        )

    # Turning a reply into answers.

    def _parse(self, step: Step, reply: Typed | Picked, notices: list[Notice]) -> dict[str, object | None]:
        prompt = self.prompt()
        if step.kind == "checklist":
            ticked = self._checklist_keys(prompt, reply)
            return {
                item.id: (self._answers.get(item.id) if self._answers.get(item.id) in TICKED else "not_sure")
                if item.id in ticked
                else "no"
                for item in CHECKLIST_ITEMS
            }
        item = ITEMS_BY_ID[step.item]
        if item.type == "choices":
            return {item.id: list(self._choices(item, prompt, reply))}
        if item.type in ("integer", "number"):
            if isinstance(reply, Picked):
                raise AnswerError(f"Type {item.allowed()}.")
            text = reply.text if reply.text.strip() else prompt.default_text
            if not text.strip():
                raise AnswerError(f"{self._needs_answer(item, 'type an answer')} {prompt.hint}")
            return {item.id: self._number(item, text, notices)}
        key = self._keys(prompt, reply, many=False)[0]
        return {item.id: key == "yes" if item.type == "boolean" else key}

    def _checklist_keys(self, prompt: Prompt, reply: Typed | Picked) -> tuple[str, ...]:
        """The warning signs ticked; an empty answer is refused, so that "none" is always said."""
        number = len(prompt.options)
        if isinstance(reply, Typed) and reply.text.strip().lower() in ("0", NONE_KEY, "none of these"):
            return ()
        keys = self._keys(prompt, reply, many=True)
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

    def _keys(self, prompt: Prompt, reply: Typed | Picked, many: bool) -> tuple[str, ...]:
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

    def _choices(self, item: Item, prompt: Prompt, reply: Typed | Picked) -> tuple[str, ...]:
        keys = self._keys(prompt, reply, many=True)
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

    def _number(self, item: Item, text: str, notices: list[Notice]) -> int | float:
        if item.id == "height_cm":
            measured = parse_height(text)
            self._pounds = measured.imperial
        elif item.id == "weight_kg":
            measured = parse_weight(text, pounds_by_default=self._pounds)
        elif item.unit == "weeks":
            measured = parse_weeks(text, item.id)
        else:
            return parse_whole_number(text, item)
        if measured.conversion:
            notices.append(Notice("converted", measured.conversion))
        return measured.value

    def _apply(self, updates: Mapping[str, object | None], step: Step) -> list[Notice]:
        """Record answers; drop answers to follow-ups that no longer apply, and say so."""
        for name, value in updates.items():
            if value is None:
                self._answers.pop(name, None)
            else:
                self._answers[name] = value
        dropped: list[str] = []
        while True:
            enabled = {item.id for item in enabled_items(self._answers)}
            gone = [name for name in self.answers if name not in enabled]
            if not gone:
                break
            for name in gone:
                value = self._answers.pop(name)
                dropped.append(f"{ITEMS_BY_ID[name].label} (you had answered: {answer_text(name, value)})")
        self._asked &= enabled
        self._confirmed = {name for name in self._confirmed if self._answers.get(name) in TICKED}
        if not dropped:
            return []
        changed = "the warning-sign checklist" if step.kind == "checklist" else ITEMS_BY_ID[step.item].label
        return [
            Notice(
                "dropped",
                f"Because of your new answer to: {changed}, these follow-up questions no longer apply, "
                "so their answers were removed:",
                lines=tuple(dropped),
            )
        ]

    # Warning signs.

    def advice_now(self) -> tuple[Notice, ...]:
        """What to do now if the answers so far reach an urgent or emergency sign: shown again on a stop."""
        return self._level_notice(self._reached(), wait=False)

    def _reached(self) -> list[Rule]:
        return [rule for rule in self._assessor.triage_so_far(self._answers) if rule.level in TOLD_AT_ONCE]

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

    def _told_at_once(self, provisional: bool = False) -> tuple[Notice, ...]:
        """A notice when the answers so far newly reach an urgent or emergency triage rule, or when
        a sign told earlier was taken back (its advice no longer applies)."""
        reached = self._reached()
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

    def _under_18(self) -> tuple[Notice, ...]:
        """Right after an age under 18: the tool is written for adults (the rule's own words)."""
        rule = self._assessor.ruleset.by_id.get(UNDER_18_RULE)
        if rule is None:
            return ()
        holds = any(r.id == UNDER_18_RULE for r in self._assessor.triage_so_far(self._answers))
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
