"""The chain hip → knee → ankle and foot → plantar fascia, and which of its steps each link runs along."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Top to bottom, as a person stands.
PARTS: tuple[str, ...] = ("Hip", "Knee", "Ankle and foot", "Plantar fascia (heel)")


@dataclass(frozen=True)
class Path:
    """The parts of the chain a link runs through, in the direction it runs (indexes into PARTS)."""

    parts: tuple[int, ...]
    whole_body: bool = False
    # Parts a link passes through only when a given answer is among its reasons: (part, item).
    only_with: tuple[tuple[int, str], ...] = ()

    def given(self, reasons: frozenset[str] | None) -> Path:
        """The path as the person's reasons draw it (all of it when the reasons are not known)."""
        if reasons is None:
            return self
        dropped = {part for part, item in self.only_with if item not in reasons}
        return Path(tuple(p for p in self.parts if p not in dropped), self.whole_body)

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
    # The hip is in this link only through a tight front of the hip answered "yes".
    "muscle_imbalance": Path((0, 1, 2, 3), only_with=((0, "hip_front_tightness"),)),
    "systemic_condition": Path((0, 1, 2, 3), whole_body=True),
    "heel_to_knee": Path((3, 2, 1)),
}


def drawn_paths(
    mechanisms: Sequence[str], reasons: Mapping[str, frozenset[str]] | None = None
) -> dict[str, Path]:
    """The path of each applying link, as its reasons (the questions it rests on) draw it."""
    return {m: PATHS[m].given(None if reasons is None else reasons.get(m)) for m in mechanisms if m in PATHS}


def highlighted_steps(
    mechanisms: Sequence[str], reasons: Mapping[str, frozenset[str]] | None = None
) -> set[tuple[int, int]]:
    """Every step of the chain some applying link runs along."""
    paths = drawn_paths(mechanisms, reasons).values()
    return {step for path in paths if not path.whole_body for step in path.steps()}


def highlighted_parts(
    mechanisms: Sequence[str], reasons: Mapping[str, frozenset[str]] | None = None
) -> set[int]:
    """Every part of the chain some applying link passes through."""
    return {part for path in drawn_paths(mechanisms, reasons).values() for part in path.parts}
