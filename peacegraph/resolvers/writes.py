"""Write resolvers: every change in one transaction, with provenance and an audit entry.

Rules that hold for every mutation here:
- the caller's role is checked first (editor; admin for merges);
- a source (document, section, quote) or an editor's note is required;
- input is validated before anything is written, and a failure leaves the graph
  as it was (the store transaction rolls back);
- the audit entry (who, when, which mutation, before, after) is written in the
  same transaction as the change, so there is no change without its record;
- each change is a function of its transaction (`store.write`), which a store may run
  again after a transient failure, so it reads what it checks inside that transaction.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from peacegraph.exchange.canonical import node_to_json, relationship_to_json
from peacegraph.graph import validation
from peacegraph.graph.dates import date_props
from peacegraph.graph.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from peacegraph.graph.model import ID_PREFIX, Label, RelType, allowed
from peacegraph.graph.records import Node, Page, PropValue, Provenance, Relationship, StoredRecord
from peacegraph.graph.store import StoreTransaction
from peacegraph.graph.text import fold
from peacegraph.resolvers.context import Caller, Context
from peacegraph.resolvers.pagination import check_first, decode_cursor

ROLES = {"reader": 1, "editor": 2, "admin": 3}
AUDIT = "audit"
TRASH = "trash"
MAX_BATCH = 5000
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Change:
    """Why a change is made: a source passage, an editor's note, or both."""

    source: Provenance | None
    note: str | None

    def sources(self) -> tuple[Provenance, ...]:
        return (self.source,) if self.source else ()

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source.as_dict() if self.source else None, "note": self.note}


def require(caller: Caller, role: str) -> None:
    """Refuse callers without a valid token of at least `role`."""
    if caller.role == "invalid":
        raise Unauthorized("the bearer token is unknown or revoked")
    if caller.role not in ROLES:
        raise Unauthorized("this needs a bearer token (Authorization: Bearer ...)")
    if ROLES[caller.role] < ROLES[role]:
        raise Forbidden(f"this needs the {role} role; token '{caller.name}' is {caller.role}")


def check_change(change: Change) -> None:
    if change.source is None and not (change.note and change.note.strip()):
        raise Invalid("source: give a source (document, section, quote) or a note", field="source")
    if change.source is not None:
        for part in ("document", "section", "quote"):
            value = getattr(change.source, part)
            if not value.strip():
                raise Invalid(f"source.{part}: must not be empty", field=f"source.{part}")
            validation.check_text(value, field=f"source.{part}")
    if change.note is not None:
        validation.check_text(change.note, field="note", limit=2000)


def natural_id(label: Label, name: str) -> str:
    """The id a node gets from its name when none is given: `org:` + folded slug."""
    slug = _SLUG.sub("-", fold(name)).strip("-")[:80]
    if not slug:
        raise Invalid("name: needs letters or digits to make an id from", field="name")
    return f"{ID_PREFIX[label]}:{slug}"


def _version(node: Node | None) -> int:
    value = node.props.get("version") if node else 0
    return value if isinstance(value, int) else 1


def _aliases(node: Node) -> list[str]:
    value = node.props.get("aliases")
    return [a for a in value if isinstance(a, str)] if isinstance(value, list) else []


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


async def _audit(
    tx: StoreTransaction,
    context: Context,
    mutation: str,
    target: str,
    change: Change,
    before: Any,
    after: Any,
) -> None:
    at = _now()
    await tx.put_records(
        [
            StoredRecord(
                kind=AUDIT,
                key=f"{at}-{uuid.uuid4().hex[:8]}",
                at=at,
                ref=target,
                actor=context.caller.name,
                body={
                    "mutation": mutation,
                    "target": target,
                    "before": before,
                    "after": after,
                    **change.as_dict(),
                },
            )
        ]
    )


async def _existing_link(
    tx: StoreTransaction, rel_type: RelType, source: str, target: str
) -> Relationship | None:
    """The relationship of this type from `source` to `target`, as the transaction sees it."""
    key = (source, rel_type.value, target)
    return next(
        (n.relationship for n in await tx.all_links(source) if n.relationship.key == key), None
    )


