"""What a rule change does: per-rule differences, then how the reports on a corpus of answer sets change.

The corpus is evaluated with both rule sets by the plain-Python twin of the engine (one generated
function per rule set, held equal to durable_rules by the tests), in up to two processes; every
answer set whose report changes (the first thousand of each chunk) and one in a hundred of the
rest are evaluated again on durable_rules, and a disagreement is an error.
"""

from __future__ import annotations

import multiprocessing
import os
import random
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factorcheck.answers.derived import facts_from_given
from factorcheck.answers.json_input import loads_strict, read_text
from factorcheck.answers.sampling import answer_set
from factorcheck.answers.validate import find_problems, given_answers, parse_answers
from factorcheck.answers.validate_fast import quick_given
from factorcheck.engine.closure_floor import ClosureEvaluator
from factorcheck.engine.durable import DurableEngine
from factorcheck.engine.evaluation import Evaluation, Evaluator
from factorcheck.engine.loading import load_ruleset as load_engine_ruleset
from factorcheck.engine.rule_examples import report_level
from factorcheck.engine.safety_floor import shortfalls
from factorcheck.errors import FactorcheckError
from factorcheck.governance.rule_text import rule_fields, rule_titles
from factorcheck.rules.ruleset import Ruleset

DEFAULT_GENERATED = 100_000
CHUNK = 10_000
EXAMPLES_PER_CHANGE = 5
RECHECK_EVERY = 100
RECHECK_CHANGED_PER_CHUNK = 1_000
LEVEL_ORDER = ("routine", "soon", "urgent", "emergency")
FINDING_KINDS = ("mechanism", "factor", "approach")


class ImpactError(FactorcheckError):
    """Raised when the corpus cannot be read or the engines disagree."""


@dataclass(frozen=True)
class LoadedSide:
    """One side of a diff: the folder, its rule set, and what it breaks of the safety floor."""

    folder: Path
    ruleset: Ruleset
    below_floor: tuple[str, ...]


def load_side(folder: Path, *, allow_below_floor: bool = True) -> LoadedSide:
    """Load a rule set for comparison, also one that lowers a warning sign below the safety floor
    (showing such a change is the point of a diff): what it breaks of the floor comes with it."""
    ruleset = load_engine_ruleset(folder, allow_below_floor=allow_below_floor)
    below = tuple(str(short) for short in shortfalls(ruleset)) if ruleset.below_safety_floor else ()
    return LoadedSide(folder, ruleset, below)


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class RuleChange:
    """A rule added, removed or changed, with the fields that differ."""

    rule: str
    change: str
    kind: str
    fields: tuple[FieldChange, ...] = ()


def rule_changes(old: Ruleset, new: Ruleset) -> list[RuleChange]:
    """Every rule that differs, in the new rule set's order, removed ones last."""
    old_titles, new_titles = rule_titles(old), rule_titles(new)
    changes: list[RuleChange] = []
    for rule in new.rules:
        if rule.id not in old.by_id:
            changes.append(RuleChange(rule.id, "added", rule.kind))
            continue
        before, after = rule_fields(old.by_id[rule.id], old_titles), rule_fields(rule, new_titles)
        differ = tuple(
            FieldChange(name, before.get(name, ""), after.get(name, ""))
            for name in dict.fromkeys([*before, *after])
            if before.get(name, "") != after.get(name, "")
        )
        if differ:
            changes.append(RuleChange(rule.id, "changed", rule.kind, differ))
    changes += [RuleChange(r.id, "removed", r.kind) for r in old.rules if r.id not in new.by_id]
    return changes


def ruleset_changes(old: Ruleset, new: Ruleset) -> list[FieldChange]:
    """The rule set's own texts that differ: version, levels and fixed messages."""

    def texts(ruleset: Ruleset) -> dict[str, str]:
        found = {"version": ruleset.version, "review state": ruleset.review_state}
        for level in ruleset.levels:
            for name in ("title", "action", "consult"):
                found[f"level {level.id} {name}"] = getattr(level, name)
            found[f"level {level.id} self_care"] = "yes" if level.self_care else "no"
        found |= {f"message {k}": v for k, v in vars(ruleset.messages).items()}
        return found

    before, after = texts(old), texts(new)
    return [
        FieldChange(name, before.get(name, ""), after.get(name, ""))
        for name in dict.fromkeys([*before, *after])
        if before.get(name, "") != after.get(name, "")
    ]


