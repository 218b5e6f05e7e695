"""Export formats besides canonical JSON, each in the conventions of the tool it is for.

Canonical JSON stays the lossless form. The others hold the same records as flat rows
(`exchange.flat`): the display name as the label, the node type and sub-kind as
`type` and `kind`, numbers as numbers, each source in its own group of columns.

- CSV (Gephi's spreadsheet import, Kumu): a folder of `nodes.csv` (Id, Label, Type,
  Kind, …) and `edges.csv` (Id, Source, Target, Type = Directed, Label = the
  relationship type, …), UTF-8 with a byte-order mark so that Excel reads accents.
- XLSX: the same two tables as the sheets `nodes` and `edges`.
- GraphML (Gephi, yEd, networkx): written by networkx, typed keys.
- GEXF 1.3 (Gephi), dynamic, dated for Gephi's timeline.
- Cytoscape: the API's `network { elements }`, built by the same function.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence

import networkx as nx
from openpyxl import Workbook

from peacegraph.exchange import flat
from peacegraph.graph import dates
from peacegraph.graph.model import Label
from peacegraph.graph.records import Node, Relationship
from peacegraph.graph.store import Network
from peacegraph.schema.views import cytoscape_elements

#: CSV and XLSX column names of the row keys that Gephi and Kumu know by name.
_NODE_TITLES = {"id": "Id", "label": "Label", "type": "Type", "kind": "Kind"}
_EDGE_TITLES = {
    "id": "Id",
    "source": "Source",
    "target": "Target",
    "type": "Type",
    "label": "Label",
}
#: Gephi's edge Type is the direction; the relationship type is the edge's Label.
DIRECTED = "Directed"


def _tables(
    nodes: Sequence[Node], rels: Sequence[Relationship]
) -> tuple[list[list[flat.Cell]], list[list[flat.Cell]]]:
    """The nodes and edges tables, each a header and its rows."""
    node_keys = [*flat.NODE_HEAD, *flat.NODE_PROP_COLUMNS]
    node_keys += flat.source_columns(flat.most_sources(nodes))
    edge_keys = ["id", "source", "target", "type", "label", *flat.REL_PROP_COLUMNS]
    edge_keys += flat.source_columns(flat.most_sources(rels))
    node_rows: list[list[flat.Cell]] = [[_NODE_TITLES.get(k, k) for k in node_keys]]
    for node in nodes:
        row = flat.node_row(node)
        node_rows.append([row.get(k) for k in node_keys])
    edge_rows: list[list[flat.Cell]] = [[_EDGE_TITLES.get(k, k) for k in edge_keys]]
    for rel in rels:
        row = {**flat.relationship_row(rel), "type": DIRECTED}
        edge_rows.append([row.get(k) for k in edge_keys])
    return node_rows, edge_rows


def _csv_text(rows: list[list[flat.Cell]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows([["" if cell is None else cell for cell in row] for row in rows])
    return "\ufeff" + out.getvalue()


def to_csv(nodes: Sequence[Node], rels: Sequence[Relationship]) -> dict[str, str]:
    """Two CSV files for one folder: nodes.csv and edges.csv."""
    node_rows, edge_rows = _tables(nodes, rels)
    return {"nodes.csv": _csv_text(node_rows), "edges.csv": _csv_text(edge_rows)}


def to_xlsx(nodes: Sequence[Node], rels: Sequence[Relationship]) -> bytes:
    """A workbook with the CSV export's two tables as the sheets `nodes` and `edges`."""
    book = Workbook(write_only=True)
    for title, rows in zip(("nodes", "edges"), _tables(nodes, rels), strict=True):
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


Attributes = dict[str, str | int | float]


def _attributes(row: flat.Row, leave_out: tuple[str, ...]) -> Attributes:
    return {k: v for k, v in row.items() if v is not None and k not in leave_out}


def to_graphml(nodes: Sequence[Node], rels: Sequence[Relationship]) -> str:
    """GraphML with typed keys: `label` (Gephi's node label), `type`, `kind`, the
    properties (int and double where numbers), source_N_… . Edges carry their
    type as `label`, their id (source|TYPE|target) as the GraphML edge id."""
    graph = nx.MultiDiGraph()
    for node in nodes:
        graph.add_node(node.id, **_attributes(flat.node_row(node), ("id",)))
    for rel in rels:
        row = flat.relationship_row(rel)
        graph.add_edge(
            rel.source, rel.target, key=row["id"], **_attributes(row, ("id", "source", "target"))
        )
    out = io.BytesIO()
    nx.write_graphml(graph, out, encoding="utf-8")
    return out.getvalue().decode("utf-8")


