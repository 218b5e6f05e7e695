"""GraphQL object types for the nodes of the graph and the links between them.

Each type wraps a plain record from the store (a `strawberry.Private` field). The
fields nearly every query asks for (a node's id and name, a link's node) are given
to the constructor; the others are resolvers reading the record, so that the tens
of thousands of objects of a nested answer cost only what the query selects. Nested
fields go through the per-request DataLoaders, so a nested query costs one store
call per level, not one per parent.
"""

from __future__ import annotations

from types import new_class
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar

import strawberry
from strawberry.types import Info

from peacegraph.graph import model, records
from peacegraph.graph.model import Label, RelType
from peacegraph.graph.store import NodeQuery
from peacegraph.resolvers import reads
from peacegraph.resolvers.context import Context
from peacegraph.resolvers.pagination import encode_cursor
from peacegraph.schema.enums import Direction, NodeKind, RelationshipType, SortField, labels_of
from peacegraph.schema.geo import Located
from peacegraph.schema.selection import asks_for_link_data, link_node_props

Ctx = Info[Context, None]
N = TypeVar("N")

FirstArg = Annotated[
    int, strawberry.argument(description="How many items, at most the page size limit.")
]
AfterArg = Annotated[
    str | None, strawberry.argument(description="Cursor after which the page starts.")
]
FromArg = Annotated[
    str | None,
    strawberry.argument(
        name="from", description="Start of the period: 2023, 2023-07 or 2023-07-01."
    ),
]
DirectionArg = Annotated[Direction, strawberry.argument(description="Which way to follow.")]
TypesArg = Annotated[
    list[RelationshipType] | None,  # type: ignore[valid-type]
    strawberry.argument(
        description="Only these relationship types (facts, not MENTIONED_IN, by default)."
    ),
]
KindsArg = Annotated[
    list[NodeKind] | None, strawberry.argument(description="Only neighbours of these kinds.")
]
ToArg = Annotated[
    str | None,
    strawberry.argument(name="to", description="End of the period: 2023, 2023-09 or 2023-09-30."),
]


@strawberry.type(description="Where a fact was read: the document, its section, the exact words.")
class SourceRef:
    document: str = strawberry.field(
        description="Id of the source document, e.g. source:wanep-mali-2023-q3."
    )
    section: str = strawberry.field(description="Heading of the section the quote is under.")
    quote: str = strawberry.field(description="The exact passage that states the fact.")

    @classmethod
    def many(cls, sources: tuple[records.Provenance, ...]) -> list[SourceRef]:
        return [cls(document=s.document, section=s.section, quote=s.quote) for s in sources]


@strawberry.type(description="A date that may be known only to the year or the month.")
class PartialDate:
    value: str = strawberry.field(
        description="ISO date as precise as known: 2011, 2021-01 or 2023-09-05."
    )
    precision: str = strawberry.field(description="year, month or day.")


def _date(props: dict[str, records.PropValue], which: str) -> PartialDate | None:
    value = props.get(f"{which}Date")
    if not isinstance(value, str):
        return None
    return PartialDate(value=value, precision=str(props.get(f"{which}Precision") or "day"))


def _int(props: dict[str, records.PropValue], name: str) -> int | None:
    value = props.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _float(props: dict[str, records.PropValue], name: str) -> float | None:
    value = props.get(name)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _str(props: dict[str, records.PropValue], name: str) -> str | None:
    value = props.get(name)
    return value if isinstance(value, str) else None


def _strings(props: dict[str, records.PropValue], name: str) -> list[str]:
    value = props.get(name)
    return list(value) if isinstance(value, list) else []


