"""The fast paths give exactly what the slow, obvious ones give: engine, validation, report JSON."""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

import durable_rules_engine
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factorcheck.answers.derived import facts_from_given
from factorcheck.answers.json_input import loads_plain_object, loads_strict
from factorcheck.answers.questionnaire import EXCLUSIVE_CHOICES, ITEMS, PAIRED_ITEMS, Item
from factorcheck.answers.validate import find_problems, given_answers, parse_answers
from factorcheck.answers.validate_fast import quick_given
from factorcheck.assessment import Assessor
from factorcheck.engine.closure_floor import ClosureEvaluator
from factorcheck.engine.durable import DurableEngine
from factorcheck.engine.oracle import Oracle
from factorcheck.errors import EngineError, InvalidAnswersError
from factorcheck.report.build import ReportBuilder
from factorcheck.report.build_fast import ReportWriter
from factorcheck.rules.loading import load_ruleset
from factorcheck.web import posted
from support import EXAMPLES as EXAMPLE_DIR
from support.synthetic import answer_sets

RULESET = load_ruleset()
ORACLE = Oracle(RULESET)
DURABLE = DurableEngine(RULESET)
CLOSURES = ClosureEvaluator(RULESET)
BUILDER = ReportBuilder(RULESET)
WRITER = ReportWriter(RULESET)
EXAMPLES = sorted(EXAMPLE_DIR.glob("*.json"))
_MISSING = object()
# An answer set on which many rules fire, so the engine runs many actions for it.
RICH = facts_from_given(
    given_answers(
        parse_answers(
            json.loads((EXAMPLES[0].parent / "both-pains-several-links.json").read_text(encoding="utf-8"))
        )
    )
)


def _value(item: Item) -> st.SearchStrategy[Any]:
    if item.type == "boolean":
        return st.booleans()
    if item.type == "integer":
        assert item.minimum is not None
        assert item.maximum is not None
        return st.integers(int(item.minimum), int(item.maximum))
    if item.type == "number":
        assert item.minimum is not None
        assert item.maximum is not None
        return st.one_of(
            st.integers(int(item.minimum), int(item.maximum)),
            st.floats(item.minimum, item.maximum, allow_nan=False),
        )
    if item.type == "choices":
        several = [c for c in item.choices if c not in EXCLUSIVE_CHOICES]
        alone = [st.just([choice]) for choice in EXCLUSIVE_CHOICES if choice in item.choices]
        return st.one_of(
            *alone,
            st.lists(st.sampled_from(several), min_size=1, max_size=len(several), unique=True),
        )
    return st.sampled_from(item.choices)


@st.composite
def valid_answer_sets(draw: st.DrawFn) -> dict[str, Any]:
    """Answer sets the questionnaire accepts: follow-ups only when enabled, height with weight."""
    answers: dict[str, Any] = {}
    for item in ITEMS:
        if not all(c.holds(answers.get(c.item, _MISSING)) for c in item.enabled_when):
            continue
        if item.required or draw(st.booleans()):
            answers[item.id] = draw(_value(item))
    for pair in PAIRED_ITEMS:
        if (pair[0] in answers) != (pair[1] in answers):
            for name in pair:
                answers.pop(name, None)
    return answers


_ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 600),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["yes", "no", "not_sure", "both", "knock_knees", "a_little", "35", "Yes", ""]),
    st.lists(st.sampled_from(["gout", "none", "not_sure", "psoriatic_arthritis", "lupus"]), max_size=3),
)
_ITEM_IDS = [item.id for item in ITEMS]


@st.composite
def raw_answer_sets(draw: st.DrawFn) -> dict[str, Any]:
    """Valid answer sets with a few items replaced, removed or added: often invalid, sometimes not."""
    answers = draw(valid_answer_sets())
    for _ in range(draw(st.integers(0, 3))):
        key = draw(st.sampled_from([*_ITEM_IDS, "heel_pian", "notes"]))
        if draw(st.booleans()):
            answers[key] = draw(_ANY_VALUE)
        else:
            answers.pop(key, None)
    return answers


def _evaluations_agree(raw: dict[str, Any]) -> None:
    facts = facts_from_given(given_answers(parse_answers(raw)))
    expected = ORACLE.evaluate(facts)
    assert DURABLE.evaluate(facts) == expected
    assert CLOSURES.evaluate(facts) == expected
    assert list(DURABLE.evaluate(facts)) == list(expected)  # rule-set order too


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_answer_sets())
def test_durable_and_closures_equal_the_oracle_on_generated_answer_sets(raw: dict[str, Any]) -> None:
    """Both fast evaluators fire the same rules on the same bases as the reference evaluator."""
    _evaluations_agree(raw)


