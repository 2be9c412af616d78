"""How prompts and notices read as plain lines of at most 80 columns, for every terminal front end."""

from __future__ import annotations

import textwrap
from collections.abc import Collection

from factorcheck.conversation.prompts import Notice, Prompt

WIDTH = 78


def wrap(text: str, indent: str = "", first: str | None = None, width: int = WIDTH) -> list[str]:
    """Text wrapped to the width, with a hanging indent."""
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_on_hyphens=False,
    ) or [indent if first is None else first]


def navigation_help(prompt: Prompt) -> str:
    """Which navigation words a prompt accepts."""
    words = []
    if prompt.can_go_back:
        words.append("back to go back")
    if prompt.can_skip:
        words.append("skip to leave this question out")
    return f"Type {' or '.join(words)}." if words else ""


def section_lines(section: str) -> list[str]:
    """The heading shown when a new part of the questionnaire begins."""
    return ["", section, "=" * len(section)]


def context_lines(prompt: Prompt) -> list[str]:
    """The line saying why a follow-up is asked, if it is one."""
    return wrap(prompt.context) if prompt.context else []


def question_lines(prompt: Prompt, width: int = WIDTH) -> list[str]:
    """The question itself, with its help text and how to type the answer."""
    lines = wrap(prompt.question, width=width)
    if prompt.help:
        lines += wrap(prompt.help, indent="  ", width=width)
    if prompt.hint and prompt.kind != "review":
        lines += wrap(prompt.hint, indent="  ", width=width)
    return lines


def option_label(prompt: Prompt, number: int, checked: Collection[str] = (), plain: bool = False) -> str:
    """One numbered option: "3. Not sure", or with a box on a checklist: "[x] 3. Gout".

    `plain` says "(ticked)" in words instead of drawing boxes, for screen readers.
    """
    option = prompt.options[number - 1]
    if plain:
        return f"{number}. {option.label}" + (" (ticked)" if option.key in checked else "")
    if prompt.kind in ("checklist", "multi"):
        box = "[x]" if option.key in checked else "[ ]"
        return f"{box} {number:>{len(str(len(prompt.options)))}}. {option.label}"
    return f"{number}. {option.label}"


def option_lines(
    prompt: Prompt,
    marker: str = "  ",
    checked: Collection[str] = (),
    width: int = WIDTH,
    plain: bool = False,
) -> list[str]:
    """Every option, numbered, one per line, each wrapped under its own text."""
    lines: list[str] = []
    for number in range(1, len(prompt.options) + 1):
        label = option_label(prompt, number, checked, plain)
        hang = " " * (len(marker) + label.index(prompt.options[number - 1].label))
        lines += wrap(label, indent=hang, first=marker, width=width)
    return lines


def review_lines(prompt: Prompt, width: int = WIDTH) -> list[str]:
    """The numbered list of answers on the review screen."""
    digits = len(str(len(prompt.review)))
    lines: list[str] = []
    for line in prompt.review:
        head = f"{line.number:>{digits}}. "
        lines += wrap(f"{line.label}: {line.answer}", indent=" " * len(head), first=head, width=width)
    # After the list, where the eye is when it has been read.
    return lines + wrap(prompt.hint, width=width)


def chosen_text(prompt: Prompt, keys: Collection[str]) -> str:
    """The options picked, in words, as a record of the answer."""
    labels = [option.label for option in prompt.options if option.key in keys]
    if prompt.kind == "checklist":
        return "Ticked: " + "; ".join(labels) if labels else "Ticked: nothing"
    return "; ".join(labels)


def notice_lines(notice: Notice, width: int = WIDTH, plain: bool = False) -> list[str]:
    """A notice as lines: an emergency or urgent sign framed so that it cannot be missed.

    `plain` leaves out the frame of "!" that a screen reader would read out character by character.
    """
    if notice.kind in ("emergency", "urgent"):
        frame = [] if plain else ["!" * width]
        title = f"Important: {notice.title}." if plain else notice.title.upper()
        lines = [*frame, *wrap(title, width=width), *wrap(notice.text, width=width)]
        if notice.lines:
            lines += ["", "Warning signs in your answers:"]
            for line in notice.lines:
                lines += wrap(line, indent="    ", first="  - ", width=width)
        return [*lines, *frame]
    if notice.kind == "converted":
        return wrap(f"({notice.title})", indent="  ", width=width)
    lines = wrap(notice.title, width=width) + (wrap(notice.text, width=width) if notice.text else [])
    for line in notice.lines:
        lines += wrap(line, indent="    ", first="  - ", width=width)
    return lines
