"""docs/questionnaire.md's item tables read back and compared with the questionnaire model (ITEMS)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from factorcheck.answers.questionnaire import ITEMS_BY_ID, EnabledWhen, Item

RANGE_DASH = "\N{EN DASH}"
_PART = re.compile(r"^## Part (\d+):")
# How the tables write each item type.
TYPE_WORDS = {
    "yes_no_unsure": "`yes_no_unsure`",
    "yes_no": "`yes_no`",
    "boolean": "boolean",
    "integer": "integer",
    "number": "number",
    "choice": "choice",
    "choices": "list",
}


@dataclass(frozen=True)
class DocRow:
    """One row of an item table: the Part it is under and its cells by column name."""

    part: int
    cells: dict[str, str]

    @property
    def id(self) -> str:
        return self.cells["id"].strip("`")


def doc_rows(text: str) -> list[DocRow]:
    """Every item row of the "Part N" sections' tables, in page order."""
    rows: list[DocRow] = []
    part, header = 0, list[str]()
    for line in text.splitlines():
        if match := _PART.match(line):
            part, header = int(match.group(1)), []
        elif line.startswith("## "):
            part = 0
        elif part and line.startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if not header:
                header = cells
            elif not set(line) <= set("|-: "):
                rows.append(DocRow(part, dict(zip(header, cells, strict=False))))
    return rows


def _literal(value: object) -> str:
    return f"`{str(value).lower() if isinstance(value, bool) else value}`"


def _number(value: float | None) -> str:
    return str(int(value)) if value is not None and value == int(value) else str(value)


def _condition(condition: EnabledWhen) -> str:
    """A follow-up's condition as the docs word it: a list holds a value; a run of whole numbers
    is a range."""
    values = condition.values
    if ITEMS_BY_ID[condition.item].type == "choices":
        return f"`{condition.item}` holds " + " or ".join(_literal(value) for value in values)
    numbers = [value for value in values if isinstance(value, int) and not isinstance(value, bool)]
    is_run = len(values) > 2 and len(numbers) == len(values)
    if is_run and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"`{condition.item}` is {numbers[0]} to {numbers[-1]}"
    return f"`{condition.item}` is " + " or ".join(_literal(value) for value in values)


def expected_cells(item: Item) -> dict[str, str]:
    """What the row of `item` says, column by column, as the questionnaire model has it."""
    if item.type == "boolean":
        allowed = "`true`, `false`"
    elif item.type in ("integer", "number"):
        allowed = f"{_number(item.minimum)}{RANGE_DASH}{_number(item.maximum)}"
    else:
        allowed = ", ".join(_literal(choice) for choice in item.choices)
    asked = " and ".join(_condition(c) for c in item.enabled_when)
    return {
        "type": TYPE_WORDS[item.type],
        "allowed values": allowed,
        "required": "**yes**" if item.required else "no",
        "asked when": asked or "always",
    }


def doc_problems(text: str, items: Sequence[Item]) -> list[str]:
    """What docs/questionnaire.md's item tables get wrong about `items`, each naming the item."""
    rows = {row.id: row for row in doc_rows(text)}
    problems: list[str] = []
    for place, item in enumerate(items):
        row = rows.get(item.id)
        if row is None:
            after = f"after `{items[place - 1].id}`" if place else "first"
            problems.append(
                f"{item.id}: missing from docs/questionnaire.md (Part {item.part} table, {after})."
            )
            continue
        if row.part != item.part:
            problems.append(
                f"{item.id}: docs/questionnaire.md has it in Part {row.part}, the model in Part {item.part}."
            )
        for column, expected in expected_cells(item).items():
            if column in row.cells and row.cells[column] != expected:
                problems.append(
                    f"{item.id}: docs/questionnaire.md says {column} {row.cells[column]!r}; "
                    f"the model says {expected!r}."
                )
    known = {item.id for item in items}
    problems += [
        f"{name}: a row in docs/questionnaire.md, but no such item in the model."
        for name in rows
        if name not in known
    ]
    in_docs = [name for name in rows if name in known]
    in_model = [item.id for item in items if item.id in rows]
    if in_docs != in_model:
        first = next(a for a, b in zip(in_docs, in_model, strict=True) if a != b)
        problems.append(f"{first}: out of question order in docs/questionnaire.md.")
    return problems
