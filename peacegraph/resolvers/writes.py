"""Write resolvers: who may make which change, and what the change is.

Every change goes through the graph layer's one write path (`graph.writing.Write`),
which validates what is written, applies the version rule and writes the audit entry
(who, when, which mutation, before and after images) in the same transaction as the
change. Rules that hold for every mutation here:
- the caller's role is checked first (editor; admin for merges, hard deletes,
  REPLACE imports and reverts);
- a source (document, section, quote) or an editor's note is required;
- a failure leaves the graph as it was (the store transaction rolls back);
- each change is a function of its transaction (`store.write`), which a store may run
  again after a transient failure, so it reads what it checks inside that transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from peacegraph.exchange.canonical import (
    node_from_json,
    node_to_json,
    relationship_from_json,
    relationship_to_json,
)
from peacegraph.graph import validation
from peacegraph.graph.dates import date_props
from peacegraph.graph.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from peacegraph.graph.importing import import_graph
from peacegraph.graph.model import ID_PREFIX, Label, RelType, allowed
from peacegraph.graph.records import Node, Page, PropValue, Provenance, Relationship, StoredRecord
from peacegraph.graph.store import StoreTransaction
from peacegraph.graph.text import fold
from peacegraph.graph.undo import revert as undo
from peacegraph.graph.writing import (
    AUDIT,
    Author,
    ImportMode,
    Write,
    check_version,
    merge_sources,
    now,
)
from peacegraph.resolvers.context import Caller, Context
from peacegraph.resolvers.pagination import check_first, decode_cursor

ROLES = {"reader": 1, "editor": 2, "admin": 3}
TRASH = "trash"
MAX_BATCH = 5000
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Change:
    """Why a change is made: a source passage, an editor's note, or both."""

    source: Provenance | None
    note: str | None

    def by(self, caller: Caller) -> Author:
        """The change's author, for the write path (which checks the provenance)."""
        author = Author(caller.name, self.source, self.note)
        author.check()
        return author


def require(caller: Caller, role: str) -> None:
    """Refuse callers without a valid token of at least `role`."""
    if caller.role == "invalid":
        raise Unauthorized("the bearer token is unknown or revoked")
    if caller.role not in ROLES:
        raise Unauthorized("this needs a bearer token (Authorization: Bearer ...)")
    if ROLES[caller.role] < ROLES[role]:
        raise Forbidden(f"this needs the {role} role; token '{caller.name}' is {caller.role}")


def natural_id(label: Label, name: str) -> str:
    """The id a node gets from its name when none is given: `org:` + folded slug."""
    slug = _SLUG.sub("-", fold(name)).strip("-")[:80]
    if not slug:
        raise Invalid("name: needs letters or digits to make an id from", field="name")
    return f"{ID_PREFIX[label]}:{slug}"


def _aliases(node: Node) -> list[str]:
    value = node.props.get("aliases")
    return [a for a in value if isinstance(a, str)] if isinstance(value, list) else []


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
    author = change.by(context.caller)
    name = fields.pop("name", None)
    node_id = node_id or (natural_id(label, name) if isinstance(name, str) else None)
    if node_id is None:
        raise Invalid("name: needed to create a node without an id", field="name")
    validation.check_id(node_id, field="id")

    async def work(tx: StoreTransaction) -> Node:
        write = Write(tx, author)
        stored = await tx.get_nodes([node_id])
        existing = stored.get(node_id)
        check_version(node_id, existing, expected_version, field="version")
        props = node_props(dict(fields), existing)
        if existing is None:
            props["version"] = 1
        node = Node(
            label=label,
            id=node_id,
            name=name if isinstance(name, str) else (existing.name if existing else ""),
            props=props,
            sources=merge_sources(existing.sources if existing else (), author.sources()),
        )
        [written] = await write.put_nodes([(node, "input")], stored)
        await write.audit(
            f"upsert{label.value}",
            [node_id],
            before=write.changes[0]["before"],
            after=write.changes[0]["after"],
        )
        return written

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
    author = change.by(context.caller)
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
        write = Write(tx, author)
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
        key = (source, rel_type.value, target)
        stored = await write.existing_links([key])
        before = stored.get(key)
        rel = Relationship(
            rel_type,
            source,
            target,
            {**(before.props if before else {}), **props},
            merge_sources(before.sources if before else (), author.sources()),
        )
        await write.put_relationships([(rel, "input")], stored)
        await write.audit(
            "link",
            [source],
            before=write.changes[0]["before"],
            after=write.changes[0]["after"],
        )
        return rel

    return await context.store.write(work)


async def unlink(
    context: Context, rel_type: RelType, source: str, target: str, change: Change
) -> Relationship:
    require(context.caller, "editor")
    author = change.by(context.caller)

    async def work(tx: StoreTransaction) -> Relationship:
        write = Write(tx, author)
        key = (source, rel_type.value, target)
        before = (await write.existing_links([key])).get(key)
        if before is None:
            raise NotFound(f"no {rel_type.value} relationship from {source} to {target}")
        await write.remove_relationships([before])
        await write.audit("unlink", [source], before=write.changes[0]["before"])
        return before

    return await context.store.write(work)


