"""The report as one self-contained HTML page (inline CSS, no requests); the consult message comes last."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
from collections.abc import Sequence
from html import escape

from factorcheck.report.chain_picture import chain_figure
from factorcheck.report.document import (
    ANSWERS_HEADING,
    BECAUSE,
    EVIDENCE_LABEL,
    LINKS_HEADINGS,
    SOURCE_HEADING,
    SOURCE_PREFIX,
    Alert,
    Bullets,
    ClinicianSummary,
    Closing,
    Heading,
    LinkInShort,
    Paragraph,
)

# The picture of the chain goes at the end of this section's introduction; a layout without this
# heading still gets it, just before the consult message.
LINKS_HEADING = LINKS_HEADINGS[0]

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
.chain { margin: 1rem 0; display: flex; flex-wrap: wrap; gap: 0.5rem 1.25rem; align-items: flex-start; }
.chain svg { max-width: 100%; width: 16rem; height: auto; flex: none; }
.chain figcaption { flex: 1 1 16rem; }
.clinician { border: 2px solid #1a1a1a; padding: 0.25rem 1rem 0.75rem; margin: 1rem 0; }
.clinician h2 { border: 0; margin-top: 0.5rem; }
.clinician h3 { margin-top: 0.75rem; }
.fill-in { display: none; }
.fill-in span { display: inline-block; min-width: 14rem; border-bottom: 1px solid #1a1a1a; }
.evidence { font-size: 0.9375rem; }
.print-only, .later-note { display: none; }
@media print {
  @page { size: A4; margin: 12mm 13mm 14mm;
    @bottom-right { content: "page " counter(page) " of " counter(pages); font: 8pt system-ui, sans-serif; } }
  body { font-size: 9.5pt; line-height: 1.16; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 16pt; margin: 0 0 0.25rem; }
  h2 { font-size: 13pt; margin: 0.75rem 0 0.25rem; }
  h3 { font-size: 11pt; margin: 0.5rem 0 0.125rem; }
  p, ul { margin: 0.25rem 0; }
  .actions, .no-print { display: none !important; }
  .fill-in { display: flex; gap: 2rem; margin: 0.5rem 0; }
  .print-only, .care-first .later-note { display: block; }
  .clinician { break-after: page; padding: 0 0.75rem 0.5rem; }
  .evidence { font-size: 8pt; border-top: 2px solid #1a1a1a; margin-top: 0.75rem; }
  .evidence h3 { font-size: 8.5pt; margin: 0.25rem 0 0; display: inline; }
  .evidence h3::before { content: ""; display: block; margin-top: 0.25rem; }
  .evidence h3::after { content: ". "; }
  .evidence h3 + p { display: inline; }
  .evidence p, .evidence .run-in { margin: 0; }
  /* Every answer given, for the clinician after the sources: on paper one run-in list. */
  .evidence h3 + ul, .evidence h3 + p + ul { display: block; margin: 0.125rem 0 0; padding: 0; }
  .evidence h3 + ul li, .evidence h3 + p + ul li { display: inline; }
  .evidence h3 + ul li + li::before, .evidence h3 + p + ul li + li::before { content: "; "; }
  /* The factors and approaches read on paper as run-in paragraphs under a bold title. */
  .later h3 { display: inline; font-size: inherit; margin: 0; }
  .later h3::before { content: ""; display: block; margin-top: 0.375rem; }
  .later h3::after { content: ". "; }
  .later h3 + p { display: inline; }
  .care-first .later, .care-first .evidence, .because { display: none; }
  /* A label and its short list read as one sentence on paper: "Because you said: a; b; c". */
  .run-in p, .run-in ul, .run-in li { display: inline; padding: 0; margin: 0; }
  .run-in { margin: 0.125rem 0 0.25rem; }
  .run-in li + li::before { content: "; "; }
  .run-in p::after { content: " "; }
  h2, h3 { break-after: avoid; }
  .alert, figure, li { break-inside: avoid; }
  .alert { padding: 0.375rem 0.75rem; margin: 0.5rem 0; }
  .chain svg { width: 42mm; }
  .consult { margin-top: 0.75rem; }
  a { color: #000; }
}
""".strip()


