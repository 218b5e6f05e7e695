"""The HTTP surface: health, readiness, GraphQL POST, GraphiQL, guards."""

from __future__ import annotations

import pytest

from peacegraph.app.settings import Settings, SettingsError
from peacegraph.graph.store import Store
from tests.support.http import client_for


async def test_health_and_readiness(store: Store) -> None:
    async with client_for(store) as client:
        assert (await client.get("/healthz")).json() == {"status": "ok"}
        ready = await client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["store"] == store.backend


async def test_readiness_is_503_with_a_reason_when_the_store_is_gone(
    store: Store,
) -> None:
    async with client_for(store) as client:
        await store.close()
        ready = await client.get("/readyz")
        assert ready.status_code == 503
        assert "closed" in ready.json()["reason"]


async def test_graphql_post_answers(store: Store) -> None:
    async with client_for(store) as client:
        response = await client.post("/graphql", json={"query": "{ health }"})
        assert response.json() == {"data": {"health": "ok"}}


async def test_graphiql_page_is_served(store: Store) -> None:
    async with client_for(store) as client:
        page = await client.get("/graphql", headers={"accept": "text/html"})
        assert page.status_code == 200
        assert "graphiql" in page.text.lower()


async def test_oversized_body_is_refused_before_parsing(store: Store) -> None:
    async with client_for(store) as client:
        body = '{"query": "{ health }", "pad": "' + "x" * 5_000_000 + '"}'
        response = await client.post(
            "/graphql", content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code == 413
        assert response.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"


NETWORK = '{ network(seeds: ["org:wanep-mali"], depth: 2, limit: 200) { truncated elements } }'


async def test_large_answers_are_gzipped_for_clients_that_accept_it(
    seeded_copy: Store,
) -> None:
    async with client_for(seeded_copy) as client:
        plain = await client.post(
            "/graphql", json={"query": NETWORK}, headers={"accept-encoding": "identity"}
        )
        packed = await client.post(
            "/graphql", json={"query": NETWORK}, headers={"accept-encoding": "gzip"}
        )
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in packed.headers["vary"].lower()
    assert packed.json() == plain.json() and plain.json()["data"]["network"]["elements"]
    assert packed.num_bytes_downloaded * 4 < plain.num_bytes_downloaded
    # The security headers are still there on a compressed answer.
    assert packed.headers["x-content-type-options"] == "nosniff"


async def test_small_answers_and_a_server_told_not_to_are_not_compressed(
    seeded_copy: Store,
) -> None:
    gzip_only = {"accept-encoding": "gzip"}
    async with client_for(seeded_copy) as client:
        small = await client.post("/graphql", json={"query": "{ health }"}, headers=gzip_only)
    assert "content-encoding" not in small.headers
    async with client_for(seeded_copy, Settings(compress_min_bytes=0)) as client:
        large = await client.post("/graphql", json={"query": NETWORK}, headers=gzip_only)
    assert "content-encoding" not in large.headers and large.json()["data"]["network"]


def test_the_compression_threshold_is_checked_at_start() -> None:
    assert Settings.from_env({"PEACEGRAPH_COMPRESS_MIN_BYTES": "0"}).compress_min_bytes == 0
    with pytest.raises(SettingsError, match="PEACEGRAPH_COMPRESS_MIN_BYTES"):
        Settings.from_env({"PEACEGRAPH_COMPRESS_MIN_BYTES": "-5"})
