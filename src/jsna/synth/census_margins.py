"""Calibrate the synthetic population to another local authority's Census margins.

``jsna synth --margins-from DIR`` reads the tidy census table written by
``jsna fetch census`` (``DIR/census.parquet``: ``area_code``, ``area_name``,
``table``, ``category``, ``count``) and :func:`calibration_from_census`
replaces the Census block of a calibration with that area's figures:

* TS021 ethnic group (required): the 19 group totals. The generator's
  geography is Westminster's 18 wards and their LSOAs, so each group's total
  is shared between those wards in Westminster's proportions (largest
  remainder, so the ward cells add up to the area's total exactly).
* TS009 sex by single year of age: the age × sex margins.
* TS024 main language, TS037 general health, TS038 disability, TS039 unpaid
  care, TS054 tenure, TS066 economic activity: the same blocks as in
  ``westminster.yaml``.

A table the census file does not hold keeps the base calibration's figures,
and the returned notes say so. The wards' age shape (``ward_age_shape``,
Westminster's ONS mid-2019 estimates) stays the base's: it is fitted to the
new ward and age totals, so it only says which wards are older. Everything
else (recording, prevalence, uptake, mortality assumptions) is the base
calibration's.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from jsna.codes import geography
from jsna.errors import InputError
from jsna.synth.calibration import GROUPS, Calibration, _build

__all__ = ["TS021_CATEGORIES", "calibration_from_census"]

_ASIAN = "Asian, Asian British or Asian Welsh: "
_BLACK = "Black, Black British, Black Welsh, Caribbean or African: "
_MIXED = "Mixed or Multiple ethnic groups: "
#: TS021 category label of each of the 19 groups (GROUPS order).
TS021_CATEGORIES: dict[str, str] = {
    "Bangladeshi": _ASIAN + "Bangladeshi",
    "Chinese": _ASIAN + "Chinese",
    "Indian": _ASIAN + "Indian",
    "Pakistani": _ASIAN + "Pakistani",
    "Asian other": _ASIAN + "Other Asian",
    "Black African": _BLACK + "African",
    "Black Caribbean": _BLACK + "Caribbean",
    "Black other": _BLACK + "Other Black",
    "Mixed White and Asian": _MIXED + "White and Asian",
    "Mixed White and Black African": _MIXED + "White and Black African",
    "Mixed White and Black Caribbean": _MIXED + "White and Black Caribbean",
    "Mixed other": _MIXED + "Other Mixed or Multiple ethnic groups",
    "White British": "White: English, Welsh, Scottish, Northern Irish or British",
    "White Irish": "White: Irish",
    "White Gypsy or Irish Traveller": "White: Gypsy or Irish Traveller",
    "Roma": "White: Roma",
    "White other": "White: Other White",
    "Arab": "Other ethnic group: Arab",
    "Any other ethnic group": "Other ethnic group: Any other ethnic group",
}
#: Tables copied category → count into the calibration's ``census`` block.
_BLOCKS = {
    "TS037": "general_health",
    "TS038": "disability",
    "TS039": "unpaid_care",
    "TS054": "tenure_households",
    "TS066": "economic_activity",
}
_LA_PREFIXES = ("E06", "E07", "E08", "E09", "W06")


def _area_rows(census: pd.DataFrame, area: str | None, source: str) -> tuple[pd.DataFrame, str]:
    missing = [
        c
        for c in ("area_code", "area_name", "table", "category", "count")
        if c not in census.columns
    ]
    if missing:
        raise InputError(f"not a census table: no {', '.join(missing)} column", file=source)
    if area is None:
        codes = sorted({c for c in census["area_code"] if str(c).startswith(_LA_PREFIXES)})
        if len(codes) != 1:
            raise InputError(
                "name the local authority: the census table holds "
                + (", ".join(codes) if codes else "no local authority rows"),
                file=source,
                column="area_code",
            )
        area = codes[0]
    rows = census[census["area_code"] == area]
    if rows.empty:
        raise InputError("no rows for this area", file=source, column="area_code", value=area)
    return rows, area


def _apportion(ward_shares: np.ndarray, total: int) -> np.ndarray:
    """Integers in proportion to ``ward_shares`` that add up to ``total`` (largest remainder)."""
    exact = ward_shares / ward_shares.sum() * total
    out = np.floor(exact).astype(np.int64)
    short = total - int(out.sum())
    order = np.argsort(-(exact - out), kind="stable")
    out[order[:short]] += 1
    return out


def _table(rows: pd.DataFrame, table: str) -> Mapping[str, int]:
    part = rows[rows["table"] == table]
    return {str(c): int(n) for c, n in zip(part["category"], part["count"], strict=True)}


def _ages(ts009: Mapping[str, int], sex: str, source: str) -> list[int]:
    labels = [f"{sex}; Aged under 1 year", f"{sex}; Aged 1 year"]
    labels += [f"{sex}; Aged {a} years" for a in range(2, 90)]
    labels.append(f"{sex}; Aged 90 years and over")
    missing = [label for label in labels if label not in ts009]
    if missing:
        raise InputError(
            "TS009 lacks a single-year age", file=source, column="category", value=missing[0]
        )
    return [ts009[label] for label in labels]


def _languages(ts024: Mapping[str, int], base: Calibration) -> list[list[Any]]:
    regions = dict(zip(base.languages, base.language_regions, strict=True))
    parents = {name.split(": ")[0] for name in ts024 if ": " in name}
    out: list[list[Any]] = []
    for name, count in ts024.items():
        if name.startswith("Total") or name in parents:
            continue
        parent, _, leaf = name.partition(": ")
        label = leaf or ("English" if parent.startswith("English") else parent)
        if count == 0 and label not in ("English", "Arabic"):
            continue
        out.append([label, count, regions.get(label, "other")])
    return out


def calibration_from_census(
    census: pd.DataFrame,
    base: Calibration,
    *,
    area: str | None = None,
    source: str = "census.parquet",
) -> tuple[Calibration, list[str]]:
    """``base`` with its Census margins replaced by ``area``'s (default: the one LA in the table).

    Returns the new calibration and notes naming each margin's origin.

    >>> from jsna.synth import load_calibration
    >>> rows = [("E09000007", "Camden", "TS021", TS021_CATEGORIES[g], 1000) for g in GROUPS]
    >>> census = pd.DataFrame(rows, columns=["area_code", "area_name", "table", "category",
    ...                                      "count"])
    >>> cal, notes = calibration_from_census(census, load_calibration())
    >>> int(cal.ward_ethnicity.sum()), cal.raw["name"]
    (19000, 'Synthetic Camden')
    """
    rows, area = _area_rows(census, area, source)
    name = str(rows["area_name"].iloc[0])
    raw = copy.deepcopy(dict(base.raw))
    block = dict(raw["census"])
    notes: list[str] = []

    ts021 = _table(rows, "TS021")
    if not ts021:
        raise InputError(
            "TS021 (ethnic group) is required for the margins",
            file=source,
            column="table",
            value=area,
        )
    missing = [TS021_CATEGORIES[g] for g in GROUPS if TS021_CATEGORIES[g] not in ts021]
    if missing:
        raise InputError(
            "TS021 lacks an ethnic group", file=source, column="category", value=missing[0]
        )
    current = base.ward_ethnicity  # rows in geography.WARDS order
    scaled = np.column_stack(
        [
            _apportion(current[:, g], ts021[TS021_CATEGORIES[group]])
            for g, group in enumerate(GROUPS)
        ]
    )
    block["ward_ethnicity"] = {
        ward: [int(v) for v in scaled[i]] for i, ward in enumerate(geography.WARDS)
    }
    notes.append(
        f"TS021: {area} ethnic group totals ({int(scaled.sum()):,} residents), shared between "
        "Westminster's wards in Westminster's proportions"
    )
    ts009 = _table(rows, "TS009")
    if ts009:
        block["age_female"] = _ages(ts009, "Female", source)
        block["age_male"] = _ages(ts009, "Male", source)
        notes.append(f"TS009: {area} sex by single year of age")
    else:
        notes.append(f"TS009 not in the census table: age × sex margins kept from {base.source}")
    ts024 = _table(rows, "TS024")
    if ts024:
        block["languages"] = _languages(ts024, base)
        notes.append(f"TS024: {area} main languages ({len(block['languages'])} with residents)")
    else:
        notes.append(f"TS024 not in the census table: languages kept from {base.source}")
    for table, key in _BLOCKS.items():
        values = _table(rows, table)
        if values:
            block[key] = values
            notes.append(f"{table}: {area} {key.replace('_', ' ')}")
        else:
            notes.append(
                f"{table} not in the census table: {key.replace('_', ' ')} kept from {base.source}"
            )
    block["source"] = f"ONS Census 2021 for {name} ({area}) from {source}. OGL v3."
    raw["census"] = block
    raw["name"] = f"Synthetic {name}"
    raw["borough_code"] = area
    return _build(raw, f"{source} ({area}) over {base.source}"), notes
