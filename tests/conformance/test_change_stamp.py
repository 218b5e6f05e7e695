"""The change stamp: every committed write transaction sets it anew, on every backend;
a write that rolls back leaves it as it was. HTTP caching (ETags) relies on it."""

from __future__ import annotations

import pytest

from peacegraph.graph.bookkeeping import CHANGE_KEY, CHANGE_KIND
from peacegraph.graph.errors import NotFound
from peacegraph.graph.model import Label
from peacegraph.graph.records import Node, Provenance
from peacegraph.graph.store import Store, StoreTransaction

SRC = (Provenance("source:test", "Section", "a quote"),)


async def stamp(store: Store) -> str | None:
    record = (await store.get_records(CHANGE_KIND, [CHANGE_KEY])).get(CHANGE_KEY)
    return None if record is None else str(record.body["stamp"])


def org(slug: str) -> Node:
    return Node(Label.ORGANIZATION, f"org:{slug}", slug.upper(), {}, SRC)


async def test_every_committed_write_sets_a_new_stamp(store: Store) -> None:
    seen = [await stamp(store)]
    await store.upsert_nodes([org("a")])
    seen.append(await stamp(store))
    async with store.transaction() as tx:
        await tx.upsert_nodes([org("b")])
    seen.append(await stamp(store))

    async def work(tx: StoreTransaction) -> None:
        await tx.delete_nodes(["org:a"])

    await store.write(work)
    seen.append(await stamp(store))
    assert None not in seen[1:]
    assert len(set(seen)) == len(seen)


async def test_a_write_that_rolls_back_keeps_the_stamp(store: Store) -> None:
    await store.upsert_nodes([org("a")])
    before = await stamp(store)

    async def failing(tx: StoreTransaction) -> None:
        await tx.upsert_nodes([org("b")])
        raise NotFound("no such thing")

    with pytest.raises(NotFound):
        await store.write(failing)
    with pytest.raises(NotFound):
        async with store.transaction() as tx:
            await tx.upsert_nodes([org("c")])
            raise NotFound("no such thing")
    assert await stamp(store) == before
    assert set(await store.get_nodes(["org:b", "org:c"])) == set()
