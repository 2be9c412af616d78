"""Governance metadata of rules: status, review, rationale, evidence grades, checked as they load."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast, get_args

from factorcheck.answers.suggestions import did_you_mean
from factorcheck.errors import RuleFileError

Status = Literal["draft", "active", "retired"]
STATUSES: tuple[Status, ...] = get_args(Status)
EvidenceType = Literal["supports", "qualifies"]
EVIDENCE_TYPES: tuple[EvidenceType, ...] = get_args(EvidenceType)
# The most a review may be planned ahead of the last one.
MAX_REVIEW_MONTHS = 24
NOT_REVIEWED = "not yet clinically reviewed"
REVIEWED = "clinically reviewed"

# Keys a rule may carry besides its logic and wording; each may also be given once for all
# rules under governance.defaults in ruleset.yaml, except the ones in PER_RULE_KEYS.
DEFAULTABLE_KEYS = (
    "status",
    "version",
    "author",
    "reviewers",
    "approved",
    "last_reviewed",
    "next_review",
    "changes",
)
PER_RULE_KEYS = ("rationale", "population", "limitations")
RULE_KEYS = (*DEFAULTABLE_KEYS, *PER_RULE_KEYS)
# Keys of an evidence entry besides its text and branch.
EVIDENCE_KEYS = ("type", "grade")
MANIFEST_KEYS = ("grading", "defaults")

Fail = Callable[[str], RuleFileError]


@dataclass(frozen=True)
class Change:
    """One version's entry in a rule's change log."""

    version: str
    date: datetime.date
    summary: str


@dataclass(frozen=True)
class Grade:
    """How an evidence entry bears on a rule: its type and its grade in the rule set's scheme."""

    type: EvidenceType
    grade: str


@dataclass(frozen=True)
class RuleGovernance:
    """Who wrote and reviewed a rule, when, why a clinician should accept it, and its limits."""

    status: Status
    version: str
    author: str
    reviewers: tuple[str, ...]
    approved: datetime.date
    last_reviewed: datetime.date
    next_review: datetime.date
    rationale: str
    population: str
    limitations: str
    changes: tuple[Change, ...]
    # One per evidence line of the rule, in order.
    evidence: tuple[Grade, ...]

    @property
    def review_state(self) -> str:
        return f"{REVIEWED} by {', '.join(self.reviewers)}" if self.reviewers else NOT_REVIEWED


@dataclass(frozen=True)
class Grading:
    """The scheme evidence is graded in: its name, each grade's meaning, and the expert-opinion grade."""

    scheme: str
    grades: Mapping[str, str]
    expert_opinion: str


@dataclass(frozen=True)
class Settings:
    """The rule set's grading scheme and the metadata every rule has unless it says otherwise."""

    grading: Grading
    defaults: Mapping[str, Any]


def _hint(word: object, options: Sequence[str]) -> str:
    return did_you_mean(word, options) or " Allowed: " + ", ".join(options) + "."


