"""Derive the asset directory's small LSOA 2021 boundary file for Westminster.

Reads the ONS LSOA 2021 boundaries for Westminster (GeoJSON, WGS84, as
republished by drkane/geo-lookups from the ONS Geoportal) and writes
``src/jsna/assets/data/westminster_lsoa21.geojson``: the 123 LSOAs with only
their code and name, each polygon simplified with Douglas–Peucker at 0.00002°
(about 2 m, topology preserved) and coordinates rounded to 5 decimal places
(about 1 m). Used by :mod:`jsna.assets.geography` to place a service's
coordinates in an LSOA; wards come from the report's ward file.

Run once by hand:
``python scripts/assets_derive_lsoa_boundaries.py SOURCE_lsoa.geojson``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from shapely.geometry import mapping, shape

ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v3.0. "
    "Contains OS data © Crown copyright and database right. Simplified by jsna."
)
TARGET = Path(__file__).resolve().parents[1] / "src/jsna/assets/data/westminster_lsoa21.geojson"


def _round(coords: object) -> object:
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], float):
        return [round(coords[0], 5), round(coords[1], 5)]
    return [_round(c) for c in coords]  # type: ignore[union-attr]


def main(source: Path) -> None:
    data = json.loads(source.read_text(encoding="utf-8"))
    features = []
    for feature in sorted(data["features"], key=lambda f: f["properties"]["LSOA21CD"]):
        geometry = shape(feature["geometry"]).simplify(0.00002, preserve_topology=True)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "lsoa21": feature["properties"]["LSOA21CD"],
                    "lsoa21_name": feature["properties"]["LSOA21NM"],
                },
                "geometry": {
                    "type": geometry.geom_type,
                    "coordinates": _round(mapping(geometry)["coordinates"]),
                },
            }
        )
    out = {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features}
    TARGET.write_text(json.dumps(out, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(features)} LSOAs, {TARGET.stat().st_size:,} bytes → {TARGET}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
