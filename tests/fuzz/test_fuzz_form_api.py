"""Fuzzing the form API of `serve`: POST /report, /continue and /triage with hostile urlencoded bodies."""

from __future__ import annotations

import orjson
from hypothesis import given
from hypothesis import strategies as st

from support.fuzzing import FUZZ, hostile_forms, record
from support.watched_server import WatchedServer
from support.web_server import FORM

# What each page may answer: a page (200), the form again with the problems (422), a body that is
# not a UTF-8 form (400), one too large or of too many fields (413). Never a 5xx, never another.
ANSWERS = {
    "/report": {200: "report", 422: "problems", 400: "not a form", 413: "too large"},
    "/continue": {200: "next part", 422: "problems", 400: "not a form", 413: "too large"},
    "/triage": {200: "level", 400: "not a form", 413: "too large"},
}


@FUZZ
@given(st.sampled_from(sorted(ANSWERS)), hostile_forms())
def test_a_hostile_form_gets_a_page_or_a_refusal_and_the_server_says_nothing(
    watched_server: WatchedServer, path: str, body: bytes
) -> None:
    """Each post gets one of its page's answers, in its format; nothing reaches the server's output."""
    status, kind, content = watched_server.post(path, body, FORM)
    record(f"serve POST {path}", ANSWERS[path].get(status, f"status {status}"))
    assert watched_server.written() == ""
    assert status in ANSWERS[path], content[:2000]
    if status in (400, 413):
        assert kind.startswith("text/plain")
        assert content.strip()
    elif path == "/triage":
        level = orjson.loads(content)["level"]
        assert level in (None, "urgent", "emergency")
    else:
        assert kind.startswith("text/html")
        assert content.startswith(b"<!DOCTYPE html>")
        if status == 422:
            assert b"problem" in content.lower()
