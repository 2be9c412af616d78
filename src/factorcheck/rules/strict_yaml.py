"""A YAML loader without YAML's traps: no duplicate keys, no aliases, and `yes`, `no`, dates stay text."""

from __future__ import annotations

import re
from typing import Any

import yaml


class StrictYamlError(ValueError):
    """Raised when a YAML document uses a construct the strict loader refuses."""


# libyaml's C parser when PyYAML was built with it (several times faster: start-up time).
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """SafeLoader that only reads true/false as booleans and rejects duplicate keys."""


# YAML 1.1 reads yes/no/on/off as booleans and 2025-09-02 as a date; here they stay text.
_DROPPED_TAGS = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
# A copy, so yaml.SafeLoader itself is left untouched.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def _mapping_without_duplicates(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):  # "? {a: 1}": a mapping or a list as a key
            line = key_node.start_mark.line + 1
            raise StrictYamlError(f"line {line}: a key must be a plain word or text, not a mapping or a list")
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            line = key_node.start_mark.line + 1
            raise StrictYamlError(f"line {line}: the key {key!r} appears twice in the same mapping")
        seen[key] = loader.construct_object(value_node, deep=True)
    return seen


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _mapping_without_duplicates,
)


def _refuse_aliases(root: yaml.Node) -> None:
    """An alias makes one node appear in several places; a few lines of them can stand for
    billions of nodes (an "alias bomb"), so a file that uses one is refused before anything is
    built from it. Each node is visited once, so this takes time in proportion to the text."""
    seen: set[int] = set()
    waiting = [root]
    while waiting:
        node = waiting.pop()
        if id(node) in seen:
            line = node.start_mark.line + 1
            raise StrictYamlError(
                f"line {line}: an alias (*name) repeats another part of the file; rule files do not "
                "use YAML anchors (&name) and aliases: write each part out in full"
            )
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                waiting += (key, value)
        elif isinstance(node, yaml.SequenceNode):
            waiting += node.value


def load_strict_yaml(text: str) -> Any:
    """Parse one YAML document strictly; raises StrictYamlError or yaml.YAMLError."""
    loader = _StrictLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        _refuse_aliases(root)
        return loader.construct_document(root)
    except RecursionError as error:
        raise StrictYamlError("the YAML is nested too deeply") from error
    finally:
        loader.dispose()
