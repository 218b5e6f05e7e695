"""Relationships and event counts read from a short report written for these tests (not
the Q3 report): one extraction per module, each test reads its part."""

from __future__ import annotations

import pytest

from peacegraph.extract import extractor, numbers, rules
from peacegraph.extract.facts import Draft
from peacegraph.extract.nlp import pipeline

REPORT = """**RAPPORT SEMESTRIEL DU RÉSEAU**

### PROJET D'APPUI À LA COHÉSION SOCIALE ENTRE LE NIGER ET LE TCHAD

Mis en œuvre depuis mars 2022, ce projet produit des bulletins mensuels.

**Participation à l'atelier de validation du plan national :**

Du 2 au 3 avril 2024, le Réseau Sahélien pour la Paix (RESAP) a contribué aux travaux à \
Maradi. Ont participé à cet atelier : Oxfam, CARE-Niger et Plan International.

## FORMATIONS

Le 12 juin 2024, le RESAP en collaboration avec la Fondation Tanimoune a organisé une \
formation à Zinder. Elle a réuni 40 participants dont 18 femmes (45 %) et 22 jeunes, venus \
des régions de Tahoua et Agadez. Le Directeur Exécutif du RESAP a pris part à la formation.

Dans les mêmes localités, le RESAP a tenu le 14 juin 2024 une session de sensibilisation.

Le 8 juillet 2024, un atelier de formation organisé par l'Union Africaine et le PNUD s'est \
tenu à Dakar au Sénégal, avec des délégués du Tchad et du Niger. Le 20 juillet 2024, le \
Comité National de Pilotage (Ministère de la Santé ; Ministère de la Justice ; Cour Suprême) \
s'est réuni à Niamey.
"""


@pytest.fixture(scope="module")
def draft() -> Draft:
    result, _ = extractor.extract(REPORT, "rapport.md")
    return result


def links(draft: Draft, type_: str) -> set[tuple[str, str]]:
    return {(k.source, k.target) for k in draft.links.values() if k.type == type_}


def event(draft: Draft, start: str) -> str:
    [found] = [e.id for e in draft.entities.values() if e.props.get("start") == start]
    return found


def test_a_heading_names_the_activity_its_first_dated_sentence_dates(draft: Draft) -> None:
    validation = draft.entities[event(draft, "2024-04-02")]
    assert (validation.name, validation.props["end"]) == (
        "Atelier de validation du plan national", "2024-04-03",
    )  # fmt: skip
    joined = {org for org, target in links(draft, "PARTICIPATED_IN") if target == validation.id}
    # the listed bodies, and the author that the heading "Participation à" speaks for
    assert {"org:oxfam", "org:care-niger", "org:plan-international", "org:resap"} <= joined


def test_a_programme_heading_gives_its_name_and_where_it_runs(draft: Draft) -> None:
    programme = "programme:projet-d-appui-a-la-cohesion-sociale"
    assert draft.entities[programme].name == "Projet d'appui à la cohésion sociale"
    assert {(programme, "place:niger"), (programme, "place:tchad")} <= links(draft, "HELD_AT")


def test_where_an_event_was_held_and_where_its_people_came_from(draft: Draft) -> None:
    training, dakar = event(draft, "2024-06-12"), event(draft, "2024-07-08")
    held = links(draft, "HELD_AT")
    assert {(training, "place:zinder"), (dakar, "place:dakar"), (dakar, "place:senegal")} <= held
    came = links(draft, "PARTICIPATED_IN")
    assert {("place:region-tahoua", training), ("place:region-agadez", training)} <= came or {
        ("place:tahoua", training),
        ("place:agadez", training),
    } <= came
    assert {("place:tchad", dakar), ("place:niger", dakar)} <= came


def test_the_same_places_as_the_activity_before(draft: Draft) -> None:
    session = event(draft, "2024-06-14")
    assert (session, "place:zinder") in links(draft, "HELD_AT")


def test_counts_of_participants_from_the_event_sentences(draft: Draft) -> None:
    training = draft.entities[event(draft, "2024-06-12")]
    assert {k: training.props.get(k) for k in ("participants", "women", "youth", "womenShare")} == {
        "participants": 40, "women": 18, "youth": 22, "womenShare": 45,
    }  # fmt: skip


