"""`factorcheck ask` driven in a real pseudo-terminal: what the screen shows and what gets saved."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from factorcheck.answers.questionnaire import ITEMS_BY_ID
from factorcheck.assessment import default_assessor
from factorcheck.conversation.session import CHECKLIST_ITEMS
from factorcheck.rules.ruleset import Ruleset
from support.ask_screen import Terminal

# One step: ("pick", text the live choice screen shows, keys...) or ("text", text near the prompt, typed).
Step = tuple[str, ...]

PICK_KEYS = ("Enter: confirm", "Enter: done")


@pytest.fixture(scope="module")
def ruleset() -> Ruleset:
    return default_assessor().ruleset


def flat(text: str) -> str:
    return " ".join(text.split())


def squashed(text: str) -> str:
    """Text without any white space: a line longer than the terminal is broken at column 80."""
    return "".join(text.split())


def pick(term: Terminal, marker: str, *keys: str) -> None:
    """Wait for a live choice screen showing `marker`, then press the keys and Enter (b and s act at once)."""
    term.wait_until(
        lambda: marker in term.display() and any(k in term.display() for k in PICK_KEYS),
        f"a choice screen with {marker!r}",
    )
    term.answer(*keys) if keys[-1:] in (("b",), ("s",)) else term.answer(*keys, "enter")


def text(term: Terminal, marker: str, typed: str) -> None:
    """Wait for a typed-answer prompt near `marker`, then type the answer and Enter."""
    term.wait_until(
        lambda: marker in term.display() and term.cursor_line().startswith(">"),
        f"a prompt with {marker!r}",
    )
    term.type_line(typed)


def walk(term: Terminal, steps: Sequence[Step]) -> None:
    for kind, marker, *keys in steps:
        if kind == "pick":
            pick(term, marker, *keys)
        else:
            text(term, marker, *keys)


def number_keys(item_id: str, choice: str) -> tuple[str, ...]:
    """The digit keys of a choice's number on its screen."""
    return tuple(str(ITEMS_BY_ID[item_id].choices.index(choice) + 1))


# "None of these apply to me" is the checklist's last option.
NONE_OF_THE_SIGNS = tuple(str(len(CHECKLIST_ITEMS) + 1))
NO_WARNING_SIGNS: list[Step] = [("pick", "Do any of these apply to you now?", *NONE_OF_THE_SIGNS, "space")]
# What a clinician asks first (pain now, what it stops, where else, what was tried): none of it.
CLINICIAN_NONE: list[Step] = [
    ("text", "How bad is your pain right now", "0"),
    ("pick", "stop you doing any of these", *number_keys("pain_stops", "none"), "space"),
    ("pick", "main pain also, or rather", *number_keys("pain_elsewhere", "none"), "space"),
    ("pick", "already tried for the pain", *number_keys("treatments_tried", "none"), "space"),
]
CLINICIAN_SKIPPED: list[Step] = [
    ("text", "How bad is your pain right now", "skip"),
    ("pick", "stop you doing any of these", "s"),
    ("pick", "main pain also, or rather", "s"),
    ("pick", "already tried for the pain", "s"),
]

BOTH_PAINS: list[Step] = [
    ("text", "How old are you", "52"),
    ("pick", "pain under your heel", "1"),
    ("pick", "first steps in the morning", "1"),
    ("pick", "Which heel hurts?", "3"),
    ("text", "how many weeks", "20"),
    ("pick", "Do you have knee pain?", "1"),
    ("pick", "Which knee hurts?", "1"),
    ("text", "had the knee pain", "3 months"),
    ("pick", "Which pain started first?", "2"),
    ("pick", "serious knee injury", "2"),
    ("pick", "Which looks most like your legs?", "2"),
    ("pick", "Because of your knee", "1"),
    ("pick", "Because of your heel", "1"),
    ("text", "How bad is your pain right now", "6"),
    ("pick", "stop you doing any of these", "3", "space"),
    ("pick", "main pain also, or rather", *number_keys("pain_elsewhere", "none"), "space"),
    ("pick", "already tried for the pain", "1", "space"),
]

FACTORS_IMPERIAL: list[Step] = [
    ("pick", "does your arch flatten", "2"),
    ("pick", "calves or Achilles", "1"),
    ("pick", "front of your hip", "3"),
    ("text", "How tall are you?", "5 ft 6 in"),
    ("text", "How much do you weigh?", "163"),
    ("pick", "working day standing", "1"),
    ("pick", "Do you run regularly", "2"),
]

