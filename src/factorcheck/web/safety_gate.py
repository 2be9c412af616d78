"""The web form's warning-sign gate: every sign answered, or "None of these apply to me" chosen."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from factorcheck.answers.questionnaire import SAFETY_ITEMS
from factorcheck.errors import Problem

# The form field of the choice that stands for "no" to every sign left blank; not an item.
NONE_FIELD = "none_of_the_signs"
NONE_LABEL = "None of these apply to me"
TICKED = ("yes", "not_sure")
# The signs every person is asked (follow-ups may be left out, as in the terminal).
ALWAYS_ASKED: tuple[str, ...] = tuple(item.id for item in SAFETY_ITEMS if not item.enabled_when)


def none_chosen(typed: Mapping[str, Sequence[str]]) -> bool:
    return any(value.strip() for value in typed.get(NONE_FIELD, []))


def gate_problems(answers: Mapping[str, object], none: bool) -> list[Problem]:
    """Why the form may not move past the warning signs yet: nothing, or one problem saying what to do."""
    ticked = [name for name in ALWAYS_ASKED if answers.get(name) in TICKED]
    if none and ticked:
        return [
            Problem(
                NONE_FIELD,
                f'"{NONE_LABEL}" cannot go with a sign answered Yes or Not sure. Untick it, or change '
                "those answers to No.",
            )
        ]
    blank = [name for name in ALWAYS_ASKED if name not in answers]
    if none or not blank:
        return []
    return [
        Problem(
            NONE_FIELD,
            f"{len(blank)} of the {len(ALWAYS_ASKED)} warning signs have no answer. Answer each one "
            f'("Not sure" is a fine answer), or, if none of them applies to you, choose "{NONE_LABEL}".',
        )
    ]


def with_none_as_no(answers: Mapping[str, object], none: bool) -> dict[str, object]:
    """The answers, with every sign left blank answered "no" when "None of these" was chosen."""
    if not none:
        return dict(answers)
    return {**{name: "no" for name in ALWAYS_ASKED if name not in answers}, **answers}
