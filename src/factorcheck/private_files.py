"""Files that hold answers or reports: health data, so only their owner may read them.

Every such file is created readable and writable by its owner only (0600), whatever the umask,
and written whole or not at all: the text goes to a new file beside the target, which then
replaces the target in one step (a rename), so an interrupted run never leaves half a file under
the final name, and a file that was there before is replaced rather than reopened (so its old
permissions go with it).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from factorcheck.errors import OutputError

PRIVATE = 0o600
PRIVATE_FOLDER = 0o700


@contextlib.contextmanager
def private_file(path: Path, buffering: int = -1) -> Iterator[BinaryIO]:
    """A binary file to write that becomes `path` when the block ends without an error.

    A path that names a device or a pipe (/dev/null, /dev/stdout, a named pipe) is written as it
    is: it is not a file of answers to protect, and replacing it with a renamed file would break
    it for everyone. A symbolic link to a file is followed, so the link itself is kept.
    """
    if path.exists() and not path.is_file():
        with _written_in_place(path, buffering) as stream:
            yield stream
        return
    target = path.resolve() if path.is_symlink() else path
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    try:
        file = os.fdopen(descriptor, "wb", buffering=buffering)
        try:
            # mkstemp already creates it 0600; said again so that no platform can loosen it.
            os.fchmod(file.fileno(), PRIVATE)
            yield file
            file.flush()
            os.fsync(file.fileno())
        except BaseException:
            # Failing already (a full disk, a stop): closing must not replace that error with
            # its own failure to flush what is still buffered.
            with contextlib.suppress(OSError):
                file.close()
            raise
        file.close()
        Path(temporary).replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise


@contextlib.contextmanager
def _written_in_place(path: Path, buffering: int) -> Iterator[BinaryIO]:
    stream = path.open("wb", buffering=buffering)
    try:
        yield stream
        stream.flush()
    except BaseException:
        # Failing already: closing must not replace that error with its own.
        with contextlib.suppress(OSError):
            stream.close()
        raise
    stream.close()


@contextlib.contextmanager
def private_output(path: Path, what: str, buffering: int = -1) -> Iterator[BinaryIO]:
    """private_file, with a failure to create or to finish it told as "cannot write WHAT: why"."""
    in_body = False
    try:
        with private_file(path, buffering) as stream:
            in_body = True
            yield stream
            in_body = False
    except OSError as error:
        if in_body:
            raise
        raise OutputError(error, what) from error


def write_private(path: Path, text: str) -> None:
    """Write a file that only its owner may read, whole or not at all."""
    with private_file(path) as file:
        file.write(text.encode("utf-8"))


def private_folder(path: Path) -> None:
    """Create a folder for report files that only its owner may open (one that exists is kept as
    it is: the files in it are private either way)."""
    if not path.is_dir():
        path.mkdir(mode=PRIVATE_FOLDER, parents=True)
        path.chmod(PRIVATE_FOLDER)  # mkdir's mode is narrowed by the umask, never widened
