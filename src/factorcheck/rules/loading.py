"""Loading rules/ into a Ruleset, checking every rule against the questionnaire as it loads."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Mapping, Sequence
from dataclasses import replace
from importlib.resources import files
from pathlib import Path
from typing import Any, cast, get_args

import yaml

from factorcheck.answers.derived import DERIVED_BY_NAME
from factorcheck.answers.questionnaire import ITEMS_BY_ID
from factorcheck.answers.suggestions import did_you_mean
from factorcheck.answers.validate import find_problems
from factorcheck.errors import RuleFileError
from factorcheck.rules import governance
from factorcheck.rules.ruleset import (
    KINDS,
    OPS,
    RULE_PREFIX,
    AllOf,
    AnyOf,
    Article,
    Compare,
    Condition,
    Examples,
    Fired,
    Kind,
    Level,
    Messages,
    Rule,
    Ruleset,
    Scalar,
    TriageLevel,
    Wording,
    referenced_rules,
)
from factorcheck.rules.strict_yaml import StrictYamlError, load_strict_yaml

MANIFEST = "ruleset.yaml"
# Limits, documented in rules/README.md. A rule file is a few kilobytes; anything near this is
# not one. Conditions are a few levels deep.
MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 20
# The engine compiles one durable_rules rule per branch of a condition in disjunctive form (an
# "all" of "any"s multiplies out): the shipped rules have at most 11 per rule and 73 in all.
# durable_rules 2.0.28 fails on more than about 255 compiled rules that share one comparison
# (error 108) and hangs on more than 512 distinct comparisons following one another; a rule set
# within MAX_BRANCHES stays clear of both, and each rule within MAX_RULE_BRANCHES.
MAX_RULE_BRANCHES = 64
MAX_BRANCHES = 250
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
_LEVELS: tuple[Level, ...] = get_args(Level)


def default_rules_dir() -> Path:
    """The rule files shipped inside the package."""
    return Path(str(files("factorcheck") / "rules"))


def _hint(word: object, options: Sequence[str]) -> str:
    return did_you_mean(word, options) or " Allowed: " + ", ".join(options) + "."


class _Reader:
    """Reads one file's content, turning every problem into a RuleFileError that names it."""

    def __init__(self, path: str, rule: str | None = None) -> None:
        self.path = path
        self.rule = rule

    def fail(self, reason: str) -> RuleFileError:
        return RuleFileError(self.path, self.rule, reason)

    def mapping(self, value: object, what: str, allowed: Sequence[str]) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(f"{what} must be a mapping of keys to values, got {type(value).__name__}.")
        for key in value:
            if key not in allowed:
                raise self.fail(f'{what} has an unknown key "{key}".{_hint(key, allowed)}')
        return cast(Mapping[str, Any], value)

    def text(self, data: Mapping[str, Any], key: str, what: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f'{what} needs "{key}": a non-empty text (quote it if YAML reads it otherwise).')
        return " ".join(value.split())

    def texts(self, data: Mapping[str, Any], key: str, what: str) -> tuple[str, ...]:
        value = data.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            raise self.fail(f'{what} needs "{key}": a non-empty list of texts.')
        return tuple(" ".join(v.split()) for v in value)


def _read_rule_file(path: Path, display: str) -> str:
    """A rule file's text: a regular file of at most MAX_FILE_BYTES, in UTF-8."""
    try:
        with path.open("rb") as stream:
            # The kind of what was opened (a link is followed): a device such as /dev/zero, a
            # pipe or a folder could be read without end.
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise RuleFileError(display, None, "is not a regular file (a device, a pipe or a folder?).")
            data = stream.read(MAX_FILE_BYTES + 1)
    except IsADirectoryError as error:
        raise RuleFileError(display, None, "is not a regular file but a folder.") from error
    except OSError as error:
        raise RuleFileError(display, None, f"cannot be read: {error.strerror}") from error
    if len(data) > MAX_FILE_BYTES:
        raise RuleFileError(
            display, None, f"is larger than {MAX_FILE_BYTES:,} bytes, the most a rule file may hold."
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise RuleFileError(
            display, None, f"is not UTF-8 text (byte {data[error.start]:#04x} on line {line})."
        ) from error


def _load_yaml(path: Path, display: str) -> Any:
    text = _read_rule_file(path, display)
    try:
        return load_strict_yaml(text)
    except (StrictYamlError, yaml.YAMLError) as error:
        raise RuleFileError(display, None, f"not valid YAML: {error}") from error


# --- conditions -------------------------------------------------------------------------------


def _value_fits(type_name: str, choices: tuple[str, ...], value: object) -> bool:
    if type_name == "boolean":
        return isinstance(value, bool)
    if type_name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, str) and value in choices


