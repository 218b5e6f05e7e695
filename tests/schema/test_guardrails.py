"""Guardrails: depth, aliases, page size, size, with stable error codes; masking."""

from __future__ import annotations

import base64

import pytest

from peacegraph.graph.store import Store
from tests.support.counting import CountingStore
from tests.support.http import client_for, error_codes, graphql


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


async def test_too_deep_is_refused(store: Store) -> None:
    nested = "id " + "neighbours { node { " * 12 + "id" + " } }" * 12
    async with client_for(store) as client:
        body = await graphql(client, '{ node(id: "org:x") { ' + nested + " } }")
    assert error_codes(body) == ["QUERY_TOO_DEEP"]
    assert body.get("data") is None


async def test_two_hundred_aliases_are_refused(store: Store) -> None:
    aliases = " ".join(f"a{i}: health" for i in range(200))
    async with client_for(store) as client:
        body = await graphql(client, "{ " + aliases + " }")
    assert "TOO_MANY_ALIASES" in error_codes(body) or "QUERY_TOO_LARGE" in error_codes(body)
    assert body.get("data") is None


@pytest.mark.parametrize(
    "query",
    [
        "{ organizations(first: 100000) { edges { node { id } } } }",
        # Counted at the page-size maximum, nested huge pages are not "too costly":
        # they get the refusal that names the argument.
        "{ organizations(first: 10000000) { nodes { events(first: 10000000) { node { id } } } } }",
    ],
)
async def test_huge_page_is_refused(store: Store, query: str) -> None:
    async with client_for(store) as client:
        body = await graphql(client, query)
    assert error_codes(body) == ["PAGE_SIZE_EXCEEDED"]
    assert body["errors"][0]["extensions"]["field"] == "first"


async def test_too_many_tokens_is_refused(store: Store) -> None:
    query = "{ " + " ".join("health" for _ in range(3000)) + " }"
    async with client_for(store) as client:
        body = await graphql(client, query)
    assert error_codes(body) == ["QUERY_TOO_LARGE"]


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        _cursor("offset:²"),  # a digit to str.isdigit, not to int
        _cursor("offset:١٢"),  # Arabic-Indic digits: int reads them as 12
        _cursor("offset:" + "9" * 5_000),  # past int()'s digit limit
        _cursor("offset:" + "9" * 20),  # past a 64-bit SKIP
        _cursor("offset:-1"),
    ],
)
async def test_bad_cursor_names_the_argument(store: Store, cursor: str) -> None:
    query = "query($after: String) { people(after: $after) { edges { cursor } } }"
    async with client_for(store) as client:
        body = await graphql(client, query, {"after": cursor})
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert "after" in body["errors"][0]["message"]


async def test_a_cursor_far_past_the_end_is_an_empty_page(seeded: Store) -> None:
    """Any cursor that decodes is a position; one far past the end (a crafted one)
    answers an empty page, for every paged list."""
    pages = {
        "people": "people(first: 5, after: $after) { edges { cursor } pageInfo { hasNextPage } }",
        "node": 'node(id: "org:wanep-mali") { links(first: 5, after: $after) { '
        "edges { cursor } pageInfo { hasNextPage } } }",
    }
    async with client_for(seeded) as client:
        for name, page in pages.items():
            for digits in (5, 15):
                query = f"query($after: String) {{ {page} }}"
                body = await graphql(client, query, {"after": _cursor("offset:" + "9" * digits)})
                found = body["data"][name]
                found = found["links"] if name == "node" else found
                assert found["edges"] == [] and found["pageInfo"]["hasNextPage"] is False, name


async def test_unexpected_errors_are_masked_with_a_request_id(store: Store) -> None:
    async with client_for(store) as client:
        await store.close()
        body = await graphql(client, '{ node(id: "org:cedeao") { id } }')
    codes = error_codes(body)
    assert codes == ["STORE_UNAVAILABLE"]
    assert "Traceback" not in str(body) and ".py" not in str(body)


FAN_OUT = """query($n: Int!, $m: Int! = 100) { organizations(first: $n) { nodes { id
  events(first: $m) { node { id ... on Event { participants(first: $m) { node { id
    ... on Organization { events(first: $m) { node { id } } } } } } } } } } }"""


async def test_nested_page_sizes_multiplied_past_the_limit_are_refused(
    seeded: Store,
) -> None:
    """Four lists of 100 fit in a few lines and could return 10^8 items: refused before
    anything runs, naming the list where most would be; the same text with small
    pages runs, and a large one is refused again (variables are counted each time)."""
    counting = CountingStore(seeded)
    async with client_for(counting) as client:
        refused = await graphql(client, FAN_OUT, {"n": 100})
        small = await graphql(client, FAN_OUT, {"n": 2, "m": 3})
        again = await graphql(client, FAN_OUT, {"n": 100})
    assert error_codes(refused) == ["QUERY_TOO_COSTLY"] and refused.get("data") is None
    error = refused["errors"][0]
    assert error["extensions"]["field"] == "organizations.events.participants.events"
    assert "101,010,100 items" in error["message"] and "100,000" in error["message"]
    assert "errors" not in small and len(small["data"]["organizations"]["nodes"]) == 2
    assert again == refused
    # Nothing reached the store for either refusal: only the small query's calls.
    assert counting.names().count("list_nodes") == 1


async def test_the_result_limit_is_configurable(seeded: Store) -> None:
    query = "{ organizations(first: 50) { nodes { events(first: 50) { node { id } } } } }"
    async with client_for(seeded, max_result_items=1_000) as client:
        refused = await graphql(client, query)
    async with client_for(seeded) as client:
        allowed = await graphql(client, query)
    assert error_codes(refused) == ["QUERY_TOO_COSTLY"]
    assert "2,550 items" in refused["errors"][0]["message"]
    assert "errors" not in allowed