async def add_alias(context: Context, node_id: str, alias: str, change: Change) -> Node:
    require(context.caller, "editor")
    author = change.by(context.caller)
    validation.check_text(alias, field="alias", limit=1000)
    if not alias.strip():
        raise Invalid("alias: must not be empty", field="alias")

    async def work(tx: StoreTransaction) -> Node:
        write = Write(tx, author)
        stored = await tx.get_nodes([node_id])
        existing = stored.get(node_id)
        if existing is None:
            raise NotFound(f"id: no node {node_id}")
        aliases = _aliases(existing)
        if alias not in aliases and alias != existing.name:
            aliases.append(alias)
        node = Node(
            existing.label,
            node_id,
            existing.name,
            {**existing.props, "aliases": aliases},
            merge_sources(existing.sources, author.sources()),
        )
        [written] = await write.put_nodes([(node, "alias")], stored)
        await write.audit(
            "addAlias",
            [node_id],
            before=write.changes[0]["before"],
            after=write.changes[0]["after"],
        )
        return written

    return await context.store.write(work)


def _repoint(rel: Relationship, old: str, new: str) -> Relationship:
    source = new if rel.source == old else rel.source
    target = new if rel.target == old else rel.target
    return Relationship(rel.type, source, target, rel.props, rel.sources)


async def merge_entities(context: Context, keep: str, drop: str, change: Change) -> Node:
    """Move every relationship, alias and source of `drop` onto `keep`, then delete `drop`."""
    require(context.caller, "admin")
    author = change.by(context.caller)
    if keep == drop:
        raise Invalid("drop: must differ from keep", field="drop")

    async def work(tx: StoreTransaction) -> Node:
        write = Write(tx, author)
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
                    merge_sources(twin.sources, rel.sources),
                )
            moved[rel.key] = rel
        aliases = list(
            dict.fromkeys(
                a for a in [*_aliases(kept), dropped.name, *_aliases(dropped)] if a != kept.name
            )
        )
        merged = Node(
            kept.label,
            keep,
            kept.name,
            {**kept.props, "aliases": aliases},
            merge_sources(kept.sources, dropped.sources, author.sources()),
        )
        [written] = await write.put_nodes([(merged, "keep")], nodes)
        await write.remove_nodes([dropped])
        await write.put_relationships([(r, "drop") for r in moved.values()], existing)
        await write.audit(
            "mergeEntities",
            [keep],
            before={"keep": node_to_json(kept), "drop": node_to_json(dropped)},
            after={"keep": node_to_json(written), "relationshipsMoved": len(moved)},
        )
        return written

    return await context.store.write(work)


async def delete_node(context: Context, node_id: str, *, hard: bool, change: Change) -> str:
    """Delete a node and its relationships; soft deletion keeps a snapshot to restore."""
    require(context.caller, "admin" if hard else "editor")
    author = change.by(context.caller)

    async def work(tx: StoreTransaction) -> str:
        write = Write(tx, author)
        node = (await tx.get_nodes([node_id])).get(node_id)
        if node is None:
            raise NotFound(f"id: no node {node_id}")
        links = await write.remove_nodes([node])
        snapshot = {
            "node": node_to_json(node),
            "relationships": [relationship_to_json(r) for r in links],
        }
        if not hard:
            await tx.put_records(
                [StoredRecord(TRASH, node_id, now(), node_id, context.caller.name, snapshot)]
            )
        await write.audit("hardDelete" if hard else "delete", [node_id], before=snapshot)
        return node_id

    return await context.store.write(work)


async def restore_node(context: Context, node_id: str, change: Change) -> Node:
    """Bring back a soft-deleted node with the relationships whose other end still exists."""
    require(context.caller, "editor")
    author = change.by(context.caller)

    async def work(tx: StoreTransaction) -> Node:
        write = Write(tx, author)
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
        await write.put_nodes([(node, "snapshot.node")], {}, versioned=False)
        await write.put_relationships([(r, "snapshot.relationships") for r in kept], {})
        await tx.delete_records(TRASH, [node_id])
        await write.audit("restore", [node_id], after=node_to_json(node))
        return node

    return await context.store.write(work)


async def import_batch(
    context: Context,
    nodes: list[Node],
    relationships: list[Relationship],
    change: Change,
    mode: ImportMode = ImportMode.CREATE,
) -> tuple[int, int]:
    """Many nodes and relationships at once: all valid and written, or none. Ids that
    exist are refused unless `mode` says to merge (editors) or replace (admins)."""
    require(context.caller, "admin" if mode is ImportMode.REPLACE else "editor")
    author = change.by(context.caller)
    if len(nodes) + len(relationships) > MAX_BATCH:
        raise Invalid(f"nodes: at most {MAX_BATCH} items in one batch", field="nodes")

    async def work(tx: StoreTransaction) -> tuple[int, int]:
        return await import_graph(
            Write(tx, author), nodes, relationships, mode=mode, mutation="importBatch"
        )

    return await context.store.write(work)


async def revert(context: Context, audit_id: str, note: str | None) -> list[str]:
    """Admin: undo an audited change, unless what it changed has changed since."""
    require(context.caller, "admin")
    author = Change(None, note or f"revert {audit_id}").by(context.caller)
    validation.check_text(audit_id, field="auditId", limit=validation.MAX_ID)

    async def work(tx: StoreTransaction) -> list[str]:
        write = Write(tx, author)
        targets = await undo(write, audit_id)
        # A deleted node brought back has no use for its restorable snapshot any more.
        await tx.delete_records(TRASH, sorted(await tx.get_nodes(targets)))
        await write.audit("revert", targets, extra={"reverts": audit_id})
        return targets

    return await context.store.write(work)


async def audit_log(
    context: Context, *, target: str, actor: str, first: int, after: str | None
) -> Page[StoredRecord]:
    require(context.caller, "admin")
    limit = check_first(first, context.limits.max_page_size)
    return await context.store.list_records(
        AUDIT, ref=target, actor=actor, offset=decode_cursor(after), limit=limit
    )
