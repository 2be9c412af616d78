"""The rule book: every rule for a clinician to review and sign, its examples run while it is built."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field

from factorcheck.engine.durable import DurableEngine
from factorcheck.engine.evaluation import Evaluator
from factorcheck.engine.oracle import Oracle
from factorcheck.engine.rule_examples import Example, all_examples, example_failures
from factorcheck.engine.safety_floor import FLOOR
from factorcheck.governance.hazard_log import Hazard, load_hazards
from factorcheck.governance.rule_text import rule_titles
from factorcheck.rules.plain_words import fires_when
from factorcheck.rules.ruleset import Kind, Rule, Ruleset
from factorcheck.version import __version__

KIND_HEADINGS: dict[Kind, str] = {
    "triage": "Warning signs",
    "mechanism": "Links between knee and heel pain",
    "factor": "Contributing factors",
    "approach": "Approaches to discuss",
}


@dataclass(frozen=True)
class Heading:
    text: str
    level: int
    anchor: str = ""


@dataclass(frozen=True)
class Para:
    text: str
    strong: bool = False


@dataclass(frozen=True)
class Table:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Items:
    items: tuple[str, ...]
    links: tuple[str, ...] = ()


Block = Heading | Para | Table | Items


@dataclass(frozen=True)
class ExampleResult:
    example: Example
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass
class Book:
    """The rule book as blocks, with what the cover reports."""

    ruleset: Ruleset
    results: list[ExampleResult]
    hazards: tuple[Hazard, ...]
    blocks: list[Block] = field(default_factory=list)

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self.ruleset.rules

    @property
    def review_state(self) -> str:
        return self.ruleset.review_state


def _example_rows(rule: Rule, results: list[ExampleResult]) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (
            result.example.name,
            json.dumps(dict(result.example.answers), ensure_ascii=False),
            result.example.level or "",
            "pass" if result.passed else "FAIL: " + "; ".join(result.failures),
        )
        for result in results
        if result.example.rule.id == rule.id
    )


def _rule_blocks(
    rule: Rule, ruleset: Ruleset, titles: dict[str, str], results: list[ExampleResult]
) -> list[Block]:
    meta = rule.governance
    what = f"{rule.kind}, level {rule.level}" if rule.level else rule.kind
    blocks: list[Block] = [
        Heading(f"{rule.id}: {rule.title}", 3, "rule-" + rule.id),
        Para(f"Id {rule.id} ({what}), in {rule.path}."),
        Para(f"Logic: {fires_when(rule.when, titles)}.", strong=True),
        Para(f"Explanation for the person: {rule.explanation}"),
    ]
    blocks += [Para(f"When {w.branch} held, instead: {w.title}: {w.explanation}") for w in rule.wordings]
    if meta is not None:
        blocks += [
            Para(f"Rationale for clinicians: {meta.rationale}"),
            Para(f"Intended population: {meta.population}"),
            Para(f"Known limitations: {meta.limitations}"),
        ]
    grades = meta.evidence if meta else ()
    blocks.append(
        Table(
            f"Evidence for {rule.id}",
            ("evidence", "type", "grade"),
            tuple(
                (text, grades[n].type if n < len(grades) else "", grades[n].grade if n < len(grades) else "")
                for n, text in enumerate(evidence_lines_plain(rule))
            ),
        )
    )
    if rule.source:
        blocks.append(Para(f"Source: the article's section \u201c{rule.source}\u201d."))
    if meta is not None:
        blocks.append(
            Table(
                f"Review of {rule.id}",
                ("status", "version", "author", "reviewers", "approved", "last reviewed", "next review"),
                (
                    (
                        meta.status,
                        meta.version,
                        meta.author,
                        ", ".join(meta.reviewers) or "none: not yet clinically reviewed",
                        meta.approved.isoformat(),
                        meta.last_reviewed.isoformat(),
                        meta.next_review.isoformat(),
                    ),
                ),
            )
        )
    blocks.append(
        Table(
            f"Examples of {rule.id}",
            ("example", "answers", "expected level", "result"),
            _example_rows(rule, results),
        )
    )
    return blocks


def evidence_lines_plain(rule: Rule) -> list[str]:
    """Each evidence entry's text with its branch, without the grade (which has its own columns)."""
    branches = rule.evidence_branches or (None,) * len(rule.evidence)
    return [f"{text} (when {b} held)" if b else text for text, b in zip(rule.evidence, branches, strict=True)]


