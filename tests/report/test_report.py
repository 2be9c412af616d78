"""The report's content: what applies, the answers behind it, order, and the plain statements."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from factorcheck.assessment import default_assessor
from factorcheck.conversation.session import CHECKLIST_ITEMS
from factorcheck.report.schema import Report
from support import EXAMPLES


def assess(raw: dict[str, Any]) -> Report:
    return default_assessor().assess(raw)


def ids(findings: list[Any]) -> list[str]:
    return [finding["id"] for finding in findings]


def test_report_has_the_contract_keys() -> None:
    """A report carries tool, ruleset, answers, triage, mechanisms, factors, approaches and consult."""
    report = assess({"age_years": 40, "heel_pain": True, "knee_pain": False})
    assert {"tool", "ruleset", "answers", "triage", "mechanisms", "factors", "approaches", "consult"} <= set(
        report
    )
    assert report["tool"]["name"] == "factorcheck"
    assert report["ruleset"]["digest"].startswith("sha256:")
    assert {"level", "action", "reasons", "screen_complete"} <= set(report["triage"])


def test_because_lists_only_the_branches_that_held() -> None:
    """For an any-of, the report names only the answers that matched, not every possible one."""
    report = assess(
        {
            "age_years": 40,
            "heel_pain": True,
            "knee_pain": False,
            "knee_alignment": "bow_legs",
            "knee_injury": "no",
        }
    )
    (mechanism,) = report["mechanisms"]
    assert mechanism["because"] == [
        {"item": "heel_pain", "answer": True},
        {"item": "knee_alignment", "answer": "bow_legs"},
    ]


def test_derived_values_are_named_with_their_value_and_sources() -> None:
    """Body-mass index appears by name with its unrounded value and the items it comes from."""
    report = assess(
        {"age_years": 40, "heel_pain": False, "knee_pain": False, "height_cm": 160, "weight_kg": 80}
    )
    (factor,) = report["factors"]
    assert factor["id"] == "excess_weight"
    assert factor["because"] == [
        # 80 / 1.6² is exactly 31.25 (binary floating point would give 31.249999999999993).
        {"item": "bmi", "value": 31.25, "from": ["height_cm", "weight_kg"]}
    ]


def test_feature_count_names_the_answers_that_counted() -> None:
    """The inflammatory-sign count lists the items that made it up."""
    report = assess(
        {
            "age_years": 30,
            "heel_pain": True,
            "knee_pain": False,
            "heel_pain_side": "both",
            "other_joint_swelling": "yes",
            "spa_features": "no",
        }
    )
    (mechanism,) = report["mechanisms"]
    count = next(entry for entry in mechanism["because"] if entry["item"] == "inflammatory_feature_count")
    assert count == {
        "item": "inflammatory_feature_count",
        "value": 2,
        "from": ["heel_pain_side", "other_joint_swelling"],
    }


def test_hip_flexor_branch_is_labelled_less_certain() -> None:
    """The hip-flexor part of muscle imbalance carries a note that it is less certain."""
    report = assess({"age_years": 30, "heel_pain": True, "knee_pain": False, "hip_front_tightness": "yes"})
    (mechanism,) = report["mechanisms"]
    hip = next(entry for entry in mechanism["because"] if entry.get("item") == "hip_front_tightness")
    assert "less certain" in hip["note"]


def test_mechanisms_carry_their_own_approaches_source_and_evidence() -> None:
    """Each mechanism lists the approaches whose condition names it, its article section and evidence."""
    report = assess({"age_years": 60, "heel_pain": True, "knee_pain": True, "gait_changed_by_knee": "yes"})
    (mechanism,) = report["mechanisms"]
    assert mechanism["id"] == "compensatory_movement"
    assert mechanism["approaches"] == ["physical_therapy", "treat_knee_pain"]
    assert str(mechanism["source"]).endswith("Compensatory Movements")
    assert mechanism["evidence"]
    assert ids(report["approaches"]) == ["physical_therapy", "pain_management", "treat_knee_pain"]


def test_lists_follow_the_order_of_the_outcome_tables() -> None:
    """Mechanisms, factors and approaches appear in table order, each once."""
    raw = json.loads((EXAMPLES / "both-pains-several-links.json").read_text())
    report = assess(raw)
    assert ids(report["mechanisms"]) == ["compensatory_movement", "muscle_imbalance", "heel_to_knee"]
    assert ids(report["factors"]) == [
        "overpronation",
        "tight_calves",
        "prolonged_standing",
        "first_step_pain",
    ]
    assert ids(report["approaches"]) == [
        "physical_therapy",
        "orthotics",
        "pain_management",
        "treat_knee_pain",
        "stretching",
    ]


def test_no_pain_says_so_and_still_lists_factors() -> None:
    """With neither pain, no mechanism applies, the report says why, and factors are still listed."""
    report = assess(
        {
            "age_years": 30,
            "heel_pain": False,
            "knee_pain": False,
            "calf_tightness": "yes",
            "hip_front_tightness": "yes",
            "knee_alignment": "knock_knees",
        }
    )
    assert report["mechanisms"] == []
    assert any("neither heel nor knee pain" in notice for notice in report["notices"])
    assert ids(report["factors"]) == ["tight_calves"]


def test_pain_without_any_link_is_stated_plainly() -> None:
    """With pain but no mechanism, the report says none matched and that this rules nothing out."""
    report = assess({"age_years": 30, "heel_pain": True, "knee_pain": False})
    assert report["mechanisms"] == []
    assert any("does not rule anything out" in notice for notice in report["notices"])


def test_pain_management_warns_about_anti_inflammatories() -> None:
    """Pain management always says to ask a pharmacist or doctor before anti-inflammatory medicines."""
    report = assess({"age_years": 30, "heel_pain": True, "knee_pain": False})
    (approach,) = report["approaches"]
    assert approach["id"] == "pain_management"
    assert "pharmacist or doctor before" in approach["explanation"]


def test_answers_are_echoed_as_given() -> None:
    """The report's answers are the validated answers exactly as given, with nothing added."""
    raw = {"age_years": 30, "heel_pain": True, "knee_pain": False, "height_cm": 170, "weight_kg": 70.5}
    assert assess(raw)["answers"] == raw


def test_same_answers_give_the_same_report() -> None:
    """Reports are deterministic: no timestamps, no random ids, no order from hashing. Fresh
    processes with other hash seeds (so sets and caches iterate differently) write the same JSON
    for every example as this one."""
    examples = [json.loads(example.read_text()) for example in sorted(EXAMPLES.glob("*.json"))]
    expected = "".join(json.dumps(assess(raw)) + "\n" for raw in examples)
    script = (
        "import json, sys; from factorcheck.assessment import default_assessor; "
        "[print(json.dumps(default_assessor().assess(json.loads(line)))) for line in sys.stdin]"
    )
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", script],
            input="".join(json.dumps(raw) + "\n" for raw in examples),
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert done.stdout == expected


def test_examples_cover_every_mechanism_factor_and_approach() -> None:
    """The bundled examples between them show every mechanism, factor and approach, and a no-pain case."""
    seen: set[str] = set()
    no_pain = False
    for example in EXAMPLES.glob("*.json"):
        report = assess(json.loads(example.read_text()))
        seen |= {*ids(report["mechanisms"]), *ids(report["factors"]), *ids(report["approaches"])}
        no_pain |= not (report["answers"]["heel_pain"] or report["answers"]["knee_pain"])
    ruleset = default_assessor().ruleset
    assert seen == {rule.id for rule in ruleset.rules if rule.kind != "triage"}
    assert no_pain


NO_SIGNS = {item.id: "no" for item in CHECKLIST_ITEMS}


def _all_findings(report: Report) -> list[Any]:
    return [*report["triage"]["reasons"], *report["mechanisms"], *report["factors"], *report["approaches"]]


def _finding(report: Report, rule_id: str) -> Any:
    return next(finding for finding in _all_findings(report) if finding["id"] == rule_id)


def test_evidence_shows_only_the_branch_that_held() -> None:
    """Tight hip front, calves not tight: the calf evidence (odds ratio 23.3) is left out, the hip's shown."""
    report = assess(
        {
            "age_years": 40,
            "heel_pain": True,
            "knee_pain": True,
            "calf_tightness": "no",
            "hip_front_tightness": "yes",
        }
    )
    evidence = " ".join(_finding(report, "muscle_imbalance")["evidence"])
    assert "23.3" not in evidence
    assert "Hip-flexor tightness" in evidence
    calves = assess({"age_years": 40, "heel_pain": True, "knee_pain": True, "calf_tightness": "yes"})
    evidence = " ".join(_finding(calves, "muscle_imbalance")["evidence"])
    assert "23.3" in evidence
    assert "Hip-flexor" not in evidence


def test_every_rule_example_keeps_some_evidence() -> None:
    """Whatever branch a rule's must-fire example takes, its report shows at least one evidence line."""
    ruleset = default_assessor().ruleset
    for rule in ruleset.rules:
        for example in rule.examples.must_fire:
            found = [f for f in _all_findings(assess(dict(example))) if f["id"] == rule.id]
            assert found, (rule.id, example)
            assert found[0]["evidence"], (rule.id, example)


def test_rheumatology_wording_fits_a_diagnosis_or_its_signs() -> None:
    """Already diagnosed: a review with the rheumatology team; signs without a diagnosis: a check."""
    diagnosed = assess(
        {
            **NO_SIGNS,
            "age_years": 47,
            "heel_pain": True,
            "knee_pain": True,
            "inflammatory_diagnosis": ["psoriatic_arthritis"],
        }
    )
    review = _finding(diagnosed, "rheumatology_review")
    assert review["title"] == "A review with your rheumatology team"
    assert "already diagnosed" in review["explanation"]
    signs = assess(
        {
            **NO_SIGNS,
            "age_years": 47,
            "heel_pain": True,
            "knee_pain": True,
            "spa_features": "yes",
            "other_joint_swelling": "yes",
            "inflammatory_diagnosis": ["none"],
        }
    )
    check = _finding(signs, "rheumatology_review")
    assert check["title"] == "A check for inflammatory conditions"
    assert ids(diagnosed["approaches"]) == ids(signs["approaches"]) or "rheumatology_review" in ids(
        signs["approaches"]
    )


def test_a_not_sure_behind_a_derived_value_stays_not_sure() -> None:
    """A diagnosis answered "not sure" is reported as "not sure", not as "no"."""
    from factorcheck.report.render import format_report

    raw = {
        **NO_SIGNS,
        "age_years": 33,
        "heel_pain": False,
        "knee_pain": True,
        "inflammatory_back_pain": "yes",
        "other_joint_swelling": "yes",
        "inflammatory_diagnosis": ["not_sure"],
    }
    text = " ".join(format_report(assess(raw), "text", default_assessor().ruleset).split())
    assert "A diagnosed inflammatory condition: not sure" in text
    assert "A diagnosed inflammatory condition: no (" not in text


@pytest.mark.parametrize(
    ("heel", "knee", "heading"),
    [
        (True, True, "How your knee and heel pain may be linked"),
        (True, False, "How your heel pain may be linked to knee pain"),
        (False, True, "How your knee pain may be linked to heel pain"),
        (False, False, "How knee and heel pain may be linked"),
    ],
)
def test_the_links_heading_names_only_the_pains_the_person_has(heel: bool, knee: bool, heading: str) -> None:
    """Heel pain only is not told about "your knee and heel pain"; the heading follows the pains."""
    from factorcheck.report.document import Heading, report_document

    blocks = report_document(
        assess({"age_years": 40, "heel_pain": heel, "knee_pain": knee}), default_assessor().ruleset
    )
    headings = [block.text for block in blocks if isinstance(block, Heading) and block.level == 2]
    assert heading in headings


def test_plain_text_has_no_rows_of_marks_and_still_leads_and_ends_right() -> None:
    """Plain text (for screen readers) has no rows of marks, leads with what to do and ends with consult."""
    from factorcheck.report.render import format_report

    ruleset = default_assessor().ruleset
    raw = {
        **NO_SIGNS,
        "rf_breathless_chest_pain": "yes",
        "age_years": 50,
        "heel_pain": True,
        "knee_pain": True,
    }
    text = format_report(assess(raw), "text", ruleset, plain=True)
    lines = text.splitlines()
    assert not [line for line in lines if line and set(line.strip()) <= set("!=-~")]
    assert lines[0].startswith("Important. EMERGENCY:")
    assert " ".join(text.split()).endswith(ruleset.level("emergency").consult)
