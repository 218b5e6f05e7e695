"""The link reads of the embedded (LadybugDB) backend: a node's links, the first links
of many nodes, link counts and samples (`links`).

Matching links is cheap; what costs is handing rows to Python, and most of all whole
nodes. So links are read as ids and relationship columns only, cut per anchor, and
only the nodes kept are then read, by primary key (`queries.nodes_by_id`: an `IN`
list scans the table; `UNWIND ... {id: i}` probes the primary-key index). Types and
labels go into the pattern (`-[e:A|B]->(b:X:Y)`, from the enums), which LadybugDB
plans about twice as fast as filtering `label(e)` afterwards. Links of many anchors
are found by their storage offsets (`queries.node_offsets`, by primary key), then
matched with `offset(id(a)) IN $offsets`: with UNWIND the planner starts from the
other end and hash-joins whole relationship tables (which can fill the buffer pool),
and `a.id IN $ids` compares every id of the table with every id of the list.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, ClassVar

from peacegraph.graph.model import ENDPOINTS, REL_PROP_NAMES, REL_PROPS, Label, RelType

#: The arrows of a pattern by direction, from the anchor's side.
ARROWS = {"out": ("-", "->"), "in": ("<-", "-"), "both": ("-", "-")}

#: Statements built per link shape that are kept: shapes come from the filters a
#: query asks for (types, labels, properties), so they are as many as clients make.
SHAPED_STATEMENTS = 1024

LINK_PROPERTY_PREFIX = "e_"
#: A link's ends by id: for an anchor found by primary key, whose id is at hand.
_ENDS_BY_ID = "a.id AS anchor, b.id AS bid"
#: ... by the anchor's storage offset and the neighbour's id, for anchors found by
#: offset: the caller knows their ids, and asking for `a.id` makes LadybugDB read
#: the id of every candidate row before it filters.
_ENDS_BY_ANCHOR_OFFSET = "offset(id(a)) AS anchor, b.id AS bid"
#: ... by both storage offsets, for links among nodes whose ids the caller knows:
#: asking for `b.id` also makes LadybugDB join the whole neighbour table.
_ENDS_BY_OFFSET = "offset(id(a)) AS anchor, offset(id(b)) AS bid"
#: What the columns of a link read after its two ends hold (`LinkColumns.names`), but
#: the relationship's properties (`e_x` is `e.x`); `outgoing` is a literal of the
#: statement part that reads one direction (`_directed_parts`).
_LINK_COLUMN_VALUES = {
    "type": "label(e)",
    "outgoing": "{outgoing}",
    "bfrom": "b.dateFrom",
    "bto": "b.dateTo",
    "bend": "b.endDate",
    "boff": "offset(id(b))",
}


@dataclass(frozen=True)
class LinkColumns:
    """What a link read returns besides its ends, type and direction: some of the
    relationship's properties, for a network limited to a period the neighbour's
    dates, and for a network the neighbour's storage offset (`boff`), so that the
    nodes it finds need not be looked up again to read their links.

    Every column costs on every row, since each value is handed to Python: a read
    returns only what its caller uses. `sources` (long JSON) costs most; the
    neighbour's dates cost a lookup in its table per link."""

    props: tuple[str, ...] = ()
    neighbour_dates: bool = False
    neighbour_offsets: bool = False

    #: Ends, type and direction only.
    KEYS: ClassVar[LinkColumns]
    #: And every property of the relationship, sources included.
    FULL: ClassVar[LinkColumns]

    @staticmethod
    def of(
        props: Collection[str] | None, *, dated: bool = False, offsets: bool = False
    ) -> LinkColumns:
        """The columns for these relationship properties (None: all of them); `dated`
        adds the relationship's and the neighbour's dates, which a period is checked
        against, and `offsets` the neighbour's storage offset."""
        wanted = set(REL_PROP_NAMES if props is None else props) & REL_PROP_NAMES
        if dated:
            wanted |= {"dateFrom", "dateTo", "endDate"}
        chosen = tuple(p.name for p in REL_PROPS if p.name in wanted)
        return LinkColumns(chosen, dated, offsets)

    def names(self) -> tuple[str, ...]:
        """The columns of a link read, in order: the embedded store reads link rows as
        lists (half the cost of a dict a row, and link rows are the most numerous),
        by these positions. The neighbour's offset, when read, comes last."""
        names = ["anchor", "bid", "type", "outgoing"]
        names += (LINK_PROPERTY_PREFIX + p for p in self.props)
        if self.neighbour_dates:
            names += ("bfrom", "bto", "bend")
        if self.neighbour_offsets:
            names.append("boff")
        return tuple(names)


