"""The embedded store: LadybugDB in a data directory, the zero-setup default.

What LadybugDB needs from us (measured, see DESIGN.md):
- one write transaction at a time: writes go through one connection, in one worker
  thread, under an asyncio lock; reads run concurrently through AsyncConnection;
- after an error inside a transaction it is already rolled back, so we stop at the
  first error and never run the next statement;
- a missing `$parameter` silently becomes NULL, so every statement's parameters are
  checked against what it names before it runs;
- `throw_on_wal_replay_failure=False` and a bounded buffer pool when opening;
- an ordered `SKIP` some thousands of rows past the last one ends the whole process
  with a segmentation fault (LadybugDB 0.22: a people page after offset 10,000 on a
  table of 30; 37,000 on 35,000), and offsets come from cursors anyone can write:
  paged statements run only with offsets inside what exists, counted first
  (`list_nodes`, `list_records`, `neighbours`) or per counted segment
  (`traversal.page_across`); a page past the end is answered empty.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import datetime as dt
import heapq
import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Hashable, Sequence
from contextlib import asynccontextmanager
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import ladybug

from peacegraph.graph import traversal, validation
from peacegraph.graph.bookkeeping import record_from_row, record_row, storage_key
from peacegraph.graph.convert import (
    LABELS,
    REL_TYPES,
    node_from_row,
    node_row,
    rel_from_row,
    rel_row,
    sources_from_json,
)
from peacegraph.graph.embedded import bulk, hints, prepared, tracing
from peacegraph.graph.embedded import queries as q
from peacegraph.graph.embedded.migrations import MIGRATIONS
from peacegraph.graph.embedded.pairs import StoredPairs
from peacegraph.graph.embedded.search_index import SearchIndex
from peacegraph.graph.errors import Invalid, NotFound, PeaceGraphError, StoreUnavailable
from peacegraph.graph.model import (
    FACT_TYPES,
    ID_PREFIX,
    NODE_PROP_NAMES,
    Label,
    RelType,
    label_of_id,
)
from peacegraph.graph.records import Neighbour, Node, Page, Relationship, StoredRecord
from peacegraph.graph.store import (
    Direction,
    Network,
    NodeQuery,
    SearchHit,
    Stats,
    StoreTransaction,
    TimelineEntry,
)
from peacegraph.graph.store import (
    Path as GraphPath,
)

log = logging.getLogger(__name__)

_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
DEFAULT_BUFFER_POOL = 512 * 1024 * 1024
MAX_LINKS = 100_000
#: A node with more than max(limit × HUB_FACTOR, MIN_HUB_DEGREE) links is read as a
#: hub: its own top-N query, so its thousands of links never reach Python.
HUB_FACTOR = 4
MIN_HUB_DEGREE = 64
#: A hub with more links than this is cut below a bound found by sampling its links
#: (`_hub_page`) rather than by sorting them all in the store.
SAMPLED_CUT_DEGREE = 4096
#: A hub with at least this many links per node of the labels it links to has its
#: page read from the neighbours' side (`q.links_up_to`): measured on the 100k/1M
#: graph's hubs, it paid from ~0.4 up and cost below ~0.3.
DENSE_HUB_SHARE = 0.4
#: About how many links of such a hub the sample reads.
HUB_SAMPLE = 1024
#: How many sample places past the expected one the bound goes, against sampling noise.
SAMPLE_MARGIN = 3
#: A hub page read below a bound that let in more than this many pages of links keeps
#: no hint: the hub has grown below it (`hints`).
HINT_SLACK = 4
#: A write of at most this many rows whose result is not needed waits, inside its
#: transaction, for the next statement or the commit (see `_Writer`); larger ones run
#: at once, so that imports still report progress as they write.
MAX_DEFERRED_ROWS = 100


class StatementError(PeaceGraphError):
    """A statement was run with parameters that do not match the ones it names."""


def check_parameters(statement: str, parameters: dict[str, Any]) -> None:
    """Refuse to run a statement whose named parameters are not all given, or extra."""
    named = set(_PARAMETER.findall(statement))
    missing = named - parameters.keys()
    extra = parameters.keys() - named
    if missing or extra:
        raise StatementError(
            f"statement parameters do not match: missing {sorted(missing)}, extra {sorted(extra)}"
        )


def _rows(result: Any) -> list[dict[str, Any]]:
    """The rows of a statement's result(s), as dicts by column name.

    Rows are read from the driver's native result (ladybug 0.22's `_query_result`)
    when there is one: its Python wrapper checks that the result is still open twice
    a row, which cost more than reading the row (the 1,009 links of a network view's
    largest read: 2.0 against 1.4 µs a row, ~2,900 rows a view on 100k/1M). A driver
    without it is read through the wrapper (`tests/graph/embedded/test_rows.py`
    fails then, so the slower path is noticed)."""
    rows: list[dict[str, Any]] = []
    append = rows.append
    for part in _parts(result):
        columns = part.get_column_names()
        has_next, get_next = _cursor(part)
        while has_next():
            append(dict(zip(columns, get_next(), strict=False)))  # a value per column
    return rows


def _lists(result: Any) -> list[list[Any]]:
    """The rows of a statement's result as lists of values, in its columns' order:
    half the cost of `_rows` a row (0.74 against 1.47 µs for a network view's links
    among its chosen organisations), for link reads (`q.LinkColumns.names`)."""
    rows: list[list[Any]] = []
    append = rows.append
    for part in _parts(result):
        has_next, get_next = _cursor(part)
        while has_next():
            append(get_next())
    return rows


def _parts(result: Any) -> list[Any]:
    """The results a statement gave: one, or one per statement of a script."""
    return result if isinstance(result, list) else [result]


def _cursor(part: Any) -> tuple[Callable[[], bool], Callable[[], list[Any]]]:
    """A result's `has_next` and `get_next`: its native result's when it has one
    (see `_rows`), its own otherwise."""
    native = getattr(part, "_query_result", None)
    if native is not None:
        return native.hasNext, native.getNext
    return part.has_next, part.get_next


def _labels_up_to(shape: q.LinkShape, bound: str) -> q.LinkShape:
    """`shape` kept to the neighbour labels that have ids at or below `bound`.

    Every id starts with its label's prefix and a colon (validated on every write),
    so the ids of a label whose prefix sorts below the bound's all sort below the
    bound, and those of a label whose prefix sorts above it all sort above. The bound
    of the 100k/1M graph's largest hub for 500 links falls among events: its links
    then look up 31,136 event ids instead of 48,851 neighbours' (13.5 -> 8 ms). With
    one neighbour label left, LadybugDB takes the ids up to the bound from that
    table's ordered key index (migration 4) and joins them with the hub's links,
    instead of looking up the id of each (9.5-10 -> 4-4.6 ms in alternating runs)."""
    bound_label = label_of_id(bound)
    if bound_label is None:
        return shape
    direction, types, labels = shape
    highest = ID_PREFIX[bound_label] + ":"
    wanted = labels or tuple(Label)
    kept = tuple(lb for lb in wanted if ID_PREFIX[lb] + ":" <= highest)
    return shape if kept == wanted else (direction, types, kept)


def _ids_at(offset_of: dict[str, int]) -> dict[int, str]:
    """Ids by storage offset, for rows that name nodes by offset (`queries.link_degrees`,
    `links_of_many`, `links_to`).

    An offset read for an id names that node for as long as it exists: LadybugDB
    stores every new node at a new offset, even after deletes and checkpoints
    (`tests/graph/embedded/test_offsets.py`), so a row read by offset a moment later
    is the node's, or there is no row."""
    return {offset: node_id for node_id, offset in offset_of.items()}


