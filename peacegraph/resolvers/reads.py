"""Read resolvers: GraphQL arguments in, Store calls, plain records out.

The schema layer turns the records into Strawberry types. No Cypher here, no
driver: only Store methods, each field one Store call (or one DataLoader call).
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from peacegraph.graph.dates import first_day, last_day, parse_partial
from peacegraph.graph.errors import Invalid
from peacegraph.graph.model import FACT_TYPES, Label, RelType
from peacegraph.graph.records import Neighbour, Node, Page
from peacegraph.graph.store import (
    Direction,
    Network,
    NodeQuery,
    Path,
    SearchHit,
    Stats,
    TimelineEntry,
)
from peacegraph.resolvers.context import Context
from peacegraph.resolvers.loaders import NeighbourKey
from peacegraph.resolvers.pagination import check_first, decode_cursor

T = TypeVar("T")
MAX_SEARCH_TEXT = 200
MAX_IDS = 100


@dataclass(frozen=True)
class PageRequest:
    """Where a page starts and how long it is, from `first` and `after`."""

    offset: int
    limit: int


@dataclass(frozen=True)
class CountedPage(Generic[T]):
    """A page plus what is needed to count the whole list only if asked."""

    page: Page[T]
    query: NodeQuery | None = None


def page_request(context: Context, first: int, after: str | None) -> PageRequest:
    limit = check_first(first, context.limits.max_page_size)
    return PageRequest(offset=decode_cursor(after), limit=limit)


def period_bound(value: str | None, *, field: str, end: bool) -> str | None:
    """A partial date argument as the first (or last) day it may mean."""
    if value is None:
        return None
    parse_partial(value, field=field)
    return last_day(value) if end else first_day(value)


def check_ids(ids: Sequence[str], *, field: str) -> list[str]:
    if len(ids) > MAX_IDS:
        raise Invalid(f"{field}: at most {MAX_IDS} ids", field=field)
    return list(dict.fromkeys(ids))


async def node(context: Context, node_id: str) -> Node | None:
    return await context.loaders.nodes.load(node_id)


async def nodes(context: Context, ids: Sequence[str]) -> list[Node | None]:
    wanted = check_ids(ids, field="ids")
    found = await context.store.get_nodes(wanted)
    return [found.get(node_id) for node_id in ids]


async def list_nodes(
    context: Context, query: NodeQuery, first: int, after: str | None
) -> CountedPage[Node]:
    request = page_request(context, first, after)
    page = await context.store.list_nodes(query, offset=request.offset, limit=request.limit)
    return CountedPage(page=page, query=query)


async def count_nodes(context: Context, query: NodeQuery) -> int:
    return await context.store.count_nodes(query)


async def search(
    context: Context, text: str, labels: Sequence[Label], first: int, after: str | None
) -> Page[SearchHit]:
    if len(text) > MAX_SEARCH_TEXT:
        raise Invalid(f"text: at most {MAX_SEARCH_TEXT} characters", field="text")
    request = page_request(context, first, after)
    return await context.store.search(
        text, labels=labels, offset=request.offset, limit=request.limit
    )


async def neighbours(
    context: Context,
    node_id: str,
    *,
    direction: Direction,
    rel_types: Sequence[RelType],
    labels: Sequence[Label],
    first: int,
    with_props: bool = True,
    node_props: frozenset[str] | None = None,
) -> list[Neighbour]:
    """A node's first neighbours, batched with every other parent of the same level;
    `with_props=False` when the relationships' own data is not wanted, `node_props`
    the neighbours' properties read besides id and name (see `Store`)."""
    limit = check_first(first, context.limits.max_page_size)
    rel_types = tuple(rel_types or FACT_TYPES)
    key = NeighbourKey(node_id, direction, rel_types, tuple(labels), limit, with_props, node_props)
    return await context.loaders.neighbours.load(key)


#: How far up the place hierarchy `places_holding` climbs (venue → town → cercle →
#: region → country → region of the world → continent), as the stores' place
#: filters do (`WITHIN*0..6`).
MAX_PLACE_DEPTH = 6


