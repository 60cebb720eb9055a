"""Benchmark rows: other areas' figures, kept apart from the borough's own.

A published tidy table (docs/tidy-table.md) may carry, beside the borough's
rows, rows for other areas: its region, its nearest neighbours and England,
as :func:`jsna.sources.connectors.fingertips.benchmark_rows` makes them
(domain ``benchmark``, each compared with England by the Fingertips rule:
the England value outside the area's 95% interval). The report shows them
only in a small "Compared with other areas" table under an indicator's
heading; the borough's charts, group comparisons and the equity scan read the
borough's rows alone (:func:`split_benchmarks`). The explorer and the
workbook list every row, since they carry the area columns.

The report's own area is the area of the rows for the whole borough
(dimension ``all``, area type ``Local authority``) that are not benchmarks.
"""

from __future__ import annotations

import pandas as pd

from jsna.errors import InputError
from jsna.report.formatting import format_interval, format_value

__all__ = [
    "BENCHMARK_DOMAIN",
    "COMPARISON_CAPTION",
    "COMPARISON_HEADERS",
    "LOCAL_AUTHORITY",
    "comparison_rows",
    "own_area",
    "split_benchmarks",
]

BENCHMARK_DOMAIN = "benchmark"
LOCAL_AUTHORITY = "Local authority"
COMPARISON_CAPTION = "Compared with other areas"
COMPARISON_HEADERS = ("Area", "Group", "Period", "Value", "95% CI", "Compared with the benchmark")


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[column].fillna("").astype(str)


def own_area(tidy: pd.DataFrame) -> str | None:
    """The area code of the report's own area, or ``None`` when no row names one.

    The area of the non-benchmark rows with dimension ``all`` and area type
    ``Local authority`` (any area type when the table has no ``area_type``
    column); failing those, of every non-benchmark row. Two such areas are
    refused: the report is about one area.

    >>> t = pd.DataFrame({"domain": ["prevention", "benchmark"], "dimension": ["all", "all"],
    ...                   "area_code": ["E09000033", "E92000001"],
    ...                   "area_type": ["Local authority", "England"]})
    >>> own_area(t)
    'E09000033'
    """
    built = tidy[_text(tidy, "domain") != BENCHMARK_DOMAIN]
    whole = built[_text(built, "dimension") == "all"]
    if "area_type" in tidy.columns:
        whole = whole[_text(whole, "area_type") == LOCAL_AUTHORITY]
    candidates = whole if not whole.empty else built
    codes = list(dict.fromkeys(code for code in _text(candidates, "area_code") if code))
    if len(codes) > 1:
        raise InputError(
            "the tidy table's own rows are for more than one area; other areas' rows must "
            f"be benchmark rows (domain '{BENCHMARK_DOMAIN}')",
            file="tidy table",
            column="area_code",
            value=", ".join(codes),
        )
    return codes[0] if codes else None


def split_benchmarks(tidy: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(own rows, benchmark rows)``: every row lands in exactly one, order kept.

    A benchmark row has domain ``benchmark`` or an area code other than
    :func:`own_area`'s (rows without an area code are the area's own).

    >>> t = pd.DataFrame({"domain": ["prevention", "benchmark", "prevention"],
    ...                   "dimension": ["all", "all", "ward"],
    ...                   "area_code": ["E09000033", "E09000033", "E09000033"]})
    >>> [len(part) for part in split_benchmarks(t)]
    [2, 1]
    """
    other = _text(tidy, "domain") == BENCHMARK_DOMAIN
    code = own_area(tidy)
    if code is not None:
        codes = _text(tidy, "area_code")
        other |= (codes != "") & (codes != code)
    return tidy[~other], tidy[other]


def _compared(row: pd.Series) -> str:
    """'Better than England', 'Similar to England' …, from the row's own significance."""
    significance = str(row["significance"])
    comparator = str(row["comparator"])
    if not comparator or significance == "Not compared":
        return "Not compared (the benchmark)" if not comparator else "Not compared"
    if significance == "Similar":
        return f"Similar to {comparator}"
    return f"{significance} than {comparator}"


def comparison_rows(rows: pd.DataFrame) -> tuple[tuple[str, ...], ...]:
    """One table row per benchmark row, in the table's order (cells as in COMPARISON_HEADERS).

    Values are shown as published, with the 95% interval; the comparison is
    the row's ``significance`` against its ``comparator`` (polarity-aware:
    Better/Worse where the indicator has a direction, Higher/Lower where not).
    """
    body = []
    for _, row in rows.iterrows():
        value_type = str(row["value_type"])
        body.append(
            (
                str(row["area_name"]) or str(row["area_code"]),
                "All" if row["dimension"] == "all" else str(row["category"]),
                str(row["period"]),
                format_value(
                    row["value"], value_type, row["multiplier"], suppressed=bool(row["suppressed"])
                ),
                format_interval(row["lower_95"], row["upper_95"], value_type, row["multiplier"]),
                _compared(row),
            )
        )
    return tuple(body)
