"""The embedded store's transactions when the store fails under them.

Small writes whose result is not needed wait for the transaction's next trip to the
writer thread, or its COMMIT (`transaction.Transaction`), so a failure in one
surfaces later than the call that asked for it. The transaction must still fail as
a whole, say why, leave the graph as it was, and leave the store writable.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from peacegraph.graph.embedded.store import EmbeddedStore
from peacegraph.graph.errors import StoreUnavailable
from peacegraph.graph.records import StoredRecord
from tests.conformance.test_store import org, snapshot


class FailingConnection:
    """The writer connection, failing every statement that contains `marker` as
    LadybugDB does when its disk fails (its error becomes StoreUnavailable)."""

    def __init__(self, inner: Any, marker: str) -> None:
        self.inner = inner
        self.marker = marker

    def execute(self, statement: str, *args: Any) -> Any:
        if self.marker in statement:
            raise RuntimeError("IO exception: simulated disk failure")
        return self.inner.execute(statement, *args)


@contextmanager
def failing(store: EmbeddedStore, marker: str) -> Iterator[None]:
    """The store's writer connection fails statements containing `marker` meanwhile."""
    writer = store.connections.writer
    assert writer is not None
    connection = writer.connection
    writer.connection = FailingConnection(connection, marker)
    try:
        yield
    finally:
        writer.connection = connection


def audit(key: str) -> StoredRecord:
    return StoredRecord("audit", key, "2026-01-01T00:00:00", actor="test")


@pytest.mark.parametrize(
    "marker",
    [
        "_Record",  # the audit record, a write left waiting until the commit
        "MERGE (n:Organization",  # the node, a write left waiting, run before the record
        "COMMIT",
    ],
)
async def test_a_failure_at_commit_leaves_the_graph_as_it_was(
    embedded: EmbeddedStore, marker: str
) -> None:
    await embedded.upsert_nodes([org("kept", "Kept")])
    before = await snapshot(embedded)
    with failing(embedded, marker), pytest.raises(StoreUnavailable, match="simulated disk failure"):
        async with embedded.transaction() as tx:
            assert "org:kept" in await tx.get_nodes(["org:kept"])
            await tx.upsert_nodes([org("lost", "Lost")])
            await tx.put_records([audit("lost")])
    assert await snapshot(embedded) == before
    assert await embedded.get_records("audit", ["lost"]) == {}
    assert [hit.node.id for hit in (await embedded.search("Lost")).items] == []


async def test_the_store_writes_again_after_a_failed_commit(embedded: EmbeddedStore) -> None:
    with failing(embedded, "COMMIT"), pytest.raises(StoreUnavailable):
        await embedded.upsert_nodes([org("first", "First")])
    await embedded.upsert_nodes([org("second", "Second")])
    await embedded.put_records([audit("second")])
    assert set(await embedded.get_nodes(["org:first", "org:second"])) == {"org:second"}
    assert set(await embedded.get_records("audit", ["second"])) == {"second"}
