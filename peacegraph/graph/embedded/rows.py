"""The embedded store's rows turned into records: nodes, neighbours, paths, and the
link rows that link reads and network expansion share."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache, partial
from typing import Any, NamedTuple

from peacegraph.graph import traversal
from peacegraph.graph.convert import (
    LABELS,
    REL_TYPES,
    node_from_row,
    rel_from_row,
    sources_from_json,
)
from peacegraph.graph.embedded import link_queries as lq
from peacegraph.graph.embedded.connection import LinkRow
from peacegraph.graph.model import Label, RelType, label_of_id
from peacegraph.graph.records import Neighbour, Node, Relationship
from peacegraph.graph.store import Path as GraphPath

#: A frontier's links as network expansion reads them: anchor id -> steps, in order.
Around = dict[str, list[traversal.Step]]
#: Storage offsets of nodes, by label then id.
Offsets = dict[Label, dict[str, int]]
#: The most links of a node read as "all its links".
MAX_LINKS = 100_000


def node(row: dict[str, Any]) -> Node:
    return node_from_row(LABELS[row["_LABEL"]], row)


def neighbour(row: dict[str, Any]) -> Neighbour:
    """A neighbour from a row of `q.neighbours`."""
    other = node(row["b"])
    outgoing = row["e"]["_SRC"] == row["aid"]
    source, target = (row["anchor"], other.id) if outgoing else (other.id, row["anchor"])
    rel = rel_from_row(RelType(row["type"]), source, target, row["e"])
    return Neighbour(node=other, relationship=rel, direction="out" if outgoing else "in")


def path(nodes: list[dict[str, Any]], rels: list[dict[str, Any]]) -> GraphPath:
    """A path from the nodes and relationships of a `q.shortest_paths` row."""
    by_internal = {(n["_ID"]["table"], n["_ID"]["offset"]): n["id"] for n in nodes}
    relationships = [
        rel_from_row(
            RelType(r["_LABEL"]),
            by_internal[(r["_SRC"]["table"], r["_SRC"]["offset"])],
            by_internal[(r["_DST"]["table"], r["_DST"]["offset"])],
            r,
        )
        for r in rels
    ]
    return GraphPath(nodes=[node(n) for n in nodes], relationships=relationships)


def label_groups(ids: Sequence[str]) -> dict[Label, list[str]]:
    """Ids by the label their prefix names (ids of no label left out)."""
    groups: dict[Label, list[str]] = defaultdict(list)
    for node_id in ids:
        label = label_of_id(node_id)
        if label is not None:
            groups[label].append(node_id)
    return groups


def ids_at(offset_of: dict[str, int]) -> dict[int, str]:
    """Ids by storage offset, for rows that name nodes by offset (`queries.link_degrees`,
    `links_of_many`, `links_to`).

    An offset read for an id names that node for as long as it exists: LadybugDB
    stores every new node at a new offset, even after deletes and checkpoints
    (`tests/graph/embedded/test_offsets.py`), so a row read by offset a moment later
    is the node's, or there is no row."""
    return {offset: node_id for node_id, offset in offset_of.items()}


def link_order(row: LinkRow) -> tuple[str, str, str, bool]:
    """The order of link rows: by anchor, then neighbour id, then relationship type,
    then outgoing before incoming (two links of one type between the same nodes)."""
    return (row[lq.ANCHOR], row[lq.NEIGHBOUR], row[lq.TYPE], not row[lq.OUTGOING])


class LinkProps(NamedTuple):
    """Where the values a link row's users read are (`link_props`)."""

    #: The relationship properties it holds: (name, position) pairs, sources aside.
    props: tuple[tuple[str, int], ...]
    sources: int | None
    #: The neighbour's dateFrom, dateTo and endDate, then the relationship's, when read.
    dates: tuple[int, int, int, int, int, int] | None
    #: The neighbour's storage offset, when read.
    offset: int | None


@lru_cache(maxsize=64)
def link_props(columns: lq.LinkColumns) -> LinkProps:
    """Where rows of `columns` hold what `link_relationship` and `add_steps` read:
    only the properties they hold, since a network view's links carry one or two of
    the eleven and looking for the others is most of a relationship's cost."""
    at = {name: position for position, name in enumerate(columns.names())}
    prefix = lq.LINK_PROPERTY_PREFIX
    props = tuple((name, at[prefix + name]) for name in columns.props if name != "sources")
    dates = (
        (
            at["bfrom"],
            at["bto"],
            at["bend"],
            at[prefix + "dateFrom"],
            at[prefix + "dateTo"],
            at[prefix + "endDate"],
        )
        if columns.neighbour_dates
        else None
    )
    return LinkProps(props, at.get(prefix + "sources"), dates, at.get("boff"))


def link_relationship(row: LinkRow, props: LinkProps) -> Relationship:
    """The relationship of a link row with the properties `props` (`link_props`)."""
    anchor, other = row[lq.ANCHOR], row[lq.NEIGHBOUR]
    source, target = (anchor, other) if row[lq.OUTGOING] else (other, anchor)
    values = {name: value for name, at in props.props if (value := row[at]) is not None}
    provenance = sources_from_json(row[props.sources]) if props.sources is not None else ()
    return Relationship(REL_TYPES[row[lq.TYPE]], source, target, values, provenance)


def link(row: LinkRow, other: Node, props: LinkProps) -> Neighbour:
    """A neighbour from a link row and the node it leads to."""
    direction = "out" if row[lq.OUTGOING] else "in"
    return Neighbour(other, link_relationship(row, props), direction)


def add_steps(around: Around, rows: list[LinkRow], props: LinkProps) -> None:
    """Link rows as network expansion sees them, added to their anchors' steps. A view
    makes a step of every link it reads, so the loop binds its names once and builds
    a relationship only when expansion keeps the step (`partial`). Rows read with
    the neighbour's dates (`LinkColumns.neighbour_dates`, for a period) carry both."""
    step, build, dates = traversal.Step, link_relationship, props.dates
    for row in rows:
        # Positions lq.ANCHOR, lq.NEIGHBOUR, lq.TYPE and lq.OUTGOING, as literals in the loop.
        anchor, other, rel_type, outgoing = row[0], row[1], row[2], row[3]
        key = (anchor, rel_type, other) if outgoing else (other, rel_type, anchor)
        if dates is None:
            around[anchor].append(step(other, key, partial(build, row, props)))
            continue
        from_, to, end, rel_from, rel_to, rel_end = dates
        around[anchor].append(
            step(
                other,
                key,
                partial(build, row, props),
                other_dates={"dateFrom": row[from_], "dateTo": row[to], "endDate": row[end]},
                rel_dates={
                    "dateFrom": row[rel_from],
                    "dateTo": row[rel_to],
                    "endDate": row[rel_end],
                },
            )
        )
