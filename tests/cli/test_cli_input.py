"""`factorcheck check`: what it reads (a byte-order mark, bytes that are not UTF-8), what it writes (0600)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from factorcheck.cli.main import main
from factorcheck.private_files import write_private

VALID = '{"age_years": 40, "heel_pain": true, "knee_pain": false}'


def _check_bytes(data: bytes) -> tuple[int, str, str]:
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["check", "-"], stdin=stdin, stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def test_a_byte_order_mark_is_accepted_in_a_file_and_on_standard_input(tmp_path: Path) -> None:
    """A UTF-8 byte-order mark is allowed by check (file or -), as batch allows it."""
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.encode())
    assert main(["check", str(path)], stdout=io.StringIO(), stderr=io.StringIO()) == 0
    assert _check_bytes(b"\xef\xbb\xbf" + VALID.encode())[0] == 0


def test_standard_input_that_is_not_utf8_is_named_as_such() -> None:
    """Bytes that are not UTF-8 on standard input: exit 2, "not UTF-8", no escaped surrogates shown."""
    code, out, err = _check_bytes(VALID.replace("40", "4\xff0").encode("latin-1"))
    assert (code, out) == (2, "")
    assert "standard input: it is not UTF-8 text (byte 0xff at offset 15)" in err
    assert "\\udc" not in err


def test_a_real_process_names_invalid_utf8_on_standard_input() -> None:
    """The same through a real standard input (a pipe)."""
    result = subprocess.run(
        [sys.executable, "-m", "factorcheck", "check", "-"],
        input=b'{"age_years": "\xff"}',
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert b"not UTF-8 text" in result.stderr


@pytest.mark.parametrize(
    ("document", "words"),
    [
        ('{"age_years": ' + "9" * 5000 + "}", "more than 4,300 digits"),
        ('{"age_years": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
        (
            '{"\\u001b[2J": 1, "age_years": "\\u001b]0;x\\u0007", "heel_pain": true, "knee_pain": true}',
            "\\x1b",
        ),
    ],
    ids=["huge number", "deep nesting", "escape sequences"],
)
def test_hostile_json_is_invalid_input_not_an_unexpected_error(document: str, words: str) -> None:
    """Huge numbers, deep nesting, terminal escapes: exit 2 with a clear message, nothing raw on stderr."""
    code, out, err = _check_bytes(document.encode())
    assert (code, out) == (2, "")
    assert words in err
    assert "\x1b" not in err
    assert "unexpected" not in err


def test_write_private_tightens_a_file_that_already_exists(tmp_path: Path) -> None:
    """A saved answer or report file is 0600 even when it existed before, readable by others."""
    path = tmp_path / "answers.json"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o644)
    write_private(path, VALID)
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.read_text(encoding="utf-8") == VALID
