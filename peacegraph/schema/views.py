"""GraphQL types for whole-graph answers: search hits, network, paths, timeline, stats."""

from __future__ import annotations

import enum
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from peacegraph.graph import evidence, figures, records
from peacegraph.graph import store as st
from peacegraph.graph.model import Label, RelType
from peacegraph.resolvers import reads
from peacegraph.resolvers.context import Context
from peacegraph.resolvers.pagination import encode_cursor
from peacegraph.schema.enums import RelationshipType
from peacegraph.schema.types import (
    Edge,
    Event,
    Node,
    PageInfo,
    PartialDate,
    SourceRef,
    _date,
    _str,
    page_info,
    to_event,
    to_type,
)


@strawberry.enum(description="How strongly the report supports a relationship, weakest first.")
class EvidenceStrength(enum.Enum):
    HEADING = strawberry.enum_value(
        "heading", description="Cited only by section headings: a thematic link."
    )
    STATED = strawberry.enum_value("stated", description="Stated in a sentence of the report.")
    SHARED_EVENT = strawberry.enum_value(
        "shared_event", description="An actor's part in an event: something that happened."
    )


def _strength(value: evidence.Evidence) -> EvidenceStrength:
    return EvidenceStrength[value.name]


@strawberry.type(description="A node found by search, with its relevance.")
class SearchHit:
    hit: strawberry.Private[st.SearchHit]

    @strawberry.field(description="The node found.")
    def node(self) -> Node:
        return to_type(self.hit.node)

    @strawberry.field(
        description="Relevance; higher is better (only comparable within one search)."
    )
    def score(self) -> float:
        return self.hit.score


@strawberry.type(description="A page of search hits, best first (Relay connection).")
class SearchConnection:
    page: strawberry.Private[records.Page[st.SearchHit]]

    @strawberry.field(description="The hits of this page, with cursors.")
    def edges(self) -> list[Edge[SearchHit]]:
        return [
            Edge(cursor=encode_cursor(self.page.offset + i), node=SearchHit(hit=h))
            for i, h in enumerate(self.page.items)
        ]

    @strawberry.field(description="The nodes of this page, best first.")
    def nodes(self) -> list[Node]:
        return [to_type(h.node) for h in self.page.items]

    @strawberry.field(description="Paging information.")
    def page_info(self) -> PageInfo:
        return page_info(self.page)  # type: ignore[arg-type]


@strawberry.type(description="A relationship between two nodes, as an edge of a network or path.")
class Relation:
    rel: strawberry.Private[records.Relationship]

    @strawberry.field(description="Stable id of the edge: source|TYPE|target.")
    def id(self) -> str:
        return "|".join(self.rel.key)

    @strawberry.field(description="Type of the relationship.")
    def type(self) -> RelationshipType:  # type: ignore[valid-type]
        return self.rel.type

    @strawberry.field(description="Id of the node it starts at.")
    def source(self) -> str:
        return self.rel.source

    @strawberry.field(description="Id of the node it ends at.")
    def target(self) -> str:
        return self.rel.target

    @strawberry.field(description="Role of the source node in it.")
    def role(self) -> str | None:
        return _str(self.rel.props, "role")

    @strawberry.field(description="When it began.")
    def start(self) -> PartialDate | None:
        return _date(self.rel.props, "start")

    @strawberry.field(description="When it ended or ends.")
    def end(self) -> PartialDate | None:
        return _date(self.rel.props, "end")

    @strawberry.field(description="Passages of the sources that state it.")
    def sources(self) -> list[SourceRef]:
        return SourceRef.many(self.rel.sources)

    @strawberry.field(
        description="How strongly the report supports it: an event taken part in, a "
        "sentence, or only a section heading."
    )
    def evidence(self) -> EvidenceStrength:
        return _strength(evidence.strength(self.rel))


def cytoscape_elements(network: st.Network) -> dict[str, list[dict[str, object]]]:
    """The network as Cytoscape.js `elements` JSON, ready for `cy.add()`.

    A network asked only for its `elements` is read with no other properties than
    this reads: keep `selection.ELEMENT_NODE_PROPS` and `ELEMENT_REL_PROPS` in step.
    A 500-node view has ~1,700 elements, so enum values are looked up in a dict
    (an enum's `.value` is a descriptor call) and edge ids joined in one format."""
    nodes: list[dict[str, object]] = []
    for n in network.nodes:
        props = n.props
        data = {
            "id": n.id,
            "label": n.name,
            "kind": _LABEL_VALUES[n.label],
            "subkind": props.get("kind"),
            "start": props.get("startDate"),
        }
        nodes.append({"data": data})
    edges: list[dict[str, object]] = []
    for r in network.relationships:
        rel_type = _TYPE_VALUES[r.type]
        data = {
            "id": f"{r.source}|{rel_type}|{r.target}",
            "source": r.source,
            "target": r.target,
            "type": rel_type,
            "role": r.props.get("role"),
        }
        edges.append({"data": data})
    return {"nodes": nodes, "edges": edges}


