"""The Store protocol: the only way to the data.

Methods speak the domain (get, search, neighbours, network, path, timeline, stats,
upserts, transactions), never "run this Cypher". Every backend implements all of
them and passes the same conformance suite (tests/conformance).
"""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Protocol, TypeVar

from peacegraph.graph.figures import FigureTotal
from peacegraph.graph.model import Label, RelType
from peacegraph.graph.records import Neighbour, Node, Page, Relationship, StoredRecord
from peacegraph.graph.scanning import BATCH, SOURCES

T = TypeVar("T")


class Direction(enum.StrEnum):
    """Which way to follow relationships from an anchor node."""

    OUT = "out"
    IN = "in"
    BOTH = "both"


class SortKey(enum.StrEnum):
    """How lists of nodes are ordered (ties are broken by id)."""

    NAME = "name"
    DATE = "date"
    ID = "id"


@dataclass(frozen=True)
class NodeQuery:
    """Filters for listing nodes of one label; every filter is optional.

    `place` matches nodes held at that place or anywhere WITHIN it, transitively
    (a town's events are in its region and its country); `outside` matches nodes
    with a known place none of which lies within that place; `partner` matches
    nodes directly related to that node; `programme` matches nodes related to that
    programme. `date_from` and `date_to` (partial dates) keep the nodes whose
    interval overlaps the period, by the rule of `graph.periods`.
    """

    label: Label
    kinds: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    place: str | None = None
    outside: str | None = None
    programme: str | None = None
    partner: str | None = None
    theme: str | None = None
    sort: SortKey = SortKey.NAME
    descending: bool = False


@dataclass(frozen=True)
class SearchHit:
    """A node found by search, with its relevance (higher is better)."""

    node: Node
    score: float


@dataclass(frozen=True)
class Network:
    """Nodes and relationships around seed nodes, cut at a limit."""

    nodes: list[Node]
    relationships: list[Relationship]
    truncated: bool


@dataclass(frozen=True)
class Path:
    """A chain of nodes joined by relationships, from one actor to another."""

    nodes: list[Node]
    relationships: list[Relationship]


@dataclass(frozen=True)
class TimelineEntry:
    """An event an actor took part in, with the other actors involved."""

    event: Node
    relationship: Relationship
    partners: list[Node]


@dataclass(frozen=True)
class ReachFigures:
    """People reached by a set of events, summed from what the events state."""

    events: int = 0
    participants: int = 0
    women: int = 0
    youth: int = 0
    disabled: int = 0


@dataclass(frozen=True)
class Stats:
    """Counts by label and kind, and reach, for a period and/or a programme.

    Aggregated in the store: the events themselves are read a page at a time
    (`Store.stats_events`), so stats over a large period stay one small answer."""

    counts_by_label: dict[str, int]
    counts_by_kind: dict[str, int]
    reach: ReachFigures
    #: Each figure as stated, estimated from shares, and missing (`graph.figures`).
    figures: tuple[FigureTotal, ...] = ()


class StoreTransaction(Protocol):
    """Writes inside one transaction: all of them land, or none."""

    async def upsert_nodes(self, nodes: Sequence[Node]) -> int:
        """Create or replace nodes by id; returns how many were written."""
        ...

    async def upsert_relationships(self, relationships: Sequence[Relationship]) -> int:
        """Create or replace relationships by (source, type, target).

        Raises NotFound when an end node does not exist.
        """
        ...

    async def delete_relationships(self, relationships: Sequence[Relationship]) -> int:
        """Remove relationships by (source, type, target); returns how many existed."""
        ...

    async def delete_nodes(self, ids: Sequence[str]) -> int:
        """Remove nodes and their relationships; returns how many existed."""
        ...

    async def get_nodes(self, ids: Sequence[str]) -> dict[str, Node]:
        """The nodes with these ids, as this transaction sees them."""
        ...

    async def all_links(self, node_id: str) -> list[Neighbour]:
        """Every relationship of a node, both ways (for merges and deletions)."""
        ...

    async def put_records(self, records: Sequence[StoredRecord]) -> None:
        """Create or replace bookkeeping records (tokens, audit entries, snapshots)."""
        ...

    async def get_records(self, kind: str, keys: Sequence[str]) -> dict[str, StoredRecord]:
        """Records of one kind by key; unknown keys are absent."""
        ...

    async def delete_records(self, kind: str, keys: Sequence[str]) -> int:
        """Remove records of one kind by key; returns how many existed."""
        ...


