"""`factorcheck ask`'s arguments, handed to the terminal front end as its typed options."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from factorcheck.cli.options import add_date_option, add_rules_option
from factorcheck.report.render import FORMATS

DESCRIPTION = (
    "Ask the questionnaire one question at a time (warning signs first), then print the "
    "report. Nothing is saved unless you ask: with --save-answers, --output, or when you stop with "
    "Ctrl-C and choose to keep your answers. Without a terminal (input from a pipe, or --plain) "
    "the questions are plain lines and each answer is one line. "
    "Exit codes: 0 the report was shown; 2 the --resume file was invalid; 130 stopped before "
    "the end; 1 anything else."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Describe `ask` and add its arguments."""
    parser.description = DESCRIPTION
    parser.add_argument(
        "--resume", type=Path, metavar="FILE", help="continue from answers saved when you stopped"
    )
    parser.add_argument(
        "--save-answers",
        type=Path,
        metavar="FILE",
        help="also save your answers as JSON, which factorcheck check reads (a FHIR QuestionnaireResponse "
        "if FILE ends in .fhir.json)",
    )
    parser.add_argument(
        "--answers-format",
        choices=("json", "fhir"),
        help="the format of --save-answers: json (an answer file) or fhir (a FHIR R4 QuestionnaireResponse); "
        "default: fhir if FILE ends in .fhir.json, else json",
    )
    parser.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help="also save the report, to take to a clinician: a web page to print if FILE ends in .html, "
        "Markdown if it ends in .md, text otherwise",
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="text", help="report format shown (default: text)"
    )
    parser.add_argument("--plain", action="store_true", help="plain line-by-line prompts, even in a terminal")
    add_date_option(parser)
    add_rules_option(parser)


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Run `factorcheck ask` with the options parsed; returns the exit code."""
    from factorcheck.ask.command import run_ask
    from factorcheck.ask.options import AskOptions

    options = AskOptions(
        resume=args.resume,
        save_answers=args.save_answers,
        answers_format=args.answers_format,
        output=args.output,
        format=args.format,
        plain=args.plain,
        date=args.date,
        rules=args.rules,
        allow_below_floor=args.allow_below_safety_floor,
    )
    return run_ask(options, stdin, stdout, stderr)