@strawberry.type(
    description="A relationship seen from one node: its data and the node at the other end."
)
class Link:
    neighbour: strawberry.Private[records.Neighbour]

    @strawberry.field(description="Type of the relationship.")
    def type(self) -> RelationshipType:  # type: ignore[valid-type]
        return self.neighbour.relationship.type

    @strawberry.field(description="OUT when the relationship starts at the node you came from.")
    def direction(self) -> Direction:
        return Direction(self.neighbour.direction)

    @strawberry.field(description="Role in the relationship (e.g. organiser, partner, trainer).")
    def role(self) -> str | None:
        return _str(self.neighbour.relationship.props, "role")

    @strawberry.field(description="When the relationship began (partnership since 2011...).")
    def start(self) -> PartialDate | None:
        return _date(self.neighbour.relationship.props, "start")

    @strawberry.field(description="When the relationship ended or ends.")
    def end(self) -> PartialDate | None:
        return _date(self.neighbour.relationship.props, "end")

    @strawberry.field(description="How many (e.g. members of a delegation).")
    def count(self) -> int | None:
        return _int(self.neighbour.relationship.props, "count")

    @strawberry.field(description="Id of the programme a partnership serves.")
    def programme(self) -> str | None:
        return _str(self.neighbour.relationship.props, "programme")

    @strawberry.field(description="Editorial note on the relationship.")
    def note(self) -> str | None:
        return _str(self.neighbour.relationship.props, "note")

    @strawberry.field(description="Id of the node the relationship starts at.")
    def source_id(self) -> str:
        return self.neighbour.relationship.source

    @strawberry.field(description="Id of the node the relationship ends at.")
    def target_id(self) -> str:
        return self.neighbour.relationship.target

    @strawberry.field(description="The node at the other end.")
    def node(self) -> Node:
        return to_type(self.neighbour.node)

    @strawberry.field(description="Passages of the report that state this relationship.")
    def sources(self) -> list[SourceRef]:
        return SourceRef.many(self.neighbour.relationship.sources)

    @classmethod
    def of(cls, neighbour: records.Neighbour) -> Link:
        """The link to a neighbour."""
        return cls(neighbour=neighbour)


@strawberry.type(description="Relay page information.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether another page follows.")
    has_previous_page: bool = strawberry.field(description="Whether a page comes before.")
    start_cursor: str | None = strawberry.field(description="Cursor of the first item.")
    end_cursor: str | None = strawberry.field(
        description="Cursor of the last item; pass as `after`."
    )


def page_info(page: records.Page[object]) -> PageInfo:
    count = len(page.items)
    return PageInfo(
        has_next_page=page.has_next,
        has_previous_page=page.offset > 0,
        start_cursor=encode_cursor(page.offset) if count else None,
        end_cursor=encode_cursor(page.offset + count - 1) if count else None,
    )


@strawberry.type(description="An item of a page and its cursor.")
class Edge(Generic[N]):
    cursor: str = strawberry.field(description="Opaque position of this item; pass as `after`.")
    node: N = strawberry.field(description="The item.")


@strawberry.type(description="A page of links of one node (Relay connection).")
class LinkConnection:
    page: strawberry.Private[records.Page[records.Neighbour]]
    count_args: strawberry.Private[tuple[str, Direction, list[RelType], list[Label]]]

    @strawberry.field(description="The links of this page, with cursors.")
    def edges(self) -> list[Edge[Link]]:
        return [
            Edge(cursor=encode_cursor(self.page.offset + i), node=Link.of(n))
            for i, n in enumerate(self.page.items)
        ]

    @strawberry.field(description="Paging information.")
    def page_info(self) -> PageInfo:
        return page_info(self.page)  # type: ignore[arg-type]

    @strawberry.field(description="How many links match in all (counted only when asked for).")
    async def total_count(self, info: Ctx) -> int:
        if self.page.total is not None:  # counted by the store to cut the page
            return self.page.total
        node_id, direction, types, labels = self.count_args
        return await reads.count_links(
            info.context, node_id, direction=direction.store, rel_types=types, labels=labels
        )


