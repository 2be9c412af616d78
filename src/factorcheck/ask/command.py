"""`factorcheck ask`: the questionnaire in a terminal, then the report; nothing is saved unless asked."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from factorcheck.answers.answer_files import answers_format, answers_text, load_partial
from factorcheck.ask.options import AskOptions
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


def _interactive(options: AskOptions, stdin: TextIO, stdout: TextIO) -> bool:
    if options.plain or os.environ.get("TERM") == "dumb":
        return False
    return stdin.isatty() and stdout.isatty()


def _front_end(options: AskOptions, stdin: TextIO, stdout: TextIO) -> FrontEnd:
    if _interactive(options, stdin, stdout):
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


# The report formats a file name may ask for, by its ending; others are refused, not guessed.
REPORT_SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
    "": "text",
}
REPORT_NAMES = (
    "a name ending in .html for a page to print, .md for Markdown (to take to a clinician) or .txt for "
    "plain text"
)


def _program() -> str:
    """How to run factorcheck again, as a command that works when typed as shown."""
    on_path = shutil.which("factorcheck")
    if on_path and Path(sys.argv[0]).name == "factorcheck" and Path(on_path).samefile(sys.argv[0]):
        return "factorcheck"
    if Path(sys.argv[0]).name == "factorcheck" and Path(sys.argv[0]).is_file():
        return shlex.quote(sys.argv[0])
    return f"{shlex.quote(sys.executable)} -m factorcheck"


def resume_command(path: Path, options: AskOptions | None = None) -> str:
    """The command that continues from `path`, keeping the options this run was given."""
    words = [_program(), "ask", "--resume", shlex.quote(str(path))]
    if options is not None:
        for flag, value in (("--save-answers", options.save_answers), ("--output", options.output)):
            if value is not None:
                words += [flag, shlex.quote(str(value))]
        if options.answers_format is not None:
            words += ["--answers-format", options.answers_format]
        if options.format != "text":
            words += ["--format", options.format]
        if options.date is not None:
            words += ["--date", options.date.isoformat()]
        if options.plain:
            words.append("--plain")
        if options.rules is not None:
            words += ["--rules", shlex.quote(str(options.rules))]
        if options.allow_below_floor:
            words.append("--allow-below-safety-floor")
    return " ".join(words)


def offer_to_save(session: Session, front: FrontEnd, options: AskOptions | None = None) -> None:
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
            write_private(path, answers_text(answers, answers_format(path, None), finished=False))
        except (KeyboardInterrupt, EOFError):
            front.say("Nothing was saved.")
            return
        except OSError as error:
            question = f"Could not save to {name}: {error.strerror}. Type another file name, or press Enter."
            continue
        front.say(f"Saved to {path}. To continue later, run:")
        front.say(f"  {resume_command(path, options)}", wrapped=False)
        return


def _check_writable(path: Path | None) -> None:
    if path is not None and not path.expanduser().absolute().parent.is_dir():
        raise FactorcheckError(f"cannot write {path}: its folder does not exist.")


def _same_file(first: Path, second: Path) -> bool:
    return first.expanduser().resolve() == second.expanduser().resolve()


def _check_files(options: AskOptions, interactive: bool) -> None:
    """Refuse, before any question, files that could not be written as asked."""
    _check_writable(options.save_answers)
    _check_writable(options.output)
    if options.output is not None and options.output.suffix.lower() not in REPORT_SUFFIXES:
        raise FactorcheckError(
            f"cannot save the report as {options.output}: factorcheck does not write "
            f'"{options.output.suffix}" reports. Use {REPORT_NAMES}.'
        )
    if (
        options.output is not None
        and options.save_answers is not None
        and _same_file(options.output, options.save_answers)
    ):
        raise FactorcheckError(
            f"--output and --save-answers both name {options.output}: the report would replace your answers. "
            "Give two different files."
        )
    if interactive:
        return  # the person is there to be asked before a file is replaced
    for path in (options.save_answers, options.output):
        if path is not None and path.expanduser().exists() and not _continues(options, path):
            raise FactorcheckError(
                f"{path} already exists, and factorcheck does not replace a file without asking. "
                "Remove it, or give another name."
            )


def _continues(options: AskOptions, path: Path) -> bool:
    """Saving the answers back to the file they were resumed from, which keeps and extends them."""
    return (
        options.resume is not None and options.save_answers is not None and _same_file(path, options.resume)
    )


def _report_format(path: Path) -> str:
    return REPORT_SUFFIXES.get(path.suffix.lower(), "text")


def _save(front: FrontEnd, path: Path, text: str, what: str, replace_ok: bool) -> Path | None:
    """Write a file the person asked for; an existing one is replaced only if they say so."""
    while True:
        target = path.expanduser()
        if target.exists() and not replace_ok:
            answer = front.ask_line(f"{path} already exists. Replace it with {what}? (yes/no)")
            if answer.lower() not in ("yes", "y"):
                name = front.ask_line(f"Type another file name for {what}, or press Enter to not save it.")
                if not name:
                    return None
                path = Path(name)
                continue
        write_private(target, text)
        return path


def _offer_report(front: FrontEnd, render: Callable[[str], str]) -> None:
    """At the end, in a terminal: the person may keep a copy of the report in a file, in the format
    its name asks for (`render` writes the report in a format)."""
    question = (
        f"Your report is ready. To keep a copy, type {REPORT_NAMES}, or press Enter to see it without saving."
    )
    while True:
        name = front.ask_line(question)
        if not name:
            return
        path = Path(name)
        fmt = REPORT_SUFFIXES.get(path.suffix.lower())
        if fmt is None:
            question = (
                f'factorcheck does not write "{path.suffix}" reports. Use {REPORT_NAMES}, or press Enter.'
            )
            continue
        if not path.expanduser().absolute().parent.is_dir():
            question = f"The folder of {path} does not exist. Type another file name, or press Enter."
            continue
        try:
            saved = _save(front, path, render(fmt), "your report", replace_ok=False)
        except OSError as error:
            question = f"Could not save to {path}: {error.strerror}. Type another file name, or press Enter."
            continue
        front.say(f"Your report was saved to {saved}." if saved else "The report was not saved.")
        return


def run_ask(options: AskOptions, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Run `factorcheck ask`; returns the exit code."""
    interactive = stdin.isatty()
    _check_files(options, interactive)
    answers: dict[str, object] | None = None
    if options.resume is not None:
        try:
            answers = load_partial(options.resume)
        except InvalidAnswersError as error:
            stderr.write(f"factorcheck: cannot continue from {options.resume}. {error}\n")
            return ExitCode.INVALID_INPUT
    assessor = default_assessor(options.rules, allow_below_floor=options.allow_below_floor)
    session = Session(assessor, answers)
    front = _front_end(options, stdin, stdout)
    front.say(INTRO)
    if answers:
        front.say(f"Continuing from {options.resume}: {len(answers)} answers loaded.")
    try:
        if _interactive(options, stdin, stdout):
            # The first checklist fills a small terminal at once and would push the notice above
            # out of sight before it is read.
            front.ask_line("Press Enter to start, or Ctrl-C to stop.")
        converse(session, front)
    except KeyboardInterrupt:
        front.say("")
        # An urgent or emergency sign already given is said again before anything else.
        for notice in session.advice_now():
            front.notify(notice)
        front.say("Stopped.")
        offer_to_save(session, front, options)
        return ExitCode.STOPPED
    except EOFError:
        for notice in session.advice_now():
            front.notify(notice)
        stderr.write(
            "factorcheck: the input ended before the questionnaire was finished; nothing was saved.\n"
        )
        return ExitCode.FAILURE

    report = assessor.assess(session.answers)
    status = ExitCode.OK
    notes: list[str] = []
    files = []
    if options.save_answers is not None:
        answers_fmt = answers_format(options.save_answers, options.answers_format)
        files.append(
            (options.save_answers, answers_text(session.answers, answers_fmt), "your answers", "were")
        )
    if options.output is not None:
        text = format_report(report, _report_format(options.output), assessor.ruleset, options.date)
        files.append((options.output, text, "your report", "was"))
    for path, text, what, verb in files:
        try:
            # Without a terminal, an existing file was refused before the questions began.
            saved = _save(front, path, text, what, replace_ok=not interactive or _continues(options, path))
        except (KeyboardInterrupt, EOFError):
            saved = None
        except OSError as error:
            stderr.write(f"factorcheck: cannot write {path}: {error.strerror}.\n")
            status = ExitCode.FAILURE
            continue
        if saved is None:
            stderr.write(f"factorcheck: {path} was kept as it was; {what} {verb} not saved.\n")
            status = ExitCode.FAILURE
        else:
            notes.append(f"{what.capitalize()} {verb} saved to {saved}.")
    front.say("")
    for note in notes:
        front.say(note)
    if options.output is None and interactive:
        try:
            _offer_report(front, lambda fmt: format_report(report, fmt, assessor.ruleset, options.date))
        except (KeyboardInterrupt, EOFError):
            front.say("The report was not saved.")
    stdout.write(
        "\n" + format_report(report, options.format, assessor.ruleset, options.date, plain=options.plain)
    )
    stdout.flush()
    return status
