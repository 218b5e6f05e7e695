"""Bookkeeping records and reads inside a transaction, on every backend."""

from __future__ import annotations

import pytest

from peacegraph.graph.records import StoredRecord
from peacegraph.graph.store import Store
from tests.conformance.test_store import load, org


def entry(key: str, at: str, ref: str = "", actor: str = "") -> StoredRecord:
    return StoredRecord("audit", key, at, ref, actor, {"what": key})


async def test_records_round_trip_and_list_newest_first(store: Store) -> None:
    await store.put_records(
        [
            entry("a", "2026-01-01T00:00:00", "org:x", "ana"),
            entry("b", "2026-01-02T00:00:00", "org:y", "ben"),
        ]
    )
    found = await store.get_records("audit", ["a", "zzz"])
    assert list(found) == ["a"] and found["a"].body == {"what": "a"}
    page = await store.list_records("audit")
    assert [r.key for r in page.items] == ["b", "a"]
    assert [r.key for r in (await store.list_records("audit", ref="org:x")).items] == ["a"]
    assert [r.key for r in (await store.list_records("audit", actor="ben")).items] == ["b"]
    assert (await store.list_records("token")).items == []
    assert await store.delete_records("audit", ["a"]) == 1
    assert await store.get_records("audit", ["a"]) == {}


async def test_a_transaction_reads_its_own_writes_and_rolls_back_records(store: Store) -> None:
    await load(store)
    with pytest.raises(RuntimeError):
        async with store.transaction() as tx:
            await tx.upsert_nodes([org("fresh", "Fresh")])
            assert "org:fresh" in await tx.get_nodes(["org:fresh"])
            links = await tx.all_links("org:wanep-mali")
            assert len(links) == 4
            await tx.put_records([entry("c", "2026-01-03T00:00:00")])
            assert "c" in await tx.get_records("audit", ["c"])
            raise RuntimeError("abort")
    assert await store.get_nodes(["org:fresh"]) == {}
    assert await store.get_records("audit", ["c"]) == {}
