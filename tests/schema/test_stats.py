"""Stats through the API, on the seed and on every store: figures as the report gives
them (counts, shares with their basis, approximations, events without the figure), and
the events behind them a page at a time."""

from __future__ import annotations

from typing import Any

import pytest

from peacegraph.graph.store import Store
from tests.support.http import client_for, graphql

pytestmark = pytest.mark.asyncio(loop_scope="session")

QUARTER = 'stats(from: "2023-07", to: "2023-09")'


async def ask(store: Store, query: str) -> dict[str, Any]:
    async with client_for(store) as client:
        body = await graphql(client, query)
    return body


async def test_youth_reached_counts_the_shares_the_report_gives(seeded: Store) -> None:
    body = await ask(
        seeded,
        "{ " + QUARTER + " { eventCount reach { youth } figures { figure stated statedEvents "
        "shareEvents shareBasis shareEstimate estimate approximateEvents missingEvents } } }",
    )
    assert "errors" not in body, body
    stats = body["data"]["stats"]
    youth = next(f for f in stats["figures"] if f["figure"] == "youth")
    # Stated: 69 young people at the SSR campaign, 19 at the Djenné workshop.
    assert (youth["stated"], youth["statedEvents"]) == (88, 2) == (stats["reach"]["youth"], 2)
    # Shares: about 47% of 269 (campaigns), 47% of about 258 (OGE sessions), 90% of 51
    # (International Youth Day): 126 + 121 + 46, each rounded to a person.
    assert (youth["shareEvents"], youth["shareBasis"]) == (3, 269 + 258 + 51)
    assert youth["shareEstimate"] == 126 + 121 + 46
    assert youth["estimate"] == 88 + 293
    # "environ 47%" and "environ 258 femmes": two estimates rest on approximations.
    assert youth["approximateEvents"] == 2
    assert youth["missingEvents"] == stats["eventCount"] - 2 - 3 == 16


async def test_the_events_come_a_page_at_a_time(seeded: Store) -> None:
    body = await ask(
        seeded,
        "{ " + QUARTER + " { eventCount first: events(first: 5) { id } "
        "rest: events(first: 100, offset: 5) { id } all: events { id } } }",
    )
    assert "errors" not in body, body
    stats = body["data"]["stats"]
    assert len(stats["first"]) == 5
    assert len(stats["first"]) + len(stats["rest"]) == stats["eventCount"] == 21
    assert [e["id"] for e in stats["first"] + stats["rest"]] == [e["id"] for e in stats["all"]]


async def test_a_page_larger_than_allowed_is_refused_naming_the_argument(seeded: Store) -> None:
    body = await ask(seeded, "{ " + QUARTER + " { events(first: 100000) { id } } }")
    assert body["errors"][0]["extensions"]["code"] == "PAGE_SIZE_EXCEEDED", body
    assert "first" in body["errors"][0]["message"]
    negative = await ask(seeded, "{ " + QUARTER + " { events(offset: -1) { id } } }")
    assert negative["errors"][0]["extensions"]["field"] == "offset", negative


async def test_an_event_says_which_of_its_figures_are_approximate(seeded: Store) -> None:
    body = await ask(
        seeded,
        '{ event(id: "event:2023-q3-sessions-oge") { reach { participants women youthShare '
        "approximate } } }",
    )
    assert "errors" not in body, body
    reach = body["data"]["event"]["reach"]
    assert reach == {
        "participants": 258,
        "women": 258,
        "youthShare": 47.0,
        "approximate": ["participants", "women"],
    }
