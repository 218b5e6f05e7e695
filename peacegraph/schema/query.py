"""The root Query: what partnership officers, explorers and frontends can ask."""

from __future__ import annotations

from types import new_class
from typing import Annotated, Any

import strawberry

from peacegraph.graph import model
from peacegraph.graph.model import Label
from peacegraph.graph.store import NodeQuery
from peacegraph.resolvers import reads, writes
from peacegraph.schema.enums import NodeKind, RelationshipType, SortField, labels_of
from peacegraph.schema.review import ReviewQuery
from peacegraph.schema.selection import network_node_props, network_rel_props, partner_props
from peacegraph.schema.types import (
    NODE_TYPES,
    AfterArg,
    Ctx,
    FirstArg,
    FromArg,
    Node,
    NodeConnection,
    ToArg,
    to_type,
)
from peacegraph.schema.views import (
    AuditConnection,
    NetworkView,
    PathView,
    SearchConnection,
    StatsView,
    TimelineEntry,
)


@strawberry.input(description="Filters for a list of nodes; all optional, combined with AND.")
class NodeFilter:
    kinds: list[str] | None = strawberry.field(
        default=None, description="Only these sub-kinds (e.g. ngo, workshop, region)."
    )
    date_from: str | None = strawberry.field(
        default=None,
        name="from",
        description="Only nodes whose dates reach this day or later (2023-07 means from "
        "1 July); an open end (a partnership since 2011) always does.",
    )
    date_to: str | None = strawberry.field(
        default=None,
        name="to",
        description="Only nodes whose dates begin on or before this (2023-09 means to 30 "
        "September).",
    )
    place: strawberry.ID | None = strawberry.field(
        default=None,
        description="Only nodes held at this place or anywhere within it, at any depth "
        "(a region takes its towns and their venues).",
    )
    outside: strawberry.ID | None = strawberry.field(
        default=None,
        description="Only nodes with a known place none of whose places lies within this "
        "one, at any depth (outside: Mali gives events abroad; nodes with no place are left "
        "out).",
    )
    programme: strawberry.ID | None = strawberry.field(
        default=None, description="Only nodes directly related to this programme."
    )
    partner: strawberry.ID | None = strawberry.field(
        default=None, description="Only nodes directly related to this node."
    )
    theme: str | None = strawberry.field(default=None, description="Only nodes with this theme.")


@strawberry.input(description="How to order a list.")
class Sort:
    field: SortField = strawberry.field(default=SortField.NAME, description="Order by this.")
    descending: bool = strawberry.field(default=False, description="Largest first.")


FilterArg = Annotated[NodeFilter | None, strawberry.argument(description="Filters.")]
SortArg = Annotated[Sort | None, strawberry.argument(description="Ordering (by name by default).")]
IdArg = Annotated[strawberry.ID, strawberry.argument(description="Stable id, e.g. org:cedeao.")]


def _query(label: Label, node_filter: NodeFilter | None, sort: Sort | None) -> NodeQuery:
    f = node_filter or NodeFilter()
    s = sort or Sort()
    return NodeQuery(
        label=label,
        kinds=tuple(f.kinds or ()),
        date_from=reads.period_bound(f.date_from, field="filter.from", end=False),
        date_to=reads.period_bound(f.date_to, field="filter.to", end=True),
        place=f.place,
        outside=f.outside,
        programme=f.programme,
        partner=f.partner,
        theme=f.theme,
        sort=s.field.store,
        descending=s.descending,
    )


async def _list(
    info: Ctx,
    label: Label,
    node_filter: NodeFilter | None,
    sort: Sort | None,
    first: int,
    after: str | None,
) -> tuple[NodeQuery, reads.CountedPage[object]]:
    query = _query(label, node_filter, sort)
    result = await reads.list_nodes(info.context, query, first, after)
    return query, result  # type: ignore[return-value]


async def _typed(info: Ctx, node_id: str, label: Label) -> Node | None:
    record = await reads.node(info.context, node_id)
    return to_type(record) if record is not None and record.label is label else None


