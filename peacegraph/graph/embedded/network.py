"""Network views of the embedded store: the reads the shared expansion
(`traversal.network_around`) calls, built on the link reads (`links`)."""

from __future__ import annotations

import asyncio
import bisect
from collections.abc import Collection, Sequence
from typing import Any

from peacegraph.graph import traversal
from peacegraph.graph.embedded import link_queries as lq
from peacegraph.graph.embedded.connection import LinkRow
from peacegraph.graph.embedded.links import LinkReader
from peacegraph.graph.embedded.rows import Around, add_steps, link_props
from peacegraph.graph.model import FACT_TYPES, Label, RelType
from peacegraph.graph.records import Node
from peacegraph.graph.store import Network


async def network(
    links: LinkReader,
    seeds: Sequence[str],
    *,
    depth: int,
    rel_types: Sequence[RelType],
    labels: Sequence[Label],
    since: str | None,
    until: str | None,
    limit: int,
    rel_props: Collection[str] | None,
    node_props: Collection[str] | None,
) -> Network:
    """The shared expansion rules (`traversal.expand`) over link rows (ids and
    relationship columns, at most `limit` per node, hubs cut in the store): nodes
    are read once, only those kept and with `node_props`, and relationships are
    built only for the links kept. Once the node budget is full, the rest of a
    level reads only the links among the chosen nodes, filtered in the store by
    storage offset (`LinkReader.links_among`: LadybugDB compares strings row by
    row, so filtering by `b.id IN $list` costs more than reading every link), and
    the chosen nodes, known by then, are read alongside. One view's reads, and what
    they keep between levels, are a `NetworkRead`."""
    shape: lq.LinkShape = ("both", tuple(rel_types or FACT_TYPES), tuple(labels))
    # A period is checked against the neighbours' dates as well as the links'.
    columns = lq.LinkColumns.of(rel_props, dated=bool(since or until), offsets=True)
    view = NetworkRead(links, seeds, shape, columns, limit, node_props)
    try:
        return await traversal.network_around(
            seeds,
            nodes=view.nodes,
            depth=depth,
            since=since,
            until=until,
            limit=limit,
            links=view.links,
            links_among=view.links_among,
            level_started=view.level_started,
        )
    finally:
        view.stop()


#: Anchors read whole instead of by their links among the chosen nodes, at most, so
#: that a node whose links were read up to a bound can be left out of those reads.
BEYOND_BOUND = 4


def already_read(
    frontier: list[str],
    among: frozenset[str],
    read_whole: set[str],
    read_up_to: dict[str, str],
) -> tuple[frozenset[str], frozenset[str]]:
    """Which chosen nodes' links to the frontier were all read already, as anchors of
    an earlier read; and the frontier nodes to read whole so that this holds.

    A node whose every link was read is settled. A node whose first links were cut
    was read up to a neighbour id: its links to frontier nodes below that id were
    read, so it is settled too when at most BEYOND_BOUND frontier nodes lie at or
    above it, and those are read whole (their first links) rather than by their
    links among the chosen nodes. A hub met at the first level is usually settled
    so, and its many links to the last level's frontier are not read again.
    The answer is the same: expansion keeps each link once, where first read (for
    a frontier of chosen nodes other than seeds, see `NetworkRead.links_among`)."""
    ordered = sorted(frontier)
    settled = {node for node in among if node in read_whole}
    whole: set[str] = set()
    for node in among:
        bound = read_up_to.get(node)
        if bound is None:
            continue
        beyond = ordered[bisect.bisect_left(ordered, bound) :]
        if len(beyond) <= BEYOND_BOUND:
            settled.add(node)
            whole.update(beyond)
    return frozenset(settled), frozenset(whole)


