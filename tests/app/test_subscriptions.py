"""The change feed over graphql-transport-ws: an editor's committed write reaches a
subscriber within a second; a refused or failed write sends nothing; bounds hold."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest

from peacegraph.app import auth
from peacegraph.app.factory import create_app
from peacegraph.app.settings import Settings
from peacegraph.graph.store import Store
from tests.support.websocket import websocket

CHANGES = "subscription { changes { kind mutation ids version at } }"
EDIT = (
    'mutation { upsertOrganization(input: {id: "org:cedeao", description: "%s"}, '
    'note: "test") { __typename } }'
)
INVALID = 'mutation { upsertOrganization(input: {id: "org:cedeao"}) { __typename } }'


async def token(store: Store, role: str = "editor") -> dict[str, str]:
    _, text = await auth.create_token(store, f"feed-{role}", role)
    return {"authorization": f"Bearer {text}"}


def http(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_an_editors_write_reaches_a_subscriber_within_a_second(seeded_copy: Store) -> None:
    editor = await token(seeded_copy)
    app = create_app(Settings(), store=seeded_copy)
    async with websocket(app) as ws, http(app) as client:
        assert (await ws.init())["type"] == "connection_ack"
        await ws.subscribe("1", CHANGES)
        await asyncio.sleep(0.1)  # the subscription is registered
        answered = await client.post("/graphql", json={"query": EDIT % "a"}, headers=editor)
        assert answered.json()["data"]["upsertOrganization"]["__typename"] == "Organization"
        started = time.monotonic()
        message = await ws.receive(timeout=1)
        assert time.monotonic() - started < 1
    assert message["type"] == "next"
    assert message["id"] == "1"
    event = message["payload"]["data"]["changes"]
    assert event["kind"] == "NODE_UPDATED"
    assert event["mutation"] == "upsert_organization"
    assert event["ids"] == ["org:cedeao"]
    assert event["version"] >= 2


async def test_a_refused_or_failed_write_sends_no_event(seeded_copy: Store) -> None:
    editor = await token(seeded_copy)
    reader = await token(seeded_copy, "reader")
    app = create_app(Settings(), store=seeded_copy)
    async with websocket(app) as ws, http(app) as client:
        await ws.init()
        await ws.subscribe("1", CHANGES)
        await asyncio.sleep(0.1)
        anonymous = await client.post("/graphql", json={"query": EDIT % "x"})
        assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        forbidden = await client.post("/graphql", json={"query": EDIT % "y"}, headers=reader)
        assert forbidden.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        invalid = await client.post("/graphql", json={"query": INVALID}, headers=editor)
        assert invalid.json()["data"]["upsertOrganization"]["__typename"] == "ValidationError"
        with pytest.raises(TimeoutError):
            await ws.receive(timeout=0.5)
        await client.post("/graphql", json={"query": EDIT % "z"}, headers=editor)
        message = await ws.receive(timeout=1)
    assert message["payload"]["data"]["changes"]["ids"] == ["org:cedeao"]


async def test_subscriptions_are_bounded_per_process_and_per_connection(
    seeded_copy: Store,
) -> None:
    settings = Settings(max_subscriptions=1, max_subscriptions_per_connection=2)
    app = create_app(settings, store=seeded_copy)
    async with websocket(app) as ws:
        await ws.init()
        await ws.subscribe("1", CHANGES)
        await ws.subscribe("2", CHANGES)
        refused = await ws.receive()
        assert (refused["type"], refused["id"]) == ("next", "2")
        assert refused["payload"]["errors"][0]["extensions"]["code"] == "TOO_MANY_SUBSCRIPTIONS"
        assert (await ws.receive())["type"] == "complete"
    app = create_app(Settings(max_subscriptions_per_connection=2), store=seeded_copy)
    async with websocket(app) as ws:
        await ws.init()
        for number in ("1", "2", "3"):
            await ws.subscribe(number, CHANGES)
        refused = await ws.receive()
    assert refused["type"] == "error"
    assert refused["id"] == "3"


async def test_a_reader_only_deployment_needs_a_token_on_the_websocket(
    seeded_copy: Store,
) -> None:
    reader = await token(seeded_copy, "reader")
    app = create_app(Settings(reads_require_token=True), store=seeded_copy)
    async with websocket(app) as ws:
        assert (await ws.init())["type"] == "close"
    async with websocket(app) as ws:
        acked = await ws.init({"Authorization": reader["authorization"]})
    assert acked["type"] == "connection_ack"
    async with websocket(app, reader) as ws:
        assert (await ws.init())["type"] == "connection_ack"
