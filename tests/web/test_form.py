"""The form is the questionnaire model drawn as HTML, and a posted form is read strictly into its answers."""

from __future__ import annotations

import re
from html import unescape

import pytest

from factorcheck.answers.questionnaire import ITEMS, ITEMS_BY_ID
from factorcheck.web.form_view import DRAWINGS, SHOWN_ORDER, form_parts
from factorcheck.web.posted import read_posted
from support import ARTICLE, ROOT
from support.web_server import request


def questions_on(html: str) -> list[str]:
    """The text of every legend and label heading a question on the page."""
    found = re.findall(
        r"<legend>(.*?)</legend>|<label class=\"question\"[^>]*>(.*?)</label>", html, re.DOTALL
    )
    return [unescape(re.sub(r"<[^>]+>", "", a or b)).replace(" (required)", "").strip() for a, b in found]


def test_every_item_is_asked_once_in_questionnaire_order(server_url: str) -> None:
    """The safety screen and the page after it ask every item once, in the model's order, worded as there."""
    _, _, first = request(server_url, "GET", "/")
    _, _, rest = request(server_url, "POST", "/continue", b"rf_recent_injury=no&none_of_the_signs=yes")
    assert questions_on(first) + questions_on(rest) == [item.question for item in ITEMS]


def test_choices_are_the_models_with_not_sure_where_it_has_it() -> None:
    """Each choice item offers exactly its model's choices (booleans as Yes and No), radios or checkboxes."""
    for part in form_parts([1, 2, 3, 4], {}):
        for field in part.fields:
            item = field.item
            if item.type == "boolean":
                assert [o.value for o in field.options] == ["true", "false"]
            elif item.choices:
                assert sorted(o.value for o in field.options) == sorted(item.choices)
                if item.id not in SHOWN_ORDER:
                    assert tuple(o.value for o in field.options) == item.choices
                assert field.kind == ("checkboxes" if item.type == "choices" else "radios")
            exclusive = [o.value for o in field.options if o.exclusive]
            alone = [choice for choice in ("none", "not_sure") if choice in item.choices]
            assert exclusive == (alone if item.type == "choices" else [])


def test_foot_drawings_read_as_a_scale_from_upright_to_rolling_in() -> None:
    """The foot question's answers run No (upright drawing), A little, Yes (rolling-in drawing), Not sure."""
    (part,) = form_parts([3], {})
    field = next(f for f in part.fields if f.id == "foot_rolls_in")
    assert [o.value for o in field.options] == ["no", "a_little", "yes", "not_sure"]
    drawings = [o.drawing[0] for o in field.options if o.drawing]
    assert drawings == ["foot-neutral.svg", "foot-rolls-in.svg"]


def test_follow_ups_carry_their_condition_as_data_and_in_words() -> None:
    """A follow-up's field says when it applies, for the script (data) and for a person (words)."""
    fields = {f.id: f for part in form_parts([1, 2, 3, 4], {}) for f in part.fields}
    for item in ITEMS:
        field = fields[item.id]
        if item.enabled_when:
            trigger = ITEMS_BY_ID[item.enabled_when[0].item]
            assert trigger.question in field.condition
            assert field.condition.startswith("Answer this only if you answered")
            assert f'"item": "{trigger.id}"' in field.condition_json
        else:
            assert field.condition == field.condition_json == ""


def test_every_drawing_has_a_text_alternative_and_exists() -> None:
    """The drawings are files of the package, each with a description of what it shows."""
    from factorcheck.web.app import HERE

    for (item_id, value), (name, alt) in DRAWINGS.items():
        assert value in ITEMS_BY_ID[item_id].choices
        assert (HERE / "static" / name).read_text().startswith("<svg")
        assert alt.startswith("Drawing of")