class NetworkRead:
    """The reads of one network view (`network`): the link and node
    readers the shared expansion calls (`traversal.network_around`), and what they
    keep between its levels so that no node is looked up twice."""

    def __init__(
        self,
        links: LinkReader,
        seeds: Sequence[str],
        shape: lq.LinkShape,
        columns: lq.LinkColumns,
        limit: int,
        node_props: Collection[str] | None,
    ) -> None:
        self._links = links
        self._seeds = frozenset(seeds)
        self._shape, self._columns, self._limit = shape, columns, limit
        self._node_props = node_props
        self._props = link_props(columns)
        offset = self._props.offset
        assert offset is not None  # read, as `columns` asks for offsets
        self._offset: int = offset
        #: The storage offsets of the nodes found so far, from the rows that found
        #: them: the next level's anchors and the chosen nodes need no lookup by id.
        self._known: dict[str, int] = {}
        #: The anchors whose every link has been read, and for those whose first
        #: links were cut, the neighbour id they were read up to (`already_read`).
        self._read_whole: set[str] = set()
        self._read_up_to: dict[str, str] = {}
        #: The frontier of the level about to be read, and the link counts of the
        #: rest of a level, started when its first part is read (`_count_the_rest`;
        #: the current level's last), by which its later parts and the links among
        #: the chosen nodes cut their anchors' links.
        self._level: list[str] = []
        self._rest_counts: list[tuple[frozenset[str], asyncio.Future[dict[str, int]]]] = []
        #: The read of the chosen nodes, started once they are known (`links_among`).
        self._chosen_read: tuple[frozenset[str], asyncio.Future[dict[str, Node]]] | None = None

    def level_started(self, frontier: list[str]) -> None:
        """Expansion is about to read this level (`traversal.LevelHook`)."""
        self._level[:] = frontier

    async def links(self, frontier: list[str]) -> Around:
        """The first links of the frontier's nodes (`traversal.LinkReader`)."""
        self._count_the_rest(frontier)

        async def first(label: Label, group: list[str]) -> list[LinkRow]:
            counted = await self._counted(group)
            return await self._links.first_links(
                label, group, self._shape, self._limit, self._columns, self._known, counted
            )

        reads = await self._links.per_label(frontier, first)
        known, offset = self._known, self._offset
        for rows in reads:
            for row in rows:
                known[row[lq.NEIGHBOUR]] = row[offset]
        around = self._steps(frontier, reads)
        for anchor, taken in around.items():
            if len(taken) < self._limit:
                self._read_whole.add(anchor)
            else:
                self._read_up_to[anchor] = taken[-1].other
        return around

    async def links_among(self, frontier: list[str], among: frozenset[str]) -> Around:
        """The frontier's links to the chosen nodes, once the budget is full
        (`traversal.AmongReader`)."""
        # A link is judged on the node it leads to (its label, its dates), which every
        # chosen node passes but a seed need not: from a seed's end, a link may be
        # kept that its other end skipped. So seeds read every link themselves.
        settled, whole = (
            already_read(frontier, among, self._read_whole, self._read_up_to)
            if self._seeds.isdisjoint(frontier)
            else (frozenset(), frozenset())
        )
        links = self._links
        if self._chosen_read is None:
            # The budget is full, so `among` is the answer's final node set: its
            # nodes (but the seeds, read first of all) are read while the links
            # among them are, and while Python turns those into steps (`nodes`).
            rest = among - self._seeds
            read = asyncio.ensure_future(links.nodes(list(rest), self._node_props))
            self._chosen_read = (rest, read)
        offsets = await links.offsets(list(among), self._known)
        targets = {
            label: {i: offset for i, offset in group.items() if i not in settled}
            for label, group in offsets.items()
        }
        shape, limit, columns = self._shape, self._limit, self._columns

        async def among_of(label: Label, group: list[str]) -> list[LinkRow]:
            counts = await self._counted(group)
            return await links.links_among(
                label, group, shape, limit, columns, offsets, targets, whole, counts
            )

        reads = await links.per_label(frontier, among_of)
        return self._steps(frontier, reads)

    async def nodes(self, ids: list[str]) -> dict[str, Node]:
        """The nodes by id, with the view's properties (`traversal.NodeReader`)."""
        if self._chosen_read is None:
            return await self._links.nodes(ids, self._node_props)
        early, read = self._chosen_read
        found = await read
        rest = [i for i in ids if i not in early]
        if rest:  # the seeds, when asked again
            found = found | await self._links.nodes(rest, self._node_props)
        return {i: found[i] for i in ids if i in found}

    def stop(self) -> None:
        """Cancel the reads started ahead that are still running, and retrieve the
        errors of those that failed: the view's own error is what it raises."""
        started: list[asyncio.Future[Any]] = [read for _, read in self._rest_counts]
        if self._chosen_read is not None:
            started.append(self._chosen_read[1])
        for read in started:
            if not read.done():
                read.cancel()
            elif not read.cancelled():
                read.exception()

    def _steps(self, frontier: list[str], reads: list[list[LinkRow]]) -> Around:
        around: Around = {node_id: [] for node_id in frontier}
        for rows in reads:
            add_steps(around, rows, self._props)
        return around

    def _count_the_rest(self, part: list[str]) -> None:
        """On the first read of a level that does not read all of it, count the links
        of the rest of the level meanwhile (one statement per label)."""
        level = self._level
        if len(part) < len(level):
            rest = level[len(part) :]
            counting = asyncio.ensure_future(self._links.counts(rest, self._shape, self._known))
            self._rest_counts.append((frozenset(rest), counting))
        level.clear()

    async def _counted(self, group: list[str]) -> dict[str, int] | None:
        """The link counts of `group` when the level's rest count holds them all."""
        if not self._rest_counts or not self._rest_counts[-1][0].issuperset(group):
            return None
        counts = await self._rest_counts[-1][1]
        return {i: counts[i] for i in group if i in counts}
