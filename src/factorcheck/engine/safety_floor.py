"""The safety floor: the least triage level each warning sign must bring a report to, whatever the rules.

The floor is kept here, outside the rule files and any --rules folder, so that no rule set can
lower it by editing itself (deleting a warning sign, narrowing its `when` with its examples
edited to match, or giving it a lower level). It copies the levels of docs/outcomes.md's triage
table, and a test holds the two equal.

Each warning sign comes with probes: answer sets that show it (each value of its items that
counts, "yes" and "not_sure" alike, with the follow-ups they need). Every probe is tried on a
minimal base (age 40; heel pain, knee pain, both or neither) with the other warning-sign items
left out, and again with them answered "no"; the report's level on each must reach the sign's.

Adding a warning sign is one entry in FLOOR: its rule id, its level and its probes, the product
of each item's values written with `each`, for example
    Sign("chest_symptoms", "emergency", each(rf_breathless_chest_pain=COUNTS)),
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from factorcheck.answers.derived import Facts, facts_from_given
from factorcheck.answers.questionnaire import SAFETY_ITEMS, Item
from factorcheck.engine.oracle import Oracle
from factorcheck.engine.rule_examples import report_level
from factorcheck.errors import RuleFileError
from factorcheck.rules.ruleset import LEVELS, Level, Rule, Ruleset, referenced_rules

# The answers to a warning-sign item that count as the sign: when in doubt, the tool is cautious.
COUNTS = ("yes", "not_sure")

Probe = Mapping[str, object]


def each(**values: tuple[object, ...]) -> tuple[Probe, ...]:
    """Every answer set taking one of the given values for each item (their product)."""
    names = list(values)
    return tuple(dict(zip(names, chosen, strict=True)) for chosen in itertools.product(*values.values()))


@dataclass(frozen=True)
class Sign:
    """A warning sign (named by its rule id in docs/outcomes.md), the least level a report showing
    it must have, and answer sets that show it."""

    rule_id: str
    level: Level
    probes: tuple[Probe, ...]


def _two_inflammatory_features() -> tuple[Probe, ...]:
    # Two of the features inflammatory_feature_count counts (only "yes" counts, and a heel pain on
    # both sides), with no diagnosed type: left out, "none" or "not_sure".
    features: tuple[Probe, ...] = (
        {"heel_pain": True, "heel_pain_side": "both"},
        {"spa_features": "yes"},
        {"inflammatory_back_pain": "yes"},
        {"other_joint_swelling": "yes"},
    )
    probes: list[Probe] = []
    for first, second in itertools.combinations(features, 2):
        for diagnosis in ({}, {"inflammatory_diagnosis": ["none"]}, {"inflammatory_diagnosis": ["not_sure"]}):
            probes.append({"knee_pain": True, **first, **second, **diagnosis})
    return tuple(probes)


def _child_knee_or_thigh_pain_with_limp() -> tuple[Probe, ...]:
    # Aged 9 to 16 (the ends and the middle), knee pain or thigh or hip pain, with a limp: the knee's
    # changed gait (asked with knee pain) or the limp or foot turned out (asked at these ages).
    ages = (9, 12, 16)
    return (
        each(age_years=ages, knee_pain=(True,), gait_changed_by_knee=COUNTS)
        + each(age_years=ages, knee_pain=(True,), limp_or_foot_turned_out=COUNTS)
        + each(age_years=ages, thigh_or_hip_pain=COUNTS, limp_or_foot_turned_out=COUNTS)
    )


FLOOR: tuple[Sign, ...] = (
    Sign("chest_symptoms", "emergency", each(rf_breathless_chest_pain=COUNTS)),
    Sign("hot_swollen_with_fever", "emergency", each(rf_hot_swollen_fever=COUNTS)),
    Sign("deformity_or_snap", "emergency", each(rf_deformity_or_snap=COUNTS)),
    Sign(
        "injury_cannot_bear_weight", "emergency", each(rf_recent_injury=COUNTS, rf_cannot_bear_weight=COUNTS)
    ),
    Sign("stroke_signs", "emergency", each(rf_stroke_signs=COUNTS)),
    Sign("saddle_numbness_or_bladder_change", "emergency", each(rf_saddle_numbness_or_bladder=COUNTS)),
    Sign("cold_pale_limb", "emergency", each(rf_cold_pale_limb=COUNTS)),
    Sign("tight_swollen_leg_after_injury", "emergency", each(rf_tight_swollen_after_injury=COUNTS)),
    Sign("cannot_bear_weight", "urgent", each(rf_cannot_bear_weight=COUNTS)),
    Sign("knee_locked", "urgent", each(rf_knee_locked=COUNTS)),
    Sign("rapid_knee_swelling", "urgent", each(rf_recent_injury=COUNTS, rf_rapid_knee_swelling=COUNTS)),
    Sign("calf_swelling", "urgent", each(rf_calf_swelling=COUNTS)),
    Sign("diabetic_foot_change", "urgent", each(rf_diabetes=COUNTS, rf_diabetic_foot_change=COUNTS)),
    Sign("achilles_snap", "urgent", each(rf_achilles_snap=COUNTS)),
    Sign("spreading_skin_redness", "urgent", each(rf_spreading_redness=COUNTS)),
    Sign("new_leg_weakness", "urgent", each(rf_new_weakness=COUNTS)),
    Sign("child_knee_pain_with_limp", "urgent", _child_knee_or_thigh_pain_with_limp()),
    Sign(
        "night_pain_with_systemic_signs",
        "urgent",
        each(rf_night_rest_pain=COUNTS, rf_systemic=COUNTS)
        + each(rf_night_rest_pain=COUNTS, rf_bone_lump=COUNTS),
    ),
    Sign("nerve_symptoms", "soon", each(rf_numbness_tingling=COUNTS)),
    Sign("night_or_rest_pain", "soon", each(rf_night_rest_pain=COUNTS)),
    Sign("systemic_symptoms", "soon", each(rf_systemic=COUNTS)),
    Sign("severe_or_worsening", "soon", each(rf_severe_or_worsening=COUNTS)),
    Sign("hard_lump", "soon", each(rf_bone_lump=COUNTS)),
    Sign("knee_gives_way", "soon", each(rf_knee_gives_way=COUNTS)),
    Sign("red_hot_swollen_joint_or_skin", "soon", each(rf_red_hot_joint_or_skin=COUNTS)),
    Sign(
        "weak_defences_with_red_hot_joint_or_skin",
        "soon",
        each(rf_immunosuppressed=COUNTS, rf_red_hot_joint_or_skin=COUNTS),
    ),
    Sign("diabetes_with_heel_pain", "soon", each(rf_diabetes=COUNTS, heel_pain=(True,))),
    Sign("under_18", "soon", each(age_years=(17, 9, 1))),
    Sign("possible_inflammatory_condition", "soon", _two_inflammatory_features()),
)

# Each probe is tried on each of these, its own answers taking precedence.
_BASES: tuple[Probe, ...] = each(age_years=(40,), heel_pain=(True, False), knee_pain=(True, False))


def _enabled(item: Item, answers: Mapping[str, object]) -> bool:
    return all(condition.holds(answers.get(condition.item)) for condition in item.enabled_when)


def probe_answer_sets(sign: Sign) -> list[dict[str, object]]:
    """Every answer set tried for a sign, each once: its probes on each base, the other
    warning-sign items left out, then answered "no" where they are asked."""
    found: dict[str, dict[str, object]] = {}
    for probe in sign.probes:
        for base in _BASES:
            left_out = {**base, **probe}
            answered_no = dict(left_out)
            for item in SAFETY_ITEMS:
                if item.id not in answered_no and _enabled(item, answered_no):
                    answered_no[item.id] = "no"
            for answers in (left_out, answered_no):
                found.setdefault(json.dumps(answers, sort_keys=True), answers)
    return list(found.values())


@functools.cache
def _probe_facts() -> tuple[tuple[Sign, tuple[tuple[dict[str, object], Facts], ...]], ...]:
    # The same for every rule set, so made once per process. Validating them would cost more
    # than the check itself at each start; tests/engine/test_safety_floor.py validates each.
    return tuple(
        (sign, tuple((answers, facts_from_given(answers)) for answers in probe_answer_sets(sign)))
        for sign in FLOOR
    )


@dataclass(frozen=True)
class Shortfall:
    """A warning sign a rule set brings below its floor: the first answer set that showed it, the
    level the report got there, and how many answer sets fell short in all."""

    sign: Sign
    answers: Mapping[str, object]
    level: str
    count: int

    def __str__(self) -> str:
        more = f" (and {self.count - 1} more answer sets)" if self.count > 1 else ""
        return (
            f"warning sign {self.sign.rule_id} must bring a report to at least {self.sign.level}, "
            f"but on the answers {json.dumps(self.answers)} the report's triage level is {self.level}{more}"
        )


def _leveled(ruleset: Ruleset) -> Ruleset:
    # Only the rules that set a level, and those they test: the report's level depends on no other.
    needed = {rule.id for rule in ruleset.rules if rule.level is not None}
    pending = list(needed)
    while pending:
        for tested in referenced_rules(ruleset.by_id[pending.pop()].when):
            if tested not in needed:
                needed.add(tested)
                pending.append(tested)
    rules: tuple[Rule, ...] = tuple(rule for rule in ruleset.rules if rule.id in needed)
    return replace(ruleset, rules=rules)


def shortfalls(ruleset: Ruleset) -> list[Shortfall]:
    """Each warning sign the rule set brings below its floor, in FLOOR order (empty when none)."""
    ruleset = _leveled(ruleset)
    oracle = Oracle(ruleset)
    found = []
    for sign, probes in _probe_facts():
        least = LEVELS.index(sign.level)
        short = [
            (answers, level)
            for answers, facts in probes
            if LEVELS.index(level := report_level(ruleset, oracle.evaluate(facts))) > least
        ]
        if short:
            answers, level = short[0]
            found.append(Shortfall(sign, answers, level, len(short)))
    return found


class SafetyFloorError(RuleFileError):
    """Raised when a rule set brings a warning sign below its safety floor: names each sign, the
    answers that showed it and the level it got."""

    def __init__(self, where: str, found: list[Shortfall]) -> None:
        self.shortfalls = tuple(found)
        lines = "".join(f"\n  - {shortfall}" for shortfall in found)
        super().__init__(
            where,
            None,
            "the rules fall below factorcheck's safety floor (docs/outcomes.md, triage rules):"
            f"{lines}\nRestore these warning signs, or pass --allow-below-safety-floor "
            "(allow_below_floor=True in Python) to use these rules anyway; every report then says so.",
        )


def hold_to_floor(ruleset: Ruleset, rules_dir: Path | None, allow_below_floor: bool = False) -> Ruleset:
    """The rule set, its lowered signs recorded (`below_safety_floor`, empty when none); raises
    SafetyFloorError when a sign falls below its floor, unless `allow_below_floor`."""
    found = shortfalls(ruleset)
    if found and not allow_below_floor:
        raise SafetyFloorError(str(rules_dir) if rules_dir else "these rules", found)
    return replace(ruleset, below_safety_floor=tuple(shortfall.sign.rule_id for shortfall in found))