def inline_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


# What a Content-Security-Policy must allow for the report's one inline style element.
STYLE_HASH = inline_hash(CSS)


def running_css(version: str) -> str:
    """The rule set's version at the foot of every printed page (beside the page number)."""
    shown = "".join(c for c in version if c.isalnum() or c in ".-+ ")
    return (
        "@media print { @page { @bottom-left { content: "
        f'"factorcheck report, rules version {shown}"; font: 8pt system-ui, sans-serif; }} }} }}'
    )


# A block as met in a list: a Block, or a block type added later, shown by its text fields.
# Typed as object, so that the compiled module (see pyproject.toml) takes either.
AnyBlock = object

# Most of a report is fixed text (explanations, evidence, headings): each block's HTML is made
# once and looked up after, up to this many (answer-dependent blocks fill the rest; a full table
# is only looked up).
REMEMBERED = 4096
_blocks_made: dict[AnyBlock, str] = {}


def _other_block(block: AnyBlock) -> str:
    """A block type this renderer was not written for: its text fields, so nothing is ever dropped."""
    if not dataclasses.is_dataclass(block):
        return f"<p>{escape(str(block))}</p>"
    parts: list[str] = []
    for field in dataclasses.fields(block):
        value = getattr(block, field.name)
        if isinstance(value, str) and field.name not in ("level", "kind"):
            parts.append(f"<p>{escape(value)}</p>")
        elif isinstance(value, tuple):
            parts.append("<ul>" + "".join(f"<li>{escape(str(item))}</li>" for item in value) + "</ul>")
    return f'<div class="block-{escape(type(block).__name__.lower())}">' + "".join(parts) + "</div>"


def _block_html(block: AnyBlock) -> str:
    """A block's HTML, made once for each block met (blocks are frozen, so equal blocks give equal HTML)."""
    html = _blocks_made.get(block)
    if html is None:
        html = _write_block(block)
        if len(_blocks_made) < REMEMBERED:
            _blocks_made[block] = html
    return html


def _write_block(block: AnyBlock) -> str:
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


def _figure_position(blocks: Sequence[AnyBlock]) -> int:
    """Where the chain picture goes: after the links heading and the paragraphs introducing it."""
    for index, block in enumerate(blocks):
        if isinstance(block, Heading) and block.text in LINKS_HEADINGS:
            position = index + 1
            while position < len(blocks) and isinstance(blocks[position], Paragraph):
                position += 1
            return position
    return next((i for i, b in enumerate(blocks) if isinstance(b, Closing)), len(blocks))


def _summary_html(summary: ClinicianSummary) -> str:
    """The clinician's page: what to do first, the level, the answers and the links in short, and
    lines for a name and date of birth written by hand on paper (the tool never asks for them)."""

    def links_list(links: Sequence[LinkInShort]) -> str:
        return (
            "<ul>"
            + "".join(
                f"<li><strong>{escape(link.title)}</strong>. Because you said: "
                f"{escape('; '.join(link.because))}.</li>"
                for link in links
            )
            + "</ul>"
        )

    parts = [
        '<section class="clinician" aria-labelledby="clinician-title">',
        '<h2 id="clinician-title">Summary for your clinician</h2>',
        '<div class="fill-in" aria-hidden="true"><p>Name: <span></span></p>'
        "<p>Date of birth: <span></span></p></div>",
        f"<p><strong>What to do first:</strong> {escape(summary.action)}</p>",
        f"<p><strong>Level:</strong> {escape(summary.level)} ({escape(summary.level_title)}).</p>",
        f"<h3>{escape(ANSWERS_HEADING)}</h3>",
        "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in summary.answers) + "</ul>",
        "<h3>Links that may apply</h3>",
        links_list(summary.links) if summary.links else "<p>None of the links applies to these answers.</p>",
    ]
    if summary.factors:
        parts += ["<h3>Factors worth knowing about</h3>", links_list(summary.factors)]
    after = (
        "The warning signs and the links are explained next; on paper, the factors, the approaches "
        "and the evidence wait until you have been seen (they stay in the report on screen)."
        if summary.care_first
        else "The explanations follow; the evidence and sources come last."
    )
    parts += [
        f"<p>Rules version {escape(summary.ruleset_version)}. {after}</p>",
        '<p class="print-only">The answers each link and factor rests on are listed here only, '
        "not again with its explanation.</p>",
        "</section>",
    ]
    return "".join(parts)


