"""The committed schema.graphql is the schema; every type, field and argument is described."""

from __future__ import annotations

from pathlib import Path

from peacegraph.graph.store import Store
from peacegraph.resolvers.limits import Limits
from peacegraph.schema.build import build_schema
from tests.support.http import client_for, graphql

SDL = Path(__file__).parents[2] / "schema.graphql"

INTROSPECTION = """
{ __schema { types { name kind description
    fields(includeDeprecated: true) { name description args { name description } }
    inputFields { name description } } } }
"""


def test_committed_sdl_is_up_to_date() -> None:
    current = build_schema(Limits()).as_str() + "\n"
    assert SDL.read_text(encoding="utf-8") == current, (
        "schema.graphql is out of date: run `peacegraph schema > schema.graphql`"
    )


async def test_every_type_field_and_argument_has_a_description(store: Store) -> None:
    async with client_for(store) as client:
        body = await graphql(client, INTROSPECTION)
    missing: list[str] = []
    for t in body["data"]["__schema"]["types"]:
        if t["name"].startswith("__") or t["kind"] == "SCALAR":
            continue
        if not t["description"]:
            missing.append(t["name"])
        for f in (t["fields"] or []) + (t["inputFields"] or []):
            if not f["description"]:
                missing.append(f"{t['name']}.{f['name']}")
            for a in f.get("args") or []:
                if not a["description"]:
                    missing.append(f"{t['name']}.{f['name']}({a['name']})")
    assert missing == []