async def places_holding(
    context: Context,
    place: str,
    *,
    first: int,
    levels: int,
    with_props: bool = True,
    node_props: frozenset[str] | None = None,
) -> list[Neighbour]:
    """The places `place` lies within, level by level up to `levels` steps, nearest
    first: each one the WITHIN link from the place below it. Each level is one
    batched read; a place met twice is kept once."""
    chain: list[Neighbour] = []
    seen, frontier = {place}, [place]
    for _ in range(levels):
        found = await asyncio.gather(
            *(
                neighbours(
                    context,
                    below,
                    direction=Direction.OUT,
                    rel_types=(RelType.WITHIN,),
                    labels=(Label.PLACE,),
                    first=first,
                    with_props=with_props,
                    node_props=node_props,
                )
                for below in frontier
            )
        )
        steps = [step for level in found for step in level if step.node.id not in seen]
        if not steps:
            break
        chain.extend(steps)
        frontier = [step.node.id for step in steps]
        seen.update(frontier)
    return chain


async def links_page(
    context: Context,
    node_id: str,
    *,
    direction: Direction,
    rel_types: Sequence[RelType],
    labels: Sequence[Label],
    first: int,
    after: str | None,
) -> Page[Neighbour]:
    request = page_request(context, first, after)
    return await context.store.neighbours(
        node_id,
        direction=direction,
        rel_types=rel_types or FACT_TYPES,
        labels=labels,
        offset=request.offset,
        limit=request.limit,
    )


async def count_links(
    context: Context,
    node_id: str,
    *,
    direction: Direction,
    rel_types: Sequence[RelType],
    labels: Sequence[Label],
) -> int:
    return await context.store.count_neighbours(
        node_id, direction=direction, rel_types=rel_types or FACT_TYPES, labels=labels
    )


async def network(
    context: Context,
    seeds: Sequence[str],
    *,
    depth: int,
    rel_types: Sequence[RelType],
    labels: Sequence[Label],
    since: str | None,
    until: str | None,
    limit: int,
    rel_props: Collection[str] | None = None,
    node_props: Collection[str] | None = None,
) -> Network:
    """A network view; `rel_props` and `node_props` as in `Store.network`."""
    if not 0 <= depth <= 3:
        raise Invalid("depth: must be between 0 and 3", field="depth")
    if not 1 <= limit <= context.limits.max_network_nodes:
        raise Invalid(
            f"limit: must be between 1 and {context.limits.max_network_nodes}", field="limit"
        )
    return await context.store.network(
        check_ids(seeds, field="seeds"),
        depth=depth,
        rel_types=rel_types,
        labels=labels,
        since=period_bound(since, field="since", end=False),
        until=period_bound(until, field="until", end=True),
        limit=limit,
        rel_props=rel_props,
        node_props=node_props,
    )


async def paths(context: Context, source: str, target: str, max_length: int) -> list[Path]:
    if not 1 <= max_length <= 6:
        raise Invalid("maxLength: must be between 1 and 6", field="maxLength")
    if source == target:
        raise Invalid("to: must differ from `from`", field="to")
    return await context.store.shortest_paths(source, target, max_length=max_length)


async def timeline(
    context: Context,
    actor: str,
    date_from: str | None,
    date_to: str | None,
    partner_props: frozenset[str] | None = None,
) -> list[TimelineEntry]:
    return await context.store.timeline(
        actor,
        date_from=period_bound(date_from, field="from", end=False),
        date_to=period_bound(date_to, field="to", end=True),
        partner_props=partner_props,
    )


@dataclass(frozen=True)
class StatsScope:
    """What a `stats` question covers, as the store takes it: its events are counted
    by `stats` and listed a page at a time by `stats_events`."""

    date_from: str | None
    date_to: str | None
    programme: str | None


def stats_scope(date_from: str | None, date_to: str | None, programme: str | None) -> StatsScope:
    return StatsScope(
        date_from=period_bound(date_from, field="from", end=False),
        date_to=period_bound(date_to, field="to", end=True),
        programme=programme,
    )


async def stats(context: Context, scope: StatsScope) -> Stats:
    return await context.store.stats(
        date_from=scope.date_from, date_to=scope.date_to, programme=scope.programme
    )


async def stats_events(context: Context, scope: StatsScope, first: int, offset: int) -> Page[Node]:
    limit = check_first(first, context.limits.max_page_size)
    if offset < 0:
        raise Invalid("offset: must not be negative", field="offset")
    return await context.store.stats_events(
        date_from=scope.date_from,
        date_to=scope.date_to,
        programme=scope.programme,
        offset=offset,
        limit=limit,
    )