# --- the corpus -------------------------------------------------------------------------------


Outcome = tuple[str, frozenset[str]]


def outcome(ruleset: Ruleset, fired: Evaluation) -> Outcome:
    """What a report concludes: its triage level, and the mechanisms, factors and approaches."""
    return report_level(ruleset, fired), frozenset(
        rule_id for rule_id in fired if ruleset.by_id[rule_id].kind in FINDING_KINDS
    )


class _Outcomes:
    """`outcome` for one rule set, with its lookups made once (it runs for every answer set)."""

    def __init__(self, ruleset: Ruleset) -> None:
        ranks = {level.id: level.rank for level in ruleset.levels}
        self._rank = {rule.id: ranks[rule.level] for rule in ruleset.rules if rule.level}
        self._level = {level.rank: level.id for level in ruleset.levels}
        self._findings = {rule.id for rule in ruleset.rules if rule.kind in FINDING_KINDS}

    def __call__(self, fired: Evaluation) -> Outcome:
        rank = self._rank
        level = max((rank[rule_id] for rule_id in fired if rule_id in rank), default=0)
        return self._level[level], frozenset(fired.keys() & self._findings)


@dataclass
class Tally:
    """What changed on a share of the corpus."""

    total: int = 0
    changed: int = 0
    levels: Counter[tuple[str, str]] = field(default_factory=Counter)
    gained: Counter[str] = field(default_factory=Counter)
    lost: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    rechecked: int = 0
    disagreements: list[str] = field(default_factory=list)

    def example(self, key: str, answers: Mapping[str, object]) -> None:
        kept = self.examples.setdefault(key, [])
        if len(kept) < EXAMPLES_PER_CHANGE:
            kept.append(dict(answers))

    def add(self, other: Tally) -> None:
        self.total += other.total
        self.changed += other.changed
        self.levels.update(other.levels)
        self.gained.update(other.gained)
        self.lost.update(other.lost)
        for key, answers in other.examples.items():
            for one in answers:
                self.example(key, one)
        self.rechecked += other.rechecked
        self.disagreements += other.disagreements


def level_key(before: str, after: str) -> str:
    return f"level {before} -> {after}"


class _Scorer:
    """Evaluates answer sets on both rule sets; made before the worker processes fork."""

    def __init__(self, old: Ruleset, new: Ruleset) -> None:
        self.old, self.new = old, new
        self.fast: tuple[Evaluator, Evaluator] = (ClosureEvaluator(old), ClosureEvaluator(new))
        self.outcomes = (_Outcomes(old), _Outcomes(new))
        self._durable: tuple[Evaluator, Evaluator] | None = None

    def durable(self) -> tuple[Evaluator, Evaluator]:
        # Made in the process that uses it: the engine's state is not shared across a fork.
        if self._durable is None:
            self._durable = (DurableEngine(self.old), DurableEngine(self.new))
        return self._durable

    def tally(self, answer_sets: Iterable[Mapping[str, object]], first: int) -> Tally:
        tally = Tally()
        rechecks = 0
        for number, answers in enumerate(answer_sets, start=first):
            given = quick_given(answers)
            facts = facts_from_given(given if given is not None else given_answers(parse_answers(answers)))
            fired = (self.fast[0].evaluate(facts), self.fast[1].evaluate(facts))
            before, after = self.outcomes[0](fired[0]), self.outcomes[1](fired[1])
            tally.total += 1
            changed = before != after
            if (changed and rechecks < RECHECK_CHANGED_PER_CHUNK) or number % RECHECK_EVERY == 0:
                rechecks += changed
                tally.rechecked += 1
                slow = self.durable()
                for side, evaluator, fast in (("old", slow[0], fired[0]), ("new", slow[1], fired[1])):
                    if evaluator.evaluate(facts) != fast and len(tally.disagreements) < EXAMPLES_PER_CHANGE:
                        tally.disagreements.append(f"answer set #{number} ({side} rules)")
            if not changed:
                continue
            tally.changed += 1
            if before[0] != after[0]:
                tally.levels[(before[0], after[0])] += 1
                tally.example(level_key(before[0], after[0]), answers)
            for rule_id in sorted(after[1] - before[1]):
                key = f"{self.new.by_id[rule_id].kind} {rule_id}"
                tally.gained[key] += 1
                tally.example("gained " + key, answers)
            for rule_id in sorted(before[1] - after[1]):
                key = f"{self.old.by_id[rule_id].kind} {rule_id}"
                tally.lost[key] += 1
                tally.example("lost " + key, answers)
        return tally


