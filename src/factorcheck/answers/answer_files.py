"""Answer files: answers as the JSON that check and ask --resume read, and saved answers read back checked."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from factorcheck.answers.json_input import loads_strict, read_text
from factorcheck.answers.validate import find_problems
from factorcheck.errors import InvalidAnswersError, InvalidJsonError, Problem


def partial_problems(raw: object) -> list[Problem]:
    """Every problem with the answers given; answers not given yet (a stop half-way) are no problem."""
    if not isinstance(raw, Mapping):
        return find_problems(raw)[1]
    # A problem about an item that was not given is one of completeness: a required item or the
    # partner of a pair still to be asked. Everything given is checked as `check` would.
    return [problem for problem in find_problems(raw)[1] if problem.item in raw]


def load_partial(path: Path) -> dict[str, object]:
    """Answers saved part-way, each checked against its item; raises with every problem found."""
    text = read_text(path, f"cannot continue from {path}")
    try:
        raw = loads_strict(text)
    except InvalidJsonError as error:
        raise InvalidJsonError(f"cannot continue from {path}: {error}") from error
    problems = partial_problems(raw)
    if problems:
        raise InvalidAnswersError(problems)
    assert isinstance(raw, dict)  # partial_problems reports anything else
    return raw


def answers_json(answers: Mapping[str, object]) -> str:
    """Answers as the JSON that `factorcheck check` and `factorcheck ask --resume` read."""
    return json.dumps(dict(answers), indent=2, ensure_ascii=False) + "\n"
