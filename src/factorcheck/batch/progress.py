"""The progress of a batch run: one line on a terminal, updated as records are written."""

from __future__ import annotations

import time
from typing import BinaryIO, TextIO


class Progress:
    """A one-line progress display on a terminal; silent anywhere else."""

    interval = 0.2  # seconds between updates

    def __init__(self, stream: TextIO, size: int | None, position: BinaryIO | None) -> None:
        self._stream = stream
        self._size = size
        self._position = position
        self._shown = stream.isatty()
        self._started = time.monotonic()
        self._next = self._started + self.interval

    def update(self, records: int) -> None:
        if not self._shown or time.monotonic() < self._next:
            return
        self._next = time.monotonic() + self.interval
        rate = records / max(time.monotonic() - self._started, 1e-9)
        done = ""
        if self._size and self._position is not None:
            try:
                share = min(self._position.tell() / self._size, 1.0)
            except (OSError, ValueError):
                share = None
            if share is not None:
                bar = "#" * int(share * 30)
                done = f" [{bar:<30}] {share:4.0%}"
        self._stream.write(f"\r{records:>12,} records{done}  {rate:,.0f}/s ")
        self._stream.flush()

    def finish(self) -> None:
        if self._shown:
            self._stream.write("\r\033[K")
            self._stream.flush()
