"""Scoring batch records: one JSON line, CSV row or sheet row in, one output line (a report or an error) out.

Compiled with mypyc (see pyproject.toml); `worker_pool.py` runs it in worker processes. The two
dataclasses here cross between processes, so they are not frozen: mypyc cannot unpickle a
frozen dataclass it compiled.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import orjson

from factorcheck.answers.csv_input import RowReader, merge_problems
from factorcheck.answers.fhir.reading import answers_from_response
from factorcheck.answers.json_input import loads_plain_object, loads_strict
from factorcheck.answers.shown import without_surrogates, without_surrogates_in
from factorcheck.answers.spreadsheet_input import SPREADSHEET_FORMATS, SheetCells, SheetRowReader
from factorcheck.answers.validate import describe_value, find_problems
from factorcheck.assessment import Assessor
from factorcheck.errors import InvalidAnswersError, InvalidJsonError, OutputError, Problem
from factorcheck.private_files import write_private
from factorcheck.report.decisions import Decisions
from factorcheck.report.render import format_report
from factorcheck.rules.ruleset import Ruleset

RECORD = "(record)"
NOT_UTF8 = "the line is not UTF-8 text."
# Whole-number identifiers are copied to the output as numbers; a bound keeps that cheap (and
# within what Python writes: a number of thousands of digits it refuses).
_ID_DIGITS = 100
_LARGEST_ID = 10**_ID_DIGITS - 1
# A record's outcome: its id, and the report's decisions (a valid record) or its problems.
Outcome = tuple[object, Decisions | None, list[Problem]]
# The formats --reports writes, and the ending of each file.
REPORT_SUFFIXES = {"markdown": ".md", "html": ".html"}
_UNSAFE_IN_NAMES = re.compile(r"[^A-Za-z0-9._-]+")


def report_file_name(line: int, record_id: object, suffix: str = ".md") -> str:
    """The file name of a record's report: its line, and its id made safe for a file name."""
    name = f"line-{line:06d}"
    safe = "" if record_id is None else _UNSAFE_IN_NAMES.sub("_", str(record_id))[:80].strip("._")
    return f"{name}-{safe}{suffix}" if safe else f"{name}{suffix}"


# A record as read: its line number, and the line (JSON Lines), the cells (CSV: a list of texts;
# a spreadsheet: a tuple of cells as the file stores them, numbered by the sheet's row) or, for a
# record that could not be read at all (a CSV row the csv module refused), why not.
Record = tuple[int, bytes | list[str] | SheetCells | str]


@dataclass
class BatchOptions:
    """What every process needs to score records the same way."""

    input_format: str
    ruleset: Ruleset
    id_field: str | None = None
    header: tuple[str, ...] = ()
    # With --summary: one SummaryRow per record comes back with each chunk.
    summary_rows: bool = False
    # With --reports: each process writes a report per valid record into this folder, in this
    # format ("markdown" or "html").
    reports_dir: str | None = None
    reports_format: str = "markdown"
    # The date those reports say they were made (None: the day each is made).
    report_date: datetime.date | None = None
    # A semicolon-separated CSV: its number cells may have a decimal comma.
    decimal_comma: bool = False
    # A spreadsheet: the sheet's name and the index of its first column (for cell references).
    sheet_name: str = ""
    first_column: int = 0


# How a run counts reports: by triage level, most urgent first, with a routine report whose
# safety screen is incomplete counted apart, so that it never passes for plain routine.
ROUTINE_INCOMPLETE = "routine (screen incomplete)"
LEVELS = ("emergency", "urgent", "soon", "routine", ROUTINE_INCOMPLETE)
# How many emergencies a run's summary line names.
EMERGENCIES_NAMED = 5

# One record of a --summary file: line, id ("" without --id-field), triage level as counted
# ("" for an invalid record), safety screen complete, the mechanisms and factors
# (";"-separated), the error.
SummaryRow = tuple[int, str, str, bool, str, str, str]


@dataclass
class ChunkResult:
    """The output lines of a chunk of records (without their newlines), and what they hold.

    `lines` is empty when a worker left them in the shared buffer it was given; `length` is
    their size in bytes, newlines included, either way.
    """

    lines: list[bytes]
    length: int
    reports: int
    invalid: int
    first_invalid_line: int | None
    # Reports by level, in LEVELS order, and how many (of any level) have an incomplete screen.
    levels: list[int]
    incomplete: int
    # The first few emergencies, each as its id or "line N".
    emergencies: list[str]
    rows: list[SummaryRow]


def error_record(
    line: int, problems: Iterable[Problem], record_id: object = None, with_id: bool = False
) -> bytes:
    """The output line for an invalid record: it has "error" where a report has "triage"."""
    error = {"line": line, "problems": [{"item": p.item, "message": p.message} for p in problems]}
    return _compact_json({"id": record_id, "error": error} if with_id else {"error": error})