WHOLE_BODY_NONE: list[Step] = [
    ("pick", "Has a doctor told you", *number_keys("inflammatory_diagnosis", "none"), "space"),
    ("pick", "psoriasis", "2"),
    ("pick", "low back pain", "2"),
    ("pick", "Do other joints", "2"),
]

SEE_REPORT: Step = ("text", "Press Enter to see your report", "")
# Without --output, the end offers to keep a copy of the report; Enter declines.
NO_COPY: Step = ("text", "To keep a copy", "")
# A person with no heel or knee pain, up to their report.
NO_PAIN_STEPS: list[Step] = [
    *NO_WARNING_SIGNS,
    ("text", "How old are you", "30"),
    ("pick", "pain under your heel", "2"),
    ("pick", "Do you have knee pain?", "2"),
    ("pick", "serious knee injury", "2"),
    ("pick", "Which looks most like your legs?", "1"),
    *CLINICIAN_NONE,
    ("pick", "does your arch flatten", "3"),
    ("pick", "calves or Achilles", "2"),
    ("pick", "front of your hip", "2"),
    ("text", "How tall are you?", "180"),
    ("text", "How much do you weigh?", "100"),
    ("pick", "working day standing", "1"),
    ("pick", "Do you run regularly", "2"),
    *WHOLE_BODY_NONE,
    SEE_REPORT,
]


