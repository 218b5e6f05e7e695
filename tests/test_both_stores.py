"""The two stores give the same graph and the same answers.

The seed's canonical export moves from the embedded store into Neo4j and back out
byte for byte, and every query of the cookbook (docs/queries) answers with the
same JSON on both stores.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from peacegraph.exchange.canonical import dumps
from peacegraph.exchange.dump import export_document, import_document
from peacegraph.graph.store import Store
from tests.conftest import open_store
from tests.support.http import client_for, graphql
from tests.support.neo4j_server import Neo4jServers

QUERIES = sorted((Path(__file__).parents[1] / "docs" / "queries").glob("*.graphql"))


async def test_the_seed_exported_from_embedded_and_imported_into_neo4j_exports_identically(
    seeded_embedded: Store, neo4j_servers: Neo4jServers, tmp_path: Path
) -> None:
    exported = dumps(await export_document(seeded_embedded))
    async with open_store("neo4j", neo4j_servers, tmp_path) as neo4j_store:
        await import_document(neo4j_store, json.loads(exported))
        again = dumps(await export_document(neo4j_store))
    assert again == exported


async def answers(store: Store, text: str) -> Any:
    async with client_for(store) as client:
        return await graphql(client, text)


@pytest.mark.parametrize("query_file", QUERIES, ids=lambda path: path.stem)
async def test_every_cookbook_query_answers_the_same_on_both_stores(
    seeded_embedded: Store, seeded_neo4j: Store, query_file: Path
) -> None:
    text = query_file.read_text()
    embedded_answer = await answers(seeded_embedded, text)
    assert "errors" not in embedded_answer, embedded_answer
    assert await answers(seeded_neo4j, text) == embedded_answer
