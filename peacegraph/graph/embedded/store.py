"""The embedded store: LadybugDB in a data directory, the zero-setup default.

`EmbeddedStore` puts the Store protocol together from modules with one job each:
`connection` (opening LadybugDB, running statements, its errors), `transaction`
(the writes of one transaction), `links` (link reads), `network` (network views),
`bulk` (bulk loads), `search_index` (search, in SQLite FTS5 beside the graph) and
`queries` (the statements).

An ordered `SKIP` some thousands of rows past the last one ends the whole process
with a segmentation fault (LadybugDB 0.22), and offsets come from cursors anyone can
write: paged statements run only with offsets inside what exists, counted first
(`list_nodes`, `list_records`, `neighbours`) or per counted segment
(`traversal.page_across`); a page past the end is answered empty.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

from peacegraph.graph import notices, periods, scanning, traversal
from peacegraph.graph.bookkeeping import record_from_row, storage_key
from peacegraph.graph.convert import node_row, rel_from_row
from peacegraph.graph.embedded import bulk
from peacegraph.graph.embedded import network as views
from peacegraph.graph.embedded import queries as q
from peacegraph.graph.embedded.connection import DEFAULT_BUFFER_POOL, Connections
from peacegraph.graph.embedded.links import LinkReader
from peacegraph.graph.embedded.migrations import MIGRATIONS
from peacegraph.graph.embedded.rows import MAX_LINKS, node, path
from peacegraph.graph.embedded.search_index import SearchIndex
from peacegraph.graph.embedded.transaction import Transaction
from peacegraph.graph.errors import Invalid, NotFound, StoreUnavailable
from peacegraph.graph.model import Label, RelType, label_of_id
from peacegraph.graph.records import Neighbour, Node, Page, Relationship, StoredRecord
from peacegraph.graph.scanning import BATCH, SOURCES
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

T = TypeVar("T")

log = logging.getLogger(__name__)

#: What a client is told when its write committed but the checkpoint after it failed.
CHECKPOINT_WARNING = (
    "the write is stored, but the store could not checkpoint it into its data files; "
    "it is kept in the write-ahead log until a checkpoint succeeds (see the server log)"
)


def _set(filters: dict[str, Any]) -> dict[str, Any]:
    """The filters a query actually sets (only those go into its statement)."""
    return {name: value for name, value in filters.items() if value}


def _filters(query: NodeQuery) -> dict[str, Any]:
    return {
        "kinds": list(query.kinds),
        **periods.parameters(query.date_from, query.date_to),
        "theme": query.theme or "",
        "place": query.place or "",
        "outside": query.outside or "",
        "programme": query.programme or "",
        "partner": query.partner or "",
    }


class EmbeddedStore:
    """LadybugDB behind the Store protocol."""

    backend = "embedded"

    def __init__(self, directory: Path, *, buffer_pool_bytes: int = DEFAULT_BUFFER_POOL) -> None:
        self.directory = directory
        self._buffer_pool_bytes = buffer_pool_bytes
        self._connections: Connections | None = None
        self._links: LinkReader | None = None
        self._index: SearchIndex | None = None
        self._write_lock = asyncio.Lock()

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
        except OSError as error:
            raise StoreUnavailable(
                f"cannot open the embedded store in {self.directory}: {error}"
            ) from None
        connections = Connections.open(self.directory / "graph.lbug", self._buffer_pool_bytes)
        try:
            self._index = SearchIndex(self.directory / "search.sqlite")
        except OSError as error:
            connections.close()
            raise StoreUnavailable(
                f"cannot open the embedded store in {self.directory}: {error}"
            ) from None
        self._connections = connections
        self._links = LinkReader(connections)

    # -- plumbing ---------------------------------------------------------------------

    @property
    def connections(self) -> Connections:
        """The store's connections to LadybugDB (raises when the store is closed)."""
        if self._connections is None:
            raise StoreUnavailable("the embedded store is closed")
        return self._connections

    @property
    def links(self) -> LinkReader:
        """The store's link reads (raises when the store is closed)."""
        if self._links is None:
            raise StoreUnavailable("the embedded store is closed")
        return self._links

    def _search_index(self) -> SearchIndex:
        if self._index is None:
            raise StoreUnavailable("the embedded store is closed")
        return self._index

    async def _read(
        self, statement: str, parameters: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        return await self.connections.read(statement, parameters)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[StoreTransaction]:
        connections = self.connections
        async with self._write_lock:
            writes = Transaction(connections, self.links.pairs, self.get_nodes)
            try:
                yield writes
                await writes.commit()
            except BaseException:
                if writes.begun:
                    await connections.rollback()
                raise
            finally:
                await connections.between_transactions()
            self._update_index(writes)
            if connections.checkpoint_failure is not None:
                notices.warn(CHECKPOINT_WARNING)

    async def write(self, work: Callable[[StoreTransaction], Awaitable[T]]) -> T:
        """`work` in one transaction; writes here are serialised, so nothing to retry."""
        async with self.transaction() as tx:
            return await work(tx)

    def _update_index(self, writes: Transaction) -> None:
        index = self._search_index()
        try:
            index.replace(writes.indexed.values(), writes.unindexed)
        except Exception:
            log.exception("search index update failed; it will be rebuilt at next open")
            index.clear()

    # -- lifecycle ----------------------------------------------------------------------

    async def ping(self) -> None:
        await self._read(q.PING)

    async def degraded(self) -> str | None:
        """Why writes are impaired: a checkpoint after a commit failed and has not
        succeeded since (it is tried again here)."""
        connections = self.connections
        if connections.checkpoint_failure is None:
            return None
        async with self._write_lock:
            await connections.checkpoint()
        failure = connections.checkpoint_failure
        return None if failure is None else f"{CHECKPOINT_WARNING} ({failure})"

    async def migrate(self) -> list[str]:
        connections = self.connections
        async with self._write_lock:
            await connections.write(q.MIGRATION_TABLE, {})
            done = {row["version"] for row in await self._read(q.APPLIED_MIGRATIONS)}
            applied: list[str] = []
            for migration in MIGRATIONS:
                if migration.version in done:
                    continue
                for statement in migration.statements:
                    await connections.write(statement, {})
                await connections.write(
                    q.RECORD_MIGRATION,
                    {
                        "version": migration.version,
                        "description": migration.description,
                        "appliedAt": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    },
                )
                applied.append(f"{migration.version:03d} {migration.description}")
            if applied:
                self.links.forget_pairs()
        await self._ensure_index()
        return applied

    async def _ensure_index(self) -> None:
        """Rebuild the search index when it does not hold every node."""
        index = self._search_index()
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
        connections, index = self._connections, self._index
        self._connections = self._links = self._index = None
        if index is not None:
            index.close()
        if connections is not None:
            connections.close()

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
        return await self.links.nodes(ids)

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
        return await self.links.neighbours(
            node_id,
            direction=direction,
            rel_types=rel_types,
            labels=labels,
            offset=offset,
            limit=limit,
            node_props=node_props,
        )

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
        return await self.links.neighbours_of_many(
            node_ids,
            direction=direction,
            rel_types=rel_types,
            labels=labels,
            limit_per_node=limit_per_node,
            with_props=with_props,
            node_props=node_props,
        )

    async def count_neighbours(
        self,
        node_id: str,
        *,
        direction: Direction = Direction.BOTH,
        rel_types: Sequence[RelType] = (),
        labels: Sequence[Label] = (),
    ) -> int:
        return await self.links.count_neighbours(
            node_id, direction=direction, rel_types=rel_types, labels=labels
        )

    async def count_by_label(self) -> dict[Label, int]:
        return {label: int((await self._read(q.count_label(label)))[0]["total"]) for label in Label}

    async def count_by_type(self) -> dict[RelType, int]:
        return {t: int((await self._read(q.count_type(t)))[0]["total"]) for t in RelType}

    async def list_nodes(self, query: NodeQuery, *, offset: int, limit: int) -> Page[Node]:
        if offset and offset >= await self.count_nodes(query):
            # Past the end: answered without its statement (see the module's notes).
            return Page(items=[], offset=offset, has_next=False)
        filters = _set(_filters(query))
        statement = q.list_nodes(query.label, query.sort.value, query.descending, tuple(filters))
        params = filters | {"offset": offset, "limit": limit + 1}
        nodes = [node(row) for row in await self._read(statement, params)]
        return Page(items=nodes[:limit], offset=offset, has_next=len(nodes) > limit)

    async def count_nodes(self, query: NodeQuery) -> int:
        filters = _set(_filters(query))
        rows = await self._read(q.count_nodes(query.label, tuple(filters)), filters)
        return int(rows[0]["total"])

    async def search(
        self, text: str, *, labels: Sequence[Label] = (), offset: int = 0, limit: int = 20
    ) -> Page[SearchHit]:
        index = self._search_index()
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
        return await views.network(
            self.links,
            seeds,
            depth=depth,
            rel_types=rel_types,
            labels=labels,
            since=since,
            until=until,
            limit=limit,
            rel_props=rel_props,
            node_props=node_props,
        )

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
        return traversal.paths_in_order([path(row["nodes"], row["rels"]) for row in rows])

    async def timeline(
        self,
        actor: str,
        *,
        date_from: str | None = None,
        date_to: str | None = None,
        partner_props: Collection[str] | None = None,
    ) -> list[TimelineEntry]:
        # Partners whole whatever `partner_props` says: an actor's thousands of
        # partners are no cost to speak of for LadybugDB (bench/hub.py measures Neo4j).
        label = label_of_id(actor)
        if label is None:
            return []
        rows = await self._read(
            q.timeline(label),
            {"id": actor, **periods.parameters(date_from, date_to), "limit": 1000},
        )
        events: list[tuple[Node, Relationship]] = []
        for row in rows:
            event = node(row["ev"])
            outgoing = row["e"]["_SRC"] == row["aid"]
            source, target = (actor, event.id) if outgoing else (event.id, actor)
            events.append((event, rel_from_row(RelType(row["type"]), source, target, row["e"])))
        partners: dict[str, list[Node]] = defaultdict(list)
        if events:
            for row in await self._read(
                q.TIMELINE_PARTNERS, {"ids": [e.id for e, _ in events], "actor": actor}
            ):
                partners[row["event"]].append(node(row["x"]))
        return [TimelineEntry(event=e, relationship=r, partners=partners[e.id]) for e, r in events]

    async def stats(
        self,
        *,
        date_from: str | None = None,
        date_to: str | None = None,
        programme: str | None = None,
    ) -> Stats:
        params = _set({**periods.parameters(date_from, date_to), "programme": programme})
        active = tuple(params)
        kinds = await self._read(q.stats_figures(active), params)
        actors = await self._read(q.stats_actors(active), params)
        return traversal.summarise(kinds, actors)

    async def stats_events(
        self,
        *,
        date_from: str | None = None,
        date_to: str | None = None,
        programme: str | None = None,
        offset: int = 0,
        limit: int = 100,
    ) -> Page[Node]:
        params = _set({**periods.parameters(date_from, date_to), "programme": programme})
        statement = q.stats_events(tuple(params))
        rows = await self._read(statement, {**params, "offset": offset, "limit": limit + 1})
        items = [node(row["ev"]) for row in rows[:limit]]
        return Page(items=items, offset=offset, has_next=len(rows) > limit)

    async def all_nodes(self, *, offset: int, limit: int) -> Page[Node]:
        counts = await self.count_by_label()
        return await traversal.page_across(
            [(q.all_nodes(label), counts[label]) for label in Label],
            lambda statement, skip, n: self._read(statement, {"offset": skip, "limit": n}),
            node,
            offset=offset,
            limit=limit,
        )

    def relationship_batches(
        self, *, sources: int = SOURCES, batch: int = BATCH
    ) -> AsyncIterator[list[Relationship]]:
        return scanning.relationship_batches(
            lambda after, n: self._read(q.OUT_DEGREES, {"after": after, "sources": n}),
            lambda after, last: self._read(q.LINKS_FROM_RANGE, {"after": after, "last": last}),
            lambda row: rel_from_row(
                RelType(row["type"]), row["source"], row["target"], row, prefix="r_"
            ),
            sources,
            batch,
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
