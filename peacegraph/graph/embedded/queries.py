"""Every Cypher statement of the embedded (LadybugDB) backend.

Statements are fixed text with `$parameters`. Where a statement must name a label
or a relationship type, a builder composes it from the `graph.model` enums (the
allow-list), never from caller text, and caches the result.

Link reads, the most numerous and the most shaped by what LadybugDB makes cheap,
are in `link_queries`.

LadybugDB dialect notes (DESIGN.md): lookups carry a label; UNWIND batches match
both endpoints with two labelled MATCH clauses; optional string filters use ''
rather than NULL (a NULL parameter cannot change type once bound).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache

from peacegraph.graph import figures, periods
from peacegraph.graph.embedded.link_queries import ARROWS, SHAPED_STATEMENTS
from peacegraph.graph.model import (
    NODE_PROPS,
    REL_PROPS,
    Label,
    Prop,
    PropType,
    RelType,
)

MIGRATION_TABLE = (
    "CREATE NODE TABLE IF NOT EXISTS _Migration("
    "version INT64 PRIMARY KEY, description STRING, appliedAt STRING)"
)
APPLIED_MIGRATIONS = "MATCH (m:_Migration) RETURN m.version AS version ORDER BY version"
RECORD_MIGRATION = (
    "CREATE (m:_Migration {version: $version, description: $description, appliedAt: $appliedAt})"
)
PING = "RETURN 1 AS ok"

PUT_RECORDS = (
    "UNWIND $rows AS r MERGE (x:_Record {key: r.key}) "
    "SET x.kind = r.kind, x.at = r.at, x.ref = r.ref, x.actor = r.actor, x.body = r.body"
)
GET_RECORDS = "MATCH (x:_Record) WHERE x.key IN $keys RETURN x"
DELETE_RECORDS = "MATCH (x:_Record) WHERE x.key IN $keys DELETE x RETURN count(*) AS deleted"
LIST_RECORDS = (
    "MATCH (x:_Record) WHERE x.kind = $kind AND ($ref = '' OR x.ref = $ref) "
    "AND ($actor = '' OR x.actor = $actor) "
    "RETURN x ORDER BY x.at DESC, x.key DESC SKIP $offset LIMIT $limit"
)
COUNT_RECORDS = (
    "MATCH (x:_Record) WHERE x.kind = $kind AND ($ref = '' OR x.ref = $ref) "
    "AND ($actor = '' OR x.actor = $actor) RETURN count(*) AS total"
)


@cache
@cache
def _assign(variable: str, prop: Prop) -> str:
    """`n.x = r.x`, cast when the type is not text: an all-NULL column binds as STRING."""
    if prop.type is PropType.STRING:
        return f"{variable}.{prop.name} = r.{prop.name}"
    return f"{variable}.{prop.name} = CAST(r.{prop.name} AS {prop.type.value})"


_NODE_SET = ", ".join(_assign("n", p) for p in NODE_PROPS if p.name != "id")
_REL_SET = ", ".join(_assign("e", p) for p in REL_PROPS)


@cache
def upsert_nodes(label: Label) -> str:
    return (
        f"UNWIND $rows AS r MERGE (n:{label.value} {{id: r.id}}) "
        f"SET {_NODE_SET} RETURN count(n) AS written"
    )


@cache
def upsert_relationships(rel_type: RelType, source: Label, target: Label) -> str:
    return (
        f"UNWIND $rows AS r MATCH (s:{source.value} {{id: r.s}}) "
        f"MATCH (d:{target.value} {{id: r.d}}) "
        f"MERGE (s)-[e:{rel_type.value}]->(d) SET {_REL_SET} RETURN count(e) AS written"
    )


@cache
def delete_relationships(rel_type: RelType, source: Label, target: Label) -> str:
    return (
        f"UNWIND $rows AS r MATCH (s:{source.value} {{id: r.s}})-[e:{rel_type.value}]->"
        f"(d:{target.value} {{id: r.d}}) DELETE e RETURN count(*) AS deleted"
    )


@cache
def delete_nodes(label: Label) -> str:
    return f"MATCH (n:{label.value}) WHERE n.id IN $ids DETACH DELETE n RETURN count(*) AS deleted"


#: A node as columns: its label and every property. LadybugDB builds a whole node
#: (`RETURN n`) as a dictionary, about 2.5 times slower than the same values as
#: columns.
def _node_columns(names: Iterable[str]) -> str:
    return ", ".join(["label(n) AS _LABEL", *(f"n.{name} AS {name}" for name in names)])


NODE_COLUMNS = _node_columns(p.name for p in NODE_PROPS)


@cache
def count_label(label: Label) -> str:
    return f"MATCH (n:{label.value}) RETURN count(n) AS total"


@cache
def count_type(rel_type: RelType) -> str:
    return f"MATCH ()-[e:{rel_type.value}]->() RETURN count(e) AS total"


_NEIGHBOUR_FILTER = (
    "(size($types) = 0 OR label(e) IN $types) AND (size($labels) = 0 OR label(b) IN $labels)"
)


@cache
def neighbours(label: Label, direction: str) -> str:
    left, right = ARROWS[direction]
    return (
        f"MATCH (a:{label.value} {{id: $id}}){left}[e]{right}(b) WHERE {_NEIGHBOUR_FILTER} "
        "RETURN id(a) AS aid, a.id AS anchor, e, b, label(e) AS type, label(b) AS blabel "
        "ORDER BY b.id, type SKIP $offset LIMIT $limit"
    )


#: A node's places: where it is held (events, seats) or, for a place, what it lies
#: WITHIN, and every place those lie within in turn, up to the country.
_PLACED_IN = (
    "(n.id = {place} OR EXISTS {{ MATCH (n)-[:HELD_AT|WITHIN]->(:Place)"
    "-[:WITHIN*0..6]->(p:Place) WHERE p.id = {place} }})"
)
_HAS_PLACE = "EXISTS { MATCH (n)-[:HELD_AT|WITHIN]->(:Place) }"


@cache
def node_filters(label: Label) -> dict[str, str]:
    """The optional filters of `list_nodes` / `count_nodes` for one label, by parameter
    name. Only the filters a query sets go into its statement: LadybugDB evaluates an
    EXISTS subquery for every row even behind `$x = '' OR ...`, which made every plain
    page pay for every filter. Dates follow `periods` (an open end runs on unless the
    label is bounded); `$outside` keeps nodes with a known place none of whose places
    lies within it (a place is its own place)."""
    located = "" if label is Label.PLACE else f"{_HAS_PLACE} AND "
    return {
        "kinds": "n.kind IN $kinds",
        "dateFrom": periods.ends_from("n", "$dateFrom", bounded=periods.is_bounded(label)),
        "dateTo": periods.starts_by("n", "$dateTo"),
        "theme": "list_contains(n.themes, $theme)",
        "place": _PLACED_IN.format(place="$place"),
        "outside": f"({located}NOT {_PLACED_IN.format(place='$outside')})",
        "programme": "EXISTS { MATCH (n)-[]-(g:Programme) WHERE g.id = $programme }",
        "partner": "EXISTS { MATCH (n)-[]-(x) WHERE x.id = $partner }",
    }


_SORT_COLUMN = {"name": "n.name", "date": "n.dateFrom", "id": "n.id"}


def _where(conditions: dict[str, str], active: tuple[str, ...]) -> str:
    return " WHERE " + " AND ".join(conditions[name] for name in active) if active else ""


@cache
def list_nodes(label: Label, sort: str, descending: bool, active: tuple[str, ...]) -> str:
    """One page of a label's nodes; `active` names the `node_filters` the query sets."""
    order = "DESC" if descending else "ASC"
    return (
        f"MATCH (n:{label.value}){_where(node_filters(label), active)} "
        f"WITH n ORDER BY {_SORT_COLUMN[sort]} {order}, n.id {order} SKIP $offset LIMIT $limit "
        f"RETURN {NODE_COLUMNS}"
    )


