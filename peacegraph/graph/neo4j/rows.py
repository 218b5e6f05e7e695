"""Neo4j rows to domain records and back.

Statements return plain maps (`properties(r)`, never a relationship object, which
`record.data()` would turn into a tuple), so these helpers see dicts and lists only.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from peacegraph.graph import traversal
from peacegraph.graph.convert import node_from_row, node_row, rel_from_row, rel_row
from peacegraph.graph.errors import PeaceGraphError
from peacegraph.graph.model import NODE_PROP_NAMES, Label, RelType
from peacegraph.graph.records import Neighbour, Node, Relationship

_LABELS = {label.value: label for label in Label}


def label_of(labels: Sequence[str]) -> Label:
    """A node's own label among its labels (every node also has `Entity`)."""
    for name in labels:
        label = _LABELS.get(name)
        if label is not None:
            return label
    raise PeaceGraphError(f"node without a known label: {list(labels)}")


def node(value: Any, labels: Sequence[str]) -> Node:
    return node_from_row(label_of(labels), dict(value))


def node_params(record: Node) -> dict[str, Any]:
    """A node as the upsert statements take it: its set properties."""
    return {k: v for k, v in node_row(record).items() if v is not None}


def rel_params(rel: Relationship) -> dict[str, Any]:
    """A relationship as the upsert statements take it: ends, and set properties."""
    row = rel_row(rel)
    source, target = row.pop("s"), row.pop("d")
    return {"s": source, "d": target, "props": {k: v for k, v in row.items() if v is not None}}


def types_in_order(rel_types: Sequence[RelType]) -> tuple[RelType, ...]:
    """Relationship types in one order, so that one statement serves each set."""
    return tuple(sorted(set(rel_types), key=lambda t: t.value))


def labels_in_order(labels: Sequence[Label]) -> tuple[Label, ...]:
    return tuple(sorted(set(labels), key=lambda lb: lb.value))


def shown_props(props: Collection[str] | None) -> list[str]:
    """The node properties a projected read returns besides id and name (model names
    only, so a caller's typo reads nothing rather than failing)."""
    return [] if props is None else sorted(set(props) & NODE_PROP_NAMES - {"id", "name"})


def shown(labels: Sequence[str], node_id: str, name: str, props: Sequence[Any]) -> Node:
    """A node read projected: its id, name, and [key, value] pairs of the others."""
    return node_from_row(label_of(labels), {"id": node_id, "name": name, **dict(props)})


def neighbour(row: dict[str, Any]) -> Neighbour:
    """A link row (anchor, outgoing, e, type, and b with labels, or bid, bname, bprops
    and labels when the node was projected) as the anchor sees it."""
    if "b" in row:
        other = node(row["b"], row["labels"])
    else:
        other = shown(row["labels"], row["bid"], row["bname"], row["bprops"])
    outgoing = bool(row["outgoing"])
    source, target = (row["anchor"], other.id) if outgoing else (other.id, row["anchor"])
    rel = rel_from_row(RelType(row["type"]), source, target, dict(row["e"]))
    return Neighbour(node=other, relationship=rel, direction="out" if outgoing else "in")


def network_step(row: dict[str, Any]) -> traversal.Step:
    """A row of `NETWORK_LINKS` as network expansion sees it; the relationship is
    built only if the link is kept."""
    source, target = (row["anchor"], row["bid"]) if row["outgoing"] else (row["bid"], row["anchor"])
    rel_type = RelType(row["type"])

    def relationship() -> Relationship:
        return rel_from_row(rel_type, source, target, dict(row["props"]))

    return traversal.Step(
        row["bid"],
        (source, row["type"], target),
        relationship,
        other_dates={"dateFrom": row["bfrom"], "dateTo": row["bto"], "endDate": row["bend"]},
        rel_dates={"dateFrom": row["efrom"], "dateTo": row["eto"], "endDate": row["eend"]},
    )
