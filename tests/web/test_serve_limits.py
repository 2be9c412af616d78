"""`serve` under floods and slow clients: a cap on connections, deadlines, and no traceback anywhere."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import uvicorn

from factorcheck.assessment import default_assessor
from factorcheck.web import guard
from factorcheck.web.app import create_app
from factorcheck.web.connections import GuardedH11Protocol
from factorcheck.web.serve import open_socket, server_config
from support.web_server import request

CAP = 20


class _SmallCap(GuardedH11Protocol):
    most_connections = CAP
    header_seconds = 1.0


@pytest.fixture
def small_server(caplog: pytest.LogCaptureFixture) -> Iterator[str]:
    """A server whose cap is 20 connections and whose header deadline is 1 s."""
    caplog.set_level(logging.DEBUG)
    sock = open_socket("127.0.0.1", 0)
    server = uvicorn.Server(server_config(create_app(default_assessor()), http=_SmallCap))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=5)
    sock.close()
    assert "Traceback" not in caplog.text
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def _connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    return socket.create_connection((parts.hostname or "", parts.port or 0), timeout=5)


def _closed_by_server(sock: socket.socket, within: float) -> bytes:
    """What the server sent before closing the connection; fails if it stays open longer."""
    sock.settimeout(within)
    received = b""
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            return received
        received += chunk


def test_connections_past_the_cap_get_503_and_idle_ones_are_closed(small_server: str) -> None:
    """30 idle connections against a cap of 20: the last 10 get 503 at once, the 20 are closed
    when their headers do not come, and the server then serves again."""
    idle = [_connect(small_server) for _ in range(CAP)]
    time.sleep(0.2)
    extra = [_connect(small_server) for _ in range(10)]
    for sock in extra:
        assert _closed_by_server(sock, within=3).startswith(b"HTTP/1.1 503")
    for sock in idle:
        assert _closed_by_server(sock, within=5) == b""
    status, _, _ = request(small_server, "GET", "/")
    assert status == 200
    for sock in idle + extra:
        sock.close()


def test_headers_trickled_slowly_are_cut_off(small_server: str) -> None:
    """A client sending its headers a byte at a time is disconnected at the header deadline
    (1 s here), however steadily it keeps sending."""
    sock = _connect(small_server)
    sock.sendall(f"GET / HTTP/1.1\r\nHost: {urlsplit(small_server).netloc}\r\nX-Slow: ".encode())
    sock.settimeout(0.2)
    start = time.monotonic()
    closed = False
    while not closed and time.monotonic() - start < 6:
        try:
            sock.sendall(b"a")
            closed = sock.recv(1) == b""
        except TimeoutError:
            continue
        except OSError:
            closed = True
    assert closed
    assert time.monotonic() - start < 4
    sock.close()


def test_a_body_that_stops_arriving_gets_408(small_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Headers promise 100 bytes, 10 arrive, then nothing: 408 after the body deadline."""
    monkeypatch.setattr(guard, "BODY_SECONDS", 0.5)
    sock = _connect(small_server)
    host = urlsplit(small_server).netloc
    sock.sendall(
        f"POST /report HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        "Content-Length: 100\r\n\r\nage_years=".encode()
    )
    assert _closed_by_server(sock, within=5).startswith(b"HTTP/1.1 408")
    sock.close()


def test_a_client_that_leaves_mid_body_leaves_no_trace(small_server: str) -> None:
    """Disconnecting halfway through a body: nothing logged (the fixture checks), still serving."""
    for path in ("/report", "/fhir/QuestionnaireResponse"):
        sock = _connect(small_server)
        host = urlsplit(small_server).netloc
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/fhir+json\r\n"
            'Content-Length: 1000\r\n\r\n{"resourceType": '.encode()
        )
        time.sleep(0.2)
        sock.close()
    time.sleep(0.5)
    status, _, _ = request(small_server, "GET", "/")
    assert status == 200