@cache
def count_nodes(label: Label, active: tuple[str, ...]) -> str:
    where = _where(node_filters(label), active)
    return f"MATCH (n:{label.value}){where} RETURN count(n) AS total"


@cache
def shortest_paths(source: Label, target: Label, max_length: int) -> str:
    if not 1 <= max_length <= 10:
        raise ValueError("max_length must be within 1..10")
    return (
        f"MATCH (a:{source.value} {{id: $source}}) MATCH (b:{target.value} {{id: $target}}) "
        f"MATCH p = (a)-[e* ALL SHORTEST 1..{max_length:d} "
        "(r, n | WHERE label(r) <> 'MENTIONED_IN')]-(b) "
        "RETURN nodes(p) AS nodes, rels(p) AS rels LIMIT $limit"
    )


@cache
def timeline(label: Label) -> str:
    return (
        f"MATCH (a:{label.value} {{id: $id}})-[e]-(ev:Event) "
        f"WHERE ($dateFrom = '' OR {periods.ends_from('ev', '$dateFrom', bounded=True)}) "
        f"AND ($dateTo = '' OR {periods.starts_by('ev', '$dateTo')}) "
        "RETURN id(a) AS aid, e, label(e) AS type, ev ORDER BY ev.dateFrom, ev.id LIMIT $limit"
    )