_GEXF = "http://gexf.net/1.3"
_GEXF_TYPES = {str: "string", int: "long", float: "double"}
#: Node labels whose dates without an end still bound them: they happened, then ended.
_BOUNDED = frozenset({Label.EVENT, Label.OBSERVATION})
#: Edge row keys that GEXF holds as the edge's own attributes, not as attvalues.
_EDGE_OWN = ("id", "source", "target", "label")


def _interval(record: Node | Relationship) -> dict[str, str]:
    """Where a record sits on Gephi's timeline: from its first day; to its last day when
    it has an end date, or is an event or an observation (of a day, a month, a
    period); open-ended otherwise (a programme begun in 2011 is not over in 2012)."""
    first, last = record.props.get("dateFrom"), record.props.get("dateTo")
    end = record.props.get("endDate")
    out: dict[str, str] = {}
    if isinstance(first, str):
        out["start"] = first
    ends = isinstance(end, str) or (isinstance(record, Node) and record.label in _BOUNDED)
    if ends and isinstance(last, str):
        out["end"] = last
    elif isinstance(end, str):
        out["end"] = dates.last_day(end)
    return out


def _declare(graph: ET.Element, scope: str, rows: Sequence[Attributes]) -> dict[str, str]:
    """One typed attribute per key the rows use, in first-seen order: key → its id."""
    element = ET.SubElement(graph, f"{{{_GEXF}}}attributes", {"class": scope, "mode": "static"})
    ids: dict[str, str] = {}
    for row in rows:
        for key, value in row.items():
            if key not in ids:
                ids[key] = str(len(ids))
                attributes = {"id": ids[key], "title": key, "type": _GEXF_TYPES[type(value)]}
                ET.SubElement(element, f"{{{_GEXF}}}attribute", attributes)
    return ids


def _values(element: ET.Element, row: Attributes, ids: dict[str, str]) -> None:
    values = ET.SubElement(element, f"{{{_GEXF}}}attvalues")
    for key, value in row.items():
        ET.SubElement(values, f"{{{_GEXF}}}attvalue", {"for": ids[key], "value": str(value)})


def to_gexf(nodes: Sequence[Node], rels: Sequence[Relationship]) -> str:
    """GEXF 1.3 in dynamic mode with dates: Gephi's timeline plays the graph.

    Written with ElementTree rather than networkx's `write_gexf`: networkx documents
    GEXF 1.1 and 1.2 only (its 1.3 writer names the XML Schema instance namespace
    wrongly), and it adds a `networkx_key` attribute to every edge of a multigraph,
    which relationships between the same two nodes need."""
    ET.register_namespace("", _GEXF)
    root = ET.Element(f"{{{_GEXF}}}gexf", {"version": "1.3"})
    ET.SubElement(
        ET.SubElement(root, f"{{{_GEXF}}}meta"), f"{{{_GEXF}}}creator"
    ).text = "PeaceGraph"
    graph = ET.SubElement(
        root,
        f"{{{_GEXF}}}graph",
        {"defaultedgetype": "directed", "mode": "dynamic", "timeformat": "date"},
    )
    node_rows = [_attributes(flat.node_row(n), ("id", "label")) for n in nodes]
    edge_rows = [_attributes(flat.relationship_row(r), _EDGE_OWN) for r in rels]
    node_ids = _declare(graph, "node", node_rows)
    edge_ids = _declare(graph, "edge", edge_rows)
    node_list = ET.SubElement(graph, f"{{{_GEXF}}}nodes")
    for node, row in zip(nodes, node_rows, strict=True):
        attributes = {"id": node.id, "label": node.name, **_interval(node)}
        _values(ET.SubElement(node_list, f"{{{_GEXF}}}node", attributes), row, node_ids)
    edge_list = ET.SubElement(graph, f"{{{_GEXF}}}edges")
    for rel, row in zip(rels, edge_rows, strict=True):
        attributes = {
            "id": "|".join(rel.key),
            "source": rel.source,
            "target": rel.target,
            "label": rel.type.value,
            **_interval(rel),
        }
        _values(ET.SubElement(edge_list, f"{{{_GEXF}}}edge", attributes), row, edge_ids)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def to_cytoscape(nodes: Sequence[Node], rels: Sequence[Relationship]) -> str:
    """`{"elements": …}` where `…` is what the API's `network { elements }` answers for
    these nodes and relationships, built by the same function (a Cytoscape.js
    `elements` value, and the `.cyjs` file Cytoscape desktop opens)."""
    elements = cytoscape_elements(Network(list(nodes), list(rels), truncated=False))
    return json.dumps({"elements": elements}, ensure_ascii=False, indent=2) + "\n"
