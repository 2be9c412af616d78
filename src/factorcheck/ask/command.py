"""`factorcheck ask`: the questionnaire in a terminal, then the report; nothing is saved unless asked."""

from __future__ import annotations

import argparse
import os
import shlex
from pathlib import Path
from typing import TextIO

from factorcheck.answers.answer_files import answers_json, load_partial
from factorcheck.assessment import default_assessor
from factorcheck.conversation.prompts import FrontEnd
from factorcheck.conversation.session import Session
from factorcheck.errors import ExitCode, FactorcheckError, InvalidAnswersError
from factorcheck.private_files import write_private
from factorcheck.report.render import format_report

INTRO = (
    "factorcheck asks about your knee pain and heel pain, then explains how the two may be linked. "
    "It is education, not a diagnosis. Your answers stay on this computer and are saved only if you "
    "ask. Warning signs come first."
)


def _interactive(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> bool:
    if args.plain or os.environ.get("TERM") == "dumb":
        return False
    return stdin.isatty() and stdout.isatty()


def _front_end(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> FrontEnd:
    if _interactive(args, stdin, stdout):
        # Imported here so that other commands start without loading the terminal library.
        from factorcheck.ask.terminal import TerminalFrontEnd

        return TerminalFrontEnd()
    from factorcheck.ask.line_prompts import LineFrontEnd

    return LineFrontEnd(stdin, stdout)


def converse(session: Session, front: FrontEnd) -> None:
    """Ask until the person has reviewed their answers and asked for the report."""
    for notice in session.start():
        front.notify(notice)
    error = ""
    while not session.finished:
        outcome = session.reply(front.ask(session.prompt(), error))
        error = outcome.error
        for notice in outcome.notices:
            front.notify(notice)


def offer_to_save(session: Session, front: FrontEnd) -> None:
    """After a stop: keep the answers so far in a file, only if the person names one."""
    answers = session.answers
    if not answers:
        front.say("No answers were given, so there is nothing to save.")
        return
    question = (
        f"You have answered {len(answers)} question{'s' if len(answers) != 1 else ''}. To continue later, "
        "type a file name to save them in (for example my-answers.json), or press Enter to leave "
        "without saving."
    )
    while True:
        try:
            name = front.ask_line(question)
            if not name:
                front.say("Nothing was saved.")
                return
            path = Path(name).expanduser()
            if path.exists() and front.ask_line(f"{path} already exists. Replace it? (yes/no)") != "yes":
                question = "Type another file name, or press Enter to leave without saving."
                continue
            write_private(path, answers_json(answers))
        except (KeyboardInterrupt, EOFError):
            front.say("Nothing was saved.")
            return
        except OSError as error:
            question = f"Could not save to {name}: {error.strerror}. Type another file name, or press Enter."
            continue
        front.say(f"Saved to {path}. To continue later, run:")
        front.say(f"  factorcheck ask --resume {shlex.quote(str(path))}")
        return


def _check_writable(path: Path | None) -> None:
    if path is not None and not path.expanduser().absolute().parent.is_dir():
        raise FactorcheckError(f"cannot write {path}: its folder does not exist.")


def _report_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        return "html"
    return "markdown" if suffix in (".md", ".markdown") else "text"


def run_ask(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Run `factorcheck ask`; returns the exit code."""
    _check_writable(args.save_answers)
    _check_writable(args.output)
    answers: dict[str, object] | None = None
    if args.resume is not None:
        try:
            answers = load_partial(args.resume)
        except InvalidAnswersError as error:
            stderr.write(f"factorcheck: cannot continue from {args.resume}. {error}\n")
            return ExitCode.INVALID_INPUT
    assessor = default_assessor(args.rules)
    session = Session(assessor, answers)
    front = _front_end(args, stdin, stdout)
    front.say(INTRO)
    if answers:
        front.say(f"Continuing from {args.resume}: {len(answers)} answers loaded.")
    try:
        converse(session, front)
    except KeyboardInterrupt:
        front.say("")
        front.say("Stopped.")
        offer_to_save(session, front)
        return ExitCode.STOPPED
    except EOFError:
        stderr.write(
            "factorcheck: the input ended before the questionnaire was finished; nothing was saved.\n"
        )
        return ExitCode.FAILURE

    report = assessor.assess(session.answers)
    status = ExitCode.OK
    notes: list[str] = []
    files = []
    if args.save_answers is not None:
        files.append((args.save_answers, answers_json(session.answers), "Your answers were saved to"))
    if args.output is not None:
        text = format_report(report, _report_format(args.output), assessor.ruleset)
        files.append((args.output, text, "Your report was saved to"))
    for path, text, said in files:
        try:
            write_private(path.expanduser(), text)
            notes.append(f"{said} {path}.")
        except OSError as error:
            stderr.write(f"factorcheck: cannot write {path}: {error.strerror}.\n")
            status = ExitCode.FAILURE
    front.say("")
    for note in notes:
        front.say(note)
    stdout.write("\n" + format_report(report, args.format, assessor.ruleset))
    stdout.flush()
    return status
