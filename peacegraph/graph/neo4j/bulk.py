"""Bulk load for Neo4j: UNWIND batches through the store's own upsert statements.

Why batches of a few thousand rows, each its own `execute_write` transaction: one
transaction for a million relationships would hold them all in the server's
transaction memory, while one statement per row pays a round trip each. The
upserts MERGE on ids, so a load cut short is completed by running it again.

Everything is validated, ids checked to be new and every relationship end checked
before the first batch, so a bad record, a stored id or a dangling end changes
nothing (the same rules as the embedded store's COPY, which cannot update).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from peacegraph.graph import validation
from peacegraph.graph.errors import Conflict, Invalid, NotFound
from peacegraph.graph.records import Node, Relationship

if TYPE_CHECKING:
    from peacegraph.graph.neo4j.store import Neo4jStore

Progress = Callable[[int], None]
BATCH = 5_000


async def bulk_load(
    store: Neo4jStore,
    nodes: Sequence[Node],
    relationships: Sequence[Relationship],
    progress: Progress | None = None,
) -> None:
    """Check everything, then upsert nodes and relationships batch by batch."""
    validation.check_nodes(nodes)
    validation.check_relationships(relationships)
    _check_unique(relationships)
    await _check_nodes_are_new(store, nodes)
    await _check_ends_exist(store, nodes, relationships)
    for start in range(0, len(nodes), BATCH):
        written = await store.upsert_nodes(nodes[start : start + BATCH])
        if progress is not None:
            progress(written)
    for start in range(0, len(relationships), BATCH):
        written = await store.upsert_relationships(relationships[start : start + BATCH])
        if progress is not None:
            progress(written)


def _check_unique(relationships: Sequence[Relationship]) -> None:
    seen: set[tuple[str, str, str]] = set()
    for index, rel in enumerate(relationships):
        if rel.key in seen:
            field = f"relationships[{index}]"
            raise Invalid(f"{field}: {' '.join(rel.key)} appears twice", field=field)
        seen.add(rel.key)


async def _stored(store: Neo4jStore, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), BATCH):
        found.update(await store.get_nodes(ids[start : start + BATCH]))
    return found


async def _check_nodes_are_new(store: Neo4jStore, nodes: Sequence[Node]) -> None:
    clashes = sorted(await _stored(store, [n.id for n in nodes]))
    if clashes:
        shown = ", ".join(clashes[:5])
        raise Conflict(f"bulk load is for new ids; {len(clashes)} already exist: {shown}")


async def _check_ends_exist(
    store: Neo4jStore, nodes: Sequence[Node], relationships: Sequence[Relationship]
) -> None:
    loaded = {n.id for n in nodes}
    outside = sorted(
        ({r.source for r in relationships} | {r.target for r in relationships}) - loaded
    )
    found = await _stored(store, outside)
    missing = [node_id for node_id in outside if node_id not in found]
    if missing:
        raise NotFound(f"relationship end not found: {', '.join(missing[:5])}")
