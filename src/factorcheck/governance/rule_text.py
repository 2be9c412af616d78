"""A rule as the texts a reader compares: its logic in plain words, wording, evidence and metadata."""

from __future__ import annotations

import json

from factorcheck.rules.plain_words import fires_when
from factorcheck.rules.ruleset import Rule, Ruleset


def rule_titles(ruleset: Ruleset) -> dict[str, str]:
    return {rule.id: rule.title for rule in ruleset.rules}


def evidence_lines(rule: Rule) -> list[str]:
    """Each evidence entry with its type and grade, and the branch it is tied to."""
    lines = []
    grades = rule.governance.evidence if rule.governance else ()
    branches = rule.evidence_branches or (None,) * len(rule.evidence)
    for number, (text, branch) in enumerate(zip(rule.evidence, branches, strict=True)):
        grade = f"[{grades[number].type}, grade {grades[number].grade}] " if number < len(grades) else ""
        tied = f" (when {branch} held)" if branch else ""
        lines.append(f"{grade}{text}{tied}")
    return lines


def rule_fields(rule: Rule, titles: dict[str, str]) -> dict[str, str]:
    """The rule's texts by field name, in the order a reader reviews them."""
    fields = {
        "kind": rule.kind,
        "level": rule.level or "",
        "title": rule.title,
        "logic": fires_when(rule.when, titles),
        "explanation": rule.explanation,
        "source": rule.source or "",
        "self_care": "yes" if rule.self_care else "no",
        "wordings": "\n".join(f"when {w.branch} held: {w.title}: {w.explanation}" for w in rule.wordings),
        "evidence": "\n".join(evidence_lines(rule)),
        "examples": "\n".join(
            f"{label}: {json.dumps(dict(answers), sort_keys=True)}"
            for label, cases in (
                ("must fire", rule.examples.must_fire),
                ("must not fire", rule.examples.must_not_fire),
            )
            for answers in cases
        ),
    }
    meta = rule.governance
    if meta is not None:
        fields |= {
            "status": meta.status,
            "version": meta.version,
            "author": meta.author,
            "reviewers": ", ".join(meta.reviewers) or "none",
            "approved": meta.approved.isoformat(),
            "last_reviewed": meta.last_reviewed.isoformat(),
            "next_review": meta.next_review.isoformat(),
            "rationale": meta.rationale,
            "population": meta.population,
            "limitations": meta.limitations,
            "changes": "\n".join(f"{c.version} ({c.date.isoformat()}): {c.summary}" for c in meta.changes),
        }
    return fields
