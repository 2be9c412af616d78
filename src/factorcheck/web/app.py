"""The web application: the safety screen, the rest of the form, the report, and the triage told at once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from factorcheck.answers.fhir.reading import read_response
from factorcheck.answers.json_input import loads_strict
from factorcheck.answers.questionnaire import ITEMS, ITEMS_BY_ID, SAFETY_ITEMS
from factorcheck.answers.shown import without_surrogates_in
from factorcheck.assessment import Assessor
from factorcheck.errors import InvalidAnswersError, InvalidJsonError, Problem
from factorcheck.report.document import clinician_summary, report_document
from factorcheck.report.html import inline_hash, render_html, running_css
from factorcheck.report.schema import Report
from factorcheck.web.form_view import (
    condition_in_words,
    form_parts,
    hidden_values,
    part_of,
    progress,
    review_groups,
)
from factorcheck.web.guard import (
    LOOPBACK_NAMES,
    MAX_BODY,
    TOO_SLOW,
    UNEXPECTED,
    BodyTooLargeError,
    BodyTooSlowError,
    Guard,
)
from factorcheck.web.posted import IMPERIAL_FIELDS, Posted, read_posted
from factorcheck.web.safety_gate import NONE_FIELD, NONE_LABEL, gate_problems, none_chosen, with_none_as_no

HERE = Path(__file__).parent
# Far more fields than the form has (an item list repeats its name), far fewer than harm a server.
MAX_FIELDS = 200


class BadFormError(Exception):
    """A request that is not a readable urlencoded form; the message says what to send instead."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


async def _form_pairs(request: Request) -> list[tuple[str, str]]:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise BadFormError(415, "Send the answers as application/x-www-form-urlencoded form fields.")
    try:
        body = await request.body()
    except BodyTooLargeError:
        raise BadFormError(413, f"The form sent is larger than {MAX_BODY // 1024} KiB.") from None
    return parse_form(body)


def parse_form(body: bytes) -> list[tuple[str, str]]:
    """The (name, value) fields of an urlencoded form body; BadFormError when it cannot be read."""
    try:
        return parse_qsl(
            body.decode("utf-8"), keep_blank_values=True, strict_parsing=False, max_num_fields=MAX_FIELDS
        )
    except UnicodeDecodeError:
        raise BadFormError(400, "The form is not UTF-8 text.") from None
    except ValueError:
        raise BadFormError(413, f"The form has more than {MAX_FIELDS} fields.") from None


