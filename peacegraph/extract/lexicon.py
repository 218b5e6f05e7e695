"""French words that head names and titles in reports: organisation nouns, programme
nouns, job titles. General vocabulary of the genre, never one report's entities."""

from __future__ import annotations

ORG_HEADS = {
    "association": "cso", "coalition": "coalition", "réseau": "network",
    "ministère": "government-body", "direction": "government-body", "autorité": "government-body",
    "conseil": "ngo", "comité": "coalition", "centre": "research-institute",
    "union": "intergovernmental", "mission": "eu-mission", "cour": "government-body",
    "police": "government-body", "gendarmerie": "armed-forces", "garde": "armed-forces",
    "école": "academy", "ecole": "academy", "consortium": "coalition", "alliance": "alliance",
    "académie": "academy", "fondation": "ngo", "institut": "research-institute",
    "agence": "government-body", "commission": "government-body", "fédération": "network",
    "secrétariat": "national-secretariat", "cellule": "eu-mission", "forces": "armed-forces",
    "gouvernorat": "government-body", "organisation": "intergovernmental",
    "communauté": "intergovernmental", "organe": "government-body", "organes": "government-body",
    "ong": "ngo", "ambassade": "donor",
}  # fmt: skip
PROGRAMME_HEADS = {
    "programme": "programme", "projet": "project", "plateforme": "platform",
    "système": "early-warning-system", "agenda": "programme", "stratégie": "strategy",
}  # fmt: skip
ROLE_HEADS = {
    "chargé", "chargée", "chargés", "coordinateur", "coordinatrice", "coordinateurs",
    "directeur", "directrice", "responsable", "gouverneur", "conseiller", "conseillère",
    "président", "présidente", "secrétaire", "manager", "représentant", "représentante",
    "chef", "maire", "préfet", "ministre", "ambassadeur", "point",
}  # fmt: skip
PROGRAMME_WORDS = {"programme", "projet", "plateforme", "système", "application", "stage",
                   "mobile"}  # fmt: skip
VENUE_WORDS = {"lodge", "hôtel", "hotel", "salle", "campus", "centre", "palais", "stade"}
