"""The questionnaire in an interactive terminal: arrow keys or numbers to choose, Space to tick."""

from __future__ import annotations

import shutil

from prompt_toolkit import PromptSession, print_formatted_text
from prompt_toolkit.application import Application
from prompt_toolkit.formatted_text import FormattedText, StyleAndTextTuples
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.layout import FormattedTextControl, Layout, Window
from prompt_toolkit.styles import Style

from factorcheck.answers.questionnaire import EXCLUSIVE_CHOICES
from factorcheck.ask.prompt_text import (
    WIDTH,
    chosen_text,
    context_lines,
    navigation_help,
    notice_lines,
    option_label,
    question_lines,
    review_lines,
    section_lines,
    wrap,
)
from factorcheck.conversation.prompts import Back, Notice, Picked, Prompt, Reply, Skip, Typed

STYLE = Style.from_dict(
    {
        "question": "bold",
        "context": "italic",
        "cursor": "reverse",
        "error": "bold",
        "keys": "",
        "emergency": "bold",
        "answer": "bold",
    }
)
Lines = StyleAndTextTuples


def _width() -> int:
    return min(shutil.get_terminal_size((WIDTH + 2, 24)).columns - 2, WIDTH)


def _height() -> int:
    return shutil.get_terminal_size((WIDTH + 2, 24)).lines


def _show(fragments: Lines) -> None:
    print_formatted_text(FormattedText(fragments), style=STYLE, end="")


def _styled(style: str, lines: list[str]) -> Lines:
    return [(style, line + "\n") for line in lines]


def _key_help(prompt: Prompt) -> str:
    if prompt.kind == "choice":
        keys = "Up/Down or number: choose. Enter: confirm."
    else:
        keys = "Up/Down or number: move. Space: tick or untick. Enter: done."
    extra = [
        word for word, allowed in (("b: back", prompt.can_go_back), ("s: skip", prompt.can_skip)) if allowed
    ]
    return " ".join([keys, *(f"{word}." for word in extra), "Ctrl-C: stop."])


class _Picker:
    """One screen of options, drawn under the cursor and erased once answered."""

    def __init__(self, prompt: Prompt, error: str, checked: tuple[str, ...]) -> None:
        self.prompt = prompt
        self.error = error
        self.many = prompt.kind in ("checklist", "multi")
        self.checked = set(checked)
        keys = [option.key for option in prompt.options]
        self.cursor = keys.index(checked[0]) if checked and not self.many else 0
        # Digits typed so far, for option numbers above 9.
        self.digits = ""
        # A key that did nothing, said until the next key (a number with no option).
        self.note = ""
        self.width = _width()

    def fragments(self) -> Lines:
        prompt = self.prompt
        width = self.width
        head = _styled("", [""]) + _styled("class:context", context_lines(prompt))
        head += _styled("class:question", question_lines(prompt, width))
        short_head = _styled("class:question", wrap(prompt.question, width=width))
        error = (
            _styled("class:error", wrap(self.error, indent="  ", first="! ", width=width))
            if self.error
            else []
        )
        if self.note:
            error += _styled("class:error", wrap(self.note, indent="  ", first="! ", width=width))
        options: list[Lines] = []
        for index in range(len(prompt.options)):
            label = option_label(prompt, index + 1, self.checked)
            here = index == self.cursor
            hang = " " * (2 + label.index(prompt.options[index].label))
            wrapped = wrap(label, indent=hang, first="> " if here else "  ", width=width)
            options.append(_styled("class:cursor" if here else "", wrapped))
        keys = _styled("class:keys", wrap(_key_help(prompt), width=width))
        # One row stays free below the screen, where the terminal's cursor rests.
        rows = _height() - 1
        if len(head) + len(error) + sum(map(len, options)) + len(keys) > rows:
            # Too tall for the terminal: the question alone heads the screen, and the options scroll
            # with the cursor, so that the key help and the error are never pushed out of sight.
            head = short_head
            lines = head + error + self._window(options, rows - len(head) - len(error) - len(keys)) + keys
        else:
            lines = head + error + [fragment for option in options for fragment in option] + keys
        lines[-1] = (lines[-1][0], lines[-1][1].rstrip("\n"))
        return lines

    def _window(self, options: list[Lines], room: int) -> Lines:
        """The options around the cursor that fit in `room` rows, with a line for those above and below."""
        first = last = self.cursor
        used = len(options[self.cursor])

        def fits(extra: int, start: int, end: int) -> bool:
            marks = (start > 0) + (end < len(options) - 1)
            return used + extra + marks <= room

        while True:
            grown = False
            if last + 1 < len(options) and fits(len(options[last + 1]), first, last + 1):
                last += 1
                used += len(options[last])
                grown = True
            if first > 0 and fits(len(options[first - 1]), first - 1, last):
                first -= 1
                used += len(options[first])
                grown = True
            if not grown:
                break
        lines: Lines = []
        if first > 0:
            lines += _styled("class:keys", [f"  ({first} more above: press Up)"])
        lines += [fragment for option in options[first : last + 1] for fragment in option]
        if last < len(options) - 1:
            lines += _styled("class:keys", [f"  ({len(options) - 1 - last} more below: press Down)"])
        return lines

    def bindings(self) -> KeyBindings:
        bindings = KeyBindings()
        count = len(self.prompt.options)

        @bindings.add("up")
        def _up(event: KeyPressEvent) -> None:
            self.digits = self.note = ""
            self.cursor = (self.cursor - 1) % count

        @bindings.add("down")
        def _down(event: KeyPressEvent) -> None:
            self.digits = self.note = ""
            self.cursor = (self.cursor + 1) % count

        for digit in "0123456789":

            @bindings.add(digit)
            def _number(event: KeyPressEvent) -> None:
                typed = self.digits + event.data
                if not 1 <= int(typed) <= count:
                    typed = event.data if 1 <= int(event.data) <= count else ""
                self.note = "" if typed else f"There is no option {event.data}: the options are 1 to {count}."
                if typed:
                    self.cursor = int(typed) - 1
                # Keep the digits only while another digit could still name an option.
                self.digits = typed if typed and int(typed) * 10 <= count else ""

        @bindings.add("space")
        def _tick(event: KeyPressEvent) -> None:
            self.digits = self.note = ""
            if self.many:
                self.checked ^= {self.prompt.options[self.cursor].key}

        @bindings.add("enter")
        def _done(event: KeyPressEvent) -> None:
            if self.many:
                keys = tuple(o.key for o in self.prompt.options if o.key in self.checked)
                here = self.prompt.options[self.cursor].key
                if not keys and here in EXCLUSIVE_CHOICES:
                    # Enter on "None of these apply to me" (or "Not sure") with nothing ticked means it.
                    keys = (here,)
            else:
                keys = (self.prompt.options[self.cursor].key,)
            event.app.exit(result=Picked(keys))

        if self.prompt.can_go_back:

            @bindings.add("b")
            def _back(event: KeyPressEvent) -> None:
                event.app.exit(result=Back())

        if self.prompt.can_skip:

            @bindings.add("s")
            def _skip(event: KeyPressEvent) -> None:
                event.app.exit(result=Skip())

        @bindings.add("c-c")
        @bindings.add("c-d")
        def _stop(event: KeyPressEvent) -> None:
            event.app.exit(exception=KeyboardInterrupt())

        return bindings

    def run(self) -> Reply:
        control = FormattedTextControl(self.fragments, show_cursor=False)
        app: Application[Reply] = Application(
            layout=Layout(Window(control, dont_extend_height=True)),
            key_bindings=self.bindings(),
            style=STYLE,
            full_screen=False,
            erase_when_done=True,
        )
        return app.run()


