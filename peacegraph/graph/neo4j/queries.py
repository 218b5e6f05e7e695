"""Every Cypher statement of the Neo4j backend, as named constants.

Rules: parameters only (`$name`), never caller text. Every node carries the label
`Entity` besides its own, so lookups by id use one uniqueness-constrained index
whatever the label. Statements that must name a label or a relationship type are
instantiated from one template per purpose for each member of the `graph.model`
enums (the allow-list) at import time, and kept in dicts keyed by the enum.
All of them are linted in CI by @neo4j-cypher/language-support.
"""

from __future__ import annotations

import functools

from peacegraph.graph import figures, periods
from peacegraph.graph.model import FACT_TYPES, Label, RelType

#: Labels and property keys the backend uses beyond graph.model (for the linter).
EXTRA_LABELS = ("Entity", "_Migration", "_Record", "_Lock")
EXTRA_PROPERTIES = (
    "version",
    "description",
    "appliedAt",
    "labels",
    "key",
    "at",
    "ref",
    "actor",
    "body",
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
ALL_LINKS = (
    "MATCH (a:Entity {id: $id})-[e]-(b:Entity) "
    "RETURN a.id AS anchor, startNode(e) = a AS outgoing, properties(e) AS e, type(e) AS type, "
    "b, labels(b) AS labels ORDER BY b.id, type, outgoing DESC LIMIT $limit"
)

APPLIED_MIGRATIONS = "MATCH (m:_Migration) RETURN m.version AS version ORDER BY version"
RECORD_MIGRATION = (
    "MERGE (m:_Migration {version: $version}) "
    "SET m.description = $description, m.appliedAt = $appliedAt"
)
MIGRATION_CONSTRAINT = (
    "CREATE CONSTRAINT migration_version IF NOT EXISTS "
    "FOR (m:_Migration) REQUIRE m.version IS UNIQUE"
)

_UPSERT_NODES = (
    "UNWIND $rows AS r MERGE (n:Entity {{id: r.id}}) "
    "SET n = r, n:{label} RETURN count(n) AS written"
)
_UPSERT_RELATIONSHIPS = (
    "UNWIND $rows AS r MATCH (s:Entity {{id: r.s}}) MATCH (d:Entity {{id: r.d}}) "
    "MERGE (s)-[e:{type}]->(d) SET e = r.props RETURN count(e) AS written"
)
_DELETE_RELATIONSHIPS = (
    "UNWIND $rows AS r MATCH (:Entity {{id: r.s}})-[e:{type}]->(:Entity {{id: r.d}}) "
    "DELETE e RETURN count(*) AS deleted"
)
_COUNT_TYPE = "MATCH ()-[e:{type}]->() RETURN count(e) AS total"
_COUNT_LABEL = "MATCH (n:{label}) RETURN count(n) AS total"
_ALL_NODES = "MATCH (n:{label}) RETURN n ORDER BY n.id SKIP $offset LIMIT $limit"
_ALL_RELATIONSHIPS = (
    "MATCH (a:Entity)-[e:{type}]->(b:Entity) "
    "RETURN a.id AS source, b.id AS target, properties(e) AS e "
    "ORDER BY source, target SKIP $offset LIMIT $limit"
)

_EVERY_TYPE = "|".join(t.value for t in RelType)
#: The out-degrees of a window of nodes in id order (`graph.scanning`), ordered by
#: the Entity id index; the OPTIONAL MATCH counts a node without links as 0.
OUT_DEGREES = (
    "MATCH (a:Entity) WHERE a.id > $after WITH a ORDER BY a.id LIMIT $sources "
    f"OPTIONAL MATCH (a)-[e:{_EVERY_TYPE}]->(:Entity) "
    "RETURN a.id AS id, count(e) AS links ORDER BY id"
)
#: The outgoing relationships of the nodes with ids in ($after, $last].
LINKS_FROM_RANGE = (
    f"MATCH (a:Entity)-[e:{_EVERY_TYPE}]->(b:Entity) WHERE a.id > $after AND a.id <= $last "
    "RETURN a.id AS source, b.id AS target, type(e) AS type, properties(e) AS e"
)

DELETE_NODES = "MATCH (n:Entity) WHERE n.id IN $ids DETACH DELETE n RETURN count(*) AS deleted"
GET_NODES = "MATCH (n:Entity) WHERE n.id IN $ids RETURN n, labels(n) AS labels"
#: Nodes by id with their id, name and the properties `$props` names only (those set):
#: the nodes of a network view, which a drawing shows by kind and date, without
#: their sources and texts.
GET_NODES_SHOWN = (
    "MATCH (n:Entity) WHERE n.id IN $ids "
    "RETURN n.id AS id, n.name AS name, labels(n) AS labels, "
    "[k IN $props WHERE n[k] IS NOT NULL | [k, n[k]]] AS props"
)
#: Inside a write transaction: MERGE on the uniquely constrained `_Lock` takes the lock
#: of each id's index entry until the transaction ends, whether the node exists yet or
#: not (a no-op SET on the node would not lock, and could not lock a node to come), so
#: a read-check-write on the same id in another transaction waits for this one. The
#: lock node itself is deleted at once; its index lock stays until commit.
GET_NODES_FOR_UPDATE = (
    "UNWIND $ids AS id MERGE (l:_Lock {id: id}) DELETE l "
    "WITH id MATCH (n:Entity {id: id}) RETURN n, labels(n) AS labels"
)
AWAIT_INDEXES = "CALL db.awaitIndexes($seconds)"

_NEIGHBOUR_FILTER = (
    "(size($types) = 0 OR type(e) IN $types) "
    "AND (size($labels) = 0 OR any(l IN labels(b) WHERE l IN $labels))"
)
#: The other end of a link, whole or projected: with id, name and only the properties
#: `$nodeProps` names (those set). A nested query's neighbours shown by id and name
#: need neither their sources nor their texts, and handing those to the driver was
#: most of what such a read cost (bench/FINDINGS.md).
_WHOLE_NODE = "b, labels(b) AS labels"
_SHOWN_NODE = (
    "b.id AS bid, b.name AS bname, labels(b) AS labels, "
    "[k IN $nodeProps WHERE b[k] IS NOT NULL | [k, b[k]]] AS bprops"
)


def _arrow(direction: str, types: tuple[RelType, ...]) -> str:
    """The link of a pattern, with its types when the caller names them: the store
    then follows only those relationship chains, rather than filtering every link."""
    typed = "e:" + "|".join(t.value for t in types) if types else "e"
    return {"out": f"-[{typed}]->", "in": f"<-[{typed}]-", "both": f"-[{typed}]-"}[direction]


def _other(labels: tuple[Label, ...]) -> str:
    """The other end of a link, with the labels asked for in the pattern."""
    return f"(b:{'|'.join(lb.value for lb in labels)})" if labels else "(b:Entity)"


@functools.cache
def neighbours(
    direction: str, types: tuple[RelType, ...], labels: tuple[Label, ...], shown: bool
) -> str:
    """A page of one node's links with the types and labels asked for (in the pattern),
    and how many links match (`total`, on every row), so that a page and its
    totalCount take one round trip; the other ends whole, or `shown` (projected)."""
    link = f"(a){_arrow(direction, types)}{_other(labels)}"
    node = _SHOWN_NODE if shown else _WHOLE_NODE
    return (
        "MATCH (a:Entity {id: $id}) "
        f"CALL (a) {{ MATCH {link} RETURN count(*) AS total }} "
        f"MATCH {link} "
        "RETURN a.id AS anchor, startNode(e) = a AS outgoing, properties(e) AS e, "
        f"type(e) AS type, {node}, total "
        "ORDER BY b.id, type, outgoing DESC SKIP $offset LIMIT $limit"
    )


@functools.cache
def neighbours_of_many(
    direction: str,
    types: tuple[RelType, ...],
    labels: tuple[Label, ...],
    shown: bool,
    with_props: bool,
) -> str:
    """The first `$limitPerNode` links of each node, as `neighbours` orders them; the
    other ends whole or `shown`, the links' properties only `with_props`."""
    node = _SHOWN_NODE if shown else _WHOLE_NODE
    rel = "properties(e)" if with_props else "{}"
    return (
        "MATCH (a:Entity) WHERE a.id IN $ids "
        f"CALL (a) {{ MATCH (a){_arrow(direction, types)}{_other(labels)} "
        "RETURN e, b ORDER BY b.id, type(e), startNode(e) = a DESC LIMIT $limitPerNode } "
        f"RETURN a.id AS anchor, startNode(e) = a AS outgoing, {rel} AS e, type(e) AS type, "
        f"{node}"
    )


COUNT_NEIGHBOURS_OUT = (
    f"MATCH (a:Entity {{id: $id}})-[e]->(b:Entity) WHERE {_NEIGHBOUR_FILTER} "
    "RETURN count(*) AS total"
)
COUNT_NEIGHBOURS_IN = (
    f"MATCH (a:Entity {{id: $id}})<-[e]-(b:Entity) WHERE {_NEIGHBOUR_FILTER} "
    "RETURN count(*) AS total"
)
COUNT_NEIGHBOURS_BOTH = (
    f"MATCH (a:Entity {{id: $id}})-[e]-(b:Entity) WHERE {_NEIGHBOUR_FILTER} "
    "RETURN count(*) AS total"
)

# A network view's links: each anchor's first $limitPerNode links, as `_MANY` cuts
# them, returned as ids, dates and the relationship properties named in $relProps
# (all of them when null) rather than whole nodes: expansion decides on ids and
# dates, and reads only the nodes it keeps, once, at the end. The `AMONG` form keeps
# only the links that lead to the nodes in $among, after the cut: what a frontier
# can still add once the node budget is full.
_NETWORK_LINKS = (
    "MATCH (a:Entity) WHERE a.id IN $ids "
    "CALL (a) {{ MATCH (a)-[e]-(b:Entity) WHERE {filter} "
    "RETURN e, b ORDER BY b.id, type(e), startNode(e) = a DESC LIMIT $limitPerNode }} "
    "{keep}"
    "RETURN a.id AS anchor, b.id AS bid, type(e) AS type, startNode(e) = a AS outgoing, "
    "b.dateFrom AS bfrom, b.dateTo AS bto, b.endDate AS bend, "
    "e.dateFrom AS efrom, e.dateTo AS eto, e.endDate AS eend, "
    "[k IN coalesce($relProps, keys(e)) WHERE e[k] IS NOT NULL | [k, e[k]]] AS props"
)
NETWORK_LINKS = _NETWORK_LINKS.format(filter=_NEIGHBOUR_FILTER, keep="")
NETWORK_LINKS_AMONG = _NETWORK_LINKS.format(
    filter=_NEIGHBOUR_FILTER, keep="WITH a, e, b WHERE b.id IN $among "
)

#: A node's places: where it is held (events, seats) or, for a place, what it lies
#: WITHIN, and every place those lie within in turn, up to the country.
_PLACED_IN = (
    "(n.id = {place} OR EXISTS {{ MATCH (n)-[:HELD_AT|WITHIN]->(:Place)"
    "-[:WITHIN*0..6]->(:Place {{id: {place}}}) }})"
)
_HAS_PLACE = "EXISTS { MATCH (n)-[:HELD_AT|WITHIN]->(:Place) }"


#: The filters of `list_nodes`, in the order their conditions are written.
LIST_FILTERS = ("kinds", "dateFrom", "dateTo", "theme", "place", "outside", "programme", "partner")


def _conditions(label: Label) -> dict[str, str]:
    """Each filter of `list_nodes` for one label, as a condition on `n` that takes the
    parameter of the same name: dates follow `periods` (an open end runs on unless the
    label is bounded); `outside` keeps nodes with a known place none of whose places
    lies within it (a place is its own place)."""
    located = "" if label is Label.PLACE else f"{_HAS_PLACE} AND "
    return {
        "kinds": "n.kind IN $kinds",
        "dateFrom": periods.ends_from("n", "$dateFrom", bounded=periods.is_bounded(label)),
        "dateTo": periods.starts_by("n", "$dateTo"),
        "theme": "$theme IN coalesce(n.themes, [])",
        "place": _PLACED_IN.format(place="$place"),
        "outside": f"({located}NOT {_PLACED_IN.format(place='$outside')})",
        "programme": "EXISTS { MATCH (n)--(:Programme {id: $programme}) }",
        "partner": "EXISTS { MATCH (n)--(:Entity {id: $partner}) }",
    }


def _where(label: Label, filters: frozenset[str]) -> str:
    """The WHERE of a list of `label` with only the filters in use: a statement that
    names an unused filter as `$x = '' OR …` is costlier to plan and to run."""
    conditions = _conditions(label)
    used = [conditions[name] for name in LIST_FILTERS if name in filters]
    return " AND ".join(used) if used else "true"


@functools.cache
def list_nodes(label: Label, filters: frozenset[str], sort: str, descending: bool) -> str:
    """A page of `label` nodes with the `filters` in use (names of LIST_FILTERS)."""
    order = "DESC" if descending else "ASC"
    return (
        f"MATCH (n:{label.value}) WHERE {_where(label, filters)} RETURN n "
        f"ORDER BY {_SORT_COLUMNS[sort]} {order}, n.id {order} SKIP $offset LIMIT $limit"
    )


@functools.cache
def count_nodes(label: Label, filters: frozenset[str]) -> str:
    """How many `label` nodes pass the `filters` in use."""
    return f"MATCH (n:{label.value}) WHERE {_where(label, filters)} RETURN count(n) AS total"


_SORT_COLUMNS = {"name": "n.name", "date": "n.dateFrom", "id": "n.id"}

#: Search candidates: nodes whose search key holds one of the query's trigrams (each a
#: seek in the trigram TEXT index), those sharing most first, of the labels asked
#: for; ids, labels and keys only. They are ranked by `graph.ranking`, as on every
#: store, then read by id. A query shorter than three letters is one substring.
SEARCH_CANDIDATES = (
    "UNWIND $grams AS gram MATCH (n:Entity) WHERE n.searchKey CONTAINS gram "
    "WITH n, count(*) AS shared "
    "WHERE size($labels) = 0 OR any(l IN labels(n) WHERE l IN $labels) "
    "RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'][0] AS label, "
    "n.searchKey AS keys ORDER BY shared DESC, n.id LIMIT $limit"
)

_FACT_TYPES = "|".join(t.value for t in FACT_TYPES)
# The bound of a variable-length pattern cannot be a parameter: one statement per
# length. A bound in the pattern keeps the bidirectional search bounded when there is
# no path; `WHERE length(p) <= $max` instead would fall back to an exhaustive search.
_SHORTEST_PATHS = (
    "MATCH (a:Entity {{id: $source}}) MATCH (b:Entity {{id: $target}}) "
    "MATCH p = allShortestPaths((a)-[:{types}*..{length}]-(b)) "
    "RETURN [n IN nodes(p) | {{node: n, labels: labels(n)}}] AS nodes, "
    "[r IN relationships(p) | {{rel: properties(r), type: type(r), source: startNode(r).id, "
    "target: endNode(r).id}}] AS rels LIMIT $limit"
)
MAX_PATH_LENGTH = 10
SHORTEST_PATHS: dict[int, str] = {
    length: _SHORTEST_PATHS.format(types=_FACT_TYPES, length=length)
    for length in range(1, MAX_PATH_LENGTH + 1)
}

#: An event is in a period by `periods` (events are bounded).
_EVENT_IN_PERIOD = (
    f"($dateFrom = '' OR {periods.ends_from('ev', '$dateFrom', bounded=True)}) "
    f"AND ($dateTo = '' OR {periods.starts_by('ev', '$dateTo')})"
)
#: An actor's events in date order with their other actors, in one statement: each
#: event's partners once (by name, then id), with id, name and the properties
#: `$partnerProps` names (all when null). A hub's 1,000 events have some 12,000
#: partners; as whole nodes, read in a second statement, they took 3.9 s.
TIMELINE = (
    "MATCH (a:Entity {id: $id})-[e]-(ev:Event) "
    f"WHERE {_EVENT_IN_PERIOD} "
    "WITH a, e, ev ORDER BY ev.dateFrom, ev.id LIMIT $limit "
    "CALL (a, ev) { MATCH (ev)--(x:Organization|Person) WHERE x <> a "
    "WITH DISTINCT x ORDER BY x.name, x.id "
    "RETURN collect({id: x.id, name: x.name, labels: labels(x), "
    "props: [k IN coalesce($partnerProps, keys(x)) WHERE x[k] IS NOT NULL | [k, x[k]]]}) "
    "AS partners } "
    "RETURN startNode(e) = a AS outgoing, properties(e) AS e, type(e) AS type, ev, "
    "labels(ev) AS labels, partners ORDER BY ev.dateFrom, ev.id"
)

_EVENT_FILTER = (
    f"{_EVENT_IN_PERIOD} "
    "AND ($programme = '' OR EXISTS { MATCH (ev)-[:PART_OF|ABOUT*1..2]->"
    "(:Programme {id: $programme}) })"
)
#: A page of the events stats count.
STATS_EVENTS = (
    f"MATCH (ev:Event) WHERE {_EVENT_FILTER} RETURN ev, labels(ev) AS labels "
    "ORDER BY ev.dateFrom, ev.id SKIP $offset LIMIT $limit"
)
#: The events stats count, by kind, with every figure summed (`graph.figures`).
STATS_FIGURES = (
    f"MATCH (ev:Event) WHERE {_EVENT_FILTER} "
    f"RETURN ev.kind AS kind, {figures.aggregate_columns('ev')}"
)
#: Distinct actors first, then counted by label and kind: an actor takes part in many
#: events, and only the count of each (label, kind) leaves the server.
STATS_ACTORS = (
    f"MATCH (ev:Event) WHERE {_EVENT_FILTER} MATCH (ev)--(x:Organization|Person|Place) "
    "WITH DISTINCT x "
    "RETURN [l IN labels(x) WHERE l <> 'Entity'][0] AS label, x.kind AS kind, count(*) AS n"
)


UPSERT_NODES: dict[Label, str] = {label: _UPSERT_NODES.format(label=label.value) for label in Label}
COUNT_LABEL: dict[Label, str] = {label: _COUNT_LABEL.format(label=label.value) for label in Label}
ALL_NODES: dict[Label, str] = {label: _ALL_NODES.format(label=label.value) for label in Label}
UPSERT_RELATIONSHIPS: dict[RelType, str] = {
    t: _UPSERT_RELATIONSHIPS.format(type=t.value) for t in RelType
}
DELETE_RELATIONSHIPS: dict[RelType, str] = {
    t: _DELETE_RELATIONSHIPS.format(type=t.value) for t in RelType
}
COUNT_TYPE: dict[RelType, str] = {t: _COUNT_TYPE.format(type=t.value) for t in RelType}
ALL_RELATIONSHIPS: dict[RelType, str] = {
    t: _ALL_RELATIONSHIPS.format(type=t.value) for t in RelType
}
#: Every label's list and count with all filters in use, for the Cypher linter (the
#: statements in use are built by `list_nodes` and `count_nodes`, with fewer filters).
EVERY_FILTER = frozenset(LIST_FILTERS)
LIST_NODES_EVERY_FILTER: dict[Label, str] = {
    label: list_nodes(label, EVERY_FILTER, "name", False) for label in Label
}
COUNT_NODES_EVERY_FILTER: dict[Label, str] = {
    label: count_nodes(label, EVERY_FILTER) for label in Label
}
#: The link reads in each direction and form, for the Cypher linter (those in use are
#: built by `neighbours` and `neighbours_of_many` for the types and labels asked for).
_SOME_TYPES = (RelType.ORGANIZED, RelType.PARTICIPATED_IN)
_SOME_LABELS = (Label.ORGANIZATION, Label.PERSON)
NEIGHBOURS_FORMS: dict[str, str] = {
    f"{direction} {typed} {shown}": neighbours(
        direction, _SOME_TYPES if typed else (), _SOME_LABELS if typed else (), shown
    )
    for direction in ("out", "in", "both")
    for typed in (True, False)
    for shown in (True, False)
}
NEIGHBOURS_OF_MANY_FORMS: dict[str, str] = {
    f"{direction} {typed} {shown} {props}": neighbours_of_many(
        direction, _SOME_TYPES if typed else (), _SOME_LABELS if typed else (), shown, props
    )
    for direction in ("out", "in", "both")
    for typed in (True, False)
    for shown in (True, False)
    for props in (True, False)
}
COUNT_NEIGHBOURS = {
    "out": COUNT_NEIGHBOURS_OUT,
    "in": COUNT_NEIGHBOURS_IN,
    "both": COUNT_NEIGHBOURS_BOTH,
}
