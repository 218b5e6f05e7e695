"""Rows of a spreadsheet (or a GraphML graph) into one checked canonical document.

Three shapes of sheet are read:

- nodes, as `export --format csv` writes them: Id, Label, Type, Kind, the model's
  properties, source_N_document/section/quote (Id may be left out: it is made from
  Type and Label, `org:` + the folded Label);
- edges, as exported: Source, Target, Label (the relationship type), Type (Gephi's
  `Directed`, or empty), the relationship's properties, sources (Id is ignored);
- a partner list: Label, Type, Kind, Partner, Since, Document, Section, Quote. Each
  row is a node, and, when Partner names the Label of another row, a PARTNER_OF
  relationship to it starting at Since, both with the row's source.

The document goes through `validate_document` like a JSON import; an error from it
is told at the sheet, row and column the record came from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from peacegraph.exchange import flat
from peacegraph.exchange.canonical import FORMAT, VERSION
from peacegraph.exchange.dump import Validated, validate_document
from peacegraph.graph.errors import Invalid
from peacegraph.graph.model import ID_PREFIX, Label, RelType
from peacegraph.graph.text import fold

#: A record's cells: key (as in `flat`) → (the column as the file spells it, value).
Cells = dict[str, tuple[str, Any]]

_NODE_KEYS = (*flat.NODE_HEAD, *flat.NODE_PROP_COLUMNS)
_REL_KEYS = (*flat.REL_HEAD, "type", *flat.REL_PROP_COLUMNS)
_PARTNER_KEYS = ("label", "type", "kind", "partner", "since", "document", "section", "quote")
_FIELD = re.compile(r"^(nodes|relationships)\[(\d+)\](?:\.(.*))?$")
_INDEX = re.compile(r"\b(nodes|relationships)\[(\d+)\]")


@dataclass(frozen=True)
class Sheet:
    """A table read from a file: `place` names it in messages ("sheet 'nodes'")."""

    place: str
    header: list[str]
    rows: list[tuple[int, list[Any]]]


@dataclass(frozen=True)
class Origin:
    """Where a record came from, and which column holds each of its fields."""

    place: str
    columns: dict[str, str] = field(default_factory=dict)


def _located(place: str, column: str | None, message: str) -> Invalid:
    where = f"{place}, column {column}" if column else place
    return Invalid(f"{where}: {message}", field=column)


def _keys(sheet: Sheet, known: Sequence[str]) -> list[str | None]:
    """The key of each column (None for an empty, unnamed one); an unknown or repeated
    column name is refused, since its cells would otherwise be dropped."""
    by_name = {k.lower(): k for k in known}
    keys: list[str | None] = []
    for name in sheet.header:
        text = name.strip()
        if not text:
            keys.append(None)
            continue
        lowered = text.lower()
        key = by_name.get(lowered) or (lowered if flat.is_source_column(lowered) else None)
        if key is None:
            expected = ", ".join(k.capitalize() for k in known[:4]) + ", …"
            raise _located(f"{sheet.place}, row 1", text, f"unknown column (expected {expected})")
        if key in keys:
            raise _located(f"{sheet.place}, row 1", text, "appears twice")
        keys.append(key)
    return keys


def _cells(sheet: Sheet, keys: list[str | None], number: int, values: list[Any]) -> Cells:
    cells: Cells = {}
    for index, value in enumerate(values):
        key = keys[index] if index < len(keys) else None
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if key is None:
            raise _located(
                f"{sheet.place}, row {number}", f"#{index + 1}", "a value under no header"
            )
        cells[key] = (sheet.header[index].strip(), value)
    return cells


def slug_id(label: Label, name: str) -> str:
    return f"{ID_PREFIX[label]}:{fold(name).replace(' ', '-')}"


class Collector:
    """Records read so far, each with its origin; `validated()` checks them all."""

    def __init__(self) -> None:
        self.nodes: list[dict[str, Any]] = []
        self.rels: list[dict[str, Any]] = []
        self.node_origins: list[Origin] = []
        self.rel_origins: list[Origin] = []

    def add_node(self, record: dict[str, Any], origin: Origin) -> None:
        self.nodes.append(record)
        self.node_origins.append(origin)

    def add_relationship(self, record: dict[str, Any], origin: Origin) -> None:
        self.rels.append(record)
        self.rel_origins.append(origin)

    def validated(self) -> Validated:
        document = {
            "format": FORMAT,
            "version": VERSION,
            "nodes": self.nodes,
            "relationships": self.rels,
            "audit": [],
        }
        try:
            return validate_document(document)
        except Invalid as error:
            raise self._told_where(error) from None

    def _origin(self, kind: str, index: int) -> Origin:
        return (self.node_origins if kind == "nodes" else self.rel_origins)[index]

    def _told_where(self, error: Invalid) -> Invalid:
        """The error of a record, told at its sheet, row and column."""
        match = _FIELD.match(error.field or "")
        if match is None:
            return error
        kind, index, rest = match.group(1), int(match.group(2)), match.group(3) or ""
        origin = self._origin(kind, index)
        message = str(error).split(": ", 1)[-1]
        message = _INDEX.sub(lambda m: self._origin(m[1], int(m[2])).place, message)
        column = origin.columns.get(rest) or origin.columns.get(rest.split(".")[0])
        if column is None and rest.startswith("sources["):
            number = int(rest[len("sources[") : rest.index("]")]) + 1
            part = rest.rsplit(".", 1)[-1]
            column = origin.columns.get(f"source_{number}_{part}", f"source_{number}_{part}")
        return _located(origin.place, column, message)


def _props(cells: Cells, names: Sequence[str]) -> tuple[dict[str, Any], dict[str, str]]:
    props: dict[str, Any] = {}
    columns: dict[str, str] = {}
    for name in names:
        if name in cells:
            column, value = cells[name]
            columns[name] = column
            parsed = flat.prop_value(name, column, value)
            if parsed is not None:
                props[name] = parsed
    flat.complete_dates(props, columns)
    return props, columns


def _required(cells: Cells, key: str, column: str) -> str:
    if key not in cells:
        raise flat.CellError(column, "must not be empty")
    text = str(cells[key][1]).strip()
    return text


def _node_type(cells: Cells, key: str = "type") -> Label:
    column, value = cells.get(key, ("Type", None))
    text = str(value or "").strip()
    for label in Label:
        if label.value.lower() == text.lower():
            return label
    names = ", ".join(label.value for label in Label)
    shown = repr(text) if text else "nothing"
    raise flat.CellError(column, f"{shown} is not a node type (one of {names})")


def node_record(cells: Cells) -> tuple[dict[str, Any], dict[str, str]]:
    """A canonical node, and the column of each of its fields."""
    label = _node_type(cells)
    name = _required(cells, "label", "Label")
    node_id = _required(cells, "id", "Id") if "id" in cells else slug_id(label, name)
    props, columns = _props(cells, ("kind", *flat.NODE_PROP_COLUMNS))
    columns.update(_columns(cells, {"id": "id" if "id" in cells else "label"}))
    columns.update(_columns(cells, {"name": "label", "label": "type"}))
    sources = flat.sources_of(cells)
    columns.update({k: column for k, (column, _) in cells.items() if flat.is_source_column(k)})
    record = {"id": node_id, "label": label.value, "name": name, "props": props}
    return {**record, "sources": sources}, columns


def relationship_record(cells: Cells) -> tuple[dict[str, Any], dict[str, str]]:
    """A canonical relationship, and the column of each of its fields."""
    column, value = cells.get("label", ("Label", None))
    try:
        rel_type = RelType(str(value or "").strip().upper())
    except ValueError:
        names = ", ".join(t.value for t in RelType)
        raise flat.CellError(column, f"{value!r} is not a relationship type ({names})") from None
    direction = str(cells.get("type", ("", "directed"))[1]).strip().lower()
    if direction not in {"", "directed"}:
        raise flat.CellError(
            cells["type"][0], f"{direction!r}: relationships are directed (Type is Directed)"
        )
    source = _required(cells, "source", "Source")
    target = _required(cells, "target", "Target")
    props, columns = _props(cells, flat.REL_PROP_COLUMNS)
    columns.update(_columns(cells, {"from": "source", "to": "target", "type": "label"}))
    columns.update({k: column for k, (column, _) in cells.items() if flat.is_source_column(k)})
    record = {"type": rel_type.value, "from": source, "to": target, "props": props}
    return {**record, "sources": flat.sources_of(cells)}, columns


def _columns(cells: Cells, fields: Mapping[str, str]) -> dict[str, str]:
    return {name: cells[key][0] for name, key in fields.items() if key in cells}


def _rows(sheet: Sheet, known: Sequence[str]) -> list[tuple[str, Cells]]:
    keys = _keys(sheet, known)
    out: list[tuple[str, Cells]] = []
    for number, values in sheet.rows:
        cells = _cells(sheet, keys, number, values)
        if cells:
            out.append((f"{sheet.place}, row {number}", cells))
    return out


def read_record(place: str, reader: Any, cells: Cells) -> tuple[dict[str, Any], dict[str, str]]:
    try:
        result: tuple[dict[str, Any], dict[str, str]] = reader(cells)
    except flat.CellError as error:
        raise _located(place, error.column, str(error)) from None
    return result


def add_nodes(collector: Collector, sheet: Sheet) -> None:
    for place, cells in _rows(sheet, _NODE_KEYS):
        record, columns = read_record(place, node_record, cells)
        collector.add_node(record, Origin(place, columns))


def add_relationships(collector: Collector, sheet: Sheet) -> None:
    for place, cells in _rows(sheet, _REL_KEYS):
        record, columns = read_record(place, relationship_record, cells)
        collector.add_relationship(record, Origin(place, columns))


def is_partner_list(sheet: Sheet) -> bool:
    return any(name.strip().lower() == "partner" for name in sheet.header)


def add_partner_list(collector: Collector, sheet: Sheet) -> None:
    """Rows of Label, Type, Kind, Partner, Since, Document, Section, Quote."""
    rows = _rows(sheet, _PARTNER_KEYS)
    ids: dict[str, str] = {}
    for place, cells in rows:
        renamed = _partner_node_cells(cells)
        record, columns = read_record(place, node_record, renamed)
        ids.setdefault(fold(record["name"]), record["id"])
        collector.add_node(record, Origin(place, columns))
    for place, cells in rows:
        if "partner" not in cells:
            continue
        column, partner = cells["partner"]
        target = ids.get(fold(str(partner)))
        if target is None:
            raise _located(place, column, f"{partner!r} is not the Label of any row")
        record, columns = read_record(place, _partner_relationship, cells)
        columns.update({"from": cells["label"][0], "to": column})
        collector.add_relationship(
            {**record, "from": ids[fold(str(cells["label"][1]))], "to": target},
            Origin(place, columns),
        )


def _partner_sources(cells: Cells) -> Cells:
    return {f"source_1_{part}": cells[part] for part in flat.SOURCE_PARTS if part in cells}


def _partner_node_cells(cells: Cells) -> Cells:
    kept = {k: v for k, v in cells.items() if k in {"label", "type", "kind"}}
    return {**kept, **_partner_sources(cells)}


def _partner_relationship(cells: Cells) -> tuple[dict[str, Any], dict[str, str]]:
    props: dict[str, Any] = {}
    columns: dict[str, str] = {}
    if "since" in cells:
        column, value = cells["since"]
        props["startDate"] = flat.date_cell(column, value)
        columns["startDate"] = column
        flat.complete_dates(props, columns)
    columns.update({key: column for key, (column, _) in _partner_sources(cells).items()})
    record = {"type": RelType.PARTNER_OF.value, "props": props}
    return {**record, "sources": flat.sources_of(_partner_sources(cells))}, columns
