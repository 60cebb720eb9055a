"""Shared data for the asset tests: ONS ward label points and a small directory builder."""

from __future__ import annotations

from typing import Any

import pandas as pd

# ONS label points of the May 2022 wards (LAT/LONG attributes of the ONS ward boundary file)
LABEL_POINTS = {
    "Abbey Road": (51.53317, -0.178808),
    "Bayswater": (51.51483, -0.191084),
    "Church Street": (51.52341, -0.170461),
    "Harrow Road": (51.52708, -0.198499),
    "Hyde Park": (51.51313, -0.16838),
    "Knightsbridge & Belgravia": (51.49598, -0.150584),
    "Lancaster Gate": (51.50946, -0.1801),
    "Little Venice": (51.52427, -0.182608),
    "Maida Vale": (51.53013, -0.189266),
    "Marylebone": (51.51886, -0.155293),
    "Pimlico North": (51.49223, -0.142395),
    "Pimlico South": (51.48751, -0.138756),
    "Queen's Park": (51.52928, -0.208763),
    "Regent's Park": (51.5294, -0.160749),
    "St James's": (51.5036, -0.131529),
    "Vincent Square": (51.49285, -0.131681),
    "West End": (51.51382, -0.145408),
    "Westbourne": (51.52071, -0.19062),
}


def service(
    sid: str,
    ward: str,
    types: list[str],
    communities: list[str] = (),  # type: ignore[assignment]
    *,
    languages: list[str] = ("English",),  # type: ignore[assignment]
    location: str | None = None,
) -> dict[str, Any]:
    """One Open Referral UK service at its ward's ONS label point."""
    lat, lon = LABEL_POINTS[ward]
    return {
        "id": sid,
        "name": f"Service {sid}",
        "status": "active",
        "organization": {"id": f"org-{sid}", "name": f"Organisation {sid}"},
        "languages": [{"name": x} for x in languages],
        "attributes": [
            {"taxonomy_term": {"vocabulary": "jsna:service_type", "code": t}} for t in types
        ]
        + [{"taxonomy_term": {"vocabulary": "jsna:community", "code": c}} for c in communities],
        "service_at_locations": [
            {"location": {"id": location or f"loc-{sid}", "latitude": lat, "longitude": lon}}
        ],
    }


def tidy_rows(rows: list[tuple[str, str, str, float, float, str]]) -> pd.DataFrame:
    """Tidy rows from (indicator_id, dimension, category, numerator, denominator, polarity)."""
    frame = pd.DataFrame(
        rows,
        columns=["indicator_id", "dimension", "category", "numerator", "denominator", "polarity"],
    )
    frame["indicator_name"] = frame["indicator_id"]
    frame["age_standardised"] = False
    frame["value"] = 100 * frame["numerator"] / frame["denominator"]
    return frame
