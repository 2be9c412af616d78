"""Files of answers and reports: private, written whole, and never at the cost of a device or a link."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest

from factorcheck.cli.main import main
from factorcheck.private_files import private_file, write_private
from support import EXAMPLES


def test_a_file_is_private_whole_and_replaces_an_existing_one(tmp_path: Path) -> None:
    """An existing world-readable file is replaced by a 0600 one, with nothing left beside it."""
    path = tmp_path / "report.md"
    path.write_text("old")
    path.chmod(0o644)
    write_private(path, "new")
    assert path.read_text() == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def _write_half(path: Path) -> None:
    with private_file(path) as stream:
        stream.write(b"half")
        raise RuntimeError


def test_a_block_that_fails_leaves_neither_the_file_nor_a_temporary_one(tmp_path: Path) -> None:
    """An error inside the block removes the temporary file and keeps the old one as it was."""
    path = tmp_path / "answers.json"
    path.write_text("kept")
    with pytest.raises(RuntimeError):
        _write_half(path)
    assert path.read_text() == "kept"
    assert [p.name for p in tmp_path.iterdir()] == ["answers.json"]


def test_a_symbolic_link_is_followed_and_kept(tmp_path: Path) -> None:
    """Writing through a link replaces the file it points to; the link stays a link."""
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    write_private(link, "new")
    assert link.is_symlink()
    assert real.read_text() == "new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o600


@pytest.mark.parametrize("command", ["check", "batch"])
def test_a_device_named_as_the_output_is_written_not_replaced(command: str, tmp_path: Path) -> None:
    """-o /dev/null writes into the device (run as root, a rename would have replaced it with a file)."""
    source = EXAMPLES / "no-pain.json"
    if command == "batch":
        source = tmp_path / "in.jsonl"
        source.write_text((EXAMPLES / "no-pain.json").read_text().replace("\n", " ") + "\n", encoding="utf-8")
    null = Path(os.devnull)
    before = null.stat()
    code = main([command, str(source), "-o", os.devnull], stdout=io.StringIO(), stderr=io.StringIO())
    after = null.stat()
    assert code == 0
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