def test_organisers_partners_attendance_and_employer(draft: Draft) -> None:
    training, dakar = event(draft, "2024-06-12"), event(draft, "2024-07-08")
    organised = links(draft, "ORGANIZED")
    assert {("org:resap", training), ("org:fondation-tanimoune", training)} <= organised
    # "organisé par X et Y ... s'est tenu": the agents, and "se tenir" organises nothing
    assert {org for org, target in organised if target == dakar} == {
        "org:union-africaine", "org:pnud",
    }  # fmt: skip
    assert links(draft, "PARTNER_OF") == {("org:resap", "org:fondation-tanimoune")}
    director = "person:directeur-executif-du-resap"
    assert (director, training) in links(draft, "ATTENDED")
    assert (director, "org:resap") in links(draft, "WORKS_FOR")


def test_members_listed_in_brackets_and_a_sentence_dated_otherwise(draft: Draft) -> None:
    committee = "org:comite-national-de-pilotage"
    assert {m for m, group in links(draft, "MEMBER_OF") if group == committee} == {
        "org:ministere-de-la-sante", "org:ministere-de-la-justice", "org:cour-supreme",
    }  # fmt: skip
    dakar = event(draft, "2024-07-08")
    # the committee met on 20 July: not at the 8 July workshop
    assert (committee, dakar) not in links(draft, "PARTICIPATED_IN")
    assert (dakar, "place:niamey") not in links(draft, "HELD_AT")


VISIT = """**VISITES**

Le 4 mars 2025, une délégation de CARE-Niger a rendu une visite de travail au RESAP à Tahoua.

Les conclusions de ladite visite :

L'engagement des autorités communales à suivre les recommandations.
"""


def test_a_visit_made_and_a_heading_that_points_back_to_it() -> None:
    result, _ = extractor.extract(VISIT, "visite.md")
    visit = event(result, "2025-03-04")
    assert ("org:care-niger", visit) in links(result, "ORGANIZED")
    # "ladite visite": the section under that heading is still about the visit, and
    # the local body is named after the place the passage is about
    assert ("org:autorites-communales-de-tahoua", visit) in links(result, "PARTICIPATED_IN")


def test_counts_with_shares_in_brackets_and_after_soit() -> None:
    doc = pipeline()(
        "La caravane a touché 60 personnes (75 %) des jeunes dont 12 femmes soit un taux de "
        "20 % et 9 jeunes soit un taux de 15 %."
    )
    assert rules.counts(doc[:], numbers.find(doc)) == {
        "participants": 60, "youthShare": 75, "women": 12, "womenShare": 20, "youth": 9,
    }  # fmt: skip


NETWORK = """**VIE DU RÉSEAU**

Le 3 février 2025, le RESAP a tenu une réunion de bilan à Dosso. La rencontre a réuni 30 \
délégués.

Le RESAP est membre du Réseau Africain pour la Paix (REAP) et travaille en partenariat avec \
Search for Common Ground et l'ONG Karkara. Le projet Voix des Femmes, financé par l'Union \
Européenne, couvre trois régions.
"""


def test_membership_partners_funding_and_what_a_later_paragraph_is_about() -> None:
    result, _ = extractor.extract(NETWORK, "reseau.md")
    assert links(result, "MEMBER_OF") == {("org:resap", "org:reap")}
    assert links(result, "PARTNER_OF") == {
        ("org:resap", "org:search-for-common-ground"), ("org:resap", "org:karkara"),
    }  # fmt: skip
    assert links(result, "FUNDED") == {("org:union-europeenne", "programme:voix-des-femmes")}
    meeting = event(result, "2025-02-03")
    # the second paragraph names no activity and no one coming: it is not about the meeting
    assert {org for org, target in links(result, "PARTICIPATED_IN") if target == meeting} <= {
        "org:resap"
    }


AUTHORITIES = """**RAPPORT ANNUEL – RÉSEAU SAHÉLIEN POUR LA PAIX**

**Rencontres :**

Le 6 mai 2025, le RESAP a rencontré les autorités communales de Maradi et le conseil \
régional. Le 9 mai 2025, un forum financé par l'Agence Française de Développement s'est \
tenu à Agadez; les autorités locales y ont pris la parole.
"""


