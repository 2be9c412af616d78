"""A rule's logic in plain words is generated from its condition, so the words follow what runs."""

from __future__ import annotations

from factorcheck.answers.derived import DERIVED_BY_NAME
from factorcheck.answers.questionnaire import ITEMS_BY_ID
from factorcheck.rules.loading import load_ruleset
from factorcheck.rules.plain_words import fires_when
from factorcheck.rules.ruleset import AllOf, AnyOf, Compare, Condition, Fired


def test_a_condition_reads_as_a_sentence() -> None:
    heel = f'"{ITEMS_BY_ID["heel_pain"].label}"'
    bmi = f'"{DERIVED_BY_NAME["bmi"].label}"'
    condition = AllOf((Compare("heel_pain", "eq", True), Compare("bmi", "gte", 30)))
    assert fires_when(condition) == f"fires when {heel} is yes and {bmi} is 30 or more"
    either = AnyOf((Compare("rf_systemic", "in", ("yes", "not_sure")), Fired("tight_calves")))
    assert fires_when(AllOf((Compare("age_years", "lt", 18), either)), {"tight_calves": "Tight calves"}) == (
        f'fires when "{ITEMS_BY_ID["age_years"].label}" is less than 18 years and (any of: '
        f'"{ITEMS_BY_ID["rf_systemic"].label}" is yes or not sure or the rule tight_calves '
        '("Tight calves") has fired)'
    )


def _leaves(condition: Condition) -> list[Compare | Fired]:
    if isinstance(condition, Compare | Fired):
        return [condition]
    return [leaf for part in condition.parts for leaf in _leaves(part)]


def test_every_shipped_rule_names_each_answer_and_rule_it_tests() -> None:
    ruleset = load_ruleset()
    for rule in ruleset.rules:
        words = fires_when(rule.when)
        for leaf in _leaves(rule.when):
            if isinstance(leaf, Fired):
                assert f"the rule {leaf.rule} has fired" in words, rule.id
                continue
            label = (
                ITEMS_BY_ID[leaf.name].label if leaf.name in ITEMS_BY_ID else DERIVED_BY_NAME[leaf.name].label
            )
            assert f'"{label}" is ' in words, (rule.id, leaf.name)