def _text(fail: Fail, data: Mapping[str, Any], key: str, what: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise fail(f'{what} needs "{key}": a non-empty text.')
    return " ".join(value.split())


def _date(fail: Fail, data: Mapping[str, Any], key: str, what: str) -> datetime.date:
    value = data.get(key)
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise fail(f'{what} needs "{key}": a date written YYYY-MM-DD, got {value!r}.')


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day where it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("every month has at least 28 days")


def parse_settings(fail: Fail, data: object) -> Settings:
    """The `governance` block of ruleset.yaml."""
    if not isinstance(data, dict):
        raise fail('"governance" is required: {grading: {scheme, grades, expert_opinion}, defaults: {...}}.')
    for key in data:
        if key not in MANIFEST_KEYS:
            raise fail(f'"governance" has an unknown key "{key}".{_hint(key, MANIFEST_KEYS)}')
    grading = data.get("grading")
    if not isinstance(grading, dict) or set(grading) != {"scheme", "grades", "expert_opinion"}:
        raise fail('"governance.grading" needs exactly "scheme", "grades" and "expert_opinion".')
    grades = grading["grades"]
    if (
        not isinstance(grades, dict)
        or not grades
        or not all(isinstance(v, str) and v for v in grades.values())
    ):
        raise fail('"governance.grading.grades" maps each grade to what it means.')
    expert = grading["expert_opinion"]
    if expert not in grades:
        raise fail(
            f'"governance.grading.expert_opinion" must be one of the grades.{_hint(expert, list(grades))}'
        )
    if "expert opinion" not in grades[expert].lower():
        raise fail(
            f'grade {expert}, the expert-opinion grade, must be named "expert opinion" in its meaning.'
        )
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise fail('"governance.defaults" must be a mapping.')
    for key in defaults:
        if key not in DEFAULTABLE_KEYS:
            extra = " (written per rule)" if key in PER_RULE_KEYS else ""
            raise fail(f'"governance.defaults" cannot hold "{key}"{extra}.{_hint(key, DEFAULTABLE_KEYS)}')
    scheme = _text(fail, grading, "scheme", '"governance.grading"')
    return Settings(
        Grading(scheme, {str(k): " ".join(v.split()) for k, v in grades.items()}, str(expert)), defaults
    )


def _changes(fail: Fail, value: object, version: str) -> tuple[Change, ...]:
    if not isinstance(value, list) or not value:
        raise fail('"changes" needs a change log: a list of {version, date, summary}, one per version.')
    found: list[Change] = []
    for number, entry in enumerate(value, start=1):
        what = f"change #{number}"
        if not isinstance(entry, dict) or set(entry) != {"version", "date", "summary"}:
            raise fail(f"{what} needs exactly version, date and summary.")
        found.append(
            Change(
                _text(fail, entry, "version", what),
                _date(fail, entry, "date", what),
                _text(fail, entry, "summary", what),
            )
        )
    versions = [change.version for change in found]
    if len(set(versions)) != len(versions):
        raise fail('"changes" has more than one entry for a version.')
    if version not in versions:
        raise fail(f'"changes" has no entry for the rule\'s version {version}.')
    return tuple(found)


def parse_rule_governance(
    fail: Fail, rule: Mapping[str, Any], evidence: object, settings: Settings
) -> RuleGovernance:
    """One rule's metadata (its own fields over the rule set's defaults) and its evidence grades;
    raises through `fail` naming the field."""
    data = {**settings.defaults, **{key: rule[key] for key in RULE_KEYS if key in rule}}
    status = data.get("status")
    if status not in STATUSES:
        raise fail(f'"status" must be one of {", ".join(STATUSES)}.{_hint(status, STATUSES)}')
    version = _text(fail, data, "version", "a rule")
    reviewers = data.get("reviewers")
    if not isinstance(reviewers, list) or not all(isinstance(r, str) and r.strip() for r in reviewers):
        raise fail('"reviewers" must be a list of names (empty when no clinician has reviewed the rule).')
    approved = _date(fail, data, "approved", "a rule")
    last_reviewed = _date(fail, data, "last_reviewed", "a rule")
    next_review = _date(fail, data, "next_review", "a rule")
    if last_reviewed < approved:
        raise fail('"last_reviewed" is before "approved".')
    if not last_reviewed < next_review <= add_months(last_reviewed, MAX_REVIEW_MONTHS):
        raise fail(
            f'"next_review" must fall after "last_reviewed" and at most {MAX_REVIEW_MONTHS} months after it.'
        )
    grades: list[Grade] = []
    for number, entry in enumerate(evidence if isinstance(evidence, list) else [], start=1):
        what = f"evidence #{number}"
        if not isinstance(entry, dict):
            raise fail(
                f'{what} needs "type" and "grade": write it as {{text: "...", type: ..., grade: ...}}.'
            )
        kind = entry.get("type")
        if kind not in EVIDENCE_TYPES:
            raise fail(f'{what} needs "type": how it bears on the rule.{_hint(kind, EVIDENCE_TYPES)}')
        grade = entry.get("grade")
        if grade not in settings.grading.grades:
            raise fail(
                f'{what} needs "grade" in the rule set\'s scheme.'
                + _hint(grade, list(settings.grading.grades))
            )
        grades.append(Grade(cast(EvidenceType, kind), str(grade)))
    return RuleGovernance(
        status=cast(Status, status),
        version=version,
        author=_text(fail, data, "author", "a rule"),
        reviewers=tuple(" ".join(r.split()) for r in reviewers),
        approved=approved,
        last_reviewed=last_reviewed,
        next_review=next_review,
        rationale=_text(fail, data, "rationale", "a rule"),
        population=_text(fail, data, "population", "a rule"),
        limitations=_text(fail, data, "limitations", "a rule"),
        changes=_changes(fail, data.get("changes"), version),
        evidence=tuple(grades),
    )


def runs(governance: RuleGovernance | None, include_drafts: bool) -> bool:
    """Whether a rule takes part in evaluation: active ones always, drafts when asked, never retired."""
    if governance is None:
        return True
    return governance.status == "active" or (include_drafts and governance.status == "draft")


def overdue(governance: RuleGovernance | None, as_of: datetime.date) -> bool:
    """Whether the rule's next review date has passed on `as_of`."""
    return governance is not None and governance.next_review < as_of
