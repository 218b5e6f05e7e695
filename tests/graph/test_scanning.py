"""`Store.relationship_batches` (graph/scanning.py), on both stores: every
relationship exactly once, whatever the window and batch sizes, with its
properties and sources, as the ordered pages give it."""

from __future__ import annotations

import pytest

from peacegraph.graph.store import Store
from tests.conformance.test_store import NODES, RELS, load


@pytest.mark.parametrize(("sources", "batch"), [(1, 1000), (2, 1000), (1000, 1), (1000, 3), (5, 2)])
async def test_every_relationship_once_whatever_the_sizes(
    store: Store, sources: int, batch: int
) -> None:
    await load(store)
    batches = [b async for b in store.relationship_batches(sources=sources, batch=batch)]
    scanned = [rel for b in batches for rel in b]
    paged = (await store.all_relationships(offset=0, limit=1000)).items
    assert sorted(scanned, key=lambda r: r.key) == sorted(paged, key=lambda r: r.key)
    assert len(scanned) == len(RELS)
    # A batch holds the links of at most `sources` nodes, and goes over `batch`
    # only for a node whose own links are more than `batch`.
    for b in batches:
        assert len({rel.source for rel in b}) <= sources
        assert len(b) <= batch or len({rel.source for rel in b}) == 1


async def test_a_store_without_relationships_yields_nothing(store: Store) -> None:
    await store.bulk_load(NODES[:3], [])
    assert [b async for b in store.relationship_batches(sources=2)] == []


async def test_sizes_below_one_are_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        _ = [b async for b in store.relationship_batches(sources=0)]
    with pytest.raises(ValueError, match="at least 1"):
        _ = [b async for b in store.relationship_batches(batch=0)]
