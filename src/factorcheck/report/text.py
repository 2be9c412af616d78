"""The report as plain text for an 80-column terminal; the consult message is the last paragraph."""

from __future__ import annotations

import textwrap

from factorcheck.report.document import Alert, Block, Bullets, Closing, Heading, Paragraph

WIDTH = 78


def _wrap(text: str, indent: str = "", first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text, width=WIDTH, initial_indent=first if first is not None else indent, subsequent_indent=indent
    )


def render_text(blocks: list[Block], plain: bool = False) -> str:
    """Plain text: headings underlined, bullets indented, the alert framed.

    `plain` is for screen readers: no frame of "!" and no underlines, which are read out mark by
    mark; the alert says "Important" in words instead.
    """
    lines: list[str] = []
    previous: Block | None = None
    for block in blocks:
        if isinstance(block, Alert):
            frame = [] if plain else ["!" * WIDTH]
            title = f"{block.level.upper()}: {block.title.upper()}"
            lines += [
                *frame,
                *_wrap(f"Important. {title}." if plain else title),
                *_wrap(block.text),
                *frame,
            ]
        elif isinstance(block, Heading) and plain:
            lines += ["", block.text.upper() if block.level == 1 else block.text]
        elif isinstance(block, Heading):
            if block.level == 3:
                wrapped = _wrap(block.text)
                lines += ["", *wrapped, "~" * max(len(line) for line in wrapped)]
            else:
                underline = "=" if block.level == 1 else "-"
                lines += [
                    "",
                    block.text.upper() if block.level == 1 else block.text,
                    underline * len(block.text),
                ]
        elif isinstance(block, Paragraph):
            if previous is not None and not isinstance(previous, Heading):
                lines.append("")
            lines += _wrap(block.text.upper() if block.strong and len(block.text) < 60 else block.text)
        elif isinstance(block, Bullets):
            for item in block.items:
                lines += _wrap(item, indent="    ", first="  - ")
        elif isinstance(block, Closing):
            # Below a rule, so that everything after the last rule of a text report is the message.
            lines += ["", *([] if plain else ["-" * WIDTH]), *_wrap(block.text)]
        previous = block
    return "\n".join(lines).lstrip("\n") + "\n"
