"""The store's rows are what the driver's public API gives: dicts by column name
(`connection.dict_rows`), and lists for link reads (`connection.list_rows`), whose
values are in the order `LinkColumns.names` says.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import ladybug
import pytest

from peacegraph.graph.embedded import link_queries as lq
from peacegraph.graph.embedded.store import EmbeddedStore
from peacegraph.graph.model import Label, RelType
from tests.conftest import open_embedded

STATEMENT = (
    "MATCH (n:Organization)-[e]-(b) RETURN n.id AS id, n.aliases AS aliases, "
    "label(e) AS type, e.count AS count, offset(id(b)) AS other ORDER BY id, other, type"
)


def _driver_rows(store_directory: Path) -> list[list[Any]]:
    database = ladybug.Database(str(store_directory / "graph.lbug"), read_only=True)
    try:
        result = ladybug.Connection(database).execute(STATEMENT)
        assert isinstance(result, ladybug.QueryResult)
        return [list(row) for row in result.get_all()]
    finally:
        database.close()


@pytest.fixture
async def fresh_seeded(tmp_path: Path) -> AsyncIterator[EmbeddedStore]:
    """A fresh embedded store with the seed."""
    async with open_embedded(tmp_path / "seeded", seed=True) as opened:
        yield opened


async def test_rows_are_those_of_the_drivers_public_api(fresh_seeded: EmbeddedStore) -> None:
    read = await fresh_seeded.connections.read(STATEMENT)
    links = await fresh_seeded.connections.read_links(STATEMENT, {})
    directory = fresh_seeded.directory
    await fresh_seeded.close()
    expected = _driver_rows(directory)
    assert len(expected) > 100
    columns = ["id", "aliases", "type", "count", "other"]
    assert read == [dict(zip(columns, row, strict=True)) for row in expected]
    assert any(row["aliases"] for row in read) and any(row["count"] for row in read)
    assert links == expected


@pytest.mark.parametrize(
    "columns",
    [
        lq.LinkColumns.KEYS,
        lq.LinkColumns.FULL,
        lq.LinkColumns.of(["role"], offsets=True),
        lq.LinkColumns.of(["role", "sources"], dated=True, offsets=True),
    ],
    ids=["keys", "full", "network", "dated"],
)
def test_link_reads_return_their_columns_in_the_order_rows_are_read(
    columns: lq.LinkColumns,
) -> None:
    """Every part of every link read names its columns as `LinkColumns.names` does,
    in that order (a link read to chosen nodes gives the neighbour's offset as its
    `bid`, so it has no `boff`)."""
    shape: lq.LinkShape = ("both", (RelType.HELD_AT, RelType.PARTICIPATED_IN), (Label.PLACE,))
    reads = {
        "links_of_many": lq.links_of_many(Label.EVENT, shape, columns),
        "links_up_to": lq.links_up_to(Label.EVENT, shape, columns),
        "links_page": " UNION ALL ".join(lq.links_page(Label.EVENT, shape, columns)),
        "links_to": lq.links_to(Label.EVENT, shape, columns),
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
