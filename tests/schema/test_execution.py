"""The short way `QuietSchema` runs an operation it has checked before gives what
Strawberry's own path gives: the same data, the same errors with the same codes,
paths and locations, the same refusals raised, for every kind of operation."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from peacegraph.graph.embedded.store import EmbeddedStore
from peacegraph.resolvers.context import Context
from peacegraph.resolvers.limits import Limits
from peacegraph.schema.build import build_schema
from peacegraph.schema.documents import DocumentCache
from peacegraph.schema.execution import QuietSchema

LOOKUP = "query Lookup($id: ID!) { node(id: $id) { id name ... on Organization { kind } } }"
TWO_OPERATIONS = 'query A { health } query B { node(id: "org:cedeao") { id } }'

#: (query, variables, operation name, operation types allowed) and what it checks.
CASES: dict[str, tuple[str, dict[str, Any] | None, str | None, set[OperationType] | None]] = {
    "lookup": (LOOKUP, {"id": "org:cedeao"}, None, None),
    "missing node": (LOOKUP, {"id": "org:nobody"}, None, None),
    "bad variable": (LOOKUP, {"id": 5}, None, None),
    "missing variable": (LOOKUP, {}, None, None),
    "resolver error with a code": (
        '{ organizations(after: "not-a-cursor") { edges { cursor } } }',
        None,
        None,
        None,
    ),
    "nested lists": (
        "{ organizations(first: 3) { nodes { id events(first: 2) { node { id } } } } }",
        None,
        None,
        None,
    ),
    "first of two operations": (TWO_OPERATIONS, None, None, None),
    "named one of two": (TWO_OPERATIONS, None, "B", None),
    "mutation without a token": (
        'mutation { deleteNode(id: "org:cedeao") { __typename } }',
        None,
        None,
        None,
    ),
    "mutation refused over GET": (
        'mutation { deleteNode(id: "org:cedeao") { __typename } }',
        None,
        None,
        {OperationType.QUERY},
    ),
    "unknown operation name": (TWO_OPERATIONS, None, "C", None),
    "too many results for these variables": (
        "query($n: Int!) { organizations(first: $n) { nodes { events(first: $n) { node {"
        " ... on Event { participants(first: $n) { node { id } } } } } } } }",
        {"n": 100},
        None,
        None,
    ),
}


def _plain(result: ExecutionResult) -> tuple[Any, Any, Any]:
    errors = [error.formatted for error in result.errors or []]
    return result.data, errors, result.extensions


async def _outcome(
    schema: QuietSchema,
    store: EmbeddedStore,
    case: tuple[str, dict[str, Any] | None, str | None, set[OperationType] | None],
) -> tuple[Any, ...]:
    query, variables, name, allowed = case
    context = Context(store=store, limits=Limits(), request_id="test")
    try:
        result = await schema.execute(
            query,
            variable_values=variables,
            context_value=context,
            operation_name=name,
            allowed_operation_types=allowed,
        )
    except Exception as refusal:  # noqa: BLE001 - a refusal raised is part of the outcome
        return ("raised", type(refusal), str(refusal))
    return _plain(result)


@pytest.mark.parametrize("name", list(CASES))
async def test_a_checked_operation_runs_the_short_way_with_the_same_outcome(
    seeded: EmbeddedStore, name: str
) -> None:
    """Each case on a schema that has never seen its text (Strawberry's path), then on
    one that has run the text once before (marked ready: the short path, or back to
    Strawberry's for a refusal)."""
    case = CASES[name]
    query = case[0]
    strawberry_way = await _outcome(build_schema(Limits()), seeded, case)
    primed = build_schema(Limits())
    await _outcome(primed, seeded, (query, None, None, None))
    assert isinstance(primed._documents, DocumentCache)
    assert primed._documents.ready(query) is not None, "the text should be marked ready"
    assert await _outcome(primed, seeded, case) == strawberry_way


async def test_invalid_and_unparsable_texts_are_never_marked_ready(seeded: EmbeddedStore) -> None:
    schema = build_schema(Limits())
    documents = schema._documents
    assert documents is not None
    for query in ("{ nosuchfield }", "{ health ", "{ node(id: true) { id } }"):
        for _ in range(2):
            result = await _outcome(schema, seeded, (query, None, None, None))
            assert result[1], query  # errors both times
        assert documents.ready(query) is None


async def test_introspection_off_is_refused_on_both_ways(seeded: EmbeddedStore) -> None:
    schema = build_schema(Limits(), introspection=False)
    query = "{ health }"
    await _outcome(schema, seeded, (query, None, None, None))
    refused = await _outcome(schema, seeded, ("{ __schema { types { name } } }", None, None, None))
    again = await _outcome(schema, seeded, ("{ __schema { types { name } } }", None, None, None))
    assert refused == again and refused[0] is None
    assert "introspection" in refused[1][0]["message"].lower()


async def test_resolvers_failing_for_want_of_a_context_answer_alike(
    seeded: EmbeddedStore,
) -> None:
    """Without a context every resolver fails: the same error result both ways."""
    schema = build_schema(Limits())
    outcomes = []
    for _ in range(2):
        result = await schema.execute(LOOKUP, variable_values={"id": "org:cedeao"})
        outcomes.append(_plain(result))
        assert result.errors and all(isinstance(e, GraphQLError) for e in result.errors)
    assert outcomes[0] == outcomes[1]


async def test_graphql_core_raising_is_answered_the_same_way(seeded: EmbeddedStore) -> None:
    """Variables that are not an object make graphql-core raise before it executes;
    both paths answer that as an error result rather than raising."""
    not_an_object: Any = ["org:cedeao"]

    async def answer(schema: QuietSchema) -> tuple[Any, ...]:
        context = Context(store=seeded, limits=Limits(), request_id="test")
        result = await schema.execute(LOOKUP, variable_values=not_an_object, context_value=context)
        assert result.data is None and result.errors
        return _plain(result)

    primed = build_schema(Limits())
    await _outcome(primed, seeded, (LOOKUP, {"id": "org:cedeao"}, None, None))
    assert await answer(primed) == await answer(build_schema(Limits()))
