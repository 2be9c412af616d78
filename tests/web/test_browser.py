"""The web form in a real browser, filled as a person would (by label and role), with and without JavaScript.

Each page state is checked with axe-core (WCAG 2.1 A and AA: 0 violations) where the script runs,
and saved as a screenshot under test-output/web/ to be looked at.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from factorcheck.answers.questionnaire import ITEMS_BY_ID, SAFETY_ITEMS
from factorcheck.assessment import default_assessor
from factorcheck.web.safety_gate import ALWAYS_ASKED, NONE_LABEL
from support import EXAMPLES

AXE = Path(__file__).parent / "axe" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CONSULT = default_assessor().ruleset.level("routine").consult
BOTH = json.loads((EXAMPLES / "both-pains-several-links.json").read_text())
EVERY_SIGN_NO = dict.fromkeys(ALWAYS_ASKED, "no")

pytestmark = pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists(), reason="chromium is not installed (make test installs it)"
)


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations of the WCAG 2.1 A and AA rules on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def printed(page: Page, folder: Path, name: str) -> list[str]:
    """The page printed to A4 as the browser prints it: each printed page's text (with poppler's
    pdftotext; else only as many empty texts as pages), each page also saved as a picture."""
    pdf = folder / f"{name}.pdf"
    pdf.write_bytes(page.pdf(format="A4"))
    count = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    for old in folder.glob(f"{name}-*.png"):
        old.unlink()
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(folder / name)], check=True)
    if not shutil.which("pdftotext"):
        return [""] * count
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True)
    pages = text.stdout.split("\f")
    return pages[:count]


def shoot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def group(page: Page, item_id: str) -> Any:
    return page.get_by_role("group", name=ITEMS_BY_ID[item_id].question)


def choose(page: Page, item_id: str, value: object) -> None:
    """Tick an answer the way a person does: the option's label inside the question's group."""
    item = ITEMS_BY_ID[item_id]
    if isinstance(value, bool):
        group(page, item_id).get_by_role("radio", name="Yes" if value else "No", exact=True).check()
    elif isinstance(value, list):
        for one in value:
            group(page, item_id).get_by_role("checkbox", name=item.choice_label(one), exact=True).check()
    elif item_id == "height_cm":
        page.get_by_role("textbox", name="Centimetres").fill(str(value))
    elif item_id == "weight_kg":
        page.get_by_role("textbox", name="Kilograms").fill(str(value))
    elif isinstance(value, int | float):
        page.get_by_role("textbox", name=item.question).fill(str(value))
    else:
        group(page, item_id).get_by_role("radio", name=item.choice_label(str(value)), exact=True).check()


def fill(page: Page, answers: dict[str, Any], part: int) -> None:
    for item_id, value in answers.items():
        if ITEMS_BY_ID[item_id].part == part or (part > 1 and ITEMS_BY_ID[item_id].part > 1):
            choose(page, item_id, value)


def to_report(page: Page) -> None:
    """From the last questions, through the review, to the report."""
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_role("heading", name="Check your answers", level=1)).to_be_visible()
    page.get_by_role("button", name="See my report").click()
    expect(page.get_by_role("heading", name="factorcheck report", level=1)).to_be_visible()


def none_of_the_signs(page: Page) -> None:
    page.get_by_role("checkbox", name=NONE_LABEL, exact=True).check()


@pytest.fixture
def no_script(browser: Browser) -> Iterator[BrowserContext]:
    """A browser with JavaScript switched off."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 900, "height": 900})
    yield context
    context.close()


