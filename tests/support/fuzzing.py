"""Hostile inputs for the fuzz suite: JSON-like values, bytes, form fields, QuestionnaireResponses.

`make test` runs a few dozen cases per entry point; `make fuzz` sets FACTORCHECK_FUZZ_EXAMPLES
(10,000) for the long run. Every case has a deadline, so a hang is a failure, not a stall.
"""

from __future__ import annotations

import io
import math
import os
import unicodedata
from collections import Counter, defaultdict
from datetime import timedelta
from typing import Any, TextIO, cast

import orjson
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from factorcheck.answers.fhir.writing import response_resource
from factorcheck.answers.questionnaire import ITEMS, ITEMS_BY_ID, SAFETY_ITEMS
from factorcheck.assessment import default_assessor
from support.answer_sets import answer_sets

EXAMPLES = int(os.environ.get("FACTORCHECK_FUZZ_EXAMPLES", "50"))
# What the cases gave, by entry point, for the summary at the end of a run (tests/conftest.py).
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


class JsonNumber(str):
    """A number that to_json writes as this text, as it stands: one no float holds (1e400, 0.(400
    zeros)1, 400 digits), which a sender can write all the same."""


def _scalar(value: Any) -> str:
    if isinstance(value, JsonNumber):
        return str(value)
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
    """`factorcheck batch - OPTIONS` on these bytes: the exit code, the records written (each line
    read by a strict parser: I-JSON, no lone surrogate), stderr."""
    from factorcheck.cli.main import main

    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    stdout, stderr = _Stdout(), io.StringIO()
    code = main(["batch", "-", *options], stdin=stdin, stdout=cast(TextIO, stdout), stderr=stderr)
    text = stdout.buffer.getvalue()
    assert not text or text.endswith(b"\n"), "a half line"
    return code, [orjson.loads(line) for line in text.split(b"\n")[:-1]], stderr.getvalue()


# Every level's closing consult message, its words as one line: the last words of every report.
CONSULTS = [" ".join(level.consult.split()) for level in default_assessor().ruleset.levels]
# Bytes a message may never hold raw: a terminal would act on them (a line break only between lines).
UNSAFE = {chr(code) for code in [*range(0x0A), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0), 0x202E]}


def is_safe_message(text: str) -> bool:
    """No terminal control, no bidirectional override, no lone surrogate in a message shown to a person."""
    return not UNSAFE & set(text) and not any(0xD800 <= ord(char) <= 0xDFFF for char in text)


# Numbers as people and programs mistype them: digits of other scripts, exponents, separators,
# far more digits than any range, and the words a float parser knows.
OTHER_DIGITS = [
    "\u0664\u0660",  # Arabic-Indic 40
    "\uff14\uff10",  # fullwidth 40
    "\u096a\u0966",  # Devanagari 40
    "\U0001d7d2\U0001d7ce",  # mathematical bold 40
    "\u00b2",  # superscript two
    "\u2164",  # Roman numeral five
]
NUMBER_TEXTS = [
    *OTHER_DIGITS,
    "1e400",
    "-1e400",
    "1e-400",
    "inf",
    "-inf",
    "nan",
    "0x28",
    "4_0",
    "40.0",
    "40.",
    ".5",
    "-0",
    "+40",
    "1,5",
    "1.5.5",
    " 40 ",
    "40\t",
    "0",
    "-1",
]
number_texts = st.one_of(
    st.sampled_from(NUMBER_TEXTS),
    st.integers().map(str),
    st.builds(lambda size: "9" * size, st.integers(13, 6000)),
    st.builds(lambda size: "9" * size + ".5", st.integers(300, 400)),
    st.builds(lambda size: "0." + "0" * size + "1", st.integers(300, 400)),
    st.floats().map(repr),
)
assert all(unicodedata.category(text[0]) in ("Nd", "No", "Nl") for text in OTHER_DIGITS)


