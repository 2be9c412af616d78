"""The `rules diff` report: one JSON-ready document, and the same as text, level-downs first."""

from __future__ import annotations

import json
from typing import Any

from factorcheck.governance.impact import (
    LoadedSide,
    Tally,
    level_key,
    level_rows,
    rule_changes,
    ruleset_changes,
)

FLAG = "LOWER"


def diff_document(old: LoadedSide, new: LoadedSide, tally: Tally, corpus: str) -> dict[str, Any]:
    """Everything `rules diff` found, in the order it is shown."""

    def side(loaded: LoadedSide) -> dict[str, Any]:
        ruleset = loaded.ruleset
        return {
            "folder": str(loaded.folder),
            "version": ruleset.version,
            "digest": ruleset.digest,
            "rules": len(ruleset.rules),
            "review_state": ruleset.review_state,
            "below_safety_floor": list(loaded.below_floor),
        }

    return {
        "old": side(old),
        "new": side(new),
        "ruleset_changes": [vars(change) for change in ruleset_changes(old.ruleset, new.ruleset)],
        "rule_changes": [
            {
                "rule": change.rule,
                "change": change.change,
                "kind": change.kind,
                "fields": [vars(one) for one in change.fields],
            }
            for change in rule_changes(old.ruleset, new.ruleset)
        ],
        "corpus": {
            "source": corpus,
            "answer_sets": tally.total,
            "rechecked_on_durable_rules": tally.rechecked,
        },
        "reports_changed": tally.changed,
        "level_changes": [
            {
                "from": before,
                "to": after,
                "count": count,
                "lower": lower,
                "examples": tally.examples.get(level_key(before, after), []),
            }
            for before, after, count, lower in level_rows(tally)
        ],
        "gained": [
            {"finding": key, "count": count, "examples": tally.examples.get("gained " + key, [])}
            for key, count in sorted(tally.gained.items(), key=lambda pair: -pair[1])
        ],
        "lost": [
            {"finding": key, "count": count, "examples": tally.examples.get("lost " + key, [])}
            for key, count in sorted(tally.lost.items(), key=lambda pair: -pair[1])
        ],
    }


def _indented(text: str, prefix: str = "      ") -> str:
    return "\n".join(prefix + line for line in text.splitlines()) or prefix + "(none)"


def diff_text(document: dict[str, Any]) -> str:
    """The report for a person: floor warnings and level-downs at the top, then what changed."""
    lines: list[str] = []
    for name in ("old", "new"):
        for finding in document[name]["below_safety_floor"]:
            lines.append(f"WARNING: the {name} rules break the safety floor: {finding}")
    downs = [row for row in document["level_changes"] if row["lower"]]
    total = document["corpus"]["answer_sets"]
    if downs:
        count = sum(row["count"] for row in downs)
        lines.append(
            f"WARNING: {count:,} of {total:,} reports move to a LOWER triage level with the new rules."
        )
    for name in ("old", "new"):
        side = document[name]
        lines.append(
            f"{name}: {side['folder']}: rules {side['version']} ({side['digest'][:19]}...), "
            f"{side['rules']} rules, {side['review_state']}"
        )
    lines += ["", "Rule changes"]
    if not document["rule_changes"] and not document["ruleset_changes"]:
        lines.append("  none")
    for change in document["ruleset_changes"]:
        lines += [f"  rule set: {change['field']}", "    before:", _indented(change["before"]), "    after:"]
        lines.append(_indented(change["after"]))
    for change in document["rule_changes"]:
        lines.append(f"  {change['rule']} ({change['kind']}): {change['change']}")
        for one in change["fields"]:
            lines += [f"    {one['field']}", "    before:", _indented(one["before"]), "    after:"]
            lines.append(_indented(one["after"]))
    lines += [
        "",
        f"Impact on {total:,} answer sets ({document['corpus']['source']}; "
        f"{document['corpus']['rechecked_on_durable_rules']:,} re-checked on durable_rules, all agreeing)",
        f"  reports that change: {document['reports_changed']:,}",
    ]
    if document["level_changes"]:
        lines += ["", "  Triage level, from -> to (changes to a lower level first, flagged)"]
        for row in document["level_changes"]:
            flag = f"  {FLAG}" if row["lower"] else ""
            lines.append(f"    {row['from']:>9} -> {row['to']:<9} {row['count']:>9,}{flag}")
    for name in ("gained", "lost"):
        if document[name]:
            lines += ["", f"  Findings {name}"]
            lines += [f"    {row['finding']}: {row['count']:,}" for row in document[name]]
    examples = [
        (f"level {row['from']} -> {row['to']}" + (f" ({FLAG})" if row["lower"] else ""), row["examples"])
        for row in document["level_changes"]
    ]
    examples += [
        (f"{name} {row['finding']}", row["examples"]) for name in ("gained", "lost") for row in document[name]
    ]
    if examples:
        lines += ["", "Example answer sets (up to 5 per kind of change)"]
        for title, answer_sets in examples:
            lines.append(f"  {title}")
            lines += [f"    {json.dumps(answers, ensure_ascii=False)}" for answers in answer_sets]
    return "\n".join(lines) + "\n"
