"""Fingertips (OHID public health profiles): indicator data as benchmark rows.

Fingertips publishes every indicator as CSV, from its API
(``https://fingertips.phe.org.uk/api/all_data/csv/by_indicator_id``,
parameters ``indicator_ids``, ``child_area_type_id``,
``parent_area_type_id``) and as the "Export" downloads of the profile
pages; both share one published column contract, :data:`CONTRACT`
(OHID, *Fingertips API* documentation, ``all_data/csv`` endpoints):
indicator, parent and area, sex, age, category type and category, time
period, value, 95% and 99.8% limits, count, denominator, value note, recent
trend, and the published comparisons with England and with the parent.

:func:`read_fingertips_csv` / :func:`fetch_fingertips` check a file or
response against that contract and return it with snake-case columns
(:data:`COLUMNS`). :func:`benchmark_rows` turns the rows of England, the
area's parent region, named neighbours and the area itself into rows of
jsna's tidy table (``docs/tidy-table.md``), each compared with England by
:func:`jsna.methods.compare_to_benchmark` (the Fingertips rule: the
benchmark outside the 95% interval). :func:`merge_benchmarks` appends them
to a built indicator table; :func:`add_benchmarks` does all three for
``jsna build --benchmarks``. The CSV does not say what kind of statistic a
value is, so ``value_type`` is left empty and ``method`` names the source.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from jsna.errors import InputError
from jsna.methods import compare_to_benchmark
from jsna.sources.connectors._csv import csv_rows
from jsna.tidy_table import TIDY_COLUMNS

if TYPE_CHECKING:
    from jsna.sources.connectors.http import Fetched, Fetcher

__all__ = [
    "API",
    "COLUMNS",
    "CONTRACT",
    "ENGLAND",
    "LICENCE",
    "add_benchmarks",
    "benchmark_rows",
    "fetch_fingertips",
    "merge_benchmarks",
    "nearest_neighbours",
    "read_benchmark_map",
    "read_fingertips_csv",
]

API = "https://fingertips.phe.org.uk/api/all_data/csv/by_indicator_id"
NEIGHBOURS_API = "https://fingertips.phe.org.uk/api/areas/by_parent_area_code"
ENGLAND = "E92000001"
LICENCE = "Open Government Licence v3.0"
#: Published column → jsna column, in the published order (all required).
CONTRACT: dict[str, str] = {
    "Indicator ID": "indicator_id",
    "Indicator Name": "indicator_name",
    "Parent Code": "parent_code",
    "Parent Name": "parent_name",
    "Area Code": "area_code",
    "Area Name": "area_name",
    "Area Type": "area_type",
    "Sex": "sex",
    "Age": "age",
    "Category Type": "category_type",
    "Category": "category",
    "Time period": "period",
    "Value": "value",
    "Lower CI 95.0 limit": "lower_95",
    "Upper CI 95.0 limit": "upper_95",
    "Lower CI 99.8 limit": "lower_998",
    "Upper CI 99.8 limit": "upper_998",
    "Count": "count",
    "Denominator": "denominator",
    "Value note": "value_note",
    "Recent Trend": "recent_trend",
    "Compared to England value or percentiles": "compared_to_england",
}
#: Columns that may be present (their absence is not an error).
OPTIONAL: dict[str, str] = {
    "Time period Sortable": "time_period_sortable",
    "New data": "new_data",
    "Compared to goal": "compared_to_goal",
    "Time period range": "time_period_range",
}
_PARENT_COMPARISON = re.compile(r"^Compared to (?!England\b)(.+) value or percentiles$")
_NUMERIC = ("value", "lower_95", "upper_95", "lower_998", "upper_998", "count", "denominator")
COLUMNS: tuple[str, ...] = (
    *CONTRACT.values(),
    "compared_to_parent",
    *OPTIONAL.values(),
)
_MATCH = ["indicator_id", "period", "sex", "age", "category_type", "category"]


def _number(raw: str, *, file: str, column: str, row: int) -> float:
    text = raw.strip().replace(",", "")
    if text == "":
        return np.nan
    try:
        return float(text)
    except ValueError:
        raise InputError(
            "must be a number or empty", file=file, column=column, row=row, value=raw
        ) from None


def parse_fingertips(text: str, source: str) -> pd.DataFrame:
    """Check a Fingertips CSV against :data:`CONTRACT`; return it with :data:`COLUMNS`."""
    header, body = csv_rows(text, source)
    missing = [name for name in CONTRACT if name not in header]
    if missing:
        raise InputError(
            f"not a Fingertips data CSV: no {', '.join(repr(m) for m in missing)} column",
            file=source,
            hint="export the indicator data (CSV) from Fingertips, not the metadata",
        )
    at = {name: i for i, name in enumerate(header)}
    parent = next((i for i, h in enumerate(header) if _PARENT_COMPARISON.match(h)), None)
    out: dict[str, list] = {name: [] for name in COLUMNS}
    for n, row in enumerate(body, start=1):
        for published, name in CONTRACT.items():
            raw = row[at[published]]
            if name in _NUMERIC:
                out[name].append(_number(raw, file=source, column=published, row=n))
            elif name == "indicator_id":
                if not raw.strip().isdigit():
                    raise InputError(
                        "an indicator id is a whole number",
                        file=source,
                        column=published,
                        row=n,
                        value=raw,
                    )
                out[name].append(int(raw))
            else:
                out[name].append(raw.strip())
        out["compared_to_parent"].append(row[parent].strip() if parent is not None else "")
        for published, name in OPTIONAL.items():
            out[name].append(row[at[published]].strip() if published in at else "")
        if not out["area_code"][-1]:
            raise InputError("an area code is required", file=source, column="Area Code", row=n)
    data = pd.DataFrame(out)
    for name in _NUMERIC:
        data[name] = data[name].astype(float)
    data["indicator_id"] = data["indicator_id"].astype("int64")
    return data


def read_fingertips_csv(path: str | Path) -> pd.DataFrame:
    """A Fingertips CSV export, checked against the published contract."""
    target = Path(path)
    try:
        raw = target.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", file=str(target)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"not UTF-8 (byte {error.start})",
            file=str(target),
            hint="save the Fingertips export as UTF-8 CSV",
        ) from None
    return parse_fingertips(text, str(target))


def fetch_fingertips(
    indicators: Sequence[int],
    *,
    area_type: int,
    parent_area_type: int,
    fetcher: Fetcher,
) -> tuple[pd.DataFrame, Fetched]:
    """Indicator data for every area of ``area_type`` (its parents, England) and the response.

    ``area_type`` is a Fingertips area type id (502: districts and unitary
    authorities from April 2021; 402: upper tier), ``parent_area_type`` the
    parent's (6: regions; 15: England).
    """
    ids = sorted({int(i) for i in indicators})
    if not ids or any(i <= 0 for i in ids):
        raise InputError(
            "give one or more positive indicator ids", column="indicators", value=list(indicators)
        )
    fetched = fetcher.get(
        API,
        {
            "indicator_ids": ",".join(map(str, ids)),
            "child_area_type_id": int(area_type),
            "parent_area_type_id": int(parent_area_type),
        },
    )
    data = parse_fingertips(fetched.text(), fetched.url)
    absent = sorted(set(ids) - set(data["indicator_id"]))
    if absent:
        raise InputError(
            f"Fingertips returned no rows for indicator(s) {', '.join(map(str, absent))}",
            file=fetched.url,
            hint="check the ids and that the indicator is published for this area type",
        )
    return data, fetched


def nearest_neighbours(area: str, *, area_type: int, fetcher: Fetcher) -> list[str]:
    """The area's CIPFA nearest neighbours, as Fingertips lists them.

    Fingertips names the group ``nn-1-<area code>`` (1 = CIPFA) and lists its
    members through ``api/areas/by_parent_area_code`` (JSON: one object per
    area with its ``Code``).
    """
    fetched = fetcher.get(
        NEIGHBOURS_API, {"area_type_id": int(area_type), "parent_area_code": f"nn-1-{area}"}
    )
    try:
        areas = json.loads(fetched.text())
        codes = [str(item["Code"]) for item in areas]
    except (ValueError, TypeError, KeyError):
        raise InputError(
            "not a Fingertips list of areas (JSON objects with a Code)", file=fetched.url
        ) from None
    if not codes:
        raise InputError(
            f"Fingertips lists no nearest neighbours for {area} at area type {area_type}",
            file=fetched.url,
            hint="name the comparator areas with --neighbours instead",
        )
    return [code for code in codes if code != area]


def _dimension(sex: str, category_type: str, category: str) -> tuple[str, str]:
    parts: list[tuple[str, str]] = []
    if sex and sex != "Persons":
        parts.append(("sex", sex))
    if category_type:
        parts.append((category_type, category))
    if not parts:
        return "all", "All"
    return "×".join(p[0] for p in parts), " × ".join(p[1] for p in parts)


def benchmark_rows(
    data: pd.DataFrame,
    *,
    area: str,
    neighbours: Iterable[str] = (),
    indicator_ids: Mapping[int, str] | None = None,
    polarity: Mapping[int, str] | None = None,
) -> pd.DataFrame:
    """Tidy rows for ``area``, its parent, ``neighbours`` and England, each compared with England.

    ``indicator_ids`` maps a Fingertips id to the jsna catalogue id (default
    ``fingertips_<id>``); ``polarity`` a Fingertips id to
    ``higher_is_better`` / ``lower_is_better`` (default ``no_judgement``).
    The Fingertips age, value note and published comparison are kept in
    ``note``.
    """
    own = data[data["area_code"] == area]
    if own.empty:
        raise InputError(f"no Fingertips rows for {area}", column="Area Code", value=area)
    parents = sorted({p for p in own["parent_code"] if p and p != ENGLAND})
    wanted = [area, *parents, *[n for n in neighbours if n not in (area, *parents)], ENGLAND]
    missing = [code for code in wanted if not (data["area_code"] == code).any()]
    if missing:
        raise InputError(
            f"no Fingertips rows for {', '.join(missing)}",
            column="Area Code",
            hint="a neighbour must be of the area type asked for",
        )
    rows = data[data["area_code"].isin(wanted)].copy()
    england = data[data["area_code"] == ENGLAND][[*_MATCH, "value"]].rename(
        columns={"value": "england_value"}
    )
    if england.duplicated(_MATCH).any():
        raise InputError(
            "England appears twice for one indicator and period", column="Area Code", value=ENGLAND
        )
    rows = rows.merge(england, on=_MATCH, how="left")
    names = indicator_ids or {}
    polarities = polarity or {}
    rows["polarity"] = [polarities.get(int(i), "no_judgement") for i in rows["indicator_id"]]
    compared = []
    for pol, part in rows.groupby("polarity", sort=True):
        compared.append(
            compare_to_benchmark(
                part, "value", "lower_95", "upper_95", "england_value", polarity=str(pol)
            )
        )
    rows = pd.concat(compared).sort_index()
    is_england = rows["area_code"] == ENGLAND
    dims = [
        _dimension(s, t, c)
        for s, t, c in zip(rows["sex"], rows["category_type"], rows["category"], strict=True)
    ]
    notes = []
    for _, r in rows.iterrows():
        bits = [f"Fingertips indicator {r['indicator_id']}", f"age {r['age']}"]
        if r["value_note"]:
            bits.append(r["value_note"])
        if r["compared_to_england"]:
            bits.append(f"published comparison with England: {r['compared_to_england']}")
        notes.append("; ".join(bits))
    out = pd.DataFrame(
        {
            "indicator_id": [names.get(int(i), f"fingertips_{i}") for i in rows["indicator_id"]],
            "indicator_name": rows["indicator_name"],
            "domain": "benchmark",
            "period": rows["period"],
            "area_code": rows["area_code"],
            "area_name": rows["area_name"],
            "area_type": rows["area_type"],
            "dimension": [d[0] for d in dims],
            "category": [d[1] for d in dims],
            "numerator": rows["count"],
            "denominator": rows["denominator"],
            "value": rows["value"],
            "lower_95": rows["lower_95"],
            "upper_95": rows["upper_95"],
            "lower_998": rows["lower_998"],
            "upper_998": rows["upper_998"],
            "value_type": "",
            "multiplier": np.nan,
            "age_standardised": False,
            "method": "published by OHID Fingertips",
            "polarity": rows["polarity"],
            "comparator": np.where(is_england, "", "England"),
            "ratio_to_comparator": np.where(
                is_england, np.nan, rows["value"] / rows["england_value"]
            ),
            "ratio_lower_95": np.nan,
            "ratio_upper_95": np.nan,
            "difference_to_comparator": np.where(
                is_england, np.nan, rows["value"] - rows["england_value"]
            ),
            "difference_lower_95": np.nan,
            "difference_upper_95": np.nan,
            "p_value": np.nan,
            "q_value": np.nan,
            "significance": np.where(is_england, "Not compared", rows["significance"]),
            "suppressed": False,
            "note": notes,
            "synthetic": False,
        }
    )
    order = {code: i for i, code in enumerate(wanted)}
    out["_order"] = out["area_code"].map(order)
    out = out.sort_values(
        ["indicator_id", "period", "_order", "dimension", "category"], kind="stable"
    )
    return out[TIDY_COLUMNS].reset_index(drop=True)


def merge_benchmarks(indicators: pd.DataFrame, benchmarks: pd.DataFrame) -> pd.DataFrame:
    """The built indicator table with the benchmark rows appended (same columns).

    A benchmark row with the same indicator, period, area, dimension,
    category and value type as a built row is refused: the area's own
    figure must come from one place.
    """
    for name, frame in (("indicators", indicators), ("benchmarks", benchmarks)):
        missing = [c for c in TIDY_COLUMNS if c not in frame.columns]
        if missing:
            raise InputError(f"not a tidy table: no {', '.join(missing)} column", file=name)
    key = [
        "indicator_id",
        "period",
        "area_code",
        "dimension",
        "category",
        "value_type",
        "age_standardised",
    ]
    clash = benchmarks.merge(indicators[key], on=key, how="inner")
    if not clash.empty:
        first = clash.iloc[0]
        raise InputError(
            "a benchmark row repeats a built row",
            file="benchmarks",
            column="indicator_id",
            value=f"{first['indicator_id']} {first['period']} {first['area_code']}",
        )
    return pd.concat([indicators[TIDY_COLUMNS], benchmarks[TIDY_COLUMNS]], ignore_index=True)


def read_benchmark_map(path: str | Path) -> dict[int, str]:
    """A CSV of ``fingertips_id,indicator_id``: which catalogue indicator each export is."""
    target = Path(path)
    try:
        text = target.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", file=str(target)) from None
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 (byte {error.start})", file=str(target)) from None
    header, body = csv_rows(text, str(target))
    if header[:2] != ["fingertips_id", "indicator_id"]:
        raise InputError(
            "the first two columns must be fingertips_id,indicator_id",
            file=str(target),
            value=",".join(header),
        )
    mapping: dict[int, str] = {}
    for n, row in enumerate(body, start=1):
        if len(row) < 2:
            raise InputError(
                "expected fingertips_id,indicator_id", file=str(target), row=n, value=",".join(row)
            )
        raw, indicator = row[0].strip(), row[1].strip()
        if not raw.isdigit():
            raise InputError(
                "a Fingertips indicator id is a whole number",
                file=str(target),
                column="fingertips_id",
                row=n,
                value=row[0],
            )
        if not indicator or int(raw) in mapping:
            raise InputError(
                "each Fingertips id maps to one indicator id once",
                file=str(target),
                column="indicator_id" if not indicator else "fingertips_id",
                row=n,
                value=row[1] if not indicator else row[0],
            )
        mapping[int(raw)] = indicator
    return mapping


def add_benchmarks(
    table: pd.DataFrame,
    exports: Sequence[str | Path],
    *,
    mapping: Mapping[int, str] | None = None,
) -> pd.DataFrame:
    """``table`` with benchmark rows from Fingertips ``exports`` appended (``jsna build``).

    The area is the table's own (:func:`jsna.report.benchmarks.own_area`);
    the exports give it, its region and England. A mapped indicator takes the
    polarity of the table's own rows of that indicator, so "Better"/"Worse"
    follow the catalogue; unmapped ones keep ``fingertips_<id>`` and no
    judgement.
    """
    from jsna.report.benchmarks import own_area

    area = own_area(table)
    if area is None:
        raise InputError("the built table names no area to benchmark", column="area_code")
    data = pd.concat([read_fingertips_csv(path) for path in exports], ignore_index=True)
    ids = dict(mapping or {})
    polarities = dict(zip(table["indicator_id"].astype(str), table["polarity"], strict=True))
    polarity = {fid: str(polarities[i]) for fid, i in ids.items() if i in polarities}
    rows = benchmark_rows(data, area=area, indicator_ids=ids, polarity=polarity)
    return merge_benchmarks(table, rows)
