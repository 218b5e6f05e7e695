"""Checks every write goes through, whatever its origin (seed, mutation, import).

A record that breaks a rule raises `Invalid` naming the field; nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence

from peacegraph.graph.errors import Invalid
from peacegraph.graph.model import (
    NODE_PROP_NAMES,
    NODE_PROPS,
    REL_PROP_NAMES,
    REL_PROPS,
    Label,
    PropType,
    allowed,
    label_of_id,
)
from peacegraph.graph.records import Node, PropValue, Relationship

MAX_TEXT = 10_000
MAX_ID = 200
MAX_LIST = 200
_TYPES = {p.name: p.type for p in (*NODE_PROPS, *REL_PROPS)}
_COUNTS = {"participants", "women", "youth", "disabled", "count", "version"}


def check_text(value: str, *, field: str, limit: int = MAX_TEXT) -> None:
    if "\x00" in value:
        raise Invalid(f"{field}: contains a null byte", field=field)
    if len(value) > limit:
        raise Invalid(f"{field}: longer than {limit} characters", field=field)


def check_id(node_id: str, *, field: str = "id") -> Label:
    """The label an id's prefix names; Invalid when it names none."""
    check_text(node_id, field=field, limit=MAX_ID)
    label = label_of_id(node_id)
    if label is None:
        raise Invalid(
            f"{field}: {node_id!r} must look like 'org:slug' with a known prefix", field=field
        )
    return label


def _check_value(name: str, value: PropValue, *, field: str) -> None:
    expected = _TYPES[name]
    if value is None:
        return
    if expected is PropType.STRING and isinstance(value, str):
        check_text(value, field=field)
        return
    if expected is PropType.STRING_LIST and isinstance(value, list):
        if len(value) > MAX_LIST:
            raise Invalid(f"{field}: more than {MAX_LIST} items", field=field)
        for index, item in enumerate(value):
            if not isinstance(item, str):
                raise Invalid(f"{field}[{index}]: must be text", field=f"{field}[{index}]")
            check_text(item, field=f"{field}[{index}]", limit=1000)
        return
    if expected is PropType.INT and isinstance(value, int) and not isinstance(value, bool):
        if name in _COUNTS and value < 0:
            raise Invalid(f"{field}: must not be negative", field=field)
        return
    if (
        expected is PropType.FLOAT
        and isinstance(value, (int, float))
        and not isinstance(value, bool)
    ):
        return
    if expected is PropType.BOOL and isinstance(value, bool):
        return
    raise Invalid(f"{field}: expected {expected.value}, got {type(value).__name__}", field=field)


def _check_sources(record: Node | Relationship, field: str) -> None:
    for index, source in enumerate(record.sources):
        for part in ("document", "section", "quote"):
            check_text(getattr(source, part), field=f"{field}.sources[{index}].{part}")


def check_node(node: Node, *, field: str = "node") -> None:
    label = check_id(node.id, field=f"{field}.id")
    if label is not node.label:
        raise Invalid(
            f"{field}.id: prefix of {node.id!r} does not match label {node.label.value}",
            field=f"{field}.id",
        )
    if not node.name.strip():
        raise Invalid(f"{field}.name: must not be empty", field=f"{field}.name")
    check_text(node.name, field=f"{field}.name", limit=1000)
    for name, value in node.props.items():
        if name not in NODE_PROP_NAMES or name in {"id", "name", "sources", "searchKey"}:
            raise Invalid(f"{field}.{name}: unknown property", field=f"{field}.{name}")
        _check_value(name, value, field=f"{field}.{name}")
    _check_dates(node.props, field)
    _check_sources(node, field)


def check_relationship(rel: Relationship, *, field: str = "relationship") -> None:
    source = check_id(rel.source, field=f"{field}.from")
    target = check_id(rel.target, field=f"{field}.to")
    if not allowed(rel.type, source, target):
        raise Invalid(
            f"{field}.type: {rel.type.value} cannot join {source.value} to {target.value}",
            field=f"{field}.type",
        )
    for name, value in rel.props.items():
        if name not in REL_PROP_NAMES or name == "sources":
            raise Invalid(f"{field}.{name}: unknown property", field=f"{field}.{name}")
        _check_value(name, value, field=f"{field}.{name}")
    _check_dates(rel.props, field)
    _check_sources(rel, field)


def _check_dates(props: dict[str, PropValue], field: str) -> None:
    start, end = props.get("dateFrom"), props.get("dateTo")
    if isinstance(start, str) and isinstance(end, str) and end < start:
        raise Invalid(f"{field}.endDate: ends before it starts", field=f"{field}.endDate")


def check_nodes(nodes: Sequence[Node]) -> None:
    seen: set[str] = set()
    for index, node in enumerate(nodes):
        check_node(node, field=f"nodes[{index}]")
        if node.id in seen:
            raise Invalid(
                f"nodes[{index}].id: {node.id!r} appears twice", field=f"nodes[{index}].id"
            )
        seen.add(node.id)


def check_relationships(relationships: Sequence[Relationship]) -> None:
    for index, rel in enumerate(relationships):
        check_relationship(rel, field=f"relationships[{index}]")
