"""HTTP caching of reads over GET: an ETag from the graph's change stamp and the
query, 304 on If-None-Match until a write changes the graph; and CORS headers."""

from __future__ import annotations

import httpx

from peacegraph.app import auth
from peacegraph.app.settings import Settings
from peacegraph.graph.store import Store
from tests.support.http import client_for

READ = '{ organization(id: "org:cedeao") { name } }'
EDIT = (
    'mutation { upsertOrganization(input: {id: "org:cedeao", description: "changed"}, '
    'note: "test") { __typename } }'
)


async def editor(store: Store) -> dict[str, str]:
    _, text = await auth.create_token(store, "cache-editor", "editor")
    return {"authorization": f"Bearer {text}"}


async def get(client: httpx.AsyncClient, query: str = READ, **headers: str) -> httpx.Response:
    return await client.get("/graphql", params={"query": query}, headers=headers)


async def test_a_get_read_is_304_until_a_write_changes_the_graph(seeded_copy: Store) -> None:
    token = await editor(seeded_copy)
    async with client_for(seeded_copy) as client:
        first = await get(client)
        tag = first.headers["etag"]
        assert first.status_code == 200
        assert first.headers["cache-control"] == "no-cache"
        again = await get(client, **{"if-none-match": tag})
        assert again.status_code == 304
        assert again.content == b""
        assert again.headers["etag"] == tag
        other = await get(client, '{ organization(id: "org:fba") { name } }')
        assert other.headers["etag"] != tag
        edited = await client.post("/graphql", json={"query": EDIT}, headers=token)
        assert edited.json()["data"]["upsertOrganization"]["__typename"] == "Organization"
        after = await get(client, **{"if-none-match": tag})
        assert after.status_code == 200
        assert after.headers["etag"] != tag


async def test_a_refused_write_keeps_the_etag(seeded_copy: Store) -> None:
    async with client_for(seeded_copy) as client:
        tag = (await get(client)).headers["etag"]
        refused = await client.post("/graphql", json={"query": EDIT})
        assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert (await get(client, **{"if-none-match": tag})).status_code == 304


async def test_answers_with_errors_and_posts_carry_no_etag(seeded_copy: Store) -> None:
    async with client_for(seeded_copy) as client:
        failed = await get(client, "{ nope }")
        posted = await client.post("/graphql", json={"query": READ})
    assert "etag" not in failed.headers
    assert "etag" not in posted.headers


async def test_the_etag_depends_on_the_caller(seeded_copy: Store) -> None:
    token = await editor(seeded_copy)
    async with client_for(seeded_copy) as client:
        anonymous = (await get(client)).headers["etag"]
        known = await get(client, **{**token, "if-none-match": anonymous})
    assert known.status_code == 200
    assert known.headers["etag"] != anonymous
    assert known.headers["vary"].lower().startswith("authorization")


async def test_cache_control_is_configurable(seeded_copy: Store) -> None:
    settings = Settings(cache_control="private, max-age=30")
    async with client_for(seeded_copy, settings) as client:
        assert (await get(client)).headers["cache-control"] == "private, max-age=30"
    assert Settings.from_env({"PEACEGRAPH_CACHE_CONTROL": "max-age=5"}).cache_control == (
        "max-age=5"
    )
    assert Settings.from_env({}).cache_control == "no-cache"


async def test_answers_carry_the_request_id(seeded_copy: Store) -> None:
    async with client_for(seeded_copy) as client:
        given = await get(client, **{"x-request-id": "abc-123"})
        made = await client.post("/graphql", json={"query": "{ health }"})
    assert given.headers["x-request-id"] == "abc-123"
    assert made.headers["x-request-id"]


async def test_cors_allows_the_request_id_and_exposes_retry_after(seeded_copy: Store) -> None:
    settings = Settings(cors_origins=("https://app.example",))
    preflight = {
        "origin": "https://app.example",
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization, x-request-id, if-none-match",
    }
    async with client_for(seeded_copy, settings) as client:
        allowed = await client.options("/graphql", headers=preflight)
        simple = await get(client, origin="https://app.example")
    assert allowed.status_code == 200
    granted = allowed.headers["access-control-allow-headers"].lower()
    for header in ("authorization", "x-request-id", "if-none-match"):
        assert header in granted
    exposed = {
        h.strip().lower() for h in simple.headers["access-control-expose-headers"].split(",")
    }
    assert {"retry-after", "x-request-id", "etag"} <= exposed
