"""Checks every write goes through, whatever its origin (seed, mutation, import).

A record that breaks a rule raises `Invalid` naming the field; nothing is written.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from peacegraph.graph import dates
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
#: Whole numbers are stored as 64-bit integers by both backends.
INT_RANGE = range(-(2**63), 2**63)
PRECISIONS = ("year", "month", "day")


def check_text(value: str, *, field: str, limit: int = MAX_TEXT) -> None:
    if "\x00" in value:
        raise Invalid(f"{field}: contains a null byte", field=field)
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise Invalid(f"{field}: contains an unpaired surrogate", field=field) from None
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
        if value not in INT_RANGE:
            raise Invalid(f"{field}: {value} does not fit in 64 bits", field=field)
        return
    if (
        expected is PropType.FLOAT
        and isinstance(value, (int, float))
        and not isinstance(value, bool)
    ):
        if not math.isfinite(value):
            raise Invalid(f"{field}: must be a finite number", field=field)
        return
    if expected is PropType.BOOL and isinstance(value, bool):
        return
    raise Invalid(f"{field}: expected {expected.value}, got {type(value).__name__}", field=field)


def _check_sources(record: Node | Relationship, field: str) -> None:
    for index, source in enumerate(record.sources):
        for part in ("document", "section", "quote"):
            where = f"{field}.sources[{index}].{part}"
            value = getattr(source, part)
            if not value.strip():
                raise Invalid(f"{where}: must not be empty", field=where)
            check_text(value, field=where)


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
    _check_coordinates(node.props, field)
    _check_sources(node, field)


#: Valid ranges of WGS84 coordinates, in degrees.
COORDINATE_RANGES = {"latitude": (-90.0, 90.0), "longitude": (-180.0, 180.0)}


def _check_coordinates(props: dict[str, PropValue], field: str) -> None:
    """A point is both coordinates or neither, each within its range; a GeoNames id
    is a positive number (a half point or a zero id would draw a marker nowhere)."""
    given = [name for name in COORDINATE_RANGES if props.get(name) is not None]
    if len(given) == 1:
        missing = "longitude" if given == ["latitude"] else "latitude"
        raise Invalid(
            f"{field}.{missing}: give both latitude and longitude, or neither",
            field=f"{field}.{missing}",
        )
    for name, (low, high) in COORDINATE_RANGES.items():
        value = props.get(name)
        if isinstance(value, (int, float)) and not low <= value <= high:
            raise Invalid(
                f"{field}.{name}: {value} is not between {low:g} and {high:g}",
                field=f"{field}.{name}",
            )
    geonames = props.get("geonamesId")
    if isinstance(geonames, int) and geonames <= 0:
        raise Invalid(f"{field}.geonamesId: must be a positive number", field=f"{field}.geonamesId")


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
    """Dates are real partial dates; what is derived from them (precisions, the day
    range) agrees with them wherever both are given."""
    start, end = props.get("startDate"), props.get("endDate")
    for name in ("startDate", "endDate"):
        value = props.get(name)
        if isinstance(value, str):
            dates.parse_partial(value, field=f"{field}.{name}")
    for name, date in (("startPrecision", start), ("endPrecision", end)):
        precision = props.get(name)
        if precision is None:
            continue
        if precision not in PRECISIONS:
            raise Invalid(
                f"{field}.{name}: {precision!r} is not one of {', '.join(PRECISIONS)}",
                field=f"{field}.{name}",
            )
        if isinstance(date, str) and dates.parse_partial(date, field=field)[1] != precision:
            raise Invalid(
                f"{field}.{name}: {precision!r} is not the precision of {date!r}",
                field=f"{field}.{name}",
            )
    for name in ("dateFrom", "dateTo"):
        value = props.get(name)
        if (
            isinstance(value, str)
            and dates.parse_partial(value, field=f"{field}.{name}")[1] != "day"
        ):
            raise Invalid(f"{field}.{name}: {value!r} is not a full date", field=f"{field}.{name}")
    if (
        isinstance(start, str)
        and isinstance(end, str)
        and dates.last_day(end) < dates.first_day(start)
    ):
        raise Invalid(
            f"{field}.endDate: {end!r} is before the startDate {start!r}", field=f"{field}.endDate"
        )
    _check_day_range(props, field)


def _check_day_range(props: dict[str, PropValue], field: str) -> None:
    start, end = props.get("startDate"), props.get("endDate")
    first, last = props.get("dateFrom"), props.get("dateTo")
    if isinstance(start, str):
        last_of = end if isinstance(end, str) else start
        expected = {"dateFrom": dates.first_day(start), "dateTo": dates.last_day(last_of)}
        for name, value in (("dateFrom", first), ("dateTo", last)):
            if value is not None and value != expected[name]:
                raise Invalid(
                    f"{field}.{name}: {value!r} does not match the dates given "
                    f"(expected {expected[name]!r})",
                    field=f"{field}.{name}",
                )
    if isinstance(first, str) and isinstance(last, str) and last < first:
        raise Invalid(f"{field}.dateTo: ends before it starts", field=f"{field}.dateTo")


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


def check_unique_relationships(relationships: Sequence[Relationship]) -> None:
    """A batch names each relationship (type between two nodes) once: a second one
    would silently replace the first."""
    seen: dict[tuple[str, str, str], int] = {}
    for index, rel in enumerate(relationships):
        first = seen.setdefault(rel.key, index)
        if first != index:
            raise Invalid(
                f"relationships[{index}]: {rel.type.value} from {rel.source!r} to "
                f"{rel.target!r} appears twice (first at relationships[{first}])",
                field=f"relationships[{index}]",
            )
