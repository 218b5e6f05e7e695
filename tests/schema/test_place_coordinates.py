"""Place coordinates through the API, on every store: each place of the seed has its
point and, where reviewed, its GeoNames id."""

from __future__ import annotations

import pytest

from peacegraph.graph.store import Store
from tests.support.http import client_for, graphql

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_places_have_their_coordinates(seeded: Store) -> None:
    query = """{
      mali: place(id: "place:mali") { latitude longitude geonamesId }
      places(first: 100) { nodes { id latitude longitude geonamesId } }
    }"""
    async with client_for(seeded) as client:
        body = await graphql(client, query)
    assert "errors" not in body, body
    data = body["data"]
    assert data["mali"] == {"latitude": 17.0, "longitude": -4.0, "geonamesId": 2453866}
    places = data["places"]["nodes"]
    assert places and all(p["latitude"] is not None for p in places)
    assert all(-180 <= p["longitude"] <= 180 for p in places)
    nairobi = next(p for p in places if p["id"] == "place:nairobi")
    assert nairobi["geonamesId"] == 184745 and nairobi["latitude"] < 0
