"""Hostile inputs for the fuzz suite: JSON-like values, bytes, CSV cells and rule-file edits.

`make test` runs a few dozen cases per entry point; `make fuzz` sets FACTORCHECK_FUZZ_EXAMPLES
(10,000) for the long run. Every case has a deadline, so a hang is a failure, not a stall.
"""

from __future__ import annotations

import io
import json
import math
import os
from collections import Counter, defaultdict
from datetime import timedelta
from typing import Any, TextIO, cast

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from factorcheck.answers.questionnaire import ITEMS, ITEMS_BY_ID
from support.answer_sets import answer_sets

EXAMPLES = int(os.environ.get("FACTORCHECK_FUZZ_EXAMPLES", "50"))
# What the cases gave, by entry point, for the summary at the end of a run (tests/fuzz/conftest.py).
OUTCOMES: dict[str, Counter[str]] = defaultdict(Counter)


def record(entry_point: str, outcome: str) -> None:
    """Count one case's outcome ("report", "invalid", "load error"...) for the run's summary."""
    OUTCOMES[entry_point][outcome] += 1


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=5),
    derandomize=True,
    database=None,
    # No "explain" phase: it reruns a failure hundreds of times, minutes on these inputs.
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

# Texts a terminal or a parser could trip on: escapes, controls, invisible characters, lone
# surrogates, quotes and separators, and the keys and choices of the questionnaire itself.
AWKWARD = [
    "\x1b[2J",
    "\x1b]0;title\x07",
    "\x00",
    "\u202e",
    "\ufeff",
    "\ud800",
    '"',
    ",",
    ";",
    "\n",
    "\r\n",
    "NaN",
    "",
]
WORDS = [item.id for item in ITEMS] + [choice for item in ITEMS for choice in item.choices]
texts = st.one_of(
    st.text(max_size=20),
    st.sampled_from(AWKWARD + WORDS),
    st.builds(
        lambda word, size: word * size, st.sampled_from(["x", "\x1b[31m", "é"]), st.integers(1, 20_000)
    ),
)
numbers = st.one_of(
    st.integers(-200, 400),
    st.integers(),
    st.builds(lambda digits: 10**digits - 1, st.integers(19, 6000)),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=0, max_value=400, places=2).map(float),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)


def _deep(depth: int, inner: Any) -> Any:
    for _ in range(depth):
        inner = [inner]
    return inner


json_values = st.one_of(
    st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=5) | st.dictionaries(texts, inner, max_size=5),
        max_leaves=20,
    ),
    st.builds(_deep, st.integers(1, 5000), scalars),
    st.builds(
        lambda entry, size: [entry] * size, st.sampled_from(["gout", "none", 1, None]), st.integers(0, 50_000)
    ),
)
keys = st.one_of(st.sampled_from(list(ITEMS_BY_ID)), texts)


@st.composite
def hostile_answer_sets(draw: st.DrawFn) -> Any:
    """A valid answer set with a few items changed, added or removed; or any JSON value at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(json_values)
    answers: dict[Any, Any] = dict(draw(answer_sets()))
    for _ in range(draw(st.integers(0, 3))):
        action = draw(st.sampled_from(["set", "drop", "add"]))
        if action == "drop" and answers:
            answers.pop(draw(st.sampled_from(sorted(answers, key=str))))
        else:
            key = (
                draw(st.sampled_from(sorted(answers, key=str))) if action == "set" and answers else draw(keys)
            )
            answers[key] = draw(json_values)
    return answers


# Raw text of JSON documents, with the breakage a file or a line can have.
def _corrupt(text: str, position: int, garbage: bytes, cut: bool) -> bytes:
    data = text.encode("utf-8", "surrogatepass")
    position %= len(data) + 1
    return data[:position] + garbage + (b"" if cut else data[position:])


garbage = st.one_of(
    st.binary(max_size=8),
    st.sampled_from(
        [b"\xff", b"\xef\xbb\xbf", b"NaN", b"Infinity", b"[" * 2000, b"{", b'"', b"\\u", b"\x00"]
    ),
)


def to_json(value: Any) -> str:
    """JSON text of any value the strategies make, however deep or large (NaN and Infinity as the
    json module writes them; whole numbers of any length): written without recursion."""
    out: list[str] = []
    stack: list[tuple[bool, Any]] = [(False, value)]
    while stack:
        raw, item = stack.pop()
        if raw:
            out.append(item)
        elif isinstance(item, list | dict):
            pairs = list(item.items()) if isinstance(item, dict) else [(None, entry) for entry in item]
            stack.append((True, "}" if isinstance(item, dict) else "]"))
            for number, (key, entry) in reversed(list(enumerate(pairs))):
                stack.append((False, entry))
                if key is not None:
                    stack.append((True, _scalar(str(key)) + ":"))
                if number:
                    stack.append((True, ","))
            stack.append((True, "{" if isinstance(item, dict) else "["))
        else:
            out.append(_scalar(item))
    return "".join(out)


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return _digits(value)
    if isinstance(value, float):
        return {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}.get(repr(value), repr(value))
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return (
        '"'
        + "".join(
            ch if ch >= " " and not 0xD800 <= ord(ch) <= 0xDFFF else f"\\u{ord(ch):04x}" for ch in escaped
        )
        + '"'
    )


def _digits(value: int) -> str:
    try:
        return str(value)
    except ValueError:  # over 4,300 digits: the strategies make these as 10**n - 1, all nines
        return (
            ("-" if value < 0 else "")
            + "9" * len(str(abs(value) >> (abs(value).bit_length() - 40)))
            + "9" * int((abs(value).bit_length() - 40) * math.log10(2))
        )


documents = st.one_of(
    st.builds(to_json, hostile_answer_sets()).map(lambda text: text.encode("utf-8")),
    st.builds(
        _corrupt, st.builds(to_json, hostile_answer_sets()), st.integers(0, 10_000), garbage, st.booleans()
    ),
)


class _Stdout:
    """A standard output whose bytes go to `buffer`, as sys.stdout's do."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()


def run_batch(data: bytes, *options: str) -> tuple[int, list[dict[str, Any]], str]:
    """`factorcheck batch - OPTIONS` on these bytes: the exit code, the records written, stderr."""
    from factorcheck.cli.main import main

    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    stdout, stderr = _Stdout(), io.StringIO()
    code = main(["batch", "-", *options], stdin=stdin, stdout=cast(TextIO, stdout), stderr=stderr)
    text = stdout.buffer.getvalue()
    assert not text or text.endswith(b"\n"), "a half line"
    return code, [json.loads(line) for line in text.splitlines()], stderr.getvalue()
