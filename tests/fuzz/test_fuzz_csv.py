"""Fuzzing `factorcheck batch` on CSV cells: every row gives a report or an error record; the run goes on."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from factorcheck.answers.questionnaire import ITEMS
from support.fuzzing import FUZZ, garbage, record, run_batch, texts

# Every item a column (a row's cells left empty are not answered), the required ones answered, so
# that a row becomes a report unless a hostile cell spoils it.
COLUMNS = [item.id for item in ITEMS]
VALID = {"age_years": "40", "heel_pain": "true", "knee_pain": "false"}
cells = st.one_of(
    st.sampled_from(["", "yes", "no", "not_sure", "true", "false", "40", "1e2", "gout;none", '"', '""']),
    texts,
    garbage.map(lambda data: data.decode("utf-8", "surrogateescape")),
    st.builds(lambda size: "9" * size, st.integers(19, 200_000)),
)


def _row(values: dict[str, str]) -> bytes:
    text = ",".join(values.get(column, VALID.get(column, "")) for column in COLUMNS)
    try:  # bad bytes, carried as escapes
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate: written as the invalid UTF-8 it would be
        return text.encode("utf-8", "surrogatepass")


@FUZZ
@given(st.lists(st.dictionaries(st.sampled_from(COLUMNS), cells, max_size=3), min_size=1, max_size=5))
def test_every_csv_row_gives_a_record(rows: list[dict[str, str]]) -> None:
    """Hostile cells (quotes, separators, bad bytes, huge numbers): records in order, exit 0 or 2."""
    data = b"\n".join([",".join(COLUMNS).encode(), *map(_row, rows), _row({})]) + b"\n"
    code, output, err = run_batch(data, "--input-format", "csv", "--workers", "1")
    assert "unexpected" not in err
    assert code in (0, 2), err
    assert output, "no record at all"
    for written in output:
        record("batch CSV (records)", "report" if "triage" in written else "error record")
    lines = [record["error"]["line"] for record in output if "error" in record]
    assert lines == sorted(lines)
    assert all(2 <= line <= data.count(b"\n") for line in lines)


def test_a_row_left_alone_gives_a_report() -> None:
    """The cells a row keeps where no hostile cell replaces them make a valid answer set, so the
    cases above reach reports as well as errors."""
    data = b"\n".join([",".join(COLUMNS).encode(), _row({})]) + b"\n"
    code, output, err = run_batch(data, "--input-format", "csv", "--workers", "1")
    assert code == 0, err
    assert len(output) == 1
    assert "triage" in output[0]
