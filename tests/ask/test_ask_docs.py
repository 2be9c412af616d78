"""docs/ask.md shows what the program does: its sessions are replayed against the real `ask`.

Each code block of a replayed section is cut at its elisions ("[... ...]") and its command line;
every piece must appear, line for line and in order, in what the program shows for the same
command and the same keys.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from test_ask_terminal import BOTH_PAINS, FACTORS_IMPERIAL, SEE_REPORT, WHOLE_BODY_NONE, pick, text, walk

from support import ROOT
from support.ask_screen import Terminal, ask

DOC = ROOT / "docs" / "ask.md"
ELISION = re.compile(r"^\[\.\.\..*\]$")


def lines_of(text: str) -> list[str]:
    """Lines without trailing spaces, runs of blank lines as one (as a terminal's screen is read)."""
    lines: list[str] = []
    for line in (raw.rstrip() for raw in text.splitlines()):
        if not (line == "" and lines and lines[-1] == ""):
            lines.append(line)
    return lines


def code_blocks(section: str) -> list[list[str]]:
    """The code blocks under the `## section` heading of docs/ask.md, as lines."""
    doc = DOC.read_text(encoding="utf-8")
    start = doc.index(f"\n## {section}\n")
    end = doc.find("\n## ", start + 1)
    body = doc[start : end if end > 0 else len(doc)]
    return [lines_of(block) for block in re.findall(r"^```\n(.*?)^```$", body, re.M | re.S)]


def pieces(block: list[str]) -> list[list[str]]:
    """The runs of shown lines between elisions and command lines, without blank edges."""
    found: list[list[str]] = [[]]
    for line in block:
        if ELISION.match(line) or line.startswith("$ "):
            found.append([])
        else:
            found[-1].append(line)
    trimmed = []
    for piece in found:
        while piece and piece[0] == "":
            piece = piece[1:]
        while piece and piece[-1] == "":
            piece = piece[:-1]
        if piece:
            trimmed.append(piece)
    return trimmed


def missing(shown: list[str], block: list[str]) -> list[list[str]]:
    """The pieces of `block` not found, in order, in `shown`."""
    at = 0
    lost = []
    for piece in pieces(block):
        where = next(
            (i for i in range(at, len(shown) - len(piece) + 1) if shown[i : i + len(piece)] == piece), None
        )
        if where is None:
            lost.append(piece)
        else:
            at = where + len(piece)
    return lost


def command_args(block: list[str], program: str = "factorcheck ask") -> list[str]:
    command = next(line for line in block if line.startswith("$ "))
    return shlex.split(command.split(program, 1)[1])


def test_the_session_in_the_docs_is_what_the_program_shows(tmp_path: Path) -> None:
    """The documented session, replayed in an 80 x 24 terminal with the same options and keys."""
    opening, checklist, rest = code_blocks("A session")
    term = Terminal(*command_args(opening), cwd=tmp_path, start=False)
    term.wait_for("Press Enter to start")
    term.keys("enter")
    term.wait_until(lambda: "Enter: done" in term.display(), "the warning-sign checklist")
    term.keys("8", "space")
    term.wait_until(lambda: "[x]  8." in term.display(), "item 8 ticked")
    assert missing(lines_of(term.display()), checklist) == []
    term.keys("enter")
    pick(term, "Is it a yes", "2")
    text(term, "How old are you", "fifty")
    walk(term, [("text", "How old are you", "52"), *BOTH_PAINS[1:], *FACTORS_IMPERIAL, *WHOLE_BODY_NONE])
    walk(term, [SEE_REPORT])
    assert term.finish() == 0
    shown = lines_of(term.transcript())
    assert missing(shown, opening) == []
    assert missing(shown, rest) == []


def test_the_plain_session_in_the_docs_is_what_the_program_prints(tmp_path: Path) -> None:
    """The documented piped session: the same replies give the lines shown."""
    (block,) = code_blocks("Without a terminal")
    command = next(line for line in block if line.startswith("$ "))
    replies = shlex.split(command.split("printf '%s\\n'", 1)[1].split("|", 1)[0])
    result = ask(replies, *command_args(block), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert missing(lines_of(result.stdout), block) == []
