"""The tally of a batch run: what it did, the summary line that says so, and the exit code that follows."""

from __future__ import annotations

from dataclasses import dataclass, field

from factorcheck.batch.record_scoring import EMERGENCIES_NAMED, LEVELS, ChunkResult
from factorcheck.errors import ExitCode


@dataclass
class Totals:
    """What a run did, for the summary line and the exit code."""

    reports: int = 0
    invalid: int = 0
    first_invalid_line: int | None = None
    elapsed: float = 0.0
    levels: list[int] = field(default_factory=lambda: [0] * len(LEVELS))
    incomplete: int = 0
    emergencies: list[str] = field(default_factory=list)

    def add(self, result: ChunkResult) -> None:
        self.reports += result.reports
        self.invalid += result.invalid
        if self.first_invalid_line is None:
            self.first_invalid_line = result.first_invalid_line
        self.levels = [total + count for total, count in zip(self.levels, result.levels, strict=True)]
        self.incomplete += result.incomplete
        self.emergencies += result.emergencies[: EMERGENCIES_NAMED - len(self.emergencies)]

    def summary_line(self) -> str:
        """The line on stderr that ends every run."""
        processed, elapsed = self.reports + self.invalid, self.elapsed
        rate = f", {processed / elapsed:,.0f} records/s" if elapsed > 0 and processed else ""
        invalid = ""
        if self.invalid:
            invalid = f", {self.invalid:,} invalid (the first on line {self.first_invalid_line})"
        levels = ""
        if self.reports:
            counts = ", ".join(f"{level} {count:,}" for level, count in zip(LEVELS, self.levels, strict=True))
            levels = f" ({counts}; safety screen incomplete in {self.incomplete:,})"
        emergencies = ""
        if self.emergencies:
            more = " and more" if self.levels[0] > len(self.emergencies) else ""
            emergencies = f"; emergencies: {', '.join(self.emergencies)}{more}"
        return (
            f"factorcheck batch: {processed:,} records: {self.reports:,} reports{levels}{invalid}"
            f"{emergencies}; {elapsed:.1f} s{rate}.\n"
        )

    @property
    def return_code(self) -> int:
        """The run's exit code: 2 when any record was invalid, else 0."""
        return ExitCode.INVALID_INPUT if self.invalid else ExitCode.OK