# Form fields: the items, the imperial halves of height and weight, and names the form never has.
FORM_FIELDS = [item.id for item in ITEMS] + ["height_ft", "height_in", "weight_lb"]
field_names = st.one_of(st.sampled_from(FORM_FIELDS), texts)
field_values = st.one_of(st.sampled_from(["true", "false", "yes", "no", ""]), number_texts, texts)


def form_pairs(answers: dict[str, object]) -> list[tuple[str, str]]:
    """An answer set as the form posts it: true/false, numbers as text, a list as repeated fields."""
    pairs: list[tuple[str, str]] = []
    for name, value in answers.items():
        for one in value if isinstance(value, list) else [value]:
            pairs.append((name, ("true" if one else "false") if isinstance(one, bool) else str(one)))
    return pairs


def _percent(text: str) -> str:
    from urllib.parse import quote_plus

    # A lone surrogate goes as the bytes it would be in UTF-8 (%ED%A0%80): not UTF-8 at all.
    return quote_plus(text.encode("utf-8", "surrogatepass"))


@st.composite
def hostile_forms(draw: st.DrawFn) -> bytes:
    """A valid form post changed a few ways: fields set to awkward texts, repeated, dropped or
    unknown; imperial height and weight; then perhaps a few raw bytes put in the encoded body."""
    answers = dict(draw(answer_sets()))
    if draw(st.booleans()):
        # The warning-sign page is left only with every sign answered (or "None of these"): half
        # the posts answer the others No, so that /continue reaches the next part as often as not.
        answers = {**{item.id: "no" for item in SAFETY_ITEMS if not item.enabled_when}, **answers}
    pairs = form_pairs(answers)
    for _ in range(draw(st.integers(0, 4))):
        action = draw(st.sampled_from(["set", "repeat", "drop", "add", "imperial", "many"]))
        where = draw(st.integers(0, max(len(pairs) - 1, 0)))
        if action == "set" and pairs:
            pairs[where] = (pairs[where][0], draw(field_values))
        elif action == "repeat" and pairs:
            pairs.insert(where, (pairs[where][0], draw(st.one_of(st.just(pairs[where][1]), field_values))))
        elif action == "drop" and pairs:
            del pairs[where]
        elif action == "add":
            pairs.insert(where, (draw(field_names), draw(field_values)))
        elif action == "imperial":
            name = draw(st.sampled_from(["height_ft", "height_in", "weight_lb"]))
            if draw(st.booleans()):  # without the metric answer, so that the imperial one is read
                metric = "weight_kg" if name == "weight_lb" else "height_cm"
                pairs = [pair for pair in pairs if pair[0] != metric]
            pairs.append((name, draw(st.one_of(st.integers(0, 300).map(str), field_values))))
        else:
            pairs += [(draw(st.sampled_from(FORM_FIELDS)), draw(field_values))] * draw(st.integers(2, 250))
    body = "&".join(f"{_percent(name)}={_percent(value)}" for name, value in pairs).encode("ascii")
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):
        where = draw(st.integers(0, len(body)))
        piece = draw(
            st.sampled_from([b"%", b"%zz", b"%ED%A0%80", b"%FF", b"\xff", b"&&", b"=", b"+", b";", b"%00"])
        )
        body = body[:where] + piece + body[where:]
    return body


# QuestionnaireResponses: value[x] keys right and wrong, linkIds, numbers no float holds.
VALUE_KEYS = [
    "valueBoolean",
    "valueDecimal",
    "valueInteger",
    "valueCoding",
    "valueString",
    "valueDate",
    "valueQuantity",
    "valueReference",
    "value",
    "valueboolean",
]
huge_decimals = st.one_of(
    st.sampled_from(["1e400", "-1e400", "1E+309", "1e-400", "-0.0", "2e-324"]).map(JsonNumber),
    st.builds(lambda size: JsonNumber("9" * size), st.integers(300, 5000)),
    st.builds(lambda size: JsonNumber("9" * size + ".5"), st.integers(300, 400)),
    st.builds(lambda size: JsonNumber("0." + "0" * size + "1"), st.integers(300, 400)),
)
hostile_texts = st.one_of(texts, st.sampled_from([*WORDS, "\ud800x", "\udfff", "x\ud83d"]))
hostile_scalars = st.one_of(scalars, huge_decimals, hostile_texts)


