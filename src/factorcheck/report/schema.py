"""The report's shape, in one place: the JSON report's fields as typed dicts (docs/report.md)."""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict


class Reason(TypedDict):
    id: str
    level: str
    title: str
    explanation: str
    because: list[dict[str, Any]]
    evidence: list[str]


class Triage(TypedDict):
    level: str
    title: str
    action: str
    reasons: list[Reason]
    screen_complete: bool
    unanswered_safety_items: list[str]
    screen_note: str


class Finding(TypedDict):
    id: str
    title: str
    explanation: str
    because: list[dict[str, Any]]
    source: str | None
    evidence: list[str]
    approaches: NotRequired[list[str]]


class Report(TypedDict):
    tool: dict[str, str]
    ruleset: dict[str, str]
    answers: dict[str, Any]
    triage: Triage
    notices: list[str]
    mechanisms: list[Finding]
    factors: list[Finding]
    approaches: list[Finding]
    consult: str
