"""French date, figure and acronym patterns, on general phrases (not the report's)."""

from __future__ import annotations

import pytest

from peacegraph.extract import acronyms, dates, numbers
from peacegraph.extract.nlp import pipeline


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("La mission a eu lieu du 5 au 7 septembre 2023 à Kayes.", "2023-09-05", "2023-09-07"),
        ("Du 30 août au 2 septembre 2022, un forum.", "2022-08-30", "2022-09-02"),
        ("De juillet à septembre 2023, dix rapports.", "2023-07", "2023-09"),
        ("Le projet (Janvier 2021 - Décembre 2025) vise la paix.", "2021-01", "2025-12"),
        ("Un partenariat noué depuis 2011 entre les deux.", "2011", None),
        ("Une réunion courant août a réuni les membres.", "2024-08", None),
        ("Le samedi 19 août 2023, une conférence.", "2023-08-19", None),
        ("Elle est prévue le 19 septembre.", "2024-09-19", None),
        ("Le 1er mars 2020 marque le début.", "2020-03-01", None),
    ],
)
def test_french_dates(text: str, start: str, end: str | None) -> None:
    found = dates.find(pipeline()(text), year=2024)
    assert [(d.start, d.end) for d in found] == [(start, end)]


def test_a_year_alone_is_not_a_date_expression_nor_a_figure() -> None:
    doc = pipeline()("En 2023, 12 rapports.")
    assert [f.value for f in numbers.find(doc)] == [12]


@pytest.mark.parametrize(
    ("text", "kind", "value", "noun"),
    [
        ("Elles ont tenu dix (10) sessions.", "COUNT", 10, "session"),
        ("Nous avons organisé cinq (05) campagnes.", "COUNT", 5, "campagne"),
        ("Il y avait 47% de jeunes.", "SHARE", 47, ""),
        ("Soit un taux de 79 % des participants.", "SHARE", 79, ""),
        ("Au total 115 personnes ont participé.", "COUNT", 115, "personne"),
        ("Trois rapports ont été produits.", "COUNT", 3, "rapport"),
    ],
)
def test_written_out_numbers_and_shares(text: str, kind: str, value: int, noun: str) -> None:
    [figure] = numbers.find(pipeline()(text))
    assert (figure.kind, figure.value) == (kind, value)
    if noun:
        assert figure.noun == noun


@pytest.mark.parametrize(
    ("text", "short", "long"),
    [
        (
            "le Réseau Ouest Africain pour l'Édification de la Paix (WANEP) agit",
            "WANEP",
            "Réseau Ouest Africain pour l'Édification de la Paix",
        ),
        ("avec la Coalition Nationale des Femmes du Mali (CNF).", "CNF",
         "Coalition Nationale des Femmes du Mali"),
        ("la Communauté Économique des États de l'Afrique de l'Ouest (CEDEAO)", "CEDEAO",
         "Communauté Économique des États de l'Afrique de l'Ouest"),
    ],
)  # fmt: skip
def test_acronyms_with_their_expansions(text: str, short: str, long: str) -> None:
    assert [(e.short, e.long) for e in acronyms.find(text)] == [(short, long)]
    assert text[acronyms.find(text)[0].start : acronyms.find(text)[0].end] == long


def test_an_expansion_in_brackets_after_the_acronym() -> None:
    found = acronyms.find_reverse("l'AIGE (Autorité Indépendante de Gestion des Elections) et")
    assert [(e.short, e.long) for e in found] == [
        ("AIGE", "Autorité Indépendante de Gestion des Elections")
    ]


def test_brackets_without_an_acronym_are_not_expansions() -> None:
    assert acronyms.find("dix (10) personnes (dont 5 femmes) et un bilan (voir annexe)") == []
