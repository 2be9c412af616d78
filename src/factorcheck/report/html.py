"""The report as one self-contained HTML page (inline CSS, no requests); the consult message comes last."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
from collections.abc import Sequence
from html import escape

from factorcheck.report.chain import PARTS, PATHS, highlighted_parts, highlighted_steps
from factorcheck.report.document import Alert, Block, Bullets, Closing, Heading, Paragraph

# The picture of the chain goes at the end of this section's introduction; a layout without this
# heading still gets it, just before the consult message.
LINKS_HEADING = "How your knee and heel pain may be linked"

CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 1.0625rem;
  line-height: 1.5; color: #1a1a1a; background: #fff; margin: 0; }
main { max-width: 46rem; margin: 0 auto; padding: 1rem 1.25rem 2rem; }
h1 { font-size: 1.75rem; margin: 1.25rem 0 0.5rem; }
h2 { font-size: 1.375rem; margin: 1.75rem 0 0.5rem; border-bottom: 2px solid #d0d0d0; }
h3 { font-size: 1.125rem; margin: 1.25rem 0 0.25rem; }
ul { padding-left: 1.5rem; }
a { color: #0b57a4; }
:focus-visible { outline: 3px solid #0b57a4; outline-offset: 2px; }
.alert { border: 3px solid #8a1c1c; background: #fdecec; padding: 0.75rem 1rem; margin: 1rem 0; }
.alert-urgent, .alert-soon { border-color: #7a4a00; background: #fff4e0; }
.alert-title { font-size: 1.25rem; font-weight: 700; margin: 0 0 0.25rem; }
.consult { border-top: 2px solid #1a1a1a; margin-top: 2rem; padding-top: 0.75rem; font-weight: 700; }
.actions { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; margin: 0.5rem 0; }
.actions button, .actions a { font: inherit; padding: 0.5rem 1rem; border: 2px solid #0b57a4;
  background: #fff; color: #0b57a4; border-radius: 0.25rem; text-decoration: none; cursor: pointer; }
.chain { margin: 1rem 0; }
.chain svg { max-width: 100%; height: auto; }
.chain figcaption { margin-top: 0.5rem; }
@media print {
  @page { size: auto; margin: 15mm; }
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  .actions, .no-print { display: none !important; }
  h2, h3 { break-after: avoid; }
  .alert, figure, li { break-inside: avoid; }
  a { color: #000; }
}
""".strip()


def _inline_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


# What a Content-Security-Policy must allow for the report's one inline style element.
STYLE_HASH = _inline_hash(CSS)


# Most of a report is fixed text (explanations, evidence, headings), and a picture of the chain
# is one of a few dozen: each block's HTML and each picture is made once and looked up after, up
# to this many of each (answer-dependent blocks fill the rest; a full table is only looked up).
REMEMBERED = 4096
_blocks_made: dict[Block, str] = {}
_figures_made: dict[tuple[tuple[str, str], ...], str] = {}


def _chain_figure(links: Sequence[tuple[str, str]]) -> str:
    """The chain picture for these links (see _draw_chain), made once for each list of links."""
    key = tuple(links)
    figure = _figures_made.get(key)
    if figure is None:
        figure = _draw_chain(key)
        if len(_figures_made) < REMEMBERED:
            _figures_made[key] = figure
    return figure


def _draw_chain(links: Sequence[tuple[str, str]]) -> str:
    """The chain as an SVG picture with the steps of the links that apply drawn bold, and in words."""
    ids = [link_id for link_id, _ in links]
    steps, parts = highlighted_steps(ids), highlighted_parts(ids)
    whole_body = any(PATHS[i].whole_body for i in ids if i in PATHS)
    y = [30 + 80 * index for index in range(len(PARTS))]
    shapes: list[str] = []
    for index in range(len(PARTS) - 1):
        on = (index, index + 1) in steps
        dashes = "" if on else ' stroke-dasharray="6 6"'
        shapes.append(
            f'<line x1="150" y1="{y[index] + 22}" x2="150" y2="{y[index + 1] - 22}" '
            f'stroke="{"#0b57a4" if on else "#767676"}" stroke-width="{6 if on else 2}"{dashes} />'
        )
    for index, name in enumerate(PARTS):
        on = index in parts
        weight = ' font-weight="700"' if on else ""
        shapes.append(
            f'<rect x="40" y="{y[index] - 20}" width="220" height="40" rx="8" '
            f'fill="{"#dbe9f7" if on else "#ffffff"}" stroke="{"#0b57a4" if on else "#767676"}" '
            f'stroke-width="{3 if on else 1.5}" />'
            f'<text x="150" y="{y[index] + 6}" text-anchor="middle" font-size="16" fill="#1a1a1a"'
            f"{weight}>{escape(name)}</text>"
        )
    if whole_body:
        shapes.append(
            f'<rect x="280" y="{y[0] - 20}" width="26" height="{y[-1] - y[0] + 40}" rx="6" fill="#dbe9f7" '
            'stroke="#0b57a4" stroke-width="3" />'
            f'<text x="293" y="{(y[0] + y[-1]) / 2}" text-anchor="middle" font-size="14" fill="#1a1a1a" '
            f'transform="rotate(90 293 {(y[0] + y[-1]) / 2})">whole body</text>'
        )
    if links:
        described = "".join(
            f"<li>{escape(title)}: {escape(PATHS[i].in_words() if i in PATHS else 'see above')}.</li>"
            for i, title in links
        )
        summary = "The parts of the leg the links that may apply to you run through are drawn in bold."
        caption = f"<p>{summary}</p><ul>{described}</ul>"
    else:
        summary = "None of the links applies to your answers, so no step of the chain is drawn in bold."
        caption = f"<p>{summary}</p>"
    height = y[-1] + 30
    return (
        '<figure class="chain">'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 {height}" width="320" height="{height}" '
        'role="img" aria-labelledby="chain-title">'
        '<title id="chain-title">The chain hip, knee, ankle and foot, plantar fascia. '
        f"{escape(summary)}</title>" + "".join(shapes) + "</svg>"
        f"<figcaption><strong>The chain from hip to heel.</strong> {caption}</figcaption></figure>"
    )