def unexpected_problem(error: Exception) -> Problem:
    """The error of a record that met a fault of factorcheck's own: its kind only, never its text,
    which could repeat the record's answers."""
    return Problem(
        RECORD,
        f"could not be scored because of an unexpected error in factorcheck ({type(error).__name__}); "
        "the other records were scored. Please report it.",
    )


def _compact_json(value: object) -> bytes:
    """Compact UTF-8 JSON, as reports are written; where orjson refuses a value (a lone surrogate
    in a text, a whole number beyond 64 bits), the json module writes it instead, each lone
    surrogate as the text of its escape, so that strict (I-JSON) readers read every line."""
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        return json.dumps(without_surrogates_in(value), separators=(",", ":")).encode()


def _usable_id(record_id: object) -> bool:
    if isinstance(record_id, bool) or not isinstance(record_id, str | int) or record_id == "":
        return False
    if isinstance(record_id, str) and without_surrogates(record_id) != record_id:
        return False  # not text (bytes that were not UTF-8): it could not be carried as it is
    return not isinstance(record_id, int) or -_LARGEST_ID <= record_id <= _LARGEST_ID


def _id_problem(id_field: str, record_id: object) -> Problem:
    shown = describe_value(record_id)
    return Problem(
        id_field,
        f"the identifier must be a text or a whole number of up to {_ID_DIGITS} digits, not {shown}.",
    )


