"""Backend-neutral building blocks that stores compose from their own queries.

Both backends expand a network level by level with their own link readers and read
its nodes once at the end (`network_around`), summarise events into stats the same
way, and page across per-label statements the same way; keeping that here means the
rules cannot drift apart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar

from peacegraph.graph import evidence, figures, periods
from peacegraph.graph.model import Label
from peacegraph.graph.records import Node, Page, Relationship
from peacegraph.graph.store import Network, Path, ReachFigures, Stats

T = TypeVar("T")
MAX_DEPTH = 3


_UNDATED: Mapping[str, Any] = MappingProxyType({})


class Step(NamedTuple):
    """A link from a frontier node to `other`: what expansion decides on before it
    reads the node, so a backend can leave nodes and relationships unread until kept.

    A tuple, not a dataclass: a network view makes one per link it reads (~9,000 on
    a 500-node view of the 100k/1M graph), and building frozen dataclasses was a
    fifth of its Python time. The dates are only looked at for a network limited to
    a period, and a backend may leave them out otherwise."""

    other: str
    key: tuple[str, str, str]
    relationship: Callable[[], Relationship]
    other_dates: Mapping[str, Any] = _UNDATED
    rel_dates: Mapping[str, Any] = _UNDATED


def _in_period(step: Step, since: str | None, until: str | None) -> bool:
    """Whether both the node a link leads to and the link itself overlap the period
    (`periods`: an open end runs on; relationships always last)."""
    return periods.overlaps(
        step.other_dates, since, until, bounded=periods.bounded_id(step.other)
    ) and periods.overlaps(step.rel_dates, since, until, bounded=False)


#: Reads the links of a frontier: ids in order -> each one's links, in neighbour order.
LinkReader = Callable[[list[str]], Awaitable[dict[str, list[Step]]]]
#: Reads what a `LinkReader` would, for a frontier whose links can no longer bring a
#: node in: only those leading to the nodes of the second argument are needed (more
#: may be given, in the same order).
AmongReader = Callable[[list[str], frozenset[str]], Awaitable[dict[str, list[Step]]]]

#: Told each level's whole frontier before the level is read, so that a backend that
#: reads a level in parts can start what later parts will need (the embedded store
#: counts the links of the rest of the level while its first part is read).
LevelHook = Callable[[list[str]], None]

#: With an `AmongReader`, a level is read in parts while the node budget can still
#: grow, the first part expected to fill it (a node bringing about this many new
#: ones), each next part twice as large; once the budget is full, the rest of the
#: level is read through the `AmongReader`.
NEW_NODES_PER_ANCHOR = 4


async def expand(
    seeds: Sequence[str],
    *,
    depth: int,
    since: str | None,
    until: str | None,
    limit: int,
    links: LinkReader,
    links_among: AmongReader | None = None,
    level_started: LevelHook | None = None,
) -> tuple[list[str], list[Relationship], bool]:
    """Breadth-first expansion from existing seeds: (node ids, relationships, truncated).

    The rules every backend shares: seeds first, then each level's neighbours in
    frontier order, each node's in neighbour-id order; things outside the period
    are skipped; once `limit` nodes are in, later ones only mark the answer truncated.

    Once the budget is full and the answer truncated, the rest of the frontier can
    only add links among the chosen nodes; a backend that reads those more cheaply
    than all links gives `links_among` (a 500-node view of the 100k/1M graph chose
    its last 91 nodes among the first links of 408 events, then needed only 1,236 of
    their 7,216 links). The answer is the same either way. `level_started`, if
    given, is told each level's whole frontier before the level is read.
    """
    depth = max(0, min(depth, MAX_DEPTH))
    since, until = periods.period(since, until)
    selected = dict.fromkeys(list(dict.fromkeys(seeds))[:limit])
    truncated = len(dict.fromkeys(seeds)) > limit
    relationships: dict[tuple[str, str, str], Relationship] = {}
    frontier = list(selected)
    dated = bool(since or until)

    def take(around: dict[str, list[Step]], next_frontier: list[str]) -> None:
        """Keep what a read brings, in order: new nodes while the budget lasts, and
        every link among kept nodes."""
        nonlocal truncated
        for step in (step for steps in around.values() for step in steps):
            if dated and not _in_period(step, since, until):
                continue
            if step.other not in selected:
                if len(selected) >= limit:
                    truncated = True
                    continue
                selected[step.other] = None
                next_frontier.append(step.other)
            if step.key not in relationships:
                relationships[step.key] = step.relationship()

    for _ in range(depth):
        if not frontier:
            break
        if level_started is not None:
            level_started(frontier)
        next_frontier: list[str] = []
        start, size = 0, len(frontier)
        if links_among is not None:
            size = max(1, (limit - len(selected)) // NEW_NODES_PER_ANCHOR)
        while start < len(frontier):
            if links_among is not None and truncated and len(selected) >= limit:
                take(await links_among(frontier[start:], frozenset(selected)), next_frontier)
                start = len(frontier)
            else:
                take(await links(frontier[start : start + size]), next_frontier)
                start, size = start + size, 2 * size
        frontier = next_frontier
    return list(selected), list(relationships.values()), truncated


#: Reads nodes by id: those of the ids that exist, by id.
NodeReader = Callable[[list[str]], Awaitable[dict[str, Node]]]


async def network_around(
    seeds: Sequence[str],
    *,
    nodes: NodeReader,
    depth: int,
    since: str | None,
    until: str | None,
    limit: int,
    links: LinkReader,
    links_among: AmongReader | None = None,
    level_started: LevelHook | None = None,
) -> Network:
    """A network view read the way both stores read it: the seeds that exist, their
    expansion (`expand`) over a backend's link readers, then the chosen nodes read
    once, at the end; a node gone between the reads is left out."""
    unique = list(dict.fromkeys(seeds))
    found = await nodes(unique)
    ids, relationships, truncated = await expand(
        [s for s in unique if s in found],
        depth=depth,
        since=since,
        until=until,
        limit=limit,
        links=links,
        links_among=links_among,
        level_started=level_started,
    )
    chosen = found | await nodes([i for i in ids if i not in found])
    return Network(
        nodes=[chosen[i] for i in ids if i in chosen],
        relationships=relationships,
        truncated=truncated,
    )


def summarise(
    event_kinds: Sequence[Mapping[str, Any]], actors: Sequence[Mapping[str, Any]]
) -> Stats:
    """Stats from what the store aggregated: one row per event kind with the figures of
    `figures.aggregate_columns`, and one row per (label, kind) of actor with its count."""
    events, totals = figures.totals(event_kinds)
    by_label: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    for row in actors:
        by_label[row["label"]] += int(row["n"])
        if row["kind"]:
            by_kind[f"{row['label']}:{row['kind']}"] += int(row["n"])
    by_label[Label.EVENT.value] = events
    for row in event_kinds:
        if row["kind"]:
            by_kind[f"{Label.EVENT.value}:{row['kind']}"] += int(row["events"])
    stated = {total.figure: total.stated for total in totals}
    reach = ReachFigures(
        events=events,
        participants=stated["participants"],
        women=stated["women"],
        youth=stated["youth"],
        disabled=stated["disabled"],
    )
    return Stats(
        counts_by_label=dict(sorted(by_label.items())),
        counts_by_kind=dict(sorted(by_kind.items())),
        reach=reach,
        figures=totals,
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


def paths_in_order(paths: Sequence[Path]) -> list[Path]:
    """Shortest paths in one order on every store: shortest first, then the best
    supported (`evidence`: by the weakest hop, then by all hops, so that a shared
    event comes before a link cited only by a heading), then by the ids along the
    path (a store's own order among equal paths is arbitrary)."""

    def key(path: Path) -> tuple[int, int, int, list[str]]:
        strengths = [evidence.strength(r) for r in path.relationships]
        return (
            len(path.relationships),
            -min(strengths, default=0),
            -sum(strengths),
            [n.id for n in path.nodes],
        )

    return sorted(paths, key=key)
