"""Importing many nodes and relationships at once, through the one write path.

Used by the `importBatch` mutation, `peacegraph import` and the seed loader. Ids the
graph already holds are never overwritten by accident: by default (`CREATE`) the
import is refused with a Conflict that lists them, and nothing is written. `MERGE`
updates the fields the import gives (aliases and sources are unioned); `REPLACE`
puts the imported record in place of the stored one (its entrance checks it is
allowed). Either way an existing node's version becomes its stored version + 1; a
version the import gives for an existing node must be the stored one (else a
Conflict), and is never written back as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from peacegraph.exchange.canonical import node_to_json, relationship_to_json
from peacegraph.graph import validation
from peacegraph.graph.dates import date_props
from peacegraph.graph.errors import Conflict
from peacegraph.graph.records import Node, PropValue, Relationship, StoredRecord
from peacegraph.graph.writing import (
    ImportMode,
    Write,
    check_version,
    merge_sources,
    named,
)

BATCH = 2000
DATE_KEYS = ("startDate", "startPrecision", "endDate", "endPrecision", "dateFrom", "dateTo")
Progress = Callable[[int], None]


def _aliases(props: dict[str, PropValue]) -> list[str]:
    value = props.get("aliases")
    return [a for a in value if isinstance(a, str)] if isinstance(value, list) else []


def _merged_dates(
    props: dict[str, PropValue], given: dict[str, PropValue], field: str
) -> dict[str, PropValue]:
    """Dates given replace the stored ones as a whole; what they imply is worked out."""
    if not any(key in given for key in DATE_KEYS):
        return props
    props = {k: v for k, v in props.items() if k not in DATE_KEYS}
    props.update({k: given[k] for k in DATE_KEYS if k in given})
    start, end = props.get("startDate"), props.get("endDate")
    if isinstance(start, str):
        implied = date_props(start, end if isinstance(end, str) else None, field=field)
        for key, value in implied.items():
            props.setdefault(key, value)
    return props


def merged_node(stored: Node, given: Node, field: str) -> Node:
    """`given` over `stored`: its fields replace, aliases and sources are unioned."""
    present: dict[str, PropValue] = {
        k: v for k, v in given.props.items() if v is not None and k != "version"
    }
    props: dict[str, PropValue] = {**stored.props, **present}
    aliases = [
        a
        for a in dict.fromkeys([*_aliases(stored.props), stored.name, *_aliases(present)])
        if a != given.name
    ]
    if aliases:
        props["aliases"] = aliases
    props = _merged_dates(props, present, field)
    return Node(
        stored.label, stored.id, given.name, props, merge_sources(stored.sources, given.sources)
    )


def merged_relationship(stored: Relationship, given: Relationship) -> Relationship:
    present = {k: v for k, v in given.props.items() if v is not None}
    return Relationship(
        given.type,
        given.source,
        given.target,
        {**stored.props, **present},
        merge_sources(stored.sources, given.sources),
    )


def _unversioned(node: Node) -> dict[str, Any]:
    image = node_to_json(node)
    image["props"].pop("version", None)
    return image


def _refuse_existing(what: str, found: Sequence[str], mode: ImportMode) -> None:
    if found and mode is ImportMode.CREATE:
        raise Conflict(
            f"{what}: {named(list(found))} already exist; nothing was imported. Import with "
            "mode MERGE to update the fields given, or REPLACE (admins) to replace them"
        )


async def _write_nodes(
    write: Write, nodes: Sequence[Node], mode: ImportMode, progress: Progress | None
) -> tuple[list[Node], set[str]]:
    """Write each node given as the mode says; returns those written (a node the
    import would not change is left as it is, its version too) and the new ids."""
    existing = await write.tx.get_nodes([n.id for n in nodes])
    _refuse_existing("nodes", sorted(existing), mode)
    sources = write.author.sources()
    planned: list[tuple[Node, str]] = []
    for index, node in enumerate(nodes):
        field = f"nodes[{index}]"
        stored = existing.get(node.id)
        stamped = Node(
            node.label, node.id, node.name, node.props, merge_sources(node.sources, sources)
        )
        if stored is None:
            planned.append((stamped, field))
            continue
        check_version(node.id, stored, node.props.get("version"), field=f"{field}.version")
        if stored.label is not node.label:
            raise Conflict(f"{field}: {node.id} is a {stored.label.value}, not {node.label.value}")
        after = merged_node(stored, stamped, field) if mode is ImportMode.MERGE else stamped
        if _unversioned(after) != _unversioned(stored):
            planned.append((after, field))
    written: list[Node] = []
    for start in range(0, len(planned), BATCH):
        batch = planned[start : start + BATCH]
        written.extend(await write.put_nodes(batch, existing))
        if progress:
            progress(len(batch))
    return written, {n.id for n in nodes} - existing.keys()


async def _write_relationships(
    write: Write,
    relationships: Sequence[Relationship],
    mode: ImportMode,
    new_ids: set[str],
    progress: Progress | None,
) -> list[Relationship]:
    """Write each relationship given as the mode says; returns those written. Only
    one between two nodes that existed before the import may exist already."""
    maybe_stored = [r.key for r in relationships if not {r.source, r.target} & new_ids]
    existing = await write.existing_links(maybe_stored)
    _refuse_existing("relationships", [" ".join(k) for k in sorted(existing)], mode)
    sources = write.author.sources()
    planned: list[tuple[Relationship, str]] = []
    for index, rel in enumerate(relationships):
        stamped = Relationship(
            rel.type, rel.source, rel.target, rel.props, merge_sources(rel.sources, sources)
        )
        stored = existing.get(rel.key)
        after = (
            merged_relationship(stored, stamped)
            if stored is not None and mode is ImportMode.MERGE
            else stamped
        )
        if stored is None or relationship_to_json(after) != relationship_to_json(stored):
            planned.append((after, f"relationships[{index}]"))
    written: list[Relationship] = []
    for start in range(0, len(planned), BATCH):
        batch = planned[start : start + BATCH]
        written.extend(await write.put_relationships(batch, existing))
        if progress:
            progress(len(batch))
    return written


async def import_graph(
    write: Write,
    nodes: Sequence[Node],
    relationships: Sequence[Relationship],
    *,
    mode: ImportMode,
    mutation: str,
    records: Sequence[StoredRecord] = (),
    audit_creations: bool = True,
    progress: Progress | None = None,
) -> tuple[int, int]:
    """Validate everything, then write it as `mode` says, with one audit entry.

    `records` are bookkeeping records the import brings (a dump's audit trail).
    An import that only creates may go without an entry of its own when
    `audit_creations` is off: a dump that brings its own audit trail, a seed
    (reviewed data under version control); any change to what was stored has one.
    Returns how many nodes and relationships were written.
    """
    validation.check_nodes(nodes)
    validation.check_relationships(relationships)
    validation.check_unique_relationships(relationships)
    written_nodes, new_ids = await _write_nodes(write, nodes, mode, progress)
    written_rels = await _write_relationships(write, relationships, mode, new_ids, progress)
    for start in range(0, len(records), BATCH):
        await write.tx.put_records(records[start : start + BATCH])
    changed = any(c["before"] is not None for c in write.changes)
    if write.changes and (audit_creations or changed):
        targets = [n.id for n in written_nodes] or sorted({r.source for r in written_rels})
        await write.audit(
            mutation,
            targets,
            before={
                "nodes": [c["before"] for c in write.changes if "node" in c and c["before"]],
                "relationships": [
                    c["before"] for c in write.changes if "relationship" in c and c["before"]
                ],
            },
            after={
                "nodes": [c["after"] for c in write.changes if "node" in c],
                "relationships": [c["after"] for c in write.changes if "relationship" in c],
            },
            extra={"mode": mode.value},
        )
    return len(written_nodes), len(written_rels)
