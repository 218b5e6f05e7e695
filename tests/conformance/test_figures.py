"""Stats count figures as a report gives them, on every store, through the Store protocol:
counts, shares of the participants (estimated, with their basis), approximations, and
events that give no figure at all. They are aggregated in the store, and the events
behind them are read a page at a time."""

from __future__ import annotations

import pytest

from peacegraph.graph.dates import date_props
from peacegraph.graph.figures import FigureTotal
from peacegraph.graph.model import Label, RelType
from peacegraph.graph.records import Node, Provenance, Relationship
from peacegraph.graph.store import Store

pytestmark = pytest.mark.asyncio(loop_scope="session")

SRC = (Provenance("source:test", "Section", "a quote"),)


def event(slug: str, start: str, kind: str = "workshop", **props: object) -> Node:
    return Node(
        Label.EVENT,
        f"event:{slug}",
        slug.replace("-", " "),
        {**date_props(start, None), "kind": kind, **props},  # type: ignore[dict-item]
        SRC,
    )


#: One event for each way a report gives a figure.
EVENTS = [
    # "115 personnes dont 91 femmes soit un taux de 79 %, 69 jeunes": counts and shares.
    event("counts", "2023-08-11", participants=115, women=91, womenShare=79.0, youth=69),
    # "269 femmes ... avec environ 47% de jeunes femmes": youth only as a share.
    event(
        "share",
        "2023-08-20",
        kind="campaign",
        participants=269,
        women=269,
        youthShare=47.0,
        approximate=["youthShare"],
    ),
    # "Environ 258 femmes ... dont 47%": an approximate count and basis.
    event(
        "approximate",
        "2023-09-01",
        kind="campaign",
        participants=258,
        women=258,
        youthShare=47.0,
        approximate=["participants", "women"],
    ),
    # A share without a basis cannot be estimated: the figure is missing.
    event("share-without-basis", "2023-09-02", youthShare=50.0),
    # No figure at all.
    event("silent", "2023-09-03"),
    # Outside the period.
    event("earlier", "2022-01-10", participants=1000, youth=1000),
]


async def load(store: Store) -> None:
    await store.upsert_nodes(EVENTS)
    await store.upsert_nodes([Node(Label.ORGANIZATION, "org:a", "A", {"kind": "ngo"}, SRC)])
    await store.upsert_relationships(
        [
            Relationship(RelType.ORGANIZED, "org:a", "event:counts", {}, SRC),
            Relationship(RelType.ORGANIZED, "org:a", "event:share", {}, SRC),
        ]
    )


def by_figure(totals: tuple[FigureTotal, ...]) -> dict[str, FigureTotal]:
    return {total.figure: total for total in totals}


async def test_each_figure_is_stated_estimated_from_shares_or_missing(store: Store) -> None:
    await load(store)
    stats = await store.stats(date_from="2023-07-01", date_to="2023-09-30")
    figures = by_figure(stats.figures)
    assert list(figures) == ["participants", "women", "youth", "disabled"]

    assert figures["participants"] == FigureTotal(
        "participants", stated=642, stated_events=3, approximate_events=1, missing_events=2
    )
    # Women are counted where a share is also given: the count wins, nothing estimated.
    assert figures["women"] == FigureTotal(
        "women", stated=618, stated_events=3, approximate_events=1, missing_events=2
    )
    # 47% of 269 is 126.43 and 47% of 258 is 121.26: each rounded to a person.
    assert figures["youth"] == FigureTotal(
        "youth",
        stated=69,
        stated_events=1,
        approximate_events=2,
        share_events=2,
        share_basis=269 + 258,
        share_estimate=126 + 121,
        missing_events=2,
    )
    assert figures["youth"].estimate == 69 + 126 + 121
    assert figures["disabled"] == FigureTotal("disabled", missing_events=5)

    # The exact sums stay what the events state; estimates are never mixed in.
    assert (stats.reach.events, stats.reach.participants, stats.reach.youth) == (5, 642, 69)
    assert stats.counts_by_label == {"Event": 5, "Organization": 1}
    assert stats.counts_by_kind == {
        "Event:campaign": 2,
        "Event:workshop": 3,
        "Organization:ngo": 1,
    }


async def test_the_events_behind_the_figures_come_a_page_at_a_time(store: Store) -> None:
    await load(store)
    pages = []
    offset = 0
    while True:
        page = await store.stats_events(
            date_from="2023-07-01", date_to="2023-09-30", offset=offset, limit=2
        )
        pages.append([node.id for node in page.items])
        offset += len(page.items)
        if not page.has_next:
            break
    assert pages == [
        ["event:counts", "event:share"],
        ["event:approximate", "event:share-without-basis"],
        ["event:silent"],
    ]
    whole = await store.stats_events(limit=10)
    assert whole.items[0].id == "event:earlier"
    assert not whole.has_next


async def test_an_empty_period_has_zero_figures(store: Store) -> None:
    await load(store)
    stats = await store.stats(date_from="2030-01-01", date_to="2030-12-31")
    assert stats.reach.events == 0
    assert all(total == FigureTotal(total.figure) for total in stats.figures)
    assert (await store.stats_events(date_from="2030-01-01")).items == []