def _positions(value: Any) -> list[tuple[Any, Any]]:
    """Every (container, key or index) in a JSON value, without recursion."""
    found: list[tuple[Any, Any]] = []
    stack = [value]
    while stack:
        container = stack.pop()
        keys = list(container) if isinstance(container, dict) else range(len(container))
        for key in keys:
            found.append((container, key))
            if isinstance(container[key], dict | list):
                stack.append(container[key])
    return found


def _nested_items(depth: int, inner: Any) -> Any:
    for level in range(depth):
        inner = (
            {"linkId": f"n{level}", "item": [inner]} if level % 2 else {"valueBoolean": True, "item": [inner]}
        )
    return [inner]


# Padding and the bytes each character takes in a document's JSON text (the escape is written \u001b).
PADDING = {"x": 1, "\u00e9": 2, "\x1b[31m": 10}


@st.composite
def hostile_responses(draw: st.DrawFn) -> Any:
    """A valid QuestionnaireResponse changed a few ways: answers given a hostile value or another
    value[x] (lone surrogates, escape codes, numbers no float holds), linkIds and element names
    set to awkward texts, elements dropped or replaced, items nested thousands deep, a document
    padded to just under or just over the 64 KiB a post may be; or any JSON value at all."""
    if draw(st.integers(0, 19)) == 0:
        return draw(json_values)
    resource: Any = response_resource(dict(draw(answer_sets())))
    for _ in range(draw(st.integers(0, 4))):
        positions = _positions(resource)
        objects = [resource, *(where[key] for where, key in positions if isinstance(where[key], dict))]
        answers = [node for node in objects if any(str(key).startswith("value") for key in node)]
        action = draw(
            st.sampled_from(["answer", "value key", "linkId", "element", "drop", "nest", "pad", "any"])
        )
        node = draw(st.sampled_from(answers if answers and action in ("answer", "value key") else objects))
        if action == "answer" and node:
            node[next(iter(node))] = draw(st.one_of(huge_decimals, hostile_scalars, json_values))
        elif action == "value key":
            node.clear()
            node[draw(st.sampled_from(VALUE_KEYS))] = draw(st.one_of(hostile_scalars, json_values))
        elif action == "linkId":
            node["linkId"] = draw(st.one_of(hostile_texts, hostile_scalars))
        elif action == "element":
            node[draw(hostile_texts)] = draw(st.one_of(hostile_scalars, json_values))
        elif action == "nest":
            node["item"] = _nested_items(
                draw(st.one_of(st.integers(1, 50), st.integers(1, 3000))), {"linkId": "age_years"}
            )
        elif action == "pad":
            padding = draw(st.sampled_from(sorted(PADDING)))
            node["text"] = padding * (draw(st.integers(60_000, 70_000)) // PADDING[padding])
        elif positions:
            where, key = positions[draw(st.integers(0, len(positions) - 1))]
            if action == "drop":
                del where[key]
            else:
                where[key] = draw(st.one_of(hostile_scalars, json_values))
    return resource


def _insert(data: bytes, where: int, piece: bytes) -> bytes:
    where %= len(data) + 1
    return data[:where] + piece + data[where:]


_responses_encoded = st.builds(to_json, hostile_responses()).map(lambda text: text.encode("utf-8"))
# Response documents as bytes: most well formed, some with odd bytes put in (\xed\xa0\x80 is a
# lone surrogate written as raw bytes, which is not UTF-8).
response_documents = st.one_of(
    _responses_encoded,
    _responses_encoded,
    _responses_encoded,
    st.builds(_insert, _responses_encoded, st.integers(0, 100_000), garbage | st.just(b"\xed\xa0\x80")),
)
