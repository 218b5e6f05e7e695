"""Linking a draft to known entities: reuse an id, mark a new one, flag or resolve DRC."""

from __future__ import annotations

from peacegraph.extract.facts import AMBIGUOUS, KNOWN, NEW, Draft, Entity, Quote
from peacegraph.extract.linking import Linker, gazetteer, known_of
from peacegraph.graph.model import Label
from peacegraph.graph.records import Node

KNOWN_NODES = [
    Node(Label.ORGANIZATION, "org:cedeao", "CEDEAO",
         {"kind": "intergovernmental", "aliases": ["ECOWAS", "Communauté économique des États "
                                                   "de l'Afrique de l'Ouest"]}),
    Node(Label.ORGANIZATION, "org:drc", "Conseil danois pour les réfugiés",
         {"kind": "ngo", "aliases": ["Danish Refugee Council", "DRC"],
          "description": "Humanitarian organisation helping refugees and displaced people."}),
    Node(Label.PLACE, "place:rdc", "République démocratique du Congo",
         {"kind": "country", "aliases": ["RDC", "DRC", "Democratic Republic of the Congo"],
          "description": "Country of Central Africa, capital Kinshasa."}),
]  # fmt: skip
QUOTE = Quote("Rencontres", "quote")


def draft_of(*entities: Entity) -> Draft:
    draft = Draft("report.md")
    for entity in entities:
        draft.entities[entity.id] = entity
    return draft


def test_a_known_name_or_alias_reuses_the_id_and_links_follow() -> None:
    ecowas = Entity("org:ecowas", Label.ORGANIZATION, "ngo", "ECOWAS", sources=[QUOTE])
    meeting = Entity("event:x", Label.EVENT, "meeting", "Réunion", sources=[QUOTE])
    draft = draft_of(ecowas, meeting)
    draft.link("ORGANIZED", "org:ecowas", "event:x", QUOTE)
    Linker(known_of(KNOWN_NODES)).link(draft)
    linked = draft.entities["org:cedeao"]
    assert (linked.status, linked.name, linked.kind) == (KNOWN, "CEDEAO", "intergovernmental")
    assert "ECOWAS" in linked.aliases
    assert list(draft.links) == [("org:cedeao", "ORGANIZED", "event:x")]


def test_an_unknown_entity_is_new() -> None:
    draft = draft_of(Entity("org:amavec", Label.ORGANIZATION, "cso", "AMAVEC", sources=[QUOTE]))
    Linker(known_of(KNOWN_NODES)).link(draft)
    assert draft.entities["org:amavec"].status == NEW


def test_drc_alone_is_ambiguous_with_both_candidates() -> None:
    drc = Entity("org:drc-draft", Label.ORGANIZATION, "ngo", "DRC", sources=[QUOTE])
    drc.context = ["Une réunion avec DRC a eu lieu."]
    draft = draft_of(drc)
    Linker(known_of(KNOWN_NODES)).link(draft)
    entity = draft.entities["org:drc-draft"]
    assert entity.status == AMBIGUOUS
    assert entity.candidates == ["org:drc", "place:rdc"]


def test_drc_is_resolved_by_its_context() -> None:
    charity = Entity("org:x", Label.ORGANIZATION, "ngo", "DRC", sources=[QUOTE])
    charity.context = ["le bureau du Conseil Danois pour les Réfugiés DRC à Bamako"]
    country = Entity("place:y", Label.PLACE, "country", "DRC", sources=[QUOTE])
    country.context = ["des pays comme la République Démocratique du Congo (DRC)"]
    draft = draft_of(charity, country)
    Linker(known_of(KNOWN_NODES)).link(draft)
    assert set(draft.entities) == {"org:drc", "place:rdc"}
    assert draft.entities["org:drc"].candidates == ["org:drc", "place:rdc"]


def test_an_expansion_among_the_names_settles_it() -> None:
    drc = Entity("org:z", Label.ORGANIZATION, "ngo", "DRC", aliases=["Danish Refugee Council"],
                 sources=[QUOTE])  # fmt: skip
    draft = draft_of(drc)
    Linker(known_of(KNOWN_NODES)).link(draft)
    assert draft.entities["org:drc"].status == KNOWN


def test_the_graph_gazetteer_leaves_out_names_two_labels_share() -> None:
    names = gazetteer(known_of(KNOWN_NODES))
    assert names["CEDEAO"] is Label.ORGANIZATION
    assert names["République démocratique du Congo"] is Label.PLACE
    assert "DRC" not in names
