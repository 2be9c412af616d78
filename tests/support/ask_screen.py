"""A pseudo-terminal running `factorcheck ask`, read through a terminal emulator as a person sees it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pexpect
import pyte

ROWS, COLUMNS = 24, 80
TIMEOUT = 30.0

KEYS = {
    "up": "\x1b[A",
    "down": "\x1b[B",
    "enter": "\r",
    "space": " ",
    "ctrl-c": "\x03",
}


class _Screen(pyte.HistoryScreen):
    """Keeps the lines that scroll off the top, and answers cursor-position requests as a terminal does."""

    def __init__(self, reply: Callable[[str], object], rows: int) -> None:
        super().__init__(COLUMNS, rows, history=10_000, ratio=0.5)
        self._reply = reply

    def write_process_input(self, data: str) -> None:
        self._reply(data)


class Terminal:
    """`factorcheck ask ARGS` in an 80 x 24 (or `rows`) pseudo-terminal; waits poll what the screen shows."""

    def __init__(self, *args: str, cwd: Path, rows: int = ROWS, start: bool = True) -> None:
        env = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "COLUMNS", "LINES")}
        env["TERM"] = "xterm"
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "factorcheck", "ask", *args],
            cwd=str(cwd),
            env=env,
            dimensions=(rows, COLUMNS),
            encoding=None,
        )
        self.screen = _Screen(lambda data: self.child.send(data), rows)
        self.stream = pyte.ByteStream(self.screen)
        self.replies = 0
        if start and "--plain" not in args:
            # The opening notice waits for Enter, so that a small screen shows it before the questions.
            self.wait_for("Press Enter to start")
            self.keys("enter")

    def _pump(self, seconds: float = 0.05) -> bool:
        """Feed what the program wrote to the emulator; False once the program has closed its side."""
        try:
            data = self.child.read_nonblocking(65536, timeout=seconds)
        except pexpect.TIMEOUT:
            return True
        except pexpect.EOF:
            return False
        # Spawned without an encoding, the program's output arrives as bytes.
        self.stream.feed(data if isinstance(data, bytes) else data.encode())
        return True

    def display(self) -> str:
        """The visible screen, one line per row, trailing blanks removed."""
        return "\n".join(line.rstrip() for line in self.screen.display)

    def transcript(self) -> str:
        """Everything that scrolled off the top, then the visible screen."""
        scrolled = [
            "".join(line[x].data for x in range(COLUMNS)).rstrip() for line in self.screen.history.top
        ]
        return "\n".join([*scrolled, self.display()])

    def cursor_line(self) -> str:
        return self.screen.display[self.screen.cursor.y].rstrip()

    def wait_until(self, check: Callable[[], bool], what: str, timeout: float = TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while True:
            alive = self._pump()
            if check():
                return
            if not alive or time.monotonic() > deadline:
                state = "the program ended" if not alive else f"{timeout:.0f} s passed"
                raise AssertionError(f"{state} before the screen showed {what}. Screen:\n{self.display()}")

    def wait_for(self, text: str, timeout: float = TIMEOUT) -> None:
        """Wait until the screen has shown `text` (visible now or scrolled off since; wrapping ignored)."""
        wanted = " ".join(text.split())
        self.wait_until(lambda: wanted in " ".join(self.transcript().split()), repr(text), timeout)

    def wait_for_count(self, text: str, count: int) -> None:
        """Wait until `text` has been shown `count` times in all (for a question asked again)."""
        self.wait_until(lambda: self.transcript().count(text) >= count, f"{text!r} {count} times")

    def keys(self, *names: str) -> None:
        """Press keys by name ("down", "enter", "space", "ctrl-c") or type literal text."""
        for name in names:
            self.child.send(KEYS.get(name, name))

    def answer(self, *names: str) -> None:
        """Press keys that answer one prompt (counted, for the prompt budget)."""
        self.replies += 1
        self.keys(*names)

    def type_line(self, text: str) -> None:
        """Type an answer and press Enter (one prompt answered)."""
        self.answer(text, "enter")

    def finish(self, timeout: float = TIMEOUT) -> int:
        """Wait for the program to end; its exit status."""
        deadline = time.monotonic() + timeout
        while self._pump():
            if time.monotonic() > deadline:
                raise AssertionError(f"the program did not end. Screen:\n{self.display()}")
        self.child.close()
        assert self.child.exitstatus is not None, f"ended by signal {self.child.signalstatus}"
        return self.child.exitstatus


def ask(lines: Sequence[str], *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`factorcheck ask ARGS` with `lines` piped in as the person's replies (plain line prompts)."""
    return subprocess.run(
        [sys.executable, "-m", "factorcheck", "ask", *args],
        input="".join(f"{line}\n" for line in lines),
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        timeout=120,
    )