def check_accepts(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "factorcheck", "check", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_both_pains_full_session_saves_answers_and_report(tmp_path: Path, ruleset: Ruleset) -> None:
    """A person with both pains and several links answers in at most 30 prompts and gets the report."""
    term = Terminal("--save-answers", "answers.json", "--output", "report.md", cwd=tmp_path)
    walk(term, [*NO_WARNING_SIGNS, *BOTH_PAINS, *FACTORS_IMPERIAL[:4]])
    term.wait_for("(5 ft 6 in = 168 cm)")
    walk(term, FACTORS_IMPERIAL[4:5])
    term.wait_for("(163 lb = 73.9 kg)")
    walk(term, [*FACTORS_IMPERIAL[5:], *WHOLE_BODY_NONE, SEE_REPORT])
    assert term.finish() == 0
    assert term.replies <= 30
    shown = flat(term.transcript())
    for mechanism in ("biomechanical_imbalance", "compensatory_movement", "muscle_imbalance", "heel_to_knee"):
        assert flat(ruleset.by_id[mechanism].title) in shown
    assert "Your answers were saved to answers.json." in shown
    assert squashed(shown).endswith(squashed(ruleset.level("routine").consult))
    answers = json.loads((tmp_path / "answers.json").read_text())
    assert answers["height_cm"] == 168
    assert answers["weight_kg"] == 73.9
    assert answers["knee_alignment"] == "knock_knees"
    assert check_accepts(tmp_path / "answers.json").returncode == 0
    report = (tmp_path / "report.md").read_text()
    assert report.rstrip().endswith(flat(ruleset.level("routine").consult))
    assert report.startswith("#")
    assert stat.S_IMODE((tmp_path / "report.md").stat().st_mode) == 0o600


def test_no_pain_session_skips_follow_ups(tmp_path: Path, ruleset: Ruleset) -> None:
    """A person with no pain is asked no heel or knee follow-ups, and the report says the links need pain."""
    term = Terminal(cwd=tmp_path)
    walk(term, [*NO_PAIN_STEPS, NO_COPY])
    assert term.finish() == 0
    shown = term.transcript()
    assert "Which heel hurts?" not in shown
    assert "Which knee hurts?" not in shown
    assert flat(ruleset.messages.no_pain) in flat(shown)
    assert flat(ruleset.by_id["excess_weight"].title) in flat(shown)


def test_emergency_is_told_before_the_rest(tmp_path: Path, ruleset: Ruleset) -> None:
    """Ticking chest pain shows the emergency action at once, before Part 2; the person may go on."""
    term = Terminal(cwd=tmp_path)
    pick(term, "Do any of these apply to you now?", "7", "space")
    term.wait_for("Press Enter to continue with the questions")
    shown = flat(term.transcript())
    assert flat(ruleset.level("emergency").action) in shown
    assert ruleset.by_id["chest_symptoms"].title in shown
    assert "Part 2 of 4" not in shown
    term.answer("enter")
    pick(term, "You ticked this warning sign", "1")
    walk(
        term,
        [
            ("text", "How old are you", "70"),
            ("pick", "pain under your heel", "2"),
            ("pick", "Do you have knee pain?", "1"),
            ("pick", "Which knee hurts?", "s"),
            ("text", "had the knee pain", "skip"),
            ("pick", "serious knee injury", "s"),
            ("pick", "Which looks most like your legs?", "s"),
            ("pick", "Because of your knee", "s"),
            *CLINICIAN_SKIPPED,
            ("pick", "does your arch flatten", "s"),
            ("pick", "calves or Achilles", "s"),
            ("pick", "front of your hip", "s"),
            ("text", "How tall are you?", "skip"),
            ("text", "How much do you weigh?", "skip"),
            ("pick", "working day standing", "s"),
            ("pick", "Do you run regularly", "s"),
            ("pick", "Has a doctor told you", "s"),
            ("pick", "psoriasis", "s"),
            ("pick", "low back pain", "s"),
            ("pick", "Do other joints", "s"),
            SEE_REPORT,
            NO_COPY,
        ],
    )
    assert term.finish() == 0
    report = flat(term.transcript().split("Press Enter to see your report")[-1])
    # The report too opens with what to do now.
    assert report.index("EMERGENCY: GET EMERGENCY HELP NOW") < report.index("FACTORCHECK REPORT")


def test_invalid_input_is_asked_again_and_nothing_is_lost(tmp_path: Path) -> None:
    """Bad answers get a message naming them and the allowed range; earlier answers stay."""
    saved = tmp_path / "partial.json"
    saved.write_text(json.dumps({"rf_recent_injury": "no", "age_years": 52, "heel_pain": True}))
    term = Terminal("--resume", str(saved), "--save-answers", "answers.json", cwd=tmp_path)
    term.wait_for("Continuing from")
    pick(term, "first steps in the morning", "1")
    pick(term, "Which heel hurts?", "1")
    text(term, "how many weeks", "ten")
    term.wait_for('! "ten" is not a length of time this form understands. Type weeks (for example 6),')
    text(term, "how many weeks", "600")
    term.wait_for('"600" is outside the range')
    text(term, "how many weeks", "10")
    pick(term, "Do you have knee pain?", "2")
    pick(term, "serious knee injury", "2")
    pick(term, "Which looks most like your legs?", "1")
    pick(term, "Because of your heel", "2")
    walk(term, [*CLINICIAN_NONE, *FACTORS_IMPERIAL[:3]])
    text(term, "How tall are you?", "tall")
    term.wait_for('"tall" is not a height this form understands')
    text(term, "How tall are you?", "3 ft")
    term.wait_for('"3 ft" (91 cm) is outside the range')
    text(term, "How tall are you?", "1.68 m")
    text(term, "How much do you weigh?", "800 lb")
    term.wait_for('"800 lb" (362.9 kg) is outside the range')
    text(term, "How much do you weigh?", "70")
    walk(term, [*FACTORS_IMPERIAL[5:], *WHOLE_BODY_NONE])
    term.wait_for("Press Enter to see your report")
    assert "Age: 52 years" in term.display() or "Age: 52 years" in term.transcript()
    walk(term, [SEE_REPORT, NO_COPY])
    assert term.finish() == 0
    answers = json.loads((tmp_path / "answers.json").read_text())
    assert answers["age_years"] == 52
    assert answers["rf_recent_injury"] == "no"
    assert answers["heel_pain_weeks"] == 10
    assert answers["height_cm"] == 168
    assert answers["weight_kg"] == 70


def test_going_back_and_changing_answers_drops_follow_ups(tmp_path: Path) -> None:
    """Back shows the earlier answer again; a changed answer at the review drops its follow-ups, saying so."""
    term = Terminal("--save-answers", "answers.json", cwd=tmp_path)
    walk(term, [*NO_WARNING_SIGNS, ("text", "How old are you", "52")])
    pick(term, "pain under your heel", "b")
    term.wait_until(lambda: term.cursor_line() == "> 52", "the age prompt again, holding 52")
    term.answer("enter")
    term.wait_for_count("pain under your heel", 2)
    pick(term, "pain under your heel", "1")
    pick(term, "first steps in the morning", "1")
    pick(term, "Which heel hurts?", "2")
    text(term, "how many weeks", "back")
    term.wait_for_count("Which heel hurts?", 2)
    term.wait_until(lambda: "> 2. Right" in term.display(), "the earlier choice under the cursor")
    pick(term, "Which heel hurts?", "3")
    walk(term, [("text", "how many weeks", "30"), *BOTH_PAINS[5:], *FACTORS_IMPERIAL, *WHOLE_BODY_NONE])
    term.wait_for("Press Enter to see your report")
    review = term.transcript().split("Check your answers")[-1]
    number = next(
        line.split(".")[0].strip() for line in review.splitlines() if "Pain under the heel or along" in line
    )
    text(term, "Press Enter to see your report", number)
    pick(term, "pain under your heel", "2")
    term.wait_for("these follow-up questions no longer apply")
    shown = flat(term.transcript())
    assert "Which heel hurts (you had answered: Both)" in shown
    assert "Weeks of heel pain (you had answered: 30 weeks)" in shown
    term.wait_for_count("Press Enter to see your report", 2)
    walk(term, [SEE_REPORT, NO_COPY])
    assert term.finish() == 0
    answers = json.loads((tmp_path / "answers.json").read_text())
    assert answers["heel_pain"] is False
    assert "heel_pain_side" not in answers
    assert "symptom_order" not in answers
    assert answers["age_years"] == 52
    assert check_accepts(tmp_path / "answers.json").returncode == 0


def test_ctrl_c_saves_and_resume_continues(tmp_path: Path, ruleset: Ruleset) -> None:
    """Ctrl-C stops cleanly and offers to save; --resume continues where the person stopped."""
    term = Terminal(cwd=tmp_path)
    pick(term, "Do any of these apply to you now?", "1", "space")
    pick(term, "You ticked this warning sign", "1")
    pick(term, "swell up a lot", "2")
    text(term, "How old are you", "60")
    term.wait_for("pain under your heel")
    term.keys("ctrl-c")
    term.wait_for("type a file name to save them in")
    term.keys("saved.json", "enter")
    term.wait_for("Saved to saved.json")
    assert term.finish() == 130
    assert "Traceback" not in term.transcript()
    saved = json.loads((tmp_path / "saved.json").read_text())
    assert saved["rf_recent_injury"] == "yes"
    assert saved["rf_rapid_knee_swelling"] == "no"
    assert saved["age_years"] == 60
    assert "heel_pain" not in saved
    assert stat.S_IMODE((tmp_path / "saved.json").stat().st_mode) == 0o600

    term = Terminal(
        "--resume", "saved.json", "--save-answers", "answers.json", "--output", "report.txt", cwd=tmp_path
    )
    term.wait_for(f"Continuing from saved.json: {len(saved)} answers loaded.")
    walk(
        term,
        [
            ("pick", "pain under your heel", "1"),
            ("pick", "first steps in the morning", "1"),
            ("pick", "Which heel hurts?", "1"),
            ("text", "how many weeks", "8"),
            ("pick", "Do you have knee pain?", "2"),
            ("pick", "serious knee injury", "2"),
            ("pick", "Which looks most like your legs?", "1"),
            ("pick", "Because of your heel", "2"),
            *CLINICIAN_NONE,
            *FACTORS_IMPERIAL,
            *WHOLE_BODY_NONE,
            SEE_REPORT,
        ],
    )
    assert term.finish() == 0
    assert check_accepts(tmp_path / "answers.json").returncode == 0
    answers = json.loads((tmp_path / "answers.json").read_text())
    assert {key: answers[key] for key in saved} == saved
    report = (tmp_path / "report.txt").read_text()
    assert flat(report).endswith(flat(ruleset.level("routine").consult))


def test_ctrl_c_without_saving_leaves_nothing(tmp_path: Path) -> None:
    """Ctrl-C then Enter leaves without a file and without a traceback."""
    term = Terminal(cwd=tmp_path)
    walk(term, NO_WARNING_SIGNS)
    text(term, "How old are you", "41")
    term.wait_for("pain under your heel")
    term.keys("ctrl-c")
    term.wait_for("type a file name to save them in")
    term.keys("enter")
    term.wait_for("Nothing was saved.")
    assert term.finish() == 130
    assert "Traceback" not in term.transcript()
    assert list(tmp_path.iterdir()) == []


def test_urgent_sign_is_told_before_the_next_question_and_again_on_ctrl_c(
    tmp_path: Path, ruleset: Ruleset
) -> None:
    """A swollen calf, "not sure", is told (get help today) at once; Ctrl-C later shows it again first."""
    term = Terminal(cwd=tmp_path)
    pick(term, "Do any of these apply to you now?", "6", "space")
    term.wait_for("Press Enter to continue with the questions")
    shown = flat(term.transcript())
    assert flat(ruleset.level("urgent").action) in shown
    assert ruleset.by_id["calf_swelling"].title in shown
    assert "You ticked this warning sign" not in shown
    term.answer("enter")
    pick(term, "You ticked this warning sign", "2")
    text(term, "How old are you", "60")
    term.wait_for("pain under your heel")
    term.keys("ctrl-c")
    term.wait_for("type a file name to save them in")
    shown = flat(term.transcript())
    action = flat(ruleset.level("urgent").action)
    assert shown.count(action) == 2
    assert shown.rindex(action) < shown.index("Stopped.")
    term.keys("enter")
    term.wait_for("Nothing was saved.")
    assert term.finish() == 130


def test_empty_warning_checklist_needs_the_explicit_none(tmp_path: Path) -> None:
    """Enter with nothing ticked is refused, naming "None of these apply to me"; choosing it goes on."""
    term = Terminal(cwd=tmp_path)
    pick(term, "Do any of these apply to you now?")
    term.wait_for("Nothing is ticked.")
    assert "How old are you" not in term.transcript()
    pick(term, "None of these apply to me", *NONE_OF_THE_SIGNS, "space")
    text(term, "How old are you", "40")


def test_under_18_is_told_right_after_the_age(tmp_path: Path, ruleset: Ruleset) -> None:
    """An age of 15 is told at once (written for adults, see a doctor), before the next question."""
    term = Terminal(cwd=tmp_path)
    walk(term, [*NO_WARNING_SIGNS, ("text", "How old are you", "15")])
    term.wait_for("pain under your heel")
    shown = flat(term.transcript())
    assert shown.index("You are under 18.") < shown.rindex("pain under your heel")
    assert flat(ruleset.by_id["under_18"].explanation) in shown


@pytest.mark.parametrize("rows", [24, 16])
def test_every_checklist_item_and_the_key_help_can_be_seen(tmp_path: Path, rows: int) -> None:
    """Moving down the checklist on a small terminal, every item shows with the key help still in view."""
    from factorcheck.conversation.session import CHECKLIST_ITEMS, NONE_LABEL

    term = Terminal(cwd=tmp_path, rows=rows)
    labels = [item.label for item in CHECKLIST_ITEMS] + [NONE_LABEL]
    seen: set[str] = set()
    for number, label in enumerate(labels, start=1):
        cursor = f"> [ ] {number}."
        term.wait_until(
            lambda: "Enter: done" in term.display() and cursor in flat(term.display()),  # noqa: B023
            f"item {number} under the cursor with the key help",
        )
        screen = flat(term.display())
        assert "Do any of these apply to you now?" in screen
        seen |= {text for text in labels if flat(text) in screen}
        assert flat(label) in screen
        if number < len(labels):
            term.keys("down")
    assert seen == set(labels)
    # Ticking none and going on still works on the small screen.
    term.keys("space", "enter")
    text(term, "How old are you", "40")


def test_an_existing_file_is_replaced_only_if_asked_and_the_report_can_be_kept(tmp_path: Path) -> None:
    """An existing answers file is kept unless the person says replace; at the end the report may be kept."""
    kept = tmp_path / "kept.json"
    kept.write_text("{}")
    term = Terminal("--save-answers", "kept.json", cwd=tmp_path)
    walk(term, NO_PAIN_STEPS)
    text(term, "kept.json already exists. Replace it with your answers?", "no")
    text(term, "Type another file name for your answers", "new.json")
    text(term, "To keep a copy", "copy.pdf")
    text(term, 'does not write ".pdf" reports', "copy.html")
    term.wait_for("Your report was saved to copy.html.")
    assert term.finish() == 0
    assert kept.read_text() == "{}"
    assert check_accepts(tmp_path / "new.json").returncode == 0
    copy = tmp_path / "copy.html"
    assert copy.read_text().startswith("<!DOCTYPE html>")
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600


def test_opening_waits_for_enter_and_keys_that_do_nothing_say_so(tmp_path: Path) -> None:
    """At 80 x 24 the opening notice stays in view until Enter; a number with no option is told; Enter
    on "None of these apply to me" chooses it without Space."""
    term = Terminal(cwd=tmp_path, start=False)
    term.wait_for("Press Enter to start")
    assert "It is education, not a diagnosis." in flat(term.display())
    term.keys("enter")
    term.wait_for("Enter: done")
    term.keys("0")
    term.wait_for("There is no option 0: the options are 1 to")
    term.keys("up", "enter")
    term.wait_for("How old are you")
    assert "Nothing is ticked." not in term.transcript()
    term.keys("ctrl-c")
    term.wait_for("type a file name to save them in")
    term.keys("enter")
    term.wait_for("Nothing was saved.")
    assert term.finish() == 130
