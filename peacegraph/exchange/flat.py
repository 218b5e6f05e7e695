"""Nodes and relationships as flat rows of typed cells, and back.

The one shape shared by every non-JSON format: a CSV or XLSX row, a GraphML or GEXF
node's attributes. A row has no lists and no nesting, so

- a list property (`aliases`, `themes`) is one cell joined with ` | `;
- each source is a group of three cells, `source_1_document`, `source_1_section`,
  `source_1_quote`, then `source_2_…`, as many groups as the most-sourced record needs;
- numbers stay numbers, typed as the model says (an INT64 as int, a DOUBLE as float).

A node row's keys are `id`, `label` (its display name: Gephi and Kumu show the
`Label`), `type` (Organization, Event…), `kind` (its sub-kind), then the model's other
properties by name. A relationship row's are `id` (source|TYPE|target), `source`,
`target`, `label` (its type, PARTNER_OF…, which Gephi shows on the edge), then its
properties. Reading a row back gives a canonical JSON record for `validate_document`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from peacegraph.graph import dates
from peacegraph.graph.errors import Invalid
from peacegraph.graph.model import NODE_PROPS, REL_PROPS, PropType
from peacegraph.graph.records import Node, PropValue, Provenance, Relationship

Cell = str | int | float | None
Row = dict[str, Cell]

LIST_SEPARATOR = " | "
SOURCE_PARTS = ("document", "section", "quote")
_SOURCE_COLUMN = re.compile(r"^source_([1-9][0-9]*)_(document|section|quote)$")

#: Node properties with a column of their own after id, label, type and kind.
NODE_PROP_COLUMNS = tuple(
    p.name for p in NODE_PROPS if p.name not in {"id", "name", "kind", "searchKey", "sources"}
)
#: Relationship properties with a column of their own after id, source, target, label.
REL_PROP_COLUMNS = tuple(p.name for p in REL_PROPS if p.name != "sources")
NODE_HEAD = ("id", "label", "type", "kind")
REL_HEAD = ("id", "source", "target", "label")
_TYPES = {p.name: p.type for p in (*NODE_PROPS, *REL_PROPS)}


def source_columns(count: int) -> list[str]:
    """The column names of `count` source groups."""
    return [f"source_{i}_{part}" for i in range(1, count + 1) for part in SOURCE_PARTS]


def most_sources(records: Iterable[Node | Relationship]) -> int:
    return max((len(r.sources) for r in records), default=0)


def _cell(name: str, value: PropValue) -> Cell:
    if value is None:
        return None
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    if _TYPES.get(name) is PropType.FLOAT and isinstance(value, int | float):
        return float(value)
    if isinstance(value, bool):
        return str(value).lower()
    return value


def _source_cells(sources: Iterable[Provenance]) -> Row:
    row: Row = {}
    for index, source in enumerate(sources, start=1):
        for part, text in source.as_dict().items():
            row[f"source_{index}_{part}"] = text
    return row


def node_row(node: Node) -> Row:
    """A node as one flat row (absent properties are left out)."""
    row: Row = {"id": node.id, "label": node.name, "type": node.label.value}
    for name in ("kind", *NODE_PROP_COLUMNS):
        cell = _cell(name, node.props.get(name))
        if cell is not None:
            row[name] = cell
    row.update(_source_cells(node.sources))
    return row


def relationship_row(rel: Relationship) -> Row:
    """A relationship as one flat row (absent properties are left out)."""
    row: Row = {
        "id": "|".join(rel.key),
        "source": rel.source,
        "target": rel.target,
        "label": rel.type.value,
    }
    for name in REL_PROP_COLUMNS:
        cell = _cell(name, rel.props.get(name))
        if cell is not None:
            row[name] = cell
    row.update(_source_cells(rel.sources))
    return row


class CellError(Invalid):
    """A cell that cannot be read; `column` names it, as the file spells it."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message, field=column)
        self.column = column


def _text(column: str, value: Cell | dt.date) -> str | None:
    """A cell as text: numbers as written, an Excel date as an ISO day."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.time() != dt.time():
            raise CellError(column, f"{value.isoformat(' ')!r} has a time of day, not a date")
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def date_cell(column: str, value: Cell | dt.date) -> str | None:
    """A partial ISO date from a cell (text, a year typed as a number, an Excel date)."""
    text = _text(column, value)
    if text is None:
        return None
    try:
        dates.parse_partial(text, field=column)
    except Invalid as error:
        raise CellError(column, str(error).removeprefix(f"{column}: ")) from None
    return text


def _number(column: str, kind: PropType, value: Cell | dt.date) -> int | float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool | dt.date):
        raise CellError(column, f"{value!r} is not a number")
    try:
        number = float(value) if kind is PropType.FLOAT else _whole(value)
    except ValueError:
        raise CellError(column, f"{_show(value)} is not a number") from None
    if isinstance(number, float) and not math.isfinite(number):
        raise CellError(column, f"{_show(value)} is not a finite number")
    return number


def _whole(value: str | int | float) -> int:
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        return int(value)
    return int(value)


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."


def prop_value(name: str, column: str, value: Cell | dt.date) -> PropValue:
    """A property's value from its cell, typed as the model declares it."""
    kind = _TYPES[name]
    if kind in {PropType.INT, PropType.FLOAT}:
        return _number(column, kind, value)
    if name in {"startDate", "endDate", "dateFrom", "dateTo"}:
        return date_cell(column, value)
    text = _text(column, value)
    if text is None:
        return None
    if kind is PropType.STRING_LIST:
        return [part.strip() for part in text.split("|") if part.strip()]
    if kind is PropType.BOOL:
        return text.lower() in {"true", "1", "yes"}
    return text


def sources_of(cells: Mapping[str, tuple[str, Cell | dt.date]]) -> list[dict[str, str]]:
    """The sources of a row whose cells are keyed `source_N_part` (with the column name
    as the file spells it); a group left empty is skipped, a half-filled one refused."""
    groups: dict[int, dict[str, str]] = {}
    for key, (column, value) in cells.items():
        match = _SOURCE_COLUMN.match(key)
        text = _text(column, value) if match else None
        if match and text is not None:
            groups.setdefault(int(match.group(1)), {})[match.group(2)] = text
    out: list[dict[str, str]] = []
    for number in sorted(groups):
        group = groups[number]
        for part in SOURCE_PARTS:
            if part not in group:
                raise CellError(
                    f"source_{number}_{part}",
                    f"source {number} has no {part} (a source needs document, section and quote)",
                )
        out.append(group)
    return out


def is_source_column(key: str) -> bool:
    return _SOURCE_COLUMN.match(key) is not None


def complete_dates(props: dict[str, Any], column_of: Mapping[str, str]) -> None:
    """Fill in what a start or end date implies (precision, first and last day) where a
    sheet leaves it out, as the API's writes do."""
    start, end = props.get("startDate"), props.get("endDate")
    if not isinstance(start, str):
        return
    try:
        implied = dates.date_props(start, end if isinstance(end, str) else None)
    except Invalid:
        raise CellError(
            column_of.get("endDate", "endDate"), f"{end!r} is before the start {start!r}"
        ) from None
    for name, value in implied.items():
        props.setdefault(name, value)