def _merge_sources(*groups: Sequence[Provenance]) -> tuple[Provenance, ...]:
    return tuple(dict.fromkeys(s for group in groups for s in group))


def node_props(fields: dict[str, Any], existing: Node | None) -> dict[str, PropValue]:
    """The stored properties after applying the given fields over the existing ones."""
    props: dict[str, PropValue] = dict(existing.props) if existing else {}
    start = fields.pop("start", None)
    end = fields.pop("end", None)
    for key, value in fields.items():
        if value is not None:
            props[key] = value
    if start is not None or end is not None:
        for key in ("startDate", "startPrecision", "endDate", "endPrecision", "dateFrom", "dateTo"):
            props.pop(key, None)
        old_start = existing.props.get("startDate") if existing else None
        start_value = start if start is not None else old_start
        props.update(
            date_props(
                start_value if isinstance(start_value, str) else None,
                end,
                field="input",
            )
        )
    return props


async def upsert_node(
    context: Context,
    label: Label,
    fields: dict[str, Any],
    *,
    node_id: str | None,
    expected_version: int | None,
    change: Change,
) -> Node:
    """Create or update a node, idempotent on its id (or on its name when no id is given)."""
    require(context.caller, "editor")
    check_change(change)
    name = fields.pop("name", None)
    node_id = node_id or (natural_id(label, name) if isinstance(name, str) else None)
    if node_id is None:
        raise Invalid("name: needed to create a node without an id", field="name")
    validation.check_id(node_id, field="id")

    async def work(tx: StoreTransaction) -> Node:
        existing = (await tx.get_nodes([node_id])).get(node_id)
        if existing is not None and existing.label is not label:
            raise Conflict(f"{node_id} is a {existing.label.value}, not a {label.value}")
        current = _version(existing)
        if expected_version is not None and expected_version != current:
            raise Conflict(
                f"{node_id} is at version {current}, not {expected_version}: reload and retry"
            )
        props = node_props(fields, existing)
        props["version"] = current + 1
        node = Node(
            label=label,
            id=node_id,
            name=name if isinstance(name, str) else (existing.name if existing else ""),
            props=props,
            sources=_merge_sources(existing.sources if existing else (), change.sources()),
        )
        validation.check_node(node, field="input")
        await tx.upsert_nodes([node])
        await _audit(
            tx,
            context,
            f"upsert{label.value}",
            node_id,
            change,
            node_to_json(existing) if existing else None,
            node_to_json(node),
        )
        return node

    return await context.store.write(work)


async def link(
    context: Context,
    rel_type: RelType,
    source: str,
    target: str,
    fields: dict[str, Any],
    change: Change,
) -> Relationship:
    """Create or update one relationship; both ends must exist."""
    require(context.caller, "editor")
    check_change(change)
    props: dict[str, PropValue] = {k: v for k, v in fields.items() if v is not None}
    start, end = props.pop("start", None), props.pop("end", None)
    if start is not None or end is not None:
        props.update(
            date_props(
                start if isinstance(start, str) else None,
                end if isinstance(end, str) else None,
                field="input",
            )
        )

    async def work(tx: StoreTransaction) -> Relationship:
        ends = await tx.get_nodes([source, target])
        for field, node_id in (("from", source), ("to", target)):
            if node_id not in ends:
                raise NotFound(f"{field}: no node {node_id}")
        if not allowed(rel_type, ends[source].label, ends[target].label):
            raise Invalid(
                f"type: {rel_type.value} cannot join {ends[source].label.value} to "
                f"{ends[target].label.value}",
                field="type",
            )
        before = await _existing_link(tx, rel_type, source, target)
        rel = Relationship(
            rel_type,
            source,
            target,
            {**(before.props if before else {}), **props},
            _merge_sources(before.sources if before else (), change.sources()),
        )
        validation.check_relationship(rel, field="input")
        await tx.upsert_relationships([rel])
        await _audit(
            tx,
            context,
            "link",
            source,
            change,
            relationship_to_json(before) if before else None,
            relationship_to_json(rel),
        )
        return rel

    return await context.store.write(work)


