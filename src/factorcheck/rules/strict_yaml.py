"""A YAML loader without YAML's traps: no duplicate keys, and `yes`, `no`, dates stay text."""

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


def load_strict_yaml(text: str) -> Any:
    """Parse one YAML document strictly; raises StrictYamlError or yaml.YAMLError."""
    return yaml.load(text, Loader=_StrictLoader)