def _label_groups(ids: Sequence[str]) -> dict[Label, list[str]]:
    groups: dict[Label, list[str]] = defaultdict(list)
    for node_id in ids:
        label = label_of_id(node_id)
        if label is not None:
            groups[label].append(node_id)
    return groups


def _node(row: dict[str, Any]) -> Node:
    return node_from_row(LABELS[row["_LABEL"]], row)


def _set(filters: dict[str, Any]) -> dict[str, Any]:
    """The filters a query actually sets (only those go into its statement)."""
    return {name: value for name, value in filters.items() if value}


#: A link read's row: its values in `q.LinkColumns.names` order (`_lists`).
_LinkRow = list[Any]
#: A row as some read gives it: a dict by column (`_rows`) or a link row.
_Row = TypeVar("_Row", dict[str, Any], _LinkRow)


def _link_order(row: _LinkRow) -> tuple[str, str, str, bool]:
    """The order of link rows: by anchor, then neighbour id, then relationship type,
    then outgoing before incoming (two links of one type between the same nodes)."""
    return (row[q.ANCHOR], row[q.NEIGHBOUR], row[q.TYPE], not row[q.OUTGOING])


class _LinkProps(NamedTuple):
    """Where the values a link row's users read are (`_link_props`)."""

    #: The relationship properties it holds: (name, position) pairs, sources aside.
    props: tuple[tuple[str, int], ...]
    sources: int | None
    #: The neighbour's dateFrom and dateTo, then the relationship's, when read.
    dates: tuple[int, int, int, int] | None
    #: The neighbour's storage offset, when read.
    offset: int | None


@lru_cache(maxsize=64)
def _link_props(columns: q.LinkColumns) -> _LinkProps:
    """Where rows of `columns` hold what `_link_relationship` and `_add_steps` read:
    only the properties they hold (a network view's links carry one or two; looking
    for all eleven took half of the 2.6 µs a relationship cost, 1,235 of them in a
    500-node view)."""
    at = {name: position for position, name in enumerate(columns.names())}
    prefix = q.LINK_PROPERTY_PREFIX
    props = tuple((name, at[prefix + name]) for name in columns.props if name != "sources")
    dates = (
        (at["bfrom"], at["bto"], at[prefix + "dateFrom"], at[prefix + "dateTo"])
        if columns.neighbour_dates
        else None
    )
    return _LinkProps(props, at.get(prefix + "sources"), dates, at.get("boff"))


def _link_relationship(row: _LinkRow, props: _LinkProps) -> Relationship:
    """The relationship of a link row with the properties `props` (`_link_props`)."""
    anchor, other = row[q.ANCHOR], row[q.NEIGHBOUR]
    source, target = (anchor, other) if row[q.OUTGOING] else (other, anchor)
    values = {name: value for name, at in props.props if (value := row[at]) is not None}
    provenance = sources_from_json(row[props.sources]) if props.sources is not None else ()
    return Relationship(REL_TYPES[row[q.TYPE]], source, target, values, provenance)


def _link(row: _LinkRow, other: Node, props: _LinkProps) -> Neighbour:
    """A neighbour from a link row and the node it leads to."""
    direction = "out" if row[q.OUTGOING] else "in"
    return Neighbour(other, _link_relationship(row, props), direction)


#: A frontier's links as network expansion reads them: anchor id -> steps, in order.
_Around = dict[str, list[traversal.Step]]
#: Storage offsets of nodes, by label then id.
_Offsets = dict[Label, dict[str, int]]


def _add_steps(around: _Around, rows: list[_LinkRow], props: _LinkProps) -> None:
    """Link rows as network expansion sees them, added to their anchors' steps: decided
    on before anything else is built (a 500-node view makes ~1,500; one loop over
    them, locals bound once). Rows read with the neighbour's dates
    (`LinkColumns.neighbour_dates`, for a period) carry both."""
    step, build, dates = traversal.Step, _link_relationship, props.dates
    for row in rows:
        # Positions q.ANCHOR, q.NEIGHBOUR, q.TYPE and q.OUTGOING, as literals in the loop.
        anchor, other, rel_type, outgoing = row[0], row[1], row[2], row[3]
        key = (anchor, rel_type, other) if outgoing else (other, rel_type, anchor)
        if dates is None:
            around[anchor].append(step(other, key, partial(build, row, props)))
            continue
        from_, to, rel_from, rel_to = dates
        around[anchor].append(
            step(
                other,
                key,
                partial(build, row, props),
                other_dates={"dateFrom": row[from_], "dateTo": row[to]},
                rel_dates={"dateFrom": row[rel_from], "dateTo": row[rel_to]},
            )
        )


def _neighbour(row: dict[str, Any]) -> Neighbour:
    other = _node(row["b"])
    outgoing = row["e"]["_SRC"] == row["aid"]
    source, target = (row["anchor"], other.id) if outgoing else (other.id, row["anchor"])
    rel = rel_from_row(RelType(row["type"]), source, target, row["e"])
    return Neighbour(node=other, relationship=rel, direction="out" if outgoing else "in")


#: Anchors read whole instead of by their links among the chosen nodes, at most, so
#: that a node whose links were read up to a bound can be left out of those reads.
BEYOND_BOUND = 4


