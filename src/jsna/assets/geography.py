"""Placing a service location in the borough: coordinates → LSOA 2021 and ward.

Point-in-polygon against two small boundary files derived from ONS boundaries:
the 123 LSOAs of 2021 (``data/westminster_lsoa21.geojson``, simplified to about
2 m by ``scripts/assets_derive_lsoa_boundaries.py``) and the 18 wards of May
2022 (the report's ``westminster_wards.geojson``). Wards are found from their
own boundary, not through the LSOA, because 2022 wards do not follow LSOA
boundaries (see :mod:`jsna.codes.geography`).

Simplification can leave slivers of a few metres between neighbouring
polygons, so a point in no polygon is given the nearest one if it is within
:data:`TOLERANCE_METRES`; farther out it is outside the borough and an
:class:`InputError`. Postcodes are not geocoded: that needs the ONS Postcode
Directory, which jsna does not ship, so a location must carry coordinates.

Boundaries: Source: Office for National Statistics licensed under the Open
Government Licence v3.0; contains OS data © Crown copyright and database right.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import shapely
from shapely.geometry import shape

from jsna.codes.geography import WARDS
from jsna.errors import InputError

__all__ = ["TOLERANCE_METRES", "Place", "locate", "locate_many"]

TOLERANCE_METRES = 25.0
_METRES_PER_DEGREE_LAT = 111_320.0
_LATITUDE = 51.51  # the borough's latitude, for metres per degree of longitude


@dataclass(frozen=True)
class Place:
    """Where a point falls: LSOA 2021 and ward (May 2022)."""

    lsoa21: str
    ward_code: str
    ward_name: str


@cache
def _layer(package: str, name: str, key: str) -> tuple[list[str], shapely.STRtree]:
    text = resources.files(package).joinpath(f"data/{name}").read_text(encoding="utf-8")
    features = json.loads(text)["features"]
    codes = [f["properties"][key] for f in features]
    # work in metres (equirectangular about the borough) so tolerances are in metres
    geometries = [_to_metres(shape(f["geometry"])) for f in features]
    return codes, shapely.STRtree(geometries)


def _to_metres(geometry: shapely.Geometry) -> shapely.Geometry:
    scale = np.array([_METRES_PER_DEGREE_LAT * math.cos(math.radians(_LATITUDE)),
                      _METRES_PER_DEGREE_LAT])  # fmt: skip
    return shapely.transform(geometry, lambda xy: xy * scale)


def _find(layer: tuple[list[str], shapely.STRtree], points: np.ndarray) -> np.ndarray:
    """Index of the polygon holding each point, nearest within tolerance, or -1."""
    tree = layer[1]
    found = np.full(len(points), -1, dtype=np.int64)
    point_index, polygon_index = tree.query(points, predicate="intersects")
    # a point on a shared edge intersects two polygons: keep the first (lowest code)
    for p, g in sorted(zip(point_index.tolist(), polygon_index.tolist(), strict=True)):
        if found[p] == -1:
            found[p] = g
    missing = np.nonzero(found == -1)[0]
    if len(missing):
        near_point, near_polygon = tree.query_nearest(
            points[missing], max_distance=TOLERANCE_METRES, all_matches=False
        )
        found[missing[near_point]] = near_polygon
    return found


def locate_many(
    latitudes: np.ndarray | list[float],
    longitudes: np.ndarray | list[float],
    *,
    file: str | None = None,
    rows: list[int] | None = None,
) -> list[Place]:
    """Place many points at once; the first point outside the borough raises.

    ``rows`` (1-based data rows) name the offending row in the error.

    >>> [p.ward_name for p in locate_many([51.49285, 51.5036], [-0.131681, -0.131529])]
    ['Vincent Square', "St James's"]
    """
    lat = np.asarray(latitudes, dtype=float)
    lon = np.asarray(longitudes, dtype=float)
    for i in range(len(lat)):
        if not (-90 <= lat[i] <= 90 and -180 <= lon[i] <= 180):
            raise InputError("not a WGS84 latitude/longitude", file=file, column="latitude",
                             row=rows[i] if rows else None,
                             value=(float(lat[i]), float(lon[i])))  # fmt: skip
    scale = np.array([_METRES_PER_DEGREE_LAT * math.cos(math.radians(_LATITUDE)),
                      _METRES_PER_DEGREE_LAT])  # fmt: skip
    points = shapely.points(np.column_stack([lon, lat]).reshape(-1, 2) * scale)
    lsoa_codes = _layer("jsna.assets", "westminster_lsoa21.geojson", "lsoa21")
    ward_codes = _layer("jsna.report", "westminster_wards.geojson", "ward_code")
    lsoa = _find(lsoa_codes, points)
    ward = _find(ward_codes, points)
    out = []
    for i in range(len(lat)):
        if lsoa[i] == -1 or ward[i] == -1:
            raise InputError(
                "the point is outside Westminster",
                file=file,
                column="latitude/longitude",
                row=rows[i] if rows else None,
                value=(float(lat[i]), float(lon[i])),
                hint="check the coordinates are WGS84 decimal degrees, latitude first",
            )
        code = ward_codes[0][ward[i]]
        out.append(Place(lsoa21=lsoa_codes[0][lsoa[i]], ward_code=code, ward_name=WARDS[code]))
    return out


def locate(latitude: float, longitude: float) -> Place:
    """LSOA 2021 and ward of one point; :class:`InputError` if outside the borough.

    >>> locate(51.52071, -0.19062).ward_name  # ONS label point of Westbourne ward
    'Westbourne'
    """
    return locate_many([latitude], [longitude])[0]
