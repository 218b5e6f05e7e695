"""Place coordinates in the seed: every place has a point, and a bad one is refused
with its file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from peacegraph.graph.errors import Invalid
from peacegraph.graph.model import Label
from peacegraph.seed import loader
from tests.seed.test_validate import _break, _copy, _refused


def test_every_place_of_the_seed_has_a_point_in_range() -> None:
    places = [n for b in loader.load_bundles() for n in b.nodes if n.label is Label.PLACE]
    assert places
    for place in places:
        latitude, longitude = place.props.get("latitude"), place.props.get("longitude")
        assert isinstance(latitude, float) and -90 <= latitude <= 90, place.id
        assert isinstance(longitude, float) and -180 <= longitude <= 180, place.id
    countries = {p.id: p.props for p in places if p.props.get("kind") == "country"}
    assert all(isinstance(props.get("geonamesId"), int) for props in countries.values())
    assert countries["place:mali"]["geonamesId"] == 2453866


CASES = [
    pytest.param(
        "    latitude: 17.0\n", "    latitude: 97.0\n", "latitude", "between -90 and 90", id="lat"
    ),
    pytest.param(
        "    longitude: -4.0\n",
        "    longitude: -184.0\n",
        "longitude",
        "between -180 and 180",
        id="lon",
    ),
    pytest.param(
        "    latitude: 17.0\n", "", "latitude", "both latitude and longitude", id="half-point"
    ),
    pytest.param(
        "    geonames: 2453866\n",
        '    geonames: "ML"\n',
        "geonames",
        "a GeoNames id",
        id="geonames-not-numeric",
    ),
]


@pytest.mark.parametrize(("old", "new", "field", "message"), CASES)
def test_a_bad_point_is_refused_with_its_line(
    tmp_path: Path, old: str, new: str, field: str, message: str
) -> None:
    folder = _copy(tmp_path)
    line = _break(folder, "places.yaml", old, new)
    error = _refused(folder)
    assert isinstance(error, Invalid)
    assert (error.file, error.field) == ("places.yaml", field), str(error)
    assert error.line is not None and error.line <= line + 1, str(error)
    assert message in str(error)


def test_only_places_carry_coordinates(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _break(folder, "people.yaml", "    kind: person\n", "    kind: person\n    geonames: 1\n")
    error = _refused(folder)
    assert (error.file, error.field) == ("people.yaml", "geonames"), str(error)
    assert "only places carry coordinates" in str(error)
