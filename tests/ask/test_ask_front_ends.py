"""The two screens of `ask` on their own: plain lines, and the interactive terminal's keys."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput

from factorcheck.ask.line_prompts import LineFrontEnd
from factorcheck.ask.prompt_text import WIDTH, notice_lines, option_lines
from factorcheck.ask.terminal import TerminalFrontEnd
from factorcheck.conversation.prompts import Back, Notice, Option, Picked, Prompt, Skip, Typed
from factorcheck.conversation.session import CHECKLIST_ITEMS

CHOICE = Prompt(
    key="item:heel_pain_side",
    kind="choice",
    section="Part 2 of 4: Your pain and its history",
    question="Which heel hurts?",
    options=(Option("left", "Left"), Option("right", "Right"), Option("both", "Both")),
    can_skip=True,
)
CHECKLIST = Prompt(
    key="checklist",
    kind="checklist",
    section="Part 1 of 4: Warning signs",
    question="Do any of these apply to you now?",
    options=tuple(Option(item.id, item.label) for item in CHECKLIST_ITEMS),
    can_go_back=False,
)
TEXT = Prompt(
    key="item:age_years",
    kind="text",
    section="Part 2 of 4: Your pain and its history",
    question="How old are you, in years?",
    hint="Type a whole number from 1 to 120.",
    default_text="52",
)


def test_option_lines_fit_80_columns() -> None:
    """Options wrap under their own text and no line is wider than the screen."""
    lines = option_lines(CHECKLIST, checked=("rf_systemic",))
    assert all(len(line) <= WIDTH for line in lines)
    assert "  [x] 10. Weight loss without trying" in "\n".join(lines)
    continuation = next(line for line in lines if line.strip() == "cancer")
    assert continuation.startswith(" " * 10)


def test_emergency_notice_is_framed() -> None:
    """An emergency notice is framed top and bottom and names the warning signs."""
    lines = notice_lines(Notice("emergency", "Get emergency help now", "Call now.", ("Chest pain",)))
    assert lines[0] == lines[-1] == "!" * WIDTH
    assert "GET EMERGENCY HELP NOW" in lines
    assert "  - Chest pain" in lines


def test_line_front_end_prints_and_reads_one_line() -> None:
    """Plain lines: the section once, numbered options, an error above a retry, piped input echoed."""
    out = io.StringIO()
    front = LineFrontEnd(io.StringIO("2\nboth\n"), out)
    assert front.ask(CHOICE, "") == Typed("2")
    assert front.ask(CHOICE, "That was not it.") == Typed("both")
    shown = out.getvalue()
    assert shown.count("Part 2 of 4") == 1
    assert "  1. Left\n  2. Right\n  3. Both\n" in shown
    assert "> 2\n" in shown
    assert "! That was not it." in shown
    assert (
        "Type a number or the answer. Type back to go back or skip to leave this question out."
        in " ".join(shown.split())
    )


def test_line_front_end_offers_to_keep_the_current_answer() -> None:
    """A prompt with an answer already says Enter keeps it."""
    out = io.StringIO()
    LineFrontEnd(io.StringIO("\n"), out).ask(TEXT, "")
    assert "Press Enter to keep: 52." in out.getvalue()


def test_line_front_end_end_of_input() -> None:
    """When the input ends, the front end raises EOFError for the command to report."""
    with pytest.raises(EOFError):
        LineFrontEnd(io.StringIO(""), io.StringIO()).ask(CHOICE, "")


@pytest.fixture
def keys() -> Iterator[PipeInput]:
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        yield pipe


@pytest.mark.parametrize(
    ("typed", "reply"),
    [
        ("\r", Picked(("left",))),
        ("\x1b[B\r", Picked(("right",))),
        ("\x1b[A\r", Picked(("both",))),
        ("2\r", Picked(("right",))),
        ("39\r", Picked(("both",))),
        ("b", Back()),
        ("s", Skip()),
    ],
)
def test_choice_keys(keys: PipeInput, typed: str, reply: object) -> None:
    """Arrows and numbers move, Enter picks; b goes back and s skips at once."""
    keys.send_text(typed)
    assert TerminalFrontEnd().ask(CHOICE, "") == reply


def test_choice_starts_on_the_current_answer(keys: PipeInput) -> None:
    """Coming back to a question, the cursor is on the answer given before."""
    keys.send_text("\r")
    again = replace(CHOICE, selected=("both",))
    assert TerminalFrontEnd().ask(again, "") == Picked(("both",))


def test_checklist_keys_reach_two_digit_items(keys: PipeInput) -> None:
    """On the 12-item checklist, 1 then 2 moves to item 12; Space ticks; Enter gives the ticked ones."""
    keys.send_text("3 12 \x1b[A \r")
    picked = TerminalFrontEnd().ask(CHECKLIST, "")
    ids = [item.id for item in CHECKLIST_ITEMS]
    assert picked == Picked((ids[2], ids[10], ids[11]))


def test_enter_on_none_with_nothing_ticked_chooses_it(keys: PipeInput) -> None:
    """Enter on "None of these apply to me" (Up from the first item reaches it) chooses it, Space or not."""
    none_option = Option("none", "None of these apply to me")
    with_none = replace(CHECKLIST, options=(*CHECKLIST.options, none_option))
    keys.send_text("\x1b[A\r")
    assert TerminalFrontEnd().ask(with_none, "") == Picked(("none",))
    keys.send_text("1 \x1b[A\x1b[A\r")
    assert TerminalFrontEnd().ask(with_none, "") == Picked((CHECKLIST_ITEMS[0].id,))


def test_line_front_end_drops_arrow_keys_and_says_so() -> None:
    """With --plain, an arrow key's escape code is no answer: it is dropped, said, and the line read again."""
    out = io.StringIO()
    front = LineFrontEnd(io.StringIO("\x1b[A\x1b[B\n\x1bOB2\n"), out)
    assert front.ask(CHOICE, "") == Typed("2")
    shown = out.getvalue()
    assert shown.count("Arrow keys do nothing here: type the number or the answer, then Enter.") == 2
    assert "\x1b" not in shown


