"""Names, people and places the title-case rules miss, on short French sentences written
for these tests (not the report's)."""

from __future__ import annotations

import pytest

from peacegraph.extract import mentions
from peacegraph.extract.facts import Mention
from peacegraph.extract.nlp import pipeline
from peacegraph.graph.model import Label


def found(text: str) -> list[Mention]:
    return mentions.find(pipeline()(text))


def named(text: str, label: Label) -> set[str]:
    return {m.name for m in found(text) if m.label is label}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Le plan a été remis aux autorités communales la semaine passée.", "Autorités communales"),
        ("Le comité de suivi national se réunit chaque mois.", "Comité de suivi national"),
        ("Elle a saisi la commission électorale indépendante hier.",
         "Commission électorale indépendante"),
    ],
)  # fmt: skip
def test_lower_case_bodies_with_an_institutional_adjective(text: str, name: str) -> None:
    assert name in named(text, Label.ORGANIZATION)


def test_a_generic_or_indefinite_noun_phrase_names_no_body() -> None:
    text = "Tous les comités nationaux et un comité local ont répondu; le comité a conclu."
    assert named(text, Label.ORGANIZATION) == set()


def test_a_unit_of_a_named_body_is_part_of_it() -> None:
    [unit] = [m for m in found("Nous avons rencontré la cellule genre de la mission MINUSCA.")
              if m.part_of]  # fmt: skip
    assert unit.name == "Cellule genre de la mission MINUSCA"
    assert unit.part_of == "MINUSCA"


def test_a_territorial_adjective_asks_for_the_place_served() -> None:
    [body] = found("Les autorités régionales ont pris la parole.")
    assert body.local


def test_an_adjective_shared_by_listed_bodies_qualifies_each() -> None:
    text = "Un appui à la Police, la Gendarmerie et la Garde nationale nigériennes."
    assert named(text, Label.ORGANIZATION) == {
        "Police nigérienne", "Gendarmerie nigérienne", "Garde nationale nigérienne",
    }  # fmt: skip


def test_appositions_and_descriptions() -> None:
    text = "Les membres du réseau RESAP et une agence Norvégienne ont reçu un TROPHEE."
    [network] = [m for m in found(text) if m.label is Label.ORGANIZATION]
    assert (network.name, network.alias) == ("RESAP", "réseau RESAP")


def test_an_acronym_before_a_year_is_an_edition_not_a_body() -> None:
    assert named("Le thème de la JMP 2024 a été choisi.", Label.ORGANIZATION) == set()


def test_venues_and_towns_after_a() -> None:
    text = "La réunion s'est tenue dans la salle de réunion Kadidia TRAORE à N'Djamena."
    places = {(m.name, m.kind) for m in found(text) if m.label is Label.PLACE}
    assert places == {("Salle de réunion Kadidia TRAORE", "venue"), ("N'Djamena", "town")}
    assert named(text, Label.PERSON) == set()


def test_a_programme_named_after_its_noun_is_known_by_its_name() -> None:
    [programme] = [m for m in found("Les données de la plateforme KOBO.") if
                   m.label is Label.PROGRAMME]  # fmt: skip
    assert (programme.name, programme.alias) == ("KOBO", "plateforme KOBO")


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("Les chargés de Plaidoyer et de Finances de CARE-Niger sont venus.",
         {"Chargé de Plaidoyer de CARE-Niger", "Chargé de Finances de CARE-Niger"}),
        ("Pour OXFAM, la Directrice Pays adjointe a signé.", {"Directrice Pays adjointe d'OXFAM"}),
        ("Une audience auprès du gouverneur de la région de Ségou.",
         {"Gouverneur de la région de Ségou"}),
        ("L'avis du Conseiller aux Affaires Sociales et Culturelles compte.",
         {"Conseiller aux Affaires Sociales et Culturelles"}),
        ("Le WASH Officer a suivi la formation.", {"WASH Officer"}),
    ],
)  # fmt: skip
def test_people_by_their_office(text: str, people: set[str]) -> None:
    assert named(text, Label.PERSON) == people


def test_an_office_names_its_employer() -> None:
    roles = {m.name: m.role_of for m in found("Pour OXFAM, la Directrice Pays adjointe a signé.")
             if m.label is Label.PERSON}  # fmt: skip
    assert roles == {"Directrice Pays adjointe d'OXFAM": "OXFAM"}


def test_a_country_after_au_is_where_a_body_is_not_its_name() -> None:
    text = "Une session sur les Organes de Contrôle de l'État au Niger et la Coalition du Togo."
    assert named(text, Label.ORGANIZATION) == {"Organes de Contrôle de l'État", "Coalition du Togo"}


def test_a_chain_of_hyphenated_names_is_one_token() -> None:
    doc = pipeline()("Le Corridor Dakar-Bamako-Niamey et la Guinée-Bissau.")
    assert {"Dakar-Bamako-Niamey", "Guinée-Bissau"} <= {t.text for t in doc}


def test_a_long_form_with_its_acronym_names_a_body_in_lower_case() -> None:
    text = "Sur invitation de l'Institut de recherche et de formation sociale-Irfos, nous."
    [body] = [m for m in found(text) if m.label is Label.ORGANIZATION]
    assert (body.name, body.alias) == ("Institut de recherche et de formation sociale", "Irfos")
