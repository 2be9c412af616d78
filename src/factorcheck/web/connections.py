"""Connections `serve` holds: a cap on how many are open, and a deadline for each request's headers."""

from __future__ import annotations

import asyncio
import resource
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

# A form for one person, or a clinic's few tablets, needs few connections; a flood of idle ones
# must not take every file descriptor (accept() then fails in a loop and no one is served).
MOST_CONNECTIONS = 256
# From a connection's first byte, or the end of its last response, to the end of a request's
# headers: a client that trickles its headers (slowloris) is cut off after this.
HEADER_SECONDS = 10.0

_BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"connection: close\r\ncontent-length: 49\r\n\r\nToo many connections are open; try again shortly.\n"
)


def most_connections() -> int:
    """The cap on open connections: MOST_CONNECTIONS, or half the open-file limit if that is lower."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return MOST_CONNECTIONS if soft == resource.RLIM_INFINITY else max(8, min(MOST_CONNECTIONS, soft // 2))


class GuardedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, refusing connections past the cap (503, closed at once) and
    closing one whose request headers do not arrive within HEADER_SECONDS."""

    most_connections = most_connections()
    header_seconds = HEADER_SECONDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        self._timed_cycle: object = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.most_connections:
            transport.write(_BUSY)
            transport.close()
            return
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._disarm_once_headers_arrived()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()
            # A pipelined request may have been read already.
            self._disarm_once_headers_arrived()

    def _disarm_once_headers_arrived(self) -> None:
        # A new cycle means a request's headers have all arrived: its body has a deadline of its own.
        if self.cycle is not None and self.cycle is not self._timed_cycle:
            self._timed_cycle = self.cycle
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.header_seconds, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()
