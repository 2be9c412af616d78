"""The --summary file of a batch run: one row per input record, for a spreadsheet at the desk.

A file named .xlsx is a spreadsheet (XlsxWriter, row by row in its constant-memory mode): every
text is a text cell, so an id such as 00123 or =1+1 stays as written, and nothing becomes a
number, a date or a formula; the header row is frozen, and the rows of emergencies are marked.
Any other name is CSV, where a cell that a spreadsheet would run as a formula (one that starts
with =, +, -, @, a tab or a carriage return) is written with an apostrophe in front, as OWASP
advises against CSV injection.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from factorcheck.batch.record_scoring import SummaryRow
from factorcheck.errors import OutputError
from factorcheck.private_files import private_output

HEADING = ("line", "id", "level", "screen complete", "mechanisms", "factors", "error")
# What starts a formula in Excel, LibreOffice and Google Sheets, as OWASP lists it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The rows of one sheet of an .xlsx file (Excel's limit); more go on to a next sheet.
SHEET_ROWS = 1_048_576
# Widths of the .xlsx columns, in characters.
_WIDTHS = {
    "line": 8,
    "id": 14,
    "level": 26,
    "screen complete": 16,
    "mechanisms": 40,
    "factors": 40,
    "error": 80,
}
# Text that is no Unicode scalar value (a lone surrogate, from a JSON escape) cannot be written as
# UTF-8: it is written as the escape it came from.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _written(text: str) -> str:
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def neutralised(cell: str) -> str:
    """A CSV cell that no spreadsheet runs as a formula: an apostrophe before a formula's first character."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


class _CsvSheet:
    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._text = io.StringIO()
        self._writer = csv.writer(self._text, lineterminator="\r\n")

    def write(self, rows: Iterable[tuple[Sequence[object], bool]]) -> None:
        self._writer.writerows(
            [neutralised(_written(cell)) if isinstance(cell, str) else cell for cell in cells]
            for cells, _ in rows
        )
        self._stream.write(self._text.getvalue().encode("utf-8"))
        self._text.seek(0)
        self._text.truncate()

    def close(self) -> None:
        pass


class _XlsxSheet:
    """Rows into an .xlsx workbook as they come; the workbook is written out at close."""

    def __init__(self, stream: BinaryIO, heading: Sequence[str], scratch: str) -> None:
        import xlsxwriter

        # constant_memory: each row goes to a temporary file as it is written (in `scratch`, a
        # private folder removed afterwards), so memory stays flat however many rows. No text is
        # ever turned into a formula, a number or a link, even by write().
        self._workbook: Any = xlsxwriter.Workbook(
            stream,
            {
                "constant_memory": True,
                "tmpdir": scratch,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        self._heading = list(heading)
        self._bold = self._workbook.add_format({"bold": True})
        # The spreadsheets' own "light red fill with dark red text", bold: an emergency stands out.
        self._emergency = self._workbook.add_format(
            {"bold": True, "bg_color": "#FFC7CE", "font_color": "#9C0006"}
        )
        self._sheet: Any = None
        self._sheets = 0
        self._row = 0

    def _next_sheet(self) -> None:
        self._finish_sheet()
        self._sheets += 1
        self._sheet = self._workbook.add_worksheet(
            "summary" if self._sheets == 1 else f"summary {self._sheets}"
        )
        for column, name in enumerate(self._heading):
            self._sheet.set_column(column, column, _WIDTHS.get(name, 12))
            self._sheet.write_string(0, column, name, self._bold)
        self._sheet.freeze_panes(1, 0)
        self._row = 1

    def _finish_sheet(self) -> None:
        if self._sheet is not None:
            self._sheet.autofilter(0, 0, self._row - 1, len(self._heading) - 1)

    def write(self, rows: Iterable[tuple[Sequence[object], bool]]) -> None:
        for cells, emergency in rows:
            if self._sheet is None or self._row >= SHEET_ROWS:
                self._next_sheet()
            shown = self._emergency if emergency else None
            for column, cell in enumerate(cells):
                if isinstance(cell, int):
                    self._sheet.write_number(self._row, column, cell, shown)
                elif cell == "":
                    if shown is not None:  # an empty cell of a marked row, marked too
                        self._sheet.write_blank(self._row, column, None, shown)
                else:
                    self._sheet.write_string(self._row, column, _written(str(cell)), shown)
            self._row += 1

    def close(self) -> None:
        if self._sheet is None:
            self._next_sheet()
        self._finish_sheet()
        self._workbook.close()


class SummaryFile:
    """Writes summary rows as they come, in input order (or nothing, without --summary)."""

    def __init__(
        self, sheet: _CsvSheet | _XlsxSheet | None, with_id: bool, what: str = "the summary"
    ) -> None:
        self._sheet = sheet
        self._what = what
        self._with_id = with_id

    @staticmethod
    def heading(with_id: bool) -> list[str]:
        return [name for name in HEADING if with_id or name != "id"]

    @classmethod
    @contextlib.contextmanager
    def open(cls, path: Path | None, with_id: bool) -> Iterator[SummaryFile]:
        """The summary file at `path`, private and written whole or not at all; None: no file."""
        if path is None:
            yield cls(None, with_id)
            return
        what = f"--summary {path}"
        with private_output(path, what) as stream:
            if path.suffix.lower() != ".xlsx":
                sheet = _CsvSheet(stream)
                try:
                    sheet.write([(cls.heading(with_id), False)])
                except OSError as error:
                    raise OutputError(error, what) from error
                yield cls(sheet, with_id, what)
                return
            with tempfile.TemporaryDirectory(
                prefix="factorcheck-summary-", ignore_cleanup_errors=True
            ) as scratch:
                workbook = _XlsxSheet(stream, cls.heading(with_id), scratch)
                yield cls(workbook, with_id, what)
                try:
                    workbook.close()
                except OSError as error:
                    raise OutputError(error, what) from error
                except Exception as error:  # XlsxWriter's own errors, which wrap the system's
                    cause = error.__context__ if isinstance(error.__context__, OSError) else None
                    if cause is not None:
                        raise OutputError(cause, what) from error
                    raise

    def write(self, rows: Iterable[SummaryRow]) -> None:
        if self._sheet is None:
            return
        try:
            self._sheet.write((self._cells(row), row[2] == "emergency") for row in rows)
        except OSError as error:
            raise OutputError(error, self._what) from error

    def _cells(self, row: SummaryRow) -> list[object]:
        # A routine report whose screen is incomplete comes as ROUTINE_INCOMPLETE, so that a
        # filter on "routine" never picks up a record whose safety screen was not done.
        line, record_id, level, complete, mechanisms, factors, error = row
        shown = [line, *([record_id] if self._with_id else []), level]
        return [*shown, ("yes" if complete else "no") if level else "", mechanisms, factors, error]
