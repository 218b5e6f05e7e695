"""Per-request DataLoaders: nested fields cost one store call per level, not per parent.

Created for each request (a loader shared across requests would leak one
caller's cache into another's answers).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from strawberry.dataloader import DataLoader

from peacegraph.graph.model import Label, RelType
from peacegraph.graph.records import Neighbour, Node
from peacegraph.graph.store import Direction, Store


@dataclass(frozen=True)
class NeighbourKey:
    """Which neighbours of which node: hashable, so equal requests are batched."""

    node_id: str
    direction: Direction
    rel_types: tuple[RelType, ...]
    labels: tuple[Label, ...]
    limit: int
    #: False when the query asks for none of the links' own data (see `Store`).
    with_props: bool = True
    #: The neighbours' properties the query reads besides id and name (None: all).
    node_props: frozenset[str] | None = None


class Loaders:
    """The loaders of one request."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.nodes: DataLoader[str, Node | None] = DataLoader(load_fn=self._load_nodes)
        self.neighbours: DataLoader[NeighbourKey, list[Neighbour]] = DataLoader(
            load_fn=self._load_neighbours
        )

    async def _load_nodes(self, ids: Sequence[str]) -> list[Node | None]:
        found = await self._store.get_nodes(list(ids))
        return [found.get(node_id) for node_id in ids]

    async def _load_neighbours(self, keys: Sequence[NeighbourKey]) -> list[list[Neighbour]]:
        groups: dict[NeighbourKey, list[str]] = defaultdict(list)
        for key in keys:
            groups[replace(key, node_id="")].append(key.node_id)
        results: dict[NeighbourKey, list[Neighbour]] = {}
        for shape, ids in groups.items():
            found = await self._store.neighbours_of_many(
                ids,
                direction=shape.direction,
                rel_types=shape.rel_types,
                labels=shape.labels,
                limit_per_node=shape.limit,
                with_props=shape.with_props,
                node_props=shape.node_props,
            )
            for node_id in ids:
                results[replace(shape, node_id=node_id)] = found[node_id]
        return [results[key] for key in keys]
