"""Writing a batch's output: the results in input order, whole records only, to a private file or a stream."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from factorcheck.batch.progress import Progress
from factorcheck.batch.record_scoring import ChunkResult
from factorcheck.batch.stopping import StopGate
from factorcheck.batch.summary import SummaryFile
from factorcheck.batch.tally import Totals
from factorcheck.errors import FactorcheckError, OutputError
from factorcheck.private_files import private_folder, private_output, remove_stale_partials

OUTPUT_BUFFER_BYTES = 1024 * 1024


def drain(
    results: Iterator[tuple[ChunkResult, Iterable[bytes | memoryview]]],
    sink: BinaryIO,
    rows: SummaryFile,
    totals: Totals,
    progress: Progress,
    gate: StopGate,
) -> None:
    for result, parts in results:
        gate.writing = True
        try:
            _write_all(sink, parts)
            rows.write(result.rows)
        except BrokenPipeError:  # the reader went away: the command line says so
            raise
        except OSError as error:  # a full disk, say
            raise OutputError(error) from error
        finally:
            gate.writing = False
        totals.add(result)
        progress.update(totals.reports + totals.invalid)
        gate.check()


def _write_all(sink: BinaryIO, parts: Iterable[bytes | memoryview]) -> None:
    """Write every byte of every part. A buffered write that a signal interrupts half-way
    returns the bytes written so far without an error (writelines would drop the rest), so a
    large part is written on until all of it is out."""
    for part in parts:
        written = sink.write(part)
        if written is not None and written < len(part):
            with memoryview(part) as view:
                while written < len(view):
                    written += sink.write(view[written:]) or 0


@contextlib.contextmanager
def open_output(output: str, source: str, stdout: BinaryIO) -> Iterator[BinaryIO]:
    """The output stream: standard output (flushed at the end), a device or pipe named by -o
    (such as /dev/null), or a private file that takes its name only once the run has written it
    whole (a run that fails or is stopped leaves no file, never half a record)."""
    if output == "-":
        with _flushed(stdout):
            yield stdout
        return
    path = Path(output)
    if source != "-" and path.exists() and path.samefile(source):
        raise FactorcheckError(f"the output {output} is the input file; write the results elsewhere.")
    if path.is_dir():
        raise FactorcheckError(f"cannot write {output}: it is a folder.")
    # A large buffer: chunks arrive as one short line per record. (A device such as /dev/null is
    # written as it is: see private_file.)
    with private_output(path, output, buffering=OUTPUT_BUFFER_BYTES) as stream:
        yield stream


@contextlib.contextmanager
def _flushed(stream: BinaryIO) -> Iterator[None]:
    """Flush the stream at the end; a failure then is an OutputError, unless the run is already
    failing (that first error is the one to report)."""
    try:
        yield
    except BaseException:
        with contextlib.suppress(OSError):
            stream.flush()
        raise
    try:
        stream.flush()
    except BrokenPipeError:  # the reader went away: the command line says so
        raise
    except OSError as error:
        raise OutputError(error) from error


def reports_folder(path: Path) -> Path:
    if path.exists() and not path.is_dir():
        raise FactorcheckError(f"--reports {path} is a file; name a folder for the reports.")
    try:
        private_folder(path)
    except OSError as error:
        raise FactorcheckError(f"cannot make the folder {path}: {error.strerror}.") from error
    return path


def clear_stale_partials(files: Iterable[Path], reports: Path | None, stderr: TextIO) -> None:
    """Remove what an earlier run that was stopped outright left beside the files this run writes
    (and in its reports folder), saying so; a run writing the same file now is left alone."""
    removed = [
        (folder, name, size)
        for folder, name in [*((path.parent, path.name) for path in files), (reports, None)]
        if folder is not None and folder.is_dir()
        for name, size in remove_stale_partials(folder, name)
    ]
    if removed:
        total = sum(size for _, _, size in removed)
        places = ", ".join(sorted({str(folder) for folder, _, _ in removed}))
        stderr.write(
            f"factorcheck batch: removed {len(removed)} unfinished file(s) ({total:,} bytes) left in "
            f"{places} by a run that was stopped.\n"
        )
