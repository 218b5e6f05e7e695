"""The HTTP surface: health, readiness, GraphQL POST, GraphiQL, guards."""

from __future__ import annotations

from peacegraph.graph.embedded.store import EmbeddedStore
from tests.support.http import client_for


async def test_health_and_readiness(embedded: EmbeddedStore) -> None:
    async with client_for(embedded) as client:
        assert (await client.get("/healthz")).json() == {"status": "ok"}
        ready = await client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["store"] == "embedded"


async def test_readiness_is_503_with_a_reason_when_the_store_is_gone(
    embedded: EmbeddedStore,
) -> None:
    async with client_for(embedded) as client:
        await embedded.close()
        ready = await client.get("/readyz")
        assert ready.status_code == 503
        assert "closed" in ready.json()["reason"]


async def test_graphql_post_answers(embedded: EmbeddedStore) -> None:
    async with client_for(embedded) as client:
        response = await client.post("/graphql", json={"query": "{ health }"})
        assert response.json() == {"data": {"health": "ok"}}


async def test_graphiql_page_is_served(embedded: EmbeddedStore) -> None:
    async with client_for(embedded) as client:
        page = await client.get("/graphql", headers={"accept": "text/html"})
        assert page.status_code == 200
        assert "graphiql" in page.text.lower()


async def test_oversized_body_is_refused_before_parsing(embedded: EmbeddedStore) -> None:
    async with client_for(embedded) as client:
        body = '{"query": "{ health }", "pad": "' + "x" * 5_000_000 + '"}'
        response = await client.post(
            "/graphql", content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code == 413
        assert response.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"