_LABEL_VALUES = {label: label.value for label in Label}
_TYPE_VALUES = {rel_type: rel_type.value for rel_type in RelType}


def _document_ids(sources: tuple[records.Provenance, ...]) -> list[str]:
    return list(dict.fromkeys(s.document for s in sources))


def _prop(props: dict[str, records.PropValue], key: str) -> str | None:
    value = props.get(key)
    return value if isinstance(value, str) else None


@strawberry.type(
    description="A Cytoscape.js node's `data`: what `elements` gives as JSON, plus the end "
    "date and the source documents, typed."
)
class CytoscapeNodeData:
    id: strawberry.ID = strawberry.field(description="The node's id (Cytoscape's element id).")
    label: str = strawberry.field(description="Display name.")
    kind: str = strawberry.field(
        description="Node label as written in JSON: Organization, Person, Event, Programme, "
        "Place, Observation or Source."
    )
    subkind: str | None = strawberry.field(description="Sub-kind (ngo, workshop...).")
    start: str | None = strawberry.field(description="Start date (2023, 2023-09 or 2023-09-05).")
    end: str | None = strawberry.field(description="End date, when it has one.")
    sources: list[str] = strawberry.field(description="Ids of the documents that state it.")


@strawberry.type(
    description="A Cytoscape.js edge's `data`: what `elements` gives as JSON, plus its kind, "
    "label, dates and source documents, typed."
)
class CytoscapeEdgeData:
    id: strawberry.ID = strawberry.field(description="Stable id: source|TYPE|target.")
    source: strawberry.ID = strawberry.field(description="Id of the node it starts at.")
    target: strawberry.ID = strawberry.field(description="Id of the node it ends at.")
    type: str = strawberry.field(description="Relationship type (PARTICIPATED_IN...).")
    role: str | None = strawberry.field(description="Role of the source node in it.")
    kind: str = strawberry.field(description="The edge's kind: its relationship type.")
    subkind: str | None = strawberry.field(description="The edge's sub-kind: its role.")
    label: str = strawberry.field(description="Display label: the role, else the type.")
    start: str | None = strawberry.field(description="Since when (partial date).")
    end: str | None = strawberry.field(description="Until when (partial date).")
    sources: list[str] = strawberry.field(description="Ids of the documents that state it.")


@strawberry.type(description="A Cytoscape.js node element: `{data}`.")
class CytoscapeNode:
    data: CytoscapeNodeData = strawberry.field(description="The node's data.")


@strawberry.type(description="A Cytoscape.js edge element: `{data}`.")
class CytoscapeEdge:
    data: CytoscapeEdgeData = strawberry.field(description="The edge's data.")


@strawberry.type(description="Cytoscape.js elements, typed: `cy.add()` takes the answer as it is.")
class CytoscapeElements:
    nodes: list[CytoscapeNode] = strawberry.field(description="Node elements, seeds first.")
    edges: list[CytoscapeEdge] = strawberry.field(description="Edge elements.")


def typed_elements(network: st.Network) -> CytoscapeElements:
    """The network as typed Cytoscape.js elements (`NetworkView.typedElements`)."""
    nodes = [
        CytoscapeNode(
            data=CytoscapeNodeData(
                id=strawberry.ID(n.id),
                label=n.name,
                kind=_LABEL_VALUES[n.label],
                subkind=_prop(n.props, "kind"),
                start=_prop(n.props, "startDate"),
                end=_prop(n.props, "endDate"),
                sources=_document_ids(n.sources),
            )
        )
        for n in network.nodes
    ]
    edges = []
    for r in network.relationships:
        rel_type = _TYPE_VALUES[r.type]
        role = _prop(r.props, "role")
        data = CytoscapeEdgeData(
            id=strawberry.ID(f"{r.source}|{rel_type}|{r.target}"),
            source=strawberry.ID(r.source),
            target=strawberry.ID(r.target),
            type=rel_type,
            role=role,
            kind=rel_type,
            subkind=role,
            label=role or rel_type,
            start=_prop(r.props, "startDate"),
            end=_prop(r.props, "endDate"),
            sources=_document_ids(r.sources),
        )
        edges.append(CytoscapeEdge(data=data))
    return CytoscapeElements(nodes=nodes, edges=edges)


