"""The questionnaire as plain line-by-line prompts: for pipes, scripts, screen readers and dumb terminals."""

from __future__ import annotations

import re
from typing import TextIO

from factorcheck.ask.prompt_text import (
    context_lines,
    navigation_help,
    notice_lines,
    option_lines,
    question_lines,
    review_lines,
    section_lines,
    wrap,
)
from factorcheck.conversation.prompts import Notice, Prompt, Reply, Typed


def _key_help(prompt: Prompt) -> str:
    keep = ", or press Enter to keep the answer shown" if prompt.selected else ""
    how = {
        "checklist": f"Type the numbers that apply (for example 2 5), or none if none apply{keep}.",
        "multi": "Type the numbers that apply, separated by spaces or commas.",
        "choice": "Type a number or the answer.",
    }.get(prompt.kind, "")
    return f"{how} {navigation_help(prompt)}".strip()


# What a special key sends: CSI or SS3 sequences ("\x1b[A", "\x1bOB", "\x1b[3~"), or a lone escape.
_ESCAPES = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|O[@-~]|.)?")


class LineFrontEnd:
    """Prints each prompt and reads one line per reply; echoes replies that were not typed by a person."""

    def __init__(self, stdin: TextIO, stdout: TextIO) -> None:
        self._in = stdin
        self._out = stdout
        self._section = ""
        self._echo = not stdin.isatty()

    def _print(self, lines: list[str]) -> None:
        self._out.write("".join(f"{line}\n" for line in lines))

    def _read(self, mark: str = "> ") -> str:
        self._out.write(mark)
        self._out.flush()
        line = self._in.readline()
        if not line:
            raise EOFError
        text = line.rstrip("\r\n")
        keys = _ESCAPES.sub("", text)
        if keys != text:
            # Arrow keys (and other special keys) reach a line reader as escape codes, echoed by the
            # terminal as "^[[A": dropped, and said so, since nothing moves here.
            self._out.write("  (Arrow keys do nothing here: type the number or the answer, then Enter.)\n")
            if not keys.strip():
                return self._read(mark)
        if self._echo:
            self._out.write(keys + "\n")
        return keys

    def ask(self, prompt: Prompt, error: str) -> Reply:
        if prompt.section != self._section:
            self._section = prompt.section
            self._print(section_lines(prompt.section))
        lines = [""]
        if error:
            lines += wrap(error, indent="  ", first="! ")
        lines += context_lines(prompt) + question_lines(prompt)
        if prompt.kind == "review":
            lines += review_lines(prompt)
        # One option per line, without boxes: read out, "[x]" says nothing that "ticked" does not.
        lines += option_lines(prompt, checked=prompt.selected, plain=True)
        if prompt.selected and prompt.kind == "choice":
            current = next(o.label for o in prompt.options if o.key == prompt.selected[0])
            lines += wrap(f"Press Enter to keep: {current}.", indent="  ")
        elif prompt.default_text:
            lines += wrap(f"Press Enter to keep: {prompt.default_text}.", indent="  ")
        help_text = _key_help(prompt)
        if help_text:
            lines += wrap(help_text, indent="  ")
        self._print(lines)
        return Typed(self._read())

    def notify(self, notice: Notice) -> None:
        lines = notice_lines(notice, plain=True)
        self._print(["", *lines] if notice.kind != "converted" else lines)

    def ask_line(self, question: str) -> str:
        self._print(wrap(question))
        return self._read().strip()

    def say(self, text: str, wrapped: bool = True) -> None:
        self._print(wrap(text) if text and wrapped else [text])
