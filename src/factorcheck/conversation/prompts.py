"""What the questionnaire asks and hears back, and what a front end must do, independent of any screen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

PromptKind = Literal["checklist", "choice", "multi", "text", "review"]
NoticeKind = Literal["emergency", "urgent", "dropped", "converted", "info"]


@dataclass(frozen=True)
class Option:
    """One answer a person can pick: `key` is what is stored or typed, `label` what is shown."""

    key: str
    label: str


@dataclass(frozen=True)
class ReviewLine:
    """One answer on the review screen: its number there, the item's label and the answer in words."""

    number: int
    item: str
    label: str
    answer: str


@dataclass(frozen=True)
class Prompt:
    """One screen of the questionnaire: a question, a checklist, or the review of all answers."""

    key: str
    kind: PromptKind
    # The part of the questionnaire, as a heading: "Part 2 of 4: Your pain and its history".
    section: str
    question: str
    help: str = ""
    # Why a follow-up is asked: the earlier answer it follows from.
    context: str = ""
    # How to type the answer (units, ranges); front ends add their own key help.
    hint: str = ""
    options: tuple[Option, ...] = ()
    # Option keys chosen now (the current answer, when going back or changing an answer).
    selected: tuple[str, ...] = ()
    # Text prompts: the current answer as it would be typed.
    default_text: str = ""
    can_skip: bool = False
    can_go_back: bool = True
    review: tuple[ReviewLine, ...] = ()


@dataclass(frozen=True)
class Typed:
    """Text as the person typed it; the session parses it."""

    text: str


@dataclass(frozen=True)
class Picked:
    """Option keys picked on a screen with options (one for a choice, any number for a checklist)."""

    keys: tuple[str, ...]


@dataclass(frozen=True)
class Back:
    """Go back to the previous question."""


@dataclass(frozen=True)
class Skip:
    """Leave an optional question unanswered."""


Reply = Typed | Picked | Back | Skip


@dataclass(frozen=True)
class Notice:
    """Something the person must be told between prompts: an emergency, dropped answers, a conversion."""

    kind: NoticeKind
    title: str
    text: str = ""
    lines: tuple[str, ...] = ()
    # Wait until the person says they have read it before the next question.
    wait: bool = False


class FrontEnd(Protocol):
    """A way of showing prompts to a person and reading their replies (terminal, plain lines, a form)."""

    def ask(self, prompt: Prompt, error: str) -> Reply:
        """Show the prompt (with `error` from the last try, if any) and return the reply.

        Raises KeyboardInterrupt when the person stops, EOFError when the input ends.
        """
        ...

    def notify(self, notice: Notice) -> None:
        """Show a notice; an emergency waits until the person has seen it."""
        ...

    def ask_line(self, question: str) -> str:
        """Ask one free-text question outside the questionnaire (a file name); "" when left empty."""
        ...

    def say(self, text: str, wrapped: bool = True) -> None:
        """Show a line of text; `wrapped=False` keeps it on one line (a command to copy as shown)."""
        ...
