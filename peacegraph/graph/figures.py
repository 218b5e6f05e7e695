"""Reach figures as the report gives them: counts, shares of a basis, approximations.

A report states a figure in one of three ways: as a count ("69 jeunes"), as a share of
the participants ("51 personnes (90%) des jeunes", "environ 47% de jeunes femmes"), or
not at all. Stats must not silently add only the counts: for each figure they give the
stated sum, an estimate from the shares with the basis it rests on, and how many
events gave neither, so a reader sees how much of the total is measured.

The aggregation is one expression list shared by both stores (it uses only Cypher
that LadybugDB and Neo4j read alike), so that the figures cannot drift apart, and it
runs in the store: stats over a million relationships return one row per event kind,
never the events themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

#: The figures an event may state, in the order stats report them.
FIGURES: tuple[str, ...] = ("participants", "women", "youth", "disabled")

#: The share property of a figure, in percent of the event's `participants` (its basis).
SHARE_OF: Mapping[str, str] = {"women": "womenShare", "youth": "youthShare"}

#: The basis a share is of: the event's participants, as the report counts them.
BASIS = "participants"

#: What `approximate` may name: figures and shares the report states with "environ",
#: "près de", "plus de"...
APPROXIMABLE: frozenset[str] = frozenset((*FIGURES, *SHARE_OF.values()))


@dataclass(frozen=True)
class FigureTotal:
    """One figure over the events of a period: what they state, and what they imply."""

    figure: str
    #: Sum of the counts the events state, and how many events state one.
    stated: int = 0
    stated_events: int = 0
    #: Events counted here (stated or estimated) whose count, share or basis the
    #: report gives as approximate ("environ 258 femmes").
    approximate_events: int = 0
    #: Events that give only a share: their number, the sum of their bases
    #: (participants) and the sum of share x basis, each rounded to a person.
    share_events: int = 0
    share_basis: int = 0
    share_estimate: int = 0
    #: Events that give neither a count nor a share with its basis.
    missing_events: int = 0

    @property
    def estimate(self) -> int:
        """The stated counts plus the estimates from shares."""
        return self.stated + self.share_estimate


def _has(ev: str, prop: str) -> str:
    return f"{ev}.{prop} IS NOT NULL"


def _named(ev: str, name: str) -> str:
    return f"'{name}' IN {ev}.approximate"


def _sum_when(condition: str, value: str = "1") -> str:
    return f"sum(CASE WHEN {condition} THEN {value} ELSE 0 END)"


def _share_condition(ev: str, figure: str) -> str | None:
    share = SHARE_OF.get(figure)
    if share is None:
        return None
    return f"{ev}.{figure} IS NULL AND {_has(ev, share)} AND {_has(ev, BASIS)}"


def aggregate_columns(ev: str = "ev") -> str:
    """The RETURN items that sum every figure over the events bound to `ev`, with
    `count(*) AS events`; to follow a grouping key such as `ev.kind AS kind`."""
    columns = ["count(*) AS events"]
    for figure in FIGURES:
        stated = _has(ev, figure)
        approximate = _named(ev, figure)
        share_condition = _share_condition(ev, figure)
        if share_condition is not None:
            # An estimate is approximate when its share or its basis is.
            estimated = f"{_named(ev, SHARE_OF[figure])} OR {_named(ev, BASIS)}"
            approximate = f"({stated} AND {approximate}) OR ({share_condition} AND ({estimated}))"
        else:
            approximate = f"{stated} AND {approximate}"
        columns += [
            f"{_sum_when(stated, f'{ev}.{figure}')} AS {figure}_stated",
            f"{_sum_when(stated)} AS {figure}_events",
            f"{_sum_when(f'{ev}.approximate IS NOT NULL AND ({approximate})')}"
            f" AS {figure}_approximate",
        ]
        if share_condition is not None:
            share = f"{ev}.{SHARE_OF[figure]}"
            columns += [
                f"{_sum_when(share_condition)} AS {figure}_share_events",
                f"{_sum_when(share_condition, f'{ev}.{BASIS}')} AS {figure}_share_basis",
                f"{_sum_when(share_condition, f'round({share} * {ev}.{BASIS} / 100.0, 0)')}"
                f" AS {figure}_share_estimate",
            ]
    return ", ".join(columns)


def _int(row: Mapping[str, Any], key: str) -> int:
    value = row.get(key)
    if isinstance(value, int | float | Decimal):
        return int(value)
    return 0


def totals(rows: Iterable[Mapping[str, Any]]) -> tuple[int, tuple[FigureTotal, ...]]:
    """The number of events and each figure's total, from rows of `aggregate_columns`
    (one per group: the groups are added up)."""
    rows = list(rows)
    events = sum(_int(row, "events") for row in rows)
    figures = []
    for figure in FIGURES:

        def add(column: str, figure: str = figure) -> int:
            return sum(_int(row, f"{figure}_{column}") for row in rows)

        stated_events, share_events = add("events"), add("share_events")
        figures.append(
            FigureTotal(
                figure=figure,
                stated=add("stated"),
                stated_events=stated_events,
                approximate_events=add("approximate"),
                share_events=share_events,
                share_basis=add("share_basis"),
                share_estimate=add("share_estimate"),
                missing_events=events - stated_events - share_events,
            )
        )
    return events, tuple(figures)


def check_approximate(value: Any, present: Iterable[str]) -> str | None:
    """Why an `approximate` list is wrong (names must be figures or shares that the
    item states), or None when it is right."""
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        return "must be a non-empty list of figure names"
    unknown = sorted(set(value) - APPROXIMABLE)
    if unknown:
        return f"names no figure: {', '.join(unknown)} (known: {', '.join(sorted(APPROXIMABLE))})"
    absent = sorted(set(value) - set(present))
    if absent:
        return f"names figures the item does not state: {', '.join(absent)}"
    return None
