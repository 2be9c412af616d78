"""Rule files on disk: each a regular UTF-8 file of bounded size read as strict YAML; their digest."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from factorcheck.errors import RuleFileError
from factorcheck.rules.strict_yaml import StrictYamlError, load_strict_yaml

MANIFEST = "ruleset.yaml"
# A limit documented in rules/README.md. A rule file is a few kilobytes; anything near this is
# not one.
MAX_FILE_BYTES = 1_000_000


def read_rule_file(path: Path, display: str) -> str:
    """A rule file's text: a regular file of at most MAX_FILE_BYTES, in UTF-8."""
    try:
        with path.open("rb") as stream:
            # The kind of what was opened (a link is followed): a device such as /dev/zero, a
            # pipe or a folder could be read without end.
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise RuleFileError(display, None, "is not a regular file (a device, a pipe or a folder?).")
            data = stream.read(MAX_FILE_BYTES + 1)
    except IsADirectoryError as error:
        raise RuleFileError(display, None, "is not a regular file but a folder.") from error
    except OSError as error:
        raise RuleFileError(display, None, f"cannot be read: {error.strerror}") from error
    if len(data) > MAX_FILE_BYTES:
        raise RuleFileError(
            display, None, f"is larger than {MAX_FILE_BYTES:,} bytes, the most a rule file may hold."
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise RuleFileError(
            display, None, f"is not UTF-8 text (byte {data[error.start]:#04x} on line {line})."
        ) from error


def load_yaml(path: Path, display: str) -> Any:
    """A rule file's content, read as strict YAML."""
    text = read_rule_file(path, display)
    try:
        return load_strict_yaml(text)
    except (StrictYamlError, yaml.YAMLError) as error:
        raise RuleFileError(display, None, f"not valid YAML: {error}") from error


def rule_files_digest(rules_dir: Path, names: Sequence[str]) -> str:
    """SHA-256 over each file's name, byte length and content (line ends as LF), in name order."""
    digest = hashlib.sha256()
    for name in sorted(names):
        content = (rules_dir / name).read_bytes().replace(b"\r\n", b"\n")
        digest.update(f"{name}\n{len(content)}\n".encode())
        digest.update(content)
    return "sha256:" + digest.hexdigest()
