"""Partial dates: a year, a month or a day, kept with their precision.

"2011" means some day in 2011: for range filters it spans 2011-01-01..2011-12-31.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from peacegraph.graph.errors import Invalid

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_partial(value: str, *, field: str) -> tuple[str, str]:
    """Check a partial ISO date; returns it with its precision (year, month or day)."""
    match = _PARTIAL.match(value) if isinstance(value, str) else None
    if match is None:
        raise Invalid(
            f"{field}: {value!r} is not a date like 2023, 2023-09 or 2023-09-05", field=field
        )
    year, month, day = match.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as error:
        raise Invalid(f"{field}: {value!r} is not a real date ({error})", field=field) from None
    precision = "day" if day else "month" if month else "year"
    return value, precision


def first_day(value: str) -> str:
    """The first day a partial date may mean."""
    year, _, rest = value.partition("-")
    month, _, day = rest.partition("-")
    return f"{year}-{month or '01'}-{day or '01'}"


def last_day(value: str) -> str:
    """The last day a partial date may mean."""
    year, _, rest = value.partition("-")
    month, _, day = rest.partition("-")
    if day:
        return value
    if not month:
        return f"{year}-12-31"
    return f"{year}-{month}-{calendar.monthrange(int(year), int(month))[1]:02d}"


def date_props(start: str | None, end: str | None, *, field: str = "") -> dict[str, str | None]:
    """The stored date properties for a start and an optional end.

    Raises Invalid when a date is malformed or the end comes before the start.
    """
    prefix = f"{field}." if field else ""
    if start is None:
        if end is not None:
            raise Invalid(f"{prefix}end: an end needs a start", field=f"{prefix}end")
        return {}
    start, start_precision = parse_partial(start, field=f"{prefix}start")
    props: dict[str, str | None] = {
        "startDate": start,
        "startPrecision": start_precision,
        "dateFrom": first_day(start),
        "dateTo": last_day(start),
    }
    if end is not None:
        end, end_precision = parse_partial(end, field=f"{prefix}end")
        if last_day(end) < first_day(start):
            raise Invalid(f"{prefix}end: {end} is before the start {start}", field=f"{prefix}end")
        props.update(endDate=end, endPrecision=end_precision, dateTo=last_day(end))
    return props
