"""Loading rules/ into a Ruleset: the manifest, then every rule file, then the whole-set checks.

This is the rules stage alone. What the rules engine can hold (durable_rules' limits) is the
engine's to check: engine/loading.py loads a rule set and checks both.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from factorcheck.rules import governance
from factorcheck.rules.manifest import parse_manifest
from factorcheck.rules.rule_files import MANIFEST, rule_files_digest
from factorcheck.rules.rule_parsing import parse_rule_file
from factorcheck.rules.ruleset import Rule, Ruleset
from factorcheck.rules.whole_set import check_whole_set


def default_rules_dir() -> Path:
    """The rule files shipped inside the package."""
    return Path(str(files("factorcheck") / "rules"))


def load_ruleset(rules_dir: Path | None = None, *, include_drafts: bool = False) -> Ruleset:
    """Load and check every rule file; raises RuleFileError naming the file, rule and reason.
    Only active rules take part, and drafts too with `include_drafts`."""
    rules_dir = rules_dir or default_rules_dir()
    manifest = parse_manifest(rules_dir)
    rules: list[Rule] = []
    for name in manifest.files:
        rules.extend(
            parse_rule_file(
                rules_dir / name, name, manifest.named, manifest.article.sections, manifest.governance
            )
        )
    rules = [rule for rule in rules if governance.runs(rule.governance, include_drafts)]
    return Ruleset(
        version=manifest.version,
        digest=rule_files_digest(rules_dir, [MANIFEST, *manifest.files]),
        rules=tuple(check_whole_set(rules)),
        levels=manifest.levels,
        messages=manifest.messages,
        article=manifest.article,
        governance=manifest.governance,
    )
