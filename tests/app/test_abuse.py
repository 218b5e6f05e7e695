"""Hostile requests are refused cheaply, each with a stable code.

"Cheaply" is shown by the store: a CountingStore records every call, and none of
these requests may reach it. Times are only checked against the request timeout
(machines are noisy), never against a tight bound.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from peacegraph.app.factory import create_app
from peacegraph.app.settings import Settings
from peacegraph.graph.store import Store
from peacegraph.resolvers.limits import Limits
from tests.support.counting import CountingStore
from tests.support.http import error_codes
from tests.support.server import running

pytestmark = pytest.mark.asyncio(loop_scope="session")

LIMITS = Limits(timeout_seconds=5.0)


async def post(store: Any, body: Any, settings: Settings | None = None) -> httpx.Response:
    app = create_app(settings or Settings(limits=LIMITS), store=store)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        return await client.post(
            "/graphql", content=content, headers={"content-type": "application/json"}
        )


async def refused(seeded: Store, body: Any, settings: Settings | None = None) -> list[str]:
    """The codes a request is refused with, after checking the store never saw it."""
    counting = CountingStore(seeded)
    started = time.perf_counter()
    response = await post(counting, body, settings)
    assert time.perf_counter() - started < LIMITS.timeout_seconds
    assert counting.calls == [], counting.names()
    payload = response.json()
    assert isinstance(payload, dict) and payload.get("data") is None, payload
    return error_codes(payload)


def nested(levels: int) -> str:
    return (
        '{ node(id: "org:cedeao") { '
        + "neighbours { node { " * levels
        + "id"
        + " } }" * levels
        + " } }"
    )


async def test_deep_nesting_is_refused(seeded: Store) -> None:
    assert await refused(seeded, {"query": nested(12)}) == ["QUERY_TOO_DEEP"]


async def test_nesting_deeper_than_the_parser_allows_is_refused(seeded: Store) -> None:
    assert await refused(seeded, {"query": nested(400)}) == ["QUERY_TOO_DEEP"]


async def test_an_alias_flood_is_refused(seeded: Store) -> None:
    aliases = " ".join(f'a{i}: node(id: "org:cedeao") {{ id }}' for i in range(100))
    assert await refused(seeded, {"query": "{ " + aliases + " }"}) == ["TOO_MANY_ALIASES"]


async def test_a_field_duplication_flood_is_refused(seeded: Store) -> None:
    # 1,500 copies of one field fit under the token limit and need no alias; checking
    # that they can be merged is quadratic, so the count is refused before validation.
    query = "{ " + " ".join(["health"] * 1500) + " }"
    assert await refused(seeded, {"query": query}) == ["TOO_MANY_FIELDS"]


async def test_a_fragment_bomb_is_refused(seeded: Store) -> None:
    # Each fragment spreads the next one twice: 2^20 fields from a few hundred tokens.
    fragments = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(20)]
    query = "{ ...F0 } " + " ".join(fragments) + " fragment F20 on Query { health }"
    assert await refused(seeded, {"query": query}) == ["TOO_MANY_FIELDS"]


async def test_circular_fragments_are_refused(seeded: Store) -> None:
    query = (
        '{ node(id: "org:cedeao") { ...A } } '
        "fragment A on Node { id neighbours { node { ...B } } } "
        "fragment B on Node { name ...A }"
    )
    assert await refused(seeded, {"query": query}) == ["GRAPHQL_VALIDATION_FAILED"]


@pytest.mark.parametrize(
    ("query", "argument"),
    [
        ("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", "ids"),
        ("query($ids: [ID!]!) { network(seeds: $ids) { truncated } }", "seeds"),
    ],
)
async def test_a_huge_list_of_ids_is_refused(seeded: Store, query: str, argument: str) -> None:
    ids = [f"org:x{i}" for i in range(50_000)]
    settings = Settings(limits=Limits(timeout_seconds=5.0, max_body_bytes=2_000_000))
    counting = CountingStore(seeded)
    response = await post(counting, {"query": query, "variables": {"ids": ids}}, settings)
    assert counting.calls == []
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": argument}


async def test_a_list_of_ids_over_the_body_limit_is_refused(seeded: Store) -> None:
    ids = [f"org:x{i}" for i in range(200_000)]
    body = {"query": "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", "variables": {"ids": ids}}
    assert await refused(seeded, body) == ["REQUEST_TOO_LARGE"]


async def test_json_nested_past_the_recursion_limit_is_a_bad_request(
    seeded: Store,
) -> None:
    body = b'{"query": "{ health }", "variables": {"a": ' + b"[" * 50_000 + b"]" * 50_000 + b"}}"
    assert await refused(seeded, body) == ["BAD_REQUEST"]


async def test_batched_requests_are_refused_unless_configured(seeded: Store) -> None:
    batch = [{"query": "{ health }"}] * 2
    assert await refused(seeded, batch) == ["BATCHING_DISABLED"]


async def test_batches_are_capped_at_max_batch(seeded: Store) -> None:
    settings = Settings(batching=True, limits=Limits(max_batch=3))
    allowed = await post(seeded, [{"query": "{ health }"}] * 3, settings)
    assert allowed.json() == [{"data": {"health": "ok"}}] * 3
    assert await refused(seeded, [{"query": "{ health }"}] * 4, settings) == ["TOO_MANY_OPERATIONS"]


async def test_a_body_declared_too_large_is_refused_unread(seeded: Store) -> None:
    body = json.dumps({"query": "{ health }", "pad": "x" * 2_000_000}).encode()
    assert await refused(seeded, body) == ["REQUEST_TOO_LARGE"]


async def test_a_streamed_body_is_cut_when_it_passes_the_limit(seeded: Store) -> None:
    sent = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal sent
        yield b'{"query": "{ health }", "pad": "'
        while sent < 50_000_000:  # far more than the limit: the guard must stop reading
            sent += 64_000
            yield b"x" * 64_000

    app = create_app(Settings(limits=LIMITS), store=seeded)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.post(
            "/graphql", content=endless(), headers={"content-type": "application/json"}
        )
    assert response.status_code == 413
    assert error_codes(response.json()) == ["REQUEST_TOO_LARGE"]
    assert sent < 5 * LIMITS.max_body_bytes


async def test_a_body_that_trickles_in_hits_the_timeout(seeded: Store) -> None:
    async def trickle() -> AsyncIterator[bytes]:
        for byte in b'{"query": "{ health }"}':
            await asyncio.sleep(0.2)
            yield bytes([byte])

    settings = Settings(limits=Limits(timeout_seconds=0.5))
    app = create_app(settings, store=seeded)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        started = time.perf_counter()
        response = await client.post(
            "/graphql", content=trickle(), headers={"content-type": "application/json"}
        )
    assert response.status_code == 504
    assert error_codes(response.json()) == ["TIMEOUT"]
    assert time.perf_counter() - started < 4.0  # the whole body would take 4.6 s


async def test_a_slow_client_on_a_real_socket_is_cut_at_the_timeout(
    seeded: Store,
) -> None:
    settings = Settings(limits=Limits(timeout_seconds=0.5))
    async with running(create_app(settings, store=seeded)) as port:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        body = b'{"query": "{ health }"}'
        writer.write(
            b"POST /graphql HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\n"
            b"content-length: " + str(len(body)).encode() + b"\r\n\r\n" + body[:5]
        )
        await writer.drain()
        started = time.perf_counter()
        answer = await asyncio.wait_for(reader.read(4096), timeout=10)
        elapsed = time.perf_counter() - started
        writer.close()
        await writer.wait_closed()
    assert answer.startswith(b"HTTP/1.1 504")
    assert b'"TIMEOUT"' in answer
    assert elapsed < 5.0


async def test_rate_limiting_is_off_by_default(seeded: Store) -> None:
    app = create_app(Settings(), store=seeded)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        statuses = {
            (await client.post("/graphql", json={"query": "{ health }"})).status_code
            for _ in range(50)
        }
    assert statuses == {200}


async def test_rate_limiting_counts_per_token_and_per_address(seeded: Store) -> None:
    app = create_app(Settings(rate_limit_per_minute=3), store=seeded)
    transport = httpx.ASGITransport(app=app)
    one = {"authorization": "Bearer pg_0123456789ab_" + "s" * 40}
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        anonymous = [await client.post("/graphql", json={"query": "{ health }"}) for _ in range(4)]
        with_token = await client.post("/graphql", json={"query": "{ health }"}, headers=one)
    assert [r.status_code for r in anonymous] == [200, 200, 200, 429]
    assert error_codes(anonymous[-1].json()) == ["RATE_LIMITED"]
    assert int(anonymous[-1].headers["retry-after"]) >= 1
    assert with_token.status_code != 429
