"""The report's shape, in one place: the JSON report's fields as typed dicts (docs/report.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

if TYPE_CHECKING:
    from factorcheck.rules.ruleset import Ruleset


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


class RulesetIdentity(TypedDict):
    version: str
    digest: str
    # Whether a clinician has reviewed the rules ("not yet clinically reviewed" until one has).
    review_state: str
    # Only when the rules were allowed below the safety floor: the warning signs they lower.
    below_safety_floor: NotRequired[list[str]]


def ruleset_identity(ruleset: Ruleset) -> RulesetIdentity:
    """The report's "ruleset" object for reports made with this rule set."""
    identity: RulesetIdentity = {
        "version": ruleset.version,
        "digest": ruleset.digest,
        "review_state": ruleset.review_state,
    }
    if ruleset.below_safety_floor:
        identity["below_safety_floor"] = list(ruleset.below_safety_floor)
    return identity


class Report(TypedDict):
    tool: dict[str, str]
    ruleset: RulesetIdentity
    answers: dict[str, Any]
    triage: Triage
    notices: list[str]
    mechanisms: list[Finding]
    factors: list[Finding]
    approaches: list[Finding]
    consult: str