class TerminalFrontEnd:
    """Draws prompts with prompt_toolkit; leaves a one-line record of each answer on the screen."""

    def __init__(self) -> None:
        self._section = ""
        # In memory only: nothing typed here is written to a history file.
        self._line = PromptSession[str]()
        # The last keys picked for each prompt, so that a rejected checklist keeps its ticks.
        self._picked: dict[str, tuple[str, ...]] = {}
        # The record of a picked answer, shown once the answer is accepted (a rejected one is re-asked).
        self._record: Lines = []

    def _read(self, message: str = "> ", default: str = "") -> str:
        try:
            return self._line.prompt(message, default=default)
        except EOFError:
            # Ctrl-D at a terminal means the person wants to stop, as Ctrl-C does.
            raise KeyboardInterrupt from None

    def _flush(self) -> None:
        if self._record:
            _show(self._record)
            self._record = []

    def ask(self, prompt: Prompt, error: str) -> Reply:
        width = _width()
        if error:
            # The same prompt again: the record of the rejected answer is not shown.
            self._record = []
        self._flush()
        if prompt.section != self._section:
            self._section = prompt.section
            _show(_styled("class:question", section_lines(prompt.section)))
        if prompt.kind in ("choice", "multi", "checklist"):
            return self._pick(prompt, error)
        if not error:
            lines = _styled("", [""]) + _styled("class:context", context_lines(prompt))
            lines += _styled("class:question", question_lines(prompt, width)[:1])
            lines += _styled("", question_lines(prompt, width)[1:])
            if prompt.kind == "review":
                lines += _styled("", review_lines(prompt, width))
            help_text = navigation_help(prompt)
            if help_text:
                lines += _styled("class:keys", wrap(help_text, indent="  ", width=width))
            _show(lines)
        if error:
            _show(_styled("class:error", wrap(error, indent="  ", first="! ", width=width)))
        return Typed(self._read(default=prompt.default_text))

    def _pick(self, prompt: Prompt, error: str) -> Reply:
        checked = self._picked.get(prompt.key, prompt.selected) if error else prompt.selected
        reply = _Picker(prompt, error, checked).run()
        width = _width()
        record = _styled("", [""]) + _styled("class:context", context_lines(prompt))
        record += _styled("class:question", wrap(prompt.question, width=width))
        if isinstance(reply, Picked):
            self._picked[prompt.key] = reply.keys
            answer = chosen_text(prompt, reply.keys) or "(nothing chosen)"
            record += _styled("class:answer", wrap(answer, indent="    ", first="  > ", width=width))
        elif isinstance(reply, Skip):
            record += _styled("", ["  > (skipped)"])
        else:
            record += _styled("", ["  > (going back)"])
        self._record = record
        return reply

    def notify(self, notice: Notice) -> None:
        self._flush()
        width = _width()
        style = "class:emergency" if notice.kind in ("emergency", "urgent") else ""
        lines = notice_lines(notice, width)
        _show(_styled(style, lines if notice.kind == "converted" else ["", *lines]))
        if notice.wait:
            self._read("Press Enter to continue with the questions, or Ctrl-C to stop: ")

    def ask_line(self, question: str) -> str:
        self._flush()
        _show(_styled("", wrap(question, width=_width())))
        return self._read().strip()

    def say(self, text: str, wrapped: bool = True) -> None:
        self._flush()
        _show(_styled("", wrap(text, width=_width()) if text and wrapped else [text]))