class RecordScorer:
    """Turns records into output lines; one per process, each with its own engine."""

    def __init__(self, options: BatchOptions) -> None:
        self.options = options
        self.assessor = Assessor(options.ruleset)
        self._rows = (
            RowReader(options.header, options.id_field, options.decimal_comma)
            if options.input_format == "csv"
            else None
        )
        self._sheet_rows = (
            SheetRowReader(options.header, options.id_field, options.sheet_name, options.first_column)
            if options.input_format in SPREADSHEET_FORMATS
            else None
        )
        self._fhir = options.input_format == "fhir"

    def score_chunk(self, records: list[Record]) -> ChunkResult:
        """The output lines of a chunk of records, in order, as UTF-8, with what they hold."""
        # One small bytes object per record, and the newlines added where they are written:
        # joining or extending them here would copy every report once more.
        lines: list[bytes] = []
        length = reports = invalid = incomplete = 0
        first_invalid: int | None = None
        levels = [0] * len(LEVELS)
        emergencies: list[str] = []
        rows: list[SummaryRow] = []
        keep_rows = self.options.summary_rows
        for line, payload in records:
            output, outcome = self.score(line, payload)
            lines.append(output)
            length += len(output) + 1
            record_id, decided, problems = outcome
            if decided is not None:
                reports += 1
                level: str = decided.level.id
                if decided.unanswered_safety_items:
                    incomplete += 1
                    if level == "routine":
                        level = ROUTINE_INCOMPLETE
                levels[LEVELS.index(level)] += 1
                if level == "emergency" and len(emergencies) < EMERGENCIES_NAMED:
                    emergencies.append(f"line {line}" if record_id is None else str(record_id))
                if keep_rows:
                    rows.append(
                        (
                            line,
                            "" if record_id is None else str(record_id),
                            level,
                            not decided.unanswered_safety_items,
                            ";".join(decided.mechanisms),
                            ";".join(decided.factors),
                            "",
                        )
                    )
            else:
                invalid += 1
                first_invalid = first_invalid or line
                if keep_rows:
                    error = "; ".join(str(problem) for problem in problems)
                    rows.append((line, "" if record_id is None else str(record_id), "", False, "", "", error))
        return ChunkResult(
            lines, length, reports, invalid, first_invalid, levels, incomplete, emergencies, rows
        )

    def score(self, line: int, payload: bytes | list[str] | SheetCells | str) -> tuple[bytes, Outcome]:
        """One record's output line, and its outcome: the id, and the report's decisions or the
        record's problems. A fault of factorcheck's own while scoring the record becomes the
        record's error, and the run goes on; only a report file that cannot be written (a full
        disk) ends it, naming the file."""
        with_id = self.options.id_field is not None
        record_id: object = None
        try:
            raw, record_id, problems = self._read(payload, line)
            if not problems:
                # The raw answers are this record's own, read from its line or row, and are only
                # read again (for --reports): no copy is needed.
                report, decided = self.assessor.assess_to_json_decided(raw, handed_over=True)
                if self.options.reports_dir is not None:
                    self._write_report(line, record_id, raw)
                if with_id:
                    report = b'{"id":' + _compact_json(record_id) + b"," + report[1:]
                return report, (record_id, decided, [])
        except InvalidAnswersError as error:
            problems = list(error.problems)
            if self._sheet_rows is not None:
                problems = self._sheet_rows.placed(line, problems)
        except OutputError:
            raise
        except Exception as error:  # one record's fault must not end the run
            problems = [unexpected_problem(error)]
        return error_record(line, problems, record_id, with_id), (record_id, None, problems)

    def _read(
        self, payload: bytes | list[str] | SheetCells | str, line: int
    ) -> tuple[object, object, list[Problem]]:
        if isinstance(payload, bytes):
            return self._from_json_line(line, payload)
        if isinstance(payload, str):
            return None, None, [Problem(RECORD, payload)]
        if isinstance(payload, tuple):
            return self._from_sheet_row(line, payload)
        return self._from_row(payload)

    def _write_report(self, line: int, record_id: object, raw: object) -> None:
        """The record's report for a person to read, as a private file named by line and id."""
        assert self.options.reports_dir is not None
        fmt = self.options.reports_format
        report = self.assessor.assess(raw)
        text = format_report(report, fmt, self.options.ruleset, self.options.report_date)
        path = Path(self.options.reports_dir) / report_file_name(line, record_id, REPORT_SUFFIXES[fmt])
        try:
            write_private(path, text)
        except OSError as error:
            raise OutputError(error, f"the report {path}") from error

    def _from_json_line(self, line: int, payload: bytes) -> tuple[object, object, list[Problem]]:
        """The raw answers, the record id and, when the record is already known to be invalid,
        every problem it has."""
        try:
            # Typed as any JSON value: mypyc checks types at run time, and a line may hold a list.
            raw: object = loads_plain_object(payload)
            if raw is None:
                raw = loads_strict(payload.decode("utf-8-sig" if line == 1 else "utf-8"))
        except UnicodeDecodeError:
            return None, None, [Problem(RECORD, NOT_UTF8)]
        except InvalidJsonError as error:
            return None, None, [Problem(RECORD, str(error))]
        # One key lookup per line: plain answer sets never have a resourceType (it is no item).
        if self._fhir or (isinstance(raw, dict) and "resourceType" in raw):
            return self._from_resource(raw)
        id_field = self.options.id_field
        if id_field is None:
            return raw, None, []
        if not isinstance(raw, dict) or id_field not in raw:
            # The answers are still checked, so the record lists every problem at once.
            problem = Problem(id_field, "is missing; --id-field asks every record for its identifier.")
            return raw, None, [problem, *find_problems(raw)[1]]
        record_id = raw.pop(id_field)
        if not _usable_id(record_id):
            return raw, None, [_id_problem(id_field, record_id), *find_problems(raw)[1]]
        return raw, record_id, []

    def _from_resource(self, resource: object) -> tuple[object, object, list[Problem]]:
        """Like _from_json_line, for a QuestionnaireResponse: --id-field names one of its top-level
        elements (such as "id")."""
        id_field = self.options.id_field
        record_id: object = None
        problems: list[Problem] = []
        if id_field is not None:
            if not isinstance(resource, dict) or id_field not in resource:
                problems.append(
                    Problem(id_field, "is missing; --id-field asks every record for its identifier.")
                )
            else:
                record_id = resource.pop(id_field)
                if not _usable_id(record_id):
                    problems.append(_id_problem(id_field, record_id))
                    record_id = None
        raw, fhir_problems = answers_from_response(resource)
        return raw, record_id, problems + fhir_problems

    def _from_row(self, row: list[str]) -> tuple[object, object, list[Problem]]:
        """Like _from_json_line, for a CSV row."""
        assert self._rows is not None
        if len(row) != self._rows.width:
            problem = Problem(RECORD, f"the row has {len(row)} cells but the header has {self._rows.width}.")
            return None, None, [problem]
        record_id = self._rows.record_id(row)
        problems: list[Problem] = []
        if self.options.id_field and record_id is None:
            problems.append(
                Problem(self.options.id_field, "is empty; --id-field asks every row for its identifier.")
            )
        raw, cell_problems = self._rows.answers(row)
        if problems or cell_problems:
            problems += merge_problems(raw, cell_problems)
        return raw, record_id, problems

    def _from_sheet_row(self, line: int, cells: SheetCells) -> tuple[object, object, list[Problem]]:
        """Like _from_row, for a row of a spreadsheet (`line` is its row number)."""
        assert self._sheet_rows is not None
        record_id, id_problem = self._sheet_rows.record_id(line, cells)
        problems: list[Problem] = [] if id_problem is None else [id_problem]
        raw, cell_problems = self._sheet_rows.answers(line, cells)
        if problems or cell_problems:
            problems += self._sheet_rows.problems(line, raw, cell_problems)
        return raw, record_id, problems