def _check_compare(reader: _Reader, name: str, op: str, value: object) -> Compare:
    type_name: str
    if name in ITEMS_BY_ID:
        item = ITEMS_BY_ID[name]
        type_name, choices, allowed = item.type, item.choices, item.allowed()
    elif name in DERIVED_BY_NAME:
        type_name, choices = DERIVED_BY_NAME[name].type, ()
        allowed = {"boolean": "true or false", "integer": "a whole number"}.get(type_name, "a number")
    else:
        raise reader.fail(
            f'the condition tests "{name}", which is neither a questionnaire item nor a derived value.'
            + _hint(name, [*ITEMS_BY_ID, *DERIVED_BY_NAME])
        )
    if type_name == "choices":
        raise reader.fail(
            f'"{name}" is a list item and cannot be compared directly; '
            'test the derived value "inflammatory_diagnosed" instead.'
        )
    ordered = type_name in ("integer", "number")
    if op in ("lt", "lte", "gt", "gte") and not ordered:
        raise reader.fail(f'"{op}" compares numbers, but "{name}" is {allowed}; use "eq" or "in".')
    values = value if op == "in" else [value]
    if op == "in" and (not isinstance(value, list) or not value):
        raise reader.fail(f'"in" on "{name}" needs a non-empty list of values.')
    for one in cast(list[object], values):
        if not _value_fits(type_name, choices, one):
            hint = did_you_mean(one, choices) if isinstance(one, str) else ""
            raise reader.fail(f'"{name}" {op} {one!r}: the value must be {allowed}.{hint}')
        # The body-mass index decides exactly against thresholds of up to six decimals (see
        # answers/derived.py); a finer one could be decided in floating point.
        if name == "bmi" and isinstance(one, float) and round(one, 6) != one:
            raise reader.fail(f'"bmi" {op} {one!r}: a body-mass index threshold has at most six decimals.')
    if op == "in":
        return Compare(name, "in", tuple(cast(list[Scalar], value)))
    return Compare(name, cast(Any, op), cast(Scalar, value))


def _parse_condition(
    reader: _Reader, data: object, named: Mapping[str, Condition], depth: int = 1
) -> Condition:
    if depth > MAX_DEPTH:
        raise reader.fail(f"the condition is nested more than {MAX_DEPTH} levels deep; write it flatter.")
    if not isinstance(data, dict):
        raise reader.fail(f"a condition must be a mapping, got {data!r}.")
    if "all" in data or "any" in data:
        reader.mapping(data, "an all/any condition", ("all", "any"))
        if len(data) != 1:
            raise reader.fail('a condition has either "all" or "any", not both.')
        key, parts = next(iter(data.items()))
        if not isinstance(parts, list) or not parts:
            raise reader.fail(f'"{key}" needs a non-empty list of conditions.')
        parsed = tuple(_parse_condition(reader, part, named, depth + 1) for part in parts)
        return AllOf(parsed) if key == "all" else AnyOf(parsed)
    if "condition" in data:
        reader.mapping(data, "a named-condition reference", ("condition",))
        name = data["condition"]
        if name not in named:
            raise reader.fail(f'no named condition "{name}" in {MANIFEST}.{_hint(name, list(named))}')
        return named[name]
    if "rule" in data:
        reader.mapping(data, "a rule reference", ("rule", "note"))
        return Fired(str(data["rule"]), str(data.get("note", "")))
    if "item" in data:
        leaf = reader.mapping(data, "a comparison", ("item", "note", *OPS))
        ops = [key for key in leaf if key in OPS]
        if len(ops) != 1:
            raise reader.fail(
                f'the comparison on "{leaf["item"]}" needs exactly one operator of {", ".join(OPS)}.'
            )
        compare = _check_compare(reader, str(leaf["item"]), ops[0], leaf[ops[0]])
        note = leaf.get("note", "")
        return Compare(compare.name, compare.op, compare.value, " ".join(str(note).split()))
    keys = ", ".join(str(k) for k in data)
    raise reader.fail(
        f"a condition needs one of all, any, item, rule or condition; got {keys}.{_hint(keys, OPS)}"
    )


# --- rules ------------------------------------------------------------------------------------


def _parse_examples(reader: _Reader, data: object) -> Examples:
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
            _, problems = find_problems(answers)
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


def _example(reader: _Reader, what: str, case: object) -> tuple[Mapping[str, object], Level | None]:
    """An example's answer set and the triage level it expects: written either as the answer set
    itself, or as {answers: ..., level: ...}."""
    if not isinstance(case, dict) or "answers" not in case:
        return cast(Mapping[str, object], case), None
    entry = reader.mapping(case, what, ("answers", "level"))
    level = entry.get("level")
    if level not in _LEVELS:
        raise reader.fail(f'{what}: "level" is the report\'s expected triage level.{_hint(level, _LEVELS)}')
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


