"""Typed network elements: the JSON `elements` as GraphQL types that code generators
can read (no JSON scalar), which Cytoscape.js from npm loads as they are."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from peacegraph.graph.store import Store
from tests.support.http import client_for, graphql

ROOT = Path(__file__).parents[2]
LOADER = Path(__file__).with_name("cytoscape_load.mjs")

NODE_FIELDS = "id label kind subkind start end sources"
EDGE_FIELDS = "id source target type role kind subkind label start end sources"
NETWORK = (
    '{ network(seeds: ["org:wanep-mali"], depth: 1, limit: 60) { elements typedElements { '
    f"__typename nodes {{ __typename data {{ __typename {NODE_FIELDS} }} }} "
    f"edges {{ __typename data {{ __typename {EDGE_FIELDS} }} }} }} }} }}"
)

INTROSPECT = """
query { __schema { types { name kind fields { name type { ...T } } } } }
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }
"""


async def network(store: Store) -> dict[str, Any]:
    async with client_for(store) as client:
        body = await graphql(client, NETWORK)
    assert "errors" not in body, body
    answer: dict[str, Any] = body["data"]["network"]
    return answer


@pytest.mark.asyncio(loop_scope="session")
async def test_typed_elements_hold_the_json_elements_and_more(seeded: Store) -> None:
    answer = await network(seeded)
    plain, typed = answer["elements"], answer["typedElements"]
    for group in ("nodes", "edges"):
        assert [e["data"]["id"] for e in typed[group]] == [e["data"]["id"] for e in plain[group]]
        for json_element, typed_element in zip(plain[group], typed[group], strict=True):
            for key, value in json_element["data"].items():
                assert typed_element["data"][key] == value, (group, key)
    assert all(n["data"]["sources"] for n in typed["nodes"] if n["data"]["kind"] != "Source")
    assert all(e["data"]["sources"] for e in typed["edges"])
    assert all(e["data"]["kind"] == e["data"]["type"] for e in typed["edges"])
    stored = await seeded.get_nodes([n["data"]["id"] for n in typed["nodes"]])
    for element in typed["nodes"]:
        props = stored[element["data"]["id"]].props
        assert element["data"]["end"] == props.get("endDate")
        assert element["data"]["start"] == props.get("startDate")


@pytest.mark.asyncio(loop_scope="session")
async def test_codegen_introspection_finds_no_json_scalar_in_them(seeded: Store) -> None:
    async with client_for(seeded) as client:
        types = (await graphql(client, INTROSPECT))["data"]["__schema"]["types"]
    by_name = {t["name"]: t for t in types}

    def named(type_ref: dict[str, Any]) -> dict[str, Any]:
        while type_ref.get("ofType"):
            type_ref = type_ref["ofType"]
        return type_ref

    seen: set[str] = set()
    pending = ["CytoscapeElements"]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        for field in by_name[name]["fields"] or []:
            leaf = named(field["type"])
            assert leaf["name"] != "JSON", f"{name}.{field['name']} is JSON"
            if leaf["kind"] == "OBJECT":
                pending.append(leaf["name"])
    assert {"CytoscapeNodeData", "CytoscapeEdgeData"} <= seen


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
async def test_cytoscape_from_npm_loads_the_typed_elements_unchanged(seeded: Store) -> None:
    typed = (await network(seeded))["typedElements"]
    loaded = subprocess.run(
        ["node", str(LOADER)],
        input=json.dumps(typed),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    drawn = json.loads(loaded.stdout)
    assert drawn["nodes"] == [n["data"] for n in typed["nodes"]]
    assert len(drawn["edges"]) == len(typed["edges"])
    for edge, element in zip(drawn["edges"], typed["edges"], strict=True):
        assert edge["sourceFound"] == element["data"]["source"]
        assert edge["targetFound"] == element["data"]["target"]
        assert {k: v for k, v in edge.items() if not k.endswith("Found")} == element["data"]
