"""The --summary file of a batch run: one CSV row per input record, for a spreadsheet at the desk."""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from factorcheck.batch.record_scoring import SummaryRow
from factorcheck.errors import OutputError
from factorcheck.private_files import private_output


class SummaryFile:
    """Writes summary rows as they come, in input order (or nothing, without --summary)."""

    def __init__(self, stream: BinaryIO | None, with_id: bool, what: str = "the summary") -> None:
        self._stream = stream
        self._what = what
        self._with_id = with_id
        self._text = io.StringIO()
        self._writer = csv.writer(self._text, lineterminator="\r\n")
        if stream is not None:
            heading = ["line", *(["id"] if with_id else []), "level", "screen complete"]
            self._write_rows([[*heading, "mechanisms", "factors", "error"]])

    @classmethod
    @contextlib.contextmanager
    def open(cls, path: Path | None, with_id: bool) -> Iterator[SummaryFile]:
        """The summary file at `path`, private and written whole or not at all; None: no file."""
        if path is None:
            yield cls(None, with_id)
            return
        with private_output(path, f"--summary {path}") as stream:
            yield cls(stream, with_id, f"--summary {path}")

    def write(self, rows: Iterable[SummaryRow]) -> None:
        if self._stream is None:
            return
        self._write_rows(self._cells(row) for row in rows)

    def _cells(self, row: SummaryRow) -> list[object]:
        # A routine report whose screen is incomplete comes as ROUTINE_INCOMPLETE, so that a
        # filter on "routine" never picks up a record whose safety screen was not done.
        line, record_id, level, complete, mechanisms, factors, error = row
        shown = [line, *([record_id] if self._with_id else []), level]
        return [*shown, ("yes" if complete else "no") if level else "", mechanisms, factors, error]

    def _write_rows(self, rows: Iterable[Iterable[object]]) -> None:
        assert self._stream is not None
        self._writer.writerows(rows)
        try:
            self._stream.write(self._text.getvalue().encode("utf-8"))
        except OSError as error:
            raise OutputError(error, self._what) from error
        self._text.seek(0)
        self._text.truncate()
