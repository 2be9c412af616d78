"""The questionnaire flow, without any screen: order, skipping, going back, changes, emergencies."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from factorcheck.answers.questionnaire import ITEMS, ITEMS_BY_ID
from factorcheck.answers.validate import parse_answers
from factorcheck.assessment import Assessor, default_assessor
from factorcheck.conversation.prompts import Back, Option, Picked, Skip, Typed
from factorcheck.conversation.session import (
    CHECKLIST_ITEMS,
    NONE_KEY,
    PROVISIONAL,
    UNDER_18_RULE,
    Outcome,
    Session,
)
from support.typical_session import TYPICAL


@pytest.fixture(scope="module")
def assessor() -> Assessor:
    return default_assessor()


def run(session: Session, replies: Sequence[str]) -> list[Outcome]:
    outcomes = []
    for text in replies:
        outcome = session.reply(Typed(text))
        assert not outcome.error, f"{session.prompt().key}: {outcome.error}"
        outcomes.append(outcome)
    return outcomes


def keys_until(session: Session, key: str, replies: Sequence[str]) -> None:
    run(session, replies)
    assert session.prompt().key == key


def test_typical_person_answers_30_prompts(assessor: Assessor) -> None:
    """A typical person (both pains, no warning signs) is done in 30 prompts, review included."""
    session = Session(assessor)
    run(session, TYPICAL)
    assert session.finished
    assert len(TYPICAL) == 30
    parse_answers(session.answers)


def test_order_follows_the_questionnaire(assessor: Assessor) -> None:
    """Prompts come in questionnaire order: checklist, then Parts 2 to 4, then the review."""
    session = Session(assessor)
    seen = []
    for text in TYPICAL:
        seen.append(session.prompt().key)
        session.reply(Typed(text))
    items = [key.split(":")[1] for key in seen if key.startswith("item:")]
    order = [item.id for item in ITEMS]
    assert items == sorted(items, key=order.index)
    assert seen[0] == "checklist"
    assert seen[-1] == "review"


def test_checklist_ticks_lead_to_confirmations_then_follow_ups(assessor: Assessor) -> None:
    """Ticked signs are confirmed (yes, not sure, a mistake), unticked ones become no, follow-ups follow."""
    session = Session(assessor)
    run(session, ["1 11"])
    assert session.answers["rf_cannot_bear_weight"] == "no"
    assert session.answers["rf_recent_injury"] == "not_sure"
    assert session.prompt().key == "confirm:rf_recent_injury"
    assert [o.key for o in session.prompt().options] == ["yes", "not_sure", "no"]
    run(session, ["yes"])
    assert session.prompt().key == "confirm:rf_diabetes"
    run(session, ["not sure"])
    assert session.prompt().key == "item:rf_rapid_knee_swelling"
    run(session, ["no"])
    assert session.prompt().key == "item:rf_diabetic_foot_change"
    run(session, ["no"])
    assert session.prompt().key == "item:age_years"
    confirmed = session.answers
    assert confirmed["rf_recent_injury"] == "yes"
    assert confirmed["rf_diabetes"] == "not_sure"


def test_follow_ups_of_no_pain_are_not_asked(assessor: Assessor) -> None:
    """With neither pain, no heel or knee follow-up is asked."""
    session = Session(assessor)
    asked = []
    replies = ["none", "40", "no", "no", "no", "straight", "0", "none", "none", "none"]
    replies += ["no", "no", "no", "skip", "skip", "no", "no"]
    replies += ["none", "no", "no", "no", ""]
    for text in replies:
        asked.append(session.prompt().key)
        assert not session.reply(Typed(text)).error
    assert session.finished
    follow_ups = {item.id for item in ITEMS if item.enabled_when and not item.is_safety_item}
    assert not follow_ups & {key.split(":")[-1] for key in asked}
    assert "height_cm" not in session.answers


def test_required_items_cannot_be_skipped(assessor: Assessor) -> None:
    """Skipping a required question is refused with a message; the question stays."""
    session = Session(assessor)
    run(session, ["none"])
    outcome = session.reply(Skip())
    assert "needs an answer" in outcome.error
    assert session.prompt().key == "item:age_years"


def test_back_from_the_first_question_says_so(assessor: Assessor) -> None:
    """Going back from the checklist explains there is nothing before it."""
    session = Session(assessor)
    assert session.prompt().can_go_back is False
    assert "first question" in session.reply(Back()).error


def test_going_back_keeps_answers_as_defaults(assessor: Assessor) -> None:
    """Going back shows the earlier answer again; pressing Enter keeps it, nothing is lost."""
    session = Session(assessor)
    run(session, ["none", "52", "yes"])
    assert session.prompt().key == "item:heel_pain_first_steps"
    run(session, ["back", "back"])
    prompt = session.prompt()
    assert prompt.key == "item:age_years"
    assert prompt.default_text == "52"
    run(session, ["", ""])
    assert session.answers["age_years"] == 52
    assert session.answers["heel_pain"] is True
    assert session.prompt().key == "item:heel_pain_first_steps"


def test_changing_an_answer_drops_follow_ups_and_says_so(assessor: Assessor) -> None:
    """Changing heel pain to no removes the heel follow-ups already answered, with a notice naming them."""
    session = Session(assessor)
    run(session, ["none", "52", "yes", "yes", "both"])
    run(session, ["back", "back", "back"])
    assert session.prompt().key == "item:heel_pain"
    outcome = session.reply(Typed("no"))
    dropped = [n for n in outcome.notices if n.kind == "dropped"]
    assert len(dropped) == 1
    assert any(ITEMS_BY_ID["heel_pain_side"].label in line for line in dropped[0].lines)
    assert "heel_pain_side" not in session.answers
    assert "heel_pain_first_steps" not in session.answers
    assert session.prompt().key == "item:knee_pain"


def test_unticking_a_warning_sign_drops_its_follow_up(assessor: Assessor) -> None:
    """Unticking the recent injury removes the knee-swelling follow-up answer, and says so."""
    session = Session(assessor)
    run(session, ["1", "yes", "no"])
    assert session.answers["rf_rapid_knee_swelling"] == "no"
    run(session, ["back", "back", "back"])
    assert session.prompt().key == "checklist"
    assert session.prompt().selected == ("rf_recent_injury",)
    outcome = session.reply(Typed("0"))
    assert [n.kind for n in outcome.notices] == ["dropped"]
    assert "rf_rapid_knee_swelling" not in session.answers
    assert session.answers["rf_recent_injury"] == "no"


def test_review_edit_asks_only_new_follow_ups(assessor: Assessor) -> None:
    """Changing knee pain to yes at the review asks its new follow-ups, then returns to the review."""
    session = Session(assessor)
    run(session, ["none", "40", "yes", "skip", "right", "skip", "no", "no", "straight", "skip"])
    run(session, ["skip", "skip", "skip", "skip"])  # pain now, what it stops, where else, tried
    run(session, ["no", "no", "no", "skip", "skip", "no", "no", "none", "no", "no", "no"])
    assert session.prompt().kind == "review"
    number = next(line.number for line in session.prompt().review if line.item == "knee_pain")
    run(session, [str(number)])
    assert session.prompt().key == "item:knee_pain"
    run(session, ["yes"])
    asked = []
    while session.prompt().kind != "review":
        asked.append(session.prompt().key)
        run(session, ["no" if "gait" in session.prompt().key else "1"])
    assert asked == [
        "item:knee_pain_side",
        "item:knee_pain_weeks",
        "item:symptom_order",
        "item:gait_changed_by_knee",
    ]
    run(session, [""])
    assert session.finished
    parse_answers(session.answers)


def test_back_from_a_review_edit_returns_to_the_review(assessor: Assessor) -> None:
    """Going back while changing one answer returns to the review without changing it."""
    session = Session(assessor, complete_answers())
    assert session.prompt().kind == "review"
    run(session, ["13", "back"])
    assert session.prompt().kind == "review"
    assert session.answers == complete_answers()


def test_a_reply_the_review_refuses_is_shown_escaped_and_shortened(assessor: Assessor) -> None:
    """At the review, a typed terminal escape comes back as its escape, and a long text shortened
    (a message echoing it raw would let the reply act on the person's terminal)."""
    session = Session(assessor, complete_answers())
    outcome = session.reply(Typed("\x1b[2J\x1b]0;title\x07"))
    assert outcome.error.startswith('"\\x1b[2J\\x1b]0;title\\x07" is not one of the answer numbers.')
    assert "\x1b" not in outcome.error
    outcome = session.reply(Typed("9" * 100_000 + "x"))
    assert "(100,001 characters)" in outcome.error
    assert len(outcome.error) < 500
    assert session.prompt().kind == "review"
    assert session.answers == complete_answers()


@pytest.mark.parametrize("typed", ["9" * 4301, "0" * 5000 + "3", "\u0663", "\uff13", "3" + "0" * 20])
def test_the_review_reads_only_an_answer_number_in_ascii_digits(assessor: Assessor, typed: str) -> None:
    """A number of thousands of digits (more than Python reads), or digits of another script, is
    not one of the answer numbers: the review is shown again, nothing raised, nothing changed."""
    session = Session(assessor, complete_answers())
    outcome = session.reply(Typed(typed))
    assert "is not one of the answer numbers" in outcome.error
    assert session.prompt().kind == "review"
    assert session.answers == complete_answers()
    assert not session.reply(Typed("3")).error
    assert session.prompt().key.startswith("item:")


def test_invalid_answers_are_reasked_with_what_was_given_and_allowed(assessor: Assessor) -> None:
    """A bad answer is refused with a message naming it and what is allowed; the prompt stays."""
    session = Session(assessor)
    run(session, ["none"])
    outcome = session.reply(Typed("abc"))
    assert '"abc"' in outcome.error
    assert "1 to 120" in outcome.error
    outcome = session.reply(Typed("130"))
    assert "130" in outcome.error
    assert session.prompt().key == "item:age_years"
    assert session.answers["rf_recent_injury"] == "no"


def test_none_cannot_be_combined(assessor: Assessor) -> None:
    """'None of these' together with a diagnosis is refused with a clear message."""
    session = Session(assessor, answers_before("inflammatory_diagnosis"))
    assert session.prompt().key == "item:inflammatory_diagnosis"
    outcome = session.reply(Picked(("gout", "none")))
    assert "None of these" in outcome.error
    assert "Gout" in outcome.error
    run(session, ["gout"])
    assert session.answers["inflammatory_diagnosis"] == ["gout"]


def test_picked_replies_work_as_a_form_would_send_them(assessor: Assessor) -> None:
    """A front end may send option keys instead of typed text."""
    session = Session(assessor)
    assert not session.reply(Picked(("rf_diabetes",))).error
    assert not session.reply(Picked(("yes",))).error
    assert not session.reply(Picked(("no",))).error
    assert session.answers["rf_diabetic_foot_change"] == "no"
    assert not session.reply(Typed("52")).error
    assert "Choose one" in session.reply(Picked(("maybe",))).error
    assert not session.reply(Picked(("yes",))).error
    assert session.answers["heel_pain"] is True


def test_imperial_height_sets_pounds_for_weight(assessor: Assessor) -> None:
    """A height in feet and inches makes a bare weight mean pounds, and both conversions are told."""
    session = Session(assessor, answers_before("height_cm"))
    assert session.prompt().key == "item:height_cm"
    notices = run(session, ["5 ft 6 in", "163"])
    assert session.answers["height_cm"] == 168
    assert session.answers["weight_kg"] == 73.9
    assert [n.title for o in notices for n in o.notices] == ["5 ft 6 in = 168 cm", "163 lb = 73.9 kg"]


def complete_answers(**changes: object) -> dict[str, object]:
    answers: dict[str, object] = {
        "rf_recent_injury": "no",
        "rf_cannot_bear_weight": "no",
        "rf_deformity_or_snap": "no",
        "rf_knee_locked": "no",
        "rf_hot_swollen_fever": "no",
        "rf_calf_swelling": "no",
        "rf_breathless_chest_pain": "no",
        "rf_numbness_tingling": "no",
        "rf_night_rest_pain": "no",
        "rf_systemic": "no",
        "rf_diabetes": "no",
        "rf_severe_or_worsening": "no",
        "age_years": 52,
        "heel_pain": True,
        "knee_pain": False,
        "knee_injury": "no",
        "knee_alignment": "straight",
        "foot_rolls_in": "no",
        "calf_tightness": "no",
        "hip_front_tightness": "no",
        "height_cm": 170,
        "weight_kg": 70,
        "on_feet_most_of_day": "no",
        "activity_increase": "no",
        "inflammatory_diagnosis": ["none"],
        "spa_features": "no",
        "inflammatory_back_pain": "no",
        "other_joint_swelling": "no",
    }
    answers.update(changes)
    return {key: value for key, value in answers.items() if value is not None}


def answers_before(item_id: str) -> dict[str, object]:
    """A complete answer set cut just before one item: where a stopped session resumes."""
    order = [item.id for item in ITEMS]
    return {k: v for k, v in complete_answers().items() if order.index(k) < order.index(item_id)}


def test_resume_continues_after_the_last_answer(assessor: Assessor) -> None:
    """Resumed answers are kept and the questions continue after the last one answered."""
    saved = {item.id: "no" for item in CHECKLIST_ITEMS} | {"age_years": 30, "heel_pain": False}
    session = Session(assessor, saved)
    assert session.prompt().key == "item:knee_pain"
    assert session.answers == saved
    run(session, ["back"])
    assert session.prompt().key == "item:heel_pain"


def test_review_asks_required_items_missing_from_a_resumed_file(assessor: Assessor) -> None:
    """A required answer missing from resumed answers is asked before the report."""
    session = Session(assessor, complete_answers(age_years=None))
    assert session.prompt().kind == "review"
    outcome = session.reply(Typed(""))
    assert not session.finished
    assert [n.kind for n in outcome.notices] == ["info"]
    assert session.prompt().key == "item:age_years"
    run(session, ["44", ""])
    assert session.finished


def _emergency_rules(assessor: Assessor) -> list[str]:
    return [r.id for r in assessor.ruleset.of_kind("triage") if r.level == "emergency"]


def _safety_part(example: Mapping[str, object]) -> dict[str, object]:
    return {key: value for key, value in example.items() if ITEMS_BY_ID[key].is_safety_item}


def test_every_emergency_rule_warns_at_once(assessor: Assessor) -> None:
    """Each emergency rule's own must-fire example, given on the checklist, warns before Part 2."""
    rules = _emergency_rules(assessor)
    assert rules
    for rule_id in rules:
        for example in assessor.ruleset.by_id[rule_id].examples.must_fire:
            ticked = [str(n) for n, item in enumerate(CHECKLIST_ITEMS, 1) if item.id in _safety_part(example)]
            session = Session(assessor)
            outcome = session.reply(Typed(" ".join(ticked)))
            emergencies = [n for n in outcome.notices if n.kind == "emergency"]
            assert emergencies, rule_id
            assert emergencies[0].text.startswith(assessor.ruleset.level("emergency").action)
            assert emergencies[0].text.endswith(PROVISIONAL), "told before the tick is confirmed"
            assert assessor.ruleset.by_id[rule_id].title in emergencies[0].lines
            assert session.prompt().section.startswith("Part 1"), "warned before Part 2"


def test_emergency_is_told_once_and_again_after_it_was_taken_back(assessor: Assessor) -> None:
    """The emergency notice is not repeated for the same answers, but comes back if re-given."""
    session = Session(assessor)
    first = session.reply(Typed("7"))
    assert [n.kind for n in first.notices] == ["emergency"]
    assert not session.reply(Typed("yes")).notices
    run(session, ["back", "back", "0"])
    outcome = session.reply(Typed("back"))
    assert not outcome.error
    again = session.reply(Typed("7"))
    assert [n.kind for n in again.notices] == ["emergency"]


def test_resumed_emergency_is_told_at_start(assessor: Assessor) -> None:
    """Answers resumed with an emergency sign warn before the first prompt."""
    session = Session(assessor, {"rf_deformity_or_snap": "not_sure"})
    assert [n.kind for n in session.start()] == ["emergency"]


def _rules_at(assessor: Assessor, level: str) -> list[str]:
    return [r.id for r in assessor.ruleset.of_kind("triage") if r.level == level]


def _answer_safety_part(session: Session, example: Mapping[str, object]) -> list[Outcome]:
    """Tick the checklist signs of an example, then confirm and answer its follow-ups as it says."""
    safety = _safety_part(example)
    ticked = [str(n) for n, item in enumerate(CHECKLIST_ITEMS, 1) if item.id in safety]
    outcomes = [session.reply(Typed(" ".join(ticked) or "none"))]
    while session.prompt().section.startswith("Part 1"):
        item = session.prompt().key.split(":")[1]
        value = safety.get(item, "no")
        outcomes.append(session.reply(Typed("not sure" if value == "not_sure" else str(value))))
        assert not outcomes[-1].error, outcomes[-1].error
    return outcomes


def test_every_urgent_rule_is_told_before_the_next_question(assessor: Assessor) -> None:
    """Each urgent rule's must-fire example, as answered, is told (level title and action) before Part 2."""
    rules = _rules_at(assessor, "urgent")
    assert rules
    level = assessor.ruleset.level("urgent")
    for rule_id in rules:
        for example in assessor.ruleset.by_id[rule_id].examples.must_fire:
            if not all(ITEMS_BY_ID[key].is_safety_item for key in example if key not in REQUIRED):
                continue  # a rule on Part 2 answers: told as soon as they are given (test below)
            session = Session(assessor)
            outcomes = _answer_safety_part(session, example)
            told = [n for o in outcomes for n in o.notices if n.kind in ("urgent", "emergency")]
            assert told, rule_id
            assert told[-1].wait
            assert assessor.ruleset.by_id[rule_id].title in told[-1].lines
            if told[-1].kind == "urgent":
                assert told[-1].title == level.title
                assert told[-1].text.startswith(level.action)


REQUIRED = ("age_years", "heel_pain", "knee_pain")


def test_a_childs_knee_pain_with_a_limp_is_told_as_soon_as_the_limp_is_given(assessor: Assessor) -> None:
    """Age 12, knee pain and a limp (Part 2 answers): urgent advice right after the limp answer."""
    session = Session(assessor)
    run(session, ["none", "12", "no", "yes", "left", "3 months"])
    assert session.prompt().key == "item:knee_injury"
    run(session, ["no", "straight"])
    assert session.prompt().key == "item:gait_changed_by_knee"
    told = session.reply(Typed("yes"))
    assert [n.kind for n in told.notices] == ["urgent"]
    assert assessor.ruleset.by_id["child_knee_pain_with_limp"].title in told.notices[0].lines


def test_swollen_calf_not_sure_is_told_at_once(assessor: Assessor) -> None:
    """A swollen calf, confirmed as "not sure", is told (get help today) before the next question."""
    session = Session(assessor)
    number = next(n for n, item in enumerate(CHECKLIST_ITEMS, 1) if item.id == "rf_calf_swelling")
    first = session.reply(Typed(str(number)))
    assert [n.kind for n in first.notices] == ["urgent"]
    assert first.notices[0].text == assessor.ruleset.level("urgent").action + PROVISIONAL
    assert assessor.ruleset.by_id["calf_swelling"].title in first.notices[0].lines
    # Confirming does not repeat it; the advice stays available for a stop.
    assert not session.reply(Typed("not sure")).notices
    assert [n.kind for n in session.advice_now()] == ["urgent"]
    assert not session.advice_now()[0].wait


def test_an_emergency_after_an_urgent_sign_is_told_at_the_higher_level(assessor: Assessor) -> None:
    """Ticking a locked knee and chest pain gives one emergency notice naming both signs."""
    session = Session(assessor)
    ids = [item.id for item in CHECKLIST_ITEMS]
    knee, chest = ids.index("rf_knee_locked") + 1, ids.index("rf_breathless_chest_pain") + 1
    outcome = session.reply(Typed(f"{knee} {chest}"))
    assert [n.kind for n in outcome.notices] == ["emergency"]
    lines = outcome.notices[0].lines
    assert assessor.ruleset.by_id["knee_locked"].title in lines
    assert assessor.ruleset.by_id["chest_symptoms"].title in lines


def test_no_advice_now_without_urgent_signs(assessor: Assessor) -> None:
    """With no urgent or emergency sign in the answers, a stop has no advice to repeat."""
    session = Session(assessor)
    run(session, TYPICAL[:5])
    assert session.advice_now() == ()


def test_empty_checklist_needs_an_explicit_none(assessor: Assessor) -> None:
    """An empty checklist answer is refused, naming the "none of these" choice; nothing is recorded."""
    session = Session(assessor)
    for reply in (Typed(""), Picked(())):
        outcome = session.reply(reply)
        assert "None of these apply to me" in outcome.error
        assert session.answers == {}
    assert session.prompt().options[-1] == Option(NONE_KEY, "None of these apply to me")
    outcome = session.reply(Picked((NONE_KEY, CHECKLIST_ITEMS[0].id)))
    assert "cannot go with" in outcome.error
    assert session.answers == {}


@pytest.mark.parametrize(
    "reply", [Typed("none"), Typed("0"), Typed(str(len(CHECKLIST_ITEMS) + 1)), Picked((NONE_KEY,))]
)
def test_none_of_these_records_every_sign_as_no(assessor: Assessor, reply: Typed | Picked) -> None:
    """Choosing "none of these" (typed, by number or picked) records no for every checklist sign."""
    session = Session(assessor)
    assert not session.reply(reply).error
    assert {item.id: session.answers[item.id] for item in CHECKLIST_ITEMS} == {
        item.id: "no" for item in CHECKLIST_ITEMS
    }
    session.reply(Back())
    assert session.prompt().selected == (NONE_KEY,)


def test_a_ticked_sign_can_be_unticked_at_its_confirmation(assessor: Assessor) -> None:
    """ "No, I ticked it by mistake" records no, drops the confirmation and the warning with it."""
    session = Session(assessor)
    session.reply(Typed("7"))
    assert session.prompt().key == f"confirm:{CHECKLIST_ITEMS[6].id}"
    outcome = session.reply(Typed("no"))
    assert not outcome.error
    assert session.answers[CHECKLIST_ITEMS[6].id] == "no"
    assert session.advice_now() == ()


def test_under_18_is_told_right_after_the_age(assessor: Assessor) -> None:
    """An age under 18 is told at once, once, in the under-18 rule's words; 18 is not."""
    session = Session(assessor)
    run(session, ["none"])
    outcome = session.reply(Typed("15"))
    assert [n.title for n in outcome.notices] == ["You are under 18."]
    assert assessor.ruleset.by_id[UNDER_18_RULE].explanation in outcome.notices[0].text
    assert "see a doctor" in outcome.notices[0].text
    assert not session.reply(Typed("yes")).notices
    adult = Session(assessor)
    run(adult, ["none"])
    assert not adult.reply(Typed("18")).notices


def test_height_and_weight_are_skipped_together(assessor: Assessor) -> None:
    """Skipping the weight after giving the height removes the height too, and says why."""
    session = Session(assessor, answers_before("height_cm"))
    outcomes = run(session, ["170", "skip"])
    assert [n.kind for n in outcomes[1].notices] == ["info"]
    assert "go together" in outcomes[1].notices[0].title
    assert "height_cm" not in session.answers
    assert "weight_kg" not in session.answers


def test_weight_without_the_skipped_height_is_refused(assessor: Assessor) -> None:
    """Giving a weight after skipping the height says to go back for the height, or skip both."""
    session = Session(assessor, answers_before("height_cm"))
    run(session, ["skip"])
    outcome = session.reply(Typed("70"))
    assert "left out your height" in outcome.error
    run(session, ["back", "170", "70"])
    assert session.answers["weight_kg"] == 70


def test_changing_height_from_the_review_asks_the_weight_left_out(assessor: Assessor) -> None:
    """Giving a height from the review, after both were skipped, asks the weight next."""
    session = Session(assessor, answers_before("height_cm"))
    run(session, ["skip", "skip", "no", "no", "none", "no", "no", "no"])
    assert session.prompt().kind == "review"
    number = next(line.number for line in session.prompt().review if line.item == "height_cm")
    run(session, [str(number), "180"])
    assert session.prompt().key == "item:weight_kg"
    run(session, ["80", ""])
    assert session.finished


def test_follow_up_context_only_where_it_helps(assessor: Assessor) -> None:
    """A follow-up right after its question has no "Follow-up to" line; one asked later has it."""
    session = Session(assessor)
    run(session, ["none", "52", "yes"])
    assert session.prompt().context == ""
    run(session, ["yes", "left", "20", "yes", "left", "12", "heel first", "no", "straight", "yes"])
    assert session.prompt().key == "item:limp_from_heel"
    assert session.prompt().context == "Follow-up to: Pain under the heel or along the arch"


def test_a_tick_taken_back_says_the_earlier_advice_no_longer_applies(assessor: Assessor) -> None:
    """Ticking chest symptoms warns at once (provisional); "ticked it by mistake" then says the
    advice no longer applies, and no emergency is left standing."""
    number = next(n for n, item in enumerate(CHECKLIST_ITEMS, 1) if item.id == "rf_breathless_chest_pain")
    session = Session(assessor)
    told = session.reply(Typed(str(number)))
    assert [n.kind for n in told.notices] == ["emergency"]
    assert told.notices[0].text.endswith(PROVISIONAL)
    taken_back = session.reply(Typed("no"))
    assert [n.kind for n in taken_back.notices] == ["info"]
    notice = taken_back.notices[0]
    assert notice.title == "The earlier advice no longer applies"
    assert assessor.ruleset.by_id["chest_symptoms"].title in notice.lines
    assert session.advice_now() == ()


def test_taking_back_one_of_two_signs_repeats_the_advice_that_still_applies(assessor: Assessor) -> None:
    """With an urgent sign left, taking back the emergency one says so and repeats the urgent advice."""
    numbers = {item.id: n for n, item in enumerate(CHECKLIST_ITEMS, 1)}
    session = Session(assessor)
    session.reply(Typed(f"{numbers['rf_calf_swelling']} {numbers['rf_breathless_chest_pain']}"))
    assert not session.reply(Typed("yes")).notices  # calf swelling confirmed: already told
    taken_back = session.reply(Typed("no"))  # chest symptoms: a mistake
    kinds = [n.kind for n in taken_back.notices]
    assert kinds == ["info", "urgent"]
    assert taken_back.notices[1].text == assessor.ruleset.level("urgent").action
