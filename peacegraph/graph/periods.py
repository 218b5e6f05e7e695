"""The one temporal rule every read follows: list filters, network views, timelines, stats.

A fact (a node or a relationship) is an interval of days. Its dates are partial
(`2011`, `2021-01`, `2023-09-05`) and stored with the first and last day they may
mean (`dateFrom`, `dateTo`, graph.dates). Its ends may be open:

- an absent start is open: the fact reaches back into the far past;
- an absent end is open for facts that last (a partnership "since 2011", an
  organisation, a programme, any relationship): the fact runs on into the far
  future. Events and observations are bounded instead: without an end they last
  the span of their start (a workshop on 2023-09-05, figures for 2023-09);
- an undated fact is open at both ends, so it is in every period.

A fact is in a period when its interval overlaps the period; a period's bounds are
partial dates too, from the first day of `since` to the last day of `until`, either
one open when absent.

Stores compare the stored days, not rewritten ones: the Python predicate (`overlaps`)
and the Cypher conditions (`starts_by`, `ends_from`) below state the rule once for
both backends.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from peacegraph.graph.dates import first_day, last_day
from peacegraph.graph.model import Label, label_of_id

#: Node labels whose facts end with their dates even when no end is given.
BOUNDED: frozenset[Label] = frozenset({Label.EVENT, Label.OBSERVATION})
#: The days an open start or end stands for when an interval is spelled out.
FAR_PAST = "0000-01-01"
FAR_FUTURE = "9999-12-31"


def period(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """A period's bounds as days: the first day `since` may mean, the last day `until`
    may mean; None (open) when absent or empty."""
    return (first_day(since) if since else None, last_day(until) if until else None)


def parameters(since: str | None, until: str | None) -> dict[str, str]:
    """A period as the `$dateFrom` and `$dateTo` of the stores' statements: days, ''
    for an open bound."""
    first, last = period(since, until)
    return {"dateFrom": first or "", "dateTo": last or ""}


def is_bounded(label: Label | None) -> bool:
    """Whether facts of this node label end with their start when no end is given."""
    return label in BOUNDED


def bounded_id(node_id: str) -> bool:
    """`is_bounded` for a node known by its id (ids carry their label's prefix)."""
    return is_bounded(label_of_id(node_id))


def interval(props: Mapping[str, Any], *, bounded: bool) -> tuple[str, str]:
    """A fact's first and last day, with open ends spelled FAR_PAST and FAR_FUTURE.

    `props` holds the stored `dateFrom`, `dateTo` and `endDate` (absent when unset);
    `bounded` says whether the fact is an event or an observation (`is_bounded`)."""
    first, last = props.get("dateFrom"), props.get("dateTo")
    open_end = not bounded and not isinstance(props.get("endDate"), str)
    return (
        first if isinstance(first, str) else FAR_PAST,
        last if isinstance(last, str) and not open_end else FAR_FUTURE,
    )


def overlaps(
    props: Mapping[str, Any], since: str | None, until: str | None, *, bounded: bool
) -> bool:
    """Whether a fact is in the period from day `since` to day `until` (either open)."""
    first, last = interval(props, bounded=bounded)
    return not ((since and last < since) or (until and first > until))


def starts_by(variable: str, parameter: str) -> str:
    """Cypher: the fact bound to `variable` starts on or before the day in `parameter`."""
    return f"({variable}.dateFrom IS NULL OR {variable}.dateFrom <= {parameter})"


def ends_from(variable: str, parameter: str, *, bounded: bool) -> str:
    """Cypher: the fact bound to `variable` ends on or after the day in `parameter`
    (an open end always does)."""
    open_end = "dateTo" if bounded else "endDate"
    return f"({variable}.{open_end} IS NULL OR {variable}.dateTo >= {parameter})"