def test_durable_and_closures_equal_the_oracle_on_synthetic_answer_sets() -> None:
    """On 3,000 realistic answer sets the fast evaluators agree with the reference evaluator."""
    for raw in answer_sets(seed=11, count=3000):
        _evaluations_agree(raw)


def test_an_answer_set_that_matches_no_rule_gives_an_empty_evaluation() -> None:
    """An adult without pain or warning signs fires nothing, in every evaluator."""
    raw = {"age_years": 40, "heel_pain": False, "knee_pain": False, "rf_recent_injury": "no"}
    facts = facts_from_given(given_answers(parse_answers(raw)))
    assert ORACLE.evaluate(facts) == DURABLE.evaluate(facts) == CLOSURES.evaluate(facts) == {}


def test_an_interrupted_evaluation_leaves_the_engine_correct() -> None:
    """Interrupting the engine between two actions does not spoil later evaluations."""
    engine = DurableEngine(RULESET)
    facts = [facts_from_given(given_answers(parse_answers(raw))) for raw in answer_sets(seed=3, count=100)]
    real = durable_rules_engine.complete_and_start_action
    calls = 0

    def interrupted(handle: int, state: int) -> object:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise KeyboardInterrupt
        return real(handle, state)

    with (
        mock.patch.object(durable_rules_engine, "complete_and_start_action", interrupted),
        pytest.raises(KeyboardInterrupt),
    ):
        engine.evaluate(RICH)
    assert [engine.evaluate(one) for one in facts] == [ORACLE.evaluate(one) for one in facts]


def _same_json(left: object, right: object) -> bool:
    # json.dumps tells 1 from 1.0 from true, which == does not.
    return json.dumps(left) == json.dumps(right)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw_answer_sets())
def test_quick_validation_accepts_only_what_the_full_validator_accepts(raw: dict[str, Any]) -> None:
    """Whenever the quick check accepts, the full validator finds no problem and the same answers."""
    quick = quick_given(raw)
    answers, problems = find_problems(raw)
    if quick is not None:
        assert problems == []
        assert answers is not None
        assert _same_json(quick, given_answers(answers))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_answer_sets())
def test_quick_validation_accepts_every_valid_answer_set(raw: dict[str, Any]) -> None:
    """The quick check accepts valid answer sets, in questionnaire order, as the validator gives them."""
    quick = quick_given(raw)
    assert quick is not None
    assert _same_json(quick, given_answers(parse_answers(raw)))


def test_quick_validation_of_answers_handed_over_copies_only_what_is_out_of_order() -> None:
    """Batch hands its freshly read answers over: in questionnaire order they are the given
    answers themselves, otherwise put in order, and either way what the copying call gives."""
    raws = list(answer_sets(seed=33, count=300))
    for raw in raws + [dict(reversed(raw.items())) for raw in raws[:50]]:
        copied = quick_given(raw)
        handed = quick_given(raw, handed_over=True)
        assert copied is not None
        assert handed is not None
        assert _same_json(handed, copied)
        assert list(handed) == list(copied)
        assert (handed is raw) == (list(raw) == list(copied))


def test_quick_validation_leaves_unusual_python_values_to_the_validator() -> None:
    """A tuple or a str subclass is not accepted quickly; the full validator decides."""

    class Text(str):
        pass

    base: dict[str, object] = {"age_years": 40, "heel_pain": False, "knee_pain": False}
    assert quick_given(base) is not None
    assert quick_given({**base, "knee_injury": Text("yes")}) is None
    assert quick_given({**base, "inflammatory_diagnosis": ("gout",)}) is None
    assert quick_given({**base, "age_years": True}) is None
    assert quick_given({**base, "age_years": 40.0}) is None
    assert quick_given([base]) is None


def _report_json_agrees(raw: dict[str, Any]) -> None:
    given_ = given_answers(parse_answers(raw))
    facts = facts_from_given(given_)
    fired = ORACLE.evaluate(facts)
    assert WRITER.dumps(given_, facts, fired) == orjson.dumps(BUILDER.build(given_, facts, fired))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_answer_sets())
def test_report_json_is_byte_for_byte_orjson_dumps_of_the_report(raw: dict[str, Any]) -> None:
    """The fragment writer's JSON is exactly orjson.dumps of the report the builder makes."""
    _report_json_agrees(raw)


def test_report_json_matches_on_the_examples_and_synthetic_answer_sets() -> None:
    """Byte-for-byte agreement on every shipped example and 2,000 realistic answer sets."""
    for path in EXAMPLES:
        _report_json_agrees(json.loads(path.read_text(encoding="utf-8")))
    for raw in answer_sets(seed=5, count=2000):
        _report_json_agrees(raw)


