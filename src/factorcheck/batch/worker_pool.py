"""The worker processes of a local run: fork-inherited scorer and buffers, chunks in input order."""

from __future__ import annotations

import contextlib
import gc
import mmap
import multiprocessing
import multiprocessing.context
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from itertools import islice

from factorcheck.batch.reading import Span
from factorcheck.batch.record_scoring import BatchOptions, ChunkResult, Record, RecordScorer
from factorcheck.errors import FactorcheckError

# Records per chunk sent to a worker, and chunks in flight per worker: enough to keep every
# worker busy while the main process writes, few enough to keep memory flat.
CHUNK_RECORDS = 250
CHUNKS_PER_WORKER = 3
# Room for a chunk's output (reports are ~6 kB); only the pages written are ever used.
BUFFER_BYTES = 16 * 1024 * 1024
NEWLINE = ord("\n")


_worker_scorer: RecordScorer | None = None


# Scoring allocates many short-lived containers and keeps none; at the default thresholds the
# cyclic collector would run every few hundred records and rescan the long-lived rule set.
_SCORING_THRESHOLDS = (50_000, 50, 100)


def _tune_collector() -> None:
    """For a worker's own process: what is loaded is frozen out of the collector's scans."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*_SCORING_THRESHOLDS)


@contextlib.contextmanager
def collector_tuned() -> Iterator[None]:
    """The collector's thresholds raised for the length of a run in this process, then put back.
    Unlike a worker, this process is the caller's: its heap is not collected and frozen, which
    would cost time in proportion to whatever the caller holds (seconds, under a test runner)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(*_SCORING_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def start_worker(options: BatchOptions) -> None:
    global _worker_scorer
    # Ctrl-C, and a SIGTERM sent to the process group (a container stop), reach every process
    # of the group; the main process alone answers them (it stops the workers once their
    # chunks are done), so no worker dies half-way or prints a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _end_with_parent()
    _worker_scorer = RecordScorer(options)
    _tune_collector()


def _end_with_parent() -> None:
    """Have the kernel end this worker when the process that started it ends, however it ends
    (even killed outright), so that no worker is left running under PID 1 holding the pipes."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    set_parent_death_signal = 1  # PR_SET_PDEATHSIG
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(set_parent_death_signal, int(signal.SIGKILL), 0, 0, 0)


# Output buffers for the chunks in flight: anonymous shared memory, made before the workers are
# forked so that each inherits them (nothing is named, and nothing outlives the run). Workers
# from a fork server have none, and send their lines through the pipe instead.
_buffers: list[mmap.mmap] = []


@contextlib.contextmanager
def shared_buffers(count: int) -> Iterator[list[mmap.mmap]]:
    buffers = [mmap.mmap(-1, BUFFER_BYTES) for _ in range(count)]
    # Only a run whose workers are about to be forked sets them; it is the only run going then
    # (another would have its own threads), so a run from a fork server leaves them alone.
    if buffers:
        _buffers[:] = buffers
    try:
        yield buffers
    finally:
        for buffer in buffers:
            buffer.close()
        if buffers:
            _buffers.clear()


def _score_in_worker(task: list[Record] | Span, slot: int) -> ChunkResult:
    assert _worker_scorer is not None, "worker started without its scorer"
    result = _worker_scorer.score_chunk(task.records() if isinstance(task, Span) else task)
    # No shared buffer here, or an unusually large chunk: the lines go through the pipe.
    if slot >= len(_buffers) or result.length > BUFFER_BYTES:
        return result
    buffer = _buffers[slot]
    start = 0
    for line in result.lines:
        end = start + len(line)
        buffer[start:end] = line
        buffer[end] = NEWLINE
        start = end + 1
    return replace(result, lines=[])


def newline_terminated(lines: list[bytes]) -> Iterator[bytes]:
    for line in lines:
        yield line
        yield b"\n"


def chunks_of(records: Iterator[Record]) -> Iterator[list[Record]]:
    while chunk := list(islice(records, CHUNK_RECORDS)):
        yield chunk


def in_order(
    pool: ProcessPoolExecutor,
    chunks: Iterator[list[Record]] | Iterator[Span],
    in_flight: int,
    buffers: list[mmap.mmap],
) -> Generator[tuple[ChunkResult, Iterable[bytes | memoryview]], None, None]:
    """Chunk results in input order, each with its text, with at most `in_flight` chunks read ahead.

    Each chunk in flight has a slot: its shared buffer, when the workers have them, so that the main
    process writes the lines out without copying megabytes through a pipe (which cost more than
    scoring them).
    """
    free = deque(range(in_flight))
    pending: deque[tuple[Future[ChunkResult], int]] = deque()
    try:
        for chunk in chunks:
            slot = free.popleft()
            pending.append((pool.submit(_score_in_worker, chunk, slot), slot))
            if not free:
                yield from _collect(pending.popleft(), free, buffers)
        while pending:
            yield from _collect(pending.popleft(), free, buffers)
    except BrokenProcessPool as error:  # from a result, or from submitting once the pool broke
        raise FactorcheckError(
            "a worker process stopped unexpectedly (killed, or out of memory); the run is incomplete."
        ) from error


def _collect(
    task: tuple[Future[ChunkResult], int], free: deque[int], buffers: list[mmap.mmap]
) -> Iterator[tuple[ChunkResult, Iterable[bytes | memoryview]]]:
    waiting, slot = task
    result = waiting.result()
    if result.lines or not result.length:
        yield result, newline_terminated(result.lines)
    else:
        with memoryview(buffers[slot]) as whole, whole[: result.length] as view:
            yield result, [view]
    free.append(slot)


def worker_context() -> multiprocessing.context.BaseContext:
    """Fork when this process has a single thread (workers then start at once, with everything
    loaded; the executor forks them all before it starts its own thread); otherwise a fork
    server, since forking a process with threads is unsafe."""
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["factorcheck.batch.worker_pool"])
    return context


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