class Store(StoreTransaction, Protocol):
    """A graph store. Each write method outside `transaction()` is its own transaction."""

    backend: str

    async def ping(self) -> None:
        """Return when the store answers; raise StoreUnavailable otherwise."""
        ...

    async def degraded(self) -> str | None:
        """Why writes are impaired though the store answers (None when they are not):
        what `/readyz` reports. A store may try to recover here."""
        ...

    async def migrate(self) -> list[str]:
        """Apply pending schema migrations; returns the ones applied (none on a rerun)."""
        ...

    async def close(self) -> None:
        """Release the store; the object is unusable afterwards."""
        ...

    def transaction(self) -> AbstractAsyncContextManager[StoreTransaction]:
        """A write scope: leaving it by an exception rolls every write back.

        Nothing retries it; a write that a concurrent one may upset should use `write`.
        """
        ...

    async def write(self, work: Callable[[StoreTransaction], Awaitable[T]]) -> T:
        """Run `work` in one write transaction and commit it: all its writes or none.

        A store may run `work` again after a transient failure (on Neo4j, a deadlock
        between two writers or a cluster's leader switch), so `work` must be
        repeatable: everything it does goes through the transaction it is given.
        """
        ...

    async def get_nodes(self, ids: Sequence[str]) -> dict[str, Node]:
        """The nodes with these ids, in one round trip; unknown ids are absent."""
        ...

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
        """One page of a node's neighbours, ordered by neighbour id, cut in the store.

        `node_props` names the neighbours' properties the caller will read besides id
        and name (None: all, `sources` included); a backend may leave the others out."""
        ...

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
        """Neighbours of many nodes in one round trip (what DataLoaders call).

        With `with_props=False` the caller needs only each link's ends, type and
        direction (a GraphQL selection that asks for none of the link's data): a
        backend may then leave the relationships' props and sources empty.
        `node_props` as in `neighbours`: a nested query that shows each neighbour's
        id and name should not carry every neighbour's sources across."""
        ...

    async def count_neighbours(
        self,
        node_id: str,
        *,
        direction: Direction = Direction.BOTH,
        rel_types: Sequence[RelType] = (),
        labels: Sequence[Label] = (),
    ) -> int:
        """How many neighbours `neighbours` would page through."""
        ...

    async def count_by_label(self) -> dict[Label, int]:
        """Number of nodes of each label (zero included)."""
        ...

    async def count_by_type(self) -> dict[RelType, int]:
        """Number of relationships of each type (zero included)."""
        ...

    async def list_nodes(self, query: NodeQuery, *, offset: int, limit: int) -> Page[Node]:
        """One page of nodes matching the filters, sorted and cut in the store."""
        ...

    async def count_nodes(self, query: NodeQuery) -> int:
        """How many nodes match the filters."""
        ...

    async def search(
        self, text: str, *, labels: Sequence[Label] = (), offset: int = 0, limit: int = 20
    ) -> Page[SearchHit]:
        """Nodes whose name or alias matches `text`, ignoring accents, case and a typo."""
        ...

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
        """Nodes within `depth` hops of the seeds and the relationships among them.

        `rel_props` names the relationship properties the caller will read (None:
        all, `sources` included); a backend may then leave the others out (both
        do: a drawing needs only `role`, and `sources` costs most). `node_props`
        does the same for the nodes' properties besides id and name (a drawing
        needs their kind and start date; the embedded store reads only those)."""
        ...

    async def shortest_paths(self, source: str, target: str, *, max_length: int = 4) -> list[Path]:
        """The shortest chains between two nodes (all of the shortest length)."""
        ...

    async def timeline(
        self,
        actor: str,
        *,
        date_from: str | None = None,
        date_to: str | None = None,
        partner_props: Collection[str] | None = None,
    ) -> list[TimelineEntry]:
        """Events the actor is related to, in date order, with the other actors (by
        name, then id). `partner_props` names the partners' properties the caller
        will read besides id and name (None: all): a hub's partners are thousands."""
        ...

    async def stats(
        self,
        *,
        date_from: str | None = None,
        date_to: str | None = None,
        programme: str | None = None,
    ) -> Stats:
        """Counts and reach of the events in a period and/or programme."""
        ...

    async def stats_events(
        self,
        *,
        date_from: str | None = None,
        date_to: str | None = None,
        programme: str | None = None,
        offset: int = 0,
        limit: int = 100,
    ) -> Page[Node]:
        """A page of the events `stats` counts, in date order, then id."""
        ...

    async def list_records(
        self, kind: str, *, ref: str = "", actor: str = "", offset: int = 0, limit: int = 50
    ) -> Page[StoredRecord]:
        """Records of one kind, newest first, optionally only those about `ref` or by `actor`."""
        ...

    async def all_relationships(self, *, offset: int, limit: int) -> Page[Relationship]:
        """Every relationship, in a stable order, page by page (for export)."""
        ...

    async def all_nodes(self, *, offset: int, limit: int) -> Page[Node]:
        """Every node, in a stable order, page by page (for export)."""
        ...

    def relationship_batches(
        self, *, sources: int = SOURCES, batch: int = BATCH
    ) -> AsyncIterator[list[Relationship]]:
        """Every relationship once, in no promised order, about `batch` at a time:
        the outgoing links of windows of nodes in id order (`graph.scanning`), so
        memory is bounded by a batch whatever the size of the graph, where
        `all_relationships` sorts per page."""
        ...

    async def bulk_load(
        self,
        nodes: Sequence[Node],
        relationships: Sequence[Relationship],
        progress: Callable[[int], None] | None = None,
    ) -> None:
        """Load many new nodes and relationships by the store's fastest path.

        For empty stores and new ids (synthetic networks, restores): records are
        validated first, relationship ends must exist, nothing is merged into
        existing nodes. `progress` is told how many records each step wrote.
        """
        ...
