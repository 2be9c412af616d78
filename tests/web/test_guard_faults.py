"""The guard's last net: a fault inside the application answers 500 and logs nothing of the request."""

from __future__ import annotations

import asyncio
import logging
import threading

import pytest
from starlette.types import Message, Receive, Scope, Send

from factorcheck.web.guard import UNEXPECTED, Guard

SECRET = "rf_calf_swelling=yes&age_years=52"


def _scope() -> Scope:
    return {
        "type": "http",
        "method": "POST",
        "path": "/report",
        "headers": [(b"host", b"127.0.0.1:8765"), (b"content-length", b"10")],
    }


def _run(app: object) -> list[Message]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": SECRET.encode(), "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    # In a thread of its own: the browser tests' Playwright keeps an event loop running in this one.
    guarded = Guard(app, ["127.0.0.1"])  # type: ignore[arg-type]
    runner = threading.Thread(target=asyncio.run, args=(guarded(_scope(), receive, send),))
    runner.start()
    runner.join(timeout=30)
    return sent


async def _failing(scope: Scope, receive: Receive, send: Send) -> None:
    body = (await receive())["body"]
    raise RuntimeError(f"failed on {body!r}")


async def _failing_mid_response(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    raise RuntimeError(SECRET)


def test_a_fault_before_the_response_is_a_500_that_names_nothing_posted(
    caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    """The guard answers 500 with its own words, and neither raises (which would make the server
    log a traceback with the posted answers) nor logs anything itself."""
    caplog.set_level(logging.DEBUG)
    sent = _run(_failing)
    assert sent[0]["status"] == 500
    assert sent[1]["body"].decode() == UNEXPECTED + "\n"
    assert SECRET not in caplog.text
    captured = capsys.readouterr()
    assert SECRET not in captured.out + captured.err


def test_a_fault_after_the_response_started_ends_it_quietly(caplog: pytest.LogCaptureFixture) -> None:
    """Once a response has started, nothing more is sent and nothing is raised or logged."""
    caplog.set_level(logging.DEBUG)
    sent = _run(_failing_mid_response)
    assert [message["type"] for message in sent] == ["http.response.start"]
    assert SECRET not in caplog.text
