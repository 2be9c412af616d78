"""The options `factorcheck ask` runs with, as the command line gives them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class AskOptions:
    """What the person asked of `factorcheck ask`, one field per option of the command."""

    resume: Path | None = None
    save_answers: Path | None = None
    answers_format: str | None = None
    output: Path | None = None
    format: str = "text"
    plain: bool = False
    date: datetime.date | None = None
    rules: Path | None = None
    allow_below_floor: bool = False
