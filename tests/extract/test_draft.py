"""The draft of a short French excerpt: what it proposes, that `seed check`'s validator
accepts it with every quote verbatim, and that loading it twice gives the same graph."""

from __future__ import annotations

from pathlib import Path

from peacegraph.extract import draft
from peacegraph.extract.evaluate import read
from peacegraph.graph.store import Store
from peacegraph.seed.loader import write_bundles
from peacegraph.seed.report import Report
from peacegraph.seed.validate import load_seed


def names(folder: Path, label: str) -> set[str]:
    return {n["name"] for n in read(folder).nodes if n["label"] == label}


def test_the_draft_proposes_entities_events_and_figures(excerpt_draft: Path) -> None:
    assert {"WANEP", "CNF", "CEDEAO"} <= names(excerpt_draft, "Organization")
    assert {"Ségou", "Bamako"} <= names(excerpt_draft, "Place")
    data = read(excerpt_draft)
    events = {n["start"]: n for n in data.nodes if n["label"] == "Event"}
    assert events["2023-09-05"]["end"] == "2023-09-07"
    assert "2023-09-19" in events
    [incidents] = [n for n in data.nodes if n["label"] == "Observation" and n["value"] == 45]
    assert incidents["unit"] == "incidents"
    kinds = {(r["type"], r["from"], r["to"]) for r in data.relationships}
    workshop = events["2023-09-05"]["id"]
    assert ("ORGANIZED", "org:wanep", workshop) in kinds
    assert ("HELD_AT", workshop, "place:segou") in kinds
    assert any(t == "PARTNER_OF" and {"org:wanep", "org:cedeao"} == {a, b} for t, a, b in kinds)
    wanep = next(n for n in data.nodes if n["id"] == "org:wanep")
    assert "Réseau Ouest Africain pour l'Édification de la Paix" in wanep["aliases"]


def test_every_fact_has_a_verbatim_quote_and_a_review_status(excerpt_draft: Path) -> None:
    data = read(excerpt_draft)
    report = Report.read(excerpt_draft / data.document["text"])
    for item in [*data.nodes, *data.relationships]:
        assert item["sources"], item
        for source in item["sources"]:
            assert report.blocks_containing(source["quote"]), source
    statuses = draft.read_review(excerpt_draft)["entities"]
    assert set(statuses) == {n["id"] for n in data.nodes}
    assert {s["status"] for s in statuses.values()} == {"proposed"}


def test_the_draft_passes_the_seed_validator(excerpt_draft: Path) -> None:
    bundle = load_seed(excerpt_draft, excerpt_draft)
    assert bundle.nodes
    assert all(row.status != "missing" for row in bundle.coverage)


async def test_loading_the_draft_twice_gives_the_same_graph(
    store: Store, excerpt_draft: Path
) -> None:
    bundle = load_seed(excerpt_draft, excerpt_draft)
    await write_bundles(store, [bundle])
    first = await store.all_nodes(offset=0, limit=1000)
    links = await store.all_relationships(offset=0, limit=1000)
    await write_bundles(store, [bundle])
    assert (await store.all_nodes(offset=0, limit=1000)).items == first.items
    assert (await store.all_relationships(offset=0, limit=1000)).items == links.items
    assert len(first.items) == len(bundle.nodes) + 1
