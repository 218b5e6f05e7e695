"""The writes of one Neo4j transaction, behind the StoreTransaction protocol."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import neo4j

from peacegraph.graph import validation
from peacegraph.graph.bookkeeping import record_from_row, record_row, storage_key
from peacegraph.graph.errors import NotFound
from peacegraph.graph.model import Label, RelType
from peacegraph.graph.neo4j import queries as q
from peacegraph.graph.neo4j import rows
from peacegraph.graph.neo4j.errors import guarded
from peacegraph.graph.records import Neighbour, Node, Relationship, StoredRecord

#: The most links a merge or a deletion moves for one node.
MAX_LINKS = 100_000


class Neo4jTransaction:
    """Writes inside one driver transaction.

    In a managed transaction function (`execute_write`), driver errors must reach the
    driver untranslated so that it can retry: `translate=False`. In an explicit
    transaction nothing retries, and the caller expects PeaceGraph errors.
    """

    def __init__(
        self, tx: neo4j.AsyncManagedTransaction | neo4j.AsyncTransaction, *, translate: bool
    ) -> None:
        self._tx = tx
        self._translate = translate

    async def run(self, statement: str, **parameters: Any) -> list[dict[str, Any]]:
        """Every row of `statement`, as plain dicts."""

        async def work() -> list[dict[str, Any]]:
            result = await self._tx.run(statement, parameters)
            return [record.data() async for record in result]

        return await guarded(work()) if self._translate else await work()

    async def upsert_nodes(self, nodes: Sequence[Node]) -> int:
        validation.check_nodes(nodes)
        by_label: dict[Label, list[dict[str, Any]]] = defaultdict(list)
        for node in nodes:
            by_label[node.label].append(rows.node_params(node))
        for label, params in by_label.items():
            await self.run(q.UPSERT_NODES[label], rows=params)
        return len(nodes)

    async def upsert_relationships(self, relationships: Sequence[Relationship]) -> int:
        validation.check_relationships(relationships)
        by_type: dict[RelType, list[dict[str, Any]]] = defaultdict(list)
        for rel in relationships:
            by_type[rel.type].append(rows.rel_params(rel))
        for rel_type, params in by_type.items():
            written = await self.run(q.UPSERT_RELATIONSHIPS[rel_type], rows=params)
            if written[0]["written"] != len(params):
                ids = sorted({r["s"] for r in params} | {r["d"] for r in params})
                found = await self.run(q.GET_NODES, ids=ids)
                missing = sorted(set(ids) - {row["n"]["id"] for row in found})
                raise NotFound(f"relationship end not found: {', '.join(missing)}")
        return len(relationships)

    async def delete_relationships(self, relationships: Sequence[Relationship]) -> int:
        by_type: dict[RelType, list[dict[str, Any]]] = defaultdict(list)
        for rel in relationships:
            by_type[rel.type].append({"s": rel.source, "d": rel.target})
        deleted = 0
        for rel_type, params in by_type.items():
            result = await self.run(q.DELETE_RELATIONSHIPS[rel_type], rows=params)
            deleted += int(result[0]["deleted"])
        return deleted

    async def delete_nodes(self, ids: Sequence[str]) -> int:
        result = await self.run(q.DELETE_NODES, ids=list(ids))
        return int(result[0]["deleted"])

    async def get_nodes(self, ids: Sequence[str]) -> dict[str, Node]:
        """The nodes by id, each id locked until this transaction ends, whether its node
        exists or not: a read-check-write (the version rule, a natural-key upsert)
        cannot interleave with another transaction's on the same id."""
        found = await self.run(q.GET_NODES_FOR_UPDATE, ids=sorted(set(ids)))
        nodes = [rows.node(row["n"], row["labels"]) for row in found]
        return {node.id: node for node in nodes}

    async def all_links(self, node_id: str) -> list[Neighbour]:
        found = await self.run(q.ALL_LINKS, id=node_id, limit=MAX_LINKS)
        return [rows.neighbour(row) for row in found]

    async def put_records(self, records: Sequence[StoredRecord]) -> None:
        if records:
            await self.run(q.PUT_RECORDS, rows=[record_row(r) for r in records])

    async def get_records(self, kind: str, keys: Sequence[str]) -> dict[str, StoredRecord]:
        found = await self.run(q.GET_RECORDS, keys=[storage_key(kind, k) for k in keys])
        records = [record_from_row(dict(row["x"])) for row in found]
        return {r.key: r for r in records if r.kind == kind}

    async def delete_records(self, kind: str, keys: Sequence[str]) -> int:
        found = await self.run(q.DELETE_RECORDS, keys=[storage_key(kind, k) for k in keys])
        return int(found[0]["deleted"])
