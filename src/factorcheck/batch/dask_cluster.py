"""Scoring a batch on a Dask cluster: the same chunks, the same scorer, results in input order.

The main process reads and writes exactly as for a local run (batch/run.py); only the scoring of
each chunk moves to the cluster's workers. The run's options, rules included, go to every worker
once (scattered); each worker builds its scorer (and so compiles the rules) once, on its first
chunk. Dask is an optional extra: `pip install 'factorcheck[dask]'`.

Dask's own log messages and warnings stay out of the person's terminal unless asked for: a lost
scheduler ends in one clear line, not in library tracebacks. Workers started here (local:N) keep
their scratch space in a private temporary folder that is removed at the end.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import tempfile
import warnings
from collections import deque
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from factorcheck.batch.record_scoring import BatchOptions, ChunkResult, Record, RecordScorer
from factorcheck.errors import FactorcheckError

LOCAL = "local:"
# Chunks in flight per worker thread: enough to keep each busy while results come back.
CHUNKS_PER_THREAD = 3
INSTALL = "--dask needs Dask: install it with pip install 'factorcheck[dask]'."

# The loggers whose messages are Dask's (and those of the libraries under it), not factorcheck's.
_LIBRARY_LOGGERS = ("distributed", "dask", "tornado", "bokeh", "asyncio")
_SILENT = logging.CRITICAL + 10
# What a future raises once the client has lost its scheduler.
_CONNECTION_LOST = ("FutureCancelledError", "CancelledError", "CommClosedError")


@dataclass(frozen=True)
class DaskOptions:
    """Where to score with Dask: the scheduler (an address or local:N), how long to try to reach
    it (seconds), and whether Dask's own log messages are shown."""

    scheduler: str
    timeout: float = 10.0
    logs: bool = False


# On a worker: its scorer for each run's options (a worker may serve several runs).
_scorers: dict[tuple[object, ...], RecordScorer] = {}


def _options_key(options: BatchOptions) -> tuple[object, ...]:
    return (
        options.input_format,
        options.ruleset.digest,
        options.id_field,
        options.header,
        options.summary_rows,
        options.reports_dir,
        options.reports_format,
        options.decimal_comma,
        options.sheet_name,
        options.first_column,
    )


def score_chunk_on_worker(options: BatchOptions, chunk: list[Record]) -> ChunkResult:
    """Runs on a Dask worker: the chunk scored by this worker's scorer for these options."""
    key = _options_key(options)
    scorer = _scorers.get(key)
    if scorer is None:
        scorer = _scorers[key] = RecordScorer(options)
    return scorer.score_chunk(chunk)


def check_address(scheduler: str) -> int | None:
    """The number of local workers for "local:N", None for a scheduler address; refuses others."""
    if scheduler.startswith(LOCAL):
        count = scheduler.removeprefix(LOCAL)
        if not count.isdigit() or int(count) < 1:
            raise FactorcheckError(f"--dask {scheduler}: local:N needs a number of workers of at least 1.")
        return int(count)
    if not scheduler.startswith(("tcp://", "tls://")):
        raise FactorcheckError(
            f"--dask {scheduler}: give a scheduler address (tcp://host:port or tls://host:port) or "
            "local:N to start N workers on this machine."
        )
    return None


@contextlib.contextmanager
def _library_output_hidden() -> Iterator[None]:
    """Dask's log messages (tracebacks included) and warnings dropped for the length of the run.
    Dask gives every one of its loggers a handler on stderr, so each is muted, not only the root."""
    names = {
        *_LIBRARY_LOGGERS,
        *(name for name in logging.root.manager.loggerDict if name.split(".")[0] in _LIBRARY_LOGGERS),
    }
    loggers = [logging.getLogger(name) for name in sorted(names)]
    saved = [(logger, logger.handlers[:], logger.propagate) for logger in loggers]
    for logger in loggers:
        logger.handlers = [logging.NullHandler()]
        logger.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, handlers, propagate in saved:
            logger.handlers = handlers
            logger.propagate = propagate