@strawberry.type(description="A page of nodes (Relay connection).")
class NodeConnection(Generic[N]):
    page: strawberry.Private[records.Page[records.Node]]
    query: strawberry.Private[NodeQuery]

    @strawberry.field(description="The nodes of this page, with cursors.")
    def edges(self) -> list[Edge[N]]:
        return [
            Edge(cursor=encode_cursor(self.page.offset + i), node=to_type(n))  # type: ignore[arg-type]
            for i, n in enumerate(self.page.items)
        ]

    @strawberry.field(description="The nodes of this page, without cursors.")
    def nodes(self) -> list[N]:
        return [to_type(n) for n in self.page.items]  # type: ignore[misc]

    @strawberry.field(description="Paging information.")
    def page_info(self) -> PageInfo:
        return page_info(self.page)  # type: ignore[arg-type]

    @strawberry.field(
        description="How many nodes match in all (a separate count, only when asked)."
    )
    async def total_count(self, info: Ctx) -> int:
        return await reads.count_nodes(info.context, self.query)


async def _links(
    info: Ctx,
    node_id: str,
    direction: Direction,
    types: tuple[RelType, ...],
    labels: tuple[Label, ...],
    first: int,
) -> list[Link]:
    found = await reads.neighbours(
        info.context,
        node_id,
        direction=direction.store,
        rel_types=types,
        labels=labels,
        first=first,
        with_props=asks_for_link_data(info),
        node_props=link_node_props(info),
    )
    return [Link.of(n) for n in found]


@strawberry.interface(description="Anything in the graph, fetchable by its stable id (Relay Node).")
class Node:
    record: strawberry.Private[records.Node]

    id: strawberry.ID = strawberry.field(description="Stable readable id, e.g. org:cedeao.")
    node_kind: NodeKind = strawberry.field(description="Which kind of node this is.")
    name: str = strawberry.field(description="Display name, typos corrected.")

    @strawberry.field(description="Sub-kind, e.g. ngo, workshop, region, early-warning-system.")
    def kind(self) -> str | None:
        return _str(self.record.props, "kind")

    @strawberry.field(description="Other names: acronyms, translations, spellings in the sources.")
    def aliases(self) -> list[str]:
        return _strings(self.record.props, "aliases")

    @strawberry.field(description="What it is, in a sentence.")
    def description(self) -> str | None:
        return _str(self.record.props, "description")

    @strawberry.field(description="Editorial note, e.g. why a name was corrected.")
    def note(self) -> str | None:
        return _str(self.record.props, "note")

    @strawberry.field(description="Wikidata identifier (QID), when known.")
    def wikidata(self) -> str | None:
        return _str(self.record.props, "wikidata")

    @strawberry.field(description="IATI organisation identifier, when known.")
    def iati(self) -> str | None:
        return _str(self.record.props, "iati")

    @strawberry.field(description="When it began (event start, programme start).")
    def start(self) -> PartialDate | None:
        return _date(self.record.props, "start")

    @strawberry.field(description="When it ended or ends.")
    def end(self) -> PartialDate | None:
        return _date(self.record.props, "end")

    @strawberry.field(description="Themes, e.g. wps, ssr, early-warning, youth.")
    def themes(self) -> list[str]:
        return _strings(self.record.props, "themes")

    @strawberry.field(description="Version number, bumped by every edit.")
    def version(self) -> int:
        return _int(self.record.props, "version") or 1

    @strawberry.field(description="Passages of the sources that state this node's facts.")
    def sources(self) -> list[SourceRef]:
        return SourceRef.many(self.record.sources)

    @classmethod
    def resolve_type(cls, obj: Any, info: Any, abstract_type: Any) -> str:
        """The GraphQL type of a node object: the name its class was given. (Strawberry's
        default first looks for a `strawberry.cast` among every possible type, for each
        of the thousands of nodes of a nested answer; nodes are never cast here.)"""
        name: str = type(obj).__strawberry_definition__.name
        return name

    @strawberry.field(description="The first links of this node (batched across parents).")
    async def neighbours(
        self,
        info: Ctx,
        direction: DirectionArg = Direction.BOTH,
        types: TypesArg = None,
        kinds: KindsArg = None,
        first: FirstArg = 50,
    ) -> list[Link]:
        return await _links(
            info, self.record.id, direction, tuple(types or ()), tuple(labels_of(kinds)), first
        )

    @strawberry.field(description="Links of this node, paged with cursors.")
    async def links(
        self,
        info: Ctx,
        direction: DirectionArg = Direction.BOTH,
        types: TypesArg = None,
        kinds: KindsArg = None,
        first: FirstArg = 20,
        after: AfterArg = None,
    ) -> LinkConnection:
        rel_types = list(types or [])
        labels = labels_of(kinds)
        page = await reads.links_page(
            info.context,
            self.record.id,
            direction=direction.store,
            rel_types=rel_types,
            labels=labels,
            first=first,
            after=after,
        )
        return LinkConnection(page=page, count_args=(self.record.id, direction, rel_types, labels))