#: Where a link read's row (a list, `LinkColumns.names` order) holds its ends, type
#: and direction.
ANCHOR, NEIGHBOUR, TYPE, OUTGOING = range(4)


@lru_cache(maxsize=SHAPED_STATEMENTS)
def _link_columns(columns: LinkColumns, ends: str) -> str:
    """The RETURN list of a link read: `ends` (its anchor and neighbour), then the
    other columns of `LinkColumns.names` in that order, `{outgoing}` left for each
    part to fill."""
    values = _LINK_COLUMN_VALUES
    prefix = LINK_PROPERTY_PREFIX
    rest = (
        f"{values.get(name) or 'e.' + name.removeprefix(prefix)} AS {name}"
        for name in columns.names()[2:]
    )
    return ", ".join([ends, *rest])


LinkColumns.KEYS = LinkColumns()
LinkColumns.FULL = LinkColumns.of(None)


#: What links are read: direction, relationship types, neighbour labels (empty: any).
LinkShape = tuple[str, tuple[RelType, ...], tuple[Label, ...]]


def _link_pattern(shape: LinkShape) -> str:
    """The pattern of a shape's links, for statements that count or sample them and
    so need no direction (`_directed_parts` for those that read it)."""
    direction, types, labels = shape
    left, right = ARROWS[direction]
    rel = "[e:" + "|".join(t.value for t in types) + "]" if types else "[e]"
    other = "(b:" + ":".join(lb.value for lb in labels) + ")" if labels else "(b)"
    return f"{left}{rel}{right}{other}"


#: A kind of relationship as the store holds it: (type, source label, target label).
Pair = tuple[RelType, Label, Label]
#: Every pair the model declares (`model.ENDPOINTS`): what a store may hold.
DECLARED_PAIRS: frozenset[Pair] = frozenset(
    (rel_type, source, target) for rel_type, pairs in ENDPOINTS.items() for source, target in pairs
)


def pair_exists(pair: Pair) -> str:
    """Whether at least one relationship of the pair is stored: the first row found."""
    rel_type, source, target = pair
    return (
        f"MATCH (a:{source.value})-[e:{rel_type.value}]->(b:{target.value}) "
        "RETURN 1 AS found LIMIT 1"
    )


@lru_cache(maxsize=SHAPED_STATEMENTS)
def _fitting(
    label: Label, shape: LinkShape, pairs: frozenset[Pair]
) -> tuple[tuple[str, tuple[RelType, ...]], ...]:
    """(direction, types) for each direction in which one of `pairs` can join
    `label`'s nodes to the shape's neighbours, with the shape's types that can."""
    direction, types, labels = shape
    ways = [way for way in ("out", "in") if direction in (way, "both")]
    fitting = []
    for way in ways:
        kept = tuple(
            t
            for t in types or tuple(RelType)
            if any(
                ((t, label, b) if way == "out" else (t, b, label)) in pairs
                for b in labels or tuple(Label)
            )
        )
        if kept:
            fitting.append((way, kept))
    return tuple(fitting)


def linkable(label: Label, shape: LinkShape, pairs: frozenset[Pair] = DECLARED_PAIRS) -> bool:
    """Whether any of `pairs` fits the shape at `label`'s end: if not, a read of its
    links finds nothing, and need not run."""
    return bool(_fitting(label, shape, pairs))


