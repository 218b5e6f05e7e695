"""Every event the report locates has its place in the seed, and every other event is
listed here with the reason it has none: a new event must be placed or explained."""

from __future__ import annotations

from peacegraph.graph.model import Label, RelType
from peacegraph.seed import loader

#: Events the report locates, with the places it names (venue, town, region or country).
LOCATED = {
    "event:2023-09-18-stage-un-cimic": {"place:emp-abb"},
    "event:2023-09-remise-chiwara-emp": {"place:emp-abb"},
    "event:2023-09-27-visite-wanep-burkina": {"place:mali"},
    "event:2023-q3-campagnes-loi-electorale": {
        "place:region-tombouctou",
        "place:region-taoudeni",
        "place:region-gao",
        "place:region-mopti",
        "place:region-menaka",
    },
    "event:2023-q3-sessions-oge": {
        "place:region-tombouctou",
        "place:region-taoudeni",
        "place:region-gao",
        "place:region-mopti",
        "place:region-menaka",
    },
    "event:2023-08-19-jij-ntabacoro": {"place:ntabacoro"},
    "event:2023-08-01-echange-jfa-burundi": {"place:burundi"},
    "event:2023-08-11-campagne-rss-bamako": {"place:bamako"},
    "event:2023-09-20-atelier-djenne": {"place:salle-mahamane-santara"},
    "event:2023-09-29-plaidoyer-mopti": {"place:mopti"},
    "event:2023-09-26-planification-internationale-jfa-nairobi": {"place:masai-lodge"},
    "event:2023-08-17-formation-c-paid-lagos": {"place:lagos"},
    "event:2023-09-16-conference-senare": {"place:emp-abb"},
    "event:2023-09-18-journee-reflexion-femmes-emp": {"place:emp-abb"},
    "event:2023-09-09-visite-parem": {"place:maison-bleue-wanep-mali"},
    # "Visite ... au Secrétariat National de WANEP", the maison bleue in Bamako.
    "event:2023-09-19-visite-fba": {"place:maison-bleue-wanep-mali"},
    "event:2023-09-21-reunion-drc": {"place:maison-bleue-wanep-mali"},
}
#: Events the report does not locate, and why they have no place.
UNLOCATED = {
    "event:2023-09-05-planification-annuelle-jfa": "the report does not say where",
    "event:2023-09-11-formation-ambassadrices-paix": "the regions named are the participants'",
    "event:2023-08-25-conference-cidoc": "'au Mali' is the debate's subject, not its venue",
    "event:2023-08-24-visite-eucap": "the report gives the date only",
}


def test_every_event_the_report_locates_has_its_place() -> None:
    bundles = loader.load_bundles()
    events = {n.id for b in bundles for n in b.nodes if n.label is Label.EVENT}
    held_at: dict[str, set[str]] = {}
    for bundle in bundles:
        for rel in bundle.relationships:
            if rel.type is RelType.HELD_AT and rel.source in events:
                held_at.setdefault(rel.source, set()).add(rel.target)
    assert events == set(LOCATED) | set(UNLOCATED), "place or explain every event"
    assert held_at == LOCATED