async def unlink(
    context: Context, rel_type: RelType, source: str, target: str, change: Change
) -> Relationship:
    require(context.caller, "editor")
    check_change(change)

    async def work(tx: StoreTransaction) -> Relationship:
        before = await _existing_link(tx, rel_type, source, target)
        if before is None:
            raise NotFound(f"no {rel_type.value} relationship from {source} to {target}")
        await tx.delete_relationships([before])
        await _audit(tx, context, "unlink", source, change, relationship_to_json(before), None)
        return before

    return await context.store.write(work)


async def add_alias(context: Context, node_id: str, alias: str, change: Change) -> Node:
    require(context.caller, "editor")
    check_change(change)
    validation.check_text(alias, field="alias", limit=1000)
    if not alias.strip():
        raise Invalid("alias: must not be empty", field="alias")

    async def work(tx: StoreTransaction) -> Node:
        existing = (await tx.get_nodes([node_id])).get(node_id)
        if existing is None:
            raise NotFound(f"id: no node {node_id}")
        aliases = _aliases(existing)
        if alias not in aliases and alias != existing.name:
            aliases.append(alias)
        props = {**existing.props, "aliases": aliases}
        props["version"] = _version(existing) + 1
        node = Node(
            existing.label,
            node_id,
            existing.name,
            props,
            _merge_sources(existing.sources, change.sources()),
        )
        await tx.upsert_nodes([node])
        await _audit(
            tx, context, "addAlias", node_id, change, node_to_json(existing), node_to_json(node)
        )
        return node

    return await context.store.write(work)


def _repoint(rel: Relationship, old: str, new: str) -> Relationship:
    source = new if rel.source == old else rel.source
    target = new if rel.target == old else rel.target
    return Relationship(rel.type, source, target, rel.props, rel.sources)


async def merge_entities(context: Context, keep: str, drop: str, change: Change) -> Node:
    """Move every relationship, alias and source of `drop` onto `keep`, then delete `drop`."""
    require(context.caller, "admin")
    check_change(change)
    if keep == drop:
        raise Invalid("drop: must differ from keep", field="drop")

    async def work(tx: StoreTransaction) -> Node:
        nodes = await tx.get_nodes([keep, drop])
        for field, node_id in (("keep", keep), ("drop", drop)):
            if node_id not in nodes:
                raise NotFound(f"{field}: no node {node_id}")
        kept, dropped = nodes[keep], nodes[drop]
        if kept.label is not dropped.label:
            raise Invalid(
                f"drop: {drop} is a {dropped.label.value}, {keep} a {kept.label.value}",
                field="drop",
            )
        existing = {n.relationship.key: n.relationship for n in await tx.all_links(keep)}
        moved: dict[tuple[str, str, str], Relationship] = {}
        for neighbour in await tx.all_links(drop):
            rel = _repoint(neighbour.relationship, drop, keep)
            if rel.source == rel.target:
                continue
            twin = existing.get(rel.key) or moved.get(rel.key)
            if twin is not None:
                rel = Relationship(
                    rel.type,
                    rel.source,
                    rel.target,
                    {**rel.props, **twin.props},
                    _merge_sources(twin.sources, rel.sources),
                )
            moved[rel.key] = rel
        aliases = list(
            dict.fromkeys(
                a for a in [*_aliases(kept), dropped.name, *_aliases(dropped)] if a != kept.name
            )
        )
        props = {**kept.props, "aliases": aliases}
        props["version"] = _version(kept) + 1
        merged = Node(
            kept.label,
            keep,
            kept.name,
            props,
            _merge_sources(kept.sources, dropped.sources, change.sources()),
        )
        await tx.upsert_nodes([merged])
        await tx.delete_nodes([drop])
        await tx.upsert_relationships(list(moved.values()))
        await _audit(
            tx,
            context,
            "mergeEntities",
            keep,
            change,
            {"keep": node_to_json(kept), "drop": node_to_json(dropped)},
            {"keep": node_to_json(merged), "relationshipsMoved": len(moved)},
        )
        return merged

    return await context.store.write(work)


