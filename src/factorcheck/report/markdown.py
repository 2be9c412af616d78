"""The report as Markdown, to print or take to a clinician; the consult message is the last line."""

from __future__ import annotations

from factorcheck.report.document import Alert, Block, Bullets, Closing, Heading, Paragraph


def _escape(text: str) -> str:
    # Answers and titles are plain text; keep Markdown from reading them as markup.
    for character in ("\\", "*", "_", "`", "#", "[", "]", "<", ">"):
        text = text.replace(character, "\\" + character)
    return text


def render_markdown(blocks: list[Block]) -> str:
    """Markdown: the alert as a block quote, headings by level, the consult message last."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Alert):
            parts.append(
                f"> **{_escape(block.level.upper())}: {_escape(block.title)}**\n>\n> {_escape(block.text)}"
            )
        elif isinstance(block, Heading):
            parts.append(f"{'#' * block.level} {_escape(block.text)}")
        elif isinstance(block, Paragraph):
            parts.append(f"**{_escape(block.text)}**" if block.strong else _escape(block.text))
        elif isinstance(block, Bullets):
            parts.append("\n".join(f"- {_escape(item)}" for item in block.items))
        elif isinstance(block, Closing):
            parts.append("---\n\n" + _escape(block.text))
    return "\n\n".join(parts) + "\n"