def _already_read(
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
    links among the chosen nodes. On the 100k/1M graph's 500-node view the hub is
    settled, with the one event at its bound: 476 of the 1,009 links from the last
    386 events to chosen organisations were to the hub, read at the first level.
    The answer is the same: expansion keeps each link once, where first read (for
    a frontier of chosen nodes other than seeds, see `_NetworkRead.links_among`)."""
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


#: A statement and its parameters, as the writer thread runs them.
_Statement = tuple[str, dict[str, Any]]


class _Writer:
    """Writes of one transaction, run in the store's writer thread, in order.

    Every trip to the writer thread waits for the event loop on its way back, and
    the transaction holds the store's one writer meanwhile: under a load of reads an
    editor's write (BEGIN, a read, two writes, COMMIT) waited 5 loop turns, and the
    other writers queued behind it (p50 780 ms at 32 clients). So BEGIN goes with the
    first statement, and small writes whose result is not needed (`write`) go with
    the next statement or the COMMIT: that write makes two trips. An error in a
    waiting write surfaces at that later trip; the transaction fails as a whole
    either way, and nothing of it is kept.
    """

    def __init__(self, store: EmbeddedStore) -> None:
        self._store = store
        self.indexed: dict[str, tuple[str, str, str]] = {}
        self.unindexed: set[str] = set()
        self._waiting: list[_Statement] = [("BEGIN TRANSACTION", {})]
        #: Whether a trip has begun the transaction in LadybugDB (so it must end).
        self.begun = False

    async def run(self, statement: str, parameters: dict[str, Any]) -> list[dict[str, Any]]:
        """Run a statement now, after the writes waiting; its rows."""
        check_parameters(statement, parameters)
        return await self._trip([*self._waiting, (statement, parameters)])

    async def write(self, statement: str, parameters: dict[str, Any]) -> None:
        """Run a statement whose rows are not needed, with the next trip if it is small."""
        if len(parameters.get("rows", ())) > MAX_DEFERRED_ROWS:
            await self.run(statement, parameters)
            return
        check_parameters(statement, parameters)
        self._waiting.append((statement, parameters))

    async def commit(self) -> None:
        """Run the writes waiting and COMMIT, in one trip; nothing if nothing was written."""
        if self.begun or len(self._waiting) > 1:
            await self._trip([*self._waiting, ("COMMIT", {})])

    async def _trip(self, statements: list[_Statement]) -> list[dict[str, Any]]:
        self._waiting = []
        self.begun = True
        return await self._store._write_all(statements)

    async def upsert_nodes(self, nodes: Sequence[Node]) -> int:
        validation.check_nodes(nodes)
        by_label: dict[Label, list[dict[str, Any]]] = defaultdict(list)
        for node in nodes:
            row = node_row(node)
            by_label[node.label].append(row)
            self.indexed[node.id] = (node.id, node.label.value, row["searchKey"])
            self.unindexed.discard(node.id)
        for label, rows in by_label.items():
            await self.write(q.upsert_nodes(label), {"rows": rows})
        return len(nodes)

    async def upsert_relationships(self, relationships: Sequence[Relationship]) -> int:
        validation.check_relationships(relationships)
        groups: dict[tuple[RelType, Label, Label], list[dict[str, Any]]] = defaultdict(list)
        for rel in relationships:
            source, target = label_of_id(rel.source), label_of_id(rel.target)
            assert source is not None and target is not None  # checked above
            groups[(rel.type, source, target)].append(rel_row(rel))
        for (rel_type, source, target), rows in groups.items():
            self.note_pair((rel_type, source, target))
            written = await self.run(
                q.upsert_relationships(rel_type, source, target), {"rows": rows}
            )
            if written[0]["written"] != len(rows):
                raise NotFound(await self._missing_ends(rows, source, target))
        return len(relationships)

    def note_pair(self, pair: q.Pair) -> None:
        """Relationships of `pair` are about to be written (`StoredPairs.note`)."""
        self._store._pairs.note(pair)

    async def _missing_ends(self, rows: list[dict[str, Any]], source: Label, target: Label) -> str:
        wanted = {r["s"] for r in rows} | {r["d"] for r in rows}
        found = await self._store.get_nodes(sorted(wanted))
        missing = sorted(wanted - found.keys())
        return f"relationship end not found: {', '.join(missing) or 'duplicate relationship rows'}"

    async def delete_relationships(self, relationships: Sequence[Relationship]) -> int:
        groups: dict[tuple[RelType, Label, Label], list[dict[str, Any]]] = defaultdict(list)
        for rel in relationships:
            source = validation.check_id(rel.source, field="from")
            target = validation.check_id(rel.target, field="to")
            groups[(rel.type, source, target)].append({"s": rel.source, "d": rel.target})
        deleted = 0
        for (rel_type, source, target), rows in groups.items():
            result = await self.run(
                q.delete_relationships(rel_type, source, target), {"rows": rows}
            )
            deleted += int(result[0]["deleted"]) if result else 0
        return deleted

    async def delete_nodes(self, ids: Sequence[str]) -> int:
        deleted = 0
        for label, group in _label_groups(ids).items():
            result = await self.run(q.delete_nodes(label), {"ids": group})
            deleted += int(result[0]["deleted"]) if result else 0
            self.unindexed.update(group)
            for node_id in group:
                self.indexed.pop(node_id, None)
        return deleted

    async def get_nodes(self, ids: Sequence[str]) -> dict[str, Node]:
        found: dict[str, Node] = {}
        for label, group in _label_groups(ids).items():
            for row in await self.run(q.nodes_by_id(label), {"ids": list(dict.fromkeys(group))}):
                node = _node(row)
                found[node.id] = node
        return found

    async def all_links(self, node_id: str) -> list[Neighbour]:
        label = label_of_id(node_id)
        if label is None:
            return []
        rows = await self.run(
            q.neighbours(label, "both"),
            {"id": node_id, "types": [], "labels": [], "offset": 0, "limit": MAX_LINKS},
        )
        return [_neighbour(row) for row in rows]

    async def put_records(self, records: Sequence[StoredRecord]) -> None:
        if records:
            await self.write(q.PUT_RECORDS, {"rows": [record_row(r) for r in records]})

    async def get_records(self, kind: str, keys: Sequence[str]) -> dict[str, StoredRecord]:
        rows = await self.run(q.GET_RECORDS, {"keys": [storage_key(kind, k) for k in keys]})
        records = [record_from_row(row["x"]) for row in rows]
        return {r.key: r for r in records if r.kind == kind}

    async def delete_records(self, kind: str, keys: Sequence[str]) -> int:
        rows = await self.run(q.DELETE_RECORDS, {"keys": [storage_key(kind, k) for k in keys]})
        return int(rows[0]["deleted"]) if rows else 0


class _NetworkRead:
    """The reads of one network view (`EmbeddedStore.network`): the link and node
    readers the shared expansion calls (`traversal.network_around`), and what they
    keep between its levels so that no node is looked up twice."""

    def __init__(
        self,
        store: EmbeddedStore,
        seeds: Sequence[str],
        shape: q.LinkShape,
        columns: q.LinkColumns,
        limit: int,
        node_props: Collection[str] | None,
    ) -> None:
        self._store = store
        self._seeds = frozenset(seeds)
        self._shape, self._columns, self._limit = shape, columns, limit
        self._node_props = node_props
        self._props = _link_props(columns)
        offset = self._props.offset
        assert offset is not None  # read, as `columns` asks for offsets
        self._offset: int = offset
        #: The storage offsets of the nodes found so far, from the rows that found
        #: them: the next level's anchors and the chosen nodes need no lookup by id.
        self._known: dict[str, int] = {}
        #: The anchors whose every link has been read, and for those whose first
        #: links were cut, the neighbour id they were read up to (`_already_read`).
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

    async def links(self, frontier: list[str]) -> _Around:
        """The first links of the frontier's nodes (`traversal.LinkReader`)."""
        self._count_the_rest(frontier)

        async def first(label: Label, group: list[str]) -> list[_LinkRow]:
            counted = await self._counted(group)
            return await self._store._first_links(
                label, group, self._shape, self._limit, self._columns, self._known, counted
            )

        reads = await self._store._per_label(frontier, first)
        known, offset = self._known, self._offset
        for rows in reads:
            for row in rows:
                known[row[q.NEIGHBOUR]] = row[offset]
        around = self._steps(frontier, reads)
        for anchor, taken in around.items():
            if len(taken) < self._limit:
                self._read_whole.add(anchor)
            else:
                self._read_up_to[anchor] = taken[-1].other
        return around

    async def links_among(self, frontier: list[str], among: frozenset[str]) -> _Around:
        """The frontier's links to the chosen nodes, once the budget is full
        (`traversal.AmongReader`)."""
        # A link is judged on the node it leads to (its label, its dates), which every
        # chosen node passes but a seed need not: from a seed's end, a link may be
        # kept that its other end skipped. So seeds read every link themselves.
        settled, whole = (
            _already_read(frontier, among, self._read_whole, self._read_up_to)
            if self._seeds.isdisjoint(frontier)
            else (frozenset(), frozenset())
        )
        store = self._store
        if self._chosen_read is None:
            # The budget is full, so `among` is the answer's final node set: its
            # nodes (but the seeds, read first of all) are read while the links
            # among them are, and while Python turns those into steps (`nodes`).
            rest = among - self._seeds
            read = asyncio.ensure_future(store._nodes(list(rest), self._node_props))
            self._chosen_read = (rest, read)
        offsets = await store._offsets(list(among), self._known)
        targets = {
            label: {i: offset for i, offset in group.items() if i not in settled}
            for label, group in offsets.items()
        }
        shape, limit, columns = self._shape, self._limit, self._columns

        async def among_of(label: Label, group: list[str]) -> list[_LinkRow]:
            counts = await self._counted(group)
            return await store._links_among(
                label, group, shape, limit, columns, offsets, targets, whole, counts
            )

        reads = await store._per_label(frontier, among_of)
        return self._steps(frontier, reads)

    async def nodes(self, ids: list[str]) -> dict[str, Node]:
        """The nodes by id, with the view's properties (`traversal.NodeReader`)."""
        if self._chosen_read is None:
            return await self._store._nodes(ids, self._node_props)
        early, read = self._chosen_read
        found = await read
        rest = [i for i in ids if i not in early]
        if rest:  # the seeds, when asked again
            found = found | await self._store._nodes(rest, self._node_props)
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

    def _steps(self, frontier: list[str], reads: list[list[_LinkRow]]) -> _Around:
        around: _Around = {node_id: [] for node_id in frontier}
        for rows in reads:
            _add_steps(around, rows, self._props)
        return around

    def _count_the_rest(self, part: list[str]) -> None:
        """On the first read of a level that does not read all of it, count the links
        of the rest of the level meanwhile (one statement per label)."""
        level = self._level
        if len(part) < len(level):
            rest = level[len(part) :]
            counting = asyncio.ensure_future(self._store._counts(rest, self._shape, self._known))
            self._rest_counts.append((frozenset(rest), counting))
        level.clear()

    async def _counted(self, group: list[str]) -> dict[str, int] | None:
        """The link counts of `group` when the level's rest count holds them all."""
        if not self._rest_counts or not self._rest_counts[-1][0].issuperset(group):
            return None
        counts = await self._rest_counts[-1][1]
        return {i: counts[i] for i in group if i in counts}


class EmbeddedStore:
    """LadybugDB behind the Store protocol."""

    backend = "embedded"

    def __init__(self, directory: Path, *, buffer_pool_bytes: int = DEFAULT_BUFFER_POOL) -> None:
        self.directory = directory
        self._buffer_pool_bytes = buffer_pool_bytes
        self._db: ladybug.Database | None = None
        self._writer: ladybug.Connection | None = None
        self._reader: ladybug.AsyncConnection | None = None
        self._index: SearchIndex | None = None
        self._write_lock = asyncio.Lock()
        self._hub_bounds = hints.BoundHints()
        #: Node counts by label for plan choices (`_label_sizes`); dropped on writes.
        self._label_counts: dict[Label, int] = {}
        #: The relationship pairs stored, which link reads are built from (`pairs`).
        self._pairs = StoredPairs()

    @classmethod
    async def open(
        cls, directory: Path, *, buffer_pool_bytes: int = DEFAULT_BUFFER_POOL
    ) -> EmbeddedStore:
        store = cls(directory, buffer_pool_bytes=buffer_pool_bytes)
        await asyncio.to_thread(store._open)
        return store

    def _open(self) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._db = ladybug.Database(
                str(self.directory / "graph.lbug"),
                buffer_pool_size=self._buffer_pool_bytes,
                throw_on_wal_replay_failure=False,
            )
            self._writer = ladybug.Connection(self._db)
            self._reader = ladybug.AsyncConnection(self._db, max_concurrent_queries=4)
            self._index = SearchIndex(self.directory / "search.sqlite")
        except (RuntimeError, OSError) as error:
            raise StoreUnavailable(
                f"cannot open the embedded store in {self.directory}: {_first_line(error)}"
            ) from None

    # -- plumbing ---------------------------------------------------------------------

    def _require(self) -> tuple[ladybug.Connection, ladybug.AsyncConnection, SearchIndex]:
        if self._writer is None or self._reader is None or self._index is None:
            raise StoreUnavailable("the embedded store is closed")
        return self._writer, self._reader, self._index

    async def _read(
        self, statement: str, parameters: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """A read statement's rows, as dicts by column name."""
        return await self._run_read(statement, parameters, _rows)

    async def _read_links(self, statement: str, parameters: dict[str, Any]) -> list[_LinkRow]:
        """A link read's rows, as lists (`q.LinkColumns.names`)."""
        return await self._run_read(statement, parameters, _lists)

    async def _run_read(
        self,
        statement: str,
        parameters: dict[str, Any] | None,
        rows_of: Callable[[Any], list[_Row]],
    ) -> list[_Row]:
        params = parameters or {}
        check_parameters(statement, params)
        _, reader, _ = self._require()
        since = tracing.started()
        try:
            rows = rows_of(await reader.execute(statement, params))
            tracing.record(statement, since, len(rows))
            return rows
        except RuntimeError as error:
            raise _translate(error) from None
        finally:
            prepared.trim(reader.connections)

    async def _write(self, statement: str, parameters: dict[str, Any]) -> list[dict[str, Any]]:
        check_parameters(statement, parameters)
        return await self._write_all([(statement, parameters)])

    async def _write_all(self, statements: list[_Statement]) -> list[dict[str, Any]]:
        """Statements run one after the other in one trip to the writer thread, stopping
        at the first error; the rows of the last."""
        writer, _, _ = self._require()

        def run_all() -> list[dict[str, Any]]:
            rows: list[dict[str, Any]] = []
            try:
                for statement, parameters in statements:
                    result = (
                        writer.execute(statement, parameters)
                        if parameters
                        else writer.execute(statement)
                    )
                    rows = _rows(result)
            finally:
                prepared.trim([writer])
            return rows

        try:
            return await asyncio.to_thread(run_all)
        except RuntimeError as error:
            raise _translate(error) from None
        finally:
            self._label_counts.clear()

    async def _raw(self, statement: str) -> None:
        writer, _, _ = self._require()
        try:
            await asyncio.to_thread(writer.execute, statement)
        finally:
            self._label_counts.clear()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[StoreTransaction]:
        async with self._write_lock:
            writer = _Writer(self)
            try:
                yield writer
                await writer.commit()
            except BaseException:
                if writer.begun:
                    await self._rollback()
                raise
            self._update_index(writer)

    async def _rollback(self) -> None:
        with contextlib.suppress(RuntimeError):  # already rolled back after a failed statement
            await self._raw("ROLLBACK")

    def _update_index(self, writer: _Writer) -> None:
        _, _, index = self._require()
        try:
            index.replace(writer.indexed.values(), writer.unindexed)
        except Exception:
            log.exception("search index update failed; it will be rebuilt at next open")
            index.clear()

    # -- lifecycle ----------------------------------------------------------------------

    async def ping(self) -> None:
        await self._read(q.PING)

    async def migrate(self) -> list[str]:
        async with self._write_lock:
            await self._write(q.MIGRATION_TABLE, {})
            done = {row["version"] for row in await self._read(q.APPLIED_MIGRATIONS)}
            applied: list[str] = []
            for migration in MIGRATIONS:
                if migration.version in done:
                    continue
                for statement in migration.statements:
                    await self._write(statement, {})
                await self._write(
                    q.RECORD_MIGRATION,
                    {
                        "version": migration.version,
                        "description": migration.description,
                        "appliedAt": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    },
                )
                applied.append(f"{migration.version:03d} {migration.description}")
            if applied:
                # A migration writes with statements of its own, which note no pairs.
                self._pairs = StoredPairs()
        await self._ensure_index()
        return applied

    async def _ensure_index(self) -> None:
        """Rebuild the search index when it does not hold every node."""
        _, _, index = self._require()
        total = sum((await self.count_by_label()).values())
        if index.count() == total:
            return
        log.info("rebuilding the search index (%d nodes)", total)
        index.clear()
        offset = 0
        while True:
            page = await self.all_nodes(offset=offset, limit=5000)
            entries = [(n.id, n.label.value, node_row(n)["searchKey"]) for n in page.items]
            index.replace(entries, ())
            if not page.has_next:
                break
            offset += len(page.items)

    async def close(self) -> None:
        writer, reader, index = self._writer, self._reader, self._index
        self._writer = self._reader = self._index = None
        if reader is not None:
            reader.close()
        if writer is not None:
            writer.close()
        if index is not None:
            index.close()
        if self._db is not None:
            self._db.close()
            self._db = None

    # -- writes outside an explicit transaction -----------------------------------------

    async def upsert_nodes(self, nodes: Sequence[Node]) -> int:
        async with self.transaction() as tx:
            return await tx.upsert_nodes(nodes)

    async def upsert_relationships(self, relationships: Sequence[Relationship]) -> int:
        async with self.transaction() as tx:
            return await tx.upsert_relationships(relationships)

    async def delete_relationships(self, relationships: Sequence[Relationship]) -> int:
        async with self.transaction() as tx:
            return await tx.delete_relationships(relationships)

    async def delete_nodes(self, ids: Sequence[str]) -> int:
        async with self.transaction() as tx:
            return await tx.delete_nodes(ids)

    async def bulk_load(
        self,
        nodes: Sequence[Node],
        relationships: Sequence[Relationship],
        progress: Callable[[int], None] | None = None,
    ) -> None:
        await bulk.bulk_load(self, nodes, relationships, progress)

    async def put_records(self, records: Sequence[StoredRecord]) -> None:
        async with self.transaction() as tx:
            await tx.put_records(records)

    async def delete_records(self, kind: str, keys: Sequence[str]) -> int:
        async with self.transaction() as tx:
            return await tx.delete_records(kind, keys)

    # -- reads --------------------------------------------------------------------------

    async def get_records(self, kind: str, keys: Sequence[str]) -> dict[str, StoredRecord]:
        rows = await self._read(q.GET_RECORDS, {"keys": [storage_key(kind, k) for k in keys]})
        records = [record_from_row(row["x"]) for row in rows]
        return {r.key: r for r in records if r.kind == kind}

    async def list_records(
        self, kind: str, *, ref: str = "", actor: str = "", offset: int = 0, limit: int = 50
    ) -> Page[StoredRecord]:
        which = {"kind": kind, "ref": ref, "actor": actor}
        if offset and offset >= int((await self._read(q.COUNT_RECORDS, which))[0]["total"]):
            # Past the end: answered without its statement (see the module's notes).
            return Page(items=[], offset=offset, has_next=False)
        rows = await self._read(q.LIST_RECORDS, which | {"offset": offset, "limit": limit + 1})
        records = [record_from_row(row["x"]) for row in rows]
        return Page(items=records[:limit], offset=offset, has_next=len(records) > limit)

    async def all_links(self, node_id: str) -> list[Neighbour]:
        page = await self.neighbours(node_id, offset=0, limit=MAX_LINKS)
        return page.items

    async def get_nodes(self, ids: Sequence[str]) -> dict[str, Node]:
        return await self._nodes(ids)

    async def _nodes(
        self, ids: Sequence[str], props: Collection[str] | None = None
    ) -> dict[str, Node]:
        """One primary-key read per label, run side by side (see `_per_label`); with
        every property, or with id, name and `props` only."""
        chosen = None if props is None else tuple(sorted(set(props) & NODE_PROP_NAMES))
        found: dict[str, Node] = {}
        reads = await self._per_label(
            ids,
            lambda label, group: self._read(q.nodes_by_id(label, chosen), {"ids": group}),
        )
        for rows in reads:
            for row in rows:
                node = _node(row)
                found[node.id] = node
        return found

    async def _per_label(
        self,
        ids: Sequence[str],
        read: Callable[[Label, list[str]], Awaitable[list[_Row]]],
    ) -> list[list[_Row]]:
        """`read` for each label's distinct ids, all at once, results in label order.

        LadybugDB runs statements in parallel and releases the GIL while it works, so
        one label's statement runs while Python converts another's rows (reading 1,300
        organisations, 1,000 persons and 600 events: 45 ms one after the other, 27 ms
        side by side)."""
        groups = _label_groups(ids)
        return list(
            await asyncio.gather(
                *(read(label, list(dict.fromkeys(group))) for label, group in groups.items())
            )
        )

    async def _linked(
        self, rows: list[_LinkRow], columns: q.LinkColumns = q.LinkColumns.FULL
    ) -> list[Neighbour]:
        """Neighbours from link rows (ids and relationship columns), reading their nodes."""
        nodes = await self.get_nodes([row[q.NEIGHBOUR] for row in rows])
        props = _link_props(columns)
        return [
            _link(row, nodes[row[q.NEIGHBOUR]], props) for row in rows if row[q.NEIGHBOUR] in nodes
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
    ) -> Page[Neighbour]:
        """Counted first (a hub's count reads no neighbour: ~0.3 ms for 48,000 links), so
        that an early page of a hub is cut like `_hub_page` rather than sorted whole;
        the count goes with the page as its `total`."""
        label = label_of_id(node_id)
        if label is None:
            return Page(items=[], offset=offset, has_next=False, total=0)
        shape: q.LinkShape = (direction.value, tuple(rel_types), tuple(labels))
        counted = await self._read(q.count_links(label, shape), {"id": node_id})
        degree = int(counted[0]["total"])
        if offset >= degree:
            # Past the end: answered without its statement (see the module's notes).
            return Page(items=[], offset=offset, has_next=False, total=degree)
        wanted = offset + limit + 1
        if degree > SAMPLED_CUT_DEGREE and wanted * HUB_FACTOR <= degree:
            hub_page = self._hub_page(label, shape, node_id, degree, wanted, q.LinkColumns.FULL)
            rows = (await hub_page)[offset:]
        else:
            rows = await self._links_page(label, shape, node_id, offset, limit + 1)
        items = await self._linked(rows[:limit])
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
    ) -> dict[str, list[Neighbour]]:
        """The first `limit_per_node` links of each node, in three steps whose rows follow
        the answer's size: count each node's links; read all links of the nodes that
        have few, and a top-N page for each hub; then read only the nodes kept.
        Without props, link rows carry only their keys (see `q.LinkColumns`)."""
        result: dict[str, list[Neighbour]] = {node_id: [] for node_id in node_ids}
        shape: q.LinkShape = (direction.value, tuple(rel_types), tuple(labels))
        columns = q.LinkColumns.FULL if with_props else q.LinkColumns.KEYS
        reads = await self._per_label(
            node_ids,
            lambda label, group: self._first_links(label, group, shape, limit_per_node, columns),
        )
        rows = [row for part in reads for row in part]
        for neighbour in await self._linked(rows, columns):
            rel = neighbour.relationship
            result[rel.source if neighbour.direction == "out" else rel.target].append(neighbour)
        return result

    async def _first_links(
        self,
        label: Label,
        ids: list[str],
        shape: q.LinkShape,
        limit: int,
        columns: q.LinkColumns,
        known: dict[str, int] | None = None,
        counted: dict[str, int] | None = None,
    ) -> list[_LinkRow]:
        """Up to `limit` links of each anchor, each anchor's in neighbour-id order, with
        `columns`; the anchors' storage offsets are looked up unless `known`, and their
        link counts are counted unless `counted` (those without links absent).

        Anchors with few links are read together and cut here; a hub (more than
        max(HUB_FACTOR x limit, MIN_HUB_DEGREE) links) gets its own page query."""
        offset_of = (await self._offsets(ids, known)).get(label, {})
        degrees = await self._degrees(label, shape, offset_of) if counted is None else counted
        few = max(limit * HUB_FACTOR, MIN_HUB_DEGREE)
        hubs = [(anchor, degree) for anchor, degree in degrees.items() if degree > few]
        small = [anchor for anchor, degree in degrees.items() if degree <= few]
        pages = await asyncio.gather(
            self._small_links(label, shape, small, offset_of, limit, columns),
            *(self._hub_page(label, shape, hub, degree, limit, columns) for hub, degree in hubs),
        )
        return [row for page in pages for row in page]

    async def _degrees(
        self, label: Label, shape: q.LinkShape, offset_of: dict[str, int]
    ) -> dict[str, int]:
        """How many links each anchor (id -> storage offset) has; those without any are
        absent."""
        rows = await self._read(
            q.link_degrees(label, shape), q.anchor_offsets(list(offset_of.values()))
        )
        id_at = _ids_at(offset_of)
        return {id_at[row["anchor"]]: row["degree"] for row in rows}

    async def _counts(
        self, ids: Sequence[str], shape: q.LinkShape, known: dict[str, int]
    ) -> dict[str, int]:
        """How many links each node has, by id (those without any absent): one
        statement per label, side by side, offsets taken from `known` or looked up."""
        offsets = await self._offsets(ids, known)
        labels = [label for label, group in offsets.items() if group]
        counts = await asyncio.gather(
            *(self._degrees(label, shape, offsets[label]) for label in labels)
        )
        return {node: degree for part in counts for node, degree in part.items()}

    async def _offsets(self, ids: Sequence[str], known: dict[str, int] | None = None) -> _Offsets:
        """The storage offsets of nodes, by label then id (one statement per label, side
        by side). Those in `known` (id -> offset) are not looked up, and those looked
        up are added to it: a network view keeps the offsets of the nodes it has
        found. (Offsets name a node only within its label's table; ids name it alone.)"""
        found: _Offsets = {}
        groups = _label_groups(ids)
        if known is not None:
            for label, group in groups.items():
                found[label] = {i: known[i] for i in group if i in known}
                groups[label] = [i for i in group if i not in known]
        missing = {label: group for label, group in groups.items() if group}
        reads = await asyncio.gather(
            *(self._read(q.node_offsets(label), {"ids": group}) for label, group in missing.items())
        )
        for label, rows in zip(missing, reads, strict=True):
            looked_up = {row["id"]: row["offset"] for row in rows}
            found.setdefault(label, {}).update(looked_up)
            if known is not None:
                known.update(looked_up)
        return found

    async def _links_among(
        self,
        label: Label,
        ids: list[str],
        shape: q.LinkShape,
        limit: int,
        columns: q.LinkColumns,
        among: _Offsets,
        targets: _Offsets,
        whole: frozenset[str] = frozenset(),
        counted: dict[str, int] | None = None,
    ) -> list[_LinkRow]:
        """What `_first_links` gives, kept to the links that lead to `targets` (offsets
        by label and id, some of `among`, which holds the anchors' own too), in the
        same order, give or take links to `among` outside `targets`.

        An anchor with at most `limit` links has all of them among its first `limit`,
        so only its links to `targets` are read, filtered in the store, one statement
        per neighbour label that a stored pair joins to `label`, side by side; one
        with more, or in `whole`, is cut as usual. The anchors' link counts are
        counted unless `counted` gives them (theirs only; those without links
        absent), as for `_first_links`."""
        known = among.get(label, {})
        degrees = (
            await self._degrees(label, shape, {i: known[i] for i in ids if i in known})
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
            and q.linkable(label, (direction, types, (other,)), pairs)
        ]
        reads = [
            self._read_links(
                q.links_to(label, (direction, types, (other,)), columns, pairs),
                q.anchor_offsets(few) | {"others": list(targets[other].values())},
            )
            for other in others
        ]
        if many:
            many_counts = {anchor: degrees[anchor] for anchor in many}
            reads.append(self._first_links(label, many, shape, limit, columns, known, many_counts))
        parts = await asyncio.gather(*reads)
        # Rows of `links_to` name both ends by storage offset; a last part from
        # `_first_links` names them by id, and zip stops before it.
        anchor_at = _ids_at(known)
        for other, part in zip(others, parts, strict=False):
            neighbour_at = _ids_at(targets[other])
            for row in part:
                row[0], row[1] = anchor_at[row[0]], neighbour_at[row[1]]  # q.ANCHOR, NEIGHBOUR
        rows = [row for part in parts for row in part]
        rows.sort(key=_link_order)
        return rows

    async def _small_links(
        self,
        label: Label,
        shape: q.LinkShape,
        anchors: list[str],
        offset_of: dict[str, int],
        limit: int,
        columns: q.LinkColumns,
    ) -> list[_LinkRow]:
        """The first `limit` links of each anchor with few links, read together: by
        storage offset, or for one anchor by primary key (matching anchors by offset
        scans their label's table: one event's links on 100k/1M, 1.07 against 0.59
        ms)."""
        if not anchors:
            return []
        taken = Counter[str]()
        pairs = await self._stored_pairs()
        if len(anchors) == 1:
            statement = q.links_of_one(label, shape, columns, pairs)
            rows = await self._read_links(statement, {"id": anchors[0]})
        else:
            offsets = [offset_of[anchor] for anchor in anchors if anchor in offset_of]
            statement = q.links_of_many(label, shape, columns, pairs)
            rows = await self._read_links(statement, q.anchor_offsets(offsets))
            id_at = _ids_at(offset_of)
            for row in rows:
                row[q.ANCHOR] = id_at[row[q.ANCHOR]]  # read by storage offset
        rows.sort(key=_link_order)
        kept: list[_LinkRow] = []
        for row in rows:
            if taken[row[q.ANCHOR]] < limit:
                taken[row[q.ANCHOR]] += 1
                kept.append(row)
        return kept

    async def _hub_page(
        self,
        label: Label,
        shape: q.LinkShape,
        hub: str,
        degree: int,
        limit: int,
        columns: q.LinkColumns,
    ) -> list[_LinkRow]:
        """A hub's first `limit` links by (neighbour id, type).

        Sorting all of a hub's links is what costs: LadybugDB looks up every
        neighbour's id and sorts them all (48,000 links: ~28 ms for the keys alone,
        ~65 ms with the relationship columns). Above SAMPLED_CUT_DEGREE links, a
        sample of every step-th link (by storage offset, `HUB_SAMPLE` of them) gives
        a neighbour id below which about 1.25 x `limit` links fall; those links are
        read unordered, sorted here and cut. Whenever at least `limit` links fall
        below the bound, the first `limit` of all are among them, so the answer is
        exactly the sorted one; a skewed sample only moves the bound further up the
        sample, and past its end the hub is sorted whole. Only neighbours of labels
        whose ids can fall below the bound are looked up (`_labels_up_to`). Before
        sampling, the bound where the same page ended last time is tried (`hints`):
        on the 100k/1M graph's largest hub that skips the sample and reads 500
        links instead of 783 (the network view ~8 ms faster)."""
        if degree > SAMPLED_CUT_DEGREE:
            key = (label, shape, hub, limit)
            hinted = self._hub_bounds.get(key)
            if hinted is not None:
                rows = await self._links_up_to(label, shape, hub, degree, hinted, columns)
                if len(rows) >= limit:
                    return self._first_below(key, rows, limit)
                self._hub_bounds.drop(key)
            step = degree // HUB_SAMPLE
            sample = await self._read(q.link_sample(label, shape), {"id": hub, "step": step})
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
        shape: q.LinkShape,
        anchor: str,
        offset: int,
        limit: int,
        columns: q.LinkColumns = q.LinkColumns.FULL,
    ) -> list[_LinkRow]:
        """Links `offset` to `offset + limit` of one anchor in `_link_order`, cut in the
        store. A shape read in two directed parts (`q.links_page`) has each part's
        first `offset + limit` links read side by side and merged here."""
        parts = q.links_page(label, shape, columns, await self._stored_pairs())
        if len(parts) == 1:
            page = {"id": anchor, "skip": offset, "limit": limit}
            return await self._read_links(parts[0], page)
        heads = {"id": anchor, "skip": 0, "limit": offset + limit}
        reads = await asyncio.gather(*(self._read_links(part, heads) for part in parts))
        return list(heapq.merge(*reads, key=_link_order))[offset : offset + limit]

    async def _links_up_to(
        self,
        label: Label,
        shape: q.LinkShape,
        hub: str,
        degree: int,
        last: str,
        columns: q.LinkColumns,
    ) -> list[_LinkRow]:
        """A hub's links to neighbours with ids up to `last`, unordered: read from the
        neighbours' side when the hub's `degree` is at least DENSE_HUB_SHARE of the
        nodes it can lead to (`q.links_up_to`)."""
        kept = _labels_up_to(shape, last)
        reachable = await self._label_sizes(kept[2] or tuple(Label))
        dense = degree >= DENSE_HUB_SHARE * reachable
        pairs = await self._stored_pairs()
        statement = q.links_up_to(label, kept, columns, from_neighbours=dense, pairs=pairs)
        return await self._read_links(statement, {"id": hub, "last": last})

    async def _stored_pairs(self) -> frozenset[q.Pair]:
        """The relationship pairs the store holds (`pairs.StoredPairs`)."""
        return await self._pairs.get(self._read)

    async def _label_sizes(self, labels: Sequence[Label]) -> int:
        """How many nodes the labels have, counted once and again after any write
        (`_write_all`). A plan choice rests on it, never an answer."""
        missing = [label for label in labels if label not in self._label_counts]
        counts = await asyncio.gather(*(self._read(q.count_label(lb)) for lb in missing))
        for label, rows in zip(missing, counts, strict=True):
            self._label_counts[label] = int(rows[0]["total"])
        return sum(self._label_counts[label] for label in labels)

    def _first_below(self, key: Hashable, rows: list[_LinkRow], limit: int) -> list[_LinkRow]:
        """The first `limit` of a hub's links read below a bound (at least `limit` of
        them), and the neighbour id of the last one kept as the next page's hint;
        none when the bound let in more than HINT_SLACK pages' worth."""
        rows.sort(key=_link_order)
        if len(rows) > HINT_SLACK * limit:
            self._hub_bounds.drop(key)
        else:
            self._hub_bounds.keep(key, rows[limit - 1][q.NEIGHBOUR])
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
        statement = q.count_links(label, (direction.value, tuple(rel_types), tuple(labels)))
        rows = await self._read(statement, {"id": node_id})
        return int(rows[0]["total"])

    async def count_by_label(self) -> dict[Label, int]:
        return {label: int((await self._read(q.count_label(label)))[0]["total"]) for label in Label}

    async def count_by_type(self) -> dict[RelType, int]:
        return {t: int((await self._read(q.count_type(t)))[0]["total"]) for t in RelType}

    @staticmethod
    def _filters(query: NodeQuery) -> dict[str, Any]:
        return {
            "kinds": list(query.kinds),
            "dateFrom": query.date_from or "",
            "dateTo": query.date_to or "",
            "theme": query.theme or "",
            "place": query.place or "",
            "programme": query.programme or "",
            "partner": query.partner or "",
        }

    async def list_nodes(self, query: NodeQuery, *, offset: int, limit: int) -> Page[Node]:
        if offset and offset >= await self.count_nodes(query):
            # Past the end: answered without its statement (see the module's notes).
            return Page(items=[], offset=offset, has_next=False)
        filters = _set(self._filters(query))
        statement = q.list_nodes(query.label, query.sort.value, query.descending, tuple(filters))
        params = filters | {"offset": offset, "limit": limit + 1}
        nodes = [_node(row) for row in await self._read(statement, params)]
        return Page(items=nodes[:limit], offset=offset, has_next=len(nodes) > limit)

    async def count_nodes(self, query: NodeQuery) -> int:
        filters = _set(self._filters(query))
        rows = await self._read(q.count_nodes(query.label, tuple(filters)), filters)
        return int(rows[0]["total"])

    async def search(
        self, text: str, *, labels: Sequence[Label] = (), offset: int = 0, limit: int = 20
    ) -> Page[SearchHit]:
        _, _, index = self._require()
        hits = await asyncio.to_thread(index.search, text, [lb.value for lb in labels])
        window = hits[offset : offset + limit + 1]
        nodes = await self.get_nodes([node_id for node_id, _, _ in window])
        items = [SearchHit(nodes[i], score) for i, _, score in window if i in nodes]
        return Page(items=items[:limit], offset=offset, has_next=len(items) > limit)

    async def network(
        self,
        seeds: Sequence[str],
        *,
        depth: int = 1,
        rel_types: Sequence[RelType] = (),
        labels: Sequence[Label] = (),
        since: str | None = None,
        until: str | None = None,
        limit: int = 200,
        rel_props: Collection[str] | None = None,
        node_props: Collection[str] | None = None,
    ) -> Network:
        """The shared expansion rules (`traversal.expand`) over link rows (ids and
        relationship columns, at most `limit` per node, hubs cut in the store): nodes
        are read once, only those kept and with `node_props`, and relationships are
        built only for the links kept. Once the node budget is full, the rest of a
        level reads only the links among the chosen nodes, filtered in the store by
        storage offset (`_links_among`; filtering by `b.id IN $list` was slower than
        reading everything, as LadybugDB compares strings row by row), and the
        chosen nodes, known by then, are read alongside (the 100k/1M view 0.95 of
        its time with them read at the end, in alternating runs). One view's reads,
        and what they keep between levels, are a `_NetworkRead`."""
        shape: q.LinkShape = ("both", tuple(rel_types or FACT_TYPES), tuple(labels))
        # A period is checked against the neighbours' dates as well as the links'.
        columns = q.LinkColumns.of(rel_props, dated=bool(since or until), offsets=True)
        view = _NetworkRead(self, seeds, shape, columns, limit, node_props)
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

    async def shortest_paths(
        self, source: str, target: str, *, max_length: int = 4
    ) -> list[GraphPath]:
        source_label, target_label = label_of_id(source), label_of_id(target)
        if source_label is None or target_label is None:
            raise NotFound(f"no node {source if source_label is None else target}")
        if not 1 <= max_length <= 10:
            raise Invalid("maxLength must be between 1 and 10", field="maxLength")
        rows = await self._read(
            q.shortest_paths(source_label, target_label, max_length),
            {"source": source, "target": target, "limit": 20},
        )
        return [_path(row["nodes"], row["rels"]) for row in rows]

    async def timeline(
        self, actor: str, *, date_from: str | None = None, date_to: str | None = None
    ) -> list[TimelineEntry]:
        label = label_of_id(actor)
        if label is None:
            return []
        rows = await self._read(
            q.timeline(label),
            {"id": actor, "dateFrom": date_from or "", "dateTo": date_to or "", "limit": 1000},
        )
        events: list[tuple[Node, Relationship]] = []
        for row in rows:
            event = _node(row["ev"])
            outgoing = row["e"]["_SRC"] == row["aid"]
            source, target = (actor, event.id) if outgoing else (event.id, actor)
            events.append((event, rel_from_row(RelType(row["type"]), source, target, row["e"])))
        partners: dict[str, list[Node]] = defaultdict(list)
        if events:
            for row in await self._read(
                q.TIMELINE_PARTNERS, {"ids": [e.id for e, _ in events], "actor": actor}
            ):
                partners[row["event"]].append(_node(row["x"]))
        return [TimelineEntry(event=e, relationship=r, partners=partners[e.id]) for e, r in events]

    async def stats(
        self,
        *,
        date_from: str | None = None,
        date_to: str | None = None,
        programme: str | None = None,
    ) -> Stats:
        params = _set({"dateFrom": date_from, "dateTo": date_to, "programme": programme})
        active = tuple(params)
        events = [_node(row["ev"]) for row in await self._read(q.stats_events(active), params)]
        actors = await self._read(q.stats_actors(active), params)
        return traversal.summarise(events, [(a["label"], a["kind"]) for a in actors])

    async def all_nodes(self, *, offset: int, limit: int) -> Page[Node]:
        counts = await self.count_by_label()
        return await traversal.page_across(
            [(q.all_nodes(label), counts[label]) for label in Label],
            lambda statement, skip, n: self._read(statement, {"offset": skip, "limit": n}),
            _node,
            offset=offset,
            limit=limit,
        )

    async def all_relationships(self, *, offset: int, limit: int) -> Page[Relationship]:
        counts = await self.count_by_type()
        return await traversal.page_across(
            [(q.all_relationships(t), counts[t]) for t in RelType],
            lambda statement, skip, n: self._read(statement, {"offset": skip, "limit": n}),
            lambda row: rel_from_row(
                RelType(row["e"]["_LABEL"]), row["source"], row["target"], row["e"]
            ),
            offset=offset,
            limit=limit,
        )


def _path(nodes: list[dict[str, Any]], rels: list[dict[str, Any]]) -> GraphPath:
    by_internal = {(n["_ID"]["table"], n["_ID"]["offset"]): n["id"] for n in nodes}
    relationships = [
        rel_from_row(
            RelType(r["_LABEL"]),
            by_internal[(r["_SRC"]["table"], r["_SRC"]["offset"])],
            by_internal[(r["_DST"]["table"], r["_DST"]["offset"])],
            r,
        )
        for r in rels
    ]
    return GraphPath(nodes=[_node(n) for n in nodes], relationships=relationships)


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _translate(error: RuntimeError) -> PeaceGraphError:
    message = _first_line(error)
    if "primary key" in message.lower() or "duplicat" in message.lower():
        from peacegraph.graph.errors import Conflict

        return Conflict(message)
    if (
        "lock" in message.lower()
        or "read-only" in message.lower()
        or "read only" in message.lower()
        or "io exception" in message.lower()
    ):
        return StoreUnavailable(f"the embedded store cannot be written: {message}")
    log.error("embedded store error: %s", message)
    return PeaceGraphError(f"embedded store error: {message}")
