"""Stopping a batch run on SIGINT or SIGTERM between two records, never inside one."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any


class StopGate:
    """SIGINT and SIGTERM stop a run between two records, never inside one.

    A signal that arrives while output is being written only asks for the stop, which comes once
    the write is done; at any other moment it raises KeyboardInterrupt at once (also out of a
    blocking read or wait). Either way the run ends as Ctrl-C ends it: the workers finish their
    chunks and exit, and the output holds only whole records.
    """

    def __init__(self) -> None:
        self.writing = False
        self.requested = False
        self._stopping = False

    def handle(self, signum: int, frame: object) -> None:
        if self._stopping:  # a second signal while the run winds down: it is already stopping
            return
        if self.writing:
            self.requested = True
            return
        self._stopping = True
        raise KeyboardInterrupt

    def check(self) -> None:
        """Stop here if a signal asked for it during the last write."""
        if self.requested and not self._stopping:
            self._stopping = True
            raise KeyboardInterrupt


@contextlib.contextmanager
def stoppable() -> Iterator[StopGate]:
    gate = StopGate()
    # Handlers can only be set from the main thread (a library caller may run batches from
    # others), and a signal the caller chose to ignore stays ignored.
    if threading.current_thread() is not threading.main_thread():
        yield gate
        return
    previous: dict[signal.Signals, Any] = {}
    for stop in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(stop) is not signal.SIG_IGN:
            previous[stop] = signal.signal(stop, gate.handle)
    try:
        yield gate
    finally:
        for stop, handler in previous.items():
            signal.signal(stop, handler)
