"""Helpers the tests share: generated answer sets, the spec transcribed, a screen reader for `ask`."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
RULES = ROOT / "src" / "factorcheck" / "rules"
# The source article sits beside the repository in the team's workspace; tests that need it
# skip when it is absent.
ARTICLE = ROOT.parent / "shared" / "source" / "article.txt"
