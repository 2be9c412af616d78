"""Reading a batch's input: its format, JSON Lines lines or byte spans, CSV rows, with line numbers."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from factorcheck.answers.spreadsheet_input import (
    SPREADSHEET_EXTENSIONS,
    SPREADSHEET_FORMATS,
    spreadsheet_signature,
)
from factorcheck.batch.record_scoring import NOT_UTF8, Record
from factorcheck.errors import FactorcheckError

# "fhir" is JSON Lines with a QuestionnaireResponse on every line (any JSON Lines line that says
# it is a resource is read as one anyway).
FORMATS = ("jsonl", "csv", "fhir", *SPREADSHEET_FORMATS)
_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", **SPREADSHEET_EXTENSIONS}
SPAN_BYTES = 196608  # about worker_pool.CHUNK_RECORDS lines of JSON Lines


@dataclass(frozen=True)
class Span:
    """Whole lines of a JSON Lines file, by byte range: a worker reads them itself, so the main
    process does not pass every line through a pipe."""

    path: str
    start: int
    length: int
    first_line: int

    def records(self) -> list[Record]:
        with Path(self.path).open("rb") as stream:
            stream.seek(self.start)
            data = stream.read(self.length)
        lines = data.split(b"\n")
        if lines and not lines[-1]:
            lines.pop()  # after the last newline
        return [(self.first_line + number, line) for number, line in enumerate(lines) if not _blank(line)]


@dataclass(frozen=True)
class CsvOptions:
    """How to read a CSV or a spreadsheet: the CSV's delimiter (None: told from the header), the
    columns to skip, and the spreadsheet's sheet (a name or a number from 1; None: the first)."""

    delimiter: str | None = None
    ignore_columns: tuple[str, ...] = ()
    ignore_unknown_columns: bool = False
    sheet: str | None = None


def input_format(source: str, given: str | None) -> str:
    """The input format: as given, or from the file's extension."""
    if given:
        return given
    found = _EXTENSIONS.get(Path(source).suffix.lower()) if source != "-" else None
    if found is None:
        where = "standard input" if source == "-" else source
        raise FactorcheckError(
            f"cannot tell whether {where} is JSON Lines, CSV or a spreadsheet; give --input-format "
            "jsonl, csv, fhir, xlsx, xls or ods."
        )
    return found


def file_spans(path: str, stream: BinaryIO) -> Iterator[Span]:
    """The file as runs of whole lines of about SPAN_BYTES each, with their first line number."""
    offset, line, carry = 0, 1, b""
    while True:
        block = stream.read(SPAN_BYTES)
        data = carry + block if carry else block
        if not block:
            if data:  # a last line without a newline
                yield Span(path, offset, len(data), line)
            return
        cut = data.rfind(b"\n") + 1
        if cut == 0:  # no line end yet: a very long line
            carry = data
            continue
        yield Span(path, offset, cut, line)
        offset += cut
        line += data.count(b"\n", 0, cut)
        carry = data[cut:]


def _blank(line: bytes) -> bool:
    # Unlike strip(), isspace() copies nothing, and stops at a line's first character.
    return not line or line.isspace()


def json_lines(stream: BinaryIO) -> Iterator[Record]:
    # Without its newline, as Span.records gives a line: a record's error reads the same
    # whatever the number of workers.
    for number, line in enumerate(stream, start=1):
        if not _blank(line):
            # Without its newline, as Span.records gives it: a record reads (and its error is
            # worded) the same whoever reads it.
            yield number, line[:-1] if line.endswith(b"\n") else line


class CsvLines:
    """The lines of a CSV file for csv.reader, decoded one by one: a line that is not UTF-8 is
    noted by its number (its record becomes an error record) and read on with replacements, so
    that one bad byte does not end the run."""

    def __init__(self, stream: BinaryIO) -> None:
        self._lines = iter(stream)
        self.number = 0
        self.not_utf8: list[int] = []

    def __iter__(self) -> CsvLines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.number += 1
        try:
            return line.decode("utf-8-sig" if self.number == 1 else "utf-8")
        except UnicodeDecodeError:
            self.not_utf8.append(self.number)
            return line.decode("utf-8", "replace")

    def bad_since(self, start: int) -> bool:
        """Whether a line from `start` to the last one read was not UTF-8 (forgetting older ones)."""
        if not self.not_utf8:
            return False
        found = self.not_utf8[-1] >= start
        self.not_utf8.clear()
        return found


def _csv_problem(error: csv.Error) -> str:
    """What a csv.Error means, for the error record of the row it stopped."""
    text = str(error)
    if "field limit" in text:
        return f"a cell is longer than {csv.field_size_limit():,} characters."
    if "unexpected end of data" in text:
        return "a quoted cell is never closed: its closing quote is missing (the rest of the file is in it)."
    return f"the row is not well-formed CSV: {text}."


def csv_rows(reader: Iterator[list[str]], lines: CsvLines) -> Iterator[Record]:
    """Each record with the line it starts on; a row the csv module cannot read, or whose text is
    not UTF-8, becomes an error message in its place and the reading goes on."""
    start = lines.number + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            lines.bad_since(start)
            yield start, _csv_problem(error)
        else:
            if lines.bad_since(start):
                yield start, NOT_UTF8
            elif row:  # not a blank line
                yield start, row
        start = lines.number + 1


def read_header(reader: Iterator[list[str]], lines: CsvLines) -> list[str]:
    try:
        for row in reader:
            if lines.bad_since(1):
                raise FactorcheckError(f"the CSV header (line {lines.number}) is not UTF-8 text.")
            if row:
                return row
    except csv.Error as error:
        raise FactorcheckError(f"the CSV header (line {lines.number}): {_csv_problem(error)}") from error
    raise FactorcheckError("the CSV is empty: it needs a header of item ids.")


def open_input(source: str) -> BinaryIO:
    try:
        return Path(source).open("rb")
    except FileNotFoundError as error:
        raise FactorcheckError(f"cannot read {source}: no such file.") from error
    except OSError as error:
        raise FactorcheckError(f"cannot read {source}: {error.strerror}.") from error


def input_size(stream: BinaryIO) -> int | None:
    try:
        return os.fstat(stream.fileno()).st_size or None
    except (OSError, ValueError, io.UnsupportedOperation):
        return None


def header_delimiter(binary: BinaryIO) -> str:
    """ "," or ";" (as spreadsheets set to a decimal comma write), told from the header line,
    which is looked at without being read past (standard input cannot be rewound)."""
    if binary.seekable():
        start = binary.tell()
        first = binary.readline()
        binary.seek(start)
    else:
        peek = getattr(binary, "peek", None)
        first = peek(65536).split(b"\n", 1)[0] if peek is not None else b""
    return ";" if first.count(b";") > first.count(b",") else ","


def spreadsheet_kind(binary: BinaryIO) -> str | None:
    """Which spreadsheet file the input is, by how it begins (looked at without being read past)."""
    if binary.seekable():
        start = binary.tell()
        first = binary.read(8)
        binary.seek(start)
    else:
        peek = getattr(binary, "peek", None)
        first = peek(8)[:8] if peek is not None else b""
    return spreadsheet_signature(first)