def test_person_with_both_pains_gets_the_report_with_several_links(
    page: Page, server_url: str, screenshots: Path
) -> None:
    """Safety screen, then the rest, to a report with the links, the chain and the consult message last."""
    page.goto(server_url + "/")
    expect(page.get_by_role("heading", name="Part 1 of 4: Warning signs")).to_be_visible()
    assert axe_violations(page) == []
    shoot(page, screenshots, "01-empty-form")
    fill(page, BOTH, part=1)
    none_of_the_signs(page)
    page.get_by_role("button", name="Continue to the other questions").click()
    expect(page.get_by_role("heading", name="Part 2 of 4: Your pain and its history")).to_be_visible()
    expect(page.locator("#triage-now")).to_have_count(0)
    fill(page, BOTH, part=2)
    expect(group(page, "heel_pain_side")).to_be_visible()
    expect(group(page, "gait_changed_by_knee")).to_be_visible()
    assert axe_violations(page) == []
    shoot(page, screenshots, "02-form-follow-ups-open")
    to_report(page)
    report = default_assessor().assess(BOTH)
    assert len(report["mechanisms"]) >= 2
    for mechanism in report["mechanisms"]:
        expect(page.get_by_role("heading", name=mechanism["title"]).first).to_be_visible()
    expect(
        page.get_by_role("img", name="The chain hip, knee, ankle and foot, plantar fascia")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Save as PDF or share")).to_be_visible()
    assert page.locator("main > *").last.inner_text().strip() == CONSULT
    assert axe_violations(page) == []
    shoot(page, screenshots, "03-report")
    pages = printed(page, screenshots, "03-report-printed")
    assert 1 < len(pages) <= 3
    version = default_assessor().ruleset.version
    for number, text in enumerate(pages, start=1):
        if text:
            assert f"page {number} of {len(pages)}" in text
            assert f"rules version {version}" in text
    if pages[0]:
        assert "Summary for your clinician" in pages[0]
        assert "Date of birth:" in pages[0]
        # The evidence and sources come last, then every answer given, for the clinician.
        assert "Evidence and sources" in "".join(pages[-2:])
        assert "every answer you gave" in "".join(pages[-2:])
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Save as PDF or share")).to_be_hidden()
    shoot(page, screenshots, "04-report-printed")


def test_follow_ups_appear_and_disappear_with_their_answer(
    page: Page, server_url: str, screenshots: Path
) -> None:
    """Answering yes to knee pain shows its follow-ups; changing to no hides them, and they are not sent."""
    page.goto(server_url + "/")
    injury = group(page, "rf_recent_injury")
    swelling = group(page, "rf_rapid_knee_swelling")
    expect(swelling).to_be_hidden()
    injury.get_by_role("radio", name="Not sure", exact=True).check()
    expect(swelling).to_be_visible()
    injury.get_by_role("radio", name="No", exact=True).check()
    expect(swelling).to_be_hidden()
    none_of_the_signs(page)
    page.get_by_role("button", name="Continue to the other questions").click()
    knee_side = group(page, "knee_pain_side")
    expect(knee_side).to_be_hidden()
    choose(page, "knee_pain", True)
    expect(knee_side).to_be_visible()
    knee_side.get_by_role("radio", name="Left", exact=True).check()
    shoot(page, screenshots, "05-follow-up-shown")
    choose(page, "knee_pain", False)
    expect(knee_side).to_be_hidden()
    choose(page, "age_years", 40)
    choose(page, "heel_pain", True)
    to_report(page)
    # The hidden follow-up was not sent, so nothing had to be left out.
    expect(page.get_by_text("was left out")).to_have_count(0)


def test_emergency_is_told_as_soon_as_it_is_ticked(page: Page, server_url: str, screenshots: Path) -> None:
    """With the script, ticking a sign of an emergency shows what to do at once, on the safety screen."""
    page.goto(server_url + "/")
    live = page.locator("#triage-live")
    expect(live).to_be_hidden()
    choose(page, "rf_breathless_chest_pain", "yes")
    expect(live).to_be_visible()
    expect(live.get_by_role("heading")).to_have_text("EMERGENCY: Get emergency help now")
    expect(live).to_contain_text("Call your local emergency number now")
    assert axe_violations(page) == []
    shoot(page, screenshots, "06-emergency-told-at-once")
    choose(page, "rf_breathless_chest_pain", "no")
    # Taking the answer back says the earlier advice no longer applies, and gives none in its place.
    expect(live).to_have_text("You changed an answer, so the earlier emergency advice no longer applies.")
    assert axe_violations(page) == []
    shoot(page, screenshots, "06b-emergency-taken-back")


def test_emergency_without_script_is_told_on_moving_on(
    no_script: BrowserContext, server_url: str, screenshots: Path
) -> None:
    """Without JavaScript, moving on from the safety screen leads with the emergency, before any question."""
    page = no_script.new_page()
    page.goto(server_url + "/")
    expect(page.get_by_text("Answer this only if you answered")).to_have_count(
        sum(1 for item in SAFETY_ITEMS if item.enabled_when)
    )
    fill(page, {**EVERY_SIGN_NO, "rf_calf_swelling": "yes", "rf_breathless_chest_pain": "yes"}, part=1)
    page.get_by_role("button", name="Continue to the other questions").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("EMERGENCY: Get emergency help now")
    box = alert.bounding_box()
    first_question = page.get_by_role("heading", name="Part 2 of 4: Your pain and its history").bounding_box()
    assert box is not None
    assert first_question is not None
    assert box["y"] < first_question["y"]
    shoot(page, screenshots, "07-emergency-without-script")


def test_invalid_input_is_kept_and_explained(page: Page, server_url: str, screenshots: Path) -> None:
    """A bad age is named at the top and at its question, the summary takes focus, and every answer stays."""
    page.goto(server_url + "/")
    fill(page, BOTH, part=1)
    none_of_the_signs(page)
    page.get_by_role("button", name="Continue to the other questions").click()
    page.get_by_role("textbox", name=ITEMS_BY_ID["age_years"].question).fill("44x")
    choose(page, "heel_pain", True)
    choose(page, "heel_pain_side", "left")
    choose(page, "knee_pain", False)
    choose(page, "inflammatory_diagnosis", ["gout"])
    page.get_by_role("textbox", name="Feet").fill("5")
    page.get_by_role("textbox", name="Inches").fill("7")
    page.get_by_role("textbox", name="Pounds").fill("170")
    page.get_by_role("button", name="Check my answers").click()
    summary = page.get_by_role("alert").filter(has_text="problem")
    expect(summary).to_contain_text('Age: "44x" is not a whole number')
    expect(summary).to_be_focused()
    age = page.get_by_role("textbox", name=ITEMS_BY_ID["age_years"].question)
    expect(age).to_have_value("44x")
    expect(age).to_have_accessible_description(
        'Problem: "44x" is not a whole number; expected a whole number from 1 to 120. '
        "A whole number from 1 to 120, in years."
    )
    expect(group(page, "heel_pain_side").get_by_role("radio", name="Left", exact=True)).to_be_checked()
    expect(
        group(page, "inflammatory_diagnosis").get_by_role("checkbox", name="Gout", exact=True)
    ).to_be_checked()
    expect(page.get_by_role("textbox", name="Pounds")).to_have_value("170")
    expect(page.get_by_role("textbox", name="Inches")).to_have_value("7")
    expect(group(page, "rf_diabetes").get_by_role("radio", name="No", exact=True)).to_be_checked()
    assert axe_violations(page) == []
    shoot(page, screenshots, "08-invalid-input")
    page.get_by_role("link", name='Age: "44x" is not a whole number', exact=False).click()
    page.get_by_role("textbox", name=ITEMS_BY_ID["age_years"].question).fill("44")
    to_report(page)
    expect(page.get_by_text("5 ft 7 in = 170 cm")).to_be_visible()


def test_without_script_every_question_shows_with_its_condition(
    no_script: BrowserContext, server_url: str, screenshots: Path
) -> None:
    """With JavaScript off, follow-ups are all shown with their condition in words, and one answered
    although it does not apply is left out of the report, which says so."""
    page = no_script.new_page()
    page.goto(server_url + "/")
    fill(page, BOTH, part=1)
    none_of_the_signs(page)
    page.get_by_role("button", name="Continue to the other questions").click()
    expect(group(page, "knee_pain_side")).to_be_visible()
    expect(page.locator("#condition-knee_pain_side")).to_have_text(
        "Answer this only if you answered “Yes” to “Do you have knee pain?”."
    )
    shoot(page, screenshots, "09-without-script")
    choose(page, "age_years", 60)
    choose(page, "heel_pain", True)
    choose(page, "knee_pain", False)
    choose(page, "knee_pain_side", "right")
    page.get_by_role("button", name="Check my answers").click()
    page.get_by_role("button", name="See my report").click()
    expect(page.get_by_text("“Which knee hurts?” was left out")).to_be_visible()
    shoot(page, screenshots, "10-report-without-script")


def test_pages_break_no_rule_of_their_own_policy(browser: Browser, server_url: str) -> None:
    """With the Content-Security-Policy enforced, the form, its script and the report break no rule of it."""
    context = browser.new_context()
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(server_url + "/")
    choose(page, "rf_calf_swelling", "yes")
    expect(page.locator("#triage-live")).to_be_visible()
    fill(page, {k: v for k, v in EVERY_SIGN_NO.items() if k != "rf_calf_swelling"}, part=1)
    page.get_by_role("button", name="Continue to the other questions").click()
    fill(page, BOTH, part=2)
    to_report(page)
    expect(page.get_by_role("button", name="Save as PDF or share")).to_be_visible()
    context.close()
    assert [m for m in messages if "Content Security Policy" in m or "Refused" in m] == []


def test_keyboard_alone_reaches_and_answers_the_questions(page: Page, server_url: str) -> None:
    """Tab reaches the first answer, arrow keys choose within a group, and focus is visible."""
    page.goto(server_url + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    first = group(page, "rf_recent_injury").get_by_role("radio", name="Yes", exact=True)
    expect(first).to_be_focused()
    page.keyboard.press("Space")
    expect(first).to_be_checked()
    outline = first.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"


def test_pages_reflow_at_200_percent_zoom(page: Page, server_url: str) -> None:
    """At 320 CSS pixels wide (a 640-pixel window zoomed to 200 %), no page needs sideways scrolling."""
    page.set_viewport_size({"width": 320, "height": 640})
    widths = {}
    page.goto(server_url + "/")
    widths["safety screen"] = page.evaluate("document.documentElement.scrollWidth")
    fill(page, BOTH, part=1)
    none_of_the_signs(page)
    page.get_by_role("button", name="Continue to the other questions").click()
    expect(page.get_by_role("heading", name="Part 2 of 4: Your pain and its history")).to_be_visible()
    widths["other questions"] = page.evaluate("document.documentElement.scrollWidth")
    fill(page, BOTH, part=2)
    page.get_by_role("button", name="Check my answers").click()
    widths["review"] = page.evaluate("document.documentElement.scrollWidth")
    page.get_by_role("button", name="See my report").click()
    expect(page.get_by_role("heading", name="factorcheck report", level=1)).to_be_visible()
    widths["report"] = page.evaluate("document.documentElement.scrollWidth")
    assert widths == {"safety screen": 320, "other questions": 320, "review": 320, "report": 320}


def test_review_lists_every_answer_and_a_change_comes_back_to_it(
    page: Page, server_url: str, screenshots: Path
) -> None:
    """The review shows each answer in short; "Change" opens its question focused, and the review
    comes back with the new answer."""
    page.goto(server_url + "/")
    expect(page.get_by_text("Question group 1 of 4, about")).to_be_visible()
    fill(page, BOTH, part=1)
    none_of_the_signs(page)
    page.get_by_role("button", name="Continue to the other questions").click()
    expect(page.get_by_text("Question groups 2 to 4 of 4, about")).to_be_visible()
    fill(page, BOTH, part=2)
    page.get_by_role("button", name="Check my answers").click()
    review = page.get_by_role("heading", name="Check your answers", level=1)
    expect(review).to_be_visible()
    age = page.locator(".review-row").filter(has=page.get_by_text("Age", exact=True))
    expect(age.locator("dd.answer")).to_have_text(f"{BOTH['age_years']} years")
    assert axe_violations(page) == []
    shoot(page, screenshots, "11-review")
    age.get_by_role("button", name="Change Age").click()
    field = page.get_by_role("textbox", name=ITEMS_BY_ID["age_years"].question)
    expect(field).to_be_focused()
    expect(page.get_by_text("then go back to the review")).to_be_visible()
    assert axe_violations(page) == []
    shoot(page, screenshots, "12-change-one-answer")
    field.fill("61")
    page.get_by_role("button", name="Back to the review").click()
    expect(review).to_be_visible()
    expect(age.locator("dd.answer")).to_have_text("61 years")
    page.get_by_role("button", name="See my report").click()
    expect(page.get_by_text("Age: 61 years").first).to_be_visible()


def test_back_and_forward_from_the_report_keep_the_answers_out_of_the_address(
    page: Page, server_url: str, screenshots: Path
) -> None:
    """Back from the report shows the review, then the questions as answered, with no page asking to
    post again; Forward returns to the report; the address, history and cookies hold no answer."""
    page.goto(server_url + "/")
    fill(page, BOTH, part=1)
    none_of_the_signs(page)
    page.get_by_role("button", name="Continue to the other questions").click()
    fill(page, BOTH, part=2)
    to_report(page)
    addresses = {page.url}
    page.go_back()
    expect(page.get_by_role("heading", name="Check your answers", level=1)).to_be_visible()
    addresses.add(page.url)
    page.go_back()
    expect(page.get_by_role("heading", name="Part 2 of 4: Your pain and its history")).to_be_visible()
    expect(group(page, "heel_pain").get_by_role("radio", name="Yes", exact=True)).to_be_checked()
    assert axe_violations(page) == []
    page.go_back()
    expect(group(page, "rf_diabetes").get_by_role("radio", name="No", exact=True)).to_be_checked()
    page.go_forward()
    page.go_forward()
    page.go_forward()
    expect(page.get_by_role("heading", name="factorcheck report", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Save as PDF or share")).to_be_visible()
    addresses.add(page.url)
    shoot(page, screenshots, "13-report-after-back-and-forward")
    assert addresses == {server_url + "/"}
    assert "ERR_CACHE_MISS" not in page.content()
    states = page.evaluate("history.state")
    assert states == {"step": 3}
    assert page.context.cookies() == []


def _covered(page: Page) -> dict[str, object] | None:
    """The focused element and the notice bar's box, when the bar hides any of it or it is off screen."""
    found: dict[str, object] | None = page.evaluate(
        """() => {
            const bar = document.getElementById("triage-bar");
            const el = document.activeElement;
            if (!el || el === document.body || (bar && bar.contains(el))) { return null; }
            const box = el.getBoundingClientRect();
            const shown = bar && !bar.hidden ? bar.getBoundingClientRect() : null;
            const under = shown && box.top < shown.bottom - 0.5 && box.bottom > shown.top + 0.5;
            if (under || box.top < -0.5 || box.bottom > innerHeight + 0.5) {
                return {id: el.id || el.tagName, top: box.top, bottom: box.bottom};
            }
            return null;
        }"""
    )
    return found


@pytest.mark.parametrize(
    "viewport", [ViewportSize(width=375, height=740), ViewportSize(width=1280, height=900)]
)
def test_urgent_notice_never_covers_the_focused_field(
    browser: Browser, server_url: str, screenshots: Path, viewport: ViewportSize
) -> None:
    """Once a warning sign is told, the notice is in the page's flow with a short bar on top; moving
    through every field with Tab and Shift+Tab, the focused one is never under the bar."""
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    page.goto(server_url + "/")
    choose(page, "rf_breathless_chest_pain", "yes")
    bar = page.locator("#triage-bar")
    expect(bar).to_be_visible()
    box = bar.bounding_box()
    assert box is not None
    assert box["height"] <= 80
    name = "phone" if viewport["width"] < 600 else "desktop"
    shoot(page, screenshots, f"14-emergency-bar-{name}")
    for key in ["Shift+Tab"] * 30 + ["Tab"] * 30:
        page.keyboard.press(key)
        assert _covered(page) is None, key
    assert axe_violations(page) == []
    page.keyboard.press("End")
    bar.get_by_role("link").click()
    expect(page.locator("#triage-live")).to_be_focused()
    fill(page, {k: v for k, v in EVERY_SIGN_NO.items() if k != "rf_breathless_chest_pain"}, part=1)
    page.get_by_role("button", name="Continue to the other questions").click()
    expect(page.locator("#triage-now")).to_be_visible()
    page.keyboard.press("Tab")
    for key in ["Tab"] * 40 + ["Shift+Tab"] * 20:
        page.keyboard.press(key)
        assert _covered(page) is None, key
    assert axe_violations(page) == []
    page.screenshot(path=str(screenshots / f"15-emergency-later-questions-{name}.png"))
    context.close()


def test_an_urgent_report_prints_on_two_pages_at_most(page: Page, server_url: str, screenshots: Path) -> None:
    """An urgent report leads with what to do and prints, numbered, on at most two A4 pages."""
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(server_url + "/")
    choose(page, "rf_recent_injury", "yes")
    choose(page, "rf_rapid_knee_swelling", "yes")
    fill(page, {k: v for k, v in EVERY_SIGN_NO.items() if k != "rf_recent_injury"}, part=1)
    page.get_by_role("button", name="Continue to the other questions").click()
    expect(page.locator("#triage-now")).to_contain_text("URGENT")
    fill(page, BOTH, part=2)
    to_report(page)
    expect(page.get_by_role("button", name="Save as PDF or share")).to_be_visible()
    expect(page.get_by_text("Ctrl+P")).to_have_count(0)
    assert axe_violations(page) == []
    shoot(page, screenshots, "16-urgent-report-phone")
    pages = printed(page, screenshots, "16-urgent-report-printed")
    assert len(pages) <= 2
    for number, text in enumerate(pages, start=1):
        assert not text or f"page {number} of {len(pages)}" in text
    assert not pages[0] or "URGENT" in pages[0]


def test_the_safety_screen_is_not_left_with_nothing_answered(
    no_script: BrowserContext, server_url: str, screenshots: Path
) -> None:
    """Without the script, Continue with no sign answered shows the screen again, naming what to do."""
    page = no_script.new_page()
    page.goto(server_url + "/")
    page.get_by_role("button", name="Continue to the other questions").click()
    summary = page.get_by_role("alert").filter(has_text="problem")
    expect(summary).to_contain_text("warning signs have no answer")
    expect(page.get_by_role("heading", name="Part 2 of 4: Your pain and its history")).to_have_count(0)
    shoot(page, screenshots, "11-no-sign-answered")
    page.get_by_role("link", name="Warning signs:", exact=False).click()
    none_of_the_signs(page)
    page.get_by_role("button", name="Continue to the other questions").click()
    expect(page.get_by_role("heading", name="Part 2 of 4: Your pain and its history")).to_be_visible()


def test_none_of_these_answers_the_blank_signs_no_and_gives_way_to_a_sign(
    page: Page, server_url: str
) -> None:
    """With the script, "None of these" answers every blank sign No; answering a sign Yes unticks it."""
    page.goto(server_url + "/")
    choose(page, "rf_diabetes", "no")
    none_of_the_signs(page)
    for name in ALWAYS_ASKED:
        expect(group(page, name).get_by_role("radio", name="No", exact=True)).to_be_checked()
    choose(page, "rf_stroke_signs", "yes")
    expect(page.get_by_role("checkbox", name=NONE_LABEL, exact=True)).not_to_be_checked()
    expect(page.locator("#triage-live")).to_contain_text("EMERGENCY")
    page.get_by_role("checkbox", name=NONE_LABEL, exact=True).click()
    expect(page.get_by_role("checkbox", name=NONE_LABEL, exact=True)).not_to_be_checked()
    expect(page.locator("#none-live")).to_contain_text("cannot be chosen")


def test_pain_at_the_back_of_the_heel_opens_its_side_and_weeks(page: Page, server_url: str) -> None:
    """Ticking "the back of the heel" among the other places of pain shows the Achilles follow-ups;
    unticking hides them; "3 months" there is 13 weeks, and the report says what it does not cover."""
    page.goto(server_url + "/")
    none_of_the_signs(page)
    page.get_by_role("button", name="Continue to the other questions").click()
    side = group(page, "achilles_pain_side")
    expect(side).to_be_hidden()
    choose(page, "pain_elsewhere", ["back_of_heel"])
    expect(side).to_be_visible()
    group(page, "pain_elsewhere").get_by_role(
        "checkbox", name=ITEMS_BY_ID["pain_elsewhere"].choice_label("back_of_heel")
    ).uncheck()
    expect(side).to_be_hidden()
    choose(page, "pain_elsewhere", ["back_of_heel"])
    choose(page, "achilles_pain_side", "right")
    page.get_by_role("textbox", name=ITEMS_BY_ID["achilles_pain_weeks"].question).fill("3 months")
    choose(page, "age_years", 50)
    choose(page, "heel_pain", False)
    choose(page, "knee_pain", False)
    to_report(page)
    expect(page.get_by_text("3 months = 13 weeks")).to_be_visible()
    expect(page.get_by_text("This tool does not cover pain there", exact=False)).to_be_visible()
