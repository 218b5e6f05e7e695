"""GraphQL enums, mapped one to one onto the graph model's allow-list."""

from __future__ import annotations

import enum
from typing import TypeAlias

import strawberry

from peacegraph.graph import model, writing
from peacegraph.graph.store import Direction as StoreDirection
from peacegraph.graph.store import SortKey

#: The kinds of node are the model's labels (`model.KINDS`), as a GraphQL enum.
NodeKind: TypeAlias = model.Label
strawberry.enum(
    model.Label, name="NodeKind", description="The kinds of node in the graph (one per node label)."
)

RelationshipType = strawberry.enum(
    model.RelType,
    name="RelationshipType",
    description=f"Types of relationship: {', '.join(model.RelType)}.",
)


@strawberry.enum(description="Which way to follow relationships from a node.")
class Direction(enum.Enum):
    OUT = "out"
    IN = "in"
    BOTH = "both"

    @property
    def store(self) -> StoreDirection:
        return StoreDirection(self.value)


@strawberry.enum(description="What lists are ordered by; ties are broken by id.")
class SortField(enum.Enum):
    NAME = "name"
    DATE = "date"
    ID = "id"

    @property
    def store(self) -> SortKey:
        return SortKey(self.value)


def labels_of(kinds: list[NodeKind] | None) -> list[model.Label]:
    return list(kinds or [])


@strawberry.enum(description="What an import does with ids the graph already holds.")
class ImportMode(enum.Enum):
    CREATE = strawberry.enum_value(
        "create",
        description="The default: refuse the whole import with a ConflictError listing the "
        "ids that exist; nothing is written.",
    )
    MERGE = strawberry.enum_value(
        "merge",
        description="Update the fields the import gives; aliases and sources are unioned, "
        "the version goes up by one.",
    )
    REPLACE = strawberry.enum_value(
        "replace",
        description="Admin: put the imported records in place of the stored ones; the "
        "version goes up by one.",
    )

    @property
    def writing(self) -> writing.ImportMode:
        return writing.ImportMode[self.name]
