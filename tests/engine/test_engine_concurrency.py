"""One assessor shared by many threads gives every thread the same results as one thread would."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator

import orjson
import pytest

from factorcheck.assessment import Assessor
from support.synthetic import answer_sets

THREADS = 8
PER_THREAD = 2000


@pytest.fixture
def busy_switching() -> Iterator[None]:
    """Make threads switch far more often than usual, so interleavings actually happen."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


@pytest.mark.usefixtures("busy_switching")
def test_eight_threads_times_two_thousand_assessments_equal_sequential_results() -> None:
    """8 threads x 2,000 assessments on one shared assessor equal the sequential results."""
    assessor = Assessor()
    answer_lists = [list(answer_sets(seed=100 + number, count=PER_THREAD)) for number in range(THREADS)]
    expected = [[assessor.assess_to_json(raw) for raw in answers] for answers in answer_lists]
    results: list[list[bytes]] = [[] for _ in range(THREADS)]
    failures: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def work(number: int) -> None:
        try:
            start.wait()
            for index, raw in enumerate(answer_lists[number]):
                # Alternate the two entry points so both run concurrently.
                if index % 2:
                    results[number].append(assessor.assess_to_json(raw))
                else:
                    results[number].append(orjson.dumps(assessor.assess(raw)))
        except BaseException as error:  # reported below, with the thread that failed
            failures.append(error)

    threads = [threading.Thread(target=work, args=(number,)) for number in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert results == expected
