"""The graph model: which labels, relationship types and properties exist.

This module is the allow-list that every backend builds its schema from and every
write is checked against. Labels and relationship types in a statement never come
from user text: they come from these enums, after validation.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Label(enum.StrEnum):
    """Node labels of the knowledge graph."""

    ORGANIZATION = "Organization"
    PERSON = "Person"
    EVENT = "Event"
    PROGRAMME = "Programme"
    PLACE = "Place"
    OBSERVATION = "Observation"
    SOURCE = "Source"


class RelType(enum.StrEnum):
    """Relationship types of the knowledge graph."""

    MEMBER_OF = "MEMBER_OF"
    PART_OF = "PART_OF"
    WORKS_FOR = "WORKS_FOR"
    PARTNER_OF = "PARTNER_OF"
    ORGANIZED = "ORGANIZED"
    FUNDED = "FUNDED"
    PARTICIPATED_IN = "PARTICIPATED_IN"
    ATTENDED = "ATTENDED"
    IMPLEMENTS = "IMPLEMENTS"
    HELD_AT = "HELD_AT"
    WITHIN = "WITHIN"
    ABOUT = "ABOUT"
    MENTIONED_IN = "MENTIONED_IN"


#: Relationships that state facts between things (not provenance): what traversals
#: follow by default, so paths never run through the source document.
FACT_TYPES: tuple[RelType, ...] = tuple(t for t in RelType if t is not RelType.MENTIONED_IN)

ORG, PER, EVT, PRG, PLC, OBS, SRC = (
    Label.ORGANIZATION,
    Label.PERSON,
    Label.EVENT,
    Label.PROGRAMME,
    Label.PLACE,
    Label.OBSERVATION,
    Label.SOURCE,
)
_DOMAIN = (ORG, PER, EVT, PRG, PLC, OBS)

#: Which (from, to) label pairs each relationship type may join. The embedded
#: store declares exactly these pairs; writes naming any other pair are refused.
ENDPOINTS: dict[RelType, tuple[tuple[Label, Label], ...]] = {
    RelType.MEMBER_OF: ((ORG, ORG), (PER, ORG)),
    RelType.PART_OF: ((ORG, ORG), (PRG, PRG), (EVT, PRG), (EVT, EVT), (PRG, ORG)),
    RelType.WORKS_FOR: ((PER, ORG),),
    RelType.PARTNER_OF: ((ORG, ORG),),
    RelType.ORGANIZED: ((ORG, EVT), (PER, EVT)),
    RelType.FUNDED: ((ORG, EVT), (ORG, PRG), (ORG, ORG)),
    RelType.PARTICIPATED_IN: ((ORG, EVT), (PER, EVT), (PLC, EVT), (ORG, PRG), (PLC, PRG)),
    RelType.ATTENDED: ((PER, EVT), (ORG, EVT)),
    RelType.IMPLEMENTS: ((ORG, PRG), (PRG, PRG)),
    RelType.HELD_AT: ((EVT, PLC), (ORG, PLC), (PRG, PLC)),
    RelType.WITHIN: ((PLC, PLC),),
    RelType.ABOUT: (
        *((OBS, label) for label in _DOMAIN if label is not OBS),
        (EVT, PRG),
        (EVT, PLC),
    ),
    RelType.MENTIONED_IN: tuple((label, SRC) for label in _DOMAIN),
}


class PropType(enum.StrEnum):
    """Property value types, named after the portable Cypher types."""

    STRING = "STRING"
    STRING_LIST = "STRING[]"
    INT = "INT64"
    FLOAT = "DOUBLE"
    BOOL = "BOOLEAN"


@dataclass(frozen=True)
class Prop:
    """One property a node or relationship may carry."""

    name: str
    type: PropType
    description: str


#: Properties every node may carry (one superset for all labels keeps the
#: backends uniform; unused ones stay null).
NODE_PROPS: tuple[Prop, ...] = (
    Prop("id", PropType.STRING, "Stable readable id, e.g. org:cedeao."),
    Prop("name", PropType.STRING, "Display name."),
    Prop("kind", PropType.STRING, "Sub-kind within the label (ngo, workshop, region...)."),
    Prop("aliases", PropType.STRING_LIST, "Other names, acronyms, translations, misspellings."),
    Prop("searchKey", PropType.STRING, "Accent- and case-folded name and aliases."),
    Prop("description", PropType.STRING, "What it is, in a sentence."),
    Prop("note", PropType.STRING, "Editorial note, e.g. why a spelling was corrected."),
    Prop("wikidata", PropType.STRING, "Wikidata QID."),
    Prop("iati", PropType.STRING, "IATI organisation identifier."),
    Prop("startDate", PropType.STRING, "Start, as a partial ISO date (2011, 2021-01, 2023-09-05)."),
    Prop("startPrecision", PropType.STRING, "year, month or day."),
    Prop("endDate", PropType.STRING, "End, as a partial ISO date."),
    Prop("endPrecision", PropType.STRING, "year, month or day."),
    Prop("dateFrom", PropType.STRING, "First day the dates may mean (for range filters)."),
    Prop("dateTo", PropType.STRING, "Last day the dates may mean (for range filters)."),
    Prop("themes", PropType.STRING_LIST, "Themes such as wps, ssr, early-warning."),
    Prop("participants", PropType.INT, "Number of participants or people reached."),
    Prop("women", PropType.INT, "Women among them."),
    Prop("youth", PropType.INT, "Young people among them."),
    Prop("disabled", PropType.INT, "People with disabilities among them."),
    Prop("womenShare", PropType.FLOAT, "Share of women in percent, as stated."),
    Prop("youthShare", PropType.FLOAT, "Share of young people in percent, as stated."),
    Prop("value", PropType.FLOAT, "Measured value of an observation."),
    Prop("unit", PropType.STRING, "Unit of an observation's value."),
    Prop("sources", PropType.STRING, "Provenance: JSON list of {document, section, quote}."),
    Prop("version", PropType.INT, "Optimistic-concurrency version, bumped on every change."),
    # Columns added by a migration come last, in its order (the embedded store's
    # bulk load copies columns by position): 005 place coordinates.
    Prop("latitude", PropType.FLOAT, "WGS84 latitude of a place, in degrees (-90 to 90)."),
    Prop("longitude", PropType.FLOAT, "WGS84 longitude of a place, in degrees (-180 to 180)."),
    Prop("geonamesId", PropType.INT, "GeoNames id the coordinates were reviewed against."),
)

#: Properties every relationship may carry.
REL_PROPS: tuple[Prop, ...] = (
    Prop("role", PropType.STRING, "Role of the source node in the relationship."),
    Prop("startDate", PropType.STRING, "Start, as a partial ISO date."),
    Prop("startPrecision", PropType.STRING, "year, month or day."),
    Prop("endDate", PropType.STRING, "End, as a partial ISO date."),
    Prop("endPrecision", PropType.STRING, "year, month or day."),
    Prop("dateFrom", PropType.STRING, "First day the dates may mean (for range filters)."),
    Prop("dateTo", PropType.STRING, "Last day the dates may mean (for range filters)."),
    Prop("count", PropType.INT, "How many (e.g. members of a delegation)."),
    Prop("programme", PropType.STRING, "Id of the programme a partnership serves."),
    Prop("note", PropType.STRING, "Editorial note."),
    Prop("sources", PropType.STRING, "Provenance: JSON list of {document, section, quote}."),
)

NODE_PROP_NAMES = frozenset(p.name for p in NODE_PROPS)
REL_PROP_NAMES = frozenset(p.name for p in REL_PROPS)

#: Id prefix of each label: ids read as `org:cedeao`, `event:2023-09-05-jfa`.
ID_PREFIX: dict[Label, str] = {
    ORG: "org",
    PER: "person",
    EVT: "event",
    PRG: "programme",
    PLC: "place",
    OBS: "obs",
    SRC: "source",
}
LABEL_OF_PREFIX = {prefix: label for label, prefix in ID_PREFIX.items()}


def label_of_id(node_id: str) -> Label | None:
    """The label a node id's prefix names, or None when it names none."""
    prefix, sep, rest = node_id.partition(":")
    if not sep or not rest:
        return None
    return LABEL_OF_PREFIX.get(prefix)


def allowed(rel_type: RelType, source: Label, target: Label) -> bool:
    """Whether the model lets `rel_type` join a `source` node to a `target` node."""
    return (source, target) in ENDPOINTS[rel_type]
