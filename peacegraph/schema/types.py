"""GraphQL object types for the nodes of the graph and the links between them.

Each type wraps a plain record from the store (a `strawberry.Private` field). The
fields nearly every query asks for (a node's id and name, a link's node) are given
to the constructor; the others are resolvers reading the record, so that the tens
of thousands of objects of a nested answer cost only what the query selects. Nested
fields go through the per-request DataLoaders, so a nested query costs one store
call per level, not one per parent.
"""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

import strawberry
from strawberry.types import Info

from peacegraph.graph import records
from peacegraph.graph.model import Label, RelType
from peacegraph.graph.store import NodeQuery
from peacegraph.resolvers import reads
from peacegraph.resolvers.context import Context
from peacegraph.resolvers.pagination import encode_cursor
from peacegraph.schema.enums import Direction, NodeKind, RelationshipType, SortField, labels_of
from peacegraph.schema.selection import asks_for_link_data

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


_EVENT_ROLES = (RelType.ORGANIZED, RelType.PARTICIPATED_IN, RelType.ATTENDED, RelType.FUNDED)
_ACTORS = (Label.ORGANIZATION, Label.PERSON)


@strawberry.type(
    description="An organisation: NGO, network, secretariat, agency, ministry, donor..."
)
class Organization(Node):
    @strawberry.field(description="Events it organised, funded, took part in or attended.")
    async def events(self, info: Ctx, first: FirstArg = 50) -> list[Link]:
        return await _links(
            info, self.record.id, Direction.OUT, _EVENT_ROLES, (Label.EVENT,), first
        )

    @strawberry.field(description="Partner organisations (PARTNER_OF, either way).")
    async def partners(self, info: Ctx, first: FirstArg = 50) -> list[Link]:
        return await _links(
            info,
            self.record.id,
            Direction.BOTH,
            (RelType.PARTNER_OF,),
            (Label.ORGANIZATION,),
            first,
        )

    @strawberry.field(description="Networks, alliances and bodies it is a member or part of.")
    async def member_of(self, info: Ctx, first: FirstArg = 50) -> list[Link]:
        return await _links(
            info, self.record.id, Direction.OUT, (RelType.MEMBER_OF, RelType.PART_OF), (), first
        )

    @strawberry.field(description="Members and parts of this organisation.")
    async def members(self, info: Ctx, first: FirstArg = 50) -> list[Link]:
        return await _links(
            info, self.record.id, Direction.IN, (RelType.MEMBER_OF, RelType.PART_OF), (), first
        )

    @strawberry.field(description="People who work for it, with their role.")
    async def staff(self, info: Ctx, first: FirstArg = 50) -> list[Link]:
        return await _links(
            info, self.record.id, Direction.IN, (RelType.WORKS_FOR,), (Label.PERSON,), first
        )

    @strawberry.field(description="Programmes it implements, funds or takes part in.")
    async def programmes(self, info: Ctx, first: FirstArg = 50) -> list[Link]:
        return await _links(info, self.record.id, Direction.OUT, (), (Label.PROGRAMME,), first)


@strawberry.type(description="A person, named or known by the office they hold.")
class Person(Node):
    @strawberry.field(description="Organisations the person works for, with their role.")
    async def employers(self, info: Ctx, first: FirstArg = 50) -> list[Link]:
        return await _links(
            info, self.record.id, Direction.OUT, (RelType.WORKS_FOR,), (Label.ORGANIZATION,), first
        )

    @strawberry.field(description="Events the person organised, took part in or attended.")
    async def events(self, info: Ctx, first: FirstArg = 50) -> list[Link]:
        return await _links(
            info, self.record.id, Direction.OUT, _EVENT_ROLES, (Label.EVENT,), first
        )


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


@strawberry.type(description="Something that happened: workshop, training, campaign, visit...")
class Event(Node):
    @strawberry.field(description="Participant figures as the source gives them.")
    def reach(self) -> Reach:
        return _reach(self.record.props)

    @strawberry.field(
        description="Organisations and people that organised, funded, took part or attended."
    )
    async def participants(self, info: Ctx, first: FirstArg = 50) -> list[Link]:
        return await _links(info, self.record.id, Direction.IN, _EVENT_ROLES, _ACTORS, first)

    @strawberry.field(description="Countries and places whose delegates took part.")
    async def countries(self, info: Ctx, first: FirstArg = 50) -> list[Link]:
        return await _links(
            info, self.record.id, Direction.IN, (RelType.PARTICIPATED_IN,), (Label.PLACE,), first
        )

    @strawberry.field(description="Where it was held.")
    async def places(self, info: Ctx, first: FirstArg = 10) -> list[Link]:
        return await _links(
            info, self.record.id, Direction.OUT, (RelType.HELD_AT,), (Label.PLACE,), first
        )

    @strawberry.field(description="Programmes it was part of.")
    async def programmes(self, info: Ctx, first: FirstArg = 10) -> list[Link]:
        return await _links(info, self.record.id, Direction.OUT, (), (Label.PROGRAMME,), first)