@strawberry.type(description="Nodes and edges around seed nodes, ready to draw.")
class NetworkView:
    network: strawberry.Private[st.Network]

    @strawberry.field(description="The nodes, seeds first.")
    def nodes(self) -> list[Node]:
        return [to_type(n) for n in self.network.nodes]

    @strawberry.field(description="The relationships among the nodes.")
    def edges(self) -> list[Relation]:
        return [Relation(rel=r) for r in self.network.relationships]

    @strawberry.field(description="True when the node limit cut the network short.")
    def truncated(self) -> bool:
        return self.network.truncated

    @strawberry.field(description="Cytoscape.js elements JSON: {nodes: [{data}], edges: [{data}]}.")
    def elements(self) -> JSON:
        return cytoscape_elements(self.network)  # type: ignore[return-value]

    @strawberry.field(
        description="The same elements with typed data, plus end dates and source documents: "
        "{nodes: [{data}], edges: [{data}]}, for code generators."
    )
    def typed_elements(self) -> CytoscapeElements:
        return typed_elements(self.network)


@strawberry.type(description="One way two nodes are connected: the nodes passed and each hop.")
class PathView:
    path: strawberry.Private[st.Path]

    @strawberry.field(description="Number of hops.")
    def length(self) -> int:
        return len(self.path.relationships)

    @strawberry.field(description="The nodes along the path, from start to end.")
    def nodes(self) -> list[Node]:
        return [to_type(n) for n in self.path.nodes]

    @strawberry.field(description="Each hop's relationship with its sources, in order.")
    def hops(self) -> list[Relation]:
        return [Relation(rel=r) for r in self.path.relationships]

    @strawberry.field(
        description="Its weakest hop's evidence: paths of one length come best supported "
        "first (a shared event before a link cited only by a heading)."
    )
    def strength(self) -> EvidenceStrength:
        weakest = min(map(evidence.strength, self.path.relationships), default=None)
        return _strength(weakest or evidence.Evidence.SHARED_EVENT)


@strawberry.type(description="An event in an actor's timeline, with the other actors involved.")
class TimelineEntry:
    entry: strawberry.Private[st.TimelineEntry]

    @strawberry.field(description="The event.")
    def event(self) -> Event:
        return to_event(self.entry.event)

    @strawberry.field(description="How the actor relates to the event.")
    def relation(self) -> Relation:
        return Relation(rel=self.entry.relationship)

    @strawberry.field(description="Other organisations and people of the event.")
    def partners(self) -> list[Node]:
        return [to_type(n) for n in self.entry.partners]


@strawberry.type(description="A count under a key.")
class Count:
    key: str = strawberry.field(description="What is counted (a kind, or Label:kind).")
    count: int = strawberry.field(description="How many.")


@strawberry.type(
    description="People reached by a set of events, summed from what each event states."
)
class ReachTotals:
    events: int = strawberry.field(description="Events counted.")
    participants: int = strawberry.field(description="Participants or people reached.")
    women: int = strawberry.field(description="Women among them.")
    youth: int = strawberry.field(description="Young people among them.")
    disabled: int = strawberry.field(description="People with disabilities among them.")


@strawberry.type(
    description="One figure (participants, women, youth, disabled) over the events of a "
    "period, as the report gives it: counts it states, estimates from the shares it "
    "states (47% of 269), and how many events give neither."
)
class FigureTotal:
    total: strawberry.Private[figures.FigureTotal]

    @strawberry.field(description="The figure: participants, women, youth or disabled.")
    def figure(self) -> str:
        return self.total.figure

    @strawberry.field(description="Sum of the counts the events state (exact sum).")
    def stated(self) -> int:
        return self.total.stated

    @strawberry.field(description="How many events state a count of it.")
    def stated_events(self) -> int:
        return self.total.stated_events

    @strawberry.field(
        description="How many of the events counted here give the count or share as "
        "approximate (environ, près de)."
    )
    def approximate_events(self) -> int:
        return self.total.approximate_events

    @strawberry.field(
        description="How many events give only a share (in percent of their participants)."
    )
    def share_events(self) -> int:
        return self.total.share_events

    @strawberry.field(
        description="The basis of those shares: the sum of those events' participants."
    )
    def share_basis(self) -> int:
        return self.total.share_basis

    @strawberry.field(description="Estimated from those shares: share x basis, rounded per event.")
    def share_estimate(self) -> int:
        return self.total.share_estimate

    @strawberry.field(description="stated + shareEstimate: an estimate, not an exact sum.")
    def estimate(self) -> int:
        return self.total.estimate

    @strawberry.field(
        description="How many events of the period give neither a count nor a share of "
        "it: the figure is unknown for them."
    )
    def missing_events(self) -> int:
        return self.total.missing_events


