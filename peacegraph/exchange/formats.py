"""Export formats besides canonical JSON: CSV, GraphML, GEXF (Gephi), Cytoscape JSON.

These are views for other tools; canonical JSON stays the lossless form. Property
values that are lists are joined with ` | ` where the format has no lists.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from peacegraph.graph.model import NODE_PROPS, REL_PROPS
from peacegraph.graph.records import Node, PropValue, Relationship

_NODE_KEYS = [p.name for p in NODE_PROPS if p.name not in {"id", "name", "searchKey", "sources"}]
_REL_KEYS = [p.name for p in REL_PROPS if p.name != "sources"]


def _text(value: PropValue) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " | ".join(value)
    return str(value)


def _sources(record: Node | Relationship) -> str:
    return json.dumps([s.as_dict() for s in record.sources], ensure_ascii=False)


def to_csv(nodes: Sequence[Node], rels: Sequence[Relationship]) -> dict[str, str]:
    """Two CSV files: nodes.csv and relationships.csv."""
    node_out = io.StringIO()
    writer = csv.writer(node_out)
    writer.writerow(["id", "label", "name", *_NODE_KEYS, "sources"])
    for n in nodes:
        writer.writerow(
            [n.id, n.label.value, n.name, *(_text(n.props.get(k)) for k in _NODE_KEYS), _sources(n)]
        )
    rel_out = io.StringIO()
    writer = csv.writer(rel_out)
    writer.writerow(["from", "type", "to", *_REL_KEYS, "sources"])
    for r in rels:
        writer.writerow(
            [
                r.source,
                r.type.value,
                r.target,
                *(_text(r.props.get(k)) for k in _REL_KEYS),
                _sources(r),
            ]
        )
    return {"nodes.csv": node_out.getvalue(), "relationships.csv": rel_out.getvalue()}


def _xml(root: ET.Element) -> str:
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def to_graphml(nodes: Sequence[Node], rels: Sequence[Relationship]) -> str:
    ns = "http://graphml.graphdrawing.org/xmlns"
    ET.register_namespace("", ns)
    root = ET.Element(f"{{{ns}}}graphml")
    keys = [
        ("node", "label"),
        ("node", "name"),
        *(("node", k) for k in _NODE_KEYS),
        ("node", "sources"),
        ("edge", "type"),
        *(("edge", k) for k in _REL_KEYS),
        ("edge", "sources"),
    ]
    for scope, name in keys:
        ET.SubElement(
            root,
            f"{{{ns}}}key",
            {"id": f"{scope[0]}_{name}", "for": scope, "attr.name": name, "attr.type": "string"},
        )
    graph = ET.SubElement(root, f"{{{ns}}}graph", {"id": "peacegraph", "edgedefault": "directed"})
    for n in nodes:
        element = ET.SubElement(graph, f"{{{ns}}}node", {"id": n.id})
        values = {
            "label": n.label.value,
            "name": n.name,
            **{k: _text(n.props.get(k)) for k in _NODE_KEYS},
            "sources": _sources(n),
        }
        for name, value in values.items():
            if value:
                ET.SubElement(element, f"{{{ns}}}data", {"key": f"n_{name}"}).text = value
    for r in rels:
        element = ET.SubElement(
            graph, f"{{{ns}}}edge", {"id": "|".join(r.key), "source": r.source, "target": r.target}
        )
        values = {
            "type": r.type.value,
            **{k: _text(r.props.get(k)) for k in _REL_KEYS},
            "sources": _sources(r),
        }
        for name, value in values.items():
            if value:
                ET.SubElement(element, f"{{{ns}}}data", {"key": f"e_{name}"}).text = value
    return _xml(root)


def to_gexf(nodes: Sequence[Node], rels: Sequence[Relationship]) -> str:
    ns = "http://gexf.net/1.3"
    ET.register_namespace("", ns)
    root = ET.Element(f"{{{ns}}}gexf", {"version": "1.3"})
    ET.SubElement(ET.SubElement(root, f"{{{ns}}}meta"), f"{{{ns}}}creator").text = "PeaceGraph"
    graph = ET.SubElement(root, f"{{{ns}}}graph", {"defaultedgetype": "directed", "mode": "static"})
    node_attrs = ET.SubElement(graph, f"{{{ns}}}attributes", {"class": "node"})
    node_names = ["label", *_NODE_KEYS, "sources"]
    for index, name in enumerate(node_names):
        ET.SubElement(
            node_attrs, f"{{{ns}}}attribute", {"id": str(index), "title": name, "type": "string"}
        )
    edge_attrs = ET.SubElement(graph, f"{{{ns}}}attributes", {"class": "edge"})
    edge_names = [*_REL_KEYS, "sources"]
    for index, name in enumerate(edge_names):
        ET.SubElement(
            edge_attrs, f"{{{ns}}}attribute", {"id": str(index), "title": name, "type": "string"}
        )
    node_list = ET.SubElement(graph, f"{{{ns}}}nodes")
    for n in nodes:
        element = ET.SubElement(node_list, f"{{{ns}}}node", {"id": n.id, "label": n.name})
        values = ET.SubElement(element, f"{{{ns}}}attvalues")
        row = [n.label.value, *(_text(n.props.get(k)) for k in _NODE_KEYS), _sources(n)]
        for index, value in enumerate(row):
            if value:
                ET.SubElement(values, f"{{{ns}}}attvalue", {"for": str(index), "value": value})
    edge_list = ET.SubElement(graph, f"{{{ns}}}edges")
    for r in rels:
        element = ET.SubElement(
            edge_list,
            f"{{{ns}}}edge",
            {"id": "|".join(r.key), "source": r.source, "target": r.target, "label": r.type.value},
        )
        values = ET.SubElement(element, f"{{{ns}}}attvalues")
        row = [*(_text(r.props.get(k)) for k in _REL_KEYS), _sources(r)]
        for index, value in enumerate(row):
            if value:
                ET.SubElement(values, f"{{{ns}}}attvalue", {"for": str(index), "value": value})
    return _xml(root)


def to_cytoscape(nodes: Sequence[Node], rels: Sequence[Relationship]) -> str:
    elements = {
        "nodes": [
            {
                "data": {
                    "id": n.id,
                    "label": n.name,
                    "kind": n.label.value,
                    **{k: v for k, v in n.props.items() if v is not None},
                }
            }
            for n in nodes
        ],
        "edges": [
            {
                "data": {
                    "id": "|".join(r.key),
                    "source": r.source,
                    "target": r.target,
                    "type": r.type.value,
                    **{k: v for k, v in r.props.items() if v is not None},
                }
            }
            for r in rels
        ],
    }
    return json.dumps({"elements": elements}, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
