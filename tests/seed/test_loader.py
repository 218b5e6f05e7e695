"""The seed in a real store: idempotent loads, entity resolution, refusal of bad files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from peacegraph.graph.model import Label, RelType
from peacegraph.graph.store import Direction, Store
from peacegraph.seed import loader
from peacegraph.seed.problems import SeedError

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def counts(store: Store) -> tuple[object, object]:
    return await store.count_by_label(), await store.count_by_type()


async def test_loading_twice_gives_the_same_graph(store: Store) -> None:
    await loader.write_bundles(store, loader.load_bundles())
    before = await counts(store)
    await loader.write_bundles(store, loader.load_bundles())
    assert await counts(store) == before
    labels, types = before
    assert labels[Label.SOURCE] == 1  # type: ignore[index]
    assert labels[Label.ORGANIZATION] > 40  # type: ignore[index]
    assert types[RelType.PARTICIPATED_IN] > 50  # type: ignore[index]


async def top_ids(store: Store, text: str, n: int = 1) -> list[str]:
    page = await store.search(text, limit=n)
    return [hit.node.id for hit in page.items]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ecowas", "org:cedeao"),
        ("Communauté économique des États de l'Afrique de l'Ouest", "org:cedeao"),
        ("UNDP", "org:pnud"),
        ("onu femmes", "org:onu-femmes"),
        ("UN Women", "org:onu-femmes"),
        ("taoudeni", "place:region-taoudeni"),
        ("minusma", "org:minusma"),
        ("MUNISMA", "org:minusma"),
        ("FAMAs", "org:fama"),
        ("Ecole de Maintien de la paix Aliou Blondin Bye", "org:emp-abb"),
        ("Search for Common Ground", "org:sfcg"),
        ("Folke Bernadotte Academy", "org:fba"),
        ("Conseil Danois pour les Réfugiés", "org:drc"),
        ("Burkina-Fasso", "place:burkina-faso"),
    ],
)
async def test_aliases_find_the_canonical_node(seeded: Store, text: str, expected: str) -> None:
    assert (await top_ids(seeded, text))[0] == expected


async def test_the_two_drcs_are_distinct_nodes(seeded: Store) -> None:
    found = set(await top_ids(seeded, "DRC", 5))
    assert {"org:drc", "place:rdc"} <= found
    nodes = await seeded.get_nodes(["org:drc", "place:rdc"])
    assert nodes["org:drc"].label is Label.ORGANIZATION
    assert nodes["place:rdc"].label is Label.PLACE


async def test_wanep_mali_is_part_of_wanep(seeded: Store) -> None:
    parents = await seeded.neighbours(
        "org:wanep-mali", direction=Direction.OUT, rel_types=[RelType.PART_OF]
    )
    assert [n.node.id for n in parents.items] == ["org:wanep"]
    assert parents.items[0].relationship.sources


async def test_a_corrected_typo_keeps_the_original_and_a_note(seeded: Store) -> None:
    node = (await seeded.get_nodes(["org:minusma"]))["org:minusma"]
    assert node.name == "MINUSMA"
    aliases = node.props.get("aliases")
    assert isinstance(aliases, list) and "MUNISMA" in aliases
    assert "MUNISMA" in str(node.props.get("note"))


async def test_every_node_and_relationship_in_the_store_has_a_source(
    seeded: Store,
) -> None:
    nodes = await seeded.all_nodes(offset=0, limit=10_000)
    rels = await seeded.all_relationships(offset=0, limit=10_000)
    facts = [n for n in nodes.items if n.label is not Label.SOURCE]  # the report is the source
    assert len(facts) == len(nodes.items) - 1
    assert all(n.sources for n in facts)
    assert all(r.sources for r in rels.items)


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("organizations.yaml", "id: org:cedeao", "id: org:cedeao\n  - broken: [yaml"),
        ("events.yaml", "org:wanep-mali", "org:nobody-at-all"),
        ("events.yaml", "2023-09-20", "2023-09-31"),
        ("places.yaml", "id: place:mopti", "id: place:bamako"),
    ],
)
async def test_a_corrupted_seed_is_refused_and_the_store_untouched(
    tmp_path: Path, store: Store, file: str, old: str, new: str
) -> None:
    data = tmp_path / "data"
    shutil.copytree(loader.DATA_DIR, data)
    target = next(data.glob(f"*/{file}"))
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    before = await counts(store)
    with pytest.raises(SeedError) as refused:
        await loader.write_bundles(store, loader.load_bundles(data))
    error = refused.value
    assert error.file.endswith(file) or file in str(error)
    assert error.line is not None
    assert await counts(store) == before
