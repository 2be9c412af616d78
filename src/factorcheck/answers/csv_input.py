"""Reading answer sets from CSV as spreadsheets write them: a header of item ids, cells by item type.

The encoding, as documented in docs/batch.md:
- cells (and the header's names) are trimmed of surrounding spaces; an empty cell means the item
  was not answered;
- true/false items (heel_pain, knee_pain) take `true` or `false`, or `yes` or `no`, in any case
  (`TRUE`, `Yes`), and the words for true and false that spreadsheets write in the languages
  they are most used in (`WAHR`/`FALSCH`, `VRAI`/`FAUX`, `VERDADERO`/`FALSO`: LOCALE_BOOLEANS);
- whole-number items take digits with an optional leading minus (`35`, not `35.0`);
- number items take a JSON number (`170`, `72.5`, `1e2`); in a semicolon-separated file, which
  is what a spreadsheet set to a decimal comma writes, also with a decimal comma (`72,5`): only
  there can a comma in a number not be a delimiter or a thousands separator;
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
    where: str = "the CSV header",
    column_name: Callable[[int], str] = "column {}".format,
) -> list[str]:
    """Refuse a header with unknown, duplicate or missing columns, before any record is read;
    returns the unknown columns that are ignored (those named in `ignore` are not returned).
    `where` names the header, and `column_name` a column by its number from 1, in messages."""
    known = [*ITEMS_BY_ID, *([id_field] if id_field else [])]
    seen: set[str] = set()
    unknown: list[tuple[int, str]] = []
    for number, name in enumerate(header, start=1):
        if name in seen:
            raise CsvHeaderError(f"{where} names {quoted(name)} twice ({column_name(number)}).")
        seen.add(name)
        if name not in known and name not in ignore:
            unknown.append((number, name))
    if unknown and not ignore_unknown:
        named = "; ".join(
            f"{quoted(name)} ({column_name(number)}{_meant(name, known)})" for number, name in unknown
        )
        columns = "an unknown column" if len(unknown) == 1 else f"{len(unknown)} unknown columns"
        advice = ""
        if unknown[0][0] == 1 and id_field is None and _LOOKS_LIKE_AN_ID.match(unknown[0][1]):
            first = quoted(unknown[0][1])
            advice = f" If {first} identifies each record, give --id-field {first}."
        raise CsvHeaderError(
            f"{where} has {columns}: {named}. Columns must be questionnaire item ids (see "
            "`factorcheck schema`)"
            + (f" or the --id-field column {id_field}" if id_field else "")
            + "; --ignore-column NAME skips one, --ignore-unknown-columns every unknown one."
            + advice
        )
    if id_field and id_field not in seen:
        raise CsvHeaderError(f'--id-field {id_field}: {where} has no column "{id_field}".')
    return [name for _, name in unknown]


# Turns one non-empty cell into a value, or None when the cell does not fit the item's type.
_Parse = Callable[[str], object]


# How spreadsheets write TRUE and FALSE (Excel's and LibreOffice's function names, which is what
# they put in a CSV export) in the languages they are most used in. No two languages use one word
# for opposite values, so a word means the same whatever the file's language.
LOCALE_BOOLEANS: dict[str, tuple[str, str]] = {
    "English": ("TRUE", "FALSE"),
    "German": ("WAHR", "FALSCH"),
    "French": ("VRAI", "FAUX"),
    "Spanish": ("VERDADERO", "FALSO"),
    "Italian": ("VERO", "FALSO"),
    "Portuguese": ("VERDADEIRO", "FALSO"),
    "Dutch": ("WAAR", "ONWAAR"),
    "Swedish": ("SANT", "FALSKT"),
    "Danish": ("SAND", "FALSK"),
    "Norwegian": ("SANN", "USANN"),
    "Finnish": ("TOSI", "EPÄTOSI"),
    "Polish": ("PRAWDA", "FAŁSZ"),
    "Czech": ("PRAVDA", "NEPRAVDA"),
    "Hungarian": ("IGAZ", "HAMIS"),
    "Turkish": ("DOĞRU", "YANLIŞ"),
    "Russian": ("ИСТИНА", "ЛОЖЬ"),
}
_BOOLEANS: dict[str, bool] = {
    "yes": True,
    "no": False,
    **{true.lower(): True for true, _ in LOCALE_BOOLEANS.values()},
    **{false.lower(): False for _, false in LOCALE_BOOLEANS.values()},
    # Turkish in lower case has a dotless i, which lower() of YANLIŞ does not give.
    "yanl\u0131\u015f": False,
}


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


def _number_with_decimal_comma(cell: str) -> object:
    # "74,5" as a German spreadsheet writes it; "74.5" is read too, as in any CSV.
    return _number(cell.replace(",", ".", 1)) if cell.count(",") == 1 else _number(cell)


def _list(cell: str) -> object:
    return [entry.strip() for entry in cell.split(LIST_SEPARATOR)]


def _text(cell: str) -> object:
    return cell


_PARSERS: dict[str, _Parse] = {"boolean": _boolean, "integer": _integer, "number": _number, "choices": _list}


def cell_problem(item: Item, cell: str, decimal_comma: bool = False) -> Problem:
    """The problem of a text cell that cell_parser refused (decimal_comma: as there)."""
    hint = ""
    if item.type == "boolean":
        hint = (
            " In a CSV cell, yes and no are allowed too, and TRUE and FALSE as spreadsheets write "
            "them in other languages (WAHR/FALSCH, VRAI/FAUX, ...)."
        )
    elif item.type == "integer" and _NUMBER.fullmatch(cell.replace(",", ".", 1) if decimal_comma else cell):
        hint = " Write it without a decimal point."
    elif item.type == "number" and not decimal_comma and _NUMBER.fullmatch(cell.replace(",", ".", 1)):
        hint = " A decimal comma is read only in a semicolon-separated file; write a decimal point."
    return Problem(item.id, f"{quoted(cell)} is not allowed in a CSV cell; expected {item.allowed()}.{hint}")


def cell_parser(item: Item, decimal_comma: bool = False) -> Callable[[str], object]:
    """How a non-empty, trimmed text cell of this item is read: its value, or None when it does
    not fit (decimal_comma: the file is semicolon-separated)."""
    if decimal_comma and item.type == "number":
        return _number_with_decimal_comma
    return _PARSERS.get(item.type, _text)


class RowReader:
    """Turns CSV rows into raw answer sets, for a header that check_header accepted; the columns
    that are not items (ignored ones) are skipped. With decimal_comma (a semicolon-separated
    file), number cells may have a decimal comma."""

    def __init__(self, header: Sequence[str], id_field: str | None, decimal_comma: bool = False) -> None:
        self.width = len(header)
        self._decimal_comma = decimal_comma
        self._id_column = header.index(id_field) if id_field else None
        self._columns = [
            (index, name, cell_parser(ITEMS_BY_ID[name], decimal_comma))
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
                problems.append(cell_problem(ITEMS_BY_ID[name], cell, self._decimal_comma))
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
