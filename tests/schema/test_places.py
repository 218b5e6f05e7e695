"""Places as a hierarchy through the API, on every store: a place's chain up to its
country, filters that take everything inside a place, and "outside" a place."""

from __future__ import annotations

from typing import Any

import pytest

from peacegraph.graph.store import Store
from tests.support.http import client_for, graphql

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def ask(store: Store, *fields: str) -> dict[str, Any]:
    """The data of top-level fields, each asked in a request of its own: on Neo4j the
    first use of a filtered list statement is compiled (a second or more on a loaded
    machine), and one request compiling several may reach the time limit."""
    data: dict[str, Any] = {}
    async with client_for(store) as client:
        for field in fields:
            body = await graphql(client, "{ " + field + " }")
            assert "errors" not in body, body
            data.update(body["data"])
    return data


def ids(connection: dict[str, Any]) -> set[str]:
    return {node["id"] for node in connection["nodes"]}


async def test_within_climbs_the_chain_to_the_country_when_asked(seeded: Store) -> None:
    data = await ask(
        seeded,
        """place(id: "place:salle-mahamane-santara") {
              direct: within { node { id } }
              chain: within(transitive: true) { sourceId targetId node { id } }
            }""",
    )
    place = data["place"]
    assert [link["node"]["id"] for link in place["direct"]] == ["place:djenne"]
    assert [link["node"]["id"] for link in place["chain"]] == [
        "place:djenne",
        "place:region-mopti",
        "place:mali",
    ]
    assert [(link["sourceId"], link["targetId"]) for link in place["chain"]] == [
        ("place:salle-mahamane-santara", "place:djenne"),
        ("place:djenne", "place:region-mopti"),
        ("place:region-mopti", "place:mali"),
    ]


async def test_a_place_filter_takes_everything_inside_the_place(seeded: Store) -> None:
    data = await ask(
        seeded,
        'mopti: events(filter: {place: "place:region-mopti"}, first: 50) { nodes { id } }',
        'mali: events(filter: {place: "place:mali"}, first: 50) { nodes { id } }',
        'places: places(filter: {place: "place:region-mopti"}, first: 50) { nodes { id } }',
    )
    # The Djenné workshop is held at a venue within Djenné, within the region.
    assert {"event:2023-09-20-atelier-djenne", "event:2023-09-29-plaidoyer-mopti"} <= ids(
        data["mopti"]
    )
    # Bamako's venues, two levels down, are in Mali; Lagos and Nairobi are not.
    mali = ids(data["mali"])
    assert {"event:2023-09-21-reunion-drc", "event:2023-09-20-atelier-djenne"} <= mali
    assert "event:2023-08-17-formation-c-paid-lagos" not in mali
    assert ids(data["places"]) == {
        "place:region-mopti",
        "place:mopti",
        "place:djenne",
        "place:salle-mahamane-santara",
    }


async def test_outside_a_place_keeps_what_is_located_elsewhere(seeded: Store) -> None:
    data = await ask(
        seeded,
        'events: events(filter: {outside: "place:mali"}, first: 50) { nodes { id } }',
        'places: places(filter: {outside: "place:mali"}, first: 100) { nodes { id } }',
        'orgs: organizations(filter: {outside: "place:mali"}, first: 100) { nodes { id } }',
        'notMopti: events(filter: {place: "place:mali", outside: "place:region-mopti"}, '
        "first: 50) { nodes { id } }",
    )
    assert ids(data["events"]) == {
        "event:2023-08-01-echange-jfa-burundi",
        "event:2023-08-17-formation-c-paid-lagos",
        "event:2023-09-26-planification-internationale-jfa-nairobi",
    }
    places = ids(data["places"])
    assert {"place:nairobi", "place:masai-lodge", "place:kenya", "place:senegal"} <= places
    assert not places & {"place:mali", "place:bamako", "place:djenne", "place:emp-abb"}
    assert {"org:fba", "org:cordaid", "org:wanep"} <= ids(data["orgs"])
    assert not ids(data["orgs"]) & {"org:wanep-mali", "org:minusma"}
    not_mopti = ids(data["notMopti"])
    assert "event:2023-09-21-reunion-drc" in not_mopti
    assert not not_mopti & {"event:2023-09-20-atelier-djenne", "event:2023-09-29-plaidoyer-mopti"}
