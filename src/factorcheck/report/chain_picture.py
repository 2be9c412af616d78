"""The picture of the chain from hip to heel, as SVG with its words, made once for each set of links."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from factorcheck.report.chain import PARTS, drawn_paths, highlighted_parts, highlighted_steps

# A picture is one of a few dozen: made once and looked up after, up to this many.
REMEMBERED = 4096
_FigureKey = tuple[tuple[tuple[str, str], ...], tuple[tuple[str, frozenset[str]], ...] | None]
_figures_made: dict[_FigureKey, str] = {}


def chain_figure(links: Sequence[tuple[str, str]], reasons: dict[str, frozenset[str]] | None) -> str:
    """The chain picture for these links and reasons (see _draw_chain), made once for each."""
    key: _FigureKey = (tuple(links), None if reasons is None else tuple(sorted(reasons.items())))
    figure = _figures_made.get(key)
    if figure is None:
        figure = _draw_chain(links, reasons)
        if len(_figures_made) < REMEMBERED:
            _figures_made[key] = figure
    return figure


def _draw_chain(links: Sequence[tuple[str, str]], reasons: dict[str, frozenset[str]] | None) -> str:
    """The chain as an SVG picture with the steps of the links that apply drawn bold, and in words;
    with `reasons` (the questions each link rests on), a part is bold only when an answer put it there."""
    ids = [link_id for link_id, _ in links]
    steps, parts = highlighted_steps(ids, reasons), highlighted_parts(ids, reasons)
    paths = drawn_paths(ids, reasons)
    whole_body = any(path.whole_body for path in paths.values())
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
            f"<li>{escape(title)}: {escape(paths[i].in_words() if i in paths else 'see above')}.</li>"
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
