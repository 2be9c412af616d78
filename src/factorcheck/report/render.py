"""A report in the format a person asked for: JSON, text, Markdown or HTML, as every front end shows it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime

    from factorcheck.report.schema import Report
    from factorcheck.rules.ruleset import Ruleset

# Importing this module is cheap (the command line reads FORMATS to build its options);
# the renderers are imported when a report is formatted.
FORMATS = ("text", "json", "markdown", "html")


def format_report(
    report: Report, fmt: str, ruleset: Ruleset, made_on: datetime.date | None = None, plain: bool = False
) -> str:
    """A report in one of FORMATS; `ruleset` is the one that made it (for its wording).

    Human formats are dated `made_on`, today by default; JSON carries a "date" only when one is
    given, so that the same answers give the same JSON. `plain` text suits a screen reader.
    """
    if fmt == "json":
        if made_on is not None:
            # After "tool" and "ruleset": what made the report, then when.
            fields = list(report.items())
            dated = dict(fields[:2]) | {"date": made_on.isoformat()} | dict(fields[2:])
            return json.dumps(dated, indent=2, ensure_ascii=False) + "\n"
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    from factorcheck.report.document import report_document

    blocks = report_document(report, ruleset, made_on)
    if fmt == "markdown":
        from factorcheck.report.markdown import render_markdown

        return render_markdown(blocks)
    if fmt == "html":
        from factorcheck.report.document import clinician_summary
        from factorcheck.report.html import render_html

        return render_html(
            blocks,
            [(m["id"], m["title"]) for m in report["mechanisms"]],
            summary=clinician_summary(report, ruleset),
        )
    from factorcheck.report.text import render_text

    return render_text(blocks, plain)
