"""The rule set as loaded from rules/: rules, their conditions, wording and identity."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

from factorcheck.rules.governance import NOT_REVIEWED, REVIEWED, RuleGovernance, Settings

# A rule a condition tests, as a basis it held on (beside item and derived-value names).
RULE_PREFIX = "rule:"
Op = Literal["eq", "in", "lt", "lte", "gt", "gte"]
OPS: tuple[Op, ...] = ("eq", "in", "lt", "lte", "gt", "gte")
Scalar = bool | int | float | str
Kind = Literal["triage", "mechanism", "factor", "approach"]
KINDS: tuple[Kind, ...] = ("triage", "mechanism", "factor", "approach")
Level = Literal["emergency", "urgent", "soon", "routine"]
# Highest first.
LEVELS: tuple[Level, ...] = get_args(Level)


@dataclass(frozen=True)
class Compare:
    """Holds when the answer item or derived value `name` compares true with `value`."""

    name: str
    op: Op
    value: Scalar | tuple[Scalar, ...]
    note: str = ""


@dataclass(frozen=True)
class Fired:
    """Holds when the rule `rule` (evaluated in an earlier stage) has fired."""

    rule: str
    note: str = ""


@dataclass(frozen=True)
class AllOf:
    """Holds when every part holds."""

    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    """Holds when at least one part holds."""

    parts: tuple[Condition, ...]


Condition = Compare | Fired | AllOf | AnyOf


@dataclass(frozen=True)
class Examples:
    """Answer sets (raw, as written in the rule file) on which the rule must or must not fire,
    and for each the report's triage level it expects, where the example states one."""

    must_fire: tuple[Mapping[str, object], ...]
    must_not_fire: tuple[Mapping[str, object], ...]
    must_fire_levels: tuple[Level | None, ...] = ()
    must_not_fire_levels: tuple[Level | None, ...] = ()


@dataclass(frozen=True)
class Wording:
    """A rule's title and explanation for when it held on one branch (for example, already diagnosed)."""

    branch: str
    title: str
    explanation: str


@dataclass(frozen=True)
class Rule:
    """One rule: what it concludes, when, why, on whose authority, and its own test cases."""

    id: str
    kind: Kind
    title: str
    explanation: str
    when: Condition
    evidence: tuple[str, ...]
    examples: Examples
    path: str
    source: str | None = None
    level: Level | None = None
    # An approach a person may act on alone (rest, ice, pain relievers): left out of the human
    # report at a level that withholds self-care until the person has been seen.
    self_care: bool = False
    # For each evidence line, the branch (a basis: an item, a derived value or "rule:ID") it
    # supports, or None for evidence about the whole rule; empty when no line is tied.
    evidence_branches: tuple[str | None, ...] = ()
    # Wordings for particular branches, the first whose branch held replacing title and explanation.
    wordings: tuple[Wording, ...] = ()
    # Rules that test other rules' conclusions run after them; stage 0 reads answers only.
    stage: int = 0
    # Status, review and rationale (rules/governance.py); None only for a rule built in code.
    governance: RuleGovernance | None = None

    def evidence_for(self, bases: Collection[str]) -> list[str]:
        """The evidence lines for a report where the rule held on these bases: the untied ones and
        those of branches that held."""
        if not self.evidence_branches:
            return list(self.evidence)
        return [
            text
            for text, branch in zip(self.evidence, self.evidence_branches, strict=True)
            if branch is None or branch in bases
        ]

    def wording_for(self, bases: Collection[str]) -> tuple[str, str]:
        """The title and explanation for a report where the rule held on these bases."""
        for wording in self.wordings:
            if wording.branch in bases:
                return wording.title, wording.explanation
        return self.title, self.explanation


@dataclass(frozen=True)
class TriageLevel:
    """A triage level: what a person at that level should do, and how the report closes for them."""

    id: Level
    rank: int
    title: str
    action: str
    # The closing consult message, worded for the level (after an emergency: no waiting for a
    # physiotherapist).
    consult: str
    # Whether the human report may show self-care advice; false where care comes first.
    self_care: bool


@dataclass(frozen=True)
class Messages:
    """The fixed sentences a report may show, kept with the rules so they are versioned with them."""

    education_notice: str
    no_mechanism: str
    no_pain: str
    screen_incomplete: str
    screen_complete: str


@dataclass(frozen=True)
class Article:
    """The source article, for citations."""

    title: str
    published: str
    sections: tuple[str, ...]


@dataclass(frozen=True)
class Ruleset:
    """Every rule, in report order, with the wording and identity (version, digest) they ship with."""

    version: str
    digest: str
    rules: tuple[Rule, ...]
    levels: tuple[TriageLevel, ...]
    messages: Messages
    article: Article
    # The warning signs this rule set brings below the safety floor, set by the engine's loading
    # (engine/safety_floor.py) when the person allowed it: () when it holds the floor, None when
    # the floor has not been checked.
    below_safety_floor: tuple[str, ...] | None = None
    # The grading scheme and defaults of the rule metadata; None only for a rule set built in code.
    governance: Settings | None = None
    by_id: Mapping[str, Rule] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {rule.id: rule for rule in self.rules})

    def of_kind(self, kind: Kind) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.kind == kind)

    def level(self, level_id: str) -> TriageLevel:
        return next(level for level in self.levels if level.id == level_id)

    @property
    def review_state(self) -> str:
        """Whether a clinician has reviewed every rule: what the book's cover and reports say."""
        reviewed = all(rule.governance and rule.governance.reviewers for rule in self.rules)
        return REVIEWED if reviewed and self.rules else NOT_REVIEWED

    @property
    def stages(self) -> int:
        return 1 + max((rule.stage for rule in self.rules), default=0)


def referenced_rules(condition: Condition) -> set[str]:
    """The rules a condition tests with `rule:`."""
    if isinstance(condition, Fired):
        return {condition.rule}
    if isinstance(condition, AllOf | AnyOf):
        return set().union(*(referenced_rules(part) for part in condition.parts))
    return set()