READINGS = [
    # (posted pairs, answers read, problem items)
    ([("age_years", "44"), ("heel_pain", "true"), ("knee_pain", "false")], {"age_years": 44}, []),
    ([("age_years", "44x"), ("heel_pain", "true"), ("knee_pain", "false")], {}, ["age_years"]),
    ([("age_years", "44.0"), ("heel_pain", "true"), ("knee_pain", "false")], {}, ["age_years"]),
    ([("age_years", "0"), ("heel_pain", "true"), ("knee_pain", "false")], {}, ["age_years"]),
    ([("age_years", "40"), ("heel_pain", "yes"), ("knee_pain", "false")], {}, ["heel_pain"]),
    (
        [("age_years", "40"), ("heel_pain", "true"), ("heel_pain", "false"), ("knee_pain", "false")],
        {},
        ["heel_pain"],
    ),
    (
        [("age_years", "40"), ("heel_pain", "true"), ("knee_pain", "false"), ("heel_pain_side", "middle")],
        {},
        ["heel_pain_side"],
    ),
    (
        [
            ("age_years", "40"),
            ("heel_pain", "true"),
            ("knee_pain", "false"),
            ("height_cm", "170.5"),
            ("weight_kg", "70"),
        ],
        {"height_cm": 170.5, "weight_kg": 70},
        [],
    ),
    (
        [
            ("age_years", "40"),
            ("heel_pain", "true"),
            ("knee_pain", "false"),
            ("height_cm", "170"),
            ("height_ft", "5"),
            ("weight_kg", "70"),
        ],
        {},
        ["height_cm"],
    ),
    (
        [
            ("age_years", "40"),
            ("heel_pain", "true"),
            ("knee_pain", "false"),
            ("inflammatory_diagnosis", "gout"),
            ("inflammatory_diagnosis", "psoriatic_arthritis"),
        ],
        {"inflammatory_diagnosis": ["gout", "psoriatic_arthritis"]},
        [],
    ),
    (
        [("age_years", "40"), ("heel_pain", "true"), ("knee_pain", "false"), ("knee_pian", "true")],
        {},
        ["knee_pian"],
    ),
    ([("heel_pain", "true"), ("knee_pain", "false")], {}, ["age_years"]),
    (
        [("age_years", " 40 "), ("heel_pain", "true"), ("knee_pain", "false"), ("rf_diabetes", "")],
        {"age_years": 40},
        [],
    ),
]


@pytest.mark.parametrize(("pairs", "expected", "problems"), READINGS)
def test_posted_texts_are_read_strictly(
    pairs: list[tuple[str, str]], expected: dict[str, object], problems: list[str]
) -> None:
    """Texts become the contract's types only when they are exactly that type; anything else is a
    problem naming the item (an empty field is not answered; spaces around a value do not count)."""
    posted = read_posted(pairs)
    assert [p.item for p in posted.problems] == problems
    for name, value in expected.items():
        assert posted.answers[name] == value
        assert type(posted.answers[name]) is type(value)


def test_problems_name_the_value_given_and_what_is_allowed() -> None:
    """A text that is not a whole number is quoted back, with the range allowed."""
    posted = read_posted([("age_years", "fifty"), ("heel_pain", "true"), ("knee_pain", "false")])
    assert [str(p) for p in posted.problems] == [
        'age_years: "fifty" is not a whole number; expected a whole number from 1 to 120.'
    ]


def _eight_word_runs(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i : i + 8]) for i in range(len(words) - 7)}


def test_no_page_text_repeats_a_sentence_of_the_source_article() -> None:
    """The templates, scripts, drawings' descriptions and report page words copy no 8 words of the article."""
    if not ARTICLE.exists():
        pytest.skip(f"the source article is not beside this checkout ({ARTICLE}); CI has it")
    from factorcheck.web.app import HERE

    article = set().union(*(_eight_word_runs(line) for line in ARTICLE.read_text().splitlines()))
    ours = [path.read_text() for path in (HERE / "templates").glob("*.html")]
    ours += [alt for _, alt in DRAWINGS.values()]
    ours.append((ROOT / "src" / "factorcheck" / "report" / "html.py").read_text(encoding="utf-8"))
    ours += [path.read_text() for path in (HERE / "static").glob("*.js")]
    assert [run for text in ours for run in _eight_word_runs(text) & article] == []


def test_a_duration_says_months_and_years_are_taken_too() -> None:
    """Every weeks question tells that months or years may be typed instead (the form converts them)."""
    fields = [f for part in form_parts([2], {}) for f in part.fields if f.item.unit == "weeks"]
    assert {f.id for f in fields} == {"heel_pain_weeks", "knee_pain_weeks", "achilles_pain_weeks"}
    for field in fields:
        assert field.hint == "In weeks (whole number from 0 to 520), or in months or years, such as 3 months."
