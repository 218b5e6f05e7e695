"""What the query asks for at one place, so that the store reads only that.

A link list asked for as `participants { node { id name } }` needs no relationship
data: the store can then skip reading it (`Store.neighbours_of_many(with_props=
False)`), which is most of what handing 8,500 links to Python costs. The answer is
the same for every parent at one place of an operation, so it is worked out once
per place (the operation, and the response path without list indexes with the
parent type at each step) and kept on the request's context, which the operations
of a batch share.

A network drawn from `elements` needs each relationship's role and none of its
sources (`Store.network(rel_props=...)`, `network_rel_props`), and each node's kind
and start date (`node_props`, `network_node_props`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection
from strawberry.utils.str_converters import to_camel_case

from peacegraph.graph import model

#: The node properties besides id and name, and the relationship properties, that a
#: network's `elements` (`views.cytoscape_elements`) reads.
ELEMENT_NODE_PROPS = ("kind", "startDate")
ELEMENT_REL_PROPS = ("role",)

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


def _fields(selections: Iterable[Selection]) -> Iterable[SelectedField]:
    """The fields selected here, through inline and named fragments."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        elif isinstance(selection, (InlineFragment, FragmentSpread)):
            yield from _fields(selection.selections)


def _asks_beyond(selections: Iterable[Selection], allowed: frozenset[str]) -> bool:
    """Whether any field selected here (fragments included) is outside `allowed`.
    Sub-selections of a field (`node { note }`) belong to another type: not looked at."""
    return any(field.name not in allowed for field in _fields(selections))


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


#: The relationship properties each field of a network's `edges` (`Relation`) reads.
RELATION_FIELD_PROPS: dict[str, tuple[str, ...]] = {
    "__typename": (),
    "id": (),
    "type": (),
    "source": (),
    "target": (),
    "role": ("role",),
    "start": ("startDate", "startPrecision"),
    "end": ("endDate", "endPrecision"),
    "sources": ("sources",),
    "evidence": ("sources",),
}
#: ... and each other field of a network view (`elements` draws edges with their role).
NETWORK_FIELD_PROPS: dict[str, tuple[str, ...]] = {
    "__typename": (),
    "truncated": (),
    "nodes": (),
    "elements": ELEMENT_REL_PROPS,
}


def _network_fields(info: Any) -> Iterable[SelectedField]:
    """The fields selected on the `network` field being resolved, through fragments."""
    for network in _fields(info.selected_fields):
        yield from _fields(network.selections)


def _all_of(named: Iterable[Collection[str] | None]) -> frozenset[str] | None:
    """The property names the fields read together; None (all of them) as soon as one
    field's are not known, so that a field added later is never answered from
    properties left unread."""
    wanted: set[str] = set()
    for props in named:
        if props is None:
            return None
        wanted.update(props)
    return frozenset(wanted)


def network_rel_props(info: Any) -> frozenset[str] | None:
    """The relationship properties the `network` field being resolved reads; None
    (all of them) as soon as it asks for a field not listed above."""

    def named(field: SelectedField) -> list[tuple[str, ...] | None]:
        if field.name == "edges":
            return [RELATION_FIELD_PROPS.get(f.name) for f in _fields(field.selections)]
        return [NETWORK_FIELD_PROPS.get(field.name)]

    return _all_of(props for field in _network_fields(info) for props in named(field))


#: The node properties besides id and name each field of a network view reads;
#: None: all of them (`nodes` answers whole `Node`s).
NETWORK_FIELD_NODE_PROPS: dict[str, tuple[str, ...] | None] = {
    "__typename": (),
    "truncated": (),
    "edges": (),
    "elements": ELEMENT_NODE_PROPS,
    "nodes": None,
}


def network_node_props(info: Any) -> frozenset[str] | None:
    """The node properties the `network` field being resolved reads besides id and
    name; None (all of them) for `nodes`, or any field not listed above."""
    return _all_of(NETWORK_FIELD_NODE_PROPS.get(field.name) for field in _network_fields(info))


#: The node properties besides id and name that the fields of the Node interface,
#: the kinds' special fields and the coordinates of places read.
_COMMON_FIELD_PROPS: dict[str, tuple[str, ...]] = {
    "__typename": (),
    "id": (),
    "nodeKind": (),
    "name": (),
    "kind": ("kind",),
    "aliases": ("aliases",),
    "description": ("description",),
    "note": ("note",),
    "wikidata": ("wikidata",),
    "iati": ("iati",),
    "start": ("startDate", "startPrecision"),
    "end": ("endDate", "endPrecision"),
    "themes": ("themes",),
    "version": ("version",),
    "sources": ("sources",),
    "neighbours": (),
    "links": (),
    # special fields (`model.Special`): figures, and link lists answered by id
    "reach": (
        "participants",
        "women",
        "youth",
        "disabled",
        "womenShare",
        "youthShare",
        "approximate",
    ),
    "within": (),
    "events": (),
    # `schema.geo.Located`
    "latitude": ("latitude",),
    "longitude": ("longitude",),
    "geonamesId": ("geonamesId",),
}


def _node_field_props() -> dict[str, tuple[str, ...]]:
    """What each field of a node reads, by field name over every kind: the kinds'
    declared fields (`model.KINDS`: a neighbour list reads the node's id only, a shown
    property itself), and the common ones above; a name two kinds declare reads
    what either reads."""
    found = {name: set(props) for name, props in _COMMON_FIELD_PROPS.items()}
    for kind in model.KINDS:
        for spec in kind.fields:
            if isinstance(spec, model.Shown):
                found.setdefault(spec.prop, set()).add(spec.prop)
            elif isinstance(spec, model.Neighbours):
                found.setdefault(to_camel_case(spec.name), set())
    return {name: tuple(sorted(props)) for name, props in found.items()}


#: The node properties besides id and name each field of a node reads. A field not
#: here (one added later) reads them all (None), so that it is never answered from
#: properties left unread.
NODE_FIELD_PROPS = _node_field_props()


def _node_props(selections: Iterable[Selection]) -> frozenset[str] | None:
    """The properties the node fields selected here read (fragments included)."""
    return _all_of(NODE_FIELD_PROPS.get(field.name) for field in _fields(selections))


def link_node_props(info: Any) -> frozenset[str] | None:
    """The properties besides id and name that the link list being resolved reads of
    the nodes at the other end (`node { ... }`); None: all of them. Worked out once
    per place, like `asks_for_link_data`."""
    cache: dict[object, tuple[object, frozenset[str] | None]] = info.context.node_selections
    operation = info.operation
    place = (id(operation), _place(info.path))
    found = cache.get(place)
    if found is not None:
        return found[1]
    ends = [
        end
        for links in _fields(info.selected_fields)  # the link list itself
        for end in _fields(links.selections)  # the fields of each Link
        if end.name == "node"
    ]
    props = _all_of(_node_props(end.selections) for end in ends)
    cache[place] = (operation, props)
    return props


def partner_props(info: Any) -> frozenset[str] | None:
    """The properties besides id and name a `timeline` reads of each entry's partners;
    None: all of them."""
    partners = [
        field
        for timeline in _fields(info.selected_fields)  # the timeline itself
        for field in _fields(timeline.selections)  # the fields of each entry
        if field.name == "partners"
    ]
    return _all_of(_node_props(p.selections) for p in partners)
