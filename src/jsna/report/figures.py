"""Figures: one chart (or ward map), its alt text and the data table behind it.

A figure shows one indicator across the groups of one dimension. When the
tidy table holds an age-standardised variant the chart shows it (groups
differ in age structure, so comparisons default to standardised rates) and
the data table puts crude and standardised values side by side with the
ratio to the reference group. Alt text is written from the same rows: what
is shown, the highest and lowest groups, and how many groups differ from the
reference. Every published row of the figure's slice appears in its data
table, including suppressed ones, so nothing is silently dropped.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from jsna.report.charts import (
    SIGNIFICANCE_STYLE,
    contribution_chart,
    dot_interval_chart,
    ward_boundaries,
    ward_key,
    ward_map,
)
from jsna.report.formatting import (
    GAP_CONTRIBUTION,
    format_count,
    format_interval,
    format_ratio,
    format_value,
    is_missing,
    slugify,
    unit_label,
)
from jsna.report.sections import INTERSECTION

__all__ = [
    "DataTable",
    "Figure",
    "Row",
    "dimension_label",
    "gap_sentence",
    "indicator_figure",
    "records",
    "variant_label",
]

DIMENSION_LABELS = {
    "all": "the whole borough",
    "ethnicity_19": "ethnic group (19 groups)",
    "ethnicity_5": "ethnic group (5 groups)",
    "global_majority": "Global Majority or White",
    "ward": "ward",
    "imd_quintile": "deprivation quintile (IMD 2019, within the borough)",
    "sex": "sex",
    "age_band": "age band",
    "cause": "cause of death",
    "main_language": "main language",
}
BOROUGH_COMPARATORS = {"All", "all", "Borough"}
# one tidy row: a pandas row or a plain record (records() is much faster than iterrows)
Row = pd.Series | Mapping[str, Any]
NO_CHART = (
    "No group has a published value, so there is no chart; the table's notes say why "
    "(for example too few people or deaths for a stable figure)."
)


@dataclass(frozen=True)
class DataTable:
    """A table for people: caption, column headers and formatted cells.

    The first cell of each row is the row's header (``<th scope="row">``).
    """

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Figure:
    """One chart with its text alternative and the data behind it.

    ``kind`` is ``chart``, ``map`` or ``table`` (no value to draw: ``spec`` is
    empty and ``alt`` says why there is no chart).
    """

    figure_id: str
    title: str
    alt: str
    kind: str
    spec: dict[str, Any]
    table: DataTable
    note: str = ""


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a frame as dicts, in order."""
    return frame.to_dict("records")


def dimension_label(dimension: str) -> str:
    """Readable name of a dimension; intersections joined with 'and'.

    >>> dimension_label("ethnicity_5×imd_quintile")
    'ethnic group (5 groups) and deprivation quintile (IMD 2019, within the borough)'
    """
    parts = dimension.split(INTERSECTION)
    return " and ".join(DIMENSION_LABELS.get(p, p.replace("_", " ")) for p in parts)


def variant_label(row: Row) -> str:
    """'age-standardised rate', 'proportion' … with its unit: 'proportion, %'."""
    unit = unit_label(str(row["value_type"]), row["multiplier"])
    return f"{row['value_type']}, {unit}" if unit else str(row["value_type"])


def _comparison(value: Any) -> str:
    return "Not compared" if is_missing(value) or value == "" else str(value)


def _value_cell(row: Row | None) -> tuple[str, str]:
    if row is None:
        return "", ""
    value = format_value(
        row["value"], row["value_type"], row["multiplier"], suppressed=bool(row["suppressed"])
    )
    ci = format_interval(row["lower_95"], row["upper_95"], row["value_type"], row["multiplier"])
    return value, ci


def _reference_value(
    charted: pd.DataFrame, borough: pd.DataFrame, comparator: str
) -> tuple[float | None, str]:
    """The comparator's value for the dashed reference line, if it is in the table."""
    match = charted[charted["category"] == comparator]
    if comparator in BOROUGH_COMPARATORS and match.empty:
        match = borough
    if match.empty or is_missing(match["value"].iloc[0]):
        return None, ""
    return float(match["value"].iloc[0]), f"{comparator}" if comparator else "Borough"


def _extremes(charted: pd.DataFrame) -> str:
    present = charted[~charted["value"].map(is_missing)]
    if present.empty:
        return "No group has a published value."
    top = present.loc[present["value"].astype(float).idxmax()]
    bottom = present.loc[present["value"].astype(float).idxmin()]

    def text(row: Row) -> str:
        value = format_value(row["value"], row["value_type"], row["multiplier"])
        return f"{row['category']} ({value})"

    return f"Highest: {text(top)}; lowest: {text(bottom)}."


