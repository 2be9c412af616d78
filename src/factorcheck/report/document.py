"""The layout of a human-readable report, independent of format (text, Markdown, later HTML)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from factorcheck.answers.derived import given_body_mass_index
from factorcheck.answers.questionnaire import ITEMS, ITEMS_BY_ID, SAFETY_ITEMS
from factorcheck.report.schema import Finding, Report
from factorcheck.report.wording import (
    answer_line,
    answer_text,
    article_citation,
    because_text,
    rule_titles,
    source_text,
)
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

_SAFETY_LABELS = tuple((item.id, item.label) for item in SAFETY_ITEMS)

# How a finding's sources and evidence begin, so that a layout may gather them at the end.
SOURCE_PREFIX = "Source: "
EVIDENCE_LABEL = "Evidence:"
ANSWERS_HEADING = "Your answers in short"
BECAUSE = "Because you said:"
SOURCE_HEADING = "Source"
# The links section's heading names only the pains the person has: both, heel only, knee only, none.
LINKS_HEADINGS = (
    "How your knee and heel pain may be linked",
    "How your heel pain may be linked to knee pain",
    "How your knee pain may be linked to heel pain",
    "How knee and heel pain may be linked",
)


@dataclass(frozen=True)
class LinkInShort:
    """A link or factor that may apply, with the answers it rests on in words and by question."""

    id: str
    title: str
    because: tuple[str, ...]
    items: frozenset[str]


@dataclass(frozen=True)
class ClinicianSummary:
    """What a clinician reads first: what to do, the level, the answers and the links, in short."""

    level: str
    level_title: str
    action: str
    answers: tuple[str, ...]
    links: tuple[LinkInShort, ...]
    factors: tuple[LinkInShort, ...]
    ruleset_version: str
    # A level without self-care (urgent, emergency): care comes first, background waits.
    care_first: bool


# Where care comes first (a level without self-care), approaches wait until the person has been seen.
DISCUSS = "To discuss with a professional"
DISCUSS_LATER = "To discuss once you have been seen"
SELF_CARE_WITHHELD = (
    "Left out for now: advice you might follow on your own waits until a professional has seen you "
    "and can say what is safe."
)


def _self_care_allowed(report: Report, ruleset: Ruleset) -> bool:
    return ruleset.level(report["triage"]["level"]).self_care


@dataclass(frozen=True)
class _Wording:
    """What every finding of one report is worded with."""

    answers: dict[str, object]
    # Every rule's title by id, and the approaches' titles as this report words them (a wording
    # may fit the person's branch).
    titles: dict[str, str]
    worded: dict[str, str]
    discuss: str


# The rule titles of the last rule set seen, with it: a server or a batch run uses one throughout,
# and a program that loads many (the rule-file fuzz tests) keeps none of the others alive.
_titles_made: list[tuple[Ruleset, dict[str, str]]] = []


def _titles(ruleset: Ruleset) -> dict[str, str]:
    if _titles_made and _titles_made[0][0] is ruleset:
        return _titles_made[0][1]
    titles = rule_titles(ruleset)
    _titles_made[:] = [(ruleset, titles)]
    return titles


def _finding_blocks(finding: Finding, wording: _Wording, number: int | None) -> list[Block]:
    answers, titles = wording.answers, wording.titles
    heading = f"{number}. {finding['title']}" if number else finding["title"]
    blocks: list[Block] = [Heading(heading, 3), Paragraph(finding["explanation"])]
    reasons = tuple(because_text(entry, answers, titles) for entry in finding["because"])
    if reasons:
        blocks += [Paragraph(BECAUSE), Bullets(reasons)]
    if finding.get("approaches"):
        worded = wording.worded
        names = ", ".join(worded.get(a, titles[a]) for a in finding.get("approaches", []))
        blocks.append(Paragraph(f"{wording.discuss}: {names}."))
    if finding["source"]:
        blocks.append(Paragraph(f"{SOURCE_PREFIX}{source_text(finding['source'])}."))
    blocks += [Paragraph(EVIDENCE_LABEL), Bullets(tuple(finding["evidence"]))]
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


def _findings(findings: Sequence[Finding], wording: _Wording, numbered: bool) -> list[Block]:
    blocks: list[Block] = []
    for number, finding in enumerate(findings, start=1):
        blocks += _finding_blocks(finding, wording, number if numbered else None)
    return blocks


def _pains(answers: dict[str, object]) -> tuple[bool, bool]:
    return answers.get("heel_pain") is True, answers.get("knee_pain") is True


def _links_heading(answers: dict[str, object]) -> str:
    """The heading of the links, naming only the pains the person has."""
    heel, knee = _pains(answers)
    if heel and knee:
        return LINKS_HEADINGS[0]
    if heel:
        return LINKS_HEADINGS[1]
    if knee:
        return LINKS_HEADINGS[2]
    return LINKS_HEADINGS[3]


def _pain_line(answers: dict[str, object], pain: str, side: str, weeks: str) -> str:
    label = ITEMS_BY_ID[pain].label
    if pain not in answers:
        return f"{label}: not answered"
    if answers[pain] is not True:
        return f"{label}: no"
    details = [answer_text(side, answers[side]).lower() if side in answers else "side not given"]
    if weeks and weeks in answers:
        details.append(f"for {answer_text(weeks, answers[weeks])}")
    return f"{label}: yes ({', '.join(details)})"


CLINICIAN_FIRST = (
    "symptom_order",
    "pain_now",
    "pain_stops",
    "pain_elsewhere",
    "treatments_tried",
    "inflammatory_diagnosis",
)
# Places of pain that the links of this tool do not cover (pain_elsewhere), in words.
NOT_COVERED = {
    "back_of_heel": "the back of the heel (the Achilles tendon)",
    "lower_back": "the lower back",
    "hip": "the hip or groin",
    "thigh": "the thigh",
    "shin_or_calf": "the shin or calf",
    "ankle": "the ankle",
}


def scope_notice(answers: dict[str, object]) -> str:
    """What this tool does not cover of the places the person named, and that the warning signs
    still apply; empty when they named none."""
    given = answers.get("pain_elsewhere")
    places = given if isinstance(given, list) else []
    named = [NOT_COVERED[p] for p in places if p in NOT_COVERED]
    if not named:
        return ""
    listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    text = (
        f"You said your pain is also, or rather, in {listed}. This tool does not cover pain there: "
        "its links are about knee pain and pain under the heel or along the arch. So if no link "
        "below fits, that does not mean nothing is wrong. The warning signs above still apply to "
        "all of your pain. Ask a doctor or physiotherapist to look at each place that hurts."
    )
    if "back_of_heel" in places:
        text += (
            " Pain at the back of the heel is often from the Achilles tendon: that is worth "
            "discussing in its own right, for example how much load the tendon takes and which "
            "exercises suit it."
        )
        if "rf_achilles_snap" not in answers:
            text += (
                " If you felt a sudden pop or snap there and cannot stand on tiptoe or push off, "
                "get it checked today."
            )
    return text


def all_answers_blocks(answers: dict[str, object]) -> list[Block]:
    """Every answer given, for a clinician: the warning signs answered No in one paragraph (most
    people have none of them, and a line each would fill a printed page), then each other answer
    as "label: answer", both in questionnaire order."""
    signs_no: list[str] = []
    others: list[str] = []
    for item in ITEMS:
        if item.id not in answers:
            continue
        answer = answers[item.id]
        if item.is_safety_item and answer == "no":
            signs_no.append(item.label)
        else:
            others.append(answer_line(item.id, answer))
    blocks: list[Block] = []
    if signs_no:
        blocks.append(Paragraph("Warning signs answered No: " + "; ".join(signs_no) + "."))
    if others:
        blocks.append(Bullets(tuple(others)))
    return blocks


def summary_lines(report: Report) -> tuple[str, ...]:
    """The person's answers in short, for a clinician: age, pains, order, BMI, warning signs."""
    answers = report["answers"]
    lines = [
        f"Age: {answer_text('age_years', answers['age_years'])}"
        if "age_years" in answers
        else "Age: not given"
    ]
    lines.append(_pain_line(answers, "heel_pain", "heel_pain_side", "heel_pain_weeks"))
    lines.append(_pain_line(answers, "knee_pain", "knee_pain_side", "knee_pain_weeks"))
    if "back_of_heel" in answers.get("pain_elsewhere", []):
        details = [
            answer_text(item, answers[item]).lower()
            if item == "achilles_pain_side"
            else f"for {answer_text(item, answers[item])}"
            for item in ("achilles_pain_side", "achilles_pain_weeks")
            if item in answers
        ]
        shown = f" ({', '.join(details)})" if details else ""
        lines.append(f"Pain at the back of the heel (Achilles tendon): yes{shown}")
    # What a clinician asks first: how bad, what it stops, where else, which pain first, what was
    # tried, and a condition a doctor has already diagnosed.
    lines += [
        f"{ITEMS_BY_ID[item].label}: "
        + (f"{answers[item]} out of 10" if item == "pain_now" else answer_text(item, answers[item]))
        for item in CLINICIAN_FIRST
        if item in answers
    ]
    bmi = given_body_mass_index(answers)
    if bmi is not None:
        height = answer_text("height_cm", answers["height_cm"])
        weight = answer_text("weight_kg", answers["weight_kg"])
        lines.append(f"Body-mass index: {bmi:.1f} (height {height}, weight {weight})")
    else:
        lines.append("Body-mass index: not worked out (height and weight not given)")
    flagged = [
        f"{label}: {answer_text(item_id, answers[item_id]).lower()}"
        for item_id, label in _SAFETY_LABELS
        if answers.get(item_id) in ("yes", "not_sure")
    ]
    lines.append("Warning signs answered yes or not sure: " + ("; ".join(flagged) if flagged else "none"))
    return tuple(lines)


