"""Reviewing extraction drafts over GraphQL (editors only): a draft's report paragraph
by paragraph with the facts proposed in each, and a decision per fact."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Annotated, Any, cast

import strawberry
from strawberry.scalars import JSON

from peacegraph.graph.errors import Conflict, Invalid, NotFound
from peacegraph.graph.model import ENDPOINTS, RelType, label_of_id
from peacegraph.resolvers import review
from peacegraph.review import drafts, ledger
from peacegraph.review.seed_files import seed_files
from peacegraph.schema.enums import RelationshipType
from peacegraph.schema.mutation import ConflictError, NotFoundError, ValidationError
from peacegraph.schema.types import Ctx
from peacegraph.seed.report import Block, Report, heading_text, normalize

_SHOWN_ELSEWHERE = ("id", "label", "kind", "name", "type", "from", "to", "sources", "aliases")


@strawberry.enum(description="What extraction said about a proposed fact.")
class FactStatus(enum.Enum):
    PROPOSED = strawberry.enum_value("proposed", description="Read from the text.")
    NEW = strawberry.enum_value("new", description="An entity the graph does not know.")
    KNOWN = strawberry.enum_value("known", description="An entity the graph knows: same id.")
    AMBIGUOUS = strawberry.enum_value(
        "ambiguous", description="Several known entities fit: choose one of the candidates."
    )


@strawberry.enum(description="What an editor decided on a proposed fact.")
class DecisionStatus(enum.Enum):
    ACCEPTED = strawberry.enum_value(ledger.ACCEPTED, description="Written to the graph.")
    REJECTED = strawberry.enum_value(ledger.REJECTED, description="Kept out of the graph.")


@strawberry.type(description="The passage a proposed fact is read from.")
class FactQuote:
    section: str = strawberry.field(description="Heading of the section, as the seed names it.")
    quote: str = strawberry.field(description="The exact words of the report.")


@strawberry.type(description="An editor's decision on one proposed fact.")
class FactDecision:
    fact: strawberry.ID = strawberry.field(description="Id of the fact decided.")
    status: DecisionStatus = strawberry.field(description="Accepted or rejected.")
    by: str = strawberry.field(description="Name of the editor's token.")
    at: str = strawberry.field(description="When (UTC, ISO 8601).")
    edited: bool = strawberry.field(description="Whether the editor changed the fact.")
    written: list[strawberry.ID] = strawberry.field(
        description="Ids it was written as: the node, or the relationship's two ends."
    )
    reason: str = strawberry.field(description="Why it was rejected (may be empty).")


def _decision(found: ledger.Decision) -> FactDecision:
    return FactDecision(
        fact=strawberry.ID(found.fact),
        status=DecisionStatus(found.status),
        by=found.by,
        at=found.at,
        edited=found.edited,
        written=[strawberry.ID(i) for i in found.written],
        reason=found.reason,
    )


@strawberry.type(description="A node or relationship the draft proposes.")
class DraftFact:
    id: strawberry.ID = strawberry.field(
        description="The node's id, or `from|TYPE|to` for a relationship."
    )
    entity: bool = strawberry.field(description="True for a node, false for a relationship.")
    label: str | None = strawberry.field(description="Nodes: Organization, Person, Event...")
    kind: str | None = strawberry.field(description="Nodes: the sub-kind (ngo, workshop...).")
    name: str | None = strawberry.field(description="Nodes: the proposed display name.")
    aliases: list[str] = strawberry.field(description="Nodes: other names the report uses.")
    type: RelationshipType | None = strawberry.field(description="Relationships: the type.")  # type: ignore[valid-type]
    source: strawberry.ID | None = strawberry.field(
        name="from", description="Relationships: id of the start node."
    )
    target: strawberry.ID | None = strawberry.field(
        name="to", description="Relationships: id of the end node."
    )
    allowed_types: list[RelationshipType] = strawberry.field(  # type: ignore[valid-type]
        description="Relationships: the types the model allows between the ends' labels."
    )
    status: FactStatus = strawberry.field(description="What extraction said about it.")
    candidates: list[strawberry.ID] = strawberry.field(
        description="Known nodes it may be (ambiguous), or was matched to (known)."
    )
    fields: JSON = strawberry.field(
        description="Its other fields in the seed's names (start, end, participants, role...)."
    )
    quotes: list[FactQuote] = strawberry.field(description="Where the report says so.")
    decision: FactDecision | None = strawberry.field(description="The decision, once taken.")


@strawberry.type(description="One paragraph (or heading) of the report, with its facts.")
class DraftParagraph:
    index: int = strawberry.field(description="Position in the report, from 0.")
    heading: str | None = strawberry.field(description="The heading's text, when it is one.")
    text: str = strawberry.field(description="The paragraph, whitespace collapsed.")
    facts: list[DraftFact] = strawberry.field(
        description="Facts whose first quote lies in this paragraph."
    )


@strawberry.type(description="A file of the reviewed facts' seed folder.")
class SeedFile:
    name: str = strawberry.field(description="File name (report.yaml, reviewed.yaml, the report).")
    text: str = strawberry.field(description="Its content.")


@dataclass
class _Loaded:
    draft: drafts.Draft
    decisions: dict[str, ledger.Decision]


def _fact(fact: drafts.Fact, decision: ledger.Decision | None) -> DraftFact:
    data = fact.data
    ends = [label_of_id(str(data.get(k, ""))) for k in ("from", "to")]
    allowed = [t for t, pairs in ENDPOINTS.items() if (ends[0], ends[1]) in pairs]
    return DraftFact(
        id=strawberry.ID(fact.id),
        entity=fact.node,
        label=data.get("label"),
        kind=data.get("kind"),
        name=data.get("name"),
        aliases=list(data.get("aliases") or []),
        type=RelType(data["type"]) if "type" in data else None,
        source=data.get("from"),
        target=data.get("to"),
        allowed_types=[t for t in allowed if t is not RelType.MENTIONED_IN],
        status=FactStatus(fact.status),
        candidates=[strawberry.ID(c) for c in fact.candidates],
        fields=cast(JSON, {k: v for k, v in data.items() if k not in _SHOWN_ELSEWHERE}),
        quotes=[FactQuote(section=s["section"], quote=s["quote"]) for s in fact.sources],
        decision=_decision(decision) if decision else None,
    )


def _paragraph_of(report: Report, fact: drafts.Fact) -> int:
    """The paragraph of the fact's first quote, at or after its section heading."""
    first = fact.sources[0]
    headings = report.headings_named(heading_text(first["section"]))
    start = headings[0].index if headings else 0
    blocks: list[Block] = report.blocks_containing(normalize(first["quote"]))
    return next((b.index for b in blocks if b.index >= start), blocks[0].index if blocks else 0)


