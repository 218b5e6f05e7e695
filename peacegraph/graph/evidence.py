"""How strongly the report supports a relationship, for ranking connections.

A connection through an event the two actors took part in, or a relationship the
report states in a sentence, is concrete; one whose only citation is a section
heading (an organisation "implements" an agenda because its activity sits under the
agenda's heading) is thematic. Paths are ranked by their weakest hop, then by all of
them (`traversal.paths_in_order`), the same on every store.
"""

from __future__ import annotations

import enum

from peacegraph.graph.model import Label, RelType, label_of_id
from peacegraph.graph.records import Relationship
from peacegraph.graph.text import fold

#: Relationships that put an actor at an event.
_AT_EVENT = frozenset(
    {RelType.ATTENDED, RelType.PARTICIPATED_IN, RelType.ORGANIZED, RelType.FUNDED}
)


class Evidence(enum.IntEnum):
    """The strength of a relationship's evidence, weakest first."""

    HEADING = 1  # cited only by section headings: a thematic link
    STATED = 2  # stated in a sentence of the report
    SHARED_EVENT = 3  # an actor's part in an event: something that happened


def strength(rel: Relationship) -> Evidence:
    """How strongly the report supports `rel` (a relationship without sources, which
    the write path refuses, counts as a heading)."""
    if rel.type in _AT_EVENT and label_of_id(rel.target) is Label.EVENT:
        return Evidence.SHARED_EVENT
    if any(fold(s.quote) != fold(s.section) for s in rel.sources):
        return Evidence.STATED
    return Evidence.HEADING
