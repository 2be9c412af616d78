"""The command line: `factorcheck check`, `ask`, `batch`, `serve`, `rules check` and `schema`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from factorcheck.errors import ExitCode, FactorcheckError, InvalidAnswersError, InvalidJsonError
from factorcheck.report.render import FORMATS
from factorcheck.version import __version__


def _read_input(source: str, stdin: TextIO) -> str:
    if source == "-":
        return stdin.read()
    from factorcheck.answers.json_input import read_text

    return read_text(Path(source), f"cannot read {source}")


def _check(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    from factorcheck.answers.json_input import loads_strict
    from factorcheck.assessment import default_assessor
    from factorcheck.report.render import format_report

    raw = loads_strict(_read_input(args.answers, stdin))
    assessor = default_assessor(args.rules)
    report = assessor.assess(raw)
    stdout.write(format_report(report, args.format, assessor.ruleset))
    return ExitCode.OK


def _batch(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from factorcheck.batch import run as batch

    try:
        return batch.run_batch(
            args.input,
            args.output,
            format_name=args.input_format,
            id_field=args.id_field,
            workers=batch.default_workers() if args.workers is None else args.workers,
            rules_dir=args.rules,
            stdin=batch.binary_input(stdin),
            stdout=batch.binary_output(stdout),
            stderr=stderr,
        )
    except BrokenPipeError:
        batch.redirect_closed_stdout()
        stderr.write("factorcheck: the output was closed before every record was written.\n")
        return ExitCode.FAILURE
    except KeyboardInterrupt:
        stderr.write("factorcheck: interrupted; the output holds only the records scored so far.\n")
        return ExitCode.FAILURE


def _rules_check(args: argparse.Namespace, stdout: TextIO) -> int:
    from factorcheck.engine.durable import DurableEngine
    from factorcheck.engine.evaluation import Evaluator
    from factorcheck.engine.oracle import Oracle
    from factorcheck.engine.rule_examples import all_examples, example_failures
    from factorcheck.rules.loading import load_ruleset

    ruleset = load_ruleset(args.rules)
    evaluators: dict[str, Evaluator] = {"durable": DurableEngine(ruleset), "oracle": Oracle(ruleset)}
    examples = list(all_examples(ruleset))
    failures = [failure for example in examples for failure in example_failures(example, evaluators)]
    for failure in failures:
        stdout.write(f"FAIL {failure}\n")
    stdout.write(
        f"rules {ruleset.version} ({ruleset.digest}): {len(ruleset.rules)} rules, "
        f"{len(examples)} examples run against {' and '.join(evaluators)}: "
        f"{len(examples) * len(evaluators) - len(failures)} passed, {len(failures)} failed\n"
    )
    return ExitCode.FAILURE if failures else ExitCode.OK


def _schema(stdout: TextIO) -> int:
    from factorcheck.answers.questionnaire import Answers

    stdout.write(json.dumps(Answers.model_json_schema(), indent=2, ensure_ascii=False) + "\n")
    return ExitCode.OK


def _add_rules_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", type=Path, metavar="DIR", help="a rules folder other than the shipped one")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factorcheck",
        description="Explains how knee pain and heel pain (plantar fasciitis) may be linked, from a "
        "questionnaire's answers. Education, not a diagnosis: always talk to a professional.",
    )
    parser.add_argument("--version", action="version", version=f"factorcheck {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="assess one answer set and print its report",
        description="Assess one answer set (a JSON file, or - for standard input) and print the report. "
        "Exit codes: 0 a report was printed; 2 the input was invalid (each problem on stderr); "
        "1 anything else. Example: factorcheck check examples/no-pain.json --format json",
    )
    check.add_argument("answers", metavar="FILE", help="a JSON answer file, or - to read standard input")
    check.add_argument("--format", choices=FORMATS, default="text", help="report format (default: text)")
    _add_rules_option(check)

    ask = commands.add_parser(
        "ask",
        help="answer the questionnaire in the terminal and see the report",
        description="Ask the questionnaire one question at a time (warning signs first), then print the "
        "report. Nothing is saved unless you ask: with --save-answers, --output, or when you stop with "
        "Ctrl-C and choose to keep your answers. Without a terminal (input from a pipe, or --plain) "
        "the questions are plain lines and each answer is one line. "
        "Exit codes: 0 the report was shown; 2 the --resume file was invalid; 130 stopped before "
        "the end; 1 anything else.",
    )
    ask.add_argument(
        "--resume", type=Path, metavar="FILE", help="continue from answers saved when you stopped"
    )
    ask.add_argument(
        "--save-answers",
        type=Path,
        metavar="FILE",
        help="also save your answers as JSON, which factorcheck check reads",
    )
    ask.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help="also save the report, to take to a clinician: a web page to print if FILE ends in .html, "
        "Markdown if it ends in .md, text otherwise",
    )
    ask.add_argument("--format", choices=FORMATS, default="text", help="report format shown (default: text)")
    ask.add_argument("--plain", action="store_true", help="plain line-by-line prompts, even in a terminal")
    _add_rules_option(ask)

    batch = commands.add_parser(
        "batch",
        help="assess many answer sets (JSON Lines or CSV) into JSON Lines",
        description="Assess every answer set of INPUT, one JSON Lines record per answer set, in input "
        'order: the report, or {"error": {"line": N, "problems": [...]}} for an invalid one, and go '
        "on. INPUT is JSON Lines (one answer set per line; blank lines skipped) or CSV (a header of "
        "item ids; an empty cell is not answered; true/false cells take true or false; list cells "
        "separate choices with ;), told by the extension (.jsonl, .ndjson, .csv) or --input-format. "
        "Exit codes: 0 every record gave a report; 2 some records were invalid; 1 the run failed "
        "(a message on stderr; the output may be incomplete). "
        "Example: factorcheck batch intake.csv -o reports.jsonl --id-field record_id",
    )
    batch.add_argument("input", metavar="INPUT", help="a .jsonl or .csv file, or - to read standard input")
    batch.add_argument(
        "-o",
        "--output",
        default="-",
        metavar="OUTPUT",
        help="the JSON Lines file to write (default: -, stdout)",
    )
    batch.add_argument(
        "--input-format", choices=("jsonl", "csv"), help="the input format, when the extension does not tell"
    )
    batch.add_argument(
        "--id-field",
        metavar="NAME",
        help="a field (JSON) or column (CSV) holding each record's identifier; it is not an answer and is "
        'copied to the output as "id"',
    )
    batch.add_argument(
        "--workers", type=int, metavar="N", help="processes that assess records (default: all cores)"
    )
    _add_rules_option(batch)

    serve = commands.add_parser(
        "serve",
        help="the questionnaire as a web page on this computer, with a report to print",
        description="Serve the questionnaire as a local web page and print its address; Ctrl-C stops it. "
        "Nothing is stored or logged. By default only this computer can reach it; with another --host "
        "the answers cross the network unencrypted (a warning says so). "
        "Exit codes: 0 stopped with Ctrl-C; 1 it could not start (for example, the port is in use).",
    )
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    serve.add_argument(
        "--port", type=int, default=8765, help="the port to listen on (default: 8765; 0 picks a free one)"
    )
    _add_rules_option(serve)

    rules = commands.add_parser("rules", help="work with the rule files")
    rules_commands = rules.add_subparsers(dest="rules_command", required=True, metavar="COMMAND")
    rules_check = rules_commands.add_parser(
        "check",
        help="validate the rule files and run their examples",
        description="Load and validate every rule file, then run each rule's must-fire and must-not-fire "
        "examples against both the durable_rules engine and the reference evaluator. "
        "Exit codes: 0 all passed; 1 a rule file is invalid or an example failed.",
    )
    _add_rules_option(rules_check)

    commands.add_parser(
        "schema",
        help="print the JSON Schema of an answer set",
        description="Print the JSON Schema of an answer set, with each item's question and help text.",
    )
    return parser


def main(
    argv: Sequence[str] | None = None,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    stderr: TextIO = sys.stderr,
) -> int:
    """Run the command line; returns the exit code."""
    # No pydantic plugin may see the answers (health data): factorcheck uses none, and one
    # installed in the environment would be handed every answer set validated. Not looking for
    # them also spares a scan of every installed package at start-up.
    os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
    args = build_parser().parse_args(argv)
    try:
        if args.command == "check":
            return _check(args, stdin, stdout)
        if args.command == "ask":
            from factorcheck.ask.command import run_ask

            return run_ask(args, stdin, stdout, stderr)
        if args.command == "batch":
            return _batch(args, stdin, stdout, stderr)
        if args.command == "serve":
            # Imported here, so that no other command loads the web stack.
            from factorcheck.web.serve import run_serve

            return run_serve(args.host, args.port, args.rules, stdout, stderr)
        if args.command == "rules":
            return _rules_check(args, stdout)
        return _schema(stdout)
    except (InvalidAnswersError, InvalidJsonError) as error:
        stderr.write(f"factorcheck: {error}\n")
        return ExitCode.INVALID_INPUT
    except FactorcheckError as error:
        stderr.write(f"factorcheck: {error}\n")
        return ExitCode.FAILURE
    except KeyboardInterrupt:
        stderr.write("factorcheck: interrupted.\n")
        return ExitCode.FAILURE
    except Exception as error:
        stderr.write(f"factorcheck: unexpected error ({type(error).__name__}: {error}). Please report it.\n")
        return ExitCode.FAILURE
