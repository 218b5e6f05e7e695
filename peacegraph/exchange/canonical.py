"""The canonical JSON form of a graph: lossless, ordered, the format of import and export.

```json
{"format": "peacegraph", "version": 1,
 "nodes": [{"id": "org:cedeao", "label": "Organization", "name": "CEDEAO",
            "props": {"aliases": ["ECOWAS"], "kind": "intergovernmental"},
            "sources": [{"document": "...", "section": "...", "quote": "..."}]}],
 "relationships": [{"type": "PARTNER_OF", "from": "org:wanep-mali", "to": "org:cedeao",
                    "props": {"startDate": "2011"}, "sources": [...]}],
 "audit": [ ...audit entries, as recorded... ]}
```

Property names are those of `graph.model`. Ordering is canonical (nodes by id,
relationships by (from, type, to), keys sorted), so the same graph always
serialises to the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from enum import Enum
from typing import Any, TypeVar

from peacegraph.graph.errors import Invalid
from peacegraph.graph.model import Label, RelType
from peacegraph.graph.records import Node, Provenance, Relationship

E = TypeVar("E", bound=Enum)
FORMAT = "peacegraph"
VERSION = 1


def _sources(sources: Iterable[Provenance]) -> list[dict[str, str]]:
    return [s.as_dict() for s in sources]


def node_to_json(node: Node) -> dict[str, Any]:
    return {
        "id": node.id,
        "label": node.label.value,
        "name": node.name,
        "props": {k: v for k, v in sorted(node.props.items()) if v is not None},
        "sources": _sources(node.sources),
    }


def relationship_to_json(rel: Relationship) -> dict[str, Any]:
    return {
        "type": rel.type.value,
        "from": rel.source,
        "to": rel.target,
        "props": {k: v for k, v in sorted(rel.props.items()) if v is not None},
        "sources": _sources(rel.sources),
    }


def to_document(
    nodes: Iterable[Node],
    relationships: Iterable[Relationship],
    audit: Iterable[dict[str, Any]] = (),
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "nodes": [node_to_json(n) for n in sorted(nodes, key=lambda n: n.id)],
        "relationships": [
            relationship_to_json(r) for r in sorted(relationships, key=lambda r: r.key)
        ],
        "audit": sorted(audit, key=lambda e: (str(e.get("at")), str(e.get("id")))),
    }


def dumps(document: dict[str, Any]) -> str:
    """Canonical bytes: sorted keys, two-space indent, UTF-8 kept, trailing newline."""
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def _provenance(raw: Any, where: str) -> tuple[Provenance, ...]:
    if not isinstance(raw, list):
        raise Invalid(f"{where}.sources: must be a list", field=f"{where}.sources")
    out: list[Provenance] = []
    for index, item in enumerate(raw):
        field = f"{where}.sources[{index}]"
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), str) for k in ("document", "section", "quote")
        ):
            raise Invalid(f"{field}: needs document, section and quote as text", field=field)
        out.append(Provenance(item["document"], item["section"], item["quote"]))
    return tuple(out)


def _parts(
    raw: Any, where: str, kind_key: str, kinds: type[E], texts: tuple[str, ...], what: str
) -> tuple[E, dict[str, Any], tuple[Provenance, ...]]:
    """The checked common shape of a node or relationship object: its label or type
    (from the allow-list), its text fields, its props and its sources."""
    if not isinstance(raw, dict):
        raise Invalid(f"{where}: must be an object", field=where)
    try:
        kind = kinds(str(raw.get(kind_key)))
    except ValueError:
        raise Invalid(
            f"{where}.{kind_key}: unknown {kind_key} {raw.get(kind_key)!r}",
            field=f"{where}.{kind_key}",
        ) from None
    for key in texts:
        if not isinstance(raw.get(key), str):
            raise Invalid(f"{where}.{key}: must be {what}", field=f"{where}.{key}")
    props = raw.get("props", {})
    if not isinstance(props, dict):
        raise Invalid(f"{where}.props: must be an object", field=f"{where}.props")
    return kind, dict(props), _provenance(raw.get("sources", []), where)


def node_from_json(raw: Any, where: str) -> Node:
    label, props, sources = _parts(raw, where, "label", Label, ("id", "name"), "text")
    return Node(label, raw["id"], raw["name"], props, sources)


def relationship_from_json(raw: Any, where: str) -> Relationship:
    rel_type, props, sources = _parts(raw, where, "type", RelType, ("from", "to"), "a node id")
    return Relationship(rel_type, raw["from"], raw["to"], props, sources)


def from_document(
    document: Any,
) -> tuple[list[Node], list[Relationship], list[dict[str, Any]]]:
    """Nodes, relationships and audit entries of a canonical document (shape checked)."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise Invalid("format: not a PeaceGraph canonical JSON document", field="format")
    if document.get("version") != VERSION:
        raise Invalid(f"version: expected {VERSION}", field="version")
    nodes = [node_from_json(n, f"nodes[{i}]") for i, n in enumerate(document.get("nodes", []))]
    rels = [
        relationship_from_json(r, f"relationships[{i}]")
        for i, r in enumerate(document.get("relationships", []))
    ]
    audit = document.get("audit", [])
    if not isinstance(audit, list):
        raise Invalid("audit: must be a list", field="audit")
    return nodes, rels, audit
