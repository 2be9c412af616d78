"""The served pages over real HTTP: safe headers on every response, refusals, the form API, many at once."""

from __future__ import annotations

import contextlib
import http.client
import json
import re
from concurrent.futures import ThreadPoolExecutor
from html import escape
from urllib.parse import urlencode, urlsplit

import pytest

from factorcheck.assessment import default_assessor
from factorcheck.report.render import format_report
from factorcheck.web.guard import host_name
from factorcheck.web.safety_gate import ALWAYS_ASKED
from support import EXAMPLES
from support.web_server import FORM, request


def form_of(answers: dict[str, object]) -> bytes:
    """An answer set as the form posts it: true/false, numbers as text, a list as repeated fields."""
    pairs: list[tuple[str, str]] = []
    for name, value in answers.items():
        values = value if isinstance(value, list) else [value]
        for one in values:
            pairs.append((name, ("true" if one else "false") if isinstance(one, bool) else str(one)))
    return urlencode(pairs).encode()


BOTH = json.loads((EXAMPLES / "both-pains-several-links.json").read_text())

REQUESTS = [
    ("GET", "/", None),
    ("GET", "/static/form.js", None),
    ("GET", "/static/legs-knock-knees.svg", None),
    ("POST", "/", b""),
    ("POST", "/continue", b"rf_recent_injury=no&none_of_the_signs=yes"),
    ("POST", "/report", form_of(BOTH)),
    ("POST", "/report", b"age_years=44x"),
    ("POST", "/triage", b"rf_calf_swelling=yes"),
    ("GET", "/no-such-page", None),
]


@pytest.mark.parametrize(("method", "path", "body"), REQUESTS, ids=[f"{m} {p}" for m, p, _ in REQUESTS])
def test_every_response_has_the_safe_headers(
    server_url: str, method: str, path: str, body: bytes | None
) -> None:
    """Each response carries the strict policy, nosniff, no referrer, no caching, no framing, no server."""
    _, headers, _ = request(server_url, method, path, body)
    policy = headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["cache-control"] == "no-store"
    assert "server" not in headers
    assert "set-cookie" not in headers


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "127.0.0.1.evil.example",
        "",
        "192.168.1.20:8765",
        "[::1]evil",
        "[::1]:evil",
        "127.0.0.1:99999",
        "127.0.0.1:0",
        "localhost:abc",
        "localhost:\u00b9",
        "localhost:80:80",
        "::1",
        "localhost/evil",
    ],
)
def test_a_foreign_host_is_refused(server_url: str, host: str) -> None:
    """A request naming another host (DNS rebinding) gets 400, with the safe headers still on."""
    status, headers, text = request(server_url, "GET", "/", headers={"Host": host})
    assert status == 400
    assert "Host" in text
    assert headers["cache-control"] == "no-store"


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]:8765", "LOCALHOST:1"])
def test_loopback_names_are_served(server_url: str, host: str) -> None:
    """The loopback names, with or without a port, get the page."""
    status, _, _ = request(server_url, "GET", "/", headers={"Host": host})
    assert status == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "SAME-ORIGIN"},
        {"Sec-Fetch-Site": "same-site-ish"},
        {"Sec-Fetch-Site": "same-origin", "Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "Same-Origin", "Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "none", "Origin": "http://evil.example"},
        {"Origin": "http://127.0.0.1.evil.example"},
    ],
)
def test_a_cross_site_post_is_refused(server_url: str, headers: dict[str, str]) -> None:
    """A post another site's page makes a browser send is refused with 403, before any answer is read."""
    status, _, text = request(server_url, "POST", "/report", form_of(BOTH), headers)
    assert status == 403
    assert "another site" in text


def test_an_origin_of_another_scheme_or_port_is_another_site(server_url: str) -> None:
    """The same host name under https, or on another port, is another origin (RFC 6454): refused."""
    parts = urlsplit(server_url)
    for origin in (f"https://{parts.netloc}", f"http://{parts.hostname}:{(parts.port or 0) + 1}"):
        status, _, _ = request(server_url, "POST", "/report", form_of(BOTH), {"Origin": origin})
        assert status == 403, origin