class WebForm:
    """The pages, for one shared Assessor (safe between threads, so requests may come at once)."""

    def __init__(self, assessor: Assessor) -> None:
        self.assessor = assessor
        self.templates = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.labels = (
            {item.id: item.label for item in ITEMS}
            | {name: ITEMS_BY_ID[item].label for name, item in IMPERIAL_FIELDS.items()}
            | {NONE_FIELD: "Warning signs"}
        )

    def _page(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = self.templates.get_template(name).render(
            labels=self.labels, known_items={*ITEMS_BY_ID, NONE_FIELD}, **context
        )
        return HTMLResponse(html, status_code=status)

    def _triage(self, answers: Mapping[str, object]) -> dict[str, object] | None:
        """The most pressing level the safety answers given so far reach, if urgent or emergency."""
        fired = self.assessor.triage_so_far(answers)
        levels = {level.id: level for level in self.assessor.ruleset.levels}
        pressing = [rule for rule in fired if rule.level in ("emergency", "urgent")]
        if not pressing:
            return None
        top = max(pressing, key=lambda rule: levels[rule.level or "routine"].rank)
        level = levels[top.level or "routine"]
        return {
            "level": level.id,
            "title": level.title,
            "action": level.action,
            "because": [rule.title for rule in pressing if rule.level == level.id],
        }

    def _safety_answers(self, pairs: Sequence[tuple[str, str]]) -> tuple[dict[str, object], list[Problem]]:
        safety = {item.id for item in SAFETY_ITEMS}
        posted = read_posted([(name, value) for name, value in pairs if name in safety])
        problems = [p for p in posted.problems if p.item in safety]
        answers = {k: v for k, v in posted.answers.items() if k in safety}
        if problems:
            bad = {p.item for p in problems}
            answers = {k: v for k, v in answers.items() if k not in bad}
        return answers, problems

    def _safety_page(
        self,
        typed: Mapping[str, list[str]],
        problems: list[Problem],
        change: str = "",
        triage: dict[str, object] | None = None,
    ) -> HTMLResponse:
        """The safety screen with what was typed (the later parts carried hidden), and its problems;
        when changing one answer from the review, it goes back to the review."""
        return self._page(
            "form.html",
            status=422 if problems else 200,
            # Changing one answer from the review: every sign is answered already, no gate to pass.
            none_gate=None
            if change
            else {
                "field": NONE_FIELD,
                "label": NONE_LABEL,
                "checked": none_chosen(typed),
                "errors": [p.message for p in problems if p.item == NONE_FIELD],
            },
            parts=form_parts([1], typed, problems),
            hidden=hidden_values([2, 3, 4], typed) + _imperial_hidden(typed),
            action="/review" if change else "/continue",
            submit="Back to the review" if change else "Continue to the other questions",
            back=False,
            problems=problems,
            triage=triage,
            progress=progress([1]),
            change=change,
        )

    async def _later_parts(
        self, typed: Mapping[str, list[str]], answers: Mapping[str, object], change: str = ""
    ) -> HTMLResponse:
        """Parts 2 to 4, the warning-sign answers carried hidden, an urgent level told first."""
        triage = await run_in_threadpool(self._triage, answers)
        return self._page(
            "form.html",
            parts=form_parts([2, 3, 4], typed),
            hidden=hidden_values([1], typed),
            action="/review",
            submit="Back to the review" if change else "Check my answers",
            back=not change,
            problems=[],
            triage=triage,
            progress=progress([2, 3, 4]),
            change=change,
        )

    async def start(self, request: Request) -> Response:
        """The safety screen (part 1); posted to, it shows again the answers it was given."""
        pairs = await _form_pairs(request) if request.method == "POST" else []
        return self._safety_page(_typed(pairs), [])

    async def carry_on(self, request: Request) -> Response:
        """After the safety screen: an urgent or emergency answer is told first, then parts 2 to 4.

        The screen is left only with every warning sign answered, or "None of these apply to me"
        chosen (the blank signs are then answered no), as in the terminal."""
        pairs = await _form_pairs(request)
        typed = _typed(pairs)
        answers, problems = await run_in_threadpool(self._safety_answers, pairs)
        none = none_chosen(typed)
        problems = problems or gate_problems(answers, none)
        if problems:
            # Signs already answered that need care now are told on the refusal too, first.
            triage = await run_in_threadpool(self._triage, answers)
            return self._safety_page(typed, problems, triage=triage)
        answers = with_none_as_no(answers, none)
        typed.pop(NONE_FIELD, None)
        typed.update({name: [str(value)] for name, value in answers.items()})
        return await self._later_parts(typed, answers)

    def _all_parts_page(self, posted: Posted, action: str, submit: str) -> HTMLResponse:
        """Every part on one page with every problem named (422), nothing typed lost."""
        return self._page(
            "form.html",
            status=422,
            parts=form_parts([1, 2, 3, 4], posted.typed, posted.problems),
            hidden=[],
            action=action,
            submit=submit,
            back=False,
            problems=posted.problems,
            triage=self._triage(_valid_safety(posted)),
            progress="",
            change="",
        )

    async def review(self, request: Request) -> Response:
        """Every answer in short, each with a button to change it, before the report; the answers
        ride along as hidden fields (nothing is kept on the server or in the address)."""
        pairs = await _form_pairs(request)
        posted = await run_in_threadpool(
            read_posted, [(n, v) for n, v in pairs if n not in ("change", NONE_FIELD)]
        )
        if not posted.valid:
            return await run_in_threadpool(self._all_parts_page, posted, "/review", "Check my answers")
        triage = await run_in_threadpool(self._triage, _valid_safety(posted))
        return self._page(
            "review.html",
            groups=review_groups(posted.answers),
            hidden=hidden_values([1, 2, 3, 4], posted.typed) + _imperial_hidden(posted.typed),
            notes=[f"Converted: {conversion}." for conversion in posted.conversions],
            triage=triage,
        )

    async def change(self, request: Request) -> Response:
        """The page asking one question again (its field focused), which goes back to the review."""
        pairs = await _form_pairs(request)
        typed = _typed([(n, v) for n, v in pairs if n != "change"])
        wanted = next((v for n, v in pairs if n == "change"), "")
        if wanted not in ITEMS_BY_ID:
            raise BadFormError(400, "Say which answer to change: change=<question id>.")
        if part_of(wanted) == 1:
            return self._safety_page(typed, [], change=wanted)
        answers, _ = await run_in_threadpool(self._safety_answers, list(pairs))
        return await self._later_parts(typed, answers, change=wanted)

    async def report(self, request: Request) -> Response:
        """The HTML report for a whole posted answer set, or 422 and the form with every problem."""
        pairs = await _form_pairs(request)
        # Reading, assessing and laying out a report takes a fraction of a millisecond: done here,
        # on the server's own thread, rather than handed to a worker thread and back (which cost
        # more than the work, and made requests wait on each other for the interpreter lock).
        posted = read_posted(pairs)
        if not posted.valid:
            return await run_in_threadpool(self._all_parts_page, posted, "/report", "See my report")
        return HTMLResponse(self.report_html(posted))

    def report_html(self, posted: Posted) -> str:
        """The report page for a valid posted answer set."""
        report = self.assessor.assess(posted.answers)
        blocks = report_document(report, self.assessor.ruleset)
        notes = [
            f"“{item.question}” was left out: it applies only if {condition_in_words(item)}, "
            "and your answers do not say so."
            for item in posted.ignored
        ] + [f"Converted: {conversion}." for conversion in posted.conversions]
        return render_html(
            blocks,
            [(m["id"], m["title"]) for m in report["mechanisms"]],
            script_src="/static/report.js",
            home="/",
            notes=notes,
            summary=clinician_summary(report, self.assessor.ruleset),
        )

    async def fhir_report(self, request: Request) -> Response:
        """POST /fhir/QuestionnaireResponse: see fhir_response."""
        return await fhir_response(request, self.assessor)

    async def triage_now(self, request: Request) -> Response:
        """The level the safety answers so far reach (for the page's script): told as soon as ticked."""
        pairs = await _form_pairs(request)
        answers, _ = await run_in_threadpool(self._safety_answers, pairs)
        triage = await run_in_threadpool(self._triage, answers)
        return StrictJSONResponse(triage or {"level": None})


FHIR_JSON = "application/fhir+json"
FHIR_PATH = "/fhir/QuestionnaireResponse"


class StrictJSONResponse(JSONResponse):
    """JSON that strict parsers read (I-JSON, RFC 7493): a lone surrogate that reached a text (a
    name the sender wrote, echoed in a problem) is written as its escape, never as invalid UTF-8."""

    def render(self, content: Any) -> bytes:
        try:
            return super().render(content)
        except UnicodeEncodeError:
            return super().render(without_surrogates_in(content))


def _operation_outcome(problems: Iterable[Problem], code: str = "invalid") -> dict[str, object]:
    """Problems as a FHIR OperationOutcome, each naming its linkId, for a FHIR client to show."""
    issues: list[dict[str, object]] = []
    for problem in problems:
        issue: dict[str, object] = {"severity": "error", "code": code, "diagnostics": str(problem)}
        if problem.item in ITEMS_BY_ID:
            issue["expression"] = [f"QuestionnaireResponse.item.where(linkId='{problem.item}')"]
        issues.append(issue)
    return {"resourceType": "OperationOutcome", "issue": issues}


def _fhir_refusal(status: int, message: str, code: str) -> Response:
    outcome = _operation_outcome([Problem("(request)", message)], code)
    return StrictJSONResponse(outcome, status_code=status, media_type=FHIR_JSON)


async def fhir_response(request: Request, assessor: Assessor) -> Response:
    """POST /fhir/QuestionnaireResponse: the report for a QuestionnaireResponse (JSON, or the HTML
    page when the client asks for text/html); every problem as an OperationOutcome (422)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in (FHIR_JSON, "application/json"):
        return _fhir_refusal(415, f"Send the QuestionnaireResponse as {FHIR_JSON}.", "not-supported")
    try:
        body = await request.body()
    except BodyTooLargeError:
        return _fhir_refusal(413, f"The resource sent is larger than {MAX_BODY // 1024} KiB.", "too-costly")
    try:
        # Reading a hostile resource of 64 KiB takes a while: off the event loop, so that other
        # people's pages are not held up meanwhile.
        report = await run_in_threadpool(_fhir_report, body, assessor)
    except (UnicodeDecodeError, InvalidJsonError) as error:
        shown = "it is not UTF-8 text" if isinstance(error, UnicodeDecodeError) else str(error)
        return _fhir_refusal(400, f"The body is not a JSON resource: {shown}.", "structure")
    except InvalidAnswersError as error:
        return StrictJSONResponse(_operation_outcome(error.problems), status_code=422, media_type=FHIR_JSON)
    if "text/html" in request.headers.get("accept", ""):
        blocks = report_document(report, assessor.ruleset)
        mechanisms = [(m["id"], m["title"]) for m in report["mechanisms"]]
        summary = clinician_summary(report, assessor.ruleset)
        return HTMLResponse(
            render_html(blocks, mechanisms, script_src="/static/report.js", home="/", summary=summary)
        )
    return StrictJSONResponse(report)


def _fhir_report(body: bytes, assessor: Assessor) -> Report:
    """The report for a posted QuestionnaireResponse; raises what reading it raises."""
    return assessor.assess(read_response(loads_strict(body.decode("utf-8-sig"))))


def _valid_safety(posted: Posted) -> dict[str, object]:
    bad = {p.item for p in posted.problems}
    return {k: v for k, v in posted.answers.items() if ITEMS_BY_ID[k].is_safety_item and k not in bad}


def _typed(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    typed: dict[str, list[str]] = {}
    for name, value in pairs:
        typed.setdefault(name, []).append(value)
    return typed


def _imperial_hidden(typed: Mapping[str, list[str]]) -> list[tuple[str, str]]:
    return [(name, value) for name in IMPERIAL_FIELDS for value in typed.get(name, []) if value]


async def _bad_form(request: Request, error: Exception) -> Response:
    assert isinstance(error, BadFormError)
    return PlainTextResponse(str(error), status_code=error.status)


async def _too_slow(request: Request, error: Exception) -> Response:
    return PlainTextResponse(TOO_SLOW, status_code=408)


async def _unexpected(request: Request, error: Exception) -> Response:
    # In the guard's words, naming nothing of the request (the guard keeps the error out of logs).
    return PlainTextResponse(UNEXPECTED, status_code=500)


def create_app(assessor: Assessor, hosts: Iterable[str] = ()) -> Guard:
    """The application, behind its guard, answering to the loopback names and `hosts`."""
    pages = WebForm(assessor)
    app = Starlette(
        routes=[
            Route("/", pages.start, methods=["GET", "POST"]),
            Route("/continue", pages.carry_on, methods=["POST"]),
            Route("/review", pages.review, methods=["POST"]),
            Route("/change", pages.change, methods=["POST"]),
            Route("/report", pages.report, methods=["POST"]),
            Route("/triage", pages.triage_now, methods=["POST"]),
            Route(FHIR_PATH, pages.fhir_report, methods=["POST"]),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ],
        exception_handlers={BadFormError: _bad_form, BodyTooSlowError: _too_slow, Exception: _unexpected},
    )
    running = inline_hash(running_css(assessor.ruleset.version))
    return Guard(app, [*LOOPBACK_NAMES, *hosts], own_limit_paths=[FHIR_PATH], style_hashes=[running])
