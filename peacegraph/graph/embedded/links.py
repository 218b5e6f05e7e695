"""Link reads of the embedded store: a node's neighbours, the first links of many
nodes, and the reads network expansion is made of (`network`).

Their shape follows what LadybugDB makes cheap and dear. Counting a node's links
reads none of its neighbours, so every read counts first and chooses its plan from
the counts. Sorting a hub's links by neighbour id makes LadybugDB look up every
neighbour's id, so a hub's first page is cut below a neighbour id found by sampling
its links (`LinkReader._hub_page`) and only the links below it are sorted.
Statements run side by side, one per label: LadybugDB releases the GIL while it
works, so one label's statement runs while Python converts another's rows.
"""

from __future__ import annotations

import asyncio
import heapq
import math
from collections import Counter
from collections.abc import Awaitable, Callable, Collection, Hashable, Sequence
from typing import Any, TypeVar

from peacegraph.graph.embedded import hints
from peacegraph.graph.embedded import link_queries as lq
from peacegraph.graph.embedded import queries as q
from peacegraph.graph.embedded.connection import Connections, LinkRow
from peacegraph.graph.embedded.pairs import StoredPairs
from peacegraph.graph.embedded.rows import (
    Offsets,
    ids_at,
    label_groups,
    link,
    link_order,
    link_props,
    node,
)
from peacegraph.graph.model import ID_PREFIX, NODE_PROP_NAMES, Label, RelType, label_of_id
from peacegraph.graph.records import Neighbour, Node, Page
from peacegraph.graph.store import Direction

#: A node with more than max(limit × HUB_FACTOR, MIN_HUB_DEGREE) links is read as a
#: hub: its own top-N query, so its thousands of links never reach Python.
HUB_FACTOR = 4
MIN_HUB_DEGREE = 64
#: A hub with more links than this is cut below a bound found by sampling its links
#: (`_hub_page`) rather than by sorting them all in the store.
SAMPLED_CUT_DEGREE = 4096
#: A hub with at least this many links per node of the labels it links to has its
#: page read from the neighbours' side (`lq.links_up_to`), where the store then walks
#: fewer rows than from the hub's side (bench/FINDINGS.md).
DENSE_HUB_SHARE = 0.4
#: About how many links of such a hub the sample reads.
HUB_SAMPLE = 1024
#: How many sample places past the expected one the bound goes, against sampling noise.
SAMPLE_MARGIN = 3
#: A hub page read below a bound that let in more than this many pages of links keeps
#: no hint: the hub has grown below it (`hints`).
HINT_SLACK = 4

#: A row as some read gives it: a dict by column or a link row.
Row = TypeVar("Row", dict[str, Any], LinkRow)


def labels_up_to(shape: lq.LinkShape, bound: str) -> lq.LinkShape:
    """`shape` kept to the neighbour labels that have ids at or below `bound`.

    Every id starts with its label's prefix and a colon (validated on every write),
    so the ids of a label whose prefix sorts below the bound's all sort below the
    bound, and those of a label whose prefix sorts above it all sort above. Fewer
    labels mean fewer neighbour ids looked up; with one label left, LadybugDB takes
    the ids up to the bound from that table's ordered key index (migration 4) and
    joins them with the hub's links instead of looking up the id of each."""
    bound_label = label_of_id(bound)
    if bound_label is None:
        return shape
    direction, types, labels = shape
    highest = ID_PREFIX[bound_label] + ":"
    wanted = labels or tuple(Label)
    kept = tuple(lb for lb in wanted if ID_PREFIX[lb] + ":" <= highest)
    return shape if kept == wanted else (direction, types, kept)