@strawberry.type(description="A report's extraction draft, under review.")
class Draft:
    loaded: strawberry.Private[_Loaded]

    @strawberry.field(description="The draft's name (lower-case, hyphens).")
    def name(self) -> str:
        return self.loaded.draft.name

    @strawberry.field(description="The report's title, from its report.yaml.")
    def title(self) -> str:
        return str(self.loaded.draft.document.get("name", ""))

    @strawberry.field(description="Id of the report's Source node, the facts' document.")
    def document(self) -> strawberry.ID:
        return strawberry.ID(str(self.loaded.draft.document["id"]))

    @strawberry.field(description="When it was added (UTC, ISO 8601).")
    def added_at(self) -> str:
        return self.loaded.draft.added_at

    @strawberry.field(description="Facts proposed.")
    def fact_count(self) -> int:
        return len(self.loaded.draft.facts)

    @strawberry.field(description="Facts decided (accepted or rejected).")
    def decided_count(self) -> int:
        return len(self.loaded.decisions)

    @strawberry.field(description="The report, paragraph by paragraph, with the facts of each.")
    def paragraphs(self) -> list[DraftParagraph]:
        draft = self.loaded.draft
        report = Report.parse(draft.report, str(draft.document["text"]))
        by_paragraph: dict[int, list[DraftFact]] = {}
        for fact in draft.facts:
            shown = _fact(fact, self.loaded.decisions.get(fact.id))
            by_paragraph.setdefault(_paragraph_of(report, fact), []).append(shown)
        return [
            DraftParagraph(
                index=b.index, heading=b.heading, text=b.text, facts=by_paragraph.get(b.index, [])
            )
            for b in report.blocks
        ]

    @strawberry.field(
        description="The accepted facts as a seed folder `peacegraph seed check` accepts."
    )
    def seed_files(self) -> list[SeedFile]:
        made = seed_files(self.loaded.draft, self.loaded.decisions)
        return [SeedFile(name=name, text=text) for name, text in made.files.items()]

    @strawberry.field(
        description="Accepted relationships left out of the seed files: an end is not "
        "an accepted node of this draft."
    )
    def left_out(self) -> list[strawberry.ID]:
        made = seed_files(self.loaded.draft, self.loaded.decisions)
        return [strawberry.ID(fact) for fact in made.left_out]


