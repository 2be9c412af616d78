"""`factorcheck serve`: prints its address, serves on loopback, stops on Ctrl-C, warns off loopback."""

from __future__ import annotations

import asyncio
import http.client
import io
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from factorcheck.cli.main import main
from factorcheck.web.guard import Guard
from factorcheck.web.serve import is_loopback, open_socket, url_of
from support import ROOT
from support.web_server import FORM


def test_serve_prints_the_address_serves_and_stops_on_ctrl_c() -> None:
    """With a free port, the printed address serves the form; Ctrl-C ends it with code 0 and a line."""
    process = subprocess.Popen(
        [sys.executable, "-m", "factorcheck", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("factorcheck is ready at http://127.0.0.1:")
        url = line.split(" at ")[1].split(" ")[0]
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
            assert b"Part 1 of 4: Warning signs" in response.read()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert "factorcheck stopped." in out
    assert "Traceback" not in err
    # No access log: neither the address asked for nor anything else about the request.
    assert "GET /" not in out + err


def test_a_port_in_use_is_a_clear_error() -> None:
    """A port that cannot be had stops at once with a message, not a traceback."""
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        err = io.StringIO()
        code = main(["serve", "--port", str(port)], stdout=io.StringIO(), stderr=err)
    assert code == 1
    assert f"cannot listen on 127.0.0.1 port {port}" in err.getvalue()


def test_a_port_out_of_range_is_a_clear_error() -> None:
    """--port 70000 is named with what is allowed."""
    err = io.StringIO()
    assert main(["serve", "--port", "70000"], stdout=io.StringIO(), stderr=err) == 1
    assert "give a number from 1 to 65535" in err.getvalue()


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.20", False),
        ("::", False),
        ("clinic-tablet.local", False),
    ],
)
def test_which_hosts_count_as_this_computer_only(host: str, loopback: bool) -> None:
    """Only loopback addresses are quiet; any other --host gets the unencrypted-network warning."""
    assert is_loopback(host) is loopback


def test_ipv6_addresses_are_bracketed_in_the_url() -> None:
    """The printed address of an IPv6 host is one a browser opens."""
    assert url_of("::1", 8765) == "http://[::1]:8765/"


def test_other_commands_do_not_load_the_web_stack() -> None:
    """`check` imports neither Starlette nor uvicorn (they are loaded by `serve` alone)."""
    code = (
        "import sys, io; from factorcheck.cli.main import main; "
        "main(['check', 'examples/no-pain.json'], stdout=io.StringIO()); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('starlette', 'uvicorn', 'jinja2')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"


def test_a_host_beyond_this_computer_is_served_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--host` on a network address warns that answers then cross it unencrypted, and that host is
    allowed; the address printed is that host's. (The socket is made on loopback and nothing is
    served: only what the command says and configures is checked.)"""
    import uvicorn

    from factorcheck.web import serve

    seen: dict[str, object] = {}
    real_open = serve.open_socket
    monkeypatch.setattr(serve, "open_socket", lambda host, port: real_open("127.0.0.1", 0))

    def fake_run(self: uvicorn.Server, sockets: object = None) -> None:
        seen["config"] = self.config

    monkeypatch.setattr(uvicorn.Server, "run", fake_run)
    out, err = io.StringIO(), io.StringIO()
    assert main(["serve", "--host", "192.168.1.20", "--port", "8765"], stdout=out, stderr=err) == 0
    assert "cross the network unencrypted" in err.getvalue()
    assert out.getvalue().startswith("factorcheck is ready at http://192.168.1.20:")
    config = seen["config"]
    assert isinstance(config, uvicorn.Config)
    assert config.access_log is False
    assert config.server_header is False
    guard = config.app
    assert isinstance(guard, Guard)
    assert "192.168.1.20" in guard.allowed


def test_loopback_is_served_without_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default host says nothing on standard error."""
    import uvicorn

    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: None)
    out, err = io.StringIO(), io.StringIO()
    assert main(["serve", "--port", "0"], stdout=out, stderr=err) == 0
    assert err.getvalue() == ""
    assert out.getvalue().endswith("factorcheck stopped.\n")


def test_accepted_connections_send_at_once() -> None:
    """A connection accepted on the listening socket (by asyncio, as uvicorn does) has TCP_NODELAY:
    a response written in two parts is not held back until the client acknowledges the first."""

    async def accept_one() -> int:
        accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                sock = transport.get_extra_info("socket")
                accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        listening = open_socket("127.0.0.1", 0)
        server = await asyncio.get_running_loop().create_server(Probe, sock=listening)
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", listening.getsockname()[1])
            nodelay = await asyncio.wait_for(accepted, timeout=10)
            writer.close()
            return nodelay
        finally:
            server.close()
            await server.wait_closed()

    # On a thread of its own: the browser tests leave an event loop running on this one.
    with ThreadPoolExecutor(1) as thread:
        assert thread.submit(asyncio.run, accept_one()).result(timeout=30) != 0


def test_one_connection_is_answered_without_waiting(server_url: str) -> None:
    """Requests one after another on one kept-alive connection take well under the 40 ms a delayed
    acknowledgement costs (the median of fifteen: the first few are acknowledged at once anyway)."""
    parts = urlsplit(server_url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    times = []
    try:
        for _ in range(15):
            started = time.perf_counter()
            connection.request(
                "POST",
                "/triage",
                body=b"rf_recent_injury=no",
                headers={"Host": parts.netloc, "Content-Type": FORM},
            )
            response = connection.getresponse()
            response.read()
            times.append(time.perf_counter() - started)
            assert response.status == 200
    finally:
        connection.close()
    median = statistics.median(times)
    assert median < 0.03, f"the median request took {median * 1000:.1f} ms"
