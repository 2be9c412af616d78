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
from factorcheck.assessment import Assessor
from factorcheck.errors import InvalidAnswersError, InvalidJsonError, Problem
from factorcheck.report.document import report_document
from factorcheck.report.html import render_html
from factorcheck.web.form_view import condition_in_words, form_parts, hidden_values
from factorcheck.web.guard import LOOPBACK_NAMES, MAX_BODY, BodyTooLargeError, Guard
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
        self, typed: Mapping[str, list[str]], problems: list[Problem], triage: dict[str, object] | None = None
    ) -> HTMLResponse:
        """The safety screen with what was typed (the later parts carried hidden), and its problems."""
        return self._page(
            "form.html",
            status=422 if problems else 200,
            none_gate={
                "field": NONE_FIELD,
                "label": NONE_LABEL,
                "checked": none_chosen(typed),
                "errors": [p.message for p in problems if p.item == NONE_FIELD],
            },
            parts=form_parts([1], typed, problems),
            hidden=hidden_values([2, 3, 4], typed) + _imperial_hidden(typed),
            action="/continue",
            submit="Continue to the other questions",
            back=False,
            problems=problems,
            triage=triage,
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
            return self._safety_page(typed, problems, await run_in_threadpool(self._triage, answers))
        answers = with_none_as_no(answers, none)
        typed.pop(NONE_FIELD, None)
        typed.update({name: [str(value)] for name, value in answers.items()})
        triage = await run_in_threadpool(self._triage, answers)
        return self._page(
            "form.html",
            parts=form_parts([2, 3, 4], typed),
            hidden=hidden_values([1], typed),
            action="/report",
            submit="See my report",
            back=True,
            problems=[],
            triage=triage,
        )

    async def report(self, request: Request) -> Response:
        """The HTML report for a whole posted answer set, or 422 and the form with every problem."""
        pairs = await _form_pairs(request)
        posted = await run_in_threadpool(read_posted, pairs)
        if not posted.valid:
            return self._page(
                "form.html",
                status=422,
                parts=form_parts([1, 2, 3, 4], posted.typed, posted.problems),
                hidden=[],
                action="/report",
                submit="See my report",
                back=False,
                problems=posted.problems,
                triage=await run_in_threadpool(self._triage, _valid_safety(posted)),
            )
        html = await run_in_threadpool(self._report_html, posted)
        return HTMLResponse(html)

    def _report_html(self, posted: Posted) -> str:
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
        )

    async def fhir_report(self, request: Request) -> Response:
        """POST /fhir/QuestionnaireResponse: see fhir_response."""
        return await fhir_response(request, self.assessor)

    async def triage_now(self, request: Request) -> Response:
        """The level the safety answers so far reach (for the page's script): told as soon as ticked."""
        pairs = await _form_pairs(request)
        answers, _ = await run_in_threadpool(self._safety_answers, pairs)
        triage = await run_in_threadpool(self._triage, answers)
        return JSONResponse(triage or {"level": None})


FHIR_JSON = "application/fhir+json"


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
    return JSONResponse(outcome, status_code=status, media_type=FHIR_JSON)


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
        document = loads_strict(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, InvalidJsonError) as error:
        shown = "it is not UTF-8 text" if isinstance(error, UnicodeDecodeError) else str(error)
        return _fhir_refusal(400, f"The body is not a JSON resource: {shown}.", "structure")
    try:
        raw = read_response(document)
        report = await run_in_threadpool(assessor.assess, raw)
    except InvalidAnswersError as error:
        return JSONResponse(_operation_outcome(error.problems), status_code=422, media_type=FHIR_JSON)
    if "text/html" in request.headers.get("accept", ""):
        blocks = report_document(report, assessor.ruleset)
        mechanisms = [(m["id"], m["title"]) for m in report["mechanisms"]]
        return HTMLResponse(render_html(blocks, mechanisms, script_src="/static/report.js", home="/"))
    return JSONResponse(report)


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


def create_app(assessor: Assessor, hosts: Iterable[str] = ()) -> Guard:
    """The application, behind its guard, answering to the loopback names and `hosts`."""
    pages = WebForm(assessor)
    app = Starlette(
        routes=[
            Route("/", pages.start, methods=["GET", "POST"]),
            Route("/continue", pages.carry_on, methods=["POST"]),
            Route("/report", pages.report, methods=["POST"]),
            Route("/triage", pages.triage_now, methods=["POST"]),
            Route("/fhir/QuestionnaireResponse", pages.fhir_report, methods=["POST"]),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ],
        exception_handlers={BadFormError: _bad_form},
    )
    return Guard(app, [*LOOPBACK_NAMES, *hosts])
