"""Hundreds of differently filtered reads in a row still answer.

LadybugDB's driver keeps every prepared statement with its share of the buffer pool
until its connection closes; without a bound, ~110 differently filtered link reads
on the seed filled the 512 MiB pool and every later query failed. The store replaces
its connections before they hold more than `MAX_PREPARED` (`graph.embedded.prepared`).
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from peacegraph.graph.embedded.prepared import MAX_PREPARED, StatementCount
from peacegraph.graph.embedded.store import EmbeddedStore
from peacegraph.graph.embedded.transaction import Transaction
from peacegraph.graph.model import FACT_TYPES, Label
from tests.conformance.test_store import org
from tests.conftest import open_embedded

ANCHORS = ["org:wanep-mali", "org:aprofem", "event:2023-09-05-planification-annuelle-jfa"]


@pytest.fixture
async def fresh_seeded(tmp_path: Path) -> AsyncIterator[EmbeddedStore]:
    """A fresh embedded store with the seed."""
    async with open_embedded(tmp_path / "seeded", seed=True) as opened:
        yield opened


async def test_hundreds_of_filter_combinations_leave_the_store_answering(
    fresh_seeded: EmbeddedStore,
) -> None:
    combinations = [c for k in (1, 2, 3) for c in itertools.combinations(FACT_TYPES, k)]
    assert len(combinations) > 250
    for rel_types in combinations:
        await fresh_seeded.neighbours_of_many(ANCHORS, rel_types=rel_types, limit_per_node=5)
        assert len(fresh_seeded.connections.statements_read()) <= MAX_PREPARED
    network = await fresh_seeded.network(
        ["org:wanep-mali"], depth=2, labels=[Label.ORGANIZATION, Label.EVENT], limit=50
    )
    assert len(network.nodes) > 10
    links = await fresh_seeded.neighbours_of_many(ANCHORS, limit_per_node=5)
    assert all(links[anchor] for anchor in ANCHORS)


async def test_the_writer_is_renewed_between_transactions(embedded: EmbeddedStore) -> None:
    writer = embedded.connections.writer
    assert writer is not None
    first = writer.connection
    for i in range(MAX_PREPARED + 1):
        async with embedded.transaction() as tx:
            assert isinstance(tx, Transaction)
            # A statement of its own each time.
            await tx.run(
                f"UNWIND $ids AS i MATCH (n:Organization {{id: i}}) RETURN {i} AS n", {"ids": []}
            )
    assert writer.connection is not first
    assert len(writer.statements) <= MAX_PREPARED
    await embedded.upsert_nodes([org("after", "After")])
    assert "org:after" in await embedded.get_nodes(["org:after"])


def test_statements_without_parameters_are_not_counted() -> None:
    count = StatementCount()
    count.add("RETURN 1", {})
    count.add("RETURN $x", {"x": 1})
    count.add("RETURN $x", {"x": 2})
    assert len(count) == 1