def build_book(ruleset: Ruleset, hazards: tuple[Hazard, ...] | None = None) -> Book:
    """The book for a rule set, its examples run on durable_rules and the reference evaluator now."""
    evaluators: dict[str, Evaluator] = {"durable_rules": DurableEngine(ruleset), "reference": Oracle(ruleset)}
    results = [
        ExampleResult(example, tuple(example_failures(example, evaluators, ruleset)))
        for example in all_examples(ruleset)
    ]
    book = Book(ruleset, results, load_hazards() if hazards is None else hazards)
    titles = rule_titles(ruleset)
    blocks = _cover(ruleset, results) + _levels_and_floor(ruleset) + _grades(ruleset)
    for kind, heading in KIND_HEADINGS.items():
        rules = ruleset.of_kind(kind)
        if not rules:
            continue
        blocks.append(Heading(heading, 2, "kind-" + kind))
        blocks.append(Items(tuple(f"{r.id}: {r.title}" for r in rules), tuple("rule-" + r.id for r in rules)))
        for rule in rules:
            blocks += _rule_blocks(rule, ruleset, titles, results)
    book.blocks = blocks + _changes(ruleset) + _hazard_log(book.hazards)
    return book


def _cover(ruleset: Ruleset, results: list[ExampleResult]) -> list[Block]:
    """The title, the review state, the rule set's identity and the contents."""
    passed = sum(result.passed for result in results)
    statuses = sorted({rule.governance.status for rule in ruleset.rules if rule.governance})
    blocks: list[Block] = [
        Heading("factorcheck rule book", 1),
        Para(f"Review state: {ruleset.review_state}.", strong=True),
        Table(
            "The rule set",
            ("version", "digest", "rules", "status of the rules", "examples", "built with"),
            (
                (
                    ruleset.version,
                    ruleset.digest,
                    str(len(ruleset.rules)),
                    ", ".join(statuses) or "not stated",
                    f"{passed} of {len(results)} pass on durable_rules and the reference evaluator",
                    f"factorcheck {__version__}",
                ),
            ),
        ),
        Para(
            "This book shows every rule factorcheck runs, with its logic written out from the rule "
            "itself, so that the words cannot differ from what runs. factorcheck is education, not "
            "diagnosis: every report ends by sending the person to a professional."
        ),
        Heading("Contents", 2, "contents"),
    ]
    sections = [("Triage levels and safety floor", "levels"), ("Evidence grades", "grades")]
    sections += [(KIND_HEADINGS[kind], "kind-" + kind) for kind in KIND_HEADINGS if ruleset.of_kind(kind)]
    sections += [("Changes", "changes"), ("Hazard log", "hazards")]
    blocks.append(Items(tuple(title for title, _ in sections), tuple(anchor for _, anchor in sections)))
    return blocks


def _levels_and_floor(ruleset: Ruleset) -> list[Block]:
    """The triage levels, and the safety floor held outside the rule files (engine/safety_floor.py)."""
    titles = {rule.id: rule.title for rule in ruleset.rules}
    return [
        Heading("Triage levels and safety floor", 2, "levels"),
        Table(
            "Triage levels, highest first",
            ("level", "title", "what to do", "closing message", "self-care advice shown"),
            tuple(
                (level.id, level.title, level.action, level.consult, "yes" if level.self_care else "no")
                for level in ruleset.levels
            ),
        ),
        Para(
            "Safety floor: the level each warning sign must reach, held outside the rule files "
            "(factorcheck refuses to load rules that bring a sign below it, unless told to allow "
            "it, and then every report says so):"
        ),
        Table(
            "The level each warning sign must reach",
            ("warning sign", "level"),
            tuple(
                (f"{sign.rule_id}: {titles.get(sign.rule_id, 'not in these rules')}", sign.level)
                for sign in FLOOR
            ),
        ),
    ]


def _grades(ruleset: Ruleset) -> list[Block]:
    blocks: list[Block] = [Heading("Evidence grades", 2, "grades")]
    scheme = ruleset.governance.grading if ruleset.governance else None
    if scheme is not None:
        blocks += [
            Para(f"Scheme: {scheme.scheme}. Grade {scheme.expert_opinion} is expert opinion."),
            Table("Evidence grades", ("grade", "meaning"), tuple(scheme.grades.items())),
            Para(
                "Each entry is typed: \u201csupports\u201d bears out the rule; \u201cqualifies\u201d "
                "limits it or casts doubt on part of it."
            ),
        ]
    return blocks


def _changes(ruleset: Ruleset) -> list[Block]:
    """One row per change, listing every rule it was made to (a first version is shared by many)."""
    changed: dict[tuple[str, str, str], list[str]] = {}
    for rule in ruleset.rules:
        for change in rule.governance.changes if rule.governance else ():
            changed.setdefault((change.date.isoformat(), change.version, change.summary), []).append(rule.id)
    changes = sorted(
        (day, version, ", ".join(ids), summary) for (day, version, summary), ids in changed.items()
    )
    return [
        Heading("Changes", 2, "changes"),
        Table(
            "Changes, newest first, from the rules' change logs",
            ("date", "version", "rules", "change"),
            tuple(reversed(changes)),
        ),
    ]