@strawberry.input(description="Changes to a proposed fact; omitted fields stay as proposed.")
class FactEdit:
    name: str | None = strawberry.field(default=None, description="Nodes: display name.")
    kind: str | None = strawberry.field(default=None, description="Nodes: sub-kind.")
    description: str | None = strawberry.field(default=None, description="Nodes: what it is.")
    note: str | None = strawberry.field(default=None, description="Editorial note.")
    start: str | None = strawberry.field(
        default=None, description="Start (2023, 2023-09, 2023-09-05); empty removes it."
    )
    end: str | None = strawberry.field(default=None, description="End; empty removes it.")
    participants: int | None = strawberry.field(default=None, description="Events: participants.")
    women: int | None = strawberry.field(default=None, description="Events: women among them.")
    youth: int | None = strawberry.field(default=None, description="Events: young people.")
    disabled: int | None = strawberry.field(default=None, description="Events: disabled people.")
    value: float | None = strawberry.field(default=None, description="Observations: the value.")
    unit: str | None = strawberry.field(default=None, description="Observations: the unit.")
    type: RelationshipType | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Relationships: the type."
    )
    source: strawberry.ID | None = strawberry.field(
        default=None, name="from", description="Relationships: id of the start node."
    )
    target: strawberry.ID | None = strawberry.field(
        default=None, name="to", description="Relationships: id of the end node."
    )
    role: str | None = strawberry.field(default=None, description="Relationships: the role.")
    count: int | None = strawberry.field(default=None, description="Relationships: how many.")

    def changes(self) -> dict[str, Any]:
        """The edit in the seed's field names."""
        return {
            "name": self.name, "kind": self.kind, "description": self.description,
            "note": self.note, "start": self.start, "end": self.end,
            "participants": self.participants, "women": self.women, "youth": self.youth,
            "disabled": self.disabled, "value": self.value, "unit": self.unit,
            "type": self.type.value if self.type else None, "from": self.source,
            "to": self.target, "role": self.role, "count": self.count,
        }  # fmt: skip


DecisionResult = Annotated[
    FactDecision | ValidationError | NotFoundError | ConflictError,
    strawberry.union("DecisionResult", description="The decision taken, or why not."),
]
DraftArg = Annotated[str, strawberry.argument(description="The draft's name.")]
FactArg = Annotated[strawberry.ID, strawberry.argument(description="The fact's id.")]


async def _decided(work: Any) -> Any:
    try:
        return _decision(await work)
    except Invalid as error:
        return ValidationError(message=str(error), field=error.field)
    except NotFound as error:
        return NotFoundError(message=str(error))
    except Conflict as error:
        return ConflictError(message=str(error))


class ReviewQuery:
    """The review's root query fields (editor token), added to `Query` after its own."""

    @strawberry.field(description="Editors: the extraction drafts kept for review, newest first.")
    async def drafts(self, info: Ctx) -> list[Draft]:
        found = await review.every_draft(info.context)
        return [Draft(loaded=_Loaded(draft, decisions)) for draft, decisions in found]

    @strawberry.field(description="Editors: one draft with its paragraphs, facts and decisions.")
    async def draft(self, info: Ctx, name: DraftArg) -> Draft:
        found, decisions = await review.draft(info.context, name)
        return Draft(loaded=_Loaded(found, decisions))


@strawberry.type(description="Review mutations (editor token).")
class ReviewMutation:
    @strawberry.mutation(
        description="Editors: write a proposed fact to the graph, with the editor's changes, "
        "its quotes as sources and an audit entry; a relationship needs both ends in the graph."
    )
    async def accept_fact(
        self,
        info: Ctx,
        draft: DraftArg,
        fact: FactArg,
        edit: Annotated[
            FactEdit | None, strawberry.argument(description="Changes to make first.")
        ] = None,
        same_as: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Entities: write it onto this existing node."),
        ] = None,
    ) -> DecisionResult:
        changes = edit.changes() if edit else {}
        target = str(same_as) if same_as else None
        work = review.accept_fact(info.context, draft, str(fact), changes, target)
        return await _decided(work)  # type: ignore[no-any-return]

    @strawberry.mutation(description="Editors: keep a proposed fact out of the graph.")
    async def reject_fact(
        self,
        info: Ctx,
        draft: DraftArg,
        fact: FactArg,
        reason: Annotated[str, strawberry.argument(description="Why (optional).")] = "",
    ) -> DecisionResult:
        work = review.reject_fact(info.context, draft, str(fact), reason)
        return await _decided(work)  # type: ignore[no-any-return]
