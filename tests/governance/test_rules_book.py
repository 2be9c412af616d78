"""`rules book`: every rule, example and evidence entry appears; the HTML is self-contained and passes axe."""

from __future__ import annotations

import html
import io
import json
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from factorcheck.cli.main import main
from factorcheck.governance.book import book_html, book_markdown, build_book
from factorcheck.governance.hazard_log import load_hazards
from factorcheck.rules.loading import default_rules_dir, load_ruleset
from factorcheck.rules.plain_words import fires_when

AXE = Path(__file__).parents[1] / "web" / "axe" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RULESET = load_ruleset()
BOOK = build_book(RULESET)


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdin=io.StringIO(), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("render", [book_html, book_markdown], ids=["html", "markdown"])
def test_the_book_shows_every_rule_example_and_evidence_entry(render: Any) -> None:
    text = render(BOOK)
    shown = html.unescape(text) if render is book_html else text.replace("\\|", "|")
    titles = {rule.id: rule.title for rule in RULESET.rules}
    assert "Review state: not yet clinically reviewed." in shown
    assert RULESET.digest in shown
    assert RULESET.version in shown
    for rule in RULESET.rules:
        assert f"{rule.id}: {rule.title}" in shown
        assert fires_when(rule.when, titles) in shown, rule.id
        assert rule.explanation in shown
        meta = rule.governance
        assert meta is not None
        for words in (meta.rationale, meta.population, meta.limitations):
            assert words in shown, rule.id
        for _number, text_line in enumerate(rule.evidence):
            assert text_line in shown, rule.id
        for answers in (*rule.examples.must_fire, *rule.examples.must_not_fire):
            assert json.dumps(dict(answers), ensure_ascii=False) in shown, rule.id
    assert len(BOOK.results) == sum(
        len(r.examples.must_fire) + len(r.examples.must_not_fire) for r in RULESET.rules
    )
    for result in BOOK.results:
        assert result.passed, result.failures
        assert result.example.name in shown
    for hazard in load_hazards():
        assert f"{hazard.id}: {hazard.title}" in shown
        for mitigation in hazard.mitigations:
            assert all(test in shown for test in mitigation.tests)


def test_the_markdown_book_grades_each_evidence_entry_and_lists_every_change() -> None:
    """Each evidence row carries its type and grade; the changes section has every change-log entry."""
    shown = book_markdown(BOOK).replace("\\|", "|")
    for rule in RULESET.rules:
        meta = rule.governance
        assert meta is not None
        branches = rule.evidence_branches or (None,) * len(rule.evidence)
        for text, branch, grade in zip(rule.evidence, branches, meta.evidence, strict=True):
            shown_text = f"{text} (when {branch} held)" if branch else text
            assert f"| {shown_text} | {grade.type} | {grade.grade} |" in shown, rule.id
        for change in meta.changes:
            row = next(
                line
                for line in shown.splitlines()
                if line.startswith(f"| {change.date} | {change.version} | ")
            )
            assert row.endswith(f" | {change.summary} |")
            assert rule.id in row.split(" | ")[2].split(", "), rule.id


def test_a_failing_example_is_shown_as_failing(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), folder, ignore=shutil.ignore_patterns("*.py", "__pycache__", "*.md"))
    path = folder / "triage.yaml"
    text = path.read_text(encoding="utf-8")
    old = '        - {age_years: 50, heel_pain: false, knee_pain: true, rf_breathless_chest_pain: "no"}\n'
    assert old in text
    path.write_text(text.replace(old, old.replace('"no"', '"yes"'), 1), encoding="utf-8")
    book = build_book(load_ruleset(folder))
    failed = [result for result in book.results if not result.passed]
    assert [result.example.name for result in failed] == ["chest_symptoms:must_not_fire#1"]
    assert (
        "FAIL: triage.yaml: chest_symptoms:must_not_fire#1: fired in the durable_rules evaluator"
        in book_markdown(book)
    )
    assert f"{len(book.results) - 1} of {len(book.results)} pass" in book_markdown(book)


def test_rules_book_writes_a_private_file(tmp_path: Path) -> None:
    target = tmp_path / "book.md"
    code, out, err = run("rules", "book", "--format", "markdown", "-o", str(target))
    assert (code, err) == (0, "")
    assert out == f"wrote {target}: {len(RULESET.rules)} rules, not yet clinically reviewed\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8") == book_markdown(BOOK)


# Run in a process of its own: the browser tests' session-wide Playwright fixtures keep an event
# loop running in this one, and a page fixture here would join (and reorder) their group.
BROWSER_CHECK = """
import json, sys
from playwright.sync_api import sync_playwright
book, axe, tags = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    page = browser.new_context(bypass_csp=True).new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(book)
    headings = page.locator("h3").count()
    page.add_script_tag(path=axe)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags)
    violations = [[v["id"], [n["target"] for n in v["nodes"]][:3]] for v in result["violations"]]
    browser.close()
print(json.dumps({"requested": requested, "headings": headings, "violations": violations}))
"""


@pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists(), reason="chromium is not installed (make test installs it)"
)
def test_the_book_html_asks_for_nothing_outside_and_passes_axe(tmp_path: Path) -> None:
    """The page requests nothing but itself (the axe script is added after loading, to check it)."""
    target = tmp_path / "book.html"
    target.write_text(book_html(BOOK), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", BROWSER_CHECK, target.as_uri(), str(AXE), json.dumps(WCAG_TAGS)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout)
    assert found["requested"] == [target.as_uri()]
    assert found["headings"] == len(RULESET.rules) + len(load_hazards())
    assert found["violations"] == []
