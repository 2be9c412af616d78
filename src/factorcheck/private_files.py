"""Files that hold answers or reports: health data, so only their owner may read them.

Every such file is created readable and writable by its owner only (0600), whatever the umask,
and written whole or not at all: the text goes to a new file beside the target, which then
replaces the target in one step (a rename), so an interrupted run never leaves half a file under
the final name, and a file that was there before is replaced rather than reopened (so its old
permissions go with it).

Where the system allows (Linux's O_TMPFILE), the new file has no name at all until it is
complete, so a run killed outright (SIGKILL, a power cut) leaves nothing behind. Elsewhere it is a
hidden `.NAME.PID.XXXXXXXX.partial` beside the target; one whose process is gone is stale, and
`remove_stale_partials` removes it.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import secrets
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
    descriptor = _unnamed_file(target.parent)
    temporary: Path | None = None
    if descriptor is None:
        handle, name = tempfile.mkstemp(
            prefix=_partial_prefix(target.name), suffix=PARTIAL, dir=target.parent
        )
        descriptor, temporary = handle, Path(name)
    try:
        file = os.fdopen(descriptor, "wb", buffering=buffering)
        try:
            # Created 0600 either way; said again so that no platform can loosen it.
            os.fchmod(file.fileno(), PRIVATE)
            yield file
            file.flush()
            os.fsync(file.fileno())
            if temporary is None:
                _name_and_move(file.fileno(), target)
        except BaseException:
            # Failing already (a full disk, a stop): closing must not replace that error with
            # its own failure to flush what is still buffered.
            with contextlib.suppress(OSError):
                file.close()
            raise
        file.close()
        if temporary is not None:
            temporary.replace(target)
    except BaseException:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()
        raise


PARTIAL = ".partial"


def _partial_prefix(name: str) -> str:
    return f".{name}.{os.getpid()}."


def _unnamed_file(folder: Path) -> int | None:
    """A new private file in `folder` with no name yet (O_TMPFILE), or None where the system or
    the filesystem offers none (or /proc, through which it is named, is missing)."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not Path("/proc/self/fd").is_dir():
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY | os.O_CLOEXEC, PRIVATE)
    except OSError as error:
        if error.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
            return None
        raise


def _name_and_move(descriptor: int, target: Path) -> None:
    """Give the complete unnamed file a hidden name beside `target`, then move it over `target` in
    one step (a link cannot replace a file, a rename can)."""
    folder = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        while True:
            hidden = f"{_partial_prefix(target.name)}{secrets.token_hex(4)}{PARTIAL}"
            try:
                # linkat(AT_SYMLINK_FOLLOW) through /proc: the documented way to name an O_TMPFILE.
                os.link(
                    f"/proc/self/fd/{descriptor}",
                    hidden,
                    src_dir_fd=folder,
                    dst_dir_fd=folder,
                    follow_symlinks=True,
                )
                break
            except FileExistsError:
                continue
        os.replace(hidden, target.name, src_dir_fd=folder, dst_dir_fd=folder)
    finally:
        os.close(folder)


def remove_stale_partials(folder: Path, name: str | None = None) -> list[tuple[str, int]]:
    """Remove the partial files in `folder` (of `name` only, when given) that a run which is no
    longer running left behind; returns each one's name and size."""
    pattern = f".{glob.escape(name)}.*{PARTIAL}" if name is not None else f".*{PARTIAL}"
    removed: list[tuple[str, int]] = []
    for partial in folder.glob(pattern):
        pid_text = partial.name[: -len(PARTIAL)].rsplit(".", 2)[-2]
        try:
            stat = partial.stat()
            if stat.st_uid != os.geteuid() or not pid_text.isdigit() or _running(int(pid_text)):
                continue
            partial.unlink()
        except OSError:
            continue
        removed.append((partial.name, stat.st_size))
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
