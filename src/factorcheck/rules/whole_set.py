"""Checks across the whole rule set, once every file is parsed: unique ids and sound references.

Each check here looks at the rules together rather than one at a time; a new one (a property of
the set, not of a single rule) belongs here, run by `check_whole_set`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from factorcheck.errors import RuleFileError
from factorcheck.rules.reader import hint
from factorcheck.rules.ruleset import Rule, referenced_rules


def check_whole_set(rules: Sequence[Rule]) -> list[Rule]:
    """The rules, each with its stage, once the set passes every whole-set check."""
    return _assign_stages(rules)


def _assign_stages(rules: Sequence[Rule]) -> list[Rule]:
    """Each rule's stage: 0, or one more than the latest stage of the rules it tests. Ids must be
    unique and every tested rule must exist, with no cycle of references."""
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
                    f'it tests rule "{ref}", which does not exist.' + hint(ref, list(by_id)),
                )
            depth = max(depth, 1 + stage_of(by_id[ref], (*visiting, rule.id)))
        stages[rule.id] = depth
        return depth

    return [replace(rule, stage=stage_of(rule, ())) for rule in rules]
