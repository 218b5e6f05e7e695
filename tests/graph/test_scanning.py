"""`Store.relationship_batches` (graph/scanning.py), on both stores: every
relationship exactly once, whatever the window size, with its properties and
sources, as the ordered pages give it."""

from __future__ import annotations

import pytest

from peacegraph.graph.store import Store
from tests.conformance.test_store import NODES, RELS, load


@pytest.mark.parametrize("sources", [1, 2, 5, 1000])
async def test_every_relationship_once_in_windows_of_any_size(store: Store, sources: int) -> None:
    await load(store)
    batches = [batch async for batch in store.relationship_batches(sources=sources)]
    scanned = [rel for batch in batches for rel in batch]
    paged = (await store.all_relationships(offset=0, limit=1000)).items
    assert sorted(scanned, key=lambda r: r.key) == sorted(paged, key=lambda r: r.key)
    assert len(scanned) == len(RELS)
    # A window holds the links of at most `sources` nodes, so small windows split the graph.
    assert all(len({rel.source for rel in batch}) <= sources for batch in batches)
    if sources == 1:
        assert len(batches) == len({rel.source for rel in RELS})


async def test_a_store_without_relationships_yields_nothing(store: Store) -> None:
    await store.bulk_load(NODES[:3], [])
    assert [batch async for batch in store.relationship_batches(sources=2)] == []


async def test_a_window_size_below_one_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="sources"):
        _ = [batch async for batch in store.relationship_batches(sources=0)]
