"""Place coordinates through the one write path, on both stores: a point in range is
stored and read back; half a point, a point out of range or a zero GeoNames id is
refused naming the field, and the graph is left as it was."""

from __future__ import annotations

import pytest

from peacegraph.graph.errors import Invalid
from peacegraph.graph.importing import import_graph
from peacegraph.graph.model import Label
from peacegraph.graph.records import Node, PropValue, Provenance
from peacegraph.graph.store import Store, StoreTransaction
from peacegraph.graph.writing import Author, ImportMode, Write

AUTHOR = Author("tester", note="coordinates")
SOURCE = (Provenance("source:test", "Section", "a quote"),)


def place(**props: PropValue) -> Node:
    return Node(Label.PLACE, "place:sevare", "Sévaré", {"kind": "town", **props}, SOURCE)


async def write(store: Store, node: Node) -> None:
    async def work(tx: StoreTransaction) -> tuple[int, int]:
        written = Write(tx, AUTHOR)
        return await import_graph(written, [node], [], mode=ImportMode.MERGE, mutation="test")

    await store.write(work)


async def test_a_point_is_stored_and_read_back(store: Store) -> None:
    await write(store, place(latitude=14.53, longitude=-4.1, geonamesId=2451478))
    stored = (await store.get_nodes(["place:sevare"]))["place:sevare"]
    assert stored.props["latitude"] == pytest.approx(14.53)
    assert stored.props["longitude"] == pytest.approx(-4.1)
    assert stored.props["geonamesId"] == 2451478


@pytest.mark.parametrize(
    ("props", "field", "message"),
    [
        ({"latitude": 14.5}, "longitude", "both latitude and longitude"),
        ({"latitude": 91.0, "longitude": 0.0}, "latitude", "between -90 and 90"),
        ({"latitude": 0.0, "longitude": -181.0}, "longitude", "between -180 and 180"),
        ({"latitude": 0.0, "longitude": 0.0, "geonamesId": 0}, "geonamesId", "positive"),
    ],
)
async def test_a_bad_point_is_refused_and_changes_nothing(
    store: Store, props: dict[str, PropValue], field: str, message: str
) -> None:
    with pytest.raises(Invalid, match=message) as caught:
        await write(store, place(**props))
    assert caught.value.field is not None and caught.value.field.endswith(field)
    assert await store.get_nodes(["place:sevare"]) == {}
