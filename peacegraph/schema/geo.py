"""Where a place lies: its coordinates as GraphQL fields of the Place type.

Kept beside `types` (which is near the module size limit) as a type whose fields
`Place` inherits, reading the same record.
"""

from __future__ import annotations

import strawberry

from peacegraph.graph import records


def _number(props: dict[str, records.PropValue], name: str) -> float | None:
    value = props.get(name)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


@strawberry.type(description="A point on the map, reviewed against GeoNames.")
class Located:
    record: strawberry.Private[records.Node]

    @strawberry.field(description="WGS84 latitude in degrees (north positive), when known.")
    def latitude(self) -> float | None:
        return _number(self.record.props, "latitude")

    @strawberry.field(description="WGS84 longitude in degrees (east positive), when known.")
    def longitude(self) -> float | None:
        return _number(self.record.props, "longitude")

    @strawberry.field(
        description="GeoNames id (geonames.org/<id>) the coordinates were checked against."
    )
    def geonames_id(self) -> int | None:
        value = self.record.props.get("geonamesId")
        return value if isinstance(value, int) and not isinstance(value, bool) else None
