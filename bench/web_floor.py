"""The web floor of `make bench`: `factorcheck serve` with the report replaced by the least it could be.

Run by bench.py as its own process, set against `factorcheck serve` with the same clients posting
the same answer sets. It is the server `factorcheck serve` runs (the same listening socket, uvicorn
settings and guard, through web/serve.py) with one route, POST /report, that reads the posted form
as the report's route does (content type, size limit, urlencoded fields) and returns a fixed page:
a real report of the median size, made before the server starts. What `factorcheck serve` spends
beyond this is reading the answers, assessing them and laying out the report.

Usage: python bench/web_floor.py PAGE.html
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from factorcheck.assessment import default_assessor
from factorcheck.web.app import WebForm, _form_pairs, parse_form
from factorcheck.web.guard import LOOPBACK_NAMES, Guard
from factorcheck.web.posted import read_posted
from factorcheck.web.serve import open_socket, serve_forever, url_of


def floor_app(page: str) -> Guard:
    """The floor's application, behind the same guard as factorcheck's."""

    async def report(request: Request) -> Response:
        await _form_pairs(request)
        return HTMLResponse(page)

    return Guard(Starlette(routes=[Route("/report", report, methods=["POST"])]), LOOPBACK_NAMES)


def html_reports(bodies: Sequence[bytes]) -> tuple[float, float, str]:
    """In one thread, on the same posted bodies: microseconds per HTML report as the report route
    makes it (the form read, assessed and laid out), microseconds per `assess()` of the same
    answers alone (best of three passes each, in CPU time of this process: the machine may be
    busy with other work), and the page of the median size."""
    pages = WebForm(default_assessor())
    assessor = pages.assessor
    posted = [read_posted(parse_form(body)) for body in bodies]
    answers = [one.answers for one in posted if one.valid]
    valid = [body for body, one in zip(bodies, posted, strict=True) if one.valid]
    made: list[str] = []

    def report_pass() -> None:
        made[:] = [pages.report_html(read_posted(parse_form(body))) for body in valid]

    def assess_pass() -> None:
        for one in answers:
            assessor.assess(one)

    report_time = min(_timed(report_pass) for _ in range(3))
    assess_time = min(_timed(assess_pass) for _ in range(3))
    median = sorted(made, key=len)[len(made) // 2]
    return report_time / len(valid) * 1e6, assess_time / len(answers) * 1e6, median


def _timed(work: Callable[[], None]) -> float:
    started = time.process_time()
    work()
    return time.process_time() - started


def main() -> int:
    page = Path(sys.argv[1]).read_text(encoding="utf-8")
    sock = open_socket("127.0.0.1", 0)
    serve_forever(floor_app(page), sock, url_of("127.0.0.1", sock.getsockname()[1]), sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