@strawberry.type(description="Participant figures of an event, exactly as the source states them.")
class Reach:
    participants: int | None = strawberry.field(description="People who took part or were reached.")
    women: int | None = strawberry.field(description="Women among them.")
    youth: int | None = strawberry.field(description="Young people among them.")
    disabled: int | None = strawberry.field(description="People with disabilities among them.")
    women_share: float | None = strawberry.field(description="Share of women, percent, as stated.")
    youth_share: float | None = strawberry.field(
        description="Share of young people, percent, as stated."
    )
    approximate: list[str] = strawberry.field(
        description="The figures above that the source gives approximately (environ, près "
        "de), by property name: participants, women, youthShare..."
    )


def _reach(props: dict[str, records.PropValue]) -> Reach:
    approximate = props.get("approximate")
    return Reach(
        participants=_int(props, "participants"),
        women=_int(props, "women"),
        youth=_int(props, "youth"),
        disabled=_int(props, "disabled"),
        women_share=_float(props, "womenShare"),
        youth_share=_float(props, "youthShare"),
        approximate=[str(v) for v in approximate] if isinstance(approximate, list) else [],
    )


# ------------------------------------------------- the node types, from model.KINDS
#
# Each kind's type is made from its declaration: a class named after the label,
# implementing Node, with one Strawberry field per declared field (a neighbour set,
# a shown property, or one of the special fields below), in the declared order.
# Strawberry's public API only: `strawberry.type` on a class made by `types.new_class`
# whose attributes are `strawberry.field(resolver=...)`.


def _neighbours_field(spec: model.Neighbours) -> Any:
    direction = Direction(spec.way)

    async def resolve(root: Node, info: Ctx, first: FirstArg = spec.first) -> list[Link]:
        return await _links(info, root.record.id, direction, spec.types, spec.labels, first)

    return strawberry.field(resolver=resolve, description=spec.description)


def _shown_field(prop: model.Prop, description: str) -> Any:
    name = prop.name

    def text(root: Node) -> str | None:
        return _str(root.record.props, name)

    def whole(root: Node) -> int | None:
        return _int(root.record.props, name)

    def number(root: Node) -> float | None:
        return _float(root.record.props, name)

    def texts(root: Node) -> list[str]:
        return _strings(root.record.props, name)

    def flag(root: Node) -> bool | None:
        value = root.record.props.get(name)
        return value if isinstance(value, bool) else None

    resolvers: dict[model.PropType, Any] = {
        model.PropType.STRING: text,
        model.PropType.INT: whole,
        model.PropType.FLOAT: number,
        model.PropType.STRING_LIST: texts,
        model.PropType.BOOL: flag,
    }
    return strawberry.field(resolver=resolvers[prop.type], description=description)


def _event_reach(root: Node) -> Reach:
    return _reach(root.record.props)


async def _place_within(
    root: Node,
    info: Ctx,
    first: FirstArg = 10,
    transitive: Annotated[
        bool,
        strawberry.argument(
            description="Follow WITHIN up the hierarchy: each link is one step of the "
            "chain, from the place it starts at to the one that holds it."
        ),
    ] = False,
) -> list[Link]:
    chain = await reads.places_holding(
        info.context,
        root.record.id,
        first=first,
        levels=reads.MAX_PLACE_DEPTH if transitive else 1,
        with_props=asks_for_link_data(info),
        node_props=link_node_props(info),
    )
    return [Link.of(n) for n in chain]