def test_bodies_named_by_their_town_funders_and_headings_in_capitals() -> None:
    result, _ = extractor.extract(AUTHORITIES, "autorites.md")
    orgs = {e.name for e in result.entities.values() if e.label.value == "Organization"}
    # the heading in capitals names no body; a local body takes the town named before it
    assert orgs == {"RESAP", "Autorités communales de Maradi", "Conseil régional de Maradi",
                    "Agence Française de Développement", "Autorités locales d'Agadez"}  # fmt: skip
    assert ("org:autorites-communales-de-maradi", "place:maradi") in links(result, "HELD_AT")
    forum = event(result, "2025-05-09")
    joined = {org for org, target in links(result, "PARTICIPATED_IN") if target == forum}
    assert "org:agence-francaise-de-developpement" not in joined  # a funder, not a participant


LATER = """**ATELIER :**

Le 2 juin 2025, la chargée du Programme VOIX de CARE-Niger a pris part à un atelier à Dosso. \
Les discussions ont porté sur les réformes en cours au Niger.

Le présent rapport en rend compte avec le projet PAIX.
"""


def test_what_a_later_paragraph_and_a_title_do_not_say_of_an_event() -> None:
    result, _ = extractor.extract(LATER, "atelier.md")
    workshop = event(result, "2025-06-02")
    # the programme in a title is the office's; the country is background; "le présent
    # rapport" says nothing of who came
    assert (workshop, "programme:voix") not in links(result, "PART_OF")
    assert (workshop, "programme:paix") not in links(result, "PART_OF")
    assert ("place:niger", workshop) not in links(result, "PARTICIPATED_IN")
    assert (workshop, "place:dosso") in links(result, "HELD_AT")


INVITED = """**CONFÉRENCES :**

Le 7 octobre 2025, le RESAP a participé à une conférence sur la gouvernance locale à Kollo. \
Sur invitation de la Fondation Hirondelle, le RESAP y a présenté ses travaux.
"""


def test_the_host_that_invited_organised() -> None:
    result, _ = extractor.extract(INVITED, "invitation.md")
    conference = event(result, "2025-10-07")
    assert ("org:fondation-hirondelle", conference) in links(result, "ORGANIZED")
    assert ("org:resap", conference) in links(result, "PARTICIPATED_IN")


PROJECT = """**MISSIONS :**

Le 12 novembre 2025, une équipe du projet pilote (Niger, Tchad) de CARE-Niger a visité le \
RESAP. Le projet actuel s'achève en 2026.
"""


def test_a_programme_named_by_its_noun_and_an_adjective() -> None:
    result, _ = extractor.extract(PROJECT, "projet.md")
    programmes = {e.id: e for e in result.entities.values() if e.label.value == "Programme"}
    assert set(programmes) == {"programme:projet-pilote"}  # not "le projet actuel"
    assert programmes["programme:projet-pilote"].aliases == ["projet pilote (Niger, Tchad)"]
    assert {("programme:projet-pilote", "place:niger"), ("programme:projet-pilote",
            "place:tchad")} <= links(result, "HELD_AT")  # fmt: skip
    assert ("org:care-niger", "programme:projet-pilote") in links(result, "IMPLEMENTS")


DIALOGUE = """**DIALOGUES :**

Le 20 mars 2025, un dialogue communautaire a été organisé à Kolda par la COFEP en \
collaboration avec la Plateforme des Acteurs Non Étatiques et la direction régionale du \
développement communautaire. Les participants venaient des communes de Kolda, Vélingara et \
Médina Yoro Foula. La présidente de la COFEP a ouvert les travaux.
"""


def test_passive_organisers_platforms_of_members_and_listed_places() -> None:
    result, _ = extractor.extract(DIALOGUE, "dialogue.md")
    names = {e.name: e.label.value for e in result.entities.values()}
    assert names["Plateforme des Acteurs Non Étatiques"] == "Organization"
    assert names["Direction régionale du développement communautaire de Kolda"] == "Organization"
    assert names["Médina Yoro Foula"] == "Place"
    dialogue = event(result, "2025-03-20")
    assert {org for org, target in links(result, "ORGANIZED") if target == dialogue} == {
        "org:cofep", "org:plateforme-des-acteurs-non-etatiques",
        "org:direction-regionale-du-developpement-communautaire-de-kolda",
    }  # fmt: skip
    assert ("org:cofep", dialogue) not in links(result, "PARTICIPATED_IN")  # it organised
