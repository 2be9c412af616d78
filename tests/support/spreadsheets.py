"""Spreadsheet files made with writer libraries, as a clinic's sheet holds answers: XlsxWriter for
.xlsx, odfpy for .ods; each cell typed as a spreadsheet stores it (a TRUE/FALSE cell, a number
cell, a date cell, a text cell)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

Cell = bool | int | float | str | datetime.date | None
Rows = Sequence[Sequence[Cell]]


def sheet_row(record: dict[str, object], columns: Sequence[str]) -> list[Cell]:
    """A record's cells as a person would type them: a list as its ids separated by "; "."""
    cells: list[Cell] = []
    for column in columns:
        value = record.get(column)
        if isinstance(value, list):
            cells.append("; ".join(str(entry) for entry in value))
        else:
            assert value is None or isinstance(value, bool | int | float | str)
            cells.append(value)
    return cells


def write_xlsx(path: Path, sheets: dict[str, Rows], at: tuple[int, int] = (0, 0)) -> Path:
    """An .xlsx file with these sheets, each one's rows starting at cell `at` (row, column from 0)."""
    workbook = xlsxwriter.Workbook(str(path))
    dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for row_index, row in enumerate(rows, start=at[0]):
            for column, cell in enumerate(row, start=at[1]):
                if cell is None:
                    continue
                if isinstance(cell, bool):
                    sheet.write_boolean(row_index, column, cell)
                elif isinstance(cell, int | float):
                    sheet.write_number(row_index, column, cell)
                elif isinstance(cell, str):
                    sheet.write_string(row_index, column, cell)
                else:
                    sheet.write_datetime(row_index, column, cell, dates)
    workbook.close()
    return path


def _ods_cell(cell: Cell) -> TableCell:
    if cell is None:
        return TableCell()
    if isinstance(cell, bool):
        element = TableCell(valuetype="boolean", booleanvalue="true" if cell else "false")
        shown = "TRUE" if cell else "FALSE"
    elif isinstance(cell, int | float):
        element = TableCell(valuetype="float", value=repr(cell))
        shown = str(cell)
    elif isinstance(cell, str):
        element = TableCell(valuetype="string")
        shown = cell
    else:
        element = TableCell(valuetype="date", datevalue=cell.isoformat())
        shown = cell.isoformat()
    element.addElement(P(text=shown))
    return element


def write_ods(path: Path, sheets: dict[str, Rows]) -> Path:
    """An .ods file with these sheets, each one's rows from its cell A1."""
    document = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        for row in rows:
            element = TableRow()
            for cell in row:
                element.addElement(_ods_cell(cell))
            table.addElement(element)
        document.spreadsheet.addElement(table)
    document.save(str(path))
    return path
