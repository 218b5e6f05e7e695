"""The change feed over graphql-transport-ws: an editor's committed write reaches a
subscriber within a second; a refused or failed write sends nothing; bounds hold."""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from pathlib import Path
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


async def registered(app: Any, count: int = 1) -> None:
    """Wait until the app's change feed holds `count` subscriptions (a view is read
    before it subscribes, which takes a while on a busy machine)."""
    async with asyncio.timeout(10):
        while app.state.change_feed.subscribers < count:
            await asyncio.sleep(0.02)


def http(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_an_editors_write_reaches_a_subscriber_within_a_second(seeded_copy: Store) -> None:
    editor = await token(seeded_copy)
    app = create_app(Settings(), store=seeded_copy)
    async with websocket(app) as ws, http(app) as client:
        assert (await ws.init())["type"] == "connection_ack"
        await ws.subscribe("1", CHANGES)
        await registered(app)  # the subscription is registered
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
        await registered(app)
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
    assert refused["payload"][0]["extensions"]["code"] == "TOO_MANY_SUBSCRIPTIONS"


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


VIEW = (
    'subscription { networkChanges(seeds: ["org:cedeao"], depth: 1) { cause { kind ids } '
    "added { nodes { data { id } } edges { data { id source target } } } "
    "updated { nodes { data { id label } } } removedNodes removedEdges "
    "versions { id version } } }"
)
RENAME = (
    'mutation { upsertOrganization(input: {id: "org:cedeao", name: "CEDEAO (%s)"}, '
    'note: "test") { __typename } }'
)
LINK = (
    'mutation { link(input: {type: PARTNER_OF, from: "org:far-away", to: "org:cedeao"}, '
    'note: "test") { __typename } }'
)
ELSEWHERE = (
    'mutation { upsertOrganization(input: {id: "org:far-away", name: "Far away"}, '
    'note: "test") { __typename } }'
)


async def test_network_changes_tells_a_view_what_changed_in_it(seeded_copy: Store) -> None:
    editor = await token(seeded_copy)
    app = create_app(Settings(), store=seeded_copy)
    async with websocket(app) as ws, http(app) as client:
        await ws.init()
        await ws.subscribe("v", VIEW)
        await registered(app)
        await client.post("/graphql", json={"query": ELSEWHERE}, headers=editor)
        await client.post("/graphql", json={"query": RENAME % "live"}, headers=editor)
        renamed = (await ws.receive(timeout=10))["payload"]["data"]["networkChanges"]
        await client.post("/graphql", json={"query": LINK}, headers=editor)
        linked = (await ws.receive(timeout=10))["payload"]["data"]["networkChanges"]
    # The node made elsewhere touched nothing in the view: the first message is the rename.
    assert renamed["cause"] == {"kind": "NODE_UPDATED", "ids": ["org:cedeao"]}
    assert renamed["updated"]["nodes"] == [{"data": {"id": "org:cedeao", "label": "CEDEAO (live)"}}]
    assert renamed["added"] == {"nodes": [], "edges": []}
    assert [v["id"] for v in renamed["versions"]] == ["org:cedeao"]
    assert renamed["versions"][0]["version"] >= 2
    edge = {
        "id": "org:far-away|PARTNER_OF|org:cedeao",
        "source": "org:far-away",
        "target": "org:cedeao",
    }
    assert {"data": edge} in linked["added"]["edges"]
    assert {"data": {"id": "org:far-away"}} in linked["added"]["nodes"]
    assert linked["removedNodes"] == linked["removedEdges"] == []


async def test_a_view_is_bounded_as_the_network_query_is(seeded_copy: Store) -> None:
    app = create_app(Settings(), store=seeded_copy)
    seeds = ", ".join(f'"org:{n}"' for n in range(101))
    async with websocket(app) as ws:
        await ws.init()
        await ws.subscribe(
            "many", f"subscription {{ networkChanges(seeds: [{seeds}]) {{ truncated }} }}"
        )
        await ws.subscribe(
            "deep", 'subscription { networkChanges(seeds: ["org:cedeao"], depth: 9) { truncated } }'
        )
        answers: dict[str, Any] = {}
        while len(answers) < 2:
            message = await ws.receive()
            if message["type"] == "next":
                answers[message["id"]] = message
    many = answers["many"]["payload"]["errors"][0]["extensions"]
    assert many == {"code": "BAD_USER_INPUT", "field": "seeds"}
    assert answers["deep"]["payload"]["errors"][0]["extensions"]["field"] == "depth"


async def test_a_slow_consumer_is_disconnected_with_a_clear_close_code(
    seeded_copy: Store,
) -> None:
    editor = await token(seeded_copy)
    app = create_app(Settings(subscription_queue=3), store=seeded_copy)
    async with websocket(app, max_pending=1) as ws, http(app) as client:
        await ws.init()
        await ws.subscribe("1", CHANGES)
        await registered(app)
        for number in range(8):  # the client reads nothing meanwhile
            await client.post("/graphql", json={"query": EDIT % number}, headers=editor)
        read = await client.post("/graphql", json={"query": '{ node(id: "org:cedeao") { id } }'})
        assert read.json()["data"]["node"]["id"] == "org:cedeao"  # reads keep answering
        messages = []
        while (message := await ws.receive(timeout=2))["type"] != "close":
            messages.append(message)
    assert message == {"type": "close", "code": 1008}
    assert len(messages) <= 3


async def test_the_allow_list_and_the_rate_limit_apply_over_the_websocket(
    seeded_copy: Store, tmp_path: Path
) -> None:
    allowed = tmp_path / "allowed.json"
    allowed.write_text(json.dumps({hashlib.sha256(CHANGES.encode()).hexdigest(): CHANGES}))
    settings = Settings(persisted_queries=allowed, rate_limit_per_minute=3)
    app = create_app(settings, store=seeded_copy)
    by_hash = {
        "persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(CHANGES.encode()).hexdigest()}
    }
    async with websocket(app) as ws:
        await ws.init()
        await ws.subscribe("other", "subscription { changes { ids } }")
        refused = await ws.receive()
        await ws.subscribe("hash", "", extensions=by_hash)
        await ws.subscribe("text", CHANGES)
        await ws.subscribe("over", CHANGES)
        limited = await ws.receive()
    assert (refused["type"], refused["id"]) == ("error", "other")
    assert refused["payload"][0]["extensions"]["code"] == "OPERATION_NOT_REGISTERED"
    assert (limited["type"], limited["id"]) == ("error", "over")
    assert limited["payload"][0]["extensions"]["code"] == "RATE_LIMITED"
