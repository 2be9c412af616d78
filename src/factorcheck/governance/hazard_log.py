"""The hazard log: hazards, their causes, risk before and after, and mitigations named by their tests."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from factorcheck.rules.strict_yaml import load_strict_yaml

SEVERITIES = ("minor", "significant", "considerable", "major", "catastrophic")
LIKELIHOODS = ("very low", "low", "medium", "high", "very high")
# DCB0129's risk matrix: the rating (1 lowest, 5 highest) by likelihood (rows, very low first)
# and severity (columns, minor first).
_MATRIX = (
    (1, 1, 2, 2, 3),
    (1, 2, 2, 3, 4),
    (2, 2, 3, 3, 4),
    (2, 3, 3, 4, 5),
    (3, 4, 4, 5, 5),
)


@dataclass(frozen=True)
class Risk:
    severity: str
    likelihood: str

    @property
    def rating(self) -> int:
        return _MATRIX[LIKELIHOODS.index(self.likelihood)][SEVERITIES.index(self.severity)]

    def __str__(self) -> str:
        return f"{self.rating} ({self.severity}, likelihood {self.likelihood})"


@dataclass(frozen=True)
class Mitigation:
    text: str
    tests: tuple[str, ...]


@dataclass(frozen=True)
class Hazard:
    id: str
    title: str
    harm: str
    causes: tuple[str, ...]
    before: Risk
    after: Risk
    mitigations: tuple[Mitigation, ...]


def _risk(data: Any, where: str) -> Risk:
    if (
        not isinstance(data, dict)
        or data.get("severity") not in SEVERITIES
        or data.get("likelihood") not in LIKELIHOODS
    ):
        raise ValueError(
            f"{where}: a risk is {{severity: {'/'.join(SEVERITIES)}, likelihood: {'/'.join(LIKELIHOODS)}}}"
        )
    return Risk(data["severity"], data["likelihood"])


def load_hazards(text: str | None = None) -> tuple[Hazard, ...]:
    """The shipped hazard log (or the YAML `text` given), checked as it loads."""
    if text is None:
        text = (files("factorcheck.governance") / "hazard_log.yaml").read_text(encoding="utf-8")
    hazards = []
    for entry in load_strict_yaml(text)["hazards"]:
        where = f"hazard {entry.get('id')}"
        mitigations = tuple(Mitigation(m["text"], tuple(m["tests"])) for m in entry["mitigations"])
        if not mitigations or not all(m.tests for m in mitigations):
            raise ValueError(f"{where}: every mitigation names the tests that verify it")
        hazards.append(
            Hazard(
                id=entry["id"],
                title=entry["title"],
                harm=entry["harm"],
                causes=tuple(entry["causes"]),
                before=_risk(entry["before"], where),
                after=_risk(entry["after"], where),
                mitigations=mitigations,
            )
        )
    return tuple(hazards)


def hazard_markdown(hazards: tuple[Hazard, ...], heading: str = "#") -> str:
    """The hazard log as Markdown (docs/safety/hazard-log.md and the rule book)."""
    lines = [
        f"{heading} Hazard log",
        "",
        "Severity and likelihood follow the NHS clinical risk management standard DCB0129; the rating",
        "(1 lowest, 5 highest) follows from them by its risk matrix. Each mitigation names the tests",
        "that verify it; the test suite fails when one of them is missing or skipped.",
        "",
        "| hazard | risk before | risk after |",
        "|---|---|---|",
    ]
    lines += [f"| {h.id}: {h.title} | {h.before} | {h.after} |" for h in hazards]
    for hazard in hazards:
        lines += [
            "",
            f"{heading}# {hazard.id}: {hazard.title}",
            "",
            f"**Harm:** {hazard.harm}",
            "",
            "**Causes:**",
            "",
        ]
        lines += [f"- {cause}" for cause in hazard.causes]
        lines += [
            "",
            f"**Risk before:** {hazard.before}. **Risk after:** {hazard.after}.",
            "",
            "**Mitigations:**",
            "",
        ]
        for mitigation in hazard.mitigations:
            lines.append(f"- {mitigation.text}")
            lines += [f"  - `{test}`" for test in mitigation.tests]
    return "\n".join(lines) + "\n"


def hazard_log_page() -> str:
    """docs/safety/hazard-log.md: the shipped log as Markdown, saying where it comes from."""
    return (
        "<!-- Rendered from src/factorcheck/governance/hazard_log.yaml by\n"
        "     `python -m factorcheck.governance.hazard_log > docs/safety/hazard-log.md`; do not edit. -->\n\n"
        + hazard_markdown(load_hazards())
    )


if __name__ == "__main__":
    print(hazard_log_page(), end="")
