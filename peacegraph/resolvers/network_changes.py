"""What a committed change did to one network view (the networkChanges subscription).

A view is defined as the `network` query defines it (seeds, depth, filters, limit,
checked with the same limits). The server keeps the view's last answer; when a
committed change may touch it (it names a node of the view or a seed, a
relationship with an end in the view, or a whole batch: an import, a revert, a
merge, a restore) the view is read again and compared with the last answer, and
the differences are sent: nodes and edges added, updated (a new version, a new
label, new properties) and removed. Changes that touch nothing are not read at all,
so a quiet view costs nothing per write elsewhere in the graph.

Known limit: a node outside the view that an update makes match the view's filters
(a date moved into its period) shows up at the next change that touches the view,
not at its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass

from peacegraph.graph.model import Label, RelType
from peacegraph.graph.records import Node, Relationship
from peacegraph.graph.store import Network
from peacegraph.resolvers import reads
from peacegraph.resolvers.changes import ChangeEvent, ChangeFeed, ChangeKind
from peacegraph.resolvers.context import Context

#: Changes whose reach is not in their ids: the view is always read again.
_WIDE = frozenset(
    {ChangeKind.IMPORTED, ChangeKind.REVERTED, ChangeKind.NODES_MERGED, ChangeKind.NODE_RESTORED}
)


@dataclass(frozen=True)
class ViewDefinition:
    seeds: tuple[str, ...]
    depth: int
    rel_types: tuple[RelType, ...] = ()
    labels: tuple[Label, ...] = ()
    since: str | None = None
    until: str | None = None
    limit: int = 200


@dataclass(frozen=True)
class NetworkDiff:
    """How a view differs from its last answer, and the change that prompted it."""

    cause: ChangeEvent
    added: Network
    updated: Network
    removed_nodes: tuple[str, ...]
    removed_edges: tuple[str, ...]
    truncated: bool


def edge_id(rel: Relationship) -> str:
    """The id the view's elements give an edge (`source|TYPE|target`)."""
    return "|".join(rel.key)


class _Snapshot:
    def __init__(self, network: Network) -> None:
        self.nodes: dict[str, Node] = {n.id: n for n in network.nodes}
        self.edges: dict[str, Relationship] = {edge_id(r): r for r in network.relationships}

    def touched_by(self, event: ChangeEvent, seeds: Sequence[str]) -> bool:
        if event.kind in _WIDE:
            return True
        for changed in event.ids:
            ends = changed.split("|")[::2] if "|" in changed else [changed]
            if any(end in self.nodes or end in seeds for end in ends):
                return True
        return False


def _diff(cause: ChangeEvent, old: _Snapshot, new: _Snapshot, truncated: bool) -> NetworkDiff:
    added_nodes = [n for i, n in new.nodes.items() if i not in old.nodes]
    updated_nodes = [n for i, n in new.nodes.items() if i in old.nodes and old.nodes[i] != n]
    added_edges = [r for i, r in new.edges.items() if i not in old.edges]
    updated_edges = [r for i, r in new.edges.items() if i in old.edges and old.edges[i] != r]
    return NetworkDiff(
        cause=cause,
        added=Network(added_nodes, added_edges, truncated),
        updated=Network(updated_nodes, updated_edges, truncated),
        removed_nodes=tuple(i for i in old.nodes if i not in new.nodes),
        removed_edges=tuple(i for i in old.edges if i not in new.edges),
        truncated=truncated,
    )


def _is_empty(diff: NetworkDiff) -> bool:
    return not (
        diff.added.nodes
        or diff.added.relationships
        or diff.updated.nodes
        or diff.updated.relationships
        or diff.removed_nodes
        or diff.removed_edges
    )


async def _read(context: Context, view: ViewDefinition) -> Network:
    return await reads.network(
        context,
        view.seeds,
        depth=view.depth,
        rel_types=view.rel_types,
        labels=view.labels,
        since=view.since,
        until=view.until,
        limit=view.limit,
    )


async def watch(
    context: Context,
    feed: ChangeFeed,
    view: ViewDefinition,
    on_drop: Callable[[], None] | None = None,
) -> AsyncIterator[NetworkDiff]:
    """The view's differences after each committed change that altered it. The view
    is read (and its arguments checked, Invalid naming the field) before anything
    is subscribed, so a refused view holds no subscription."""
    snapshot = _Snapshot(await _read(context, view))
    async for event in feed.subscribe(on_drop):
        if not snapshot.touched_by(event, view.seeds):
            continue
        network = await _read(context, view)
        current = _Snapshot(network)
        diff = _diff(event, snapshot, current, network.truncated)
        snapshot = current
        if not _is_empty(diff):
            yield diff
