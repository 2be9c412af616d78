"""The layout of a human-readable report, independent of format (text, Markdown, later HTML)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from factorcheck.answers.questionnaire import ITEMS_BY_ID
from factorcheck.report.schema import Finding, Report
from factorcheck.report.wording import because_text, rule_titles, source_text
from factorcheck.rules.ruleset import Ruleset


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str
    strong: bool = False


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Alert:
    """What to do now: always the first block when the triage level is not routine."""

    level: str
    title: str
    text: str


@dataclass(frozen=True)
class Closing:
    """The consult message, worded for the level: always the last block, after a rule in text."""

    text: str


Block = Heading | Paragraph | Bullets | Alert | Closing


# Where care comes first (a level without self-care), approaches wait until the person has been seen.
DISCUSS = "To discuss with a professional"
DISCUSS_LATER = "To discuss once you have been seen"
SELF_CARE_WITHHELD = (
    "Left out for now: advice you might follow on your own waits until a professional has seen you "
    "and can say what is safe."
)


def _self_care_allowed(report: Report, ruleset: Ruleset) -> bool:
    return ruleset.level(report["triage"]["level"]).self_care


def _finding_blocks(
    finding: Finding, report: Report, ruleset: Ruleset, titles: dict[str, str], number: int | None
) -> list[Block]:
    answers = report["answers"]
    heading = f"{number}. {finding['title']}" if number else finding["title"]
    blocks: list[Block] = [Heading(heading, 3), Paragraph(finding["explanation"])]
    reasons = tuple(because_text(entry, answers, titles) for entry in finding["because"])
    if reasons:
        blocks += [Paragraph("Because you said:"), Bullets(reasons)]
    if finding.get("approaches"):
        # The approaches' titles as this report words them (a wording may fit the person's branch).
        worded = {approach["id"]: approach["title"] for approach in report["approaches"]}
        names = ", ".join(worded.get(a, titles[a]) for a in finding.get("approaches", []))
        discuss = DISCUSS if _self_care_allowed(report, ruleset) else DISCUSS_LATER
        blocks.append(Paragraph(f"{discuss}: {names}."))
    if finding["source"]:
        blocks.append(Paragraph(f"Source: {source_text(ruleset, finding['source'])}."))
    blocks += [Paragraph("Evidence:"), Bullets(tuple(finding["evidence"]))]
    return blocks


def _triage_blocks(report: Report, titles: dict[str, str]) -> tuple[list[Block], list[Block]]:
    """The blocks that lead the report (when not routine) and those in the warning-sign section."""
    triage = report["triage"]
    answers = report["answers"]
    reasons = tuple(
        f"{reason['title']} ({reason['level']}): {reason['explanation']} Because you said: "
        + "; ".join(because_text(entry, answers, titles) for entry in reason["because"])
        + "."
        for reason in triage["reasons"]
    )
    lead: list[Block] = []
    section: list[Block] = [Heading("Warning signs", 2)]
    if triage["level"] == "routine":
        section.append(Paragraph(triage["action"]))
    else:
        lead.append(Alert(triage["level"], triage["title"], triage["action"]))
        section += [Paragraph("What we found:"), Bullets(reasons)]
    if triage["screen_complete"]:
        section.append(Paragraph(triage["screen_note"]))
    else:
        unanswered = tuple(ITEMS_BY_ID[i].label for i in triage["unanswered_safety_items"])
        section += [
            Paragraph(triage["screen_note"], strong=True),
            Paragraph("Not answered:"),
            Bullets(unanswered),
        ]
    return lead, section


def _findings(
    findings: Sequence[Finding], report: Report, ruleset: Ruleset, titles: dict[str, str], numbered: bool
) -> list[Block]:
    blocks: list[Block] = []
    for number, finding in enumerate(findings, start=1):
        blocks += _finding_blocks(finding, report, ruleset, titles, number if numbered else None)
    return blocks


def report_document(report: Report, ruleset: Ruleset) -> list[Block]:
    """Every block of a human-readable report, in reading order."""
    titles = rule_titles(ruleset)
    lead, warning_section = _triage_blocks(report, titles)
    blocks: list[Block] = [*lead, Heading("factorcheck report", 1)]
    if report["triage"]["level"] == "emergency":
        blocks.append(
            Paragraph(
                "Get help first. Everything below is background reading for later, not a reason to wait.",
                strong=True,
            )
        )
    blocks += warning_section
    blocks += [
        Heading("How your knee and heel pain may be linked", 2),
        Paragraph(ruleset.messages.education_notice),
    ]
    blocks += [Paragraph(notice, strong=True) for notice in report["notices"]]
    blocks += _findings(report["mechanisms"], report, ruleset, titles, numbered=True)
    if report["factors"]:
        blocks.append(Heading("Factors worth knowing about", 2))
        blocks += _findings(report["factors"], report, ruleset, titles, numbered=False)
    if report["approaches"]:
        self_care = _self_care_allowed(report, ruleset)
        blocks.append(Heading(f"Approaches {(DISCUSS if self_care else DISCUSS_LATER).lower()}", 2))
        for approach in report["approaches"]:
            withheld = not self_care and ruleset.by_id[approach["id"]].self_care
            text = SELF_CARE_WITHHELD if withheld else approach["explanation"]
            blocks += [Heading(approach["title"], 3), Paragraph(text)]
    blocks.append(
        Paragraph(
            f"Rules version {report['ruleset']['version']} ({report['ruleset']['digest'][:19]}...), "
            f"factorcheck {report['tool']['version']}."
        )
    )
    blocks.append(Closing(report["consult"]))
    return blocks