@strawberry.type(description="A programme, project, alliance programme or early-warning system.")
class Programme(Node):
    @strawberry.field(
        description="Organisations that implement, fund, partner in or take part in it."
    )
    async def partners(self, info: Ctx, first: FirstArg = 50) -> list[Link]:
        return await _links(info, self.record.id, Direction.BOTH, (), (Label.ORGANIZATION,), first)

    @strawberry.field(description="Events held as part of it.")
    async def events(self, info: Ctx, first: FirstArg = 50) -> list[Link]:
        return await _links(info, self.record.id, Direction.IN, (), (Label.EVENT,), first)

    @strawberry.field(
        description="Measured figures about it (incidents submitted, reports produced...)."
    )
    async def observations(self, info: Ctx, first: FirstArg = 50) -> list[Link]:
        return await _links(
            info, self.record.id, Direction.IN, (RelType.ABOUT,), (Label.OBSERVATION,), first
        )


@strawberry.type(description="A place: country, region, cercle, commune, town or venue.")
class Place(Node):
    @strawberry.field(
        description="The places it lies directly within; with `transitive`, its whole chain "
        "up to its country and beyond (venue → town → region → country), nearest first."
    )
    async def within(
        self,
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
            self.record.id,
            first=first,
            levels=reads.MAX_PLACE_DEPTH if transitive else 1,
            with_props=asks_for_link_data(info),
        )
        return [Link.of(n) for n in chain]

    @strawberry.field(description="Places directly within it.")
    async def contains(self, info: Ctx, first: FirstArg = 50) -> list[Link]:
        return await _links(
            info, self.record.id, Direction.IN, (RelType.WITHIN,), (Label.PLACE,), first
        )

    @strawberry.field(description="Events held here or anywhere within it, in date order.")
    async def events(
        self,
        info: Ctx,
        first: FirstArg = 20,
        after: AfterArg = None,
        date_from: FromArg = None,
        date_to: ToArg = None,
    ) -> NodeConnection[Event]:
        query = NodeQuery(
            label=Label.EVENT,
            place=self.record.id,
            date_from=reads.period_bound(date_from, field="from", end=False),
            date_to=reads.period_bound(date_to, field="to", end=True),
            sort=SortField.DATE.store,
        )
        result = await reads.list_nodes(info.context, query, first, after)
        return NodeConnection[Event](page=result.page, query=query)


@strawberry.type(description="A measured figure: value, unit, period, and what it is about.")
class Observation(Node):
    @strawberry.field(description="The measured value.")
    def value(self) -> float | None:
        return _float(self.record.props, "value")

    @strawberry.field(description="Unit of the value (incidents, reports, women...).")
    def unit(self) -> str | None:
        return _str(self.record.props, "unit")

    @strawberry.field(description="What the figure is about (platform, programme, event...).")
    async def about(self, info: Ctx, first: FirstArg = 10) -> list[Link]:
        return await _links(info, self.record.id, Direction.OUT, (RelType.ABOUT,), (), first)


@strawberry.type(description="A source document, such as a quarterly report.")
class Source(Node):
    pass


_TYPES: dict[Label, type[Node]] = {
    Label.ORGANIZATION: Organization,
    Label.PERSON: Person,
    Label.EVENT: Event,
    Label.PROGRAMME: Programme,
    Label.PLACE: Place,
    Label.OBSERVATION: Observation,
    Label.SOURCE: Source,
}
ALL_TYPES = tuple(_TYPES.values())
_NODE_KINDS = {label: NodeKind(label.value) for label in Label}


def _reach(props: dict[str, records.PropValue]) -> Reach:
    return Reach(
        participants=_int(props, "participants"),
        women=_int(props, "women"),
        youth=_int(props, "youth"),
        disabled=_int(props, "disabled"),
        women_share=_float(props, "womenShare"),
        youth_share=_float(props, "youthShare"),
    )


def to_type(record: records.Node) -> Node:
    """The GraphQL object for a node record, by its label."""
    return _TYPES[record.label](
        record=record,
        id=strawberry.ID(record.id),
        node_kind=_NODE_KINDS[record.label],
        name=record.name,
    )


def to_event(record: records.Node) -> Event:
    """An event record as the Event type (callers know the label)."""
    node = to_type(record)
    assert isinstance(node, Event)
    return node
