"""The store reads rows from the driver's native result, and gets what the driver's
public API gives (`peacegraph.graph.embedded.store._rows`).

Reading through the public wrapper costs a third more a row; if a later driver
drops the native result, the store falls back to the wrapper and this test fails,
so that the slower path is noticed.
"""

from __future__ import annotations

from typing import Any

from peacegraph.graph.embedded.store import EmbeddedStore

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
