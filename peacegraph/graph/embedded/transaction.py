"""The writes of one transaction of the embedded store (`EmbeddedStore.transaction`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from peacegraph.graph import validation
from peacegraph.graph.bookkeeping import change_stamp, record_from_row, record_row, storage_key
from peacegraph.graph.convert import node_row, rel_row
from peacegraph.graph.embedded import link_queries as lq
from peacegraph.graph.embedded import queries as q
from peacegraph.graph.embedded.connection import Connections, Statement, check_parameters
from peacegraph.graph.embedded.pairs import StoredPairs
from peacegraph.graph.embedded.rows import MAX_LINKS, label_groups, neighbour, node
from peacegraph.graph.errors import NotFound
from peacegraph.graph.model import Label, RelType, label_of_id
from peacegraph.graph.records import Neighbour, Node, Relationship, StoredRecord

#: A write of at most this many rows whose result is not needed waits, inside its
#: transaction, for the next statement or the commit (see `Transaction`); larger ones
#: run at once, so that imports still report progress as they write.
MAX_DEFERRED_ROWS = 100

#: Reads nodes by id outside the transaction (the store's `get_nodes`).
ReadNodes = Callable[[Sequence[str]], Awaitable[dict[str, Node]]]


class Transaction:
    """Writes of one transaction, run in the store's writer thread, in order.

    Every trip to the writer thread waits for the event loop on its way back, and
    the transaction holds the store's one writer meanwhile, so under a load of reads
    every trip an editor's write makes keeps the other writers queued. So BEGIN goes
    with the first statement, and small writes whose result is not needed (`write`)
    go with the next statement or the COMMIT. An error in a waiting write surfaces
    at that later trip; the transaction fails as a whole either way, and nothing of
    it is kept.

    What it wrote is kept for the search index, which the store updates once the
    transaction has committed (`indexed`, `unindexed`).
    """

    def __init__(self, connections: Connections, pairs: StoredPairs, read_nodes: ReadNodes) -> None:
        self._connections = connections
        self._pairs = pairs
        self._read_nodes = read_nodes
        #: Search index entries of the nodes written, and the ids of those deleted.
        self.indexed: dict[str, tuple[str, str, str]] = {}
        self.unindexed: set[str] = set()
        self._waiting: list[Statement] = [("BEGIN TRANSACTION", {})]
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
        """Run the writes waiting, set the change stamp and COMMIT, in one trip;
        nothing if nothing was written."""
        if self.begun or len(self._waiting) > 1:
            await self.put_records([change_stamp()])
            await self._trip([*self._waiting, ("COMMIT", {})])

    async def _trip(self, statements: list[Statement]) -> list[dict[str, Any]]:
        self._waiting = []
        self.begun = True
        return await self._connections.write_all(statements)

    async def upsert_nodes(self, nodes: Sequence[Node]) -> int:
        validation.check_nodes(nodes)
        by_label: dict[Label, list[dict[str, Any]]] = defaultdict(list)
        for written in nodes:
            row = node_row(written)
            by_label[written.label].append(row)
            self.indexed[written.id] = (written.id, written.label.value, row["searchKey"])
            self.unindexed.discard(written.id)
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
                raise NotFound(await self._missing_ends(rows))
        return len(relationships)

    def note_pair(self, pair: lq.Pair) -> None:
        """Relationships of `pair` are about to be written (`StoredPairs.note`)."""
        self._pairs.note(pair)

    async def _missing_ends(self, rows: list[dict[str, Any]]) -> str:
        wanted = {r["s"] for r in rows} | {r["d"] for r in rows}
        found = await self._read_nodes(sorted(wanted))
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
        for label, group in label_groups(ids).items():
            result = await self.run(q.delete_nodes(label), {"ids": group})
            deleted += int(result[0]["deleted"]) if result else 0
            self.unindexed.update(group)
            for node_id in group:
                self.indexed.pop(node_id, None)
        return deleted

    async def get_nodes(self, ids: Sequence[str]) -> dict[str, Node]:
        found: dict[str, Node] = {}
        for label, group in label_groups(ids).items():
            for row in await self.run(q.nodes_by_id(label), {"ids": list(dict.fromkeys(group))}):
                read = node(row)
                found[read.id] = read
        return found

    async def all_links(self, node_id: str) -> list[Neighbour]:
        label = label_of_id(node_id)
        if label is None:
            return []
        rows = await self.run(
            q.neighbours(label, "both"),
            {"id": node_id, "types": [], "labels": [], "offset": 0, "limit": MAX_LINKS},
        )
        return [neighbour(row) for row in rows]

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
