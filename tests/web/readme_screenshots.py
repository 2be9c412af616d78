"""Takes the README's two pictures: the form with follow-ups open, and the first printed page of a report.

Run by hand after a visible change (`.venv/bin/python tests/web/readme_screenshots.py`); it writes
docs/web-form.png and docs/web-report-printed.png. Not a test: nothing is asserted here.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "web")]

from test_browser import choose, fill, none_of_the_signs  # noqa: E402

from factorcheck.assessment import default_assessor  # noqa: E402
from factorcheck.web.app import create_app  # noqa: E402
from factorcheck.web.serve import open_socket  # noqa: E402


def main() -> None:
    sock = open_socket("127.0.0.1", 0)
    config = uvicorn.Config(
        create_app(default_assessor()), log_level="warning", access_log=False, lifespan="off"
    )
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    answers = json.loads((ROOT / "examples" / "both-pains-several-links.json").read_text())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 720, "height": 1000})
        page.goto(url)
        fill(page, answers, part=1)
        none_of_the_signs(page)
        page.get_by_role("button", name="Continue to the other questions").click()
        choose(page, "age_years", answers["age_years"])
        choose(page, "heel_pain", True)
        choose(page, "heel_pain_first_steps", "yes")
        page.screenshot(path=str(ROOT / "docs" / "web-form.png"))
        fill(page, answers, part=2)
        page.get_by_role("button", name="Check my answers").click()
        page.get_by_role("button", name="See my report").click()
        # The first page of the report printed to A4, as a picture at 96 dpi (poppler's pdftoppm).
        with tempfile.TemporaryDirectory() as folder:
            pdf = Path(folder) / "report.pdf"
            pdf.write_bytes(page.pdf(format="A4"))
            picture = ROOT / "docs" / "web-report-printed"
            command = ["pdftoppm", "-r", "96", "-f", "1", "-l", "1", "-singlefile", "-png"]
            subprocess.run([*command, str(pdf), str(picture)], check=True)
        browser.close()
    server.should_exit = True


if __name__ == "__main__":
    main()