@lru_cache(maxsize=SHAPED_STATEMENTS)
def _directed_parts(
    label: Label, shape: LinkShape, pairs: frozenset[Pair] = DECLARED_PAIRS
) -> tuple[tuple[str, str], ...]:
    """(pattern, `outgoing` literal) for each direction in which a shape's links can
    leave or reach `label`'s nodes.

    LadybugDB 0.22 answers `start_node(e)` of an undirected pattern `(a)-[e]-(b)`
    with the bound node `a`, whatever the stored direction: a person's WORKS_FOR read
    from the organisation came out as the organisation's. So a link read that needs
    the direction reads each one in its own part, and each part says which it is.
    (The relationship's own `_SRC` is right, but reading it materialises every
    property of the relationship, which doubles the cost of a hub's page.)

    A direction none of `pairs` can take is left out, and each part names only the
    types that can: an event's links to organisations are all incoming, so they are
    read in one directed part. `pairs` are the declared ones (`model.ENDPOINTS`), or
    those a store holds (`pairs.StoredPairs`): a pair the model allows but the data
    never uses (events PART_OF events in the synthetic graphs) then costs no part.
    A shape no link can take keeps one part, which finds nothing."""
    direction, types, labels = shape
    fitting = _fitting(label, shape, pairs) or (("in" if direction == "in" else "out", types),)
    return tuple(_directed_part(way, kept, labels) for way, kept in fitting)


def _directed_part(
    way: str, types: tuple[RelType, ...], labels: tuple[Label, ...]
) -> tuple[str, str]:
    return _link_pattern((way, types, labels)), "true" if way == "out" else "false"


def _link_reads(
    label: Label,
    shape: LinkShape,
    anchor: str,
    where: str,
    returns: str,
    prefix: str = "",
    hint: str = "",
    pairs: frozenset[Pair] = DECLARED_PAIRS,
) -> list[str]:
    """One statement per direction part (`_directed_parts`): `prefix`, the match of
    the anchor (`anchor` after its label) and the part's pattern, `where`, a join
    order `hint`, and `returns` with the part's `outgoing` literal; parts of `pairs`."""
    return [
        f"{prefix}MATCH (a:{label.value}{anchor}){pattern} {where}{hint}"
        f"RETURN {returns.format(outgoing=outgoing)}"
        for pattern, outgoing in _directed_parts(label, shape, pairs)
    ]


#: The anchors of a statement over many of them, matched by storage offset.
_ANCHORS_BY_OFFSET = (
    "WHERE offset(id(a)) >= $lowest AND offset(id(a)) <= $highest AND offset(id(a)) IN $offsets "
)


def _links_of_many(label: Label, shape: LinkShape) -> str:
    """The links of the anchors in $offsets (matched by storage offset), which lie
    between $lowest and $highest (`anchor_offsets`), for counting.

    The range is tested first: anchors found together were often stored together,
    and a range test spares most of the table the `IN` test, which goes row by row."""
    return f"MATCH (a:{label.value}){_link_pattern(shape)} {_ANCHORS_BY_OFFSET}"


def anchor_offsets(offsets: list[int]) -> dict[str, Any]:
    """The parameters naming the anchors of a `_links_of_many` statement."""
    return {
        "offsets": offsets,
        "lowest": min(offsets, default=0),
        "highest": max(offsets, default=-1),
    }


def _links_of_one(label: Label, shape: LinkShape) -> str:
    """The links of the anchor $id (a primary-key probe)."""
    return f"MATCH (a:{label.value} {{id: $id}}){_link_pattern(shape)} "


@lru_cache(maxsize=SHAPED_STATEMENTS)
def link_degrees(label: Label, shape: LinkShape) -> str:
    """How many links each anchor in $offsets has, by storage offset (anchors without
    any are absent)."""
    return _links_of_many(label, shape) + "RETURN offset(id(a)) AS anchor, count(*) AS degree"


@lru_cache(maxsize=SHAPED_STATEMENTS)
def links_of_many(
    label: Label,
    shape: LinkShape,
    columns: LinkColumns = LinkColumns.FULL,
    pairs: frozenset[Pair] = DECLARED_PAIRS,
) -> str:
    """Every link of the anchors in $offsets, without node payload, unordered; each
    anchor by its storage offset.

    The caller sorts the rows (by anchor, neighbour, type): LadybugDB sorts whole
    rows, relationship columns included, which takes longer than the read itself."""
    returns = _link_columns(columns, _ENDS_BY_ANCHOR_OFFSET)
    parts = _link_reads(label, shape, "", _ANCHORS_BY_OFFSET, returns, pairs=pairs)
    return " UNION ALL ".join(parts)


