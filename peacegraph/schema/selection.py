"""What the query asks for at one place, worked out once per request.

A link list asked for as `participants { node { id name } }` needs no relationship
data: the store can then skip reading it (`Store.neighbours_of_many(with_props=
False)`), which is most of what handing 8,500 links to Python costs. The answer is
the same for every parent at one place of an operation, so it is worked out once
per place (the operation, and the response path without list indexes with the
parent type at each step) and kept on the request's context, which the operations
of a batch share.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

#: Link fields read without the relationship's own data: its ends, type, direction.
LINK_KEY_FIELDS = frozenset({"__typename", "type", "direction", "sourceId", "targetId", "node"})


def _place(path: Any) -> tuple[tuple[str, str | None], ...]:
    """Where a field is in the query: its response path without list indexes, each
    step with the type it was selected on (fields of one name on two types differ)."""
    steps: list[tuple[str, str | None]] = []
    while path is not None:
        if isinstance(path.key, str):
            steps.append((path.key, path.typename))
        path = path.prev
    return tuple(steps)


def _asks_beyond(selections: Iterable[Selection], allowed: frozenset[str]) -> bool:
    """Whether any field selected here (fragments included) is outside `allowed`.
    Sub-selections of a field (`node { note }`) belong to another type: not looked at."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            if selection.name not in allowed:
                return True
        elif isinstance(selection, (InlineFragment, FragmentSpread)) and _asks_beyond(
            selection.selections, allowed
        ):
            return True
    return False


def asks_for_link_data(info: Any) -> bool:
    """Whether the link list being resolved asks for any of its relationships' own
    data (role, dates, count, programme, note, sources, or any field added later)."""
    cache: dict[object, tuple[object, bool]] = info.context.selections
    operation = info.operation
    place = (id(operation), _place(info.path))
    found = cache.get(place)
    if found is not None:
        return found[1]
    fields = [f for f in info.selected_fields if isinstance(f, SelectedField)]
    asks = any(_asks_beyond(f.selections, LINK_KEY_FIELDS) for f in fields)
    # The operation is kept with the answer, so that its id is not reused meanwhile.
    cache[place] = (operation, asks)
    return asks
