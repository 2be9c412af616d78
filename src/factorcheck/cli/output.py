"""Writing a command's output to standard output, a failure there being an OutputError."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import TextIO

from factorcheck.errors import OutputError


def emit(stdout: TextIO, text: str) -> None:
    """Write a command's output; a failure (a full disk, a closed pipe) is an OutputError."""
    try:
        stdout.write(text)
        stdout.flush()
    except OSError as error:
        # Point standard output at /dev/null, so that the text still buffered is not written
        # again (and does not fail again) when Python exits.
        if stdout is sys.stdout:
            with contextlib.suppress(OSError, ValueError):
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, stdout.fileno())
                os.close(devnull)
        raise OutputError(error) from error
