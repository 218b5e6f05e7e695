"""Statement timings (`tracing.traced`) see every read of the block, and nothing else."""

from __future__ import annotations

import asyncio

import pytest

from peacegraph.graph.embedded import tracing
from peacegraph.graph.embedded.store import EmbeddedStore
from peacegraph.graph.store import Network

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_a_traced_block_records_its_statements_with_their_rows(
    seeded_embedded: EmbeddedStore,
) -> None:
    with tracing.traced() as timings:
        network = await seeded_embedded.network(["org:wanep-mali"], depth=2, limit=40)
    assert len(timings) >= 3
    assert all(t.ended >= t.started and t.seconds >= 0 for t in timings)
    assert any("UNWIND $ids" in t.statement for t in timings)
    # The view's nodes were read by id, at the start (seeds) and at the end (the rest).
    node_rows = sum(t.rows for t in timings if "UNWIND $ids AS i MATCH (n:" in t.statement)
    assert node_rows == len(network.nodes)


async def test_statements_outside_the_block_or_in_other_tasks_are_not_recorded(
    seeded_embedded: EmbeddedStore,
) -> None:
    await seeded_embedded.get_nodes(["org:wanep-mali"])
    other_started = asyncio.Event()
    release = asyncio.Event()

    async def elsewhere() -> None:
        other_started.set()
        await release.wait()
        await seeded_embedded.get_nodes(["org:cedeao"])

    other = asyncio.create_task(elsewhere())  # started outside the block: its own context
    await other_started.wait()
    with tracing.traced() as timings:
        await seeded_embedded.get_nodes(["org:fba"])
        release.set()
        await other
    assert [t.rows for t in timings] == [1]
    with tracing.traced() as inner:
        await asyncio.gather(
            seeded_embedded.get_nodes(["org:fba"]), seeded_embedded.get_nodes(["org:undp"])
        )
    assert len(inner) == 2  # tasks started inside the block inherit it


async def _view_that_fills_its_budget(
    store: EmbeddedStore,
) -> tuple[list[tracing.StatementTiming], Network]:
    """WANEP-Mali's view with a budget its second level fills part-way through, traced."""
    with tracing.traced() as timings:
        network = await store.network(["org:wanep-mali"], depth=2, limit=60)
    assert network.truncated
    return timings, network


async def test_a_full_budget_has_its_nodes_read_while_the_links_among_them_are(
    seeded_embedded: EmbeddedStore,
) -> None:
    timings, network = await _view_that_fills_its_budget(seeded_embedded)
    among = [t for t in timings if "list_contains(others" in t.statement]
    node_reads = sorted(
        (t for t in timings if "UNWIND $ids AS i MATCH (n:" in t.statement),
        key=lambda t: t.started,
    )
    assert among, "the budget filled before the last level: no links among the chosen nodes"
    seeds, chosen = node_reads[0], node_reads[1:]
    assert seeds.rows == 1 and chosen
    assert min(t.started for t in chosen) < max(t.ended for t in among)
    assert seeds.rows + sum(t.rows for t in chosen) == len(network.nodes)


async def test_the_rest_of_a_level_read_in_parts_is_counted_while_its_first_part_is_read(
    seeded_embedded: EmbeddedStore,
) -> None:
    timings, _ = await _view_that_fills_its_budget(seeded_embedded)
    ordered = sorted(timings, key=lambda t: t.started)
    link_reads = [
        t
        for t in ordered
        if "AS anchor" in t.statement
        and "AS degree" not in t.statement
        and "others" not in t.statement
    ]
    seed_links, first_part = link_reads[0], link_reads[1]  # level one, then level two
    counts = [t for t in ordered if "AS degree" in t.statement and t.started > seed_links.ended]
    assert len(counts) > 1
    assert all(t.started < first_part.ended for t in counts)