def _alt_text(
    kind: str, indicator: pd.Series, dimension: str, charted: pd.DataFrame, comparator: str
) -> str:
    what = variant_label(charted.iloc[0])
    if kind == "map":
        opening = (
            f"Map of wards shaded by {indicator['indicator_name']} ({what}), "
            f"{indicator['period']}; darker purple is lower, yellow is higher."
        )
    else:
        opening = (
            f"Dot chart of {indicator['indicator_name']} ({what}), {indicator['period']}, "
            f"by {dimension_label(dimension)}, with 95% confidence intervals."
        )
    parts = [opening, _extremes(charted)]
    missing = int(charted["value"].map(is_missing).sum())
    if missing:
        parts.append(f"{missing} of {len(charted)} groups have no published value.")
    counts = Counter(_comparison(v) for v in charted["significance"])
    compared = {k: v for k, v in counts.items() if k != "Not compared"}
    if comparator and compared:
        summary = ", ".join(f"{n} {word.lower()}" for word, n in sorted(compared.items()))
        parts.append(f"Compared with {comparator}: {summary}.")
    return " ".join(parts)


def _table(
    indicator: pd.Series,
    dimension: str,
    crude: pd.DataFrame,
    standardised: pd.DataFrame,
    comparator: str,
) -> DataTable:
    ratio_source = standardised if not standardised.empty else crude
    categories = list(dict.fromkeys([*crude["category"], *standardised["category"]]))
    by_crude = {r["category"]: r for r in records(crude)}
    by_std = {r["category"]: r for r in records(standardised)}
    by_ratio = {r["category"]: r for r in records(ratio_source)}
    headers = ["Group"]
    if not crude.empty:
        headers += [f"Crude ({variant_label(crude.iloc[0])})", "Crude 95% CI"]
    if not standardised.empty:
        headers += [
            f"Age-standardised ({variant_label(standardised.iloc[0])})",
            "Age-standardised 95% CI",
        ]
    if comparator:
        headers += [f"Ratio to {comparator} (95% CI)", "Compared with the reference"]
    headers += ["Numerator", "Denominator", "Note"]
    rows = []
    for category in categories:
        first = by_crude.get(category, by_std.get(category))
        cells = [str(category)]
        if not crude.empty:
            cells += _value_cell(by_crude.get(category))
        if not standardised.empty:
            cells += _value_cell(by_std.get(category))
        if comparator:
            ratio_row = by_ratio.get(category)
            if ratio_row is None:
                cells += ["", ""]
            else:
                cells += [
                    format_ratio(
                        ratio_row["ratio_to_comparator"],
                        ratio_row["ratio_lower_95"],
                        ratio_row["ratio_upper_95"],
                    ),
                    _comparison(ratio_row["significance"]),
                ]
        suppressed = bool(first["suppressed"])
        notes = [
            str(r["note"])
            for r in (by_crude.get(category), by_std.get(category))
            if r is not None and not is_missing(r["note"]) and str(r["note"])
        ]
        cells += [
            format_count(first["numerator"], suppressed=suppressed),
            format_count(first["denominator"], suppressed=suppressed),
            " ".join(dict.fromkeys(notes)),
        ]
        rows.append(tuple(cells))
    caption = (
        f"{indicator['indicator_name']} by {dimension_label(dimension)}, {indicator['period']}"
    )
    return DataTable(caption=caption, headers=tuple(headers), rows=tuple(rows))


