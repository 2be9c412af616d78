"""Engines of one rule set share one ruleset inside durable_rules, which never frees one."""

from __future__ import annotations

import io
from pathlib import Path
from unittest import mock

import durable_rules_engine

from factorcheck.answers.derived import facts_from_given
from factorcheck.assessment import Assessor
from factorcheck.cli.main import main
from factorcheck.engine.durable import DurableEngine, compiled_rules
from factorcheck.engine.oracle import Oracle
from factorcheck.rules.loading import load_ruleset

RULESET = load_ruleset()
FACTS = facts_from_given({"age_years": 40, "heel_pain": True, "knee_pain": True, "calf_tightness": "yes"})


def test_engines_and_batch_runs_for_one_rule_set_compile_it_once(tmp_path: Path) -> None:
    """More engines, assessors and in-process batch runs make no new durable ruleset."""
    source = tmp_path / "answers.jsonl"
    source.write_text('{"age_years": 40, "heel_pain": true, "knee_pain": false}\n', encoding="utf-8")
    DurableEngine(RULESET)
    with mock.patch.object(
        durable_rules_engine, "create_ruleset", side_effect=AssertionError("a second ruleset")
    ):
        engines = [DurableEngine(RULESET) for _ in range(3)] + [Assessor(RULESET).evaluator for _ in range(3)]
        for _ in range(3):
            output, err = tmp_path / "reports.jsonl", io.StringIO()
            assert main(["batch", str(source), "-o", str(output), "--workers", "1"], stderr=err) == 0, err
            assert output.read_text(encoding="utf-8").count("\n") == 1
        assert all(one.evaluate(FACTS) == Oracle(RULESET).evaluate(FACTS) for one in engines)


def test_another_rule_set_gets_its_own_compiled_ruleset() -> None:
    assert compiled_rules('{"0": {"all": [{"m": {"fc_": 1}}]}}') is not compiled_rules(
        '{"0": {"all": [{"m": {"fc_": 2}}]}}'
    )
    assert compiled_rules('{"0": {"all": [{"m": {"fc_": 1}}]}}') is compiled_rules(
        '{"0": {"all": [{"m": {"fc_": 1}}]}}'
    )
