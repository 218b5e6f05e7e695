"""The graph model, declared once: labels, relationship types and their allowed ends,
properties and their types, and how each kind of node is shown (`KINDS`).

This module is the allow-list that every backend builds its schema from and every
write is checked against. Labels and relationship types in a statement never come
from user text: they come from these enums, after validation. Everything that knows
the kinds of node is derived from here: the GraphQL enums, node types, lookup, list
and upsert fields (`schema/nodes.py`), seed validation, the synthetic generator, the
explorer's kinds (`model_json`), and the check that the numbered, frozen migrations
of both stores create what this declares (`graph/coverage.py`).

Adding a kind of node: a member of `Label`, an entry of `KINDS`, its ends in
`ENDPOINTS`, and a new migration file per store (`python -m peacegraph.graph.coverage`
prints the statements it needs). Adding a node property: an entry of `NODE_PROPS`
(at the end) and a new embedded migration adding the column.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Literal


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
#: Kinds that state facts (every label but the source documents they are read from).
_DOMAIN = tuple(label for label in Label if label is not SRC)

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
    """One property a node or relationship may carry; `on`: the only kinds of node that
    carry it (seed validation refuses it elsewhere), empty when any kind may."""

    name: str
    type: PropType
    description: str
    on: tuple[Label, ...] = ()


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
    Prop("participants", PropType.INT, "Number of participants or people reached.", on=(EVT,)),
    Prop("women", PropType.INT, "Women among them.", on=(EVT,)),
    Prop("youth", PropType.INT, "Young people among them.", on=(EVT,)),
    Prop("disabled", PropType.INT, "People with disabilities among them.", on=(EVT,)),
    Prop("womenShare", PropType.FLOAT, "Share of women in percent, as stated.", on=(EVT,)),
    Prop("youthShare", PropType.FLOAT, "Share of young people in percent, as stated.", on=(EVT,)),
    Prop("value", PropType.FLOAT, "Measured value of an observation.", on=(OBS,)),
    Prop("unit", PropType.STRING, "Unit of an observation's value.", on=(OBS,)),
    Prop("sources", PropType.STRING, "Provenance: JSON list of {document, section, quote}."),
    Prop("version", PropType.INT, "Optimistic-concurrency version, bumped on every change."),
    # Columns added by a migration come last, in its order (the embedded store's
    # bulk load copies columns by position): 005 place coordinates,
    Prop("latitude", PropType.FLOAT, "WGS84 latitude of a place, in degrees (-90 to 90)."),
    Prop("longitude", PropType.FLOAT, "WGS84 longitude of a place, in degrees (-180 to 180)."),
    Prop("geonamesId", PropType.INT, "GeoNames id the coordinates were reviewed against."),
    # 006 figure approximations.
    Prop(
        "approximate",
        PropType.STRING_LIST,
        "Figures the report states approximately (environ, près de): participants, youthShare...",
        on=(EVT,),
    ),
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

Way = Literal["out", "in", "both"]


@dataclass(frozen=True)
class Neighbours:
    """A named set of a node's neighbours, shown as a field of its kind: the links of
    `types` (any type when empty) followed `way`, to nodes of `labels` (any when empty)."""

    name: str
    description: str
    way: Way
    types: tuple[RelType, ...] = ()
    labels: tuple[Label, ...] = ()
    first: int = 50


@dataclass(frozen=True)
class Shown:
    """A node property (of `NODE_PROPS`) shown as a field of its kind."""

    prop: str
    description: str


@dataclass(frozen=True)
class Special:
    """A field whose shape is more than a property or a neighbour set (a group of
    figures, a climb up the place hierarchy); the API implements it under this name."""

    name: str


Field = Neighbours | Shown | Special


@dataclass(frozen=True)
class Entry:
    """A root field of the API for one kind: its name and description."""

    name: str
    description: str


@dataclass(frozen=True)
class Kind:
    """Everything the project knows about one kind of node, beyond its properties.

    `prefix` starts its ids (`org:cedeao`); `title` names it to people (the explorer's
    legend); `fields` are its own fields after the ones every node has, in order;
    `one` and `many` its root lookup and list fields, `upsert` the description of its
    upsert mutation (None: not editable one by one); `required` the properties a seed
    entry of this kind must give; `seeded`: whether seed files may declare it.
    """

    label: Label
    prefix: str
    title: str
    description: str
    fields: tuple[Field, ...] = ()
    one: Entry | None = None
    many: Entry | None = None
    upsert: str | None = None
    required: tuple[str, ...] = ()
    seeded: bool = True


_EVENT_ROLES = (RelType.ORGANIZED, RelType.PARTICIPATED_IN, RelType.ATTENDED, RelType.FUNDED)
_MEMBERSHIP = (RelType.MEMBER_OF, RelType.PART_OF)

#: The kinds of node, in the order the API and the explorer list them.
KINDS: tuple[Kind, ...] = (
    Kind(
        ORG,
        prefix="org",
        title="Organisation",
        description="An organisation: NGO, network, secretariat, agency, ministry, donor...",
        fields=(
            Neighbours(
                "events",
                "Events it organised, funded, took part in or attended.",
                "out",
                _EVENT_ROLES,
                (EVT,),
            ),
            Neighbours(
                "partners",
                "Partner organisations (PARTNER_OF, either way).",
                "both",
                (RelType.PARTNER_OF,),
                (ORG,),
            ),
            Neighbours(
                "member_of",
                "Networks, alliances and bodies it is a member or part of.",
                "out",
                _MEMBERSHIP,
            ),
            Neighbours("members", "Members and parts of this organisation.", "in", _MEMBERSHIP),
            Neighbours(
                "staff",
                "People who work for it, with their role.",
                "in",
                (RelType.WORKS_FOR,),
                (PER,),
            ),
            Neighbours(
                "programmes",
                "Programmes it implements, funds or takes part in.",
                "out",
                labels=(PRG,),
            ),
        ),
        one=Entry("organization", "An organisation by id."),
        many=Entry("organizations", "Organisations, filtered, sorted and paged."),
        upsert="Create or update an organisation.",
    ),
    Kind(
        PER,
        prefix="person",
        title="Person",
        description="A person, named or known by the office they hold.",
        fields=(
            Neighbours(
                "employers",
                "Organisations the person works for, with their role.",
                "out",
                (RelType.WORKS_FOR,),
                (ORG,),
            ),
            Neighbours(
                "events",
                "Events the person organised, took part in or attended.",
                "out",
                _EVENT_ROLES,
                (EVT,),
            ),
        ),
        one=Entry("person", "A person by id."),
        many=Entry("people", "People, filtered, sorted and paged."),
        upsert="Create or update a person.",
    ),
    Kind(
        EVT,
        prefix="event",
        title="Event",
        description="Something that happened: workshop, training, campaign, visit...",
        fields=(
            Special("reach"),
            Neighbours(
                "participants",
                "Organisations and people that organised, funded, took part or attended.",
                "in",
                _EVENT_ROLES,
                (ORG, PER),
            ),
            Neighbours(
                "countries",
                "Countries and places whose delegates took part.",
                "in",
                (RelType.PARTICIPATED_IN,),
                (PLC,),
            ),
            Neighbours("places", "Where it was held.", "out", (RelType.HELD_AT,), (PLC,), 10),
            Neighbours("programmes", "Programmes it was part of.", "out", (), (PRG,), 10),
        ),
        one=Entry("event", "An event by id."),
        many=Entry("events", "Events, filtered, sorted and paged."),
        upsert="Create or update an event.",
    ),
    Kind(
        PRG,
        prefix="programme",
        title="Programme",
        description="A programme, project, alliance programme or early-warning system.",
        fields=(
            Neighbours(
                "partners",
                "Organisations that implement, fund, partner in or take part in it.",
                "both",
                labels=(ORG,),
            ),
            Neighbours("events", "Events held as part of it.", "in", labels=(EVT,)),
            Neighbours(
                "observations",
                "Measured figures about it (incidents submitted, reports produced...).",
                "in",
                (RelType.ABOUT,),
                (OBS,),
            ),
        ),
        one=Entry("programme", "A programme by id."),
        many=Entry("programmes", "Programmes, projects and systems, filtered, sorted and paged."),
        upsert="Create or update a programme.",
    ),
    Kind(
        PLC,
        prefix="place",
        title="Place",
        description="A place: country, region, cercle, commune, town or venue.",
        fields=(
            Special("within"),
            Neighbours("contains", "Places directly within it.", "in", (RelType.WITHIN,), (PLC,)),
            Special("events"),
        ),
        one=Entry("place", "A place by id."),
        many=Entry("places", "Places, filtered, sorted and paged."),
        upsert="Create or update a place.",
    ),
    Kind(
        OBS,
        prefix="obs",
        title="Observation",
        description="A measured figure: value, unit, period, and what it is about.",
        fields=(
            Shown("value", "The measured value."),
            Shown("unit", "Unit of the value (incidents, reports, women...)."),
            Neighbours(
                "about",
                "What the figure is about (platform, programme, event...).",
                "out",
                (RelType.ABOUT,),
                first=10,
            ),
        ),
        many=Entry("observations", "Measured figures, filtered, sorted and paged."),
        upsert="Create or update an observation.",
        required=("value", "unit"),
    ),
    Kind(
        SRC,
        prefix="source",
        title="Source document",
        description="A source document, such as a quarterly report.",
        seeded=False,
    ),
)
KIND: dict[Label, Kind] = {kind.label: kind for kind in KINDS}

#: Id prefix of each label: ids read as `org:cedeao`, `event:2023-09-05-jfa`.
ID_PREFIX: dict[Label, str] = {kind.label: kind.prefix for kind in KINDS}
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


def model_json() -> dict[str, object]:
    """The declaration as the explorer reads it (`peacegraph model`): kinds with their
    enum value and title, and the relationship types."""
    return {
        "kinds": [{"kind": k.label.value, "value": k.label.name, "label": k.title} for k in KINDS],
        "relationshipTypes": [t.value for t in RelType],
    }


def _check_declaration() -> None:
    """Every label is declared once, with a prefix of its own: a kind added to `Label`
    without its `Kind` fails at import, naming it."""
    missing = [label.value for label in Label if label not in KIND]
    if missing or len(KIND) != len(KINDS):
        raise TypeError(f"model.KINDS must declare each Label once; missing: {missing}")
    if len(set(ID_PREFIX.values())) != len(ID_PREFIX):
        raise TypeError("model.KINDS: two kinds share an id prefix")
    names = NODE_PROP_NAMES
    for kind in KINDS:
        for field in kind.fields:
            if isinstance(field, Shown) and field.prop not in names:
                raise TypeError(
                    f"{kind.label.value}: shown property {field.prop!r} is not declared"
                )


_check_declaration()

if __name__ == "__main__":
    import json

    print(json.dumps(model_json(), indent=2, ensure_ascii=False))
