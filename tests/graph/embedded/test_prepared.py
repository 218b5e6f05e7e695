"""Hundreds of differently filtered reads in a row still answer.

LadybugDB's driver keeps every prepared statement with its share of the buffer pool;
without a bound, ~110 differently filtered link reads on the seed filled the 512 MiB
pool and every later query failed (`peacegraph.graph.embedded.prepared`).
"""

from __future__ import annotations

import itertools

from peacegraph.graph.embedded.prepared import MAX_PREPARED
from peacegraph.graph.embedded.store import EmbeddedStore
from peacegraph.graph.model import FACT_TYPES, Label

ANCHORS = ["org:wanep-mali", "org:aprofem", "event:2023-09-05-planification-annuelle-jfa"]


async def test_hundreds_of_filter_combinations_leave_the_store_answering(
    seeded_copy: EmbeddedStore,
) -> None:
    combinations = [c for k in (1, 2, 3) for c in itertools.combinations(FACT_TYPES, k)]
    assert len(combinations) > 250
    for rel_types in combinations:
        await seeded_copy.neighbours_of_many(ANCHORS, rel_types=rel_types, limit_per_node=5)
    network = await seeded_copy.network(
        ["org:wanep-mali"], depth=2, labels=[Label.ORGANIZATION, Label.EVENT], limit=50
    )
    assert len(network.nodes) > 10
    links = await seeded_copy.neighbours_of_many(ANCHORS, limit_per_node=5)
    assert all(links[anchor] for anchor in ANCHORS)
    # The driver's own cache, which this relies on, is still where it was looked for.
    _, reader, _ = seeded_copy._require()
    for connection in reader.connections:
        assert len(connection._pybind_implicit_prepared_cache) <= MAX_PREPARED
