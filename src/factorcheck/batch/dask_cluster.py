"""Scoring a batch on a Dask cluster: the same chunks, the same scorer, results in input order.

The main process reads and writes exactly as for a local run (batch/run.py); only the scoring of
each chunk moves to the cluster's workers. The run's options, rules included, go to every worker
once (scattered); each worker builds its scorer (and so compiles the rules) once, on its first
chunk. Dask is an optional extra: `pip install 'factorcheck[dask]'`.
"""

from __future__ import annotations

import contextlib
import logging
from collections import deque
from collections.abc import Generator, Iterator
from typing import Any, TextIO

from factorcheck.batch.record_scoring import BatchOptions, ChunkResult, Record, RecordScorer
from factorcheck.errors import FactorcheckError

LOCAL = "local:"
# Chunks in flight per worker thread: enough to keep each busy while results come back.
CHUNKS_PER_THREAD = 3
INSTALL = "--dask needs Dask: install it with pip install 'factorcheck[dask]'."

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
def _client(scheduler: str, local_workers: int | None) -> Iterator[Any]:
    try:
        import distributed
    except ImportError as error:
        raise FactorcheckError(INSTALL) from error
    # Dask's own log lines say nothing about answers, but a person reading the run's stderr
    # wants only factorcheck's summary there.
    logging.getLogger("distributed").setLevel(logging.ERROR)
    with contextlib.ExitStack() as stack:
        if local_workers is not None:
            cluster = stack.enter_context(
                distributed.LocalCluster(  # type: ignore[no-untyped-call]
                    n_workers=local_workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            )
            address = cluster.scheduler_address
        else:
            address = scheduler
        try:
            client = stack.enter_context(distributed.Client(address, timeout="30s"))  # type: ignore[no-untyped-call]
        except OSError as error:
            raise FactorcheckError(f"--dask {scheduler}: cannot reach the scheduler ({error}).") from error
        yield client


def score_on_dask(
    scheduler: str, chunks: Iterator[list[Record]], options: BatchOptions, stderr: TextIO
) -> Generator[ChunkResult, None, None]:
    """Each chunk's result, in input order, scored on the cluster at `scheduler`."""
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
    with _client(scheduler, local_workers) as client:
        threads = sum(client.nthreads().values()) or 1
        shared = client.scatter(options, broadcast=True)
        pending: deque[Any] = deque()
        for chunk in chunks:
            pending.append(client.submit(score_chunk_on_worker, shared, chunk, pure=False))
            if len(pending) >= threads * CHUNKS_PER_THREAD:
                yield _result(pending.popleft())
        while pending:
            yield _result(pending.popleft())


def _result(future: Any) -> ChunkResult:
    try:
        result = future.result()
    except Exception as error:  # a worker lost, or the scheduler gone: the run cannot be complete
        raise FactorcheckError(
            f"the Dask cluster failed to score a chunk ({type(error).__name__}: {error}); "
            "the run is incomplete."
        ) from error
    assert isinstance(result, ChunkResult)
    return result
