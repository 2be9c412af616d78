"""The strict pydantic model of one answer set, built from the questionnaire's items."""

from __future__ import annotations

from typing import Annotated, Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, create_model

from factorcheck.answers.questionnaire import ITEMS, Item


def _value_type(item: Item) -> Any:
    """The type of an item's answer, as pydantic checks it (no coercion, in range, a choice)."""
    if item.type == "boolean":
        return bool
    if item.type == "integer":
        return Annotated[int, Field(ge=item.minimum, le=item.maximum)]
    # JSON numbers stay as given (170 stays 170, not 170.0); the range check rejects inf and nan.
    if item.type == "number":
        return Annotated[int | float, Field(ge=item.minimum, le=item.maximum)]
    choice = cast(Any, Literal)[item.choices]
    return list[choice] if item.type == "choices" else choice  # type: ignore[valid-type]


def _field(item: Item) -> tuple[Any, Any]:
    extra: dict[str, Any] = {
        "label": item.label,
        "help": item.help,
        "unit": item.unit,
        "enabled_when": [{"item": c.item, "values": list(c.values)} for c in item.enabled_when],
    }
    if item.required:
        return _value_type(item), Field(description=item.question, json_schema_extra=extra)
    return _value_type(item) | None, Field(default=None, description=item.question, json_schema_extra=extra)


_FIELDS: dict[str, Any] = {item.id: _field(item) for item in ITEMS}

Answers: type[BaseModel] = create_model(
    "Answers",
    __config__=ConfigDict(strict=True, extra="forbid", frozen=True, allow_inf_nan=False),
    __doc__="One person's answers. Items left out were not answered.",
    **_FIELDS,
)