@strawberry.type(description="Counts and reach of the events of a period or programme.")
class StatsView:
    stats: strawberry.Private[st.Stats]
    scope: strawberry.Private[reads.StatsScope]

    @strawberry.field(description="Events and the actors and places involved, by kind of node.")
    def counts_by_kind(self) -> list[Count]:
        return [Count(key=k, count=v) for k, v in self.stats.counts_by_label.items()]

    @strawberry.field(description="The same, by sub-kind (Organization:ngo, Event:workshop...).")
    def counts_by_subkind(self) -> list[Count]:
        return [Count(key=k, count=v) for k, v in self.stats.counts_by_kind.items()]

    @strawberry.field(
        description="People reached: the exact sums of the counts the events state. "
        "Shares and missing figures are in `figures`."
    )
    def reach(self) -> ReachTotals:
        r = self.stats.reach
        return ReachTotals(
            events=r.events,
            participants=r.participants,
            women=r.women,
            youth=r.youth,
            disabled=r.disabled,
        )

    @strawberry.field(
        description="Each figure as stated, estimated from shares with their basis, and "
        "missing: what `reach` alone does not say."
    )
    def figures(self) -> list[FigureTotal]:
        return [FigureTotal(total=total) for total in self.stats.figures]

    @strawberry.field(description="How many events the figures come from.")
    def event_count(self) -> int:
        return self.stats.reach.events

    @strawberry.field(
        description="The events the figures come from, in date order, a page at a time "
        "(`eventCount` says how many there are)."
    )
    async def events(
        self,
        info: strawberry.Info[Context, None],
        first: Annotated[
            int, strawberry.argument(description="How many events (at most the page size).")
        ] = 50,
        offset: Annotated[int, strawberry.argument(description="How many to skip.")] = 0,
    ) -> list[Event]:
        page = await reads.stats_events(info.context, self.scope, first, offset)
        return [to_event(e) for e in page.items]


@strawberry.type(description="One recorded change: who, when, which mutation, before and after.")
class AuditEntry:
    record: strawberry.Private[records.StoredRecord]

    @strawberry.field(description="Id of the entry.")
    def id(self) -> str:
        return self.record.key

    @strawberry.field(description="When, as an ISO timestamp (UTC).")
    def at(self) -> str:
        return self.record.at

    @strawberry.field(description="Name of the token that made the change.")
    def actor(self) -> str:
        return self.record.actor

    @strawberry.field(description="The mutation (upsertOrganization, link, mergeEntities...).")
    def mutation(self) -> str:
        return str(self.record.body.get("mutation", ""))

    @strawberry.field(description="Id of the node changed.")
    def target(self) -> str:
        return self.record.ref

    @strawberry.field(description="The state before, in canonical JSON (null when created).")
    def before(self) -> JSON | None:
        return self.record.body.get("before")

    @strawberry.field(description="The state after, in canonical JSON (null when removed).")
    def after(self) -> JSON | None:
        return self.record.body.get("after")

    @strawberry.field(description="The source passage given for the change.")
    def source(self) -> JSON | None:
        return self.record.body.get("source")

    @strawberry.field(description="The editor's note given for the change.")
    def note(self) -> str | None:
        note = self.record.body.get("note")
        return note if isinstance(note, str) else None


@strawberry.type(description="A page of audit entries, newest first (Relay connection).")
class AuditConnection:
    page: strawberry.Private[records.Page[records.StoredRecord]]

    @strawberry.field(description="The entries of this page, with cursors.")
    def edges(self) -> list[Edge[AuditEntry]]:
        return [
            Edge(cursor=encode_cursor(self.page.offset + i), node=AuditEntry(record=r))
            for i, r in enumerate(self.page.items)
        ]

    @strawberry.field(description="Paging information.")
    def page_info(self) -> PageInfo:
        return page_info(self.page)  # type: ignore[arg-type]
