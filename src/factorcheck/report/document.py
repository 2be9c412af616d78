"""The layout of a human-readable report, independent of format (text, Markdown, later HTML)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from factorcheck.answers.derived import facts_from_given
from factorcheck.answers.questionnaire import ITEMS, ITEMS_BY_ID, SAFETY_ITEMS
from factorcheck.report.schema import Finding, Report
from factorcheck.report.wording import answer_text, article_citation, because_text, rule_titles, source_text
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
        blocks.append(Paragraph(f"Source: {source_text(finding['source'])}."))
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


def _pains(answers: dict[str, object]) -> tuple[bool, bool]:
    return answers.get("heel_pain") is True, answers.get("knee_pain") is True


def _links_heading(answers: dict[str, object]) -> str:
    """The heading of the links, naming only the pains the person has."""
    heel, knee = _pains(answers)
    if heel and knee:
        return "How your knee and heel pain may be linked"
    if heel:
        return "How your heel pain and your knees may be linked"
    if knee:
        return "How your knee pain and your heels may be linked"
    return "How knee and heel pain may be linked"


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


def all_answers_lines(answers: dict[str, object]) -> tuple[str, ...]:
    """Every answer given, in questionnaire order, as "label: answer": for a clinician."""
    return tuple(
        f"{item.label}: {answer_text(item.id, answers[item.id])}" for item in ITEMS if item.id in answers
    )


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
    bmi = facts_from_given(answers).values.get("bmi")
    if isinstance(bmi, float):
        height = answer_text("height_cm", answers["height_cm"])
        weight = answer_text("weight_kg", answers["weight_kg"])
        lines.append(f"Body-mass index: {bmi:.1f} (height {height}, weight {weight})")
    else:
        lines.append("Body-mass index: not worked out (height and weight not given)")
    flagged = [
        f"{item.label}: {answer_text(item.id, answers[item.id]).lower()}"
        for item in SAFETY_ITEMS
        if answers.get(item.id) in ("yes", "not_sure")
    ]
    lines.append("Warning signs answered yes or not sure: " + ("; ".join(flagged) if flagged else "none"))
    return tuple(lines)


def report_document(report: Report, ruleset: Ruleset, made_on: datetime.date | None = None) -> list[Block]:
    """Every block of a human-readable report, in reading order; dated `made_on` (default today)."""
    titles = rule_titles(ruleset)
    lead, warning_section = _triage_blocks(report, titles)
    made_on = made_on or datetime.date.today()
    blocks: list[Block] = [
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
    blocks += [Heading("Your answers in short", 2), Bullets(summary_lines(report))]
    blocks += warning_section
    blocks += [
        Heading(_links_heading(report["answers"]), 2),
        Paragraph(ruleset.messages.education_notice),
    ]
    blocks += [Paragraph(notice, strong=True) for notice in report["notices"]]
    scope = scope_notice(report["answers"])
    if scope:
        blocks.append(Paragraph(scope, strong=True))
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
    if any(
        finding["source"] for finding in [*report["mechanisms"], *report["factors"], *report["approaches"]]
    ):
        blocks += [Heading("Source", 2), Paragraph(article_citation(ruleset))]
    blocks += [
        Heading("For your clinician: every answer you gave", 2),
        Bullets(all_answers_lines(report["answers"])),
    ]
    blocks.append(
        Paragraph(
            f"Rules version {report['ruleset']['version']} ({report['ruleset']['digest'][:19]}...), "
            f"factorcheck {report['tool']['version']}."
        )
    )
    blocks.append(Closing(report["consult"]))
    return blocks
