"""The HTML report: one self-contained page, every block rendered, triage first, the consult message last."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from factorcheck.assessment import default_assessor
from factorcheck.cli.main import main
from factorcheck.report.document import Alert, Block, Bullets, Closing, Heading, Paragraph, report_document
from factorcheck.report.html import CSS, LINKS_HEADING, STYLE_HASH, render_html
from factorcheck.report.render import FORMATS, format_report
from support import EXAMPLES
from support.answer_sets import answer_sets
from test_safety_invariants import claims

RULESET = default_assessor().ruleset


class Page(HTMLParser):
    """The parts of a page the tests look at: tags with attributes, and the visible text in order."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self._skip = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("style", "script", "title"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))

    @property
    def text(self) -> str:
        return " ".join(self.texts)


def html_of(raw: dict[str, Any]) -> str:
    return format_report(default_assessor().assess(raw), "html", RULESET)


def external_references(html: str) -> list[str]:
    """Every address in the page that a browser would fetch from outside the page itself."""
    found = re.findall(r"""(?:src|href|action|poster|data)\s*=\s*["']?([^"'\s>]+)""", html)
    found += re.findall(r"url\(([^)]*)\)|@import", html)
    return [ref for ref in found if ref and not ref.startswith("#")]


def test_html_is_a_report_format() -> None:
    """`html` is one of the formats every front end offers."""
    assert "html" in FORMATS


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_every_example_gives_a_self_contained_page(path: Path) -> None:
    """Each example's page is whole HTML with inline CSS, no script, and no address to fetch."""
    html = html_of(json.loads(path.read_text()))
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert f"<style>{CSS}</style>" in html
    assert "<script" not in html
    assert "<link" not in html
    assert external_references(html) == []