@lru_cache(maxsize=SHAPED_STATEMENTS)
def links_of_one(
    label: Label,
    shape: LinkShape,
    columns: LinkColumns = LinkColumns.FULL,
    pairs: frozenset[Pair] = DECLARED_PAIRS,
) -> str:
    """Every link of the anchor $id (a primary-key probe), without node payload,
    unordered, as `links_of_many` reads them for many anchors."""
    returns = _link_columns(columns, _ENDS_BY_ID)
    return " UNION ALL ".join(_link_reads(label, shape, " {id: $id}", "", returns, pairs=pairs))


@lru_cache(maxsize=SHAPED_STATEMENTS)
def links_to(
    label: Label,
    shape: LinkShape,
    columns: LinkColumns = LinkColumns.FULL,
    pairs: frozenset[Pair] = DECLARED_PAIRS,
) -> str:
    """The links of the anchors in $offsets to the nodes in $others (storage offsets of
    the shape's one neighbour label), unordered; both ends by storage offset.

    `list_contains` on a list bound once (`WITH`), which LadybugDB tests faster than
    `IN $others`, and both faster than reading every link and filtering in Python.
    The neighbour's offset is its `bid` here, so it is not read a second time as `boff`."""
    where = _ANCHORS_BY_OFFSET + "AND list_contains(others, offset(id(b))) "
    returns = _link_columns(replace(columns, neighbour_offsets=False), _ENDS_BY_OFFSET)
    prefix = "WITH $others AS others "
    parts = _link_reads(label, shape, "", where, returns, prefix=prefix, pairs=pairs)
    return " UNION ALL ".join(parts)


@lru_cache(maxsize=SHAPED_STATEMENTS)
def links_page(
    label: Label,
    shape: LinkShape,
    columns: LinkColumns = LinkColumns.FULL,
    pairs: frozenset[Pair] = DECLARED_PAIRS,
) -> tuple[str, ...]:
    """One page of one anchor's links, without node payload, by neighbour then type:
    one statement per direction part (`_directed_parts`), each giving its rows from
    $skip to $skip + $limit in that order. With one part, that is the page; with two,
    the caller asks each for the first offset + limit rows and merges them."""
    returns = _link_columns(columns, _ENDS_BY_ID) + " ORDER BY bid, type SKIP $skip LIMIT $limit"
    return tuple(_link_reads(label, shape, " {id: $id}", "", returns, pairs=pairs))


@lru_cache(maxsize=SHAPED_STATEMENTS)
def link_sample(label: Label, shape: LinkShape) -> str:
    """The neighbour ids of every $step-th link of one anchor, in storage order.

    Storage offsets are read from the adjacency list itself; only the sampled links'
    neighbours are looked up, not the hub's every neighbour."""
    return _links_of_one(label, shape) + "WHERE offset(id(e)) % $step = 0 RETURN b.id AS bid"


#: A join order for `links_up_to`: the neighbours below the bound, then their links
#: to the anchor, the anchor joined last as the one row it is.
_FROM_NEIGHBOURS = "HINT (b JOIN e) JOIN a "


@lru_cache(maxsize=SHAPED_STATEMENTS)
def links_up_to(
    label: Label,
    shape: LinkShape,
    columns: LinkColumns = LinkColumns.FULL,
    from_neighbours: bool = False,
    pairs: frozenset[Pair] = DECLARED_PAIRS,
) -> str:
    """One anchor's links to neighbours with ids up to $last, unordered.

    `from_neighbours` walks the links of the neighbours below the bound and keeps
    those that reach the anchor (`_FROM_NEIGHBOURS`), which pays when the anchor
    links to a large share of them (`links.DENSE_HUB_SHARE`). For a hub that
    reaches few of the nodes below its bound it walks many links for nothing, and
    the planner's own order is better."""
    returns = _link_columns(columns, _ENDS_BY_ID)
    hint = _FROM_NEIGHBOURS if from_neighbours else ""
    where = "WHERE b.id <= $last "
    reads = _link_reads(label, shape, " {id: $id}", where, returns, hint=hint, pairs=pairs)
    return " UNION ALL ".join(reads)


@lru_cache(maxsize=SHAPED_STATEMENTS)
def count_links(label: Label, shape: LinkShape) -> str:
    return _links_of_one(label, shape) + "RETURN count(*) AS total"
