"""Parsing a rule file's rules: id, level, source, condition, evidence, wordings and examples."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import cast

from factorcheck.answers.validate import find_problems
from factorcheck.answers.validate_fast import quick_given
from factorcheck.rules import governance
from factorcheck.rules.conditions import parse_condition
from factorcheck.rules.reader import Reader, hint
from factorcheck.rules.rule_files import load_yaml
from factorcheck.rules.ruleset import (
    KINDS,
    LEVELS,
    RULE_PREFIX,
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Examples,
    Fired,
    Kind,
    Level,
    Rule,
    Wording,
)

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_RULE_KEYS = (
    "id",
    "title",
    "explanation",
    "when",
    "evidence",
    "examples",
    "source",
    "level",
    "self_care",
    "wordings",
    *governance.RULE_KEYS,
)


def _parse_examples(reader: Reader, data: object) -> Examples:
    block = reader.mapping(data, '"examples"', ("must_fire", "must_not_fire"))
    found: dict[str, tuple[Mapping[str, object], ...]] = {}
    levels: dict[str, tuple[Level | None, ...]] = {}
    for key in ("must_fire", "must_not_fire"):
        cases = block.get(key)
        if not isinstance(cases, list) or not cases:
            raise reader.fail(f'"examples" needs "{key}": a non-empty list of answer sets.')
        answer_sets: list[Mapping[str, object]] = []
        expected: list[Level | None] = []
        for number, case in enumerate(cases, start=1):
            answers, level = _example(reader, f"example {key} #{number}", case)
            # Every command loads the rules: a plainly valid example (nearly all) is passed by the
            # fast twin, so a start-up does not import pydantic; the reference validator explains the rest.
            problems = [] if quick_given(answers) is not None else find_problems(answers)[1]
            if problems:
                listed = "; ".join(str(p) for p in problems)
                raise reader.fail(f"example {key} #{number} is not a valid answer set: {listed}")
            answer_sets.append(answers)
            expected.append(level)
        found[key], levels[key] = tuple(answer_sets), tuple(expected)
    return Examples(
        must_fire=found["must_fire"],
        must_not_fire=found["must_not_fire"],
        must_fire_levels=levels["must_fire"],
        must_not_fire_levels=levels["must_not_fire"],
    )


def _example(reader: Reader, what: str, case: object) -> tuple[Mapping[str, object], Level | None]:
    """An example's answer set and the triage level it expects: written either as the answer set
    itself, or as {answers: ..., level: ...}."""
    if not isinstance(case, dict) or "answers" not in case:
        return cast(Mapping[str, object], case), None
    entry = reader.mapping(case, what, ("answers", "level"))
    level = entry.get("level")
    if level not in LEVELS:
        raise reader.fail(f'{what}: "level" is the report\'s expected triage level.{hint(level, LEVELS)}')
    return cast(Mapping[str, object], entry["answers"]), cast(Level, level)


def _branches(condition: Condition) -> list[str]:
    """Every basis a condition can hold on: its items, derived values and "rule:ID" references."""
    if isinstance(condition, Compare):
        return [condition.name]
    if isinstance(condition, Fired):
        return [RULE_PREFIX + condition.rule]
    if isinstance(condition, AllOf | AnyOf):
        return [name for part in condition.parts for name in _branches(part)]
    return []


def _branch(reader: Reader, value: object, branches: list[str], what: str) -> str:
    if not isinstance(value, str) or value not in branches:
        raise reader.fail(
            f'{what} has "branch": {value!r}, which is not in the rule\'s condition; a branch is '
            f"one of: {', '.join(dict.fromkeys(branches))}.{hint(value, branches)}"
        )
    return value


def _parse_evidence(
    reader: Reader, data: object, branches: list[str]
) -> tuple[tuple[str, ...], tuple[str | None, ...]]:
    """Evidence lines: a text about the whole rule, or {text, branch} for evidence of one branch."""
    if not isinstance(data, list) or not data:
        raise reader.fail('a rule needs "evidence": a non-empty list of texts.')
    texts: list[str] = []
    tied: list[str | None] = []
    for number, entry in enumerate(data, start=1):
        what = f"evidence #{number}"
        if isinstance(entry, str) and entry.strip():
            texts.append(" ".join(entry.split()))
            tied.append(None)
            continue
        line = reader.mapping(entry, what, ("text", "branch", *governance.EVIDENCE_KEYS))
        texts.append(reader.text(line, "text", what))
        tied.append(_branch(reader, line["branch"], branches, what) if "branch" in line else None)
    return tuple(texts), tuple(tied) if any(tied) else ()


def _parse_wordings(reader: Reader, data: object, branches: list[str]) -> tuple[Wording, ...]:
    if data is None:
        return ()
    if not isinstance(data, list) or not data:
        raise reader.fail('"wordings" must be a non-empty list of {branch, title, explanation}.')
    found = []
    for number, entry in enumerate(data, start=1):
        what = f"wording #{number}"
        wording = reader.mapping(entry, what, ("branch", "title", "explanation"))
        found.append(
            Wording(
                branch=_branch(reader, wording.get("branch"), branches, what),
                title=reader.text(wording, "title", what),
                explanation=reader.text(wording, "explanation", what),
            )
        )
    return tuple(found)


def _parse_rule(
    path: str,
    kind: Kind,
    data: object,
    named: Mapping[str, Condition],
    sections: tuple[str, ...],
    settings: governance.Settings,
) -> Rule:
    rule_id = data.get("id") if isinstance(data, dict) else None
    reader = Reader(path, str(rule_id) if rule_id else None)
    rule = reader.mapping(data, "a rule", _RULE_KEYS)
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise reader.fail(f'every rule needs an "id" in snake_case, got {rule_id!r}.')
    level = rule.get("level")
    if kind == "triage" and level not in LEVELS[:-1]:
        raise reader.fail(f"a triage rule needs a level of {', '.join(LEVELS[:-1])}.{hint(level, LEVELS)}")
    if kind != "triage" and level is not None:
        raise reader.fail('only triage rules have a "level".')
    source = rule.get("source")
    if source is not None and source not in sections:
        raise reader.fail(f'"source" must be a section heading of the article.{hint(source, sections)}')
    if kind in ("mechanism", "approach") and source is None:
        raise reader.fail('"source" (the article section this rule comes from) is required.')
    if "when" not in rule:
        raise reader.fail('"when" (the rule\'s condition) is required.')
    self_care = rule.get("self_care", False)
    if not isinstance(self_care, bool):
        raise reader.fail(f'"self_care" must be true or false, got {self_care!r}.')
    if self_care and kind != "approach":
        raise reader.fail('only approaches have "self_care" (advice a person may act on alone).')
    when = parse_condition(reader, rule["when"], named)
    evidence, evidence_branches = _parse_evidence(reader, rule.get("evidence"), _branches(when))
    return Rule(
        id=rule_id,
        kind=kind,
        title=reader.text(rule, "title", "a rule"),
        explanation=reader.text(rule, "explanation", "a rule"),
        when=when,
        evidence=evidence,
        evidence_branches=evidence_branches,
        wordings=_parse_wordings(reader, rule.get("wordings"), _branches(when)),
        examples=_parse_examples(reader, rule.get("examples")),
        path=path,
        source=source,
        level=cast(Level | None, level),
        self_care=self_care,
        governance=governance.parse_rule_governance(reader.fail, rule, rule.get("evidence"), settings),
    )


def parse_rule_file(
    path: Path,
    display: str,
    named: Mapping[str, Condition],
    sections: tuple[str, ...],
    settings: governance.Settings,
) -> list[Rule]:
    """The rules of one rule file, each checked on its own; `display` names the file in errors."""
    reader = Reader(display)
    document = reader.mapping(load_yaml(path, display), "the file", ("kind", "rules"))
    kind = document.get("kind")
    if kind not in KINDS:
        raise reader.fail(f'"kind" must be one of {", ".join(KINDS)}.{hint(kind, KINDS)}')
    rules = document.get("rules")
    if not isinstance(rules, list) or not rules:
        raise reader.fail('"rules" must be a non-empty list.')
    return [_parse_rule(display, cast(Kind, kind), rule, named, sections, settings) for rule in rules]
