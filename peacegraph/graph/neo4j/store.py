"""The Neo4j store: production, through the official async driver.

One `AsyncDriver` per process (opened in the app lifespan), `verify_connectivity()`
at start, reads through `execute_read` (routed to readers on a cluster), writes
through `execute_write` with transaction functions that are safe to retry, and
`database_` always passed. `neo4j://` and `neo4j+s://` URIs route across a cluster
or Aura with no code change. Driver exceptions are translated at this boundary.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import neo4j
from neo4j import AsyncGraphDatabase, AsyncManagedTransaction
from neo4j import exceptions as neo4j_errors

from peacegraph.graph import periods, ranking, scanning, traversal
from peacegraph.graph.bookkeeping import change_stamp, record_from_row, storage_key
from peacegraph.graph.convert import node_from_row, rel_from_row
from peacegraph.graph.errors import Invalid, StoreUnavailable
from peacegraph.graph.model import (
    FACT_TYPES,
    NODE_PROP_NAMES,
    REL_PROP_NAMES,
    Label,
    RelType,
)
from peacegraph.graph.neo4j import bulk
from peacegraph.graph.neo4j import queries as q
from peacegraph.graph.neo4j import rows as neo4j_rows
from peacegraph.graph.neo4j.errors import guarded, reason, rollback_quietly
from peacegraph.graph.neo4j.migrations import MIGRATIONS
from peacegraph.graph.neo4j.transaction import MAX_LINKS, Neo4jTransaction
from peacegraph.graph.records import Neighbour, Node, Page, Relationship, StoredRecord
from peacegraph.graph.scanning import BATCH, SOURCES
from peacegraph.graph.store import (
    Direction,
    Network,
    NodeQuery,
    Path,
    SearchHit,
    Stats,
    StoreTransaction,
    TimelineEntry,
)
from peacegraph.graph.text import fold

log = logging.getLogger(__name__)
T = TypeVar("T")
#: A frontier's links as network expansion reads them: anchor id -> steps, in order.
_Around = dict[str, list[traversal.Step]]
#: How long after a transient failure (a deadlock, a lost connection, a leader switch)
#: the driver may still start a retry. Its first retry comes after about a second
#: and the next after two more, so this allows one retry: enough for a deadlock,
#: while an outage is still reported within 2 s.
RETRY_SECONDS = 0.5
#: How long `migrate` waits for new indexes to come online.
INDEX_WAIT_SECONDS = 300


class Neo4jStore:
    """Neo4j behind the Store protocol."""

    backend = "neo4j"

    def __init__(self, driver: neo4j.AsyncDriver, database: str) -> None:
        self._driver = driver
        self._database = database
        self._bookmarks = AsyncGraphDatabase.bookmark_manager()

    @classmethod
    async def open(
        cls,
        uri: str,
        *,
        username: str,
        password: str,
        database: str,
        timeout: float = 10.0,
        verify: bool = True,
    ) -> Neo4jStore:
        """A store on one driver; with `verify` (always, in the app) the server must answer.

        `verify=False` gives a store whose server may be away, as it is after a
        fail-over at run time: calls then fail with StoreUnavailable.
        """
        # The driver's own retries (for a cluster's fail-over) and connection waits
        # must end well within `timeout`, the request limit, so an unreachable server
        # is reported as STORE_UNAVAILABLE rather than cut as a request time-out.
        try:
            driver = AsyncGraphDatabase.driver(
                uri,
                auth=(username, password),
                connection_timeout=timeout / 4,
                connection_acquisition_timeout=timeout / 2,
                max_transaction_retry_time=min(timeout / 2, RETRY_SECONDS),
                # Statements are checked by the Cypher linter in CI; the server's
                # notifications (an unused label, say) would only be logged per call.
                notifications_min_severity="OFF",
            )
        except (ValueError, neo4j_errors.ConfigurationError) as error:
            raise StoreUnavailable(f"NEO4J_URI {uri!r} is not usable: {error}") from None
        store = cls(driver, database)
        if not verify:
            return store
        try:
            await asyncio.wait_for(driver.verify_connectivity(), timeout)
        except neo4j_errors.AuthError:
            await driver.close()
            raise StoreUnavailable(
                f"Neo4j at {uri} refused the credentials: check NEO4J_USERNAME and NEO4J_PASSWORD"
            ) from None
        except (Exception, TimeoutError) as error:  # noqa: BLE001 - every failure means "unreachable"
            await driver.close()
            raise StoreUnavailable(
                f"cannot reach Neo4j at {uri} ({reason(error).rstrip(':')}): "
                "check NEO4J_URI and that the server is running"
            ) from None
        return store

    # -- plumbing ---------------------------------------------------------------------

    @property
    def bookmark_manager(self) -> neo4j.api.AsyncBookmarkManager:
        """The bookmarks every session of this store shares: a read that follows a
        write, even on another member of a cluster, sees that write."""
        return self._bookmarks

    def _session(self, access: str) -> neo4j.AsyncSession:
        return self._driver.session(
            database=self._database, default_access_mode=access, bookmark_manager=self._bookmarks
        )

    async def _read(self, statement: str, **parameters: Any) -> list[dict[str, Any]]:
        async def work(tx: AsyncManagedTransaction) -> list[dict[str, Any]]:
            result = await tx.run(statement, parameters)
            return [record.data() async for record in result]

        async def call() -> list[dict[str, Any]]:
            async with self._session(neo4j.READ_ACCESS) as session:
                return await session.execute_read(work)

        return await guarded(call())

    async def write(self, work: Callable[[StoreTransaction], Awaitable[T]]) -> T:
        """Run `work` in one managed write transaction; the driver runs it again on a
        transient failure (a deadlock, a leader switch), so `work` must be repeatable."""

        async def run(tx: AsyncManagedTransaction) -> T:
            writes = Neo4jTransaction(tx, translate=False)
            result = await work(writes)
            await writes.put_records([change_stamp()])
            return result

        async def call() -> T:
            async with self._session(neo4j.WRITE_ACCESS) as session:
                return await session.execute_write(run)

        return await guarded(call())

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[StoreTransaction]:
        """An explicit transaction (not retried: prefer `write`). Its begin and commit
        are guarded like every call, so an outage is STORE_UNAVAILABLE here too."""
        async with self._session(neo4j.WRITE_ACCESS) as session:
            tx = await guarded(session.begin_transaction())
            writes = Neo4jTransaction(tx, translate=True)
            try:
                yield writes
                await writes.put_records([change_stamp()])
            except BaseException:
                await rollback_quietly(tx)
                raise
            await guarded(tx.commit())

    # -- lifecycle ----------------------------------------------------------------------

    async def ping(self) -> None:
        await self._read(q.PING)

    async def degraded(self) -> str | None:
        """Never: a write the server could not make durable is not committed."""
        return None

    async def migrate(self) -> list[str]:
        async def apply(statement: str, **parameters: Any) -> None:
            async def run(tx: AsyncManagedTransaction) -> None:
                await (await tx.run(statement, parameters)).consume()

            async def call() -> None:
                async with self._session(neo4j.WRITE_ACCESS) as session:
                    await session.execute_write(run)

            await guarded(call())

        await apply(q.MIGRATION_CONSTRAINT)
        done = {row["version"] for row in await self._read(q.APPLIED_MIGRATIONS)}
        applied: list[str] = []
        for migration in MIGRATIONS:
            if migration.version in done:
                continue
            for statement in migration.statements:
                await apply(statement)
            await apply(
                q.RECORD_MIGRATION,
                version=migration.version,
                description=migration.description,
                appliedAt=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            )
            applied.append(f"{migration.version:03d} {migration.description}")
        # New indexes are populated in the background: wait, so that the first
        # search or lookup after a migration is neither empty nor a label scan.
        await self._await_indexes()
        return applied

    async def _await_indexes(self) -> None:
        async with self._session(neo4j.WRITE_ACCESS) as session:
            await guarded(_consume(session.run(q.AWAIT_INDEXES, seconds=INDEX_WAIT_SECONDS)))

    async def close(self) -> None:
        await self._driver.close()

    # -- writes ---------------------------------------------------------------------

    async def upsert_nodes(self, nodes: Sequence[Node]) -> int:
        return await self.write(lambda tx: tx.upsert_nodes(nodes))

    async def upsert_relationships(self, relationships: Sequence[Relationship]) -> int:
        return await self.write(lambda tx: tx.upsert_relationships(relationships))

    async def delete_relationships(self, relationships: Sequence[Relationship]) -> int:
        return await self.write(lambda tx: tx.delete_relationships(relationships))

    async def delete_nodes(self, ids: Sequence[str]) -> int:
        return await self.write(lambda tx: tx.delete_nodes(ids))

    async def bulk_load(
        self,
        nodes: Sequence[Node],
        relationships: Sequence[Relationship],
        progress: Callable[[int], None] | None = None,
    ) -> None:
        await bulk.bulk_load(self, nodes, relationships, progress)

    async def put_records(self, records: Sequence[StoredRecord]) -> None:
        await self.write(lambda tx: tx.put_records(records))

    async def delete_records(self, kind: str, keys: Sequence[str]) -> int:
        return await self.write(lambda tx: tx.delete_records(kind, keys))

    # -- reads ------------------------------------------------------------------------

    async def all_links(self, node_id: str) -> list[Neighbour]:
        rows = await self._read(q.ALL_LINKS, id=node_id, limit=MAX_LINKS)
        return [neo4j_rows.neighbour(row) for row in rows]

    async def get_records(self, kind: str, keys: Sequence[str]) -> dict[str, StoredRecord]:
        rows = await self._read(q.GET_RECORDS, keys=[storage_key(kind, k) for k in keys])
        records = [record_from_row(dict(row["x"])) for row in rows]
        return {r.key: r for r in records if r.kind == kind}

    async def list_records(
        self, kind: str, *, ref: str = "", actor: str = "", offset: int = 0, limit: int = 50
    ) -> Page[StoredRecord]:
        rows = await self._read(
            q.LIST_RECORDS, kind=kind, ref=ref, actor=actor, offset=offset, limit=limit + 1
        )
        records = [record_from_row(dict(row["x"])) for row in rows]
        return Page(items=records[:limit], offset=offset, has_next=len(records) > limit)

    async def get_nodes(self, ids: Sequence[str]) -> dict[str, Node]:
        rows = await self._read(q.GET_NODES, ids=list(ids))
        nodes = [neo4j_rows.node(row["n"], row["labels"]) for row in rows]
        return {node.id: node for node in nodes}

    async def _nodes_shown(
        self, ids: Sequence[str], props: Collection[str] | None
    ) -> dict[str, Node]:
        """Nodes by id with id, name and `props` only (every property when None)."""
        if props is None:
            return await self.get_nodes(ids)
        names = sorted(set(props) & NODE_PROP_NAMES)
        rows = await self._read(q.GET_NODES_SHOWN, ids=list(ids), props=names)
        nodes = [
            node_from_row(
                neo4j_rows.label_of(row["labels"]),
                {"id": row["id"], "name": row["name"], **dict(row["props"])},
            )
            for row in rows
        ]
        return {node.id: node for node in nodes}

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
        statement = q.neighbours(
            direction.value,
            neo4j_rows.types_in_order(rel_types),
            neo4j_rows.labels_in_order(labels),
            node_props is not None,
        )
        rows = await self._read(
            statement,
            id=node_id,
            nodeProps=neo4j_rows.shown_props(node_props),
            offset=offset,
            limit=limit + 1,
        )
        items = [neo4j_rows.neighbour(row) for row in rows]
        total = int(rows[0]["total"]) if rows else None
        return Page(items=items[:limit], offset=offset, has_next=len(items) > limit, total=total)

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
        statement = q.neighbours_of_many(
            direction.value,
            neo4j_rows.types_in_order(rel_types),
            neo4j_rows.labels_in_order(labels),
            node_props is not None,
            with_props,
        )
        rows = await self._read(
            statement,
            ids=list(node_ids),
            nodeProps=neo4j_rows.shown_props(node_props),
            limitPerNode=limit_per_node,
        )
        result: dict[str, list[Neighbour]] = {node_id: [] for node_id in node_ids}
        for row in rows:
            result[row["anchor"]].append(neo4j_rows.neighbour(row))
        return result

    async def count_neighbours(
        self,
        node_id: str,
        *,
        direction: Direction = Direction.BOTH,
        rel_types: Sequence[RelType] = (),
        labels: Sequence[Label] = (),
    ) -> int:
        rows = await self._read(
            q.COUNT_NEIGHBOURS[direction.value],
            id=node_id,
            types=[t.value for t in rel_types],
            labels=[lb.value for lb in labels],
        )
        return int(rows[0]["total"])

    async def count_by_label(self) -> dict[Label, int]:
        return {label: int((await self._read(q.COUNT_LABEL[label]))[0]["total"]) for label in Label}

    async def count_by_type(self) -> dict[RelType, int]:
        return {t: int((await self._read(q.COUNT_TYPE[t]))[0]["total"]) for t in RelType}

    @staticmethod
    def _filters(query: NodeQuery) -> dict[str, Any]:
        """The list filters in use, by parameter name (LIST_FILTERS)."""
        given: dict[str, Any] = {
            "kinds": list(query.kinds),
            **periods.parameters(query.date_from, query.date_to),
            "theme": query.theme,
            "place": query.place,
            "outside": query.outside,
            "programme": query.programme,
            "partner": query.partner,
        }
        return {name: value for name, value in given.items() if value}

    async def list_nodes(self, query: NodeQuery, *, offset: int, limit: int) -> Page[Node]:
        filters = self._filters(query)
        statement = q.list_nodes(
            query.label, frozenset(filters), query.sort.value, query.descending
        )
        rows = await self._read(statement, **filters, offset=offset, limit=limit + 1)
        nodes = [node_from_row(query.label, dict(row["n"])) for row in rows]
        return Page(items=nodes[:limit], offset=offset, has_next=len(nodes) > limit)

    async def count_nodes(self, query: NodeQuery) -> int:
        filters = self._filters(query)
        rows = await self._read(q.count_nodes(query.label, frozenset(filters)), **filters)
        return int(rows[0]["total"])

    async def search(
        self, text: str, *, labels: Sequence[Label] = (), offset: int = 0, limit: int = 20
    ) -> Page[SearchHit]:
        query = fold(text)
        if not query:
            return Page(items=[], offset=offset, has_next=False)
        candidates = await self._read(
            q.SEARCH_CANDIDATES,
            grams=ranking.trigrams(query) or [query],
            labels=[lb.value for lb in labels],
            limit=ranking.MAX_CANDIDATES,
        )
        ranked = ranking.rank(
            query, ((row["id"], row["label"], row["keys"] or "") for row in candidates)
        )
        window = ranked[offset : offset + limit + 1]
        nodes = await self.get_nodes([node_id for node_id, _, _ in window])
        hits = [SearchHit(nodes[i], score) for i, _, score in window if i in nodes]
        return Page(items=hits[:limit], offset=offset, has_next=len(hits) > limit)

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
        """The shared expansion rules (`traversal.expand`) over link rows: ids, dates and
        the relationship properties in `rel_props` (all when None), never whole nodes.
        Once the node budget is full, the rest of a level reads only the links among
        the chosen nodes, filtered in Neo4j. Nodes are read once, at the end, with id,
        name and `node_props` only (whole when None)."""
        chosen = None if rel_props is None else sorted(set(rel_props) & REL_PROP_NAMES)
        options = {
            "types": [t.value for t in rel_types or FACT_TYPES],
            "labels": [lb.value for lb in labels],
            "limitPerNode": limit,
            "relProps": chosen,
        }

        async def read(statement: str, frontier: list[str], **extra: Any) -> _Around:
            rows = await self._read(statement, ids=frontier, **options, **extra)
            # each anchor's link order: neighbour, type, outgoing first
            rows.sort(key=lambda row: (row["bid"], row["type"], not row["outgoing"]))
            around: _Around = {node_id: [] for node_id in frontier}
            for row in rows:
                around[row["anchor"]].append(neo4j_rows.network_step(row))
            return around

        async def links(frontier: list[str]) -> _Around:
            return await read(q.NETWORK_LINKS, frontier)

        async def links_among(frontier: list[str], among: frozenset[str]) -> _Around:
            return await read(q.NETWORK_LINKS_AMONG, frontier, among=sorted(among))

        return await traversal.network_around(
            seeds,
            nodes=lambda ids: self._nodes_shown(ids, node_props),
            depth=depth,
            since=since,
            until=until,
            limit=limit,
            links=links,
            links_among=links_among,
        )

    async def shortest_paths(self, source: str, target: str, *, max_length: int = 4) -> list[Path]:
        if not 1 <= max_length <= q.MAX_PATH_LENGTH:
            raise Invalid(f"maxLength must be between 1 and {q.MAX_PATH_LENGTH}", field="maxLength")
        rows = await self._read(
            q.SHORTEST_PATHS[max_length], source=source, target=target, limit=20
        )
        return traversal.paths_in_order(
            [
                Path(
                    nodes=[neo4j_rows.node(n["node"], n["labels"]) for n in row["nodes"]],
                    relationships=[
                        rel_from_row(RelType(r["type"]), r["source"], r["target"], dict(r["rel"]))
                        for r in row["rels"]
                    ],
                )
                for row in rows
            ]
        )

    async def timeline(
        self,
        actor: str,
        *,
        date_from: str | None = None,
        date_to: str | None = None,
        partner_props: Collection[str] | None = None,
    ) -> list[TimelineEntry]:
        rows = await self._read(
            q.TIMELINE,
            id=actor,
            **periods.parameters(date_from, date_to),
            partnerProps=None if partner_props is None else neo4j_rows.shown_props(partner_props),
            limit=1000,
        )
        entries: list[TimelineEntry] = []
        for row in rows:
            event = neo4j_rows.node(row["ev"], row["labels"])
            source, target = (actor, event.id) if row["outgoing"] else (event.id, actor)
            partners = [
                neo4j_rows.shown(x["labels"], x["id"], x["name"], x["props"])
                for x in row["partners"]
            ]
            rel = rel_from_row(RelType(row["type"]), source, target, dict(row["e"]))
            entries.append(TimelineEntry(event=event, relationship=rel, partners=partners))
        return entries

    async def stats(
        self,
        *,
        date_from: str | None = None,
        date_to: str | None = None,
        programme: str | None = None,
    ) -> Stats:
        params = {**periods.parameters(date_from, date_to), "programme": programme or ""}
        kinds = await self._read(q.STATS_FIGURES, **params)
        actors = await self._read(q.STATS_ACTORS, **params)
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
        params = {**periods.parameters(date_from, date_to), "programme": programme or ""}
        rows = await self._read(q.STATS_EVENTS, **params, offset=offset, limit=limit + 1)
        items = [neo4j_rows.node(row["ev"], row["labels"]) for row in rows[:limit]]
        return Page(items=items, offset=offset, has_next=len(rows) > limit)

    async def all_nodes(self, *, offset: int, limit: int) -> Page[Node]:
        counts = await self.count_by_label()
        segments = [(q.ALL_NODES[label], counts[label]) for label in Label]
        labels = {q.ALL_NODES[label]: label for label in Label}

        async def fetch(statement: str, skip: int, n: int) -> list[dict[str, Any]]:
            rows = await self._read(statement, offset=skip, limit=n)
            return [{"label": labels[statement], "n": row["n"]} for row in rows]

        return await traversal.page_across(
            segments,
            fetch,
            lambda row: node_from_row(row["label"], dict(row["n"])),
            offset=offset,
            limit=limit,
        )

    def relationship_batches(
        self, *, sources: int = SOURCES, batch: int = BATCH
    ) -> AsyncIterator[list[Relationship]]:
        return scanning.relationship_batches(
            lambda after, n: self._read(q.OUT_DEGREES, after=after, sources=n),
            lambda after, last: self._read(q.LINKS_FROM_RANGE, after=after, last=last),
            lambda row: rel_from_row(
                RelType(row["type"]), row["source"], row["target"], dict(row["e"])
            ),
            sources,
            batch,
        )

    async def all_relationships(self, *, offset: int, limit: int) -> Page[Relationship]:
        counts = await self.count_by_type()
        types = {q.ALL_RELATIONSHIPS[t]: t for t in RelType}

        async def fetch(statement: str, skip: int, n: int) -> list[dict[str, Any]]:
            rows = await self._read(statement, offset=skip, limit=n)
            return [row | {"type": types[statement]} for row in rows]

        return await traversal.page_across(
            [(q.ALL_RELATIONSHIPS[t], counts[t]) for t in RelType],
            fetch,
            lambda row: rel_from_row(row["type"], row["source"], row["target"], dict(row["e"])),
            offset=offset,
            limit=limit,
        )


async def _consume(result: Awaitable[neo4j.AsyncResult]) -> None:
    await (await result).consume()
