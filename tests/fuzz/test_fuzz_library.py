"""Fuzzing the library: any value gives a report or InvalidAnswersError with bounded, named problems."""

from __future__ import annotations

from typing import Any

from hypothesis import given

from factorcheck.answers.questionnaire import ITEMS_BY_ID
from factorcheck.assessment import default_assessor
from factorcheck.errors import InvalidAnswersError
from support.fuzzing import FUZZ, hostile_answer_sets, record

ASSESSOR = default_assessor()
# Bytes a message may never hold raw: a terminal would act on them.
UNSAFE = {chr(code) for code in [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x202E]}


def check_problems(error: InvalidAnswersError) -> None:
    """Every problem names its item (an item id, a shortened key, or "(answers)") and is bounded and safe."""
    assert error.problems
    for problem in error.problems:
        assert problem.item
        assert problem.message
        assert len(problem.item) < 200
        assert len(problem.message) < 2000
        assert not UNSAFE & set(problem.item + problem.message), problem
        assert not any(0xD800 <= ord(char) <= 0xDFFF for char in problem.item + problem.message)


@FUZZ
@given(hostile_answer_sets())
def test_the_library_gives_a_report_or_named_problems(raw: Any) -> None:
    """assess(): a report ending with the consult message, or InvalidAnswersError; never another exception."""
    failure: InvalidAnswersError | None = None
    try:
        report = ASSESSOR.assess(raw)
    except InvalidAnswersError as error:
        failure = error
    record("library", "report" if failure is None else "invalid")
    if failure is None:
        assert report["consult"] == ASSESSOR.ruleset.level(report["triage"]["level"]).consult
        return
    check_problems(failure)
    if isinstance(raw, dict):
        named = {problem.item for problem in failure.problems}
        assert named & (set(ITEMS_BY_ID) | {"(answers)"}) or any(key not in ITEMS_BY_ID for key in raw)