TIMELINE_PARTNERS = (
    "MATCH (ev:Event) WHERE ev.id IN $ids MATCH (ev)-[e]-(x) "
    "WHERE x.id <> $actor AND (label(x) = 'Organization' OR label(x) = 'Person') "
    "RETURN ev.id AS event, x ORDER BY event, x.name"
)

#: The optional filters of `stats`, by parameter name (only those set are used, as
#: for `node_filters`: an EXISTS always present is evaluated for every event); an
#: event is in a period by `periods` (events are bounded).
EVENT_FILTERS = {
    "dateFrom": periods.ends_from("ev", "$dateFrom", bounded=True),
    "dateTo": periods.starts_by("ev", "$dateTo"),
    "programme": "EXISTS { MATCH (ev)-[:PART_OF|ABOUT*1..2]->(g:Programme) "
    "WHERE g.id = $programme }",
}


@cache
def stats_events(active: tuple[str, ...]) -> str:
    """A page of the events stats count."""
    return (
        f"MATCH (ev:Event){_where(EVENT_FILTERS, active)} "
        "RETURN ev ORDER BY ev.dateFrom, ev.id SKIP $offset LIMIT $limit"
    )


@cache
def stats_figures(active: tuple[str, ...]) -> str:
    """The events stats count, by kind, with every figure summed (`graph.figures`)."""
    return (
        f"MATCH (ev:Event){_where(EVENT_FILTERS, active)} "
        f"RETURN ev.kind AS kind, {figures.aggregate_columns('ev')}"
    )


@cache
def stats_actors(active: tuple[str, ...]) -> str:
    """How many distinct actors and places take part in those events, by label and kind."""
    return (
        f"MATCH (ev:Event){_where(EVENT_FILTERS, active)} "
        "MATCH (ev)-[]-(x:Organization:Person:Place) "
        "WITH DISTINCT x RETURN label(x) AS label, x.kind AS kind, count(*) AS n"
    )


@cache
def all_nodes(label: Label) -> str:
    return (
        f"MATCH (n:{label.value}) WITH n ORDER BY n.id SKIP $offset LIMIT $limit "
        f"RETURN {NODE_COLUMNS}"
    )


@cache
def all_relationships(rel_type: RelType) -> str:
    return (
        f"MATCH (a)-[e:{rel_type.value}]->(b) RETURN a.id AS source, b.id AS target, e "
        "ORDER BY source, target SKIP $offset LIMIT $limit"
    )


_EVERY_LABEL = ":".join(label.value for label in Label)
_EVERY_TYPE = "|".join(t.value for t in RelType)
#: The out-degrees of a window of nodes in id order (`graph.scanning`): `id > $after
#: … LIMIT` is a top-k over the node tables, not a sort of a relationship table; the
#: OPTIONAL MATCH counts a node without links as 0, so the window's last id shows.
OUT_DEGREES = (
    f"MATCH (a:{_EVERY_LABEL}) WHERE a.id > $after WITH a ORDER BY a.id LIMIT $sources "
    f"OPTIONAL MATCH (a)-[e:{_EVERY_TYPE}]->() "
    "RETURN a.id AS id, count(e) AS links ORDER BY id"
)
#: The outgoing relationships of the nodes with ids in ($after, $last], their
#: properties as columns (`r_` + name): a whole `e` would carry internal ids too.
LINKS_FROM_RANGE = (
    f"MATCH (a:{_EVERY_LABEL})-[e:{_EVERY_TYPE}]->(b) WHERE a.id > $after AND a.id <= $last "
    "RETURN a.id AS source, b.id AS target, label(e) AS type, "
    + ", ".join(f"e.{prop.name} AS r_{prop.name}" for prop in REL_PROPS)
)


