"""POSTed JSON operations: every shape of body gets the answer or refusal it should.

A plain JSON POST takes `GraphQLView.run_json_post`; other requests (GET, other
content types, streamed subscriptions, batches) take Strawberry's `run`. These
cases pin what a client sees, whichever way the request went.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from peacegraph.app.settings import Settings
from peacegraph.graph.embedded.store import EmbeddedStore
from tests.support.http import client_for, error_codes

pytestmark = pytest.mark.asyncio(loop_scope="session")

JSON = "application/json"


async def send(
    store: EmbeddedStore,
    body: Any,
    *,
    content_type: str = JSON,
    accept: str | None = None,
    settings: Settings | None = None,
) -> httpx.Response:
    headers = {"content-type": content_type, **({"accept": accept} if accept else {})}
    content = body if isinstance(body, bytes) else httpx.Request("POST", "/", json=body).content
    async with client_for(store, settings) as client:
        return await client.post("/graphql", content=content, headers=headers)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"query": 5}, "query"),
        ({"query": "{ health }", "variables": "x"}, "variables"),
        ({"query": "{ health }", "variables": [1]}, "variables"),
        ({"query": "{ health }", "extensions": "x"}, "extensions"),
    ],
)
async def test_a_member_of_the_wrong_type_is_refused_by_name(
    seeded: EmbeddedStore, body: dict[str, Any], field: str
) -> None:
    response = await send(seeded, body)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert f"`{field}`" in error["message"] and error["extensions"]["code"] == "BAD_REQUEST"


async def test_a_body_without_a_query_is_refused(seeded: EmbeddedStore) -> None:
    response = await send(seeded, {"variables": {}})
    assert response.status_code == 400
    assert "No GraphQL query" in response.json()["errors"][0]["message"]


async def test_operation_name_picks_one_operation_and_an_unknown_one_is_refused(
    seeded: EmbeddedStore,
) -> None:
    document = 'query A { health } query B { node(id: "org:cedeao") { id } }'
    chosen = await send(seeded, {"query": document, "operationName": "B"})
    assert chosen.json() == {"data": {"node": {"id": "org:cedeao"}}}
    unknown = await send(seeded, {"query": document, "operationName": "C"})
    assert unknown.status_code == 400
    assert error_codes(unknown.json()) == ["BAD_REQUEST"]


async def test_variables_null_and_a_charset_are_accepted(seeded: EmbeddedStore) -> None:
    response = await send(
        seeded, {"query": "{ health }", "variables": None}, content_type=f"{JSON}; charset=utf-8"
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"health": "ok"}}
    assert response.headers["content-type"] == JSON


async def test_a_mutation_goes_through_to_its_own_refusal(seeded: EmbeddedStore) -> None:
    """POST allows mutations; without a token this one is refused by the schema, not HTTP."""
    mutation = 'mutation { deleteNode(id: "org:cedeao") { __typename } }'
    response = await send(seeded, {"query": mutation})
    assert response.status_code == 200
    assert error_codes(response.json()) == ["UNAUTHENTICATED"]


async def test_other_content_types_are_left_to_strawberry(seeded: EmbeddedStore) -> None:
    response = await send(seeded, b"{ health }", content_type="text/plain")
    assert response.status_code == 400
    assert error_codes(response.json()) == ["BAD_REQUEST"]


async def test_a_batch_falls_back_and_is_answered_whole(seeded: EmbeddedStore) -> None:
    settings = Settings(batching=True)
    batch = [{"query": "{ health }"}, {"query": '{ node(id: "org:cedeao") { id } }'}]
    response = await send(seeded, batch, settings=settings)
    assert response.json() == [
        {"data": {"health": "ok"}},
        {"data": {"node": {"id": "org:cedeao"}}},
    ]


async def test_both_paths_give_the_same_answer(seeded: EmbeddedStore) -> None:
    """A query asking for a streamed answer takes Strawberry's path; its answer to a
    plain query must be the one the short path gives."""
    body = {
        "query": "query($id: ID!) { node(id: $id) { id name } }",
        "variables": {"id": "org:cedeao"},
    }
    short = await send(seeded, body)
    strawberry = await send(seeded, body, accept="multipart/mixed")
    assert short.json() == strawberry.json() and short.json()["data"]["node"]["id"] == "org:cedeao"