async def delete_node(context: Context, node_id: str, *, hard: bool, change: Change) -> str:
    """Delete a node and its relationships; soft deletion keeps a snapshot to restore."""
    require(context.caller, "admin" if hard else "editor")
    check_change(change)

    async def work(tx: StoreTransaction) -> str:
        node = (await tx.get_nodes([node_id])).get(node_id)
        if node is None:
            raise NotFound(f"id: no node {node_id}")
        links = [relationship_to_json(n.relationship) for n in await tx.all_links(node_id)]
        snapshot = {"node": node_to_json(node), "relationships": links}
        await tx.delete_nodes([node_id])
        if not hard:
            at = _now()
            await tx.put_records(
                [StoredRecord(TRASH, node_id, at, node_id, context.caller.name, snapshot)]
            )
        await _audit(
            tx, context, "hardDelete" if hard else "delete", node_id, change, snapshot, None
        )
        return node_id

    return await context.store.write(work)


async def restore_node(context: Context, node_id: str, change: Change) -> Node:
    """Bring back a soft-deleted node with the relationships whose other end still exists."""
    from peacegraph.exchange.canonical import node_from_json, relationship_from_json

    require(context.caller, "editor")
    check_change(change)

    async def work(tx: StoreTransaction) -> Node:
        record = (await tx.get_records(TRASH, [node_id])).get(node_id)
        if record is None:
            raise NotFound(f"id: no deleted node {node_id} to restore")
        if await tx.get_nodes([node_id]):
            raise Conflict(f"{node_id} exists again; merge instead of restoring")
        node = node_from_json(record.body["node"], "snapshot.node")
        rels = [
            relationship_from_json(r, f"snapshot.relationships[{i}]")
            for i, r in enumerate(record.body["relationships"])
        ]
        others = {r.target if r.source == node_id else r.source for r in rels}
        alive = await tx.get_nodes(sorted(others))
        kept = [r for r in rels if (r.target if r.source == node_id else r.source) in alive]
        await tx.upsert_nodes([node])
        await tx.upsert_relationships(kept)
        await tx.delete_records(TRASH, [node_id])
        await _audit(tx, context, "restore", node_id, change, None, node_to_json(node))
        return node

    return await context.store.write(work)


async def import_batch(
    context: Context, nodes: list[Node], relationships: list[Relationship], change: Change
) -> tuple[int, int]:
    """Many nodes and relationships at once: all valid and written, or none."""
    require(context.caller, "editor")
    check_change(change)
    if len(nodes) + len(relationships) > MAX_BATCH:
        raise Invalid(f"nodes: at most {MAX_BATCH} items in one batch", field="nodes")
    validation.check_nodes(nodes)
    validation.check_relationships(relationships)
    stamped = [
        Node(n.label, n.id, n.name, n.props, _merge_sources(n.sources, change.sources()))
        for n in nodes
    ]
    linked = [
        Relationship(
            r.type, r.source, r.target, r.props, _merge_sources(r.sources, change.sources())
        )
        for r in relationships
    ]

    async def work(tx: StoreTransaction) -> tuple[int, int]:
        await tx.upsert_nodes(stamped)
        await tx.upsert_relationships(linked)
        await _audit(
            tx,
            context,
            "importBatch",
            "",
            change,
            None,
            {"nodes": [n.id for n in nodes], "relationships": len(relationships)},
        )
        return len(nodes), len(relationships)

    return await context.store.write(work)


async def audit_log(
    context: Context, *, target: str, actor: str, first: int, after: str | None
) -> Page[StoredRecord]:
    require(context.caller, "admin")
    limit = check_first(first, context.limits.max_page_size)
    return await context.store.list_records(
        AUDIT, ref=target, actor=actor, offset=decode_cursor(after), limit=limit
    )