def test_skip_and_back_keys_do_nothing_where_not_allowed(keys: PipeInput) -> None:
    """The checklist cannot be skipped or left backwards: s and b are ignored there."""
    keys.send_text("sb\r")
    assert TerminalFrontEnd().ask(CHECKLIST, "") == Picked(())


def test_rejected_ticks_are_kept_for_the_retry(keys: PipeInput) -> None:
    """When the session rejects a checklist answer, the retry starts from the ticks just made."""
    front = TerminalFrontEnd()
    keys.send_text("1 \r")
    first = front.ask(CHECKLIST, "")
    keys.send_text("\r")
    assert front.ask(CHECKLIST, "Not like that.") == first


@pytest.mark.parametrize("key", ["\x03", "\x04"])
def test_ctrl_c_and_ctrl_d_stop(keys: PipeInput, key: str) -> None:
    """Ctrl-C (or Ctrl-D) on a choice stops the questionnaire."""
    keys.send_text(key)
    with pytest.raises(KeyboardInterrupt):
        TerminalFrontEnd().ask(CHOICE, "")


def test_text_prompt_starts_with_the_current_answer(keys: PipeInput) -> None:
    """A typed answer prompt holds the current answer; typing adds to it, Enter sends it."""
    keys.send_text("3\r")
    assert TerminalFrontEnd().ask(TEXT, "") == Typed("523")


def test_ctrl_d_on_a_text_prompt_stops(keys: PipeInput) -> None:
    """Ctrl-D on an empty typed-answer prompt stops, as Ctrl-C does."""
    keys.send_text("\x04")
    empty = replace(TEXT, default_text="")
    with pytest.raises(KeyboardInterrupt):
        TerminalFrontEnd().ask(empty, "")