async def _place_events(
    root: Node,
    info: Ctx,
    first: FirstArg = 20,
    after: AfterArg = None,
    date_from: FromArg = None,
    date_to: ToArg = None,
) -> NodeConnection[Event]:
    query = NodeQuery(
        label=Label.EVENT,
        place=root.record.id,
        date_from=reads.period_bound(date_from, field="from", end=False),
        date_to=reads.period_bound(date_to, field="to", end=True),
        sort=SortField.DATE.store,
    )
    result = await reads.list_nodes(info.context, query, first, after)
    return NodeConnection[Event](page=result.page, query=query)


#: The fields `model.Special` names, by kind and name.
SPECIAL: dict[tuple[Label, str], Any] = {
    (Label.EVENT, "reach"): strawberry.field(
        resolver=_event_reach, description="Participant figures as the source gives them."
    ),
    (Label.PLACE, "within"): strawberry.field(
        resolver=_place_within,
        description="The places it lies directly within; with `transitive`, its whole chain "
        "up to its country and beyond (venue → town → region → country), nearest first.",
    ),
    (Label.PLACE, "events"): strawberry.field(
        resolver=_place_events,
        description="Events held here or anywhere within it, in date order.",
    ),
}

#: Types whose fields a kind's type also has, beyond its declared ones.
BASES: dict[Label, tuple[type, ...]] = {Label.PLACE: (Located,)}

_PROPS = {prop.name: prop for prop in model.NODE_PROPS}


def _field(kind: model.Kind, spec: model.Field) -> Any:
    if isinstance(spec, model.Neighbours):
        return _neighbours_field(spec)
    if isinstance(spec, model.Shown):
        return _shown_field(_PROPS[spec.prop], spec.description)
    made = SPECIAL.get((kind.label, spec.name))
    if made is None:
        raise TypeError(f"{kind.label.value}.{spec.name} is declared Special: add it to SPECIAL")
    return made


def _node_type(kind: model.Kind) -> type[Node]:
    attributes = {_name(spec): _field(kind, spec) for spec in kind.fields}
    made = new_class(
        kind.label.value,
        (Node, *BASES.get(kind.label, ())),
        exec_body=lambda namespace: namespace.update(attributes),
    )
    made.__module__ = __name__
    typed: type[Node] = strawberry.type(made, description=kind.description)
    return typed


def _name(spec: model.Field) -> str:
    return spec.prop if isinstance(spec, model.Shown) else spec.name


NODE_TYPES: dict[Label, type[Node]] = {kind.label: _node_type(kind) for kind in model.KINDS}
ALL_TYPES = tuple(NODE_TYPES.values())

if TYPE_CHECKING:
    # What the rest of the schema annotates with; the real classes are made above.
    class Organization(Node): ...

    class Person(Node): ...

    class Event(Node): ...

    class Programme(Node): ...

    class Place(Node): ...

    class Observation(Node): ...

    class Source(Node): ...

else:
    Organization = NODE_TYPES[Label.ORGANIZATION]
    Person = NODE_TYPES[Label.PERSON]
    Event = NODE_TYPES[Label.EVENT]
    Programme = NODE_TYPES[Label.PROGRAMME]
    Place = NODE_TYPES[Label.PLACE]
    Observation = NODE_TYPES[Label.OBSERVATION]
    Source = NODE_TYPES[Label.SOURCE]


def to_type(record: records.Node) -> Node:
    """The GraphQL object for a node record, by its label."""
    return NODE_TYPES[record.label](
        record=record,
        id=strawberry.ID(record.id),
        node_kind=record.label,
        name=record.name,
    )


def to_event(record: records.Node) -> Event:
    """An event record as the Event type (callers know the label)."""
    node = to_type(record)
    assert isinstance(node, Event)
    return node