def test_assess_to_json_is_orjson_dumps_of_assess() -> None:
    """The assessor's JSON shortcut and its report agree, and invalid input raises the same way."""
    assessor = Assessor(RULESET)
    for raw in answer_sets(seed=8, count=300):
        assert assessor.assess_to_json(raw) == orjson.dumps(assessor.assess(raw))
    with pytest.raises(InvalidAnswersError) as caught:
        assessor.assess_to_json({"age_years": 35.0, "heel_pain": True, "knee_pain": False})
    assert [problem.item for problem in caught.value.problems] == ["age_years"]


def test_an_engine_failure_is_reported_and_the_engine_recovers() -> None:
    """A failure inside durable_rules raises EngineError; the next evaluations are right again."""
    engine = DurableEngine(RULESET)
    facts = [facts_from_given(given_answers(parse_answers(raw))) for raw in answer_sets(seed=4, count=50)]
    real = durable_rules_engine.complete_and_start_action
    calls = 0

    def failing(handle: int, state: int) -> object:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise durable_rules_engine.error("simulated failure")
        return real(handle, state)

    with (
        mock.patch.object(durable_rules_engine, "complete_and_start_action", failing),
        pytest.raises(EngineError, match="simulated failure"),
    ):
        engine.evaluate(RICH)
    assert [engine.evaluate(one) for one in facts] == [ORACLE.evaluate(one) for one in facts]


_JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=6)
_JSON_VALUES = st.recursive(
    _JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=600, deadline=None)
@given(st.dictionaries(st.text(max_size=6), _JSON_VALUES, max_size=8), st.booleans())
def test_the_fast_json_reader_gives_what_the_strict_reader_gives_or_declines(
    document: dict[str, Any], repeat_a_key: bool
) -> None:
    """NaN, huge numbers, nested objects and repeated keys included: never a different reading."""
    text = json.dumps(document)
    if repeat_a_key and document:
        text = text[:-1] + ", " + json.dumps(next(iter(document))) + ": 1}"
    fast = loads_plain_object(text.encode())
    if fast is None:
        return
    assert _same_json(fast, loads_strict(text))


@pytest.mark.parametrize(
    "line",
    [
        b'{"a": 1, "a": 2}',
        b'{"a": [{"b": 1, "b": 2}]}',
        b'{"a": 18446744073709551616}',
        b'{"a": -9223372036854775809}',
        b'{"a": [1, 99999999999999999999]}',
        b'{"a": 1e400}',
        b'{"a": NaN}',
        b'{"a": "\\ud800"}',
        b'{"a": "\xff"}',
        b'\xef\xbb\xbf{"a": 1}',
        b'[{"a": 1}]',
        b'{"a": 1',
    ],
)
def test_the_fast_json_reader_declines_what_it_could_read_differently(line: bytes) -> None:
    """The strict reader then decides, and words any error."""
    assert loads_plain_object(line) is None


@pytest.mark.parametrize(
    "line",
    [
        b'{"knee_pain": true, "age_years": 35, "height_cm": 172.5, "inflammatory_diagnosis": ["none"]}',
        b'{"a": 922337203685477580, "b": -0.0, "c": [], "d": {}, "e": null}\r',
        b' {"a": "\\u00e9\\n", "b": 1E2} ',
    ],
)
def test_the_fast_json_reader_reads_plain_objects_as_the_strict_reader_does(line: bytes) -> None:
    fast = loads_plain_object(line)
    assert fast is not None
    assert _same_json(fast, loads_strict(line.decode()))


def _form_pairs(raw: dict[str, Any]) -> list[tuple[str, str]]:
    """An answer set as a browser posts it: true/false, numbers as text, a list as repeated fields."""
    return [
        (name, ("true" if one else "false") if isinstance(one, bool) else str(one))
        for name, value in raw.items()
        for one in (value if isinstance(value, list) else [value])
    ]


def _posted_agrees(pairs: list[tuple[str, str]]) -> None:
    fast = posted.read_posted(pairs)
    with mock.patch.object(posted, "quick_given", return_value=None):
        full = posted.read_posted(pairs)
    assert fast == full
    assert list(fast.answers.items()) == list(full.answers.items())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(valid_answer_sets(), raw_answer_sets()))
def test_the_form_reader_with_quick_validation_reads_as_the_full_validator(raw: dict[str, Any]) -> None:
    """A posted form read through the fast validator gives what the full path gives: the same
    answers in the same order, problems, left-out follow-ups and conversions."""
    _posted_agrees(_form_pairs(raw))


def test_the_form_reader_agrees_on_synthetic_answer_sets_and_imperial_units() -> None:
    for raw in answer_sets(5, 400, invalid_every=20):
        _posted_agrees(_form_pairs(raw))
    _posted_agrees([("height_ft", "5"), ("height_in", "7"), ("weight_lb", "160"), ("age_years", "40")])
    _posted_agrees([("heel_pain", "true"), ("knee_pain", "false"), ("favourite_colour", "blue")])
