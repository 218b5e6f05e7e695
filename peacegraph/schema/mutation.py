"""The root Mutation: editing the graph with provenance, roles and an audit trail.

Expected failures are part of each result type (ValidationError, NotFoundError,
ConflictError); a missing or insufficient token is a GraphQL error with code
UNAUTHENTICATED or FORBIDDEN, and nothing changes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import reduce
from operator import or_
from types import new_class
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import strawberry
from strawberry.scalars import JSON

from peacegraph.exchange.canonical import node_from_json, relationship_from_json
from peacegraph.graph import model, records
from peacegraph.graph.errors import Conflict, Invalid, NotFound
from peacegraph.graph.model import Label
from peacegraph.resolvers import changes, writes
from peacegraph.schema.enums import ImportMode, RelationshipType
from peacegraph.schema.types import NODE_TYPES, Ctx, Node, to_type
from peacegraph.schema.views import Relation

T = TypeVar("T")


@strawberry.type(description="Input that breaks a rule; `field` names where.")
class ValidationError:
    message: str = strawberry.field(description="What is wrong, for a person to read.")
    field: str | None = strawberry.field(description="Path of the offending input field.")


@strawberry.type(description="Something the mutation names does not exist.")
class NotFoundError:
    message: str = strawberry.field(description="What was not found.")


@strawberry.type(description="The change clashes with the current state (e.g. a stale version).")
class ConflictError:
    message: str = strawberry.field(description="What clashed and how to resolve it.")


@strawberry.input(description="The passage that supports a change.")
class SourceInput:
    document: str = strawberry.field(description="Source document id or title.")
    section: str = strawberry.field(description="Section heading of the passage.")
    quote: str = strawberry.field(description="The exact words that state the fact.")


_INPUT_DESCRIPTION = "Fields of a node; omitted fields keep their current value."


@strawberry.input(name="NodeInputBase", description=_INPUT_DESCRIPTION)
class _NodeInputBase:
    id: strawberry.ID | None = strawberry.field(
        default=None, description="Stable id; when omitted it is made from the name."
    )
    version: int | None = strawberry.field(
        default=None, description="Version you edited; a stale one is refused with a conflict."
    )
    name: str | None = strawberry.field(default=None, description="Display name.")
    kind: str | None = strawberry.field(default=None, description="Sub-kind (ngo, workshop...).")
    aliases: list[str] | None = strawberry.field(default=None, description="Other names.")
    description: str | None = strawberry.field(default=None, description="What it is.")
    note: str | None = strawberry.field(default=None, description="Editorial note on the node.")
    wikidata: str | None = strawberry.field(default=None, description="Wikidata QID.")
    iati: str | None = strawberry.field(default=None, description="IATI organisation identifier.")
    start: str | None = strawberry.field(
        default=None, description="Start: 2023, 2023-09 or 2023-09-05."
    )
    end: str | None = strawberry.field(default=None, description="End, not before the start.")
    themes: list[str] | None = strawberry.field(default=None, description="Themes (wps, ssr...).")
    participants: int | None = strawberry.field(default=None, description="Events: participants.")
    women: int | None = strawberry.field(default=None, description="Events: women among them.")
    youth: int | None = strawberry.field(
        default=None, description="Events: young people among them."
    )
    disabled: int | None = strawberry.field(
        default=None, description="Events: people with disabilities among them."
    )
    women_share: float | None = strawberry.field(default=None, description="Events: % women.")
    youth_share: float | None = strawberry.field(
        default=None, description="Events: % young people."
    )
    value: float | None = strawberry.field(default=None, description="Observations: the value.")
    unit: str | None = strawberry.field(default=None, description="Observations: the unit.")

    def fields(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "aliases": self.aliases,
            "description": self.description,
            "note": self.note,
            "wikidata": self.wikidata,
            "iati": self.iati,
            "start": self.start,
            "end": self.end,
            "themes": self.themes,
            "participants": self.participants,
            "women": self.women,
            "youth": self.youth,
            "disabled": self.disabled,
            "womenShare": self.women_share,
            "youthShare": self.youth_share,
            "value": self.value,
            "unit": self.unit,
        }


_PROPS = {prop.name: prop for prop in model.NODE_PROPS}
#: Each kind's shown properties (`model.Shown`) that the fields above do not name, as
#: input fields: a property declared and shown in the model is writable at once.
_EXTRA_INPUTS = {
    shown.prop: f"{kind.title}: {shown.description}"
    for kind in model.KINDS
    for shown in kind.fields
    if isinstance(shown, model.Shown) and shown.prop not in _NodeInputBase().fields()
}
_INPUT_TYPES: dict[model.PropType, object] = {
    model.PropType.STRING: str | None,
    model.PropType.STRING_LIST: list[str] | None,
    model.PropType.INT: int | None,
    model.PropType.FLOAT: float | None,
    model.PropType.BOOL: bool | None,
}


def _all_fields(self: _NodeInputBase) -> dict[str, Any]:
    return {**_NodeInputBase.fields(self), **{name: getattr(self, name) for name in _EXTRA_INPUTS}}


def _node_input() -> Any:
    namespace: dict[str, Any] = {
        "__annotations__": {name: _INPUT_TYPES[_PROPS[name].type] for name in _EXTRA_INPUTS},
        **{
            name: strawberry.field(default=None, description=description)
            for name, description in _EXTRA_INPUTS.items()
        },
        "fields": _all_fields,
        "__module__": __name__,
    }
    made = new_class("NodeInput", (_NodeInputBase,), exec_body=lambda ns: ns.update(namespace))
    return strawberry.input(made, description=_INPUT_DESCRIPTION)


if TYPE_CHECKING:
    NodeInput = _NodeInputBase
else:
    NodeInput = _node_input()


@strawberry.input(description="A relationship to create or update.")
class LinkInput:
    type: RelationshipType = strawberry.field(description="Relationship type.")  # type: ignore[valid-type]
    source: strawberry.ID = strawberry.field(name="from", description="Id of the start node.")
    target: strawberry.ID = strawberry.field(name="to", description="Id of the end node.")
    role: str | None = strawberry.field(default=None, description="Role of the start node.")
    start: str | None = strawberry.field(default=None, description="Since when (partial date).")
    end: str | None = strawberry.field(default=None, description="Until when (partial date).")
    count: int | None = strawberry.field(default=None, description="How many (not negative).")
    programme: strawberry.ID | None = strawberry.field(
        default=None, description="PARTNER_OF: the programme served."
    )
    note: str | None = strawberry.field(default=None, description="Editorial note.")

    def fields(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "start": self.start,
            "end": self.end,
            "count": self.count,
            "programme": self.programme,
            "note": self.note,
        }


@strawberry.type(description="A node removed; restorable with restoreNode unless deleted hard.")
class Deleted:
    id: strawberry.ID = strawberry.field(description="Id of the deleted node.")


@strawberry.type(description="What a batch import wrote.")
class ImportSummary:
    nodes: int = strawberry.field(description="Nodes created or updated.")
    relationships: int = strawberry.field(description="Relationships created or updated.")


@strawberry.type(description="An audited change undone.")
class Reverted:
    audit_id: strawberry.ID = strawberry.field(description="Id of the audit entry undone.")
    targets: list[strawberry.ID] = strawberry.field(
        description="Ids of the nodes it put back (or of the relationships' start nodes)."
    )


Errors = ValidationError | NotFoundError | ConflictError


def _result(types: tuple[type, ...], name: str, description: str) -> Any:
    """`types`, or why not: an annotated union named `name`."""
    return Annotated[
        reduce(or_, (*types, *_ERRORS)), strawberry.union(name, description=description)
    ]


_ERRORS = (ValidationError, NotFoundError, ConflictError)
_EDITABLE = tuple(kind for kind in model.KINDS if kind.upsert)
#: Each editable kind's result type (`OrganizationResult`...), from model.KINDS.
RESULTS = {
    k.label: _result(
        (NODE_TYPES[k.label],),
        f"{k.label.value}Result",
        f"The {k.label.lower()} written, or why not.",
    )
    for k in _EDITABLE
}
if TYPE_CHECKING:
    NodeResult = Node | ValidationError | NotFoundError | ConflictError
else:
    NodeResult = _result(
        tuple(NODE_TYPES[k.label] for k in _EDITABLE), "NodeResult", "The node written, or why not."
    )
LinkResult = Annotated[
    Relation | Errors, strawberry.union("LinkResult", description="The link written, or why not.")
]
DeleteResult = Annotated[
    Deleted | Errors,
    strawberry.union("DeleteResult", description="The delete written, or why not."),
]
ImportResult = Annotated[
    ImportSummary | Errors,
    strawberry.union("ImportResult", description="The import written, or why not."),
]
RevertResult = Annotated[
    Reverted | Errors,
    strawberry.union("RevertResult", description="The change undone, or why not."),
]

SourceArg = Annotated[
    SourceInput | None, strawberry.argument(description="The passage that supports the change.")
]
NoteArg = Annotated[
    str | None, strawberry.argument(description="Editor's note, when there is no source passage.")
]


def _change(source: SourceInput | None, note: str | None) -> writes.Change:
    provenance = (
        records.Provenance(source.document, source.section, source.quote) if source else None
    )
    return writes.Change(source=provenance, note=note)


async def _expected(
    work: Awaitable[T], info: Ctx
) -> T | ValidationError | NotFoundError | ConflictError:
    """Run a write, turning expected failures into result types; a write that
    returned has committed, and goes to the change feed (subscriptions)."""
    try:
        result = await work
    except Invalid as error:
        return ValidationError(message=str(error), field=error.field)
    except NotFound as error:
        return NotFoundError(message=str(error))
    except Conflict as error:
        return ConflictError(message=str(error))
    changes.publish(info.context.feed, info.python_name, result)
    return result


def _node_result(result: records.Node | ValidationError | NotFoundError | ConflictError) -> Any:
    return to_type(result) if isinstance(result, records.Node) else result


def _upsert(label: Label) -> Callable[..., Awaitable[Any]]:
    async def resolve(
        info: Ctx,
        input: Annotated[NodeInput, strawberry.argument(description="Fields to set.")],
        source: SourceArg = None,
        note: NoteArg = None,
    ) -> Any:
        work = writes.upsert_node(
            info.context,
            label,
            input.fields(),
            node_id=str(input.id) if input.id else None,
            expected_version=input.version,
            change=_change(source, note),
        )
        return _node_result(await _expected(work, info))

    return resolve


class _Fields:
    """The mutations written by hand; `Mutation` puts each kind's upsert first."""

    @strawberry.mutation(description="Create or update a relationship between two existing nodes.")
    async def link(
        self,
        info: Ctx,
        input: Annotated[LinkInput, strawberry.argument(description="The relationship.")],
        source: SourceArg = None,
        note: NoteArg = None,
    ) -> LinkResult:
        work = writes.link(
            info.context,
            input.type,
            str(input.source),
            str(input.target),
            input.fields(),
            _change(source, note),
        )
        result = await _expected(work, info)
        return Relation(rel=result) if isinstance(result, records.Relationship) else result

    @strawberry.mutation(description="Remove a relationship.")
    async def unlink(
        self,
        info: Ctx,
        type: Annotated[RelationshipType, strawberry.argument(description="Relationship type.")],  # type: ignore[valid-type]
        source_id: Annotated[
            strawberry.ID, strawberry.argument(name="from", description="Start node id.")
        ],
        target_id: Annotated[
            strawberry.ID, strawberry.argument(name="to", description="End node id.")
        ],
        source: SourceArg = None,
        note: NoteArg = None,
    ) -> LinkResult:
        work = writes.unlink(
            info.context, type, str(source_id), str(target_id), _change(source, note)
        )
        result = await _expected(work, info)
        return Relation(rel=result) if isinstance(result, records.Relationship) else result

    @strawberry.mutation(description="Add another name to a node (an acronym, a translation).")
    async def add_alias(
        self,
        info: Ctx,
        id: Annotated[strawberry.ID, strawberry.argument(description="Node id.")],
        alias: Annotated[str, strawberry.argument(description="The other name.")],
        source: SourceArg = None,
        note: NoteArg = None,
    ) -> NodeResult:
        work = writes.add_alias(info.context, str(id), alias, _change(source, note))
        return _node_result(await _expected(work, info))  # type: ignore[no-any-return]

    @strawberry.mutation(
        description="Admin: move every relationship, alias and source of `drop` onto `keep`, "
        "then delete `drop`."
    )
    async def merge_entities(
        self,
        info: Ctx,
        keep: Annotated[strawberry.ID, strawberry.argument(description="Node that stays.")],
        drop: Annotated[strawberry.ID, strawberry.argument(description="Duplicate to fold in.")],
        source: SourceArg = None,
        note: NoteArg = None,
    ) -> NodeResult:
        work = writes.merge_entities(info.context, str(keep), str(drop), _change(source, note))
        return _node_result(await _expected(work, info))  # type: ignore[no-any-return]

    @strawberry.mutation(description="Delete a node and its relationships (soft: restorable).")
    async def delete_node(
        self,
        info: Ctx,
        id: Annotated[strawberry.ID, strawberry.argument(description="Node id.")],
        hard: Annotated[
            bool, strawberry.argument(description="Admin: delete for good, no snapshot kept.")
        ] = False,
        source: SourceArg = None,
        note: NoteArg = None,
    ) -> DeleteResult:
        work = writes.delete_node(info.context, str(id), hard=hard, change=_change(source, note))
        result = await _expected(work, info)
        return Deleted(id=strawberry.ID(result)) if isinstance(result, str) else result

    @strawberry.mutation(description="Bring back a soft-deleted node and its relationships.")
    async def restore_node(
        self,
        info: Ctx,
        id: Annotated[strawberry.ID, strawberry.argument(description="Node id.")],
        source: SourceArg = None,
        note: NoteArg = None,
    ) -> NodeResult:
        work = writes.restore_node(info.context, str(id), _change(source, note))
        return _node_result(await _expected(work, info))  # type: ignore[no-any-return]

    @strawberry.mutation(
        description="Many nodes and relationships at once, in canonical JSON form: all or none."
    )
    async def import_batch(
        self,
        info: Ctx,
        nodes: Annotated[
            list[JSON], strawberry.argument(description="Nodes: {id, label, name, props, sources}.")
        ],
        relationships: Annotated[
            list[JSON],
            strawberry.argument(description="Relationships: {type, from, to, props, sources}."),
        ],
        source: SourceArg = None,
        note: NoteArg = None,
        mode: Annotated[
            ImportMode,
            strawberry.argument(description="What to do with ids the graph already holds."),
        ] = ImportMode.CREATE,
    ) -> ImportResult:
        async def work() -> ImportSummary:
            # Who asks comes before what they send: a caller without the role learns
            # nothing about the batch, not even whether it is valid.
            writes.require(info.context.caller, "admin" if mode is ImportMode.REPLACE else "editor")
            parsed_nodes = [node_from_json(n, f"nodes[{i}]") for i, n in enumerate(nodes)]
            parsed_rels = [
                relationship_from_json(r, f"relationships[{i}]")
                for i, r in enumerate(relationships)
            ]
            count_nodes, count_rels = await writes.import_batch(
                info.context, parsed_nodes, parsed_rels, _change(source, note), mode.writing
            )
            return ImportSummary(nodes=count_nodes, relationships=count_rels)

        return await _expected(work(), info)

    @strawberry.mutation(
        description="Admin: undo an audited change, putting back what it changed as it was; "
        "refused with a ConflictError when a record it changed has changed since."
    )
    async def revert(
        self,
        info: Ctx,
        audit_id: Annotated[
            strawberry.ID, strawberry.argument(description="Id of the audit entry to undo.")
        ],
        note: Annotated[
            str | None, strawberry.argument(description="Why it is undone (for the audit trail).")
        ] = None,
    ) -> RevertResult:
        result = await _expected(writes.revert(info.context, str(audit_id), note), info)
        if isinstance(result, list):
            return Reverted(audit_id=audit_id, targets=[strawberry.ID(t) for t in result])
        return result


def _upsert_field(kind: model.Kind) -> Any:
    resolve = _upsert(kind.label)
    resolve.__annotations__["return"] = RESULTS[kind.label]
    return strawberry.mutation(resolver=resolve, description=kind.upsert)


def _mutation_fields() -> dict[str, Any]:
    upserts = {f"upsert_{k.label.lower()}": _upsert_field(k) for k in _EDITABLE}
    hand = {name: value for name, value in vars(_Fields).items() if not name.startswith("_")}
    return {**upserts, **hand}


DESCRIPTION = "Changes to the graph; each needs an editor token and a source or note."
Mutation = strawberry.type(
    new_class("Mutation", (), exec_body=lambda namespace: namespace.update(_mutation_fields())),
    description=DESCRIPTION,
)
