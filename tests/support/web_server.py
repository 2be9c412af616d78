"""Fixtures of the web tests: one real server per session on a free loopback port, the browser, requests."""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn

from factorcheck.assessment import default_assessor
from factorcheck.web.app import create_app
from factorcheck.web.serve import open_socket, server_config
from support import ROOT

CHROMIUM = Path("/usr/bin/chromium")
# Screenshots of every page state the browser tests reach, for a person to look at.
SCREENSHOTS = ROOT / "test-output" / "web"


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """The address of a running `factorcheck serve` (the real app, behind its guard, under uvicorn)."""
    sock = open_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    server = uvicorn.Server(server_config(create_app(default_assessor())))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "the test server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)
    sock.close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's chromium (Playwright cannot download its own browser here), started quietly."""
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """axe-core is injected into pages whose policy forbids other scripts: the context lets it in."""
    return {**browser_context_args, "bypass_csp": True, "viewport": {"width": 900, "height": 900}}


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


FORM = "application/x-www-form-urlencoded"


def request(
    server_url: str, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    parts = urlsplit(server_url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        sent = {"Host": parts.netloc, **(headers or {})}
        if body is not None and "Content-Type" not in sent:
            sent["Content-Type"] = FORM
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        text = response.read().decode("utf-8")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text
    finally:
        connection.close()