def _is_background(heading: str) -> bool:
    return heading.startswith(("Factors", "Approaches"))


def _list_openers(blocks: Sequence[AnyBlock]) -> list[bool]:
    """For each block, whether it is a short label ("Because you said:") whose list follows it:
    the two are printed as one run-in sentence. One more entry, False, ends the list."""
    opens = [False] * (len(blocks) + 1)
    for index in range(len(blocks) - 1):
        block = blocks[index]
        opens[index] = (
            isinstance(block, Paragraph)
            and not block.strong
            and block.text.endswith(":")
            and len(block.text) < 40
            and isinstance(blocks[index + 1], Bullets)
        )
    return opens


def _with_run_ins(blocks: Sequence[AnyBlock]) -> str:
    parts: list[str] = []
    opens = _list_openers(blocks)
    for index, block in enumerate(blocks):
        if index and opens[index - 1]:
            continue
        if opens[index]:
            parts.append(f'<div class="run-in">{_block_html(block)}{_block_html(blocks[index + 1])}</div>')
        else:
            parts.append(_block_html(block))
    return "".join(parts)


def _split_evidence(blocks: Sequence[AnyBlock]) -> tuple[list[AnyBlock], list[AnyBlock]]:
    """The person's blocks, and each finding's sources and evidence gathered for the last section."""
    kept: list[AnyBlock] = []
    evidence: list[AnyBlock] = []
    gathered: set[AnyBlock] = set()
    finding: Heading | None = None
    taking = False
    tail: list[AnyBlock] = []
    for block in blocks:
        if tail or (isinstance(block, Heading) and block.text == SOURCE_HEADING and block.level == 2):
            # The article cited in full and the rules' version close the evidence section.
            if isinstance(block, Closing):
                kept.append(block)
            else:
                tail.append(Heading(block.text, 3) if isinstance(block, Heading) else block)
            continue
        if isinstance(block, Heading):
            finding = block if block.level == 3 else None
            taking = False
        is_source = isinstance(block, Paragraph) and block.text.startswith(SOURCE_PREFIX)
        is_label = isinstance(block, Paragraph) and block.text == EVIDENCE_LABEL
        if finding is not None and (is_source or is_label or (taking and isinstance(block, Bullets))):
            if finding not in gathered:
                gathered.add(finding)
                evidence.append(finding)
            evidence.append(block)
            taking = is_label
            continue
        taking = False
        kept.append(block)
    return kept, evidence + tail


def _actions(script_src: str | None, home: str) -> list[str]:
    """What sits under the title: how to print or save, and the way back to the questions."""
    actions = [
        '<p class="print-hint">To print this report or save it as a PDF, use your browser\'s Print '
        "command (Ctrl+P, or \u2318P on a Mac).</p>"
    ]
    if script_src is not None:
        # With the script, a button opens the browser's print dialogue, which on a phone is also
        # where a PDF is saved or shared: no keyboard hint is needed.
        actions = ['<button type="button" id="print-report" hidden>Save as PDF or share</button>']
    if home:
        actions.append(f'<a href="{escape(home)}">Answer the questions again</a>')
    return actions


def _notes_html(notes: Sequence[str]) -> str:
    return (
        '<div class="notes"><p>How your answers were read:</p><ul>'
        + "".join(f"<li>{escape(note)}</li>" for note in notes)
        + "</ul></div>"
    )


