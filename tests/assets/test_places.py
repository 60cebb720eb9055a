"""Coordinates → LSOA and ward, checked against ONS label points and S1's LSOA lookup."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from shapely.geometry import shape

from jsna.assets import locate, locate_many
from jsna.codes.geography import ward_lookup
from jsna.errors import InputError

from .conftest import LABEL_POINTS


@pytest.mark.parametrize(("ward", "point"), sorted(LABEL_POINTS.items()))
def test_each_ons_ward_label_point_falls_in_its_ward(ward: str, point: tuple) -> None:
    assert locate(*point).ward_name == ward


def test_lsoas_wholly_inside_a_ward_agree_with_the_lookup() -> None:
    text = resources.files("jsna.assets").joinpath("data/westminster_lsoa21.geojson").read_text()
    features = json.loads(text)["features"]
    assert len(features) == 123
    lookup = ward_lookup()
    inside = lookup[lookup["area_share"] > 0.99].set_index("lsoa21")["ward_name"]
    points = {
        f["properties"]["lsoa21"]: shape(f["geometry"]).representative_point()
        for f in features
        if f["properties"]["lsoa21"] in inside.index
    }
    assert len(points) == 59  # LSOAs with over 99% of their area in one ward
    places = locate_many([p.y for p in points.values()], [p.x for p in points.values()])
    for (code, _), place in zip(points.items(), places, strict=True):
        assert place.lsoa21 == code
        assert place.ward_name == inside[code]


@pytest.mark.parametrize(
    "point",
    [(51.4613, -0.1156), (51.5155, -0.0922), (53.4808, -2.2426), (-0.17, 51.52)],
    ids=["Brixton", "City of London", "Manchester", "latitude and longitude swapped"],
)
def test_points_outside_the_borough_are_refused(point: tuple) -> None:
    with pytest.raises(InputError, match="outside Westminster"):
        locate_many([point[0]], [point[1]], file="dir.csv", rows=[7])


def test_the_error_names_the_row() -> None:
    with pytest.raises(InputError) as caught:
        locate_many([51.52341, 51.4613], [-0.170461, -0.1156], file="dir.csv", rows=[1, 2])
    assert (caught.value.file, caught.value.row) == ("dir.csv", 2)


def test_impossible_coordinates() -> None:
    with pytest.raises(InputError, match="not a WGS84"):
        locate(151.5, -0.17)
