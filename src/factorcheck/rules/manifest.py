"""Parsing ruleset.yaml: version, article, rule files, named conditions, levels and messages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from factorcheck.rules.conditions import parse_condition
from factorcheck.rules.governance import Settings, parse_settings
from factorcheck.rules.reader import Reader
from factorcheck.rules.rule_files import MANIFEST, load_yaml
from factorcheck.rules.ruleset import LEVELS, Article, Condition, Messages, TriageLevel

_MANIFEST_KEYS = ("version", "article", "files", "conditions", "levels", "messages", "governance")


@dataclass(frozen=True)
class Manifest:
    """What ruleset.yaml declares, each part checked."""

    version: str
    article: Article
    # The rule files, in report order.
    files: tuple[str, ...]
    named: Mapping[str, Condition]
    levels: tuple[TriageLevel, ...]
    messages: Messages
    # The grading scheme of the evidence and the review metadata every rule inherits.
    governance: Settings


def parse_manifest(rules_dir: Path) -> Manifest:
    """The manifest of a rules folder, which must list every other .yaml file in it."""
    reader = Reader(MANIFEST)
    manifest = reader.mapping(load_yaml(rules_dir / MANIFEST, MANIFEST), "the manifest", _MANIFEST_KEYS)
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
        named[name] = parse_condition(Reader(MANIFEST, f"(condition {name})"), data, named)

    levels = _parse_levels(reader, manifest.get("levels"))
    message_keys = tuple(Messages.__dataclass_fields__)
    message_data = reader.mapping(manifest.get("messages"), '"messages"', message_keys)
    messages = Messages(**{key: reader.text(message_data, key, '"messages"') for key in message_keys})
    settings = parse_settings(reader.fail, manifest.get("governance"))
    return Manifest(version, article, tuple(names), named, levels, messages, settings)


def _parse_levels(reader: Reader, raw_levels: object) -> tuple[TriageLevel, ...]:
    """The triage levels, highest first, each ranked (routine 0)."""
    levels: list[TriageLevel] = []
    if not isinstance(raw_levels, list) or [
        level.get("id") for level in raw_levels if isinstance(level, dict)
    ] != list(LEVELS):
        raise reader.fail(f'"levels" must list {", ".join(LEVELS)}, highest first.')
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
    return tuple(levels)
