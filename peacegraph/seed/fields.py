"""The shapes of the seed's entries and the checks of their fields' values
(FORMAT.md): which keys an entry must and may have, and what each may hold."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from peacegraph.graph.dates import parse_partial
from peacegraph.graph.errors import Invalid
from peacegraph.graph.model import NODE_PROPS, PropType
from peacegraph.seed.problems import Problems
from peacegraph.seed.report import normalize
from peacegraph.seed.yaml_lines import LineMapping

Check = Callable[[Any], str | None]
_SLUG = re.compile(r"^[a-z][a-z0-9-]*$")
_ID = re.compile(r"^[a-z]+:[a-z0-9][a-z0-9._-]*$")


def _text(value: Any) -> str | None:
    return None if isinstance(value, str) and value.strip() else "must be non-empty text"


def _slug(value: Any) -> str | None:
    if isinstance(value, str) and _SLUG.match(value):
        return None
    return "must be lower-case letters, digits and hyphens"


def _node_id(value: Any) -> str | None:
    if isinstance(value, str) and _ID.match(value):
        return None
    return "must read <prefix>:<slug> in lower case, e.g. org:cedeao"


def _text_list(value: Any) -> str | None:
    if not isinstance(value, list) or any(_text(item) for item in value):
        return "must be a list of non-empty texts"
    if len({normalize(item) for item in value}) != len(value):
        return "must not repeat an entry"
    return None


def _slug_list(value: Any) -> str | None:
    if not isinstance(value, list) or any(_slug(item) for item in value):
        return "must be a list of lower-case slugs"
    return None


def _count(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return "must be a whole number"
    return "must not be negative" if value < 0 else None


def _number(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "must be a number"
    return None


def _percent(value: Any) -> str | None:
    if _number(value) or not 0 <= value <= 100:
        return "must be a percentage between 0 and 100"
    return None


def _date(value: Any) -> str | None:
    try:
        parse_partial(date_text(value), field="date")
    except Invalid:
        return f"{value!r} is not a real date written YYYY, YYYY-MM or YYYY-MM-DD"
    return None


def date_text(value: Any) -> str:
    """Dates are text; a bare year such as `start: 2011` arrives as a number."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _wikidata(value: Any) -> str | None:
    if isinstance(value, str) and re.match(r"^Q[1-9]\d*$", value):
        return None
    return "must be a Wikidata QID such as Q193272"


def _coordinate(low: float, high: float) -> Check:
    def check(value: Any) -> str | None:
        if _number(value) or not low <= value <= high:
            return f"must be a number of degrees between {low:g} and {high:g}"
        return None

    return check


def _geonames(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return None
    return "must be a GeoNames id, a positive whole number such as 2453866"


def _sources(value: Any) -> str | None:
    if not isinstance(value, list) or not value:
        return "must be a non-empty list of {section, quote}"
    return None


def _language(value: Any) -> str | None:
    if isinstance(value, str) and re.match(r"^[a-z]{2}$", value):
        return None
    return "must be a two-letter language code"


@dataclass(frozen=True)
class _Shape:
    """Which keys an item must have, which it may have, and how each is checked."""

    required: dict[str, Check]
    optional: dict[str, Check] = field(default_factory=dict)


COUNTS = ("participants", "women", "youth", "disabled")
SHARES = ("womenShare", "youthShare")

_NODE = _Shape(
    required={"id": _node_id, "label": _text, "kind": _slug, "name": _text, "sources": _sources},
    optional={
        "aliases": _text_list,
        "description": _text,
        "note": _text,
        "wikidata": _wikidata,
        "iati": _text,
        "start": _date,
        "end": _date,
        "themes": _slug_list,
        **dict.fromkeys(COUNTS, _count),
        **dict.fromkeys(SHARES, _percent),
        "value": _number,
        "unit": _text,
        "latitude": _coordinate(-90, 90),
        "longitude": _coordinate(-180, 180),
        "geonames": _geonames,
    },
)
#: How a kind's own property (`model.Prop.on`) that the shape above does not name is
#: checked and stored: a property declared in the model is a seed key at once.
_BY_TYPE: dict[PropType, Check] = {
    PropType.STRING: _text,
    PropType.STRING_LIST: _text_list,
    PropType.INT: _count,
    PropType.FLOAT: _number,
    PropType.BOOL: lambda value: None if isinstance(value, bool) else "must be true or false",
}
_NODE.optional.update(
    {p.name: _BY_TYPE[p.type] for p in NODE_PROPS if p.on and p.name not in _NODE.optional}
)


def as_prop(name: str, value: Any) -> Any:
    """A checked seed value as the store keeps property `name`."""
    kind = next(p.type for p in NODE_PROPS if p.name == name)
    if kind is PropType.FLOAT:
        return float(value)
    if kind is PropType.STRING_LIST:
        return [str(item) for item in value]
    return value


_RELATIONSHIP = _Shape(
    required={"type": _text, "from": _node_id, "to": _node_id, "sources": _sources},
    optional={
        "role": _text,
        "start": _date,
        "end": _date,
        "count": _count,
        "programme": _node_id,
        "note": _text,
    },
)
_COMMENTARY = _Shape(required={"quote": _text, "reason": _text})
_SOURCE = _Shape(required={"section": _text, "quote": _text})
DOCUMENT = _Shape(
    required={"id": _node_id, "name": _text, "text": _text, "language": _language},
    optional={"start": _date, "end": _date, "description": _text},
)
LISTS = {"nodes": _NODE, "relationships": _RELATIONSHIP, "commentary": _COMMENTARY}


@dataclass(frozen=True)
class Item:
    """One entry of a list in a data file, with where it was written.

    An entry with a broken field is kept (`valid` False) so that its id still resolves
    and its quotes still count: one mistake then shows as one problem, not a cascade.
    """

    file: str
    data: LineMapping
    valid: bool = True
    quotable: bool = True


def check_shape(item: Item, shape: _Shape, prefix: str, problems: Problems) -> bool:
    """Check keys and values against a shape; report each problem with its line."""
    ok = True
    known = shape.required | shape.optional
    for key in item.data:
        if key not in known:
            problems.add(item.file, item.data.line_of(key), prefix + key, "unknown key")
            ok = False
    for key in shape.required:
        if key not in item.data:
            problems.add(item.file, item.data.line, prefix + key, "missing required key")
            ok = False
    for key, check in known.items():
        if key in item.data and (message := check(item.data[key])):
            problems.add(item.file, item.data.line_of(key), prefix + key, message)
            ok = False
    return ok


def check_sources(item: Item, problems: Problems) -> bool:
    """Each provenance entry must be a mapping with exactly a section and a quote."""
    sources = item.data.get("sources")
    if not isinstance(sources, list) or not sources:
        return False
    ok = True
    for number, source in enumerate(sources):
        where = f"sources[{number}]."
        if not isinstance(source, LineMapping):
            problems.add(item.file, item.data.line_of("sources"), where[:-1], "must be a mapping")
            ok = False
            continue
        ok = check_shape(Item(item.file, source), _SOURCE, where, problems) and ok
    return ok
