"""Reading answer sets from spreadsheet files (.xlsx, .xlsm, .xls, .ods): a sheet's first row as
the header of item ids, each cell below it taken as the file stores it.

The encoding, as documented in docs/batch.md:
- a TRUE/FALSE cell is a boolean, for a true/false item only;
- a number cell is a number: for a whole-number item it must be whole (`52`, not `52.5`); a
  spreadsheet stores no difference between 52 and 52.0, so a whole number is read as 52, as a
  CSV export of the sheet writes it;
- a date, time or duration cell is never an answer: it is an error for its record, naming it;
- a text cell is read as the same text in a CSV cell is (choice ids, a list separated by `;`,
  `true`/`yes`; no decimal comma, which only a semicolon-separated file can have);
- an empty cell is not answered, and a row of empty cells is skipped.
Every problem of a record names its cell as spreadsheets do ("Sheet1!D14").

The reader is python-calamine (see pyproject.toml). It reads the chosen sheet's cells into
memory in its compact native form when the sheet is opened (about 40 bytes a cell); the rows are
then made into Python objects one at a time, so the Python side stays flat.
"""

from __future__ import annotations

import datetime
import io
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from factorcheck.answers.csv_input import cell_parser, merge_problems
from factorcheck.answers.questionnaire import ITEMS_BY_ID, Item
from factorcheck.answers.shown import quoted, safe_text
from factorcheck.errors import FactorcheckError, Problem