@settings(max_examples=150, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(answer_sets(warning_share=0.3))
def test_page_leads_with_what_to_do_and_ends_with_consult(raw: dict[str, Any]) -> None:
    """The consult message is the page's last text; a non-routine page opens with the level and action;
    no text claims a cause or a diagnosis."""
    report = default_assessor().assess(raw)
    page = Page(format_report(report, "html", RULESET))
    assert page.texts[-1] == report["consult"]
    level = report["triage"]["level"]
    if level != "routine":
        assert page.texts[0] == f"{level.upper()}: {report['triage']['title']}"
        assert page.texts[1] == " ".join(report["triage"]["action"].split())
    else:
        assert page.texts[0] == "factorcheck report"
    assert claims(page.text) == []


def test_every_block_type_is_rendered_and_text_is_escaped() -> None:
    """Each block of the layout has its element, and text that looks like markup stays text."""
    blocks: list[Block] = [
        Alert("urgent", "Get help <today>", "Call & ask."),
        Heading("Title", 1),
        Heading("Section", 2),
        Heading("Sub", 3),
        Paragraph("plain <b>"),
        Paragraph("strong", strong=True),
        Bullets(("one", "two & three")),
        Closing("Talk to a professional."),
    ]
    html = render_html(blocks, [])
    for fragment in (
        '<div class="alert alert-urgent"><p class="alert-title">URGENT: Get help &lt;today&gt;</p>',
        "<p>Call &amp; ask.</p>",
        "<h1>Title</h1>",
        "<h2>Section</h2>",
        "<h3>Sub</h3>",
        "<p>plain &lt;b&gt;</p>",
        "<p><strong>strong</strong></p>",
        "<ul><li>one</li><li>two &amp; three</li></ul>",
        '<footer class="consult"><p>Talk to a professional.</p></footer>\n</main>',
    ):
        assert fragment in html


@dataclass(frozen=True)
class Summary:
    """A block type the HTML renderer was not written for (as a later layout may add)."""

    title: str
    lines: tuple[str, ...]


def test_a_block_type_added_later_still_shows_its_text() -> None:
    """A block of a type the renderer does not know is shown by its text, not dropped."""
    blocks: list[Any] = [
        Heading("Title"),
        Summary("Your answers", ("Age: 40", "Knee pain: Yes")),
        Closing("Bye."),
    ]
    page = Page(render_html(blocks, []))
    assert "Your answers" in page.texts
    assert "Age: 40" in page.texts
    assert page.texts[-1] == "Bye."


def test_chain_picture_highlights_the_links_that_apply_and_says_so_in_words() -> None:
    """The hip-to-heel picture sits in the links section and names every link that applies, with its path."""
    raw = json.loads((EXAMPLES / "both-pains-several-links.json").read_text())
    report = default_assessor().assess(raw)
    html = format_report(report, "html", RULESET)
    assert html.index(LINKS_HEADING) < html.index('<figure class="chain">') < html.index("</figure>")
    figure = html[html.index('<figure class="chain">') : html.index("</figure>")]
    assert 'role="img"' in figure
    assert "<title" in figure
    assert report["mechanisms"]
    for mechanism in report["mechanisms"]:
        assert mechanism["title"].replace("'", "&#x27;") in figure
    assert 'stroke-width="6"' in figure


def test_chain_picture_without_links_draws_nothing_bold() -> None:
    """With no link that applies the picture says so, and no step is highlighted."""
    html = html_of(json.loads((EXAMPLES / "no-pain.json").read_text()))
    figure = html[html.index('<figure class="chain">') : html.index("</figure>")]
    assert "None of the links applies" in figure
    assert 'stroke-width="6"' not in figure


def test_print_stylesheet_hides_buttons() -> None:
    """The print styles drop the buttons and page furniture; the style's hash is what a CSP allows."""
    assert "@media print" in CSS
    assert ".actions, .no-print { display: none !important; }" in CSS
    assert STYLE_HASH.startswith("'sha256-")


def test_served_page_gets_a_print_button_the_file_does_not() -> None:
    """Only with a script (the served page) is there a print button; the file tells how to print."""
    blocks = report_document(
        default_assessor().assess({"age_years": 40, "heel_pain": True, "knee_pain": False}), RULESET
    )
    alone = render_html(blocks, [])
    served = render_html(blocks, [], script_src="/static/report.js", home="/")
    assert "Print" in Page(alone).text
    assert "<button" not in alone
    assert '<button type="button" id="print-report" hidden>Save as PDF or share</button>' in served
    assert "Ctrl+P" not in served
    assert '<script src="/static/report.js" defer></script>' in served


def test_page_one_is_for_the_clinician_and_the_evidence_comes_last() -> None:
    """The printed order: the clinician's summary (with lines for a name and a date of birth, never
    asked), the person's explanations free of study figures, then the evidence, then the consult."""
    raw = json.loads((EXAMPLES / "both-pains-several-links.json").read_text())
    report = default_assessor().assess(raw)
    text = Page(html_of(raw)).text
    summary = text.index("Summary for your clinician")
    explanations = text.index("Warning signs None of your answers")
    evidence = text.index("Evidence and sources, for your clinician")
    assert summary < text.index("Name:") < text.index("Date of birth:") < explanations < evidence
    assert summary < text.index("What to do first:") < text.index("Level: routine") < explanations
    for mechanism in report["mechanisms"]:
        assert summary < text.index(mechanism["title"]) < explanations
    for word in ("odds ratio", "HLA-B27", "Evidence:"):
        assert word not in text[:evidence]
    assert "odds ratio" in text[evidence:]
    assert text.endswith(report["consult"])
    assert f'"factorcheck report, rules version {RULESET.version}"' in html_of(raw)


def test_on_paper_the_reasons_are_given_once_on_the_clinicians_page() -> None:
    """Each finding's "Because you said" is marked to be left out on paper, and every one of its
    reasons is in the clinician's summary, which says so on paper; on screen nothing is hidden."""
    raw = json.loads((EXAMPLES / "both-pains-several-links.json").read_text())
    html = html_of(raw)
    summary_end = html.index("</section>", html.index('class="clinician"'))
    summary = html[:summary_end]
    report = default_assessor().assess(raw)
    marked = re.findall(r'<div class="run-in because"><p>Because you said:</p><ul>(.*?)</ul></div>', html)
    assert len(marked) == len(report["mechanisms"]) + len(report["factors"])
    for reasons in marked:
        for reason in re.findall(r"<li>(.*?)</li>", reasons):
            assert reason in summary
    assert '<p class="print-only">The answers each link and factor rests on are listed here only' in summary
    print_css = CSS[CSS.index("@media print") :]
    assert ".because { display: none; }" in print_css
    assert ".because" not in CSS[: CSS.index("@media print")]


def test_chain_draws_the_hip_only_when_a_tight_hip_was_answered_yes() -> None:
    """A link through the hip fired by tight calves alone (the hip "not sure") leaves the hip plain."""
    raw = json.loads((EXAMPLES / "both-pains-several-links.json").read_text())
    assert raw["hip_front_tightness"] == "not_sure"

    def hip_box(answers: dict[str, Any]) -> str:
        html = html_of(answers)
        figure = html[html.index('<figure class="chain">') : html.index("</figure>")]
        return figure[: figure.index(">Hip</text>")].rsplit("<rect", 1)[1]

    assert 'fill="#ffffff"' in hip_box(raw)
    assert 'fill="#dbe9f7"' in hip_box(raw | {"hip_front_tightness": "yes"})


def test_check_prints_html() -> None:
    """`factorcheck check --format html` prints the page."""
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["check", str(EXAMPLES / "both-pains-several-links.json"), "--format", "html"], stdout=out, stderr=err
    )
    assert code == 0
    assert out.getvalue().startswith("<!DOCTYPE html>")
    assert Page(out.getvalue()).texts[-1] == RULESET.level("routine").consult
