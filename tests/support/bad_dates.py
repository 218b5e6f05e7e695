"""One table of bad dates and precisions, sent to every write entrance (issue 22).

Each entrance must refuse each row with a validation error naming the field, and
change nothing. Entrances that take a date as `start` (upsert, link) work the
precision out themselves and have no precision input: they get the date rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from peacegraph.graph.records import PropValue


@dataclass(frozen=True)
class BadDate:
    prop: str
    value: str

    def props(self) -> dict[str, PropValue]:
        """The stored properties that carry the bad value."""
        if self.prop == "startPrecision":
            return {"startDate": "2023", "startPrecision": self.value}
        return {self.prop: self.value}

    def __str__(self) -> str:
        return f"{self.prop}={self.value}"


BAD_DATES = (
    BadDate("startDate", "2023-13-45"),
    BadDate("startDate", "0000-00-00"),
    BadDate("startPrecision", "century"),
)
#: The rows an entrance with a `start` input (and no precision input) can be sent.
BAD_STARTS = tuple(bad for bad in BAD_DATES if bad.prop == "startDate")
