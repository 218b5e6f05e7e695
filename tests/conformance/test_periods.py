"""The temporal rule (graph.periods) on every store, table-driven.

Facts of every precision (year, month, day), with and without an end, and undated,
as nodes of a lasting kind (organisations), as bounded nodes (events) and as
relationships; each period of the table names exactly which of them it holds, and
every read that takes a period (list filters, network, timeline, stats) must agree.
"""

from __future__ import annotations

import pytest

from peacegraph.graph.dates import date_props
from peacegraph.graph.model import Label, RelType
from peacegraph.graph.records import Node, PropValue, Provenance, Relationship
from peacegraph.graph.store import NodeQuery, Store

SRC = (Provenance("source:test", "Section", "a quote"),)

#: Facts that last (organisations, relationships): an absent end is open.
LASTING: dict[str, tuple[str | None, str | None]] = {
    "year-open": ("2011", None),
    "month-open": ("2021-03", None),
    "day-open": ("2023-09-05", None),
    "year-closed": ("2011", "2012"),
    "month-closed": ("2021-03", "2021-05"),
    "day-closed": ("2023-09-05", "2023-09-20"),
    "year-to-day": ("2011", "2023-09-05"),
    "undated": (None, None),
}
#: Bounded facts (events): an absent end is the start's own span.
BOUNDED: dict[str, tuple[str | None, str | None]] = {
    "year": ("2011", None),
    "month": ("2023-09", None),
    "day": ("2023-09-05", None),
    "day-range": ("2023-09-05", "2023-09-07"),
    "month-to-year": ("2022-11", "2023"),
    "undated": (None, None),
}

#: (since, until) -> (lasting facts in the period, events in the period).
PERIODS: list[tuple[str | None, str | None, set[str], set[str]]] = [
    (
        "2023-09",
        None,
        {"year-open", "month-open", "day-open", "day-closed", "year-to-day", "undated"},
        {"month", "day", "day-range", "month-to-year", "undated"},
    ),
    (None, "2010", {"undated"}, {"undated"}),
    ("2011", "2011", {"year-open", "year-closed", "year-to-day", "undated"}, {"year", "undated"}),
    (
        "2023-09-06",
        "2023-09-06",
        {"year-open", "month-open", "day-open", "day-closed", "undated"},
        {"month", "day-range", "month-to-year", "undated"},
    ),
    (
        "2021-05",
        "2021-05",
        {"year-open", "month-open", "month-closed", "year-to-day", "undated"},
        {"undated"},
    ),
    ("2030", None, {"year-open", "month-open", "day-open", "undated"}, {"undated"}),
    (None, None, set(LASTING), set(BOUNDED)),
    (
        None,
        "2023-09-04",
        {"year-open", "month-open", "year-closed", "month-closed", "year-to-day", "undated"},
        {"year", "month", "month-to-year", "undated"},
    ),
]


def _dates(start: str | None, end: str | None) -> dict[str, str | None]:
    return date_props(start, end)


def _graph() -> tuple[list[Node], list[Relationship]]:
    """A hub organisation (undated) linked to: each dated organisation by an undated
    MEMBER_OF, each undated `rel-` organisation by a dated PARTNER_OF, and each event
    by an undated ORGANIZED."""
    hub = Node(Label.ORGANIZATION, "org:hub", "Hub", {}, SRC)
    nodes = [hub]
    rels: list[Relationship] = []
    for case, (start, end) in LASTING.items():
        if case != "undated":
            nodes.append(
                Node(Label.ORGANIZATION, f"org:node-{case}", case, {**_dates(start, end)}, SRC)
            )
            rels.append(Relationship(RelType.MEMBER_OF, "org:hub", f"org:node-{case}", {}, SRC))
        nodes.append(Node(Label.ORGANIZATION, f"org:rel-{case}", case, {}, SRC))
        rels.append(
            Relationship(
                RelType.PARTNER_OF, "org:hub", f"org:rel-{case}", {**_dates(start, end)}, SRC
            )
        )
    for case, (start, end) in BOUNDED.items():
        props: dict[str, PropValue] = {**_dates(start, end), "participants": 1}
        nodes.append(Node(Label.EVENT, f"event:{case}", case, props, SRC))
        rels.append(Relationship(RelType.ORGANIZED, "org:hub", f"event:{case}", {}, SRC))
    return nodes, rels


def _cases(ids: set[str], prefix: str) -> set[str]:
    return {i.removeprefix(prefix) for i in ids if i.startswith(prefix)}


@pytest.mark.parametrize(("since", "until", "lasting", "events"), PERIODS)
async def test_every_read_holds_the_facts_that_overlap_the_period(
    store: Store, since: str | None, until: str | None, lasting: set[str], events: set[str]
) -> None:
    nodes, rels = _graph()
    await store.upsert_nodes(nodes)
    await store.upsert_relationships(rels)
    # The dated organisations, and the undated hub and `rel-` ones, through the filters.
    orgs = await store.list_nodes(
        NodeQuery(Label.ORGANIZATION, date_from=since, date_to=until), offset=0, limit=100
    )
    listed = {n.id for n in orgs.items}
    assert _cases(listed, "org:node-") == lasting - {"undated"}
    assert _cases(listed, "org:rel-") == set(LASTING)
    assert await store.count_nodes(
        NodeQuery(Label.ORGANIZATION, date_from=since, date_to=until)
    ) == len(listed)
    listed_events = await store.list_nodes(
        NodeQuery(Label.EVENT, date_from=since, date_to=until), offset=0, limit=100
    )
    assert _cases({n.id for n in listed_events.items}, "event:") == events

    network = await store.network(["org:hub"], depth=1, since=since, until=until)
    shown = {n.id for n in network.nodes}
    assert _cases(shown, "org:node-") == lasting - {"undated"}
    assert _cases(shown, "org:rel-") == lasting
    assert _cases(shown, "event:") == events

    timeline = await store.timeline("org:hub", date_from=since, date_to=until)
    assert _cases({entry.event.id for entry in timeline}, "event:") == events

    stats = await store.stats(date_from=since, date_to=until)
    counted = await store.stats_events(date_from=since, date_to=until, limit=100)
    assert _cases({e.id for e in counted.items}, "event:") == events
    assert stats.reach.participants == len(events)
