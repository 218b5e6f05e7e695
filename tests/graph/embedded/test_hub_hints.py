"""A hub's first page keeps a hint of where it ended (`graph.embedded.hints`); pages
read with it are exactly the sorted ones, whatever has changed since. A hub that
links to a large share of its neighbours' label is read from their side, and gives
the same page."""

from __future__ import annotations

from pathlib import Path

from peacegraph.graph.embedded import tracing
from peacegraph.graph.embedded.hints import BoundHints
from peacegraph.graph.embedded.links import DENSE_HUB_SHARE, HINT_SLACK, SAMPLED_CUT_DEGREE
from peacegraph.graph.embedded.store import EmbeddedStore
from peacegraph.graph.model import Label, RelType
from peacegraph.graph.records import Node, Provenance, Relationship
from tests.conftest import open_embedded

SRC = (Provenance("source:test", "Section", "a quote"),)
HUB = "org:hub"
PAGE = 20


def _event(slug: str) -> Node:
    return Node(Label.EVENT, f"event:{slug}", slug, {}, SRC)


def _organized(event: Node, hub: str = HUB) -> Relationship:
    return Relationship(RelType.ORGANIZED, hub, event.id, {}, SRC)


async def _first_page(store: EmbeddedStore) -> tuple[list[str], bool]:
    """The hub's first page, and whether it was read with a fresh sample."""
    with tracing.traced() as timings:
        page = await store.neighbours(HUB, limit=PAGE)
    sampled = any("% $step" in t.statement for t in timings)
    return [n.node.id for n in page.items], sampled


async def _sorted_whole(store: EmbeddedStore, hub: str = HUB) -> list[str]:
    return [n.node.id for n in await store.all_links(hub)][:PAGE]


async def test_a_hub_page_read_with_its_hint_is_the_sorted_page(tmp_path: Path) -> None:
    events = [_event(f"m{i:05d}") for i in range(SAMPLED_CUT_DEGREE + 500)]
    async with open_embedded(tmp_path / "store") as store:
        hub = Node(Label.ORGANIZATION, HUB, "Hub", {}, SRC)
        await store.bulk_load([hub, *events], [_organized(e) for e in events])

        first, sampled = await _first_page(store)
        assert sampled and first == await _sorted_whole(store)
        again, sampled = await _first_page(store)
        assert not sampled and again == first

        # Links added below the hint's bound: read with the hint, cut to the new page.
        early = [_event(f"a{i:03d}") for i in range(5)]
        await store.upsert_nodes(early)
        await store.upsert_relationships([_organized(e) for e in early])
        grown, sampled = await _first_page(store)
        assert not sampled and grown == await _sorted_whole(store)
        assert grown[:5] == [e.id for e in early]

        # Links of the page deleted: fewer than a page below the hint, sampled again.
        await store.delete_relationships([_organized(e) for e in [*early, *events[:10]]])
        shrunk, sampled = await _first_page(store)
        assert sampled and shrunk == await _sorted_whole(store)

        # Many links added below the bound: the page is still exact, the hint dropped.
        crowd = [_event(f"b{i:03d}") for i in range(HINT_SLACK * (PAGE + 1) + 1)]
        await store.upsert_nodes(crowd)
        await store.upsert_relationships([_organized(e) for e in crowd])
        crowded, sampled = await _first_page(store)
        assert not sampled and crowded == await _sorted_whole(store)
        resampled, sampled = await _first_page(store)
        assert sampled and resampled == crowded
        assert (await _first_page(store))[1] is False


async def test_a_hub_page_is_read_from_the_side_with_fewer_links(tmp_path: Path) -> None:
    events = [_event(f"m{i:05d}") for i in range(3 * SAMPLED_CUT_DEGREE + 300)]
    dense, sparse = "org:dense", "org:sparse"  # every event, and every third
    assert len(events) // 3 < DENSE_HUB_SHARE * len(events) <= len(events)
    hubs = [Node(Label.ORGANIZATION, hub, hub, {}, SRC) for hub in (dense, sparse)]
    links = [_organized(e, dense) for e in events] + [_organized(e, sparse) for e in events[::3]]
    async with open_embedded(tmp_path / "store") as store:
        await store.bulk_load([*hubs, *events], links)
        for hub, from_neighbours in ((dense, True), (sparse, False)):
            for _ in ("sampled", "hinted"):
                with tracing.traced() as timings:
                    page = await store.neighbours(hub, limit=PAGE)
                assert [n.node.id for n in page.items] == await _sorted_whole(store, hub)
                reads = [t.statement for t in timings if "<= $last" in t.statement]
                assert reads and all(("HINT" in r) == from_neighbours for r in reads)

        # The label's size is counted again after a write, not before.
        with tracing.traced() as timings:
            await store.neighbours(dense, limit=PAGE)
        assert not any("count(n)" in t.statement for t in timings)
        await store.upsert_nodes([_event("a00001")])
        with tracing.traced() as timings:
            await store.neighbours(dense, limit=PAGE)
        assert any("count(n)" in t.statement for t in timings)


def test_hints_are_bounded_and_the_least_recently_used_goes_first() -> None:
    kept = BoundHints(capacity=2)
    kept.keep("a", "event:1")
    kept.keep("b", "event:2")
    assert kept.get("a") == "event:1"
    kept.keep("c", "event:3")
    assert (kept.get("a"), kept.get("b"), kept.get("c")) == ("event:1", None, "event:3")
    kept.drop("a")
    assert kept.get("a") is None