def _other_block(block: Block) -> str:
    """A block type this renderer was not written for: its text fields, so nothing is ever dropped."""
    parts: list[str] = []
    for field in dataclasses.fields(block):
        value = getattr(block, field.name)
        if isinstance(value, str) and field.name not in ("level", "kind"):
            parts.append(f"<p>{escape(value)}</p>")
        elif isinstance(value, tuple):
            parts.append("<ul>" + "".join(f"<li>{escape(str(item))}</li>" for item in value) + "</ul>")
    return f'<div class="block-{escape(type(block).__name__.lower())}">' + "".join(parts) + "</div>"


def _block_html(block: Block) -> str:
    """A block's HTML, made once for each block met (blocks are frozen, so equal blocks give equal HTML)."""
    html = _blocks_made.get(block)
    if html is None:
        html = _write_block(block)
        if len(_blocks_made) < REMEMBERED:
            _blocks_made[block] = html
    return html


def _write_block(block: Block) -> str:
    if isinstance(block, Alert):
        return (
            f'<div class="alert alert-{escape(block.level)}">'
            f'<p class="alert-title">{escape(block.level.upper())}: {escape(block.title)}</p>'
            f"<p>{escape(block.text)}</p></div>"
        )
    if isinstance(block, Heading):
        level = min(max(block.level, 1), 6)
        return f"<h{level}>{escape(block.text)}</h{level}>"
    if isinstance(block, Paragraph):
        text = escape(block.text)
        return f"<p><strong>{text}</strong></p>" if block.strong else f"<p>{text}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Closing):
        return f'<footer class="consult"><p>{escape(block.text)}</p></footer>'
    return _other_block(block)


def _figure_position(blocks: Sequence[Block]) -> int:
    """Where the chain picture goes: after the links heading and the paragraphs introducing it."""
    for index, block in enumerate(blocks):
        if isinstance(block, Heading) and block.text == LINKS_HEADING:
            position = index + 1
            while position < len(blocks) and isinstance(blocks[position], Paragraph):
                position += 1
            return position
    return next((i for i, b in enumerate(blocks) if isinstance(b, Closing)), len(blocks))


def render_html(
    blocks: list[Block],
    links: Sequence[tuple[str, str]],
    *,
    script_src: str | None = None,
    home: str = "",
    notes: Sequence[str] = (),
) -> str:
    """A whole HTML page: `links` are the (id, title) of the links that apply, for the chain picture.

    With `script_src` (a served page), that script turns the print hint into a button; `home` is
    the address of the questionnaire, linked from the top; `notes` say how the answers were read
    (a follow-up left out, a unit converted). The file alone runs no script at all.
    """
    body: list[str] = []
    actions = [
        '<p class="print-hint">To print this report or save it as a PDF, use your browser\'s Print '
        "command (Ctrl+P, or \u2318P on a Mac).</p>"
    ]
    if script_src is not None:
        actions.insert(0, '<button type="button" id="print-report" hidden>Print or save as PDF</button>')
    if home:
        actions.append(f'<a href="{escape(home)}">Answer the questions again</a>')
    position = _figure_position(blocks)
    title_done = False
    for index, block in enumerate(blocks):
        if index == position:
            body.append(_chain_figure(links))
        body.append(_block_html(block))
        if isinstance(block, Heading) and block.level == 1 and not title_done:
            # The buttons sit under the title, after any alert, so what to do now is read first.
            body.append('<div class="actions no-print">' + "".join(actions) + "</div>")
            if notes:
                body.append(
                    '<div class="notes"><p>How your answers were read:</p><ul>'
                    + "".join(f"<li>{escape(note)}</li>" for note in notes)
                    + "</ul></div>"
                )
            title_done = True
    if position >= len(blocks):
        body.append(_chain_figure(links))
    script = f'<script src="{escape(script_src)}" defer></script>' if script_src else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>factorcheck report</title>\n<style>{CSS}</style>\n{script}</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )
