"""Every report says whether a clinician has reviewed the rules that made it (issue 22)."""

from __future__ import annotations

import json

from factorcheck.assessment import default_assessor
from factorcheck.report.render import format_report
from factorcheck.rules.governance import NOT_REVIEWED
from support import EXAMPLES

ANSWERS = json.loads((EXAMPLES / "both-pains-several-links.json").read_text(encoding="utf-8"))


def test_every_report_format_states_the_review_state() -> None:
    """The JSON report carries ruleset.review_state, from both builders; text, Markdown and HTML
    say it in the footer, before the consult message."""
    assessor = default_assessor()
    assert assessor.ruleset.review_state == NOT_REVIEWED
    report = assessor.assess(ANSWERS)
    assert report["ruleset"]["review_state"] == NOT_REVIEWED
    assert json.loads(assessor.assess_to_json(ANSWERS))["ruleset"] == report["ruleset"]
    for fmt in ("text", "markdown", "html"):
        shown = format_report(report, fmt, assessor.ruleset)
        flat = " ".join(shown.split())
        assert NOT_REVIEWED in flat, fmt
        consult = " ".join(report["consult"].split())
        assert flat.rindex(NOT_REVIEWED) < flat.rindex(consult.split(".")[0]), fmt
