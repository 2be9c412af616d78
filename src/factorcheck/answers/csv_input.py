"""Reading answer sets from CSV: a header of item ids, and each cell parsed strictly by item type.

The encoding, as documented in docs/batch.md:
- an empty cell means the item was not answered;
- true/false items take exactly `true` or `false` (lower case, as in JSON);
- whole-number items take digits with an optional leading minus (`35`, not `35.0` or ` 35`);
- number items take a JSON number (`170`, `72.5`, `1e2`);
- choice items take the choice id as written (`yes`, `not_sure`, `knock_knees`);
- list items (inflammatory_diagnosis) take choice ids separated by semicolons
  (`gout;psoriatic_arthritis`), without spaces.
Nothing is trimmed or guessed: a cell that does not fit is reported with what was allowed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from factorcheck.answers.json_input import json_literal
from factorcheck.answers.questionnaire import ITEMS_BY_ID, Item
from factorcheck.answers.suggestions import did_you_mean
from factorcheck.answers.validate import find_problems
from factorcheck.errors import FactorcheckError, Problem

LIST_SEPARATOR = ";"
_INTEGER = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")


class CsvHeaderError(FactorcheckError):
    """Raised when a CSV header names a column that is not an item (or names one twice)."""


def check_header(header: Sequence[str], id_field: str | None) -> None:
    """Refuse a header with an unknown, duplicate or missing column, before any record is read."""
    known = [*ITEMS_BY_ID, *([id_field] if id_field else [])]
    seen: set[str] = set()
    for number, name in enumerate(header, start=1):
        if name in seen:
            raise CsvHeaderError(f'the CSV header names "{name}" twice (column {number}).')
        seen.add(name)
        if name not in known:
            hint = did_you_mean(name, known)
            raise CsvHeaderError(
                f'the CSV header has an unknown column "{name}" (column {number}).{hint} '
                "Columns must be questionnaire item ids (see `factorcheck schema`)"
                + (f" or the --id-field column {id_field}." if id_field else ".")
            )
    if id_field and id_field not in seen:
        raise CsvHeaderError(f'--id-field {id_field}: the CSV header has no column "{id_field}".')


# Turns one non-empty cell into a value, or None when the cell does not fit the item's type.
_Parse = Callable[[str], object]


def _boolean(cell: str) -> object:
    return {"true": True, "false": False}.get(cell)


def _integer(cell: str) -> object:
    return int(cell) if _INTEGER.fullmatch(cell) else None


def _number(cell: str) -> object:
    match = _NUMBER.fullmatch(cell)
    if not match:
        return None
    return float(cell) if match.group(1) or match.group(2) else int(cell)


def _list(cell: str) -> object:
    return cell.split(LIST_SEPARATOR)


def _text(cell: str) -> object:
    return cell


_PARSERS: dict[str, _Parse] = {"boolean": _boolean, "integer": _integer, "number": _number, "choices": _list}


def _cell_problem(item: Item, cell: str) -> Problem:
    hint = ""
    if item.type == "boolean" and cell.lower() in ("true", "false"):
        hint = f" Write {cell.lower()} in lower case."
    elif item.type == "integer" and _NUMBER.fullmatch(cell):
        hint = " Write it without a decimal point."
    return Problem(item.id, f'"{cell}" is not allowed in a CSV cell; expected {item.allowed()}.{hint}')


class RowReader:
    """Turns CSV rows into raw answer sets, for a header that check_header accepted."""

    def __init__(self, header: Sequence[str], id_field: str | None) -> None:
        self.width = len(header)
        self._id_column = header.index(id_field) if id_field else None
        self._columns = [
            (index, name, _PARSERS.get(ITEMS_BY_ID[name].type, _text))
            for index, name in enumerate(header)
            if name != id_field
        ]

    def record_id(self, row: Sequence[str]) -> str | None:
        """The row's identifier cell (None when there is no --id-field, or the cell is empty)."""
        if self._id_column is None or self._id_column >= len(row):
            return None
        return row[self._id_column] or None

    def answers(self, row: Sequence[str]) -> tuple[dict[str, object], list[Problem]]:
        """The raw answer set of a row with as many cells as the header, and its cell problems."""
        raw: dict[str, object] = {}
        problems: list[Problem] = []
        for index, name, parse in self._columns:
            cell = row[index]
            if not cell:
                continue
            value = parse(cell)
            if value is None:
                problems.append(_cell_problem(ITEMS_BY_ID[name], cell))
                # Keep the cell so checks that depend on this item see it as given but invalid.
                value = cell
            raw[name] = value
        return raw, problems


def cell_text(value: object) -> str:
    """How an answer is written in a CSV cell (the inverse of reading one); None is empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return json_literal(value)
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(entry) for entry in value)
    return str(value) if not isinstance(value, float) else repr(value)


def merge_problems(raw: dict[str, object], cell_problems: list[Problem]) -> list[Problem]:
    """Every problem of a row: its cell problems, and the validator's for the other items."""
    _, problems = find_problems(raw)
    bad_cells = {problem.item for problem in cell_problems}
    merged = [problem for problem in problems if problem.item not in bad_cells] + cell_problems
    order = {name: index for index, name in enumerate(ITEMS_BY_ID)}
    return sorted(merged, key=lambda problem: order.get(problem.item, -1))
