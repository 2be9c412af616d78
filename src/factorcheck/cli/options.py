"""The options several commands share: --date (the report's date) and --rules (another rules folder)."""

from __future__ import annotations

import argparse
import datetime
import re
from pathlib import Path


def report_date(text: str) -> datetime.date:
    """A --date value: a date written YYYY-MM-DD, else an argparse error saying so."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(
        f'"{text}" is not a date: give it as YYYY-MM-DD, for example 2026-03-01.'
    )


def add_date_option(
    parser: argparse.ArgumentParser,
    help: str = "the date the report says it was made (default: today), so that a report can be made "
    "again exactly; the JSON report carries a date only when this is given",
) -> None:
    """Add --date, the date the reports say they were made."""
    parser.add_argument("--date", type=report_date, metavar="YYYY-MM-DD", help=help)


def add_rules_option(parser: argparse.ArgumentParser) -> None:
    """Add --rules, a rules folder other than the shipped one, and --allow-below-safety-floor."""
    parser.add_argument("--rules", type=Path, metavar="DIR", help="a rules folder other than the shipped one")
    parser.add_argument(
        "--allow-below-safety-floor",
        action="store_true",
        help="use --rules even where they bring a warning sign below its safety floor (the least triage "
        "level docs/outcomes.md gives it); every report made with them then says so at the top",
    )
