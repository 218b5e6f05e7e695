"""The store reads rows from the driver's native result, and gets what the driver's
public API gives (`peacegraph.graph.embedded.store._rows`, and `_lists` for link
reads, whose rows are lists in the order `LinkColumns.names` says).

Reading through the public wrapper costs a third more a row; if a later driver
drops the native result, the store falls back to the wrapper and this test fails,
so that the slower path is noticed.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from peacegraph.graph.embedded import queries as q
from peacegraph.graph.embedded.store import EmbeddedStore
from peacegraph.graph.model import Label, RelType

STATEMENT = (
    "MATCH (n:Organization)-[e]-(b) RETURN n.id AS id, n.aliases AS aliases, "
    "label(e) AS type, e.count AS count, offset(id(b)) AS other ORDER BY id, other, type"
)


async def test_rows_are_those_of_the_drivers_public_api(seeded_copy: EmbeddedStore) -> None:
    _, reader, _ = seeded_copy._require()
    result = reader.connections[0].execute(STATEMENT)
    assert not isinstance(result, list)
    assert hasattr(result, "_query_result"), "the driver no longer has a native result"
    columns = result.get_column_names()
    expected: list[dict[str, Any]] = [
        dict(zip(columns, row, strict=True)) for row in result.get_all()
    ]
    assert len(expected) > 100
    assert any(row["aliases"] for row in expected) and any(row["count"] for row in expected)
    assert await seeded_copy._read(STATEMENT) == expected


async def test_link_rows_are_the_drivers_rows_as_lists(seeded_copy: EmbeddedStore) -> None:
    _, reader, _ = seeded_copy._require()
    result = reader.connections[0].execute(STATEMENT)
    assert not isinstance(result, list)
    expected = [list(row) for row in result.get_all()]
    assert len(expected) > 100
    assert await seeded_copy._read_links(STATEMENT, {}) == expected


@pytest.mark.parametrize(
    "columns",
    [
        q.LinkColumns.KEYS,
        q.LinkColumns.FULL,
        q.LinkColumns.of(["role"], offsets=True),
        q.LinkColumns.of(["role", "sources"], dated=True, offsets=True),
    ],
    ids=["keys", "full", "network", "dated"],
)
def test_link_reads_return_their_columns_in_the_order_rows_are_read(
    columns: q.LinkColumns,
) -> None:
    """Every part of every link read names its columns as `LinkColumns.names` does,
    in that order (a link read to chosen nodes gives the neighbour's offset as its
    `bid`, so it has no `boff`)."""
    shape: q.LinkShape = ("both", (RelType.HELD_AT, RelType.PARTICIPATED_IN), (Label.PLACE,))
    reads = {
        "links_of_many": q.links_of_many(Label.EVENT, shape, columns),
        "links_up_to": q.links_up_to(Label.EVENT, shape, columns),
        "links_page": " UNION ALL ".join(q.links_page(Label.EVENT, shape, columns)),
        "links_to": q.links_to(Label.EVENT, shape, columns),
    }
    for name, statement in reads.items():
        parts = statement.split(" UNION ALL ")
        assert len(parts) == 2, name  # one part per direction: both are checked
        for part in parts:
            returned = part.split(" RETURN ", 1)[1].split(" ORDER BY ")[0]
            aliases = tuple(re.findall(r" AS (\w+)", returned))
            wanted = columns.names()
            if name == "links_to" and columns.neighbour_offsets:
                wanted = wanted[:-1]
            assert aliases == wanted, name
