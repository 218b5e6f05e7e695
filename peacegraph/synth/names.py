"""Vocabulary of the synthetic networks: West African names, kinds, themes, places.

Plausible rather than real: real countries, invented towns, common given names
and family names of the region, and the kinds of organisation and event the
WANEP-Mali reports describe. Everything is plain tuples so the generator stays
deterministic.
"""

from __future__ import annotations

COUNTRIES = (
    "Mali",
    "Burkina Faso",
    "Niger",
    "Sénégal",
    "Guinée",
    "Côte d'Ivoire",
    "Ghana",
    "Nigeria",
    "Togo",
    "Bénin",
    "Liberia",
    "Sierra Leone",
    "Gambie",
    "Guinée-Bissau",
    "Cap-Vert",
)
SYLLABLES = (
    "ba", "bou", "da", "di", "dia", "do", "fa", "ga", "gou", "ka", "ki", "ko", "kou", "la",
    "ma", "mo", "na", "ni", "nio", "ou", "sa", "se", "si", "so", "ta", "ti", "to", "tou",
    "ya", "za", "zi", "ké", "ré", "sé", "dé",
)  # fmt: skip
GIVEN_NAMES = (
    "Aminata", "Awa", "Fatoumata", "Mariam", "Kadiatou", "Oumou", "Hawa", "Assétou", "Aïssata",
    "Rokia", "Salimata", "Adama", "Moussa", "Ibrahim", "Mamadou", "Oumar", "Boubacar", "Seydou",
    "Souleymane", "Abdoulaye", "Kofi", "Ama", "Yaw", "Efua", "Chinedu", "Ngozi", "Fatou",
    "Khady", "Cheikh", "Aliou", "Binta", "Mariama", "Djénéba", "Drissa", "Issa", "Nana",
)  # fmt: skip
FAMILY_NAMES = (
    "Traoré", "Coulibaly", "Diarra", "Keïta", "Koné", "Touré", "Sangaré", "Cissé", "Diallo",
    "Maïga", "Sidibé", "Konaté", "Dembélé", "Sow", "Ba", "Ndiaye", "Diop", "Mensah",
    "Owusu", "Boateng", "Okafor", "Adeyemi", "Ouédraogo", "Kaboré", "Sawadogo", "Issoufou",
    "Camara", "Bangoura", "Kamara", "Johnson", "Doe", "Sesay",
)  # fmt: skip
HUBS = (
    ("Réseau Ouest-Africain pour l'Édification de la Paix", "ROAEP", "network"),
    ("Communauté Économique Régionale de l'Ouest", "CERO", "intergovernmental"),
    ("Programme des Nations Unies pour la Paix", "PNUP", "un-agency"),
    ("Fonds Sahélien pour la Cohésion Sociale", "FSCS", "donor"),
    ("Alliance pour un Avenir Juste", "AAJ", "alliance"),
    ("Académie Régionale de Maintien de la Paix", "ARMP", "academy"),
)
ORG_KINDS = (
    "ngo", "ngo", "ngo", "community-based", "community-based", "network",
    "national-secretariat", "government-body", "donor", "un-agency", "academy", "alliance",
)  # fmt: skip
ORG_PREFIXES = (
    "Association", "Réseau", "Coalition", "Collectif", "ONG", "Fondation", "Groupement",
    "Union", "Plateforme", "Centre", "Observatoire", "Comité",
)  # fmt: skip
ORG_PURPOSES = (
    "des Femmes pour la Paix", "des Jeunes Leaders", "pour la Cohésion Sociale",
    "de Veille Citoyenne", "pour le Dialogue Intercommunautaire", "des Médiateurs",
    "pour les Droits Humains", "de Prévention des Conflits", "pour la Bonne Gouvernance",
    "des Leaders Religieux", "pour l'Alerte Précoce", "des Radios Communautaires",
)  # fmt: skip
THEMES = (
    "wps", "yps", "early-warning", "mediation", "ssr", "governance", "human-rights",
    "social-cohesion", "elections", "climate-security",
)  # fmt: skip
EVENT_KINDS = (
    ("workshop", "Atelier"),
    ("training", "Formation"),
    ("meeting", "Réunion"),
    ("campaign", "Campagne"),
    ("visit", "Visite"),
    ("conference", "Conférence"),
    ("advocacy-meeting", "Rencontre de plaidoyer"),
    ("award-ceremony", "Cérémonie de remise"),
)
EVENT_TOPICS = (
    "sur l'alerte précoce", "sur la résolution 1325", "de médiation communautaire",
    "sur la participation des jeunes", "sur la sécurité humaine", "de dialogue intercommunautaire",
    "sur la gestion des conflits fonciers", "sur le monitoring électoral",
    "sur la lutte contre l'extrémisme violent", "de renforcement des capacités",
)  # fmt: skip
PROGRAMME_KINDS = ("project", "project", "alliance-programme", "early-warning-system")
PROGRAMME_PREFIXES = ("Programme", "Projet", "Initiative", "Système")
ROLES = ("participant", "delegate", "trainer", "facilitator", "speaker", "observer")
SECTIONS = (
    "Résumé", "Activités du trimestre", "Alerte précoce", "Femmes, paix et sécurité",
    "Jeunes, paix et sécurité", "Partenariats", "Perspectives",
)  # fmt: skip
UNITS = ("incidents", "rapports", "alertes", "personnes formées", "femmes", "jeunes")
