"""What a clinician asks first is in "Your answers in short"; every answer is listed for them; the
report says plainly which places of pain this tool does not cover."""

from __future__ import annotations

import json

from factorcheck.answers.questionnaire import ITEMS, ITEMS_BY_ID
from factorcheck.assessment import default_assessor
from factorcheck.report.document import Bullets, Paragraph, all_answers_blocks, summary_lines
from factorcheck.report.render import format_report
from factorcheck.report.wording import answer_line, answer_text
from support import EXAMPLES

RULESET = default_assessor().ruleset
FULL = {
    "age_years": 45,
    "heel_pain": True,
    "heel_pain_side": "left",
    "heel_pain_weeks": 20,
    "knee_pain": True,
    "knee_pain_side": "right",
    "knee_pain_weeks": 13,
    "pain_now": 6,
    "pain_stops": ["sleep", "walking"],
    "pain_elsewhere": ["back_of_heel", "lower_back"],
    "achilles_pain_side": "left",
    "achilles_pain_weeks": 4,
    "treatments_tried": ["rest_or_ice", "insoles"],
    "inflammatory_diagnosis": ["osteoarthritis"],
}


def test_a_diagnosed_condition_is_in_the_summary() -> None:
    """The psoriatic arthritis of the shipped example is in "Your answers in short" and the JSON."""
    raw = json.loads((EXAMPLES / "diagnosed-arthritis.json").read_text())
    report = default_assessor().assess(raw)
    assert "Conditions a doctor has diagnosed: Psoriatic arthritis" in summary_lines(report)
    assert report["answers"]["inflammatory_diagnosis"] == ["psoriatic_arthritis"]


def test_the_summary_holds_what_a_clinician_asks_first() -> None:
    """Pain now, what it stops, both durations, the Achilles pain, where else, what was tried."""
    lines = summary_lines(default_assessor().assess(FULL))
    assert "Knee pain: yes (right, for 13 weeks)" in lines
    assert "Pain at the back of the heel (Achilles tendon): yes (left, for 4 weeks)" in lines
    assert "Pain right now, 0 to 10: 6 out of 10" in lines
    assert "What the pain stops: Sleeping, Walking" in lines
    assert "Treatments already tried: Rest or ice, Insoles or special shoes" in lines
    assert "Conditions a doctor has diagnosed: Osteoarthritis (wear-and-tear arthritis)" in lines


def test_osteoarthritis_is_not_taken_for_an_inflammatory_condition() -> None:
    """Osteoarthritis, or arthritis of unknown type, fires no whole-body link (wear and tear is local)."""
    for diagnosis in ("osteoarthritis", "arthritis_type_unknown"):
        report = default_assessor().assess({**FULL, "inflammatory_diagnosis": [diagnosis]})
        assert "systemic_condition" not in [m["id"] for m in report["mechanisms"]]


def test_every_answer_is_listed_for_the_clinician_in_questionnaire_order() -> None:
    """The clinician's list holds every answer given, not only the summary's selection: the warning
    signs answered No in one paragraph, then one line per other answer (a sign answered "not sure"
    among them), each part in questionnaire order."""
    signs = {"rf_recent_injury": "no", "rf_calf_swelling": "not_sure", "rf_diabetes": "no"}
    report = default_assessor().assess({**FULL, **signs})
    paragraph, bullets = all_answers_blocks(report["answers"])
    assert isinstance(paragraph, Paragraph)
    assert isinstance(bullets, Bullets)
    no_labels = [ITEMS_BY_ID[name].label for name in ("rf_recent_injury", "rf_diabetes")]
    assert paragraph.text == "Warning signs answered No: " + "; ".join(no_labels) + "."
    listed = [item.id for item in ITEMS if item.id in FULL or item.id == "rf_calf_swelling"]
    assert [line.split(":")[0] for line in bullets.items] == [ITEMS_BY_ID[name].label for name in listed]
    assert bullets.items[0] == f"{ITEMS_BY_ID['rf_calf_swelling'].label}: Not sure"
    text = format_report(report, "text", RULESET)
    assert "For your clinician: every answer you gave" in text


def test_with_no_warning_sign_answered_no_the_list_is_one_line_per_answer() -> None:
    """No paragraph of signs when none was answered No."""
    (bullets,) = all_answers_blocks(default_assessor().assess(FULL)["answers"])
    assert isinstance(bullets, Bullets)
    assert len(bullets.items) == len(FULL)


def test_the_report_says_which_places_this_tool_does_not_cover() -> None:
    """Pain also in the back and at the Achilles: named as not covered, warning signs still apply,
    and no link does not mean no problem; without such places, no such paragraph."""
    text = " ".join(format_report(default_assessor().assess(FULL), "text", RULESET).split())
    assert (
        "in the back of the heel (the Achilles tendon) and the lower back. This tool does not cover" in text
    )
    assert "The warning signs above still apply to all of your pain." in text
    assert "that does not mean nothing is wrong" in text
    assert "If you felt a sudden pop or snap there" in text
    plain = {k: v for k, v in FULL.items() if not k.startswith(("pain_elsewhere", "achilles"))}
    assert "does not cover" not in format_report(default_assessor().assess(plain), "text", RULESET)


def test_pain_at_the_back_of_the_heel_alone_fires_no_link_under_the_heel() -> None:
    """Achilles pain is not plantar heel pain: it fires none of the links or heel factors."""
    raw = {"age_years": 40, "heel_pain": False, "knee_pain": False, "pain_elsewhere": ["back_of_heel"]}
    report = default_assessor().assess({**raw, "achilles_pain_side": "both", "achilles_pain_weeks": 30})
    assert report["mechanisms"] == []
    assert report["factors"] == []


def test_an_answer_line_is_its_label_and_answer_text_for_every_kind_of_answer() -> None:
    """The lines written once for fixed answers equal the lines written per answer, and numbers
    and lists are written per answer."""
    for item in ITEMS:
        if item.type == "boolean":
            values: list[object] = [True, False]
        elif item.type in ("integer", "number"):
            values = [item.minimum, item.maximum, 52, 70.5]
        elif item.type == "choices":
            values = [[item.choices[0]], list(item.choices[:2])]
        else:
            values = list(item.choices)
        for value in values:
            assert answer_line(item.id, value) == f"{item.label}: {answer_text(item.id, value)}"
