"""Fuzzing `ask --plain`'s typed answers: hostile replies to each prompt are refused and asked again, or
taken; the session always reaches its report, and no answer is lost on the way."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass, field
from typing import TextIO, cast

from hypothesis import given
from hypothesis import strategies as st

from factorcheck.answers.questionnaire import ITEMS
from factorcheck.ask.command import converse
from factorcheck.ask.line_prompts import LineFrontEnd
from factorcheck.assessment import default_assessor
from factorcheck.conversation.prompts import Notice, Prompt, Reply
from factorcheck.conversation.session import Session
from factorcheck.report.render import format_report
from support.fuzzing import CONSULTS, FUZZ, NUMBER_TEXTS, WORDS, is_safe_message, number_texts, record, texts
from support.typical_session import TYPICAL_REPLIES

ASSESSOR = default_assessor()
# Prompts by the name TYPICAL_REPLIES gives them ("checklist", an item id, "review"), and any item
# a warning sign or a hostile answer taken may bring in.
PROMPTS = sorted({*TYPICAL_REPLIES, *(item.id for item in ITEMS)})
# Replies that get past most prompts, tried in turn after the typical one when a hostile reply
# taken earlier changed what the prompt needs (a height skipped refuses a weight).
FALLBACKS = ["skip", "1", "no", "none", "40", "170", "70", ""]
# Replies typed in words, numbers and navigation, and the mistakes around them.
REPLY_WORDS = [
    "back",
    "BACK",
    " skip ",
    "y",
    "n",
    "none",
    "none, 1",
    "1 2 3",
    "1,,3",
    "0",
    "99",
    "-1",
    ";",
    ",",
    "5 ft 20 in",
    "6 ft",
    "5'11\"",
    "170 cm",
    "1e400 cm",
    "9" * 400 + " ft",
    "9" * 400 + " lb",
    "70 kg",
    "154 lb",
    "52 years",
    "52 weeks",
    *NUMBER_TEXTS,
]
replies = st.one_of(
    st.sampled_from(REPLY_WORDS + WORDS),
    number_texts,
    number_texts.map(lambda number: f"{number} ft"),
    texts,
).map(lambda text: text.replace("\n", " ").replace("\r", " "))


@dataclass
class Asked:
    """One prompt as it was shown: its key, the error shown with it, the answers at that moment,
    and where its text begins in the output."""

    key: str
    error: str
    answers: dict[str, object]
    at: int
    question: str


@dataclass
class Watching:
    """The plain line front end, with a record of every prompt it showed."""

    session: Session
    out: io.StringIO
    front: LineFrontEnd | None = None
    asked: list[Asked] = field(default_factory=list)

    def ask(self, prompt: Prompt, error: str) -> Reply:
        assert self.front is not None
        self.asked.append(Asked(prompt.key, error, self.session.answers, self.out.tell(), prompt.question))
        return self.front.ask(prompt, error)

    def notify(self, notice: Notice) -> None:
        assert self.front is not None
        self.front.notify(notice)

    def ask_line(self, question: str) -> str:
        raise AssertionError("the questionnaire asked a question outside it")

    def say(self, text: str, wrapped: bool = True) -> None:
        assert self.front is not None
        self.front.say(text, wrapped)


class Typing:
    """Standard input that replies to whatever prompt is shown: first the hostile replies planned
    for it, then the typical person's reply, then the fallbacks; a pipe, not a terminal."""

    def __init__(self, watching: Watching, plan: dict[str, list[str]]) -> None:
        self.watching = watching
        self.plan = plan
        self.tries: dict[str, int] = {}
        # Which replies were hostile ones, by the number of the prompt they answered.
        self.hostile: set[int] = set()

    def readline(self) -> str:
        key = self.watching.asked[-1].key
        name = key.split(":", 1)[-1]
        if self.plan.get(name):
            self.hostile.add(len(self.watching.asked) - 1)
            return self.plan[name].pop(0) + "\n"
        tries = self.tries.get(key, 0)
        self.tries[key] = tries + 1
        candidates = [TYPICAL_REPLIES.get(name, "skip"), *FALLBACKS]
        if tries > 3 * len(candidates):
            raise AssertionError(f"no reply gets past {key}: {self.watching.asked[-1].error}")
        return candidates[tries % len(candidates)] + "\n"

    def isatty(self) -> bool:
        return False


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(PROMPTS), replies), min_size=1, max_size=6))
def test_hostile_replies_are_asked_again_and_the_session_ends_in_a_report(
    attacks: list[tuple[str, str]],
) -> None:
    """Every refused reply is shown its error (bounded, no terminal controls) with the same question
    again, and leaves the answers as they were; no reply raises; the session reaches the report."""
    plan: dict[str, list[str]] = {}
    for name, reply in attacks:
        plan.setdefault(name, []).append(reply)
    session = Session(ASSESSOR)
    out = io.StringIO()
    watching = Watching(session, out)
    typing = Typing(watching, plan)
    watching.front = LineFrontEnd(cast(TextIO, typing), out)
    converse(session, watching)
    shown = out.getvalue()
    asked = watching.asked
    for number, (before, again) in enumerate(itertools.pairwise(asked)):
        if number in typing.hostile:
            record("ask --plain (hostile replies)", "refused" if again.error else "taken")
        if not again.error:
            continue
        assert again.key == before.key
        assert again.answers == before.answers
        assert len(again.error) < 2000
        assert is_safe_message(again.error), again.error
        page = shown[again.at : asked[number + 2].at if number + 2 < len(asked) else len(shown)]
        assert "\n! " in page
        assert again.question[:30] in " ".join(page.split())
    assert session.finished
    record("ask --plain (sessions)", "report")
    report = ASSESSOR.assess(session.answers)
    text = format_report(report, "text", ASSESSOR.ruleset, None, plain=True)
    assert any(" ".join(text.split()).endswith(consult) for consult in CONSULTS)