@contextlib.contextmanager
def _client(cluster: DaskOptions, local_workers: int | None, stderr: TextIO) -> Iterator[Any]:
    try:
        import dask
        import distributed
    except ImportError as error:
        raise FactorcheckError(INSTALL) from error
    scheduler, timeout = cluster.scheduler, f"{cluster.timeout}s"
    with contextlib.ExitStack() as stack:
        if not cluster.logs:
            stack.enter_context(_library_output_hidden())
        # A lost scheduler is given up after the same time as an unreachable one.
        stack.enter_context(dask.config.set({"distributed.comm.timeouts.connect": timeout}))
        if local_workers is not None:
            # The workers' scratch space (where they would spill data) in a folder of this run that
            # only its owner can open, removed at the end, rather than a shared /tmp/dask-scratch-space.
            scratch = stack.enter_context(
                tempfile.TemporaryDirectory(prefix="factorcheck-dask-", ignore_cleanup_errors=True)
            )
            # Dask's default for every scratch folder it makes, and the workers' own.
            stack.enter_context(dask.config.set({"temporary-directory": scratch}))
            # The dashboard only when bokeh, which draws it, is installed (the dask extra has it).
            dashboard = "127.0.0.1:0" if importlib.util.find_spec("bokeh") is not None else None
            local = stack.enter_context(
                distributed.LocalCluster(  # type: ignore[no-untyped-call]
                    n_workers=local_workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=dashboard,
                    local_directory=scratch,
                    silence_logs=logging.WARNING if cluster.logs else _SILENT,
                )
            )
            address = local.scheduler_address
        else:
            address = scheduler
        try:
            client = stack.enter_context(distributed.Client(address, timeout=timeout))  # type: ignore[no-untyped-call]
        except OSError as error:  # refused, or not reached in time (TimeoutError is an OSError)
            raise FactorcheckError(
                f"--dask {scheduler}: cannot reach the scheduler within {cluster.timeout:g} s "
                f"({str(error).splitlines()[0][:200] if str(error) else type(error).__name__})."
            ) from error
        link = _dashboard_link(client)
        if link:
            stderr.write(f"factorcheck batch: the Dask dashboard is at {link}\n")
        yield client


def _dashboard_link(client: Any) -> str | None:
    """The address of the scheduler's dashboard, or None when it has none."""
    try:
        link = client.dashboard_link
    except Exception:  # no dashboard: the scheduler runs without bokeh, or does not say
        return None
    return link if isinstance(link, str) and link.startswith("http") else None


def score_on_dask(
    cluster: DaskOptions, chunks: Iterator[list[Record]], options: BatchOptions, stderr: TextIO
) -> Generator[ChunkResult, None, None]:
    """Each chunk's result, in input order, scored on the cluster at `cluster.scheduler`."""
    scheduler = cluster.scheduler
    local_workers = check_address(scheduler)
    if local_workers is None:
        if options.reports_dir is not None:
            raise FactorcheckError(
                "--reports cannot be used with a remote --dask scheduler: the reports would be written "
                "on the workers' machines. Use local:N, or score without --reports."
            )
        if scheduler.startswith("tcp://"):
            stderr.write(
                f"factorcheck batch: warning: answers travel to {scheduler} and back unencrypted; use a "
                "tls:// scheduler on any network you do not control.\n"
            )
    with _client(cluster, local_workers, stderr) as client:
        try:
            threads = sum(client.nthreads().values()) or 1
            shared = client.scatter(options, broadcast=True)
            pending: deque[Any] = deque()
            for chunk in chunks:
                pending.append(client.submit(score_chunk_on_worker, shared, chunk, pure=False))
                if len(pending) >= threads * CHUNKS_PER_THREAD:
                    yield _result(pending.popleft())
            while pending:
                yield _result(pending.popleft())
        except Exception as error:  # the scheduler gone while sending, not only while scoring
            if type(error).__name__ in _CONNECTION_LOST:
                raise FactorcheckError(
                    "the connection to the Dask scheduler was lost (stopped, or unreachable for longer "
                    "than --dask-timeout); the run is incomplete."
                ) from error
            raise


def _result(future: Any) -> ChunkResult:
    try:
        result = future.result()
    except Exception as error:  # a worker lost, or the scheduler gone: the run cannot be complete
        if type(error).__name__ in _CONNECTION_LOST:
            raise
        reason = str(error).splitlines()[0][:200] if str(error) else ""
        raise FactorcheckError(
            f"the Dask cluster failed to score a chunk ({type(error).__name__}: {reason}); "
            "the run is incomplete."
        ) from error
    assert isinstance(result, ChunkResult)
    return result
