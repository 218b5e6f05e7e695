"""Undoing an audited change: every record it changed goes back to its before image.

An audit entry written by the write path (`writing.Write.audit`) keeps, for each node
and relationship it changed, the image before and after. Reverting checks that each
one is still as the change left it (a later edit is never overwritten: a Conflict
says which record moved on), then writes the before images back, exactly, the
nodes' versions included, so the graph is again what it was. The revert is itself
a unit of work of the write path, with its own audit entry (and can be reverted).
"""

from __future__ import annotations

from typing import Any

from peacegraph.exchange.canonical import (
    node_from_json,
    node_to_json,
    relationship_from_json,
    relationship_to_json,
)
from peacegraph.graph.errors import Conflict, Invalid, NotFound
from peacegraph.graph.records import Node
from peacegraph.graph.writing import AUDIT, RelKey, Write, version_of


def _rel_key(change: dict[str, Any]) -> RelKey:
    key = change["relationship"]
    return (str(key["from"]), str(key["type"]), str(key["to"]))


def _describe(change: dict[str, Any]) -> str:
    if "node" in change:
        return str(change["node"])
    source, rel_type, target = _rel_key(change)
    return f"{rel_type} from {source} to {target}"


async def _current(write: Write, changes: list[dict[str, Any]]) -> dict[str, Any]:
    """The present image of every record the changes touched (None: absent)."""
    node_ids = sorted({str(c["node"]) for c in changes if "node" in c})
    nodes = await write.tx.get_nodes(node_ids)
    links = await write.existing_links(_rel_key(c) for c in changes if "relationship" in c)
    present: dict[str, Any] = {}
    for node_id in node_ids:
        node = nodes.get(node_id)
        present[node_id] = node_to_json(node) if node else None
    for change in changes:
        if "relationship" in change:
            rel = links.get(_rel_key(change))
            present[_describe(change)] = relationship_to_json(rel) if rel else None
    return present


def _check_unchanged(changes: list[dict[str, Any]], present: dict[str, Any]) -> None:
    """Each record is as the last change to it left it; else a Conflict naming it."""
    last = {_describe(c): c for c in changes}
    for name, change in last.items():
        now, then = present[name], change["after"]
        if now == then:
            continue
        if "node" in change and now is not None and then is not None:
            moved = version_of(node_from_json(now, "now"))
            was = version_of(node_from_json(then, "then"))
            raise Conflict(
                f"auditId: {name} changed since (version {was}, now {moved}); "
                "revert the later change first"
            )
        state = "exists again" if then is None else "was changed or removed since"
        raise Conflict(f"auditId: {name} {state}; revert the later change first")


async def _restore(write: Write, change: dict[str, Any], present: dict[str, Any]) -> None:
    """Put one record back to its before image (or remove it when it had none)."""
    name, before = _describe(change), change["before"]
    if "node" in change:
        if before is None:
            node = node_from_json(present[name], "present")
            links = await write.tx.all_links(node.id)
            if links:
                raise Conflict(f"auditId: {name} has relationships added since")
            await write.remove_nodes([node])
        else:
            restored: Node = node_from_json(before, "before")
            stored = await write.tx.get_nodes([restored.id])
            await write.put_nodes([(restored, "before")], stored, versioned=False)
    else:
        if before is None:
            await write.remove_relationships([relationship_from_json(present[name], "present")])
        else:
            rel = relationship_from_json(before, "before")
            stored_links = await write.existing_links([rel.key])
            await write.put_relationships([(rel, "before")], stored_links)
    present[name] = before


async def revert(write: Write, audit_id: str) -> list[str]:
    """Undo the audited change `audit_id`; returns the ids of the nodes it touched."""
    record = (await write.tx.get_records(AUDIT, [audit_id])).get(audit_id)
    if record is None:
        raise NotFound(f"auditId: no audit entry {audit_id}")
    changes = record.body.get("changes")
    if not isinstance(changes, list):
        raise Invalid(
            f"auditId: {audit_id} was recorded before changes could be undone", field="auditId"
        )
    if not changes:
        raise Invalid(f"auditId: {audit_id} changed nothing", field="auditId")
    present = await _current(write, changes)
    _check_unchanged(changes, present)
    for change in reversed(changes):
        await _restore(write, change, present)
    targets = list(dict.fromkeys(str(c["node"]) for c in changes if "node" in c))
    return targets or sorted({_rel_key(c)[0] for c in changes})
