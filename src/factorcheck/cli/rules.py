"""`factorcheck rules`: check the rule files (their examples on both evaluators, the safety floor,
the reviews), print their book, and show what a change does."""

from __future__ import annotations

import argparse
import datetime
import json
from pathlib import Path
from typing import TextIO

from factorcheck.cli.options import add_rules_option, report_date
from factorcheck.cli.output import emit
from factorcheck.errors import ExitCode

# `rules diff` exits with this when some reports change (0: none; 1: an error).
REPORTS_CHANGE = 3


def _add_drafts_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--drafts", action="store_true", help="include rules whose status is draft")


def _positive(text: str) -> int:
    if text.isdigit() and int(text) > 0:
        return int(text)
    raise argparse.ArgumentTypeError(f'"{text}" is not a whole number of at least 1.')


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add `rules`'s subcommands, check, book and diff, and their arguments."""
    rules_commands = parser.add_subparsers(dest="rules_command", required=True, metavar="COMMAND")
    rules_check = rules_commands.add_parser(
        "check",
        help="validate the rule files and run their examples",
        description="Load and validate every rule file, then run each rule's must-fire and must-not-fire "
        "examples against both the durable_rules engine and the reference evaluator, check that "
        "each warning sign still reaches the triage level docs/outcomes.md sets as its safety floor, "
        "and that no rule's review is overdue. "
        "Exit codes: 0 all passed; 1 a rule file is invalid, an example failed, a warning sign "
        "falls below its floor (unless --allow-below-safety-floor, which lists it instead) or a "
        "review is overdue.",
    )
    add_rules_option(rules_check)
    rules_check.add_argument(
        "--as-of",
        type=report_date,
        metavar="YYYY-MM-DD",
        help="the date reviews are checked against (default: today)",
    )
    _add_drafts_option(rules_check)
    rules_book = rules_commands.add_parser(
        "book",
        help="write the rule book: every rule, its logic in plain words, evidence and review",
        description="Write one self-contained, printable document of the rule set for clinical review: "
        "a cover with version, digest and review state, the triage levels, one section per rule (its "
        "logic in plain words generated from the rule, explanation, rationale, graded evidence, review "
        "data, and its examples with their results from a run made while writing the book), the "
        "changes, and the hazard log. Exit codes: 0 written; 1 an error.",
    )
    add_rules_option(rules_book)
    rules_book.add_argument("--format", choices=("html", "markdown"), default="html", help="default: html")
    rules_book.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FILE", help="the file to write"
    )
    _add_drafts_option(rules_book)
    rules_diff = rules_commands.add_parser(
        "diff",
        help="what changed between two rule folders, and what it does to reports",
        description="Compare two rule folders rule by rule (the logic in plain words before and after, "
        "texts, metadata, rules added or removed), then evaluate a corpus of answer sets with both and "
        "count how the reports change: triage level from x to (changes to a lower level first and "
        "flagged), and mechanisms, factors and approaches gained or lost, with example answer sets. "
        f"Exit codes: 0 no report changes; {REPORTS_CHANGE} some reports change; 1 an error.",
    )
    rules_diff.add_argument("old", type=Path, metavar="OLD_DIR", help="the rules folder before the change")
    rules_diff.add_argument("new", type=Path, metavar="NEW_DIR", help="the rules folder after the change")
    corpus = rules_diff.add_mutually_exclusive_group()
    corpus.add_argument(
        "--answers", type=Path, metavar="FILE", help="answer sets to evaluate: JSON Lines, or a JSON array"
    )
    corpus.add_argument(
        "--generated",
        type=_positive,
        metavar="N",
        help="evaluate N made-up answer sets, every allowed answer equally often (default: 100000)",
    )
    rules_diff.add_argument(
        "--seed", type=int, default=1, help="the seed of the made-up answer sets (default 1)"
    )
    rules_diff.add_argument("--format", choices=("text", "json"), default="text", help="default: text")


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Run `factorcheck rules COMMAND`; returns the exit code."""
    if args.rules_command == "book":
        return _book(args, stdout)
    if args.rules_command == "diff":
        return _diff(args, stdout)
    return _check(args, stdout)


def _check(args: argparse.Namespace, stdout: TextIO) -> int:
    from factorcheck.engine.durable import DurableEngine
    from factorcheck.engine.evaluation import Evaluator
    from factorcheck.engine.oracle import Oracle
    from factorcheck.engine.rule_examples import all_examples, example_failures
    from factorcheck.engine.safety_floor import shortfalls
    from factorcheck.rules.governance import overdue
    from factorcheck.rules.loading import load_ruleset

    ruleset = load_ruleset(args.rules, include_drafts=args.drafts)
    evaluators: dict[str, Evaluator] = {"durable": DurableEngine(ruleset), "oracle": Oracle(ruleset)}
    examples = list(all_examples(ruleset))
    failures = [failure for example in examples for failure in example_failures(example, evaluators, ruleset)]
    below = shortfalls(ruleset)
    allowed = args.allow_below_safety_floor
    as_of = args.as_of or datetime.date.today()
    late = [rule for rule in ruleset.rules if overdue(rule.governance, as_of)]
    lines = [f"FAIL {failure}\n" for failure in failures]
    lines += [f"{'BELOW FLOOR (allowed)' if allowed else 'FAIL'} safety floor: {short}\n" for short in below]
    lines += [
        f"FAIL {rule.path}: {rule.id}: review overdue: next review was due "
        f"{rule.governance.next_review.isoformat()}, checked as of {as_of.isoformat()}\n"
        for rule in late
        if rule.governance
    ]
    lines.append(
        f"rules {ruleset.version} ({ruleset.digest}): {len(ruleset.rules)} rules, "
        f"{len(examples)} examples run against {' and '.join(evaluators)}: "
        f"{len(examples) * len(evaluators) - len(failures)} passed, {len(failures)} failed; "
        + (
            f"{len(below)} warning sign{'' if len(below) == 1 else 's'} below the safety floor"
            f"{' (allowed)' if allowed else ''}; "
            if below
            else "every warning sign reaches its safety floor; "
        )
        + f"reviews as of {as_of.isoformat()}: {len(late)} overdue; {ruleset.review_state}\n"
    )
    emit(stdout, "".join(lines))
    return ExitCode.FAILURE if failures or late or (below and not allowed) else ExitCode.OK


def _book(args: argparse.Namespace, stdout: TextIO) -> int:
    from factorcheck.governance.book import book_html, book_markdown, build_book
    from factorcheck.private_files import write_private
    from factorcheck.rules.loading import load_ruleset

    book = build_book(load_ruleset(args.rules, include_drafts=args.drafts))
    write_private(args.output, book_html(book) if args.format == "html" else book_markdown(book))
    emit(stdout, f"wrote {args.output}: {len(book.rules)} rules, {book.review_state}\n")
    return ExitCode.OK


def _diff(args: argparse.Namespace, stdout: TextIO) -> int:
    from factorcheck.governance.diff_report import diff_document, diff_text
    from factorcheck.governance.impact import DEFAULT_GENERATED, corpus_impact, load_side, read_answer_sets

    # A rule set below the safety floor still loads: showing such a change is what a diff is for.
    old, new = load_side(args.old, allow_below_floor=True), load_side(args.new, allow_below_floor=True)
    if args.answers is not None:
        answer_sets = read_answer_sets(args.answers)
        tally = corpus_impact(old.ruleset, new.ruleset, answer_sets=answer_sets)
        corpus = f"the answer sets in {args.answers}"
    else:
        count = args.generated or DEFAULT_GENERATED
        tally = corpus_impact(old.ruleset, new.ruleset, generated=count, seed=args.seed)
        corpus = f"{count:,} made-up answer sets, seed {args.seed}"
    document = diff_document(old, new, tally, corpus)
    text = (
        json.dumps(document, ensure_ascii=False, indent=1) + "\n"
        if args.format == "json"
        else diff_text(document)
    )
    emit(stdout, text)
    return REPORTS_CHANGE if tally.changed else ExitCode.OK