class LinkReader:
    """The link reads of one open store, and what they keep between reads: the
    relationship pairs stored (`pairs`), the hubs' page bounds (`hints`) and the
    node counts by label that plan choices rest on."""

    def __init__(self, connections: Connections) -> None:
        self._connections = connections
        self._pairs = StoredPairs()
        self._hub_bounds = hints.BoundHints()
        #: Node counts by label for plan choices (`_label_sizes`), and how many
        #: write trips had run when they were counted: any write drops them.
        self._label_counts: dict[Label, int] = {}
        self._counted_at = -1

    @property
    def pairs(self) -> StoredPairs:
        """The relationship pairs stored, which link reads are built from."""
        return self._pairs

    def forget_pairs(self) -> None:
        """Find the stored pairs again: a migration wrote with statements of its own."""
        self._pairs = StoredPairs()

    async def nodes(
        self, ids: Sequence[str], props: Collection[str] | None = None
    ) -> dict[str, Node]:
        """One primary-key read per label, run side by side (see `per_label`); with
        every property, or with id, name and `props` only."""
        chosen = None if props is None else tuple(sorted(set(props) & NODE_PROP_NAMES))
        found: dict[str, Node] = {}
        reads = await self.per_label(
            ids,
            lambda label, group: self._connections.read(
                q.nodes_by_id(label, chosen), {"ids": group}
            ),
        )
        for rows in reads:
            for row in rows:
                read = node(row)
                found[read.id] = read
        return found

    async def per_label(
        self,
        ids: Sequence[str],
        read: Callable[[Label, list[str]], Awaitable[list[Row]]],
    ) -> list[list[Row]]:
        """`read` for each label's distinct ids, all at once, results in label order.

        LadybugDB runs statements in parallel and releases the GIL while it works, so
        one label's statement runs while Python converts another's rows."""
        groups = label_groups(ids)
        return list(
            await asyncio.gather(
                *(read(label, list(dict.fromkeys(group))) for label, group in groups.items())
            )
        )

    async def linked(
        self,
        rows: list[LinkRow],
        columns: lq.LinkColumns = lq.LinkColumns.FULL,
        node_props: Collection[str] | None = None,
    ) -> list[Neighbour]:
        """Neighbours from link rows (ids and relationship columns), reading their nodes
        (with id, name and `node_props` only, unless None)."""
        nodes = await self.nodes([row[lq.NEIGHBOUR] for row in rows], node_props)
        props = link_props(columns)
        return [
            link(row, nodes[row[lq.NEIGHBOUR]], props) for row in rows if row[lq.NEIGHBOUR] in nodes
        ]

    async def neighbours(
        self,
        node_id: str,
        *,
        direction: Direction = Direction.BOTH,
        rel_types: Sequence[RelType] = (),
        labels: Sequence[Label] = (),
        offset: int = 0,
        limit: int = 50,
        node_props: Collection[str] | None = None,
    ) -> Page[Neighbour]:
        """Counted first (a count reads no neighbour, so it is cheap even for a hub), so
        that an early page of a hub is cut like `_hub_page` rather than sorted whole;
        the count goes with the page as its `total`."""
        label = label_of_id(node_id)
        if label is None:
            return Page(items=[], offset=offset, has_next=False, total=0)
        shape: lq.LinkShape = (direction.value, tuple(rel_types), tuple(labels))
        counted = await self._connections.read(lq.count_links(label, shape), {"id": node_id})
        degree = int(counted[0]["total"])
        if offset >= degree:
            # Past the end: answered without its statement (see `store`'s notes).
            return Page(items=[], offset=offset, has_next=False, total=degree)
        wanted = offset + limit + 1
        if degree > SAMPLED_CUT_DEGREE and wanted * HUB_FACTOR <= degree:
            hub_page = self._hub_page(label, shape, node_id, degree, wanted, lq.LinkColumns.FULL)
            rows = (await hub_page)[offset:]
        else:
            rows = await self._links_page(label, shape, node_id, offset, limit + 1)
        items = await self.linked(rows[:limit], node_props=node_props)
        return Page(items=items, offset=offset, has_next=len(rows) > limit, total=degree)

    async def neighbours_of_many(
        self,
        node_ids: Sequence[str],
        *,
        direction: Direction = Direction.BOTH,
        rel_types: Sequence[RelType] = (),
        labels: Sequence[Label] = (),
        limit_per_node: int = 100,
        with_props: bool = True,
        node_props: Collection[str] | None = None,
    ) -> dict[str, list[Neighbour]]:
        """The first `limit_per_node` links of each node, in three steps whose rows follow
        the answer's size: count each node's links; read all links of the nodes that
        have few, and a top-N page for each hub; then read only the nodes kept.
        Without props, link rows carry only their keys (see `lq.LinkColumns`)."""
        result: dict[str, list[Neighbour]] = {node_id: [] for node_id in node_ids}
        shape: lq.LinkShape = (direction.value, tuple(rel_types), tuple(labels))
        columns = lq.LinkColumns.FULL if with_props else lq.LinkColumns.KEYS
        reads = await self.per_label(
            node_ids,
            lambda label, group: self.first_links(label, group, shape, limit_per_node, columns),
        )
        rows = [row for part in reads for row in part]
        for neighbour in await self.linked(rows, columns, node_props):
            rel = neighbour.relationship
            result[rel.source if neighbour.direction == "out" else rel.target].append(neighbour)
        return result

    async def first_links(
        self,
        label: Label,
        ids: list[str],
        shape: lq.LinkShape,
        limit: int,
        columns: lq.LinkColumns,
        known: dict[str, int] | None = None,
        counted: dict[str, int] | None = None,
    ) -> list[LinkRow]:
        """Up to `limit` links of each anchor, each anchor's in neighbour-id order, with
        `columns`; the anchors' storage offsets are looked up unless `known`, and their
        link counts are counted unless `counted` (those without links absent).

        Anchors with few links are read together and cut here; a hub (more than
        max(HUB_FACTOR x limit, MIN_HUB_DEGREE) links) gets its own page query."""
        offset_of = (await self.offsets(ids, known)).get(label, {})
        degrees = await self.degrees(label, shape, offset_of) if counted is None else counted
        few = max(limit * HUB_FACTOR, MIN_HUB_DEGREE)
        hubs = [(anchor, degree) for anchor, degree in degrees.items() if degree > few]
        small = [anchor for anchor, degree in degrees.items() if degree <= few]
        pages = await asyncio.gather(
            self._small_links(label, shape, small, offset_of, limit, columns),
            *(self._hub_page(label, shape, hub, degree, limit, columns) for hub, degree in hubs),
        )
        return [row for page in pages for row in page]

    async def degrees(
        self, label: Label, shape: lq.LinkShape, offset_of: dict[str, int]
    ) -> dict[str, int]:
        """How many links each anchor (id -> storage offset) has; those without any are
        absent."""
        rows = await self._connections.read(
            lq.link_degrees(label, shape), lq.anchor_offsets(list(offset_of.values()))
        )
        id_at = ids_at(offset_of)
        return {id_at[row["anchor"]]: row["degree"] for row in rows}

    async def counts(
        self, ids: Sequence[str], shape: lq.LinkShape, known: dict[str, int]
    ) -> dict[str, int]:
        """How many links each node has, by id (those without any absent): one
        statement per label, side by side, offsets taken from `known` or looked up."""
        offsets = await self.offsets(ids, known)
        labels = [label for label, group in offsets.items() if group]
        counts = await asyncio.gather(
            *(self.degrees(label, shape, offsets[label]) for label in labels)
        )
        return {anchor: degree for part in counts for anchor, degree in part.items()}

    async def offsets(self, ids: Sequence[str], known: dict[str, int] | None = None) -> Offsets:
        """The storage offsets of nodes, by label then id (one statement per label, side
        by side). Those in `known` (id -> offset) are not looked up, and those looked
        up are added to it: a network view keeps the offsets of the nodes it has
        found. (Offsets name a node only within its label's table; ids name it alone.)"""
        found: Offsets = {}
        groups = label_groups(ids)
        if known is not None:
            for label, group in groups.items():
                found[label] = {i: known[i] for i in group if i in known}
                groups[label] = [i for i in group if i not in known]
        missing = {label: group for label, group in groups.items() if group}
        reads = await asyncio.gather(
            *(
                self._connections.read(q.node_offsets(label), {"ids": group})
                for label, group in missing.items()
            )
        )
        for label, rows in zip(missing, reads, strict=True):
            looked_up = {row["id"]: row["offset"] for row in rows}
            found.setdefault(label, {}).update(looked_up)
            if known is not None:
                known.update(looked_up)
        return found

    async def links_among(
        self,
        label: Label,
        ids: list[str],
        shape: lq.LinkShape,
        limit: int,
        columns: lq.LinkColumns,
        among: Offsets,
        targets: Offsets,
        whole: frozenset[str] = frozenset(),
        counted: dict[str, int] | None = None,
    ) -> list[LinkRow]:
        """What `first_links` gives, kept to the links that lead to `targets` (offsets
        by label and id, some of `among`, which holds the anchors' own too), in the
        same order, give or take links to `among` outside `targets`.

        An anchor with at most `limit` links has all of them among its first `limit`,
        so only its links to `targets` are read, filtered in the store, one statement
        per neighbour label that a stored pair joins to `label`, side by side; one
        with more, or in `whole`, is cut as usual. The anchors' link counts are
        counted unless `counted` gives them (theirs only; those without links
        absent), as for `first_links`."""
        known = among.get(label, {})
        degrees = (
            await self.degrees(label, shape, {i: known[i] for i in ids if i in known})
            if counted is None
            else counted
        )
        few = [known[a] for a, degree in degrees.items() if degree <= limit and a not in whole]
        many = [a for a, degree in degrees.items() if degree > limit or a in whole]
        direction, types, allowed = shape
        pairs = await self._stored_pairs()
        others = [
            other
            for other, offsets in targets.items()
            if few
            and offsets
            and (not allowed or other in allowed)
            and lq.linkable(label, (direction, types, (other,)), pairs)
        ]
        reads = [
            self._connections.read_links(
                lq.links_to(label, (direction, types, (other,)), columns, pairs),
                lq.anchor_offsets(few) | {"others": list(targets[other].values())},
            )
            for other in others
        ]
        if many:
            many_counts = {anchor: degrees[anchor] for anchor in many}
            reads.append(self.first_links(label, many, shape, limit, columns, known, many_counts))
        parts = await asyncio.gather(*reads)
        # Rows of `links_to` name both ends by storage offset; a last part from
        # `first_links` names them by id, and zip stops before it.
        anchor_at = ids_at(known)
        for other, part in zip(others, parts, strict=False):
            neighbour_at = ids_at(targets[other])
            for row in part:
                row[0], row[1] = anchor_at[row[0]], neighbour_at[row[1]]  # lq.ANCHOR, NEIGHBOUR
        rows = [row for part in parts for row in part]
        rows.sort(key=link_order)
        return rows

    async def _small_links(
        self,
        label: Label,
        shape: lq.LinkShape,
        anchors: list[str],
        offset_of: dict[str, int],
        limit: int,
        columns: lq.LinkColumns,
    ) -> list[LinkRow]:
        """The first `limit` links of each anchor with few links, read together: by
        storage offset, or for one anchor by primary key (matching anchors by offset
        scans their label's table, which a single anchor need not)."""
        if not anchors:
            return []
        taken = Counter[str]()
        pairs = await self._stored_pairs()
        if len(anchors) == 1:
            statement = lq.links_of_one(label, shape, columns, pairs)
            rows = await self._connections.read_links(statement, {"id": anchors[0]})
        else:
            offsets = [offset_of[anchor] for anchor in anchors if anchor in offset_of]
            statement = lq.links_of_many(label, shape, columns, pairs)
            rows = await self._connections.read_links(statement, lq.anchor_offsets(offsets))
            id_at = ids_at(offset_of)
            for row in rows:
                row[lq.ANCHOR] = id_at[row[lq.ANCHOR]]  # read by storage offset
        rows.sort(key=link_order)
        kept: list[LinkRow] = []
        for row in rows:
            if taken[row[lq.ANCHOR]] < limit:
                taken[row[lq.ANCHOR]] += 1
                kept.append(row)
        return kept

    async def _hub_page(
        self,
        label: Label,
        shape: lq.LinkShape,
        hub: str,
        degree: int,
        limit: int,
        columns: lq.LinkColumns,
    ) -> list[LinkRow]:
        """A hub's first `limit` links by (neighbour id, type).

        Sorting all of a hub's links is what costs: LadybugDB looks up every
        neighbour's id and sorts them all. Above SAMPLED_CUT_DEGREE links, a
        sample of every step-th link (by storage offset, `HUB_SAMPLE` of them) gives
        a neighbour id below which about 1.25 x `limit` links fall; those links are
        read unordered, sorted here and cut. Whenever at least `limit` links fall
        below the bound, the first `limit` of all are among them, so the answer is
        exactly the sorted one; a skewed sample only moves the bound further up the
        sample, and past its end the hub is sorted whole. Only neighbours of labels
        whose ids can fall below the bound are looked up (`labels_up_to`). Before
        sampling, the bound where the same page ended last time is tried (`hints`),
        which skips the sample and reads about `limit` links instead of 1.25 times
        as many."""
        if degree > SAMPLED_CUT_DEGREE:
            key = (label, shape, hub, limit)
            hinted = self._hub_bounds.get(key)
            if hinted is not None:
                rows = await self._links_up_to(label, shape, hub, degree, hinted, columns)
                if len(rows) >= limit:
                    return self._first_below(key, rows, limit)
                self._hub_bounds.drop(key)
            step = degree // HUB_SAMPLE
            sample = await self._connections.read(
                lq.link_sample(label, shape), {"id": hub, "step": step}
            )
            bounds = sorted(row["bid"] for row in sample)
            position = math.ceil(1.25 * limit / step) + SAMPLE_MARGIN
            while position < len(bounds):
                rows = await self._links_up_to(label, shape, hub, degree, bounds[position], columns)
                if len(rows) >= limit:
                    return self._first_below(key, rows, limit)
                position = 2 * position + 1
        return await self._links_page(label, shape, hub, 0, limit, columns)

    async def _links_page(
        self,
        label: Label,
        shape: lq.LinkShape,
        anchor: str,
        offset: int,
        limit: int,
        columns: lq.LinkColumns = lq.LinkColumns.FULL,
    ) -> list[LinkRow]:
        """Links `offset` to `offset + limit` of one anchor in `link_order`, cut in the
        store. A shape read in two directed parts (`lq.links_page`) has each part's
        first `offset + limit` links read side by side and merged here."""
        parts = lq.links_page(label, shape, columns, await self._stored_pairs())
        if len(parts) == 1:
            page = {"id": anchor, "skip": offset, "limit": limit}
            return await self._connections.read_links(parts[0], page)
        heads = {"id": anchor, "skip": 0, "limit": offset + limit}
        reads = await asyncio.gather(*(self._connections.read_links(part, heads) for part in parts))
        return list(heapq.merge(*reads, key=link_order))[offset : offset + limit]

    async def _links_up_to(
        self,
        label: Label,
        shape: lq.LinkShape,
        hub: str,
        degree: int,
        last: str,
        columns: lq.LinkColumns,
    ) -> list[LinkRow]:
        """A hub's links to neighbours with ids up to `last`, unordered: read from the
        neighbours' side when the hub's `degree` is at least DENSE_HUB_SHARE of the
        nodes it can lead to (`lq.links_up_to`)."""
        kept = labels_up_to(shape, last)
        reachable = await self._label_sizes(kept[2] or tuple(Label))
        dense = degree >= DENSE_HUB_SHARE * reachable
        pairs = await self._stored_pairs()
        statement = lq.links_up_to(label, kept, columns, from_neighbours=dense, pairs=pairs)
        return await self._connections.read_links(statement, {"id": hub, "last": last})

    async def _stored_pairs(self) -> frozenset[lq.Pair]:
        """The relationship pairs the store holds (`pairs.StoredPairs`)."""
        return await self._pairs.get(self._connections.read)

    async def _label_sizes(self, labels: Sequence[Label]) -> int:
        """How many nodes the labels have, counted once and again after any write.
        A plan choice rests on it, never an answer."""
        if self._counted_at != self._connections.writes:
            self._label_counts.clear()
            self._counted_at = self._connections.writes
        missing = [label for label in labels if label not in self._label_counts]
        counts = await asyncio.gather(
            *(self._connections.read(q.count_label(lb)) for lb in missing)
        )
        for label, rows in zip(missing, counts, strict=True):
            self._label_counts[label] = int(rows[0]["total"])
        return sum(self._label_counts[label] for label in labels)

    def _first_below(self, key: Hashable, rows: list[LinkRow], limit: int) -> list[LinkRow]:
        """The first `limit` of a hub's links read below a bound (at least `limit` of
        them), and the neighbour id of the last one kept as the next page's hint;
        none when the bound let in more than HINT_SLACK pages' worth."""
        rows.sort(key=link_order)
        if len(rows) > HINT_SLACK * limit:
            self._hub_bounds.drop(key)
        else:
            self._hub_bounds.keep(key, rows[limit - 1][lq.NEIGHBOUR])
        return rows[:limit]

    async def count_neighbours(
        self,
        node_id: str,
        *,
        direction: Direction = Direction.BOTH,
        rel_types: Sequence[RelType] = (),
        labels: Sequence[Label] = (),
    ) -> int:
        label = label_of_id(node_id)
        if label is None:
            return 0
        statement = lq.count_links(label, (direction.value, tuple(rel_types), tuple(labels)))
        rows = await self._connections.read(statement, {"id": node_id})
        return int(rows[0]["total"])
