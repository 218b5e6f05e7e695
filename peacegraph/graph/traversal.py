"""Backend-neutral building blocks that stores compose from their own queries.

Both backends expand a network level by level with their batched neighbour query,
summarise events into stats the same way, and page across per-label statements
the same way; keeping that here means the rules cannot drift apart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from peacegraph.graph.model import FACT_TYPES, Label, RelType
from peacegraph.graph.records import Neighbour, Node, Page, Relationship
from peacegraph.graph.store import Direction, Network, ReachFigures, Stats

if TYPE_CHECKING:
    from peacegraph.graph.store import Store

T = TypeVar("T")
MAX_DEPTH = 3


def overlaps(props: dict[str, Any], since: str | None, until: str | None) -> bool:
    """Whether dated props fall in [since, until]; undated things always do."""
    start, end = props.get("dateFrom"), props.get("dateTo")
    if since and isinstance(end, str) and end < since:
        return False
    return not (until and isinstance(start, str) and start > until)


def _in_period(neighbour: Neighbour, since: str | None, until: str | None) -> bool:
    return overlaps(neighbour.node.props, since, until) and overlaps(
        neighbour.relationship.props, since, until
    )


async def expand_network(
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
    """Breadth-first expansion from the seeds, one batched query per level.

    The node budget `limit` bounds every level's query, so the cost follows the
    size of the answer rather than the size of the graph.
    """
    depth = max(0, min(depth, MAX_DEPTH))
    found = await store.get_nodes(list(dict.fromkeys(seeds)))
    selected: dict[str, Node] = dict(list(found.items())[:limit])
    relationships: dict[tuple[str, str, str], Relationship] = {}
    truncated = len(found) > limit
    frontier = list(selected)
    for _ in range(depth):
        if not frontier:
            break
        around = await store.neighbours_of_many(
            frontier,
            direction=Direction.BOTH,
            rel_types=rel_types or FACT_TYPES,
            labels=labels,
            limit_per_node=limit,
        )
        next_frontier: list[str] = []
        for items in around.values():
            for neighbour in items:
                if not _in_period(neighbour, since, until):
                    continue
                other = neighbour.node
                if other.id not in selected:
                    if len(selected) >= limit:
                        truncated = True
                        continue
                    selected[other.id] = other
                    next_frontier.append(other.id)
                relationships[neighbour.relationship.key] = neighbour.relationship
        frontier = next_frontier
    return Network(
        nodes=list(selected.values()),
        relationships=list(relationships.values()),
        truncated=truncated,
    )


def _count(node: Node, name: str) -> int:
    value = node.props.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def summarise(events: list[Node], actors: list[tuple[str, str | None]]) -> Stats:
    """Stats from the events of a period and the (label, kind) of every actor in them."""
    by_label: Counter[str] = Counter(label for label, _ in actors)
    by_label[Label.EVENT.value] = len(events)
    by_kind: Counter[str] = Counter(f"{label}:{kind}" for label, kind in actors if kind)
    by_kind.update(f"{Label.EVENT.value}:{e.props['kind']}" for e in events if e.props.get("kind"))
    reach = ReachFigures(
        events=len(events),
        participants=sum(_count(e, "participants") for e in events),
        women=sum(_count(e, "women") for e in events),
        youth=sum(_count(e, "youth") for e in events),
        disabled=sum(_count(e, "disabled") for e in events),
    )
    return Stats(
        counts_by_label=dict(sorted(by_label.items())),
        counts_by_kind=dict(sorted(by_kind.items())),
        reach=reach,
        events=events,
    )


async def page_across(
    segments: Sequence[tuple[str, int]],
    fetch: Callable[[str, int, int], Awaitable[list[dict[str, Any]]]],
    convert: Callable[[dict[str, Any]], T],
    *,
    offset: int,
    limit: int,
) -> Page[T]:
    """One page over several statements read one after the other.

    `segments` pairs each statement with how many rows it yields, so only the
    statements that overlap the page are run, each with its own SKIP/LIMIT.
    """
    items: list[T] = []
    start = 0
    total = sum(count for _, count in segments)
    for statement, count in segments:
        end = start + count
        if end > offset and len(items) < limit and count:
            skip = max(0, offset - start)
            rows = await fetch(statement, skip, limit - len(items))
            items.extend(convert(row) for row in rows)
        start = end
    return Page(items=items, offset=offset, has_next=offset + len(items) < total)