def _after_the_findings(summary: ClinicianSummary | None, evidence: list[AnyBlock]) -> list[str]:
    """What a care-first paper copy leaves out, said; then every source and piece of evidence."""
    parts: list[str] = []
    if summary is not None and summary.care_first:
        parts.append(
            '<p class="later-note">This paper copy leaves out the factors, the approaches and the '
            "evidence: they are background for after you have been seen, and they stay in the report "
            "on screen.</p>"
        )
    if evidence:
        parts.append('<section class="evidence" aria-labelledby="evidence-title">')
        parts.append('<h2 id="evidence-title">Evidence and sources, for your clinician</h2>')
        parts.append(_with_run_ins(evidence))
        parts.append("</section>")
    return parts


def render_html(
    blocks: Sequence[AnyBlock],
    links: Sequence[tuple[str, str]],
    *,
    script_src: str | None = None,
    home: str = "",
    notes: Sequence[str] = (),
    summary: ClinicianSummary | None = None,
) -> str:
    """A whole HTML page: `links` are the (id, title) of the links that apply, for the chain picture.

    With `script_src` (a served page), that script turns the print hint into a button; `home` is
    the address of the questionnaire, linked from the top; `notes` say how the answers were read
    (a follow-up left out, a unit converted). The file alone runs no script at all. With `summary`,
    the page opens with the clinician's summary (a printed page of its own), then the person's
    explanations, and gathers every source and piece of evidence in a last section.
    """
    body: list[str] = []
    actions = _actions(script_src, home)
    evidence: list[AnyBlock] = []
    reasons: dict[str, frozenset[str]] | None = None
    if summary is not None:
        blocks, evidence = _split_evidence(blocks)
        reasons = {link.id: link.items for link in summary.links}
    position = _figure_position(blocks)
    title_done = False
    skipping = False
    open_section = False
    closing = [b for b in blocks if isinstance(b, Closing)]
    opens = _list_openers(blocks)
    for index, block in enumerate(blocks):
        if isinstance(block, Closing):
            continue
        if summary is not None and isinstance(block, Heading):
            skipping = block.text == ANSWERS_HEADING
            if skipping:
                body.append(_summary_html(summary))
        if skipping:
            continue
        if summary is not None and isinstance(block, Heading) and block.level <= 2:
            # Each section in an element of its own, so that a care-first print can leave the
            # background (factors, approaches) for later.
            if open_section:
                body.append("</section>")
            later = block.level == 2 and _is_background(block.text)
            body.append('<section class="later">' if later else "<section>")
            open_section = True
        if index == position:
            body.append(chain_figure(links, reasons))
        if index and opens[index - 1]:
            continue
        if opens[index]:
            # On paper the answers each finding rests on are in the clinician's summary already.
            listed = summary is not None and isinstance(block, Paragraph) and block.text == BECAUSE
            kind = "run-in because" if listed else "run-in"
            body.append(f'<div class="{kind}">{_block_html(block)}{_block_html(blocks[index + 1])}</div>')
            continue
        body.append(_block_html(block))
        if isinstance(block, Heading) and block.level == 1 and not title_done:
            # The buttons sit under the title, after any alert, so what to do now is read first.
            body.append('<div class="actions no-print">' + "".join(actions) + "</div>")
            if notes:
                body.append(_notes_html(notes))
            title_done = True
    if position >= len(blocks) or isinstance(blocks[position], Closing):
        body.append(chain_figure(links, reasons))
    if open_section:
        body.append("</section>")
    body += _after_the_findings(summary, evidence)
    body += [_block_html(block) for block in closing]
    script = f'<script src="{escape(script_src)}" defer></script>' if script_src else ""
    running = f"<style>{running_css(summary.ruleset_version)}</style>" if summary is not None else ""
    body_class = ' class="care-first"' if summary is not None and summary.care_first else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>factorcheck report</title>\n<style>{CSS}</style>\n{running}{script}</head>\n"
        f"<body{body_class}>\n<main>\n" + "\n".join(body) + "\n</main>\n</body>\n</html>\n"
    )
