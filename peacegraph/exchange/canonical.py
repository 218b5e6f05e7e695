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


_NODE_KEYS = frozenset({"id", "label", "name", "props", "sources"})
_REL_KEYS = frozenset({"type", "from", "to", "props", "sources"})
_DOCUMENT_KEYS = frozenset({"format", "version", "nodes", "relationships", "audit"})
_SOURCE_KEYS = ("document", "section", "quote")


def _no_other_keys(raw: dict[str, Any], known: frozenset[str], where: str) -> None:
    """Refuse keys the format does not have: a misspelt key would otherwise be dropped."""
    for key in raw:
        if key not in known:
            field = f"{where}.{key}" if where else key
            raise Invalid(
                f"{field}: unknown key (expected {', '.join(sorted(known))})", field=field
            )


def _provenance(raw: Any, where: str) -> tuple[Provenance, ...]:
    if raw is None:
        raise Invalid(f"{where}.sources: missing (a list, maybe empty)", field=f"{where}.sources")
    if not isinstance(raw, list):
        raise Invalid(f"{where}.sources: must be a list", field=f"{where}.sources")
    out: list[Provenance] = []
    for index, item in enumerate(raw):
        field = f"{where}.sources[{index}]"
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), str) for k in _SOURCE_KEYS
        ):
            raise Invalid(f"{field}: needs document, section and quote as text", field=field)
        _no_other_keys(item, frozenset(_SOURCE_KEYS), field)
        out.append(Provenance(item["document"], item["section"], item["quote"]))
    return tuple(out)


def _parts(
    raw: Any,
    where: str,
    kind_key: str,
    kinds: type[E],
    texts: tuple[str, ...],
    what: str,
    known: frozenset[str],
) -> tuple[E, dict[str, Any], tuple[Provenance, ...]]:
    """The checked common shape of a node or relationship object: its label or type
    (from the allow-list), its text fields, its props and its sources."""
    if not isinstance(raw, dict):
        raise Invalid(f"{where}: must be an object", field=where)
    _no_other_keys(raw, known, where)
    try:
        kind = kinds(str(raw.get(kind_key)))
    except ValueError:
        raise Invalid(
            f"{where}.{kind_key}: unknown {kind_key} {_show(raw.get(kind_key))}",
            field=f"{where}.{kind_key}",
        ) from None
    for key in texts:
        if not isinstance(raw.get(key), str):
            raise Invalid(f"{where}.{key}: must be {what}", field=f"{where}.{key}")
    props = raw.get("props", {})
    if not isinstance(props, dict):
        raise Invalid(f"{where}.props: must be an object", field=f"{where}.props")
    return kind, dict(props), _provenance(raw.get("sources"), where)


def node_from_json(raw: Any, where: str) -> Node:
    label, props, sources = _parts(raw, where, "label", Label, ("id", "name"), "text", _NODE_KEYS)
    return Node(label, raw["id"], raw["name"], props, sources)


def relationship_from_json(raw: Any, where: str) -> Relationship:
    rel_type, props, sources = _parts(
        raw, where, "type", RelType, ("from", "to"), "a node id", _REL_KEYS
    )
    return Relationship(rel_type, raw["from"], raw["to"], props, sources)


def _list(document: dict[str, Any], key: str) -> list[Any]:
    value = document.get(key, [])
    if not isinstance(value, list):
        raise Invalid(f"{key}: must be a list, not {_kind(value)}", field=key)
    return value


def _show(value: Any, limit: int = 60) -> str:
    """A value for an error message: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


def _kind(value: Any) -> str:
    """What a JSON value is, in JSON's words."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def from_document(
    document: Any,
) -> tuple[list[Node], list[Relationship], list[dict[str, Any]]]:
    """Nodes, relationships and audit entries of a canonical document (shape checked)."""
    if not isinstance(document, dict):
        raise Invalid(
            f"top level: must be an object with format {FORMAT!r}, not {_kind(document)}",
            field="format",
        )
    if document.get("format") != FORMAT:
        raise Invalid(
            f"format: {_show(document.get('format'))} is not {FORMAT!r} "
            "(not a PeaceGraph canonical JSON document)",
            field="format",
        )
    version = document.get("version")
    if isinstance(version, bool) or version != VERSION:
        raise Invalid(f"version: {_show(version)} is not {VERSION}", field="version")
    _no_other_keys(document, _DOCUMENT_KEYS, "")
    nodes = [node_from_json(n, f"nodes[{i}]") for i, n in enumerate(_list(document, "nodes"))]
    rels = [
        relationship_from_json(r, f"relationships[{i}]")
        for i, r in enumerate(_list(document, "relationships"))
    ]
    return nodes, rels, _list(document, "audit")