_SCORER: _Scorer | None = None


def _generated_chunk(job: tuple[int, int, int]) -> Tally:
    seed, chunk, count = job
    assert _SCORER is not None
    rng = random.Random(seed * 1_000_003 + chunk)
    return _SCORER.tally((answer_set(rng) for _ in range(count)), chunk * CHUNK + 1)


def _given_chunk(job: tuple[int, Sequence[Mapping[str, object]]]) -> Tally:
    chunk, answer_sets = job
    assert _SCORER is not None
    return _SCORER.tally(answer_sets, chunk * CHUNK + 1)


def _run(jobs: Sequence[Any], work: Callable[[Any], Tally], workers: int) -> Tally:
    total = Tally()
    if workers > 1 and len(jobs) > 1 and "fork" in multiprocessing.get_all_start_methods():
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for part in pool.imap(work, jobs):
                total.add(part)
    else:
        for job in jobs:
            total.add(work(job))
    return total


def default_workers() -> int:
    return max(1, min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1))


def corpus_impact(
    old: Ruleset,
    new: Ruleset,
    *,
    answer_sets: Sequence[Mapping[str, object]] | None = None,
    generated: int = DEFAULT_GENERATED,
    seed: int = 1,
    workers: int | None = None,
) -> Tally:
    """How the reports change from `old` to `new` on the given answer sets, or on `generated` ones."""
    global _SCORER
    _SCORER = _Scorer(old, new)
    try:
        if answer_sets is not None:
            jobs: list[Any] = [
                (n, answer_sets[n * CHUNK : (n + 1) * CHUNK]) for n in range(-(-len(answer_sets) // CHUNK))
            ]
            tally = _run(jobs, _given_chunk, workers or default_workers())
        else:
            jobs = [(seed, n, min(CHUNK, generated - n * CHUNK)) for n in range(-(-generated // CHUNK))]
            tally = _run(jobs, _generated_chunk, workers or default_workers())
    finally:
        _SCORER = None
    if tally.disagreements:
        raise ImpactError(
            "the durable_rules engine and its plain-Python twin disagree on " + ", ".join(tally.disagreements)
        )
    return tally


def read_answer_sets(path: Path) -> list[dict[str, object]]:
    """Answer sets from a JSON Lines file (one object a line) or a JSON array; every one is
    checked, and the first invalid one is an error naming its line or position."""
    text = read_text(path, f"cannot read {path}")
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            entries = [(f"entry {n}", e) for n, e in enumerate(loads_strict(text), start=1)]
        except FactorcheckError as error:
            raise ImpactError(f"{path}: {error}") from error
    else:
        entries = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    entries.append((f"line {number}", loads_strict(line)))
                except FactorcheckError as error:
                    raise ImpactError(f"{path}, line {number}: {error}") from error
    answer_sets = []
    for where, raw in entries:
        _, problems = find_problems(raw)
        if problems:
            raise ImpactError(f"{path}, {where}: not a valid answer set: " + "; ".join(map(str, problems)))
        answer_sets.append(dict(raw))
    if not answer_sets:
        raise ImpactError(f"{path}: no answer sets in the file.")
    return answer_sets


def is_lower(before: str, after: str) -> bool:
    return LEVEL_ORDER.index(after) < LEVEL_ORDER.index(before)


def level_rows(tally: Tally) -> list[tuple[str, str, int, bool]]:
    """(from, to, count, lower) for each level change, every change to a lower level first, then
    by how far it moves and how often."""
    rows = [(b, a, n, is_lower(b, a)) for (b, a), n in tally.levels.items()]
    return sorted(
        rows,
        key=lambda row: (not row[3], -abs(LEVEL_ORDER.index(row[0]) - LEVEL_ORDER.index(row[1])), -row[2]),
    )
