"""`factorcheck serve`: the web form on a local address, until Ctrl-C."""

from __future__ import annotations

import asyncio
import gc
import ipaddress
import socket
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from starlette.types import ASGIApp

from factorcheck.assessment import default_assessor
from factorcheck.errors import ExitCode, FactorcheckError
from factorcheck.web.app import create_app
from factorcheck.web.guard import LOOPBACK_NAMES

if TYPE_CHECKING:
    import uvicorn
    from starlette.types import ASGIApp


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine only (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_of(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def open_socket(host: str, port: int) -> socket.socket:
    """The listening socket, or a clear error (address in use, a name that is not this machine's)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not the default 0: asyncio sets TCP_NODELAY on the connections it accepts only
    # when the listening socket says TCP. Without it, each response's second write waits for the
    # client's delayed ACK (Nagle): about 40 ms per request.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as error:
        sock.close()
        raise FactorcheckError(f"cannot listen on {host} port {port}: {error.strerror or error}.") from None
    return sock


def server_config(app: ASGIApp, http: type[asyncio.Protocol] | None = None) -> uvicorn.Config:
    """uvicorn's settings for the form: no access log (request lines could carry answers), no
    server header, errors only, and connections capped and timed (web/connections.py)."""
    import uvicorn

    from factorcheck.web.connections import GuardedH11Protocol

    return uvicorn.Config(
        app,
        http=http or GuardedH11Protocol,
        log_level="warning",
        access_log=False,
        server_header=False,
        date_header=False,
        lifespan="off",
    )


def run_serve(
    host: str,
    port: int,
    rules_dir: Path | None,
    stdout: TextIO,
    stderr: TextIO,
    allow_below_floor: bool = False,
) -> int:
    """Serve the form on host:port until Ctrl-C; returns the exit code. `allow_below_floor`: the
    rules may bring a warning sign below its safety floor (every report then says so)."""
    if not 0 <= port <= 65535:
        raise FactorcheckError(
            f"--port {port} is not a port; give a number from 1 to 65535, or 0 for any free one."
        )
    assessor = default_assessor(rules_dir, allow_below_floor=allow_below_floor)
    sock = open_socket(host, port)
    port = sock.getsockname()[1]
    if not is_loopback(host):
        stderr.write(
            f"factorcheck: warning: listening on {host}, not only on this computer. Answers are health "
            "data, and they will cross the network unencrypted (plain HTTP): anyone on it may read them. "
            "Use it only on a network you trust, or keep the default 127.0.0.1.\n"
        )
    hosts = [] if host in LOOPBACK_NAMES else [host]
    serve_forever(create_app(assessor, hosts), sock, url_of(host, port), stdout)
    return ExitCode.OK


def serve_forever(app: ASGIApp, sock: socket.socket, url: str, stdout: TextIO) -> None:
    """Serve `app` on the listening socket until Ctrl-C, saying when it is ready and when it stopped.

    (bench/web_floor.py serves its floor through this too, so that both run with the same settings.)
    """
    import uvicorn

    server = uvicorn.Server(server_config(app))
    # What exists now (the rules, the engine, the templates, the modules) lasts as long as the
    # server: set aside from the cyclic collector, whose full passes would otherwise walk all of
    # it and hold every request waiting meanwhile (tens of milliseconds on a busy machine).
    gc.collect()
    gc.freeze()
    stdout.write(f"factorcheck is ready at {url} (press Ctrl-C to stop)\n")
    stdout.flush()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    stdout.write("factorcheck stopped.\n")
