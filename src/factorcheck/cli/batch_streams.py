"""The command line's adapters between its text streams and the byte streams batch reads and writes."""

from __future__ import annotations

import io
import os
import sys
from typing import Any, BinaryIO, TextIO, cast


def binary_input(stream: TextIO) -> BinaryIO:
    """The bytes under a text stream such as sys.stdin (a text-only stream is read whole)."""
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        return cast(BinaryIO, buffer)
    return io.BytesIO(stream.read().encode("utf-8"))


class _TextSink(io.RawIOBase):
    """Writes UTF-8 output into a text-only stream (such as io.StringIO in a library call)."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._stream.write(bytes(data).decode("utf-8"))
        return len(data)


def binary_output(stream: TextIO) -> BinaryIO:
    """The bytes under a text stream such as sys.stdout (or a sink that decodes into it)."""
    buffer = getattr(stream, "buffer", None)
    return cast(BinaryIO, buffer if buffer is not None else _TextSink(stream))


def redirect_closed_stdout() -> None:
    """After the reader of standard output went away, keep Python's exit from failing on it."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
