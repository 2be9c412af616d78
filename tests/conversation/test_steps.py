"""The table of step kinds: one handler per kind, and the steps in the order their ranks give."""

from __future__ import annotations

import json
from typing import get_args

import pytest

from factorcheck.conversation.checklist_steps import CHECKLIST_ITEMS
from factorcheck.conversation.session import STEP_KINDS, sequence
from factorcheck.conversation.steps import StepKind
from support import EXAMPLES

ALL_TICKED = {item.id: "yes" for item in CHECKLIST_ITEMS}
ANSWER_SETS = {
    "nothing yet": {},
    "every sign ticked": ALL_TICKED,
    **{path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(EXAMPLES.glob("*.json"))},
}


def test_every_step_kind_has_one_handler_in_questionnaire_order() -> None:
    """A new kind of step needs its name in StepKind and its handler in the table, in the same place."""
    assert list(STEP_KINDS) == list(get_args(StepKind))
    assert [handler.kind for handler in STEP_KINDS.values()] == list(STEP_KINDS)


@pytest.mark.parametrize("answers", ANSWER_SETS.values(), ids=ANSWER_SETS.keys())
def test_steps_come_in_the_order_of_their_ranks(answers: dict[str, object]) -> None:
    """Going on and going back compare ranks: the table's order of steps must agree with them."""
    steps = sequence(answers)
    ranks = [STEP_KINDS[step.kind].rank(step.item) for step in steps]
    assert ranks == sorted(set(ranks))
    assert [step.kind for step in steps[:1] + steps[-1:]] == ["checklist", "review"]


def test_the_answer_sets_above_lead_to_every_kind_of_step() -> None:
    """Otherwise the order test would not see a kind added to the table."""
    assert {step.kind for answers in ANSWER_SETS.values() for step in sequence(answers)} == set(STEP_KINDS)
