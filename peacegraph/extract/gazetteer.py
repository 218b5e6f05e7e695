"""Places every report may name, from public knowledge: countries (French names, with
their common variants) and Mali's regions. Nothing here comes from a report's answer key.
"""

from __future__ import annotations

import re

COUNTRIES = [
    "Afrique du Sud", "Algérie", "Angola", "Bénin", "Botswana", "Burkina Faso", "Burundi",
    "Cameroun", "Cap-Vert", "Centrafrique", "Comores", "Congo", "Côte d'Ivoire", "Djibouti",
    "Égypte", "Érythrée", "Eswatini", "Éthiopie", "Gabon", "Gambie", "Ghana", "Guinée",
    "Guinée-Bissau", "Guinée équatoriale", "Kenya", "Lesotho", "Libéria", "Libye",
    "Madagascar", "Malawi", "Mali", "Maroc", "Maurice", "Mauritanie", "Mozambique", "Namibie",
    "Niger", "Nigeria", "Ouganda", "République démocratique du Congo", "Rwanda", "Sénégal",
    "Seychelles", "Sierra Leone", "Somalie", "Soudan", "Soudan du Sud", "Tanzanie", "Tchad",
    "Togo", "Tunisie", "Zambie", "Zimbabwe", "France", "Belgique", "Pays-Bas", "Allemagne",
    "Suède", "Norvège", "Danemark", "Suisse", "Royaume-Uni", "États-Unis", "Canada",
    "Espagne", "Italie", "Afghanistan", "Chine", "Russie", "Japon", "Turquie", "Ukraine",
]  # fmt: skip
#: Variant spellings seen in West African reports, and what they mean.
VARIANTS = {
    "Burkina-Fasso": "Burkina Faso", "Burkina": "Burkina Faso", "Guinée Conakry": "Guinée",
    "RDC": "République démocratique du Congo", "Liberia": "Libéria", "Benin": "Bénin",
    "Senegal": "Sénégal", "Cote d'Ivoire": "Côte d'Ivoire",
}  # fmt: skip
CONTINENTS = ["Afrique", "Europe", "Asie", "Amérique", "Afrique de l'Ouest", "Sahel"]
#: Mali's regions (the 2012 and 2023 divisions) and the District of Bamako.
MALI_REGIONS = [
    "Kayes", "Koulikoro", "Sikasso", "Ségou", "Mopti", "Tombouctou", "Gao", "Kidal",
    "Taoudéni", "Ménaka", "Nioro", "Kita", "Dioïla", "Nara", "Bougouni", "Koutiala", "San",
    "Douentza", "Bandiagara",
]  # fmt: skip


def kind_of(name: str) -> str | None:
    """The kind of a place the gazetteer knows, or None."""
    name = VARIANTS.get(name, name)
    if name.startswith("Région de "):
        return "region"
    if name in COUNTRIES:
        return "country"
    if name in CONTINENTS:
        return "continent" if name in ("Afrique", "Europe", "Asie", "Amérique") else "region"
    if name in MALI_REGIONS:
        return "region"
    if name == "Bamako":
        return "district"
    return None


def canonical(name: str) -> str:
    return VARIANTS.get(name, name)


def names() -> list[str]:
    return [*COUNTRIES, *VARIANTS, *CONTINENTS, *MALI_REGIONS, "Bamako"]


_SPELLINGS = {name.lower(): name for name in [*COUNTRIES, *VARIANTS, *CONTINENTS,
                                                *MALI_REGIONS, "Bamako"]}  # fmt: skip


def spelled(text: str) -> str:
    """The gazetteer's spelling of a name matched without regard to case."""
    return _SPELLINGS.get(text.lower(), text)


def holders(name: str, kind: str) -> list[str]:
    """The places the gazetteer knows hold a place: Mali's regions and the District of
    Bamako are in Mali, a town is in the region of its name, a part of a continent in
    the continent."""
    region = name.removeprefix("Région de ")
    if (kind == "region" and region in MALI_REGIONS) or name == "Bamako":
        return ["Mali"]
    if kind == "town" and name in MALI_REGIONS:
        return [f"Région de {name}"]
    return [c for c in CONTINENTS if name != c and name.startswith(f"{c} ")]


def cut_places(name: str) -> tuple[str, list[str]]:
    """A name without the places it ends with ("Projet de X entre le Mali, le Niger et la
    Côte d'Ivoire": "Projet de X" and the three countries), in sentence case when it is
    written in capitals."""
    words = name.rstrip(" .:").split()
    for index, word in enumerate(words[1:], start=1):
        if word.lower() not in ("entre", "au", "en", "aux", "dans"):
            continue
        tail = " ".join(words[index + 1 :])
        parts = [re.sub(r"^(le|la|les|l')\s*", "", p.strip(), flags=re.IGNORECASE)
                 for p in re.split(r",|\bet\b", tail, flags=re.IGNORECASE)]  # fmt: skip
        places = [spelled(p) for p in parts if p]
        places = [canonical(p) for p in places]
        if places and all(kind_of(p) for p in places):
            name = " ".join(words[:index])
            break
    else:
        places = []
    if name.isupper():
        name = name[:1] + name[1:].lower()
    return name, places
