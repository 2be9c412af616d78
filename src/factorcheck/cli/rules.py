"""`factorcheck rules check`: validate the rule files, run every rule's examples on both evaluators, and
hold the rules to the safety floor."""

from __future__ import annotations

import argparse
from typing import TextIO

from factorcheck.cli.options import add_rules_option
from factorcheck.cli.output import emit
from factorcheck.errors import ExitCode


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add `rules`'s one subcommand, `check`, and its arguments."""
    rules_commands = parser.add_subparsers(dest="rules_command", required=True, metavar="COMMAND")
    rules_check = rules_commands.add_parser(
        "check",
        help="validate the rule files and run their examples",
        description="Load and validate every rule file, then run each rule's must-fire and must-not-fire "
        "examples against both the durable_rules engine and the reference evaluator, and check that "
        "each warning sign still reaches the triage level docs/outcomes.md sets as its safety floor. "
        "Exit codes: 0 all passed; 1 a rule file is invalid, an example failed or a warning sign "
        "falls below its floor (unless --allow-below-safety-floor, which lists it instead).",
    )
    add_rules_option(rules_check)


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Run `factorcheck rules check`; returns the exit code."""
    from factorcheck.engine.durable import DurableEngine
    from factorcheck.engine.evaluation import Evaluator
    from factorcheck.engine.oracle import Oracle
    from factorcheck.engine.rule_examples import all_examples, example_failures
    from factorcheck.engine.safety_floor import shortfalls
    from factorcheck.rules.loading import load_ruleset

    ruleset = load_ruleset(args.rules)
    evaluators: dict[str, Evaluator] = {"durable": DurableEngine(ruleset), "oracle": Oracle(ruleset)}
    examples = list(all_examples(ruleset))
    failures = [failure for example in examples for failure in example_failures(example, evaluators, ruleset)]
    below = shortfalls(ruleset)
    allowed = args.allow_below_safety_floor
    lines = [f"FAIL {failure}\n" for failure in failures]
    lines += [f"{'BELOW FLOOR (allowed)' if allowed else 'FAIL'} safety floor: {short}\n" for short in below]
    lines.append(
        f"rules {ruleset.version} ({ruleset.digest}): {len(ruleset.rules)} rules, "
        f"{len(examples)} examples run against {' and '.join(evaluators)}: "
        f"{len(examples) * len(evaluators) - len(failures)} passed, {len(failures)} failed; "
        + (
            f"{len(below)} warning sign{'' if len(below) == 1 else 's'} below the safety floor"
            f"{' (allowed)' if allowed else ''}\n"
            if below
            else "every warning sign reaches its safety floor\n"
        )
    )
    emit(stdout, "".join(lines))
    return ExitCode.FAILURE if failures or (below and not allowed) else ExitCode.OK