# -- bulk load (graph/embedded/bulk.py) ------------------------------------------------

#: Joins the items of a list column in a bulk CSV file. LadybugDB's CSV list syntax
#: keeps the quotes of quoted items, so lists travel as one text column that the
#: COPY statement splits again; bulk.py sends lists holding this character another way.
LIST_SEPARATOR = "\x1f"
_CSV_OPTIONS = "header=false, parallel=false"  # serial: quoted fields may hold newlines


def _file(path: str) -> str:
    """A file path as a Cypher string literal (paths come from tempfile, never from callers)."""
    return "'" + path.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _loaded(prop: Prop) -> str:
    if prop.type is not PropType.STRING_LIST:
        return prop.name
    return (
        f"CASE WHEN {prop.name} IS NULL THEN CAST([] AS STRING[]) "
        f"ELSE string_split({prop.name}, '{LIST_SEPARATOR}') END"
    )


def copy_nodes(label: Label, path: str) -> str:
    """COPY a node table from a headerless CSV holding every column of NODE_PROPS in order."""
    columns = ", ".join(
        f"{p.name} {'STRING' if p.type is PropType.STRING_LIST else p.type.value}"
        for p in NODE_PROPS
    )
    values = ", ".join(_loaded(p) for p in NODE_PROPS)
    return (
        f"COPY {label.value} FROM (LOAD WITH HEADERS ({columns}) FROM {_file(path)} "
        f"({_CSV_OPTIONS}) RETURN {values})"
    )


def copy_relationships(rel_type: RelType, source: Label, target: Label, path: str) -> str:
    """COPY one (type, from, to) group from a CSV of source id, target id, then REL_PROPS."""
    return (
        f"COPY {rel_type.value} FROM {_file(path)} "
        f"({_CSV_OPTIONS}, from='{source.value}', to='{target.value}')"
    )


@cache
def set_node_lists(label: Label) -> str:
    """Set the list columns of nodes whose lists could not travel through the CSV."""
    assignments = ", ".join(
        f"n.{p.name} = r.{p.name}" for p in NODE_PROPS if p.type is PropType.STRING_LIST
    )
    return f"UNWIND $rows AS r MATCH (n:{label.value} {{id: r.id}}) SET {assignments}"


@cache
def existing_relationships(rel_type: RelType, source: Label, target: Label) -> str:
    """Which of the (s, d) rows already have a relationship of this type.

    Both ends are looked up by id before the pattern joins them: written as one
    pattern, the planner walks every link of `s` and reads each neighbour's id, which
    for a hub's rows is its whole fan-out per row (20.8 against 2.2 s for 20,000 rows
    of the synthetic 100k/1M graph)."""
    return (
        f"UNWIND $rows AS r MATCH (s:{source.value} {{id: r.s}}) "
        f"MATCH (d:{target.value} {{id: r.d}}) "
        f"MATCH (s)-[:{rel_type.value}]->(d) RETURN s.id AS s, d.id AS d"
    )


@cache
def node_offsets(label: Label) -> str:
    """The storage offsets of nodes by id (a primary-key probe each)."""
    return (
        f"UNWIND $ids AS i MATCH (a:{label.value} {{id: i}}) "
        "RETURN a.id AS id, offset(id(a)) AS offset"
    )


@lru_cache(maxsize=SHAPED_STATEMENTS)
def nodes_by_id(label: Label, props: tuple[str, ...] | None = None) -> str:
    """Nodes by primary key, one index probe per id: with every property, or with id,
    name and `props` only (a drawing needs a few; `sources` and the texts cost
    most)."""
    if props is None:
        columns = NODE_COLUMNS
    else:
        columns = _node_columns(p.name for p in NODE_PROPS if p.name in {"id", "name", *props})
    return f"UNWIND $ids AS i MATCH (n:{label.value} {{id: i}}) RETURN {columns}"