def _hazard_log(hazards: tuple[Hazard, ...]) -> list[Block]:
    blocks: list[Block] = [
        Heading("Hazard log", 2, "hazards"),
        Para(
            "Severity and likelihood follow the NHS clinical risk management standard DCB0129; the "
            "rating (1 lowest, 5 highest) follows from them by its risk matrix. Each mitigation names "
            "the tests that verify it."
        ),
        Table(
            "Hazards and their risk",
            ("hazard", "risk before", "risk after"),
            tuple((f"{h.id}: {h.title}", str(h.before), str(h.after)) for h in hazards),
        ),
    ]
    for hazard in hazards:
        blocks += [
            Heading(f"{hazard.id}: {hazard.title}", 3, "hazard-" + hazard.id),
            Para(f"Harm: {hazard.harm}"),
            Para("Causes:"),
            Items(hazard.causes),
            Table(
                f"Mitigations of {hazard.id}",
                ("mitigation", "verified by"),
                tuple((m.text, "\n".join(m.tests)) for m in hazard.mitigations),
            ),
        ]
    return blocks


# --- rendering ------------------------------------------------------------------------------

_STYLE = """
body { font-family: Georgia, "Times New Roman", serif; color: #1a1a1a; background: #fff;
  max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 2rem; } h2 { border-bottom: 2px solid #1a1a1a; margin-top: 2.5rem; }
h3 { margin-top: 2rem; border-top: 1px solid #999; padding-top: 1rem; }
table { border-collapse: collapse; width: 100%; margin: 0.75rem 0; font-size: 0.9rem; }
caption { text-align: left; font-weight: bold; padding: 0.25rem 0; }
th, td { border: 1px solid #555; padding: 0.3rem 0.45rem; vertical-align: top; text-align: left;
  overflow-wrap: break-word; }
th { background: #e8e8e8; }
td:first-child { min-width: 6.5em; }
td.fail { color: #8b0000; font-weight: bold; }
.state { font-size: 1.25rem; border: 3px solid #1a1a1a; padding: 0.5rem 0.75rem; }
a { color: #0b4f9c; }
@page { margin: 18mm 15mm; }
@media print { h2 { break-before: page; } h3, table { break-inside: avoid; } a { color: inherit; } }
"""


def book_html(book: Book) -> str:
    """The book as one self-contained HTML page: no script, no request to anything outside it."""
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # Nothing outside the page may be requested: no script, image, font or style from elsewhere.
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>factorcheck rule book, rules {esc(book.ruleset.version)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
    ]
    for block in book.blocks:
        if isinstance(block, Heading):
            anchor = f' id="{esc(block.anchor)}"' if block.anchor else ""
            parts.append(f"<h{block.level}{anchor}>{esc(block.text)}</h{block.level}>")
        elif isinstance(block, Para):
            css = ' class="state"' if block.text.startswith("Review state:") else ""
            text = f"<strong>{esc(block.text)}</strong>" if block.strong else esc(block.text)
            parts.append(f"<p{css}>{text}</p>")
        elif isinstance(block, Items):
            parts.append("<ul>")
            for number, item in enumerate(block.items):
                if block.links:
                    parts.append(f'<li><a href="#{esc(block.links[number])}">{esc(item)}</a></li>')
                else:
                    parts.append(f"<li>{esc(item)}</li>")
            parts.append("</ul>")
        else:
            parts.append(f"<table><caption>{esc(block.caption)}</caption><thead><tr>")
            parts += [f'<th scope="col">{esc(h)}</th>' for h in block.headers]
            parts.append("</tr></thead><tbody>")
            for row in block.rows:
                cells = []
                for cell in row:
                    css = ' class="fail"' if cell.startswith("FAIL") else ""
                    cells.append(f"<td{css}>{'<br>'.join(esc(line) for line in cell.splitlines())}</td>")
                parts.append("<tr>" + "".join(cells) + "</tr>")
            parts.append("</tbody></table>")
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def book_markdown(book: Book) -> str:
    """The book as Markdown."""
    lines: list[str] = []
    for block in book.blocks:
        if isinstance(block, Heading):
            anchor = f' <a id="{block.anchor}"></a>' if block.anchor else ""
            lines += [f"{'#' * block.level} {block.text}{anchor}", ""]
        elif isinstance(block, Para):
            lines += [f"**{block.text}**" if block.strong else block.text, ""]
        elif isinstance(block, Items):
            for number, item in enumerate(block.items):
                lines.append(f"- [{item}](#{block.links[number]})" if block.links else f"- {item}")
            lines.append("")
        else:
            lines += [f"*{block.caption}*", ""]
            lines.append("| " + " | ".join(block.headers) + " |")
            lines.append("|" + "---|" * len(block.headers))
            lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in block.rows]
            lines.append("")
    return "\n".join(lines)