def test_two_host_headers_are_refused(server_url: str) -> None:
    """A request with two Host headers is malformed (RFC 9112 3.2) and gets 400."""
    parts = urlsplit(server_url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    connection.putrequest("GET", "/", skip_host=True)
    connection.putheader("Host", parts.netloc)
    connection.putheader("Host", "evil.example")
    connection.endheaders()
    assert connection.getresponse().status == 400
    connection.close()


@pytest.mark.parametrize(
    ("headers", "answer"),
    [
        ({"Content-Length": "10", "Transfer-Encoding": "chunked"}, 400),
        ({"Content-Length": "\u0664\u0660"}, 400),
    ],
)
def test_a_body_whose_length_can_be_read_two_ways_is_refused(
    server_url: str, headers: dict[str, str], answer: int
) -> None:
    """Content-Length beside chunked encoding, or a length that is not ASCII digits, is refused
    before the body is read (request smuggling, RFC 9112 6.3)."""
    parts = urlsplit(server_url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    connection.putrequest("POST", "/report", skip_host=True)
    connection.putheader("Host", parts.netloc)
    connection.putheader("Content-Type", FORM)
    for name, value in headers.items():
        connection.putheader(name, value.encode("utf-8"))
    connection.endheaders()
    with contextlib.suppress(OSError):  # the server may close the connection as soon as it has answered
        connection.send(b"a\r\nage_years=\r\n0\r\n\r\n")
    assert connection.getresponse().status == answer
    connection.close()


def test_a_same_origin_post_and_a_script_are_served(server_url: str) -> None:
    """The page's own posts (same-origin) and a script without browser headers both get the report."""
    own = request(server_url, "POST", "/report", form_of(BOTH), {"Sec-Fetch-Site": "same-origin"})
    origin = request(server_url, "POST", "/report", form_of(BOTH), {"Origin": server_url})
    script = request(server_url, "POST", "/report", form_of(BOTH))
    assert [own[0], origin[0], script[0]] == [200, 200, 200]


def test_a_2_mb_body_is_refused(server_url: str) -> None:
    """A body over 64 KiB gets 413, whether it says its length or not."""
    big = b"age_years=" + b"4" * (2 * 1024 * 1024)
    status, _, _ = request(server_url, "POST", "/report", big)
    assert status == 413
    parts = urlsplit(server_url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    connection.putrequest("POST", "/report", skip_host=True)
    connection.putheader("Host", parts.netloc)
    connection.putheader("Content-Type", FORM)
    connection.putheader("Transfer-Encoding", "chunked")
    connection.endheaders()
    chunk = b"4" * 65536
    try:
        for _ in range(4):
            connection.send(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        connection.send(b"0\r\n\r\n")
    except OSError:
        pass  # the server may close the connection as soon as it has answered
    assert connection.getresponse().status == 413
    connection.close()


def test_other_body_types_are_refused_with_what_to_send(server_url: str) -> None:
    """JSON or multipart bodies get 415 naming the form encoding the API takes."""
    status, _, text = request(server_url, "POST", "/report", b"{}", {"Content-Type": "application/json"})
    assert status == 415
    assert "application/x-www-form-urlencoded" in text


def test_report_api_gives_the_same_report_as_check(server_url: str) -> None:
    """POST /report with the contract's values gives the HTML report `check --format html` gives, plus
    the page's buttons."""
    status, headers, html = request(server_url, "POST", "/report", form_of(BOTH))
    assert status == 200
    assert headers["content-type"].startswith("text/html")
    expected = format_report(default_assessor().assess(BOTH), "html", default_assessor().ruleset)
    strip = re.compile(r'<div class="actions no-print">.*?</div>\n|<script[^>]*></script>', re.DOTALL)
    assert strip.sub("", html) == strip.sub("", expected)


def test_invalid_answers_get_422_with_each_problem_and_everything_kept(server_url: str) -> None:
    """A bad age and a clashing list give 422: a summary at the top, each problem at its question,
    and every value typed shown again."""
    body = urlencode(
        [
            ("age_years", "44x"),
            ("heel_pain", "true"),
            ("knee_pain", "maybe"),
            ("heel_pain_side", "left"),
            ("inflammatory_diagnosis", "gout"),
            ("inflammatory_diagnosis", "none"),
            ("weight_kg", "80"),
        ]
    ).encode()
    status, _, html = request(server_url, "POST", "/report", body)
    assert status == 422
    summary = html[html.index('id="error-summary"') : html.index("</div>", html.index('id="error-summary"'))]
    for item in ("age_years", "knee_pain", "inflammatory_diagnosis", "height_cm"):
        assert f'href="#field-{item}"' in summary
        assert f'id="error-{item}"' in html
    assert "&#34;44x&#34; is not a whole number" in html
    assert 'value="44x"' in html
    assert 'id="heel_pain--true" value="true" checked' in html
    assert 'id="heel_pain_side--left" value="left" checked' in html
    assert 'id="inflammatory_diagnosis--gout" value="gout" checked' in html
    assert 'value="80"' in html


def test_follow_ups_that_do_not_apply_are_left_out_and_said_so(server_url: str) -> None:
    """A follow-up sent although its condition does not hold (no script) is ignored, and said so."""
    answers = {"age_years": 50, "heel_pain": False, "knee_pain": True, "heel_pain_side": "left"}
    status, _, html = request(server_url, "POST", "/report", form_of(answers))
    assert status == 200
    assert "“Which heel hurts?” was left out" in html


def test_imperial_height_and_weight_are_converted(server_url: str) -> None:
    """Feet and inches, and pounds, become the centimetres and kilograms of the contract, shown."""
    body = urlencode(
        {
            "age_years": "50",
            "heel_pain": "true",
            "knee_pain": "false",
            "height_ft": "5",
            "height_in": "7",
            "weight_lb": "220",
        }
    ).encode()
    status, _, html = request(server_url, "POST", "/report", body)
    assert status == 200
    assert "5 ft 7 in = 170 cm" in html
    assert "220 lb = 99.8 kg" in html


def test_safety_screen_then_emergency_told_first(server_url: str) -> None:
    """Moving on from the safety screen with an emergency answer shows what to do before any question."""
    body = urlencode({**dict.fromkeys(ALWAYS_ASKED, "no"), "rf_breathless_chest_pain": "yes"}).encode()
    status, _, html = request(server_url, "POST", "/continue", body)
    assert status == 200
    alert = html.index('id="triage-now"')
    assert "EMERGENCY" in html[alert : alert + 400]
    assert alert < html.index("<form")
    assert '<input type="hidden" name="rf_breathless_chest_pain" value="yes">' in html


def test_triage_endpoint_uses_the_rules(server_url: str) -> None:
    """The script's check answers with the level the real rules reach on the safety answers so far."""
    _, _, urgent = request(server_url, "POST", "/triage", b"rf_calf_swelling=yes")
    _, _, none = request(server_url, "POST", "/triage", b"rf_calf_swelling=no")
    assert json.loads(urgent)["level"] in ("urgent", "emergency")
    assert json.loads(none) == {"level": None}


def test_sixteen_concurrent_posts_give_sixteen_correct_reports(server_url: str) -> None:
    """16 posts at once, of 8 different answer sets, each get their own report."""
    sets = [json.loads(path.read_text()) for path in sorted(EXAMPLES.glob("*.json"))] * 2
    assessor = default_assessor()
    expected = [format_report(assessor.assess(raw), "html", assessor.ruleset) for raw in sets]

    def post(raw: dict[str, object]) -> str:
        status, _, html = request(server_url, "POST", "/report", form_of(raw))
        assert status == 200
        return html

    with ThreadPoolExecutor(16) as pool:
        pages = list(pool.map(post, sets))
    strip = re.compile(r'<div class="actions no-print">.*?</div>\n|<script[^>]*></script>', re.DOTALL)
    assert [strip.sub("", page) for page in pages] == [strip.sub("", page) for page in expected]
    consults = [escape(assessor.assess(raw)["consult"], quote=False) for raw in sets]
    assert all(consult in page for consult, page in zip(consults, pages, strict=True))


@pytest.mark.parametrize(
    ("host", "name"),
    [("[::1]:80", "::1"), ("localhost:8765", "localhost"), ("Example.org", "example.org"), ("::1", "::1")],
)
def test_host_names_lose_their_port(host: str, name: str) -> None:
    """The allow-list compares names, with the port and IPv6 brackets taken off."""
    assert host_name(host) == name


def test_report_page_asks_nothing_of_another_origin(server_url: str) -> None:
    """Every address in the served report is on this server (its script, the form) or in the page."""
    _, _, html = request(server_url, "POST", "/report", form_of(BOTH))
    addresses = re.findall(r"""(?:src|href|action)\s*=\s*["']([^"']*)["']""", html)
    assert addresses
    assert all(address.startswith(("/", "#")) and not address.startswith("//") for address in addresses)
    assert "url(" not in html
    assert "@import" not in html


def test_going_back_to_the_safety_screen_keeps_every_answer(server_url: str) -> None:
    """ "Change my warning-sign answers" shows the safety screen with its answers ticked and carries
    the other parts' answers, imperial units included, as hidden fields to the next step."""
    body = urlencode(
        [
            ("rf_diabetes", "yes"),
            ("rf_diabetic_foot_change", "no"),
            ("age_years", "44x"),
            ("knee_pain", "true"),
            ("height_ft", "5"),
            ("inflammatory_diagnosis", "gout"),
            ("inflammatory_diagnosis", "psoriatic_arthritis"),
        ]
    ).encode()
    status, _, html = request(server_url, "POST", "/", body)
    assert status == 200
    assert 'id="rf_diabetes--yes" value="yes" checked' in html
    assert 'id="rf_diabetic_foot_change--no" value="no" checked' in html
    for name, value in [
        ("age_years", "44x"),
        ("knee_pain", "true"),
        ("height_ft", "5"),
        ("inflammatory_diagnosis", "gout"),
        ("inflammatory_diagnosis", "psoriatic_arthritis"),
    ]:
        assert f'<input type="hidden" name="{name}" value="{value}">' in html


@pytest.mark.parametrize(
    ("field", "value", "item"),
    [
        ("age_years", "9" * 5000, "age_years"),
        ("age_years", "\u0664\u0660", "age_years"),
        ("heel_pain_weeks", "9" * 4400, "heel_pain_weeks"),
        ("height_ft", "9" * 400, "height_cm"),
        ("height_in", "9" * 400, "height_cm"),
        ("weight_lb", "9" * 400, "weight_kg"),
        ("weight_kg", "9" * 400, "weight_kg"),
    ],
)
def test_numbers_of_thousands_of_digits_or_other_scripts_get_422(
    server_url: str, field: str, value: str, item: str
) -> None:
    """Out of range or not a number, named by the question: never a 500 (Python cannot read a
    whole number of over 4,300 digits, and hundreds of digits are infinite as a float)."""
    answers = {**BOTH, field: value}
    if field.startswith("height"):
        answers.pop("height_cm", None)
    if field == "weight_lb":
        answers.pop("weight_kg", None)
    status, _, page = request(server_url, "POST", "/report", form_of(answers))
    assert status == 422
    assert f'id="{item}' in page or f'name="{item}' in page


def test_form_problems_are_told_in_the_forms_words(server_url: str) -> None:
    """Beside Yes and No buttons a missing or odd answer reads "choose Yes or No", not the answer
    file's "expected true or false"."""
    body = urlencode([("age_years", "40"), ("heel_pain", "maybe")]).encode()
    status, _, html = request(server_url, "POST", "/review", body)
    assert status == 422
    assert "&#34;maybe&#34; is not one of the answers: choose Yes or No." in html
    assert "Knee pain: is required: choose Yes or No." in html
    assert "true or false" not in html


def test_review_carries_every_answer_hidden_and_a_change_comes_back_to_it(server_url: str) -> None:
    """The review lists each answer with a Change button and carries the answers as hidden fields;
    a change asks that question again (focused) and posts back to the review."""
    status, headers, html = request(server_url, "POST", "/review", form_of(BOTH))
    assert status == 200
    assert headers["cache-control"] == "no-store"
    assert "set-cookie" not in headers
    assert '<h1 tabindex="-1">Check your answers</h1>' in html
    assert '<input type="hidden" name="age_years" value="52">' in html
    assert 'name="change" value="age_years" formaction="/change"' in html
    assert '<form method="post" action="/report" id="review" autocomplete="off">' in html
    status, _, html = request(server_url, "POST", "/change", form_of(BOTH) + b"&change=age_years")
    assert status == 200
    assert 'action="/review"' in html
    assert "Back to the review" in html
    assert re.search(r'name="age_years" id="age_years" value="52"[^>]* autofocus', html)
    assert '<input type="hidden" name="rf_diabetes" value="no">' in html
    status, _, html = request(server_url, "POST", "/change", form_of(BOTH) + b"&change=rf_diabetes")
    assert re.search(r'id="rf_diabetes--no" value="no" checked autofocus', html)
    assert '<input type="hidden" name="age_years" value="52">' in html
    status, _, text = request(server_url, "POST", "/change", form_of(BOTH) + b"&change=shoe_size")
    assert status == 400
    assert "Say which answer to change" in text


def test_the_pages_own_post_with_an_opaque_origin_is_served(server_url: str) -> None:
    """Chromium sends `Origin: null` on this page's own form posts (the page asks for no referrer)
    with `Sec-Fetch-Site: same-origin`, which no page can forge: served. `null` alone is refused."""
    own = request(
        server_url, "POST", "/report", form_of(BOTH), {"Origin": "null", "Sec-Fetch-Site": "same-origin"}
    )
    alone = request(server_url, "POST", "/report", form_of(BOTH), {"Origin": "null"})
    assert [own[0], alone[0]] == [200, 403]


def test_the_safety_screen_is_not_left_with_no_sign_answered(server_url: str) -> None:
    """Continue with nothing answered shows the screen again (422), asking for every answer or "None"."""
    status, _, html = request(server_url, "POST", "/continue", b"")
    assert status == 422
    assert "Part 2 of 4" not in html
    assert f"{len(ALWAYS_ASKED)} of the {len(ALWAYS_ASKED)} warning signs have no answer" in html
    assert 'href="#field-none_of_the_signs"' in html


def test_none_of_these_answers_every_blank_sign_no(server_url: str) -> None:
    """ "None of these apply to me" moves on, carrying No for every sign left blank."""
    status, _, html = request(
        server_url, "POST", "/continue", b"none_of_the_signs=yes&rf_diabetes=no&rf_calf_swelling=no"
    )
    assert status == 200
    assert "Part 2 of 4" in html
    for name in ALWAYS_ASKED:
        assert f'<input type="hidden" name="{name}" value="no">' in html
    assert 'name="none_of_the_signs"' not in html


def test_none_of_these_cannot_go_with_a_ticked_sign(server_url: str) -> None:
    """ "None of these" with a sign answered Not sure is refused, and the sign's level is told at once."""
    status, _, html = request(
        server_url, "POST", "/continue", b"none_of_the_signs=yes&rf_stroke_signs=not_sure"
    )
    assert status == 422
    assert "cannot go with a sign answered Yes or Not sure" in html
    alert = html.index('id="triage-now"')
    assert "EMERGENCY" in html[alert : alert + 400]


def test_every_sign_answered_moves_on_without_none(server_url: str) -> None:
    """Each sign answered (here every one No) is enough to move on."""
    body = urlencode(dict.fromkeys(ALWAYS_ASKED, "no")).encode()
    status, _, html = request(server_url, "POST", "/continue", body)
    assert status == 200
    assert "Part 2 of 4" in html
    missing_one = urlencode(dict.fromkeys(ALWAYS_ASKED[1:], "no")).encode()
    status, _, html = request(server_url, "POST", "/continue", missing_one)
    assert status == 422
    assert "1 of the" in html
