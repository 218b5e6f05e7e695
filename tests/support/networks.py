"""The network a store must answer, read link by link through the Store protocol.

Stores read a network their own way (links as ids, only the links among the chosen
nodes once the budget is full); `network_link_by_link` is the plain reading they
are held to: every frontier node's first links through `neighbours_of_many`, one
batch per level, under the same expansion rules (`traversal.expand`).
"""

from __future__ import annotations

from collections.abc import Sequence

from peacegraph.graph import traversal
from peacegraph.graph.model import FACT_TYPES, Label, RelType
from peacegraph.graph.records import Neighbour
from peacegraph.graph.store import Direction, Network, Store


def _step(neighbour: Neighbour) -> traversal.Step:
    rel = neighbour.relationship
    return traversal.Step(neighbour.node.id, rel.key, lambda: rel, neighbour.node.props, rel.props)


async def network_link_by_link(
    store: Store,
    seeds: Sequence[str],
    *,
    depth: int,
    rel_types: Sequence[RelType],
    labels: Sequence[Label],
    since: str | None,
    until: str | None,
    limit: int,
) -> Network:
    """Breadth-first expansion from the seeds, one `neighbours_of_many` per level."""

    async def links(frontier: list[str]) -> dict[str, list[traversal.Step]]:
        around = await store.neighbours_of_many(
            frontier,
            direction=Direction.BOTH,
            rel_types=rel_types or FACT_TYPES,
            labels=labels,
            limit_per_node=limit,
        )
        return {anchor: [_step(n) for n in items] for anchor, items in around.items()}

    return await traversal.network_around(
        seeds,
        nodes=store.get_nodes,
        depth=depth,
        since=since,
        until=until,
        limit=limit,
        links=links,
    )
