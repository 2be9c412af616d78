"""Answer files: answers as the JSON (or FHIR QuestionnaireResponse) that check and ask --resume read."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from factorcheck.answers.fhir.reading import answers_from_response, is_response
from factorcheck.answers.fhir.writing import FILE_SUFFIX, response_json
from factorcheck.answers.json_input import loads_strict, read_text
from factorcheck.answers.questionnaire import ITEMS_BY_ID
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
    if is_response(raw):
        raw, problems = answers_from_response(raw)
        # As for JSON: what was not given yet is no problem; everything else is.
        problems = [p for p in problems if p.item in raw or p.item not in ITEMS_BY_ID]
    else:
        problems = partial_problems(raw)
    if problems:
        raise InvalidAnswersError(problems)
    assert isinstance(raw, dict)  # partial_problems reports anything else
    return raw


def answers_json(answers: Mapping[str, object]) -> str:
    """Answers as the JSON that `factorcheck check` and `factorcheck ask --resume` read."""
    return json.dumps(dict(answers), indent=2, ensure_ascii=False) + "\n"


def answers_format(path: Path, given: str | None) -> str:
    """The format to save answers in: as given, else FHIR for a name ending in .fhir.json, else JSON."""
    if given:
        return given
    return "fhir" if path.name.lower().endswith(FILE_SUFFIX) else "json"


def answers_text(answers: Mapping[str, object], fmt: str, *, finished: bool = True) -> str:
    """Answers as a file's text: an answer file ("json"), or a QuestionnaireResponse ("fhir"),
    completed or, for answers saved part-way, in progress."""
    if fmt == "fhir":
        return response_json(answers, status="completed" if finished else "in-progress")
    return answers_json(answers)