def _branch(reader: _Reader, value: object, branches: list[str], what: str) -> str:
    if not isinstance(value, str) or value not in branches:
        raise reader.fail(
            f'{what} has "branch": {value!r}, which is not in the rule\'s condition; a branch is '
            f"one of: {', '.join(dict.fromkeys(branches))}.{_hint(value, branches)}"
        )
    return value


def _parse_evidence(
    reader: _Reader, data: object, branches: list[str]
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


def _parse_wordings(reader: _Reader, data: object, branches: list[str]) -> tuple[Wording, ...]:
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
    reader = _Reader(path, str(rule_id) if rule_id else None)
    rule = reader.mapping(data, "a rule", _RULE_KEYS)
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise reader.fail(f'every rule needs an "id" in snake_case, got {rule_id!r}.')
    level = rule.get("level")
    if kind == "triage" and level not in _LEVELS[:-1]:
        raise reader.fail(f"a triage rule needs a level of {', '.join(_LEVELS[:-1])}.{_hint(level, _LEVELS)}")
    if kind != "triage" and level is not None:
        raise reader.fail('only triage rules have a "level".')
    source = rule.get("source")
    if source is not None and source not in sections:
        raise reader.fail(f'"source" must be a section heading of the article.{_hint(source, sections)}')
    if kind in ("mechanism", "approach") and source is None:
        raise reader.fail('"source" (the article section this rule comes from) is required.')
    if "when" not in rule:
        raise reader.fail('"when" (the rule\'s condition) is required.')
    self_care = rule.get("self_care", False)
    if not isinstance(self_care, bool):
        raise reader.fail(f'"self_care" must be true or false, got {self_care!r}.')
    if self_care and kind != "approach":
        raise reader.fail('only approaches have "self_care" (advice a person may act on alone).')
    when = _parse_condition(reader, rule["when"], named)
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


def _parse_rule_file(
    path: Path,
    display: str,
    named: Mapping[str, Condition],
    sections: tuple[str, ...],
    settings: governance.Settings,
) -> list[Rule]:
    reader = _Reader(display)
    document = reader.mapping(_load_yaml(path, display), "the file", ("kind", "rules"))
    kind = document.get("kind")
    if kind not in KINDS:
        raise reader.fail(f'"kind" must be one of {", ".join(KINDS)}.{_hint(kind, KINDS)}')
    rules = document.get("rules")
    if not isinstance(rules, list) or not rules:
        raise reader.fail('"rules" must be a non-empty list.')
    return [_parse_rule(display, cast(Kind, kind), rule, named, sections, settings) for rule in rules]


def _assign_stages(rules: list[Rule]) -> list[Rule]:
    by_id: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in by_id:
            raise RuleFileError(rule.path, rule.id, f"the id is already used in {by_id[rule.id].path}.")
        by_id[rule.id] = rule
    stages: dict[str, int] = {}

    def stage_of(rule: Rule, visiting: tuple[str, ...]) -> int:
        if rule.id in stages:
            return stages[rule.id]
        if rule.id in visiting:
            raise RuleFileError(rule.path, rule.id, "rule references form a cycle: " + " -> ".join(visiting))
        depth = 0
        for ref in sorted(referenced_rules(rule.when)):
            if ref not in by_id:
                raise RuleFileError(
                    rule.path,
                    rule.id,
                    f'it tests rule "{ref}", which does not exist.' + _hint(ref, list(by_id)),
                )
            depth = max(depth, 1 + stage_of(by_id[ref], (*visiting, rule.id)))
        stages[rule.id] = depth
        return depth

    return [replace(rule, stage=stage_of(rule, ())) for rule in rules]


def _checked(rules: list[Rule]) -> list[Rule]:
    _check_branches(rules)
    return rules


def _check_branches(rules: Sequence[Rule]) -> None:
    """Refuse a rule, or a rule set, with more branches than the engine can hold, counted
    without multiplying anything out (rule references resolved, as the engine inlines them)."""
    by_id = {rule.id: rule for rule in rules}
    counted: dict[str, int] = {}

    def branches(condition: Condition) -> int:
        # Saturated just past the limit: the count of a runaway condition stays a small number.
        if isinstance(condition, Compare):
            return 1
        if isinstance(condition, Fired):
            if condition.rule not in counted:
                counted[condition.rule] = branches(by_id[condition.rule].when)
            return counted[condition.rule]
        if isinstance(condition, AnyOf):
            return min(sum(branches(part) for part in condition.parts), MAX_BRANCHES + 1)
        total = 1
        for part in condition.parts:
            total = min(total * branches(part), MAX_BRANCHES + 1)
        return total

    total = 0
    for rule in rules:
        if rule.id not in counted:
            counted[rule.id] = branches(rule.when)
        if counted[rule.id] > MAX_RULE_BRANCHES:
            shown = (
                f"{counted[rule.id]:,}" if counted[rule.id] <= MAX_BRANCHES else f"more than {MAX_BRANCHES:,}"
            )
            raise RuleFileError(
                rule.path,
                rule.id,
                f'the condition has {shown} branches (each way it can hold, with its "any"s multiplied '
                f"out), more than the {MAX_RULE_BRANCHES} a rule may have; split the rule or simplify it.",
            )
        total += counted[rule.id]
    if total > MAX_BRANCHES:
        raise RuleFileError(
            MANIFEST,
            None,
            f"the rule set has {total:,} branches in all, more than the {MAX_BRANCHES} the rules engine "
            "(durable_rules) is known to hold; remove rules or simplify their conditions.",
        )


# --- the manifest -----------------------------------------------------------------------------


def _rule_files_digest(rules_dir: Path, names: Sequence[str]) -> str:
    """SHA-256 over each file's name, byte length and content (line ends as LF), in name order."""
    digest = hashlib.sha256()
    for name in sorted(names):
        content = (rules_dir / name).read_bytes().replace(b"\r\n", b"\n")
        digest.update(f"{name}\n{len(content)}\n".encode())
        digest.update(content)
    return "sha256:" + digest.hexdigest()


def load_ruleset(rules_dir: Path | None = None, *, include_drafts: bool = False) -> Ruleset:
    """Load and check every rule file; raises RuleFileError naming the file, rule and reason.
    Only active rules take part, and drafts too with `include_drafts`."""
    rules_dir = rules_dir or default_rules_dir()
    reader = _Reader(MANIFEST)
    manifest_keys = ("version", "article", "files", "conditions", "levels", "messages", "governance")
    manifest = reader.mapping(_load_yaml(rules_dir / MANIFEST, MANIFEST), "the manifest", manifest_keys)
    version = manifest.get("version")
    if not isinstance(version, str) or not version:
        raise reader.fail('"version" must be a text such as "1.0.0" (quote it).')
    article_data = reader.mapping(manifest.get("article"), '"article"', ("title", "published", "sections"))
    article = Article(
        title=reader.text(article_data, "title", '"article"'),
        published=reader.text(article_data, "published", '"article"'),
        sections=reader.texts(article_data, "sections", '"article"'),
    )
    names = manifest.get("files")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names) or not names:
        raise reader.fail('"files" must list the rule files, in report order.')
    unlisted = sorted(p.name for p in rules_dir.glob("*.yaml") if p.name not in (*names, MANIFEST))
    if unlisted:
        raise reader.fail(f'{", ".join(unlisted)} is in the rules folder but not listed under "files".')

    named: dict[str, Condition] = {}
    conditions = manifest.get("conditions") or {}
    for name, data in reader.mapping(conditions, '"conditions"', list(conditions)).items():
        named[name] = _parse_condition(_Reader(MANIFEST, f"(condition {name})"), data, named)

    levels: list[TriageLevel] = []
    raw_levels = manifest.get("levels")
    if not isinstance(raw_levels, list) or [
        level.get("id") for level in raw_levels if isinstance(level, dict)
    ] != list(_LEVELS):
        raise reader.fail(f'"levels" must list {", ".join(_LEVELS)}, highest first.')
    for rank, level_data in enumerate(reversed(raw_levels)):
        entry = reader.mapping(level_data, "a level", ("id", "title", "action", "consult", "self_care"))
        self_care = entry.get("self_care")
        if not isinstance(self_care, bool):
            raise reader.fail(
                f'level {entry["id"]} needs "self_care": true if the report may show self-care advice '
                f"at this level, false if care comes first; got {self_care!r}."
            )
        levels.insert(
            0,
            TriageLevel(
                id=entry["id"],
                rank=rank,
                title=reader.text(entry, "title", "a level"),
                action=reader.text(entry, "action", "a level"),
                consult=reader.text(entry, "consult", f"level {entry['id']}"),
                self_care=self_care,
            ),
        )
    message_keys = tuple(Messages.__dataclass_fields__)
    message_data = reader.mapping(manifest.get("messages"), '"messages"', message_keys)
    messages = Messages(**{key: reader.text(message_data, key, '"messages"') for key in message_keys})

    settings = governance.parse_settings(reader.fail, manifest.get("governance"))
    rules: list[Rule] = []
    for name in names:
        rules.extend(_parse_rule_file(rules_dir / name, name, named, article.sections, settings))
    rules = [rule for rule in rules if governance.runs(rule.governance, include_drafts)]
    return Ruleset(
        version=version,
        digest=_rule_files_digest(rules_dir, [MANIFEST, *names]),
        rules=tuple(_checked(_assign_stages(rules))),
        levels=tuple(levels),
        messages=messages,
        article=article,
        governance=settings,
    )
