"""Plain typed records that cross the Store boundary.

Resolvers, the seed loader and the CLI only ever see these dataclasses, never a
driver record. Properties not modelled as fields live in `props`, keyed by the
names in `graph.model`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from peacegraph.graph.model import Label, RelType

T = TypeVar("T")
PropValue = str | int | float | bool | list[str] | None


@dataclass(frozen=True)
class Provenance:
    """Where a fact was read: a document, the section heading, the exact quote."""

    document: str
    section: str
    quote: str

    def as_dict(self) -> dict[str, str]:
        return {"document": self.document, "section": self.section, "quote": self.quote}


@dataclass(frozen=True)
class Node:
    """A node: its label, id, display name, and its other properties."""

    label: Label
    id: str
    name: str
    props: dict[str, PropValue] = field(default_factory=dict)
    sources: tuple[Provenance, ...] = ()

    def get(self, name: str) -> Any:
        return self.props.get(name)


@dataclass(frozen=True)
class Relationship:
    """A directed relationship between two nodes, with its properties."""

    type: RelType
    source: str
    target: str
    props: dict[str, PropValue] = field(default_factory=dict)
    sources: tuple[Provenance, ...] = ()

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity of a relationship: one of each type between two nodes."""
        return (self.source, self.type.value, self.target)


@dataclass(frozen=True)
class Neighbour:
    """A node next to another one, and the relationship that joins them."""

    node: Node
    relationship: Relationship
    direction: str  # "out" when the relationship starts at the anchor node, else "in"


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of results, cut in the store, with whether more follow, and how many
    there are in all when the store counted them to cut the page (else None)."""

    items: list[T]
    offset: int
    has_next: bool
    total: int | None = None


@dataclass(frozen=True)
class StoredRecord:
    """A bookkeeping record kept beside the graph: an API token, an audit entry,
    a deleted node's snapshot. `ref` and `actor` are the fields lists filter on.
    """

    kind: str
    key: str
    at: str
    ref: str = ""
    actor: str = ""
    body: dict[str, Any] = field(default_factory=dict)
