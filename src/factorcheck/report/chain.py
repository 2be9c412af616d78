"""The chain hip → knee → ankle and foot → plantar fascia, and which of its steps each link runs along."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Top to bottom, as a person stands.
PARTS: tuple[str, ...] = ("Hip", "Knee", "Ankle and foot", "Plantar fascia (heel)")


@dataclass(frozen=True)
class Path:
    """The parts of the chain a link runs through, in the direction it runs (indexes into PARTS)."""

    parts: tuple[int, ...]
    whole_body: bool = False

    def steps(self) -> set[tuple[int, int]]:
        """The steps between neighbouring parts, each as (upper, lower) whatever the direction."""
        return {(min(a, b), max(a, b)) for a, b in zip(self.parts, self.parts[1:], strict=False)}

    def in_words(self) -> str:
        if self.whole_body:
            return "one whole-body condition may affect every part at once"
        return " → ".join(PARTS[index].lower() for index in self.parts)


# Which parts each mechanism's explanation (rules/mechanisms.yaml) passes through. A mechanism
# missing here is still listed under the picture, only not drawn, so a new rule is never lost.
PATHS: dict[str, Path] = {
    "biomechanical_imbalance": Path((1, 2, 3)),
    "compensatory_movement": Path((1, 2, 3)),
    "muscle_imbalance": Path((0, 1, 2, 3)),
    "systemic_condition": Path((0, 1, 2, 3), whole_body=True),
    "heel_to_knee": Path((3, 2, 1)),
}


def highlighted_steps(mechanisms: Sequence[str]) -> set[tuple[int, int]]:
    """Every step of the chain some applying link runs along."""
    return {step for m in mechanisms if m in PATHS and not PATHS[m].whole_body for step in PATHS[m].steps()}


def highlighted_parts(mechanisms: Sequence[str]) -> set[int]:
    """Every part of the chain some applying link passes through."""
    return {part for m in mechanisms if m in PATHS for part in PATHS[m].parts}
