"""Run in a fresh process on a copy of the package whose questionnaire has gained items: prints
what each consumer of the questionnaire made of them, as JSON (see tests/test_new_item.py)."""

from __future__ import annotations

import asyncio
import json
import re
import sys
from html import unescape
from typing import Any

from factorcheck.answers.answers_model import Answers
from factorcheck.answers.fhir.questionnaire import questionnaire_resource
from factorcheck.answers.questionnaire import ITEMS
from factorcheck.answers.validate import find_problems
from factorcheck.answers.validate_fast import quick_given
from factorcheck.assessment import default_assessor
from factorcheck.web.app import create_app
from support import ROOT
from support.answer_sets import answer_sets, drawn, never_answered
from support.questionnaire_docs import doc_problems
from support.synthetic import answer_sets as synthetic_answer_sets
from support.typical_session import TYPICAL_REPLIES, walk


async def _page(app: Any, method: str, path: str, body: bytes = b"") -> str:
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "scheme": "http",
        "http_version": "1.1",
        "server": ("127.0.0.1", 8765),
        "client": ("127.0.0.1", 40000),
        "headers": [
            (b"host", b"127.0.0.1:8765"),
            (b"content-type", b"application/x-www-form-urlencoded"),
            (b"content-length", str(len(body)).encode()),
        ],
    }
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return b"".join(chunks).decode("utf-8")


def _questions_on(html: str) -> list[str]:
    found = re.findall(
        r"<legend>(.*?)</legend>|<label class=\"question\"[^>]*>(.*?)</label>", html, re.DOTALL
    )
    return [unescape(re.sub(r"<[^>]+>", "", a or b)).replace(" (required)", "").strip() for a, b in found]


def main(new_ids: list[str], answers: dict[str, object]) -> None:
    app = create_app(default_assessor())
    first = asyncio.run(_page(app, "GET", "/"))
    rest = asyncio.run(_page(app, "POST", "/continue", b"none_of_the_signs=yes"))
    fhir_items = [
        entry["linkId"] for part in questionnaire_resource()["item"] for entry in part.get("item", [part])
    ]
    _, problems = find_problems(answers)
    wrong = {**answers, new_ids[0]: 521, new_ids[1]: "maybe"}
    typical = walk(TYPICAL_REPLIES)
    answered_in_walk = walk({**TYPICAL_REPLIES, **{name: str(answers[name]) for name in new_ids}})
    report = default_assessor().assess(answers)
    print(
        json.dumps(
            {
                "items": [item.id for item in ITEMS],
                "schema": sorted(Answers.model_json_schema()["properties"]),
                "fhir": fhir_items,
                "form": _questions_on(first) + _questions_on(rest) == [item.question for item in ITEMS],
                "form_has": [name for name in new_ids if f'id="field-{name}"' in first + rest],
                "valid": [problem.message for problem in problems],
                "fast": quick_given(answers) == dict(answers),
                "out_of_range": [str(problem) for problem in find_problems(wrong)[1]],
                "fast_out_of_range": quick_given(wrong),
                "report_answers": sorted(report["answers"]),
                "walk": [len(typical), len(answered_in_walk)],
                "never_answered_seeded": never_answered(synthetic_answer_sets(20250902, 1000)),
                "never_answered_drawn": never_answered(drawn(answer_sets(), 200)),
                "docs": doc_problems((ROOT / "docs" / "questionnaire.md").read_text(encoding="utf-8"), ITEMS),
            }
        )
    )


if __name__ == "__main__":
    main(json.loads(sys.argv[1]), json.loads(sys.argv[2]))
