"""POSTed JSON operations: every shape of body gets the answer or refusal it should.

Strawberry's view parses and runs every request; these cases pin what a client
sees, refusals included (coded JSON, never plain text).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from peacegraph.app.settings import Settings
from peacegraph.graph.store import Store
from tests.support.http import client_for, error_codes

pytestmark = pytest.mark.asyncio(loop_scope="session")

JSON = "application/json"


async def send(
    store: Store,
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
    seeded: Store, body: dict[str, Any], field: str
) -> None:
    response = await send(seeded, body)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert f"`{field}`" in error["message"] and error["extensions"]["code"] == "BAD_REQUEST"


async def test_a_body_without_a_query_is_refused(seeded: Store) -> None:
    response = await send(seeded, {"variables": {}})
    assert response.status_code == 400
    assert "No GraphQL query" in response.json()["errors"][0]["message"]


async def test_operation_name_picks_one_operation_and_an_unknown_one_is_refused(
    seeded: Store,
) -> None:
    document = 'query A { health } query B { node(id: "org:cedeao") { id } }'
    chosen = await send(seeded, {"query": document, "operationName": "B"})
    assert chosen.json() == {"data": {"node": {"id": "org:cedeao"}}}
    unknown = await send(seeded, {"query": document, "operationName": "C"})
    assert unknown.status_code == 400
    assert error_codes(unknown.json()) == ["BAD_REQUEST"]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            'query A { health } query B { node(id: "org:cedeao") { id } }',
            "Must provide operation name",
        ),
        ('{ health } { node(id: "org:cedeao") { id } }', "must be the only defined operation"),
    ],
)
async def test_several_operations_without_a_name_run_none(
    seeded: Store, document: str, message: str
) -> None:
    """The spec's refusals: an operation name is needed to pick one of several
    operations, and an anonymous operation must be the only one."""
    response = await send(seeded, {"query": document})
    body = response.json()
    assert body.get("data") is None
    assert body["errors"] and all(message in error["message"] for error in body["errors"])
    assert all(error["extensions"]["code"] for error in body["errors"])


async def test_variables_null_and_a_charset_are_accepted(seeded: Store) -> None:
    response = await send(
        seeded, {"query": "{ health }", "variables": None}, content_type=f"{JSON}; charset=utf-8"
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"health": "ok"}}
    assert response.headers["content-type"] == JSON


async def test_a_mutation_goes_through_to_its_own_refusal(seeded: Store) -> None:
    """POST allows mutations; without a token this one is refused by the schema, not HTTP."""
    mutation = 'mutation { deleteNode(id: "org:cedeao") { __typename } }'
    response = await send(seeded, {"query": mutation})
    assert response.status_code == 200
    assert error_codes(response.json()) == ["UNAUTHENTICATED"]


async def test_other_content_types_are_left_to_strawberry(seeded: Store) -> None:
    response = await send(seeded, b"{ health }", content_type="text/plain")
    assert response.status_code == 400
    assert error_codes(response.json()) == ["BAD_REQUEST"]


async def test_a_batch_falls_back_and_is_answered_whole(seeded: Store) -> None:
    settings = Settings(batching=True)
    batch = [{"query": "{ health }"}, {"query": '{ node(id: "org:cedeao") { id } }'}]
    response = await send(seeded, batch, settings=settings)
    assert response.json() == [
        {"data": {"health": "ok"}},
        {"data": {"node": {"id": "org:cedeao"}}},
    ]


async def test_a_client_accepting_a_streamed_answer_gets_the_same_answer(
    seeded: Store,
) -> None:
    """A client that accepts multipart answers gets the same JSON for a plain query."""
    body = {
        "query": "query($id: ID!) { node(id: $id) { id name } }",
        "variables": {"id": "org:cedeao"},
    }
    plain = await send(seeded, body)
    streamed = await send(seeded, body, accept="multipart/mixed")
    assert plain.json() == streamed.json() and plain.json()["data"]["node"]["id"] == "org:cedeao"
