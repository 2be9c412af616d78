"""Reading answer sets from CSV as spreadsheets write them: a header of item ids, cells by item type.

The encoding, as documented in docs/batch.md:
- cells (and the header's names) are trimmed of surrounding spaces; an empty cell means the item
  was not answered;
- true/false items (heel_pain, knee_pain) take `true` or `false`, or `yes` or `no`, in any case
  (`TRUE`, `Yes`), as spreadsheets write them;
- whole-number items take digits with an optional leading minus (`35`, not `35.0`);
- number items take a JSON number (`170`, `72.5`, `1e2`);
- choice items take the choice id as written (`yes`, `not_sure`, `knock_knees`);
- list items (inflammatory_diagnosis) take choice ids separated by semicolons, each trimmed
  (`gout; psoriatic_arthritis`).
Nothing else is guessed: a cell that does not fit is reported with what was allowed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from factorcheck.answers.json_input import json_literal
from factorcheck.answers.questionnaire import ITEMS_BY_ID, Item
from factorcheck.answers.shown import quoted
from factorcheck.answers.suggestions import closest
from factorcheck.answers.validate import find_problems
from factorcheck.errors import FactorcheckError, Problem

LIST_SEPARATOR = ";"
_INTEGER = re.compile(r"-?[0-9]+")
_LONGEST_NUMBER = 40
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")


class CsvHeaderError(FactorcheckError):
    """Raised when a CSV header names columns that are not items (or names one twice)."""


# A first column named like this is probably the record's identifier rather than an answer.
_LOOKS_LIKE_AN_ID = re.compile(r"(?i)^(id|.*[ _-]id|.*id[ _-].*|.*ident.*|record|patient|mrn|number|no|nr)$")


def _meant(name: str, known: Sequence[str]) -> str:
    found = closest(name, known)
    return f'; did you mean "{found}"?' if found else ""


def header_names(header: Sequence[str]) -> list[str]:
    """The header's column names as read, trimmed of surrounding spaces."""
    return [name.strip() for name in header]


def check_header(
    header: Sequence[str],
    id_field: str | None,
    ignore: Sequence[str] = (),
    ignore_unknown: bool = False,
) -> list[str]:
    """Refuse a header with unknown, duplicate or missing columns, before any record is read;
    returns the unknown columns that are ignored (those named in `ignore` are not returned)."""
    known = [*ITEMS_BY_ID, *([id_field] if id_field else [])]
    seen: set[str] = set()
    unknown: list[tuple[int, str]] = []
    for number, name in enumerate(header, start=1):
        if name in seen:
            raise CsvHeaderError(f"the CSV header names {quoted(name)} twice (column {number}).")
        seen.add(name)
        if name not in known and name not in ignore:
            unknown.append((number, name))
    if unknown and not ignore_unknown:
        named = "; ".join(
            f"{quoted(name)} (column {number}{_meant(name, known)})" for number, name in unknown
        )
        columns = "an unknown column" if len(unknown) == 1 else f"{len(unknown)} unknown columns"
        advice = ""
        if unknown[0][0] == 1 and id_field is None and _LOOKS_LIKE_AN_ID.match(unknown[0][1]):
            first = quoted(unknown[0][1])
            advice = f" If {first} identifies each record, give --id-field {first}."
        raise CsvHeaderError(
            f"the CSV header has {columns}: {named}. Columns must be questionnaire item ids (see "
            "`factorcheck schema`)"
            + (f" or the --id-field column {id_field}" if id_field else "")
            + "; --ignore-column NAME skips one, --ignore-unknown-columns every unknown one."
            + advice
        )
    if id_field and id_field not in seen:
        raise CsvHeaderError(f'--id-field {id_field}: the CSV header has no column "{id_field}".')
    return [name for _, name in unknown]


# Turns one non-empty cell into a value, or None when the cell does not fit the item's type.
_Parse = Callable[[str], object]


_BOOLEANS = {"true": True, "false": False, "yes": True, "no": False}


def _boolean(cell: str) -> object:
    return _BOOLEANS.get(cell.lower())


def _integer(cell: str) -> object:
    # No answer needs more digits; int() of thousands of them would refuse (ValueError).
    return int(cell) if len(cell) <= _LONGEST_NUMBER and _INTEGER.fullmatch(cell) else None


def _number(cell: str) -> object:
    match = _NUMBER.fullmatch(cell) if len(cell) <= _LONGEST_NUMBER else None
    if not match:
        return None
    return float(cell) if match.group(1) or match.group(2) else int(cell)


def _list(cell: str) -> object:
    return [entry.strip() for entry in cell.split(LIST_SEPARATOR)]


def _text(cell: str) -> object:
    return cell


_PARSERS: dict[str, _Parse] = {"boolean": _boolean, "integer": _integer, "number": _number, "choices": _list}


def _cell_problem(item: Item, cell: str) -> Problem:
    hint = ""
    if item.type == "boolean":
        hint = " In a CSV cell, yes and no are allowed too."
    elif item.type == "integer" and _NUMBER.fullmatch(cell):
        hint = " Write it without a decimal point."
    return Problem(item.id, f"{quoted(cell)} is not allowed in a CSV cell; expected {item.allowed()}.{hint}")


class RowReader:
    """Turns CSV rows into raw answer sets, for a header that check_header accepted; the columns
    that are not items (ignored ones) are skipped."""

    def __init__(self, header: Sequence[str], id_field: str | None) -> None:
        self.width = len(header)
        self._id_column = header.index(id_field) if id_field else None
        self._columns = [
            (index, name, _PARSERS.get(ITEMS_BY_ID[name].type, _text))
            for index, name in enumerate(header)
            if name != id_field and name in ITEMS_BY_ID
        ]

    def record_id(self, row: Sequence[str]) -> str | None:
        """The row's identifier cell (None when there is no --id-field, or the cell is empty)."""
        if self._id_column is None or self._id_column >= len(row):
            return None
        return row[self._id_column].strip() or None

    def answers(self, row: Sequence[str]) -> tuple[dict[str, object], list[Problem]]:
        """The raw answer set of a row with as many cells as the header, and its cell problems."""
        raw: dict[str, object] = {}
        problems: list[Problem] = []
        for index, name, parse in self._columns:
            cell = row[index].strip()
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