# The input formats, and the extensions that tell them (.xlsm is .xlsx with macros, never run).
SPREADSHEET_EXTENSIONS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods"}
SPREADSHEET_FORMATS = ("xlsx", "xls", "ods")
# How each kind of file begins: .xlsx and .ods are zip archives, .xls an OLE compound file.
_SIGNATURES = ((b"PK\x03\x04", ".xlsx or .ods"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls"))
# A row of the sheet as read: its cells, as the reader gives them.
SheetCells = tuple[object, ...]
# No answer is a whole number beyond this; a number cell that is, is not read as one.
_LARGEST_WHOLE = 10**15
_SIMPLE_SHEET_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_LOOKS_LIKE_A_CELL = re.compile(r"(?i)[a-z]{1,3}[0-9]+|r[0-9]*c[0-9]*")


def spreadsheet_signature(first_bytes: bytes) -> str | None:
    """The kind of spreadsheet file that starts with these bytes (".xlsx or .ods", ".xls"), or None."""
    for signature, kind in _SIGNATURES:
        if first_bytes.startswith(signature):
            return kind
    return None


def column_letters(index: int) -> str:
    """The letters of a column from its index from 0 (0: A, 25: Z, 26: AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def sheet_reference(name: str) -> str:
    """The sheet's name as a cell reference writes it: quoted unless it is a plain word."""
    if _SIMPLE_SHEET_NAME.fullmatch(name) and not _LOOKS_LIKE_A_CELL.fullmatch(name):
        return name
    return "'" + safe_text(name).replace("'", "''") + "'"


@dataclass(frozen=True)
class Sheet:
    """A sheet opened for reading: its name, its header (trimmed, without empty names at its
    end), the index of its first column, and its records (row number, cells) below the header."""

    name: str
    header: list[str]
    first_column: int
    records: Iterator[tuple[int, SheetCells]]

    @property
    def header_place(self) -> str:
        return f"the header row of sheet {quoted(self.name)}"

    def column_name(self, number: int) -> str:
        """A header column, from 1, named by its letter."""
        return f"column {column_letters(self.first_column + number - 1)}"


def open_sheet(stream: BinaryIO, source: str, input_format: str, sheet: str | None) -> Sheet:
    """The sheet named (by name, or by number from 1) or else the first, of the spreadsheet file
    `stream`; a file that is not a readable spreadsheet, or a sheet not there, is refused here."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError as error:  # a broken installation: it is a dependency
        raise FactorcheckError(
            "reading spreadsheets needs python-calamine: pip install python-calamine"
        ) from error
    where = "standard input" if source == "-" else source
    # The reader needs to seek; standard input is read whole first.
    seekable = stream if stream.seekable() else io.BytesIO(stream.read())
    try:
        workbook = CalamineWorkbook.from_filelike(seekable)
        names = list(workbook.sheet_names)
        index = _sheet_index(names, sheet, where)
        chosen = workbook.get_sheet_by_index(index)
        start = chosen.start
        rows: Iterator[Sequence[object]] = iter(chosen.iter_rows())
    except FactorcheckError:
        raise
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # the reader's own errors, and a panic of its native code
        raise FactorcheckError(
            f"cannot read {where} as a spreadsheet ({input_format}): {safe_text(str(error))[:200]}."
        ) from error
    name = names[index]
    first_row, first_column = start if start is not None else (0, 0)
    # The rows come from the first column that holds a value; python-calamine gives them from the
    # sheet's first row, blank ones included, though the range it reads starts at the first row
    # that holds one. Which it did is told by the first row given: the range's first row is never
    # blank.
    row_number = 0
    for cells in rows:
        if row_number == 0 and not _blank(cells):
            row_number = first_row
        row_number += 1
        if not _blank(cells):
            header = [_header_name(cell) for cell in cells]
            while header and not header[-1]:
                header.pop()
            return Sheet(name, header, first_column, _records(rows, row_number + 1))
    raise FactorcheckError(f"sheet {quoted(name)} of {where} is empty: it needs a header row of item ids.")


def _sheet_index(names: Sequence[str], sheet: str | None, where: str) -> int:
    if not names:
        raise FactorcheckError(f"{where} has no sheet.")
    if sheet is None:
        return 0
    if sheet in names:
        return names.index(sheet)
    if sheet.isascii() and sheet.isdigit() and 1 <= int(sheet) <= len(names):
        return int(sheet) - 1
    listed = ", ".join(f"{number} {quoted(name)}" for number, name in enumerate(names, start=1))
    raise FactorcheckError(f"--sheet {quoted(sheet)}: {where} has no such sheet; its sheets are {listed}.")


def _header_name(cell: object) -> str:
    return cell.strip() if isinstance(cell, str) else str(cell)


def _blank(cells: Sequence[object]) -> bool:
    return all(isinstance(cell, str) and not cell.strip() for cell in cells)


def _records(rows: Iterator[Sequence[object]], first_row: int) -> Iterator[tuple[int, SheetCells]]:
    for row_number, cells in enumerate(rows, start=first_row):
        if not _blank(cells):
            yield row_number, tuple(cells)


class SheetRowReader:
    """Turns sheet rows into raw answer sets, for a header that check_header accepted (the
    columns that are not items are skipped), with every problem placed at its cell."""

    def __init__(self, header: Sequence[str], id_field: str | None, sheet: str, first_column: int) -> None:
        self.width = len(header)
        self._sheet = sheet_reference(sheet)
        self._letters = [column_letters(first_column + index) for index in range(len(header))]
        self._first_column = first_column
        self._id_field = id_field
        self._id_column = header.index(id_field) if id_field else None
        self._columns = [
            (index, ITEMS_BY_ID[name])
            for index, name in enumerate(header)
            if name != id_field and name in ITEMS_BY_ID
        ]
        self._column_of = {
            ITEMS_BY_ID[name].id: index for index, name in enumerate(header) if name in ITEMS_BY_ID
        }

    def cell(self, row: int, index: int) -> str:
        """A cell's reference, such as Sheet1!D14."""
        letters = self._letters[index] if index < self.width else column_letters(self._first_column + index)
        return f"{self._sheet}!{letters}{row}"

    def record_id(self, row: int, cells: SheetCells) -> tuple[object, Problem | None]:
        """The row's identifier (None when there is no --id-field), or the problem of an identifier
        cell that is empty or neither a text nor a whole number."""
        if self._id_field is None or self._id_column is None:
            return None, None
        value = cells[self._id_column] if self._id_column < len(cells) else ""
        if isinstance(value, str):
            if value.strip():
                return value.strip(), None
            where = self.cell(row, self._id_column)
            return None, Problem(
                self._id_field, f"{where}: is empty; --id-field asks every row for its identifier."
            )
        if isinstance(value, int | float) and not isinstance(value, bool):
            whole = _whole(value)
            if whole is not None:
                return whole, None
        shown = _described(value)
        where = self.cell(row, self._id_column)
        message = f"{where}: the identifier must be a text or a whole number, not {shown}."
        return None, Problem(self._id_field, message)

    def answers(self, row: int, cells: SheetCells) -> tuple[dict[str, object], list[Problem]]:
        """The raw answer set of a row, and the problems of its cells (each naming its cell)."""
        raw: dict[str, object] = {}
        problems: list[Problem] = []
        for index, item in self._columns:
            value, problem = _answer(item, cells[index] if index < len(cells) else "")
            if problem is not None:
                problems.append(Problem(item.id, f"{self.cell(row, index)}: {problem}"))
            if value is not None:
                raw[item.id] = value
        for index in range(self.width, len(cells)):
            if not _blank(cells[index : index + 1]):
                where = self.cell(row, index)
                problems.append(
                    Problem(
                        "(record)", f"{where} holds a value, but its column has no name in the header row."
                    )
                )
                break
        return raw, problems

    def placed(self, row: int, problems: Sequence[Problem]) -> list[Problem]:
        """The problems with the cell of each item the sheet has put in front of its message
        (those of the cells themselves already have it)."""
        placed: list[Problem] = []
        for problem in problems:
            index = self._column_of.get(problem.item)
            reference = None if index is None else self.cell(row, index)
            if reference is None or problem.message.startswith(reference):
                placed.append(problem)
            else:
                placed.append(Problem(problem.item, f"{reference}: {problem.message}"))
        return placed

    def problems(self, row: int, raw: dict[str, object], cell_problems: list[Problem]) -> list[Problem]:
        """Every problem of a row with cell problems, placed (see merge_problems)."""
        return self.placed(row, merge_problems(raw, cell_problems))


def _whole(value: int | float) -> int | None:
    if isinstance(value, int):
        return value if abs(value) < _LARGEST_WHOLE else None
    if math.isfinite(value) and value.is_integer() and abs(value) < _LARGEST_WHOLE:
        return int(value)
    return None


_KINDS_OF_TIME = (
    # datetime before date: a datetime is a date too.
    (datetime.datetime, "a date and time cell"),
    (datetime.date, "a date cell"),
    (datetime.time, "a time cell"),
    (datetime.timedelta, "a duration cell"),
)


def _described(value: object) -> str:
    """A cell that is not text, as a message shows it."""
    if isinstance(value, bool):
        return f"a TRUE/FALSE cell ({'TRUE' if value else 'FALSE'})"
    if isinstance(value, int | float):
        whole = _whole(value)
        return f"a number cell ({value!r})" if whole is None else f"a number cell ({whole})"
    for kind, words in _KINDS_OF_TIME:
        if isinstance(value, kind):
            return f"{words} ({value})"
    return f"a cell of type {type(value).__name__}"


def _answer(item: Item, value: object) -> tuple[object, str | None]:
    """A cell's answer for the item (None: not answered), or why the cell is not one. A cell
    that is not one is still kept as given, so that checks that depend on this item see it."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None, None
        answer = cell_parser(item)(text)
        if answer is not None:
            return answer, None
        hint = " (or a TRUE/FALSE cell)" if item.type == "boolean" else ""
        return text, f"{quoted(text)} is not allowed; expected {item.allowed()}{hint}."
    if isinstance(value, bool):
        if item.type == "boolean":
            return value, None
    elif isinstance(value, int | float):
        whole = _whole(value)
        if item.type == "integer" and whole is not None:
            return whole, None
        if item.type == "number" and math.isfinite(value):
            return (whole if whole is not None else float(value)), None
    return str(value), f"{_described(value)} is not allowed; expected {item.allowed()}."