class _Fields:
    """The root fields written by hand; `Query` adds each kind's lookup and list."""

    @strawberry.field(description="Always ok when the API answers.")
    def health(self) -> str:
        return "ok"

    @strawberry.field(description="Any node by its id (Relay refetch).")
    async def node(self, info: Ctx, id: IdArg) -> Node | None:
        record = await reads.node(info.context, id)
        return to_type(record) if record is not None else None

    @strawberry.field(description="Several nodes by id, in the order asked (null where unknown).")
    async def nodes(
        self,
        info: Ctx,
        ids: Annotated[list[strawberry.ID], strawberry.argument(description="Up to 100 ids.")],
    ) -> list[Node | None]:
        found = await reads.nodes(info.context, [str(i) for i in ids])
        return [to_type(r) if r is not None else None for r in found]

    # the lookups of each kind (model.KINDS' `one`) are inserted here

    @strawberry.field(
        description="Nodes by name or alias, forgiving accents, case and a typo; best first."
    )
    async def search(
        self,
        info: Ctx,
        text: Annotated[
            str, strawberry.argument(description="What to look for (ECOWAS, onu femmes...).")
        ],
        kinds: Annotated[
            list[NodeKind] | None, strawberry.argument(description="Only these kinds of node.")
        ] = None,
        first: FirstArg = 10,
        after: AfterArg = None,
    ) -> SearchConnection:
        page = await reads.search(info.context, text, labels_of(kinds), first, after)
        return SearchConnection(page=page)

    # the lists of each kind (model.KINDS' `many`) are inserted here

    @strawberry.field(
        description="Nodes and edges around seed nodes in one request, ready to draw."
    )
    async def network(
        self,
        info: Ctx,
        seeds: Annotated[
            list[strawberry.ID], strawberry.argument(description="Ids to start from.")
        ],
        depth: Annotated[int, strawberry.argument(description="Hops from the seeds, 0 to 3.")] = 1,
        relationship_types: Annotated[
            list[RelationshipType] | None,  # type: ignore[valid-type]
            strawberry.argument(description="Only follow these relationship types."),
        ] = None,
        kinds: Annotated[
            list[NodeKind] | None, strawberry.argument(description="Only include these kinds.")
        ] = None,
        since: Annotated[
            str | None,
            strawberry.argument(
                description="Leave out what ended before this date (2023-09: before 1 "
                "September); what runs on with no end (a partnership since 2011) stays."
            ),
        ] = None,
        until: Annotated[
            str | None,
            strawberry.argument(
                description="Leave out what began after this date (2023-09: after 30 September)."
            ),
        ] = None,
        limit: Annotated[int, strawberry.argument(description="Most nodes to return.")] = 200,
    ) -> NetworkView:
        network = await reads.network(
            info.context,
            [str(s) for s in seeds],
            depth=depth,
            rel_types=list(relationship_types or []),
            labels=labels_of(kinds),
            since=since,
            until=until,
            limit=limit,
            rel_props=network_rel_props(info),
            node_props=network_node_props(info),
        )
        return NetworkView(network=network)

    @strawberry.field(description="The shortest connections between two nodes, hop by hop.")
    async def path(
        self,
        info: Ctx,
        source: Annotated[
            strawberry.ID, strawberry.argument(name="from", description="Start node id.")
        ],
        target: Annotated[
            strawberry.ID, strawberry.argument(name="to", description="End node id.")
        ],
        max_length: Annotated[int, strawberry.argument(description="Most hops, 1 to 6.")] = 4,
    ) -> list[PathView]:
        found = await reads.paths(info.context, str(source), str(target), max_length)
        return [PathView(path=p) for p in found]

    @strawberry.field(description="Events an actor was involved in, in date order, with partners.")
    async def timeline(
        self,
        info: Ctx,
        actor: Annotated[
            strawberry.ID, strawberry.argument(description="Organisation or person id.")
        ],
        date_from: FromArg = None,
        date_to: ToArg = None,
    ) -> list[TimelineEntry]:
        entries = await reads.timeline(
            info.context, str(actor), date_from, date_to, partner_props(info)
        )
        return [TimelineEntry(entry=e) for e in entries]

    @strawberry.field(description="Counts by kind and people reached, for a period or programme.")
    async def stats(
        self,
        info: Ctx,
        date_from: FromArg = None,
        date_to: ToArg = None,
        programme: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only events of this programme.")
        ] = None,
    ) -> StatsView:
        scope = reads.stats_scope(date_from, date_to, programme)
        return StatsView(stats=await reads.stats(info.context, scope), scope=scope)

    @strawberry.field(description="Admin: the audit trail of changes, newest first.")
    async def audit_log(
        self,
        info: Ctx,
        target: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only changes of this node.")
        ] = None,
        actor: Annotated[
            str | None, strawberry.argument(description="Only changes by this token name.")
        ] = None,
        first: FirstArg = 20,
        after: AfterArg = None,
    ) -> AuditConnection:
        page = await writes.audit_log(
            info.context, target=str(target or ""), actor=actor or "", first=first, after=after
        )
        return AuditConnection(page=page)


def _lookup(label: Label, entry: model.Entry) -> Any:
    async def resolve(info: Ctx, id: IdArg) -> Node | None:
        return await _typed(info, id, label)

    resolve.__annotations__["return"] = NODE_TYPES[label] | None
    return strawberry.field(resolver=resolve, description=entry.description)


def _listing(label: Label, entry: model.Entry) -> Any:
    generic: Any = NodeConnection
    connection: Any = generic[NODE_TYPES[label]]

    async def resolve(
        info: Ctx,
        filter: FilterArg = None,
        sort: SortArg = None,
        first: FirstArg = 20,
        after: AfterArg = None,
    ) -> Any:
        query, result = await _list(info, label, filter, sort, first, after)
        return connection(page=result.page, query=query)

    resolve.__annotations__["return"] = connection
    return strawberry.field(resolver=resolve, description=entry.description)


def _root_fields() -> dict[str, Any]:
    """The hand-written fields with each kind's lookups before `search` and its lists
    after it, the order the committed schema has."""
    hand = {name: value for name, value in vars(_Fields).items() if not name.startswith("_")}
    lookups = {k.one.name: _lookup(k.label, k.one) for k in model.KINDS if k.one}
    lists = {k.many.name: _listing(k.label, k.many) for k in model.KINDS if k.many}
    names = list(hand)
    cut = names.index("search")
    before, after = names[:cut], names[cut + 1 :]
    return {
        **{n: hand[n] for n in before},
        **lookups,
        "search": hand["search"],
        **lists,
        **{n: hand[n] for n in after},
        **{n: v for n, v in vars(ReviewQuery).items() if not n.startswith("_")},
    }


Query = strawberry.type(
    new_class("Query", (), exec_body=lambda namespace: namespace.update(_root_fields())),
    description="Questions about peacebuilding actors, partnerships and events.",
)