def _below_floor_warning(report: Report) -> list[Block]:
    # Before everything else: with such rules even the triage level above may be too low.
    lowered = report["ruleset"].get("below_safety_floor")
    if not lowered:
        return []
    return [
        Paragraph(
            "Warning: these rules fall below factorcheck's safety floor, so this report may rate warning "
            f"signs too low (lowered: {', '.join(lowered)}). If you answered yes or not sure to any "
            "warning-sign question, do not rely on its triage level: ask a professional about it now.",
            strong=True,
        )
    ]


def report_document(report: Report, ruleset: Ruleset, made_on: datetime.date | None = None) -> list[Block]:
    """Every block of a human-readable report, in reading order; dated `made_on` (default today)."""
    titles = _titles(ruleset)
    lead, warning_section = _triage_blocks(report, titles)
    made_on = made_on or datetime.date.today()
    blocks: list[Block] = [
        *_below_floor_warning(report),
        *lead,
        Heading("factorcheck report", 1),
        Paragraph(f"Made on {made_on.isoformat()}."),
    ]
    if report["triage"]["level"] == "emergency":
        blocks.append(
            Paragraph(
                "Get help first. Everything below is background reading for later, not a reason to wait.",
                strong=True,
            )
        )
    blocks += [Heading(ANSWERS_HEADING, 2), Bullets(summary_lines(report))]
    blocks += warning_section
    blocks += [
        Heading(_links_heading(report["answers"]), 2),
        Paragraph(ruleset.messages.education_notice),
    ]
    blocks += [Paragraph(notice, strong=True) for notice in report["notices"]]
    self_care = _self_care_allowed(report, ruleset)
    wording = _Wording(
        report["answers"],
        titles,
        {approach["id"]: approach["title"] for approach in report["approaches"]},
        DISCUSS if self_care else DISCUSS_LATER,
    )
    scope = scope_notice(report["answers"])
    if scope:
        blocks.append(Paragraph(scope, strong=True))
    blocks += _findings(report["mechanisms"], wording, numbered=True)
    if report["factors"]:
        blocks.append(Heading("Factors worth knowing about", 2))
        blocks += _findings(report["factors"], wording, numbered=False)
    if report["approaches"]:
        blocks.append(Heading(f"Approaches {(DISCUSS if self_care else DISCUSS_LATER).lower()}", 2))
        for approach in report["approaches"]:
            withheld = not self_care and ruleset.by_id[approach["id"]].self_care
            text = SELF_CARE_WITHHELD if withheld else approach["explanation"]
            blocks += [Heading(approach["title"], 3), Paragraph(text)]
    if any(
        finding["source"] for finding in [*report["mechanisms"], *report["factors"], *report["approaches"]]
    ):
        blocks += [Heading(SOURCE_HEADING, 2), Paragraph(article_citation(ruleset))]
    blocks += [
        Heading("For your clinician: every answer you gave", 2),
        *all_answers_blocks(report["answers"]),
    ]
    blocks.append(
        Paragraph(
            f"Rules version {report['ruleset']['version']} ({report['ruleset']['digest'][:19]}...), "
            f"{report['ruleset']['review_state']}; factorcheck {report['tool']['version']}."
        )
    )
    blocks.append(Closing(report["consult"]))
    return blocks


def _in_short(finding: Finding, report: Report, titles: dict[str, str]) -> LinkInShort:
    reasons = tuple(because_text(entry, report["answers"], titles) for entry in finding["because"])
    items = frozenset(str(entry["item"]) for entry in finding["because"] if "item" in entry)
    return LinkInShort(finding["id"], finding["title"], reasons, items)


def clinician_summary(report: Report, ruleset: Ruleset) -> ClinicianSummary:
    """The report's first page for a clinician (the HTML layout prints it on a page of its own)."""
    titles = rule_titles(ruleset)
    triage = report["triage"]
    return ClinicianSummary(
        level=triage["level"],
        level_title=triage["title"],
        action=triage["action"],
        answers=summary_lines(report),
        links=tuple(_in_short(f, report, titles) for f in report["mechanisms"]),
        factors=tuple(_in_short(f, report, titles) for f in report["factors"]),
        ruleset_version=report["ruleset"]["version"],
        care_first=not _self_care_allowed(report, ruleset),
    )
