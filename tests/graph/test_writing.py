"""The one write path (graph.writing, graph.importing, graph.undo) through the Store
protocol, on both stores: imports refuse existing ids unless told to merge, versions
only go up, every change is audited with before and after images and can be undone,
and the store's own entrances and the seed load refuse bad dates (issue 22)."""

from __future__ import annotations

import dataclasses

import pytest

from peacegraph.exchange.canonical import dumps
from peacegraph.exchange.dump import export_document
from peacegraph.graph.errors import Conflict, Invalid
from peacegraph.graph.importing import import_graph
from peacegraph.graph.model import Label, RelType
from peacegraph.graph.records import Node, Relationship
from peacegraph.graph.store import Store, StoreTransaction
from peacegraph.graph.undo import revert
from peacegraph.graph.writing import AUDIT, Author, ImportMode, Write, version_of
from peacegraph.seed import loader
from tests.support.bad_dates import BAD_DATES, BadDate

AUTHOR = Author("tester", note="test")
OVERWRITE = Node(Label.ORGANIZATION, "org:cordaid", "Overwritten", {}, ())


async def graph_export(store: Store) -> str:
    return dumps({k: v for k, v in (await export_document(store)).items() if k != "audit"})


async def imported(store: Store, nodes: list[Node], mode: ImportMode) -> tuple[int, int]:
    async def work(tx: StoreTransaction) -> tuple[int, int]:
        return await import_graph(Write(tx, AUTHOR), nodes, [], mode=mode, mutation="test")

    return await store.write(work)


async def test_existing_ids_are_refused_then_merged_audited_and_reverted(
    seeded_copy: Store,
) -> None:
    before_all = dumps(await export_document(seeded_copy))
    before = await graph_export(seeded_copy)
    with pytest.raises(Conflict, match="org:cordaid already exist"):
        await imported(seeded_copy, [OVERWRITE], ImportMode.CREATE)
    assert dumps(await export_document(seeded_copy)) == before_all

    stored = (await seeded_copy.get_nodes(["org:cordaid"]))["org:cordaid"]
    assert await imported(seeded_copy, [OVERWRITE], ImportMode.MERGE) == (1, 0)
    merged = (await seeded_copy.get_nodes(["org:cordaid"]))["org:cordaid"]
    assert merged.name == "Overwritten"
    assert merged.props["version"] == version_of(stored) + 1
    assert merged.sources[: len(stored.sources)] == stored.sources

    [entry] = (await seeded_copy.list_records(AUDIT, ref="org:cordaid", limit=1)).items
    assert entry.body["before"]["nodes"][0]["name"] == stored.name
    assert entry.body["after"]["nodes"][0]["name"] == "Overwritten"

    async def undo(tx: StoreTransaction) -> list[str]:
        return await revert(Write(tx, AUTHOR), entry.key)

    assert await seeded_copy.write(undo) == ["org:cordaid"]
    assert await graph_export(seeded_copy) == before
    with pytest.raises(Conflict, match="changed since"):
        await seeded_copy.write(undo)


async def test_a_merge_that_changes_nothing_keeps_the_version(seeded_copy: Store) -> None:
    stored = (await seeded_copy.get_nodes(["org:cordaid"]))["org:cordaid"]
    before = dumps(await export_document(seeded_copy))
    assert await imported(seeded_copy, [stored], ImportMode.MERGE) == (0, 0)
    assert dumps(await export_document(seeded_copy)) == before


async def test_versions_never_go_backwards(seeded_copy: Store) -> None:
    await imported(seeded_copy, [OVERWRITE], ImportMode.MERGE)
    version = (await seeded_copy.get_nodes(["org:cordaid"]))["org:cordaid"].props["version"]
    assert isinstance(version, int)
    for given in (1, version + 5):
        stale = dataclasses.replace(OVERWRITE, props={"version": given})
        with pytest.raises(Conflict, match=f"version {version}, not {given}"):
            await imported(seeded_copy, [stale], ImportMode.REPLACE)
    current = dataclasses.replace(OVERWRITE, name="Again", props={"version": version})
    await imported(seeded_copy, [current], ImportMode.REPLACE)
    assert (await seeded_copy.get_nodes(["org:cordaid"]))["org:cordaid"].props["version"] == (
        version + 1
    )


# -- bad dates at the store's entrances and the seed load, from one table --------------


def bad_node(bad: BadDate) -> Node:
    return Node(Label.ORGANIZATION, "org:cordaid", "Cordaid", bad.props(), ())


@pytest.mark.parametrize("bad", BAD_DATES, ids=str)
async def test_the_store_protocol_refuses_a_bad_date(seeded_copy: Store, bad: BadDate) -> None:
    before = dumps(await export_document(seeded_copy))
    with pytest.raises(Invalid) as refused:
        await seeded_copy.upsert_nodes([bad_node(bad)])
    assert refused.value.field == f"nodes[0].{bad.prop}"
    rel = Relationship(RelType.PARTNER_OF, "org:cordaid", "org:wanep-mali", bad.props())
    with pytest.raises(Invalid) as refused:
        await seeded_copy.upsert_relationships([rel])
    assert refused.value.field == f"relationships[0].{bad.prop}"
    assert dumps(await export_document(seeded_copy)) == before


@pytest.mark.parametrize("bad", BAD_DATES, ids=str)
async def test_an_import_through_the_write_path_refuses_a_bad_date(
    seeded_copy: Store, bad: BadDate
) -> None:
    before = dumps(await export_document(seeded_copy))
    with pytest.raises(Invalid) as refused:
        await imported(seeded_copy, [bad_node(bad)], ImportMode.MERGE)
    assert refused.value.field == f"nodes[0].{bad.prop}"
    assert dumps(await export_document(seeded_copy)) == before


@pytest.mark.parametrize("bad", BAD_DATES, ids=str)
async def test_the_seed_load_refuses_a_bad_date(store: Store, bad: BadDate) -> None:
    """Past the seed's own validator (the bundle is changed after it): the write path
    checks again."""
    [bundle] = loader.load_bundles()
    nodes = [bad_node(bad) if n.id == "org:cordaid" else n for n in bundle.nodes]
    index = next(i for i, n in enumerate(nodes) if n.id == "org:cordaid")
    with pytest.raises(Invalid) as refused:
        await loader.write_bundles(store, [dataclasses.replace(bundle, nodes=nodes)])
    assert refused.value.field == f"nodes[{index + 1}].{bad.prop}"  # the report comes first
    assert sum((await store.count_by_label()).values()) == 0


async def test_reverting_an_import_that_created_removes_what_it_created(
    seeded_copy: Store,
) -> None:
    before = await graph_export(seeded_copy)
    new = Node(Label.ORGANIZATION, "org:new-partner", "New Partner", {"kind": "ngo"}, ())
    rel = Relationship(RelType.PARTNER_OF, "org:new-partner", "org:cordaid", {"startDate": "2024"})

    async def work(tx: StoreTransaction) -> tuple[int, int]:
        return await import_graph(
            Write(tx, AUTHOR), [new], [rel], mode=ImportMode.CREATE, mutation="test"
        )

    assert await seeded_copy.write(work) == (1, 1)
    [entry] = (await seeded_copy.list_records(AUDIT, ref="org:new-partner", limit=1)).items

    async def undo(tx: StoreTransaction) -> list[str]:
        return await revert(Write(tx, AUTHOR), entry.key)

    assert await seeded_copy.write(undo) == ["org:new-partner"]
    assert await graph_export(seeded_copy) == before
