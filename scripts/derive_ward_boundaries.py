"""Derive the report's small ward-boundary file from the public ONS boundaries.

Reads the ONS ward boundaries for Westminster (GeoJSON, WGS84, as republished
by drkane/geo-lookups from the ONS Geoportal) and writes
``src/jsna/report/data/westminster_wards.geojson``: the 18 wards with only
their code and name, coordinates rounded to 5 decimal places (about 1 m),
consecutive duplicate points removed, and every ring oriented clockwise,
which is the winding Vega-Lite's d3-geo expects (counter-clockwise rings are
drawn as the whole globe, see the project's STACK notes).

Run once by hand: ``python scripts/derive_ward_boundaries.py SOURCE.geojson``.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v3.0. "
    "Contains OS data © Crown copyright and database right. Simplified and reoriented by jsna."
)
TARGET = Path(__file__).resolve().parents[1] / "src/jsna/report/data/westminster_wards.geojson"


def signed_area(ring: list[list[float]]) -> float:
    """Shoelace formula: positive for counter-clockwise rings in (x, y)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2


def clean_ring(ring: list[list[float]]) -> list[list[float]]:
    """Round to 5 d.p., drop repeated points, close the ring, orient it clockwise."""
    out: list[list[float]] = []
    for x, y in ring:
        point = [round(x, 5), round(y, 5)]
        if not out or out[-1] != point:
            out.append(point)
    if out[0] != out[-1]:
        out.append(out[0])
    return out[::-1] if signed_area(out) > 0 else out


def derive(source: Path) -> dict:
    data = json.loads(source.read_text(encoding="utf-8"))
    features = []
    for feature in sorted(data["features"], key=lambda f: f["properties"]["WD25CD"]):
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        rings = [[clean_ring(ring) for ring in polygon] for polygon in polygons]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "ward_code": feature["properties"]["WD25CD"],
                    "ward_name": feature["properties"]["WD25NM"],
                },
                "geometry": (
                    {"type": "Polygon", "coordinates": rings[0]}
                    if len(rings) == 1
                    else {"type": "MultiPolygon", "coordinates": rings}
                ),
            }
        )
    return {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features}


if __name__ == "__main__":
    collection = derive(Path(sys.argv[1]))
    TARGET.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes, {len(collection['features'])} wards)")