def indicator_figure(rows: pd.DataFrame, borough: pd.DataFrame, dimension: str) -> Figure:
    """The figure for one indicator's rows of one dimension.

    ``rows`` are the tidy rows of one indicator and period for ``dimension``
    (crude and, if any, age-standardised); ``borough`` its rows for dimension
    ``all`` (used as the reference line when the comparator is the borough).
    Ward figures are maps; contributions to a life-expectancy gap are bar
    charts; all others dot-and-interval charts.
    """
    indicator = rows.iloc[0]
    if indicator["value_type"] == GAP_CONTRIBUTION:
        return _contribution_figure(rows, dimension)
    standardised = rows[rows["age_standardised"]]
    crude = rows[~rows["age_standardised"]]
    charted = standardised if not standardised.empty else crude
    comparators = [c for c in charted["comparator"] if not is_missing(c) and str(c)]
    comparator = Counter(comparators).most_common(1)[0][0] if comparators else ""
    first = charted.iloc[0]
    value_title = variant_label(first).capitalize()
    kind = "map" if dimension == "ward" else "chart"
    title = f"{indicator['indicator_name']} by {dimension_label(dimension)}"
    table = _table(indicator, dimension, crude, standardised, comparator)
    figure_id = "--".join(
        slugify(str(part)) for part in (indicator["indicator_id"], indicator["period"], dimension)
    )
    if charted["value"].map(is_missing).all():
        # nothing to draw: the table alone, whose notes say why each value is missing
        return Figure(figure_id, title, NO_CHART, "table", {}, table)
    alt_text = _alt_text(kind, indicator, dimension, charted, comparator)

    def label(row: Row) -> str:
        value = format_value(
            row["value"], row["value_type"], row["multiplier"], suppressed=bool(row["suppressed"])
        )
        ci = format_interval(row["lower_95"], row["upper_95"], row["value_type"], row["multiplier"])
        return f"{value} ({ci})" if ci else value

    def number(value: Any) -> float | None:
        """A drawable number: missing and infinite (open-ended interval) values are None."""
        return None if is_missing(value) or math.isinf(float(value)) else float(value)

    if kind == "map":
        values = {
            ward_key(str(r["category"])): {"value": number(r["value"]), "label": label(r)}
            for r in records(charted)
        }
        spec = ward_map(values, description=alt_text, value_title=value_title)
    else:
        borough_variant = borough[borough["age_standardised"] == bool(first["age_standardised"])]
        reference, reference_label = _reference_value(charted, borough_variant, comparator)
        points = [
            {
                "group": str(r["category"]),
                "value": number(r["value"]),
                "lower": number(r["lower_95"]),
                "upper": number(r["upper_95"]),
                "comparison": (
                    "Reference group"
                    if comparator and r["category"] == comparator
                    else _comparison(r["significance"])
                ),
                "label": label(r),
            }
            for r in records(charted)
        ]
        unknown = {p["comparison"] for p in points} - set(SIGNIFICANCE_STYLE)
        if unknown:
            raise AssertionError(f"significance values not validated: {sorted(unknown)}")
        spec = dot_interval_chart(
            points,
            description=alt_text,
            value_title=value_title,
            reference=reference,
            reference_label=reference_label,
            zero=first["value_type"] not in {"life expectancy", "healthy life expectancy"},
        )
    note = _map_note(charted) if kind == "map" else ""
    return Figure(figure_id, title, alt_text, kind, spec, table, note)


def gap_sentence(note: Any) -> str:
    """A decomposition row's note as a sentence ('' when there is none)."""
    if is_missing(note) or not str(note):
        return ""
    text = str(note)
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _contribution_figure(rows: pd.DataFrame, dimension: str) -> Figure:
    """Bars of a gap's contributions by age band or cause, the table, the gap as the note."""
    first = rows.iloc[0]
    name, period = first["indicator_name"], first["period"]
    title = f"{name}: contributions by {dimension_label(dimension)}"
    figure_id = "--".join(slugify(str(part)) for part in (first["indicator_id"], period, dimension))

    def label(row: Row) -> str:
        return format_value(row["value"], row["value_type"], row["multiplier"])

    table = DataTable(
        caption=f"{name}: contributions by {dimension_label(dimension)}, {period}",
        headers=(dimension_label(dimension).capitalize(), "Contribution to the gap (years)"),
        rows=tuple((str(r["category"]), label(r)) for r in records(rows)),
    )
    note = gap_sentence(first["note"])
    if rows["value"].map(is_missing).all():
        return Figure(figure_id, title, note or NO_CHART, "table", {}, table)
    alt_text = (
        f"Bar chart of {name}, {period}: the contribution of each "
        f"{dimension_label(dimension)} in years; bars to the right widen the gap, bars to the "
        f"left narrow it, and together they sum to the gap. {_extremes(rows)}"
    )
    points = [
        {
            "group": str(r["category"]),
            "value": None if is_missing(r["value"]) else float(r["value"]),
            "label": label(r),
        }
        for r in records(rows)
    ]
    spec = contribution_chart(
        points, description=alt_text, value_title="Contribution to the gap (years)"
    )
    return Figure(figure_id, title, alt_text, "chart", spec, table, note)


def _map_note(charted: pd.DataFrame) -> str:
    """What the map cannot show: wards in grey, and groups that are not a mapped ward."""
    on_map = {ward_key(f["properties"]["ward_name"]) for f in ward_boundaries()["features"]}
    valued = {ward_key(str(r["category"])) for r in records(charted) if not is_missing(r["value"])}
    grey = len(on_map - valued)
    off_map = [str(c) for c in charted["category"] if ward_key(str(c)) not in on_map]
    parts = []
    if grey:
        parts.append(
            f"{grey} ward{'s' if grey > 1 else ''} in grey {'have' if grey > 1 else 'has'} no "
            "published value; the data table's notes say why."
        )
    if off_map:
        parts.append(f"Not on the map, in the data table only: {', '.join(off_map)}.")
    return " ".join(parts)
