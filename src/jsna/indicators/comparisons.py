"""Comparator columns: every group against its dimension's reference group.

The reference per dimension comes from the build configuration
(:attr:`jsna.config.BuildConfig.reference`):

* a group label (White British for ``ethnicity_19``, White for
  ``ethnicity_5`` and ``global_majority``, ``5 (least deprived)`` for
  ``imd_quintile``): each group is compared with that group, which is
  independent of it — :func:`jsna.methods.compare_to_reference` (Katz log
  ratio for proportions, exact conditional ratio for rates, Dobson-based
  ratio for DSRs);
* ``All``: each group is compared with the whole area's (``all``) row. The
  group is part of the area, so the comparison is not between independent
  samples and is conservative; the ``note`` says so.

An intersection ``A×B`` compares, within each category of B, against A's
reference (Black × 1 (most deprived) against White × 1 (most deprived)).
Life expectancy and healthy life expectancy have no counts to compare, so
they use :func:`jsna.methods.compare_estimates` (normal approximation from
the two 95% intervals). Population shares are not compared (the groups
partition one total). ``q_value`` is the Benjamini–Hochberg adjustment
(:func:`jsna.methods.fdr`) over the indicator's comparisons in one dimension
and value type; ``significance`` reads the 95% ratio interval (the
difference interval for life tables) with the indicator's polarity
(Fingertips' Better/Similar/Worse).

All strata of one indicator and value type go through a single
``compare_to_reference`` call: each cell's reference row is relabelled to a
shared marker, so one call compares every group with its own reference.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from jsna.config import ALL_REFERENCE
from jsna.engine.margins import ALL, INTERSECTION, LABEL_JOIN
from jsna.indicators.models import Indicator
from jsna.indicators.statistics import KEYS, esp_standard
from jsna.methods import compare_estimates, compare_to_reference, fdr
from jsna.tidy_table import COMPARISON_STATISTICS

__all__ = ["COMPARISON_COLUMNS", "comparator_labels", "compare", "significance"]

COMPARISON_COLUMNS = ["comparator", *COMPARISON_STATISTICS, "significance", "comparison_note"]

_ALL_NOTE = (
    "compared with the area as a whole, which includes this group (not independent: conservative)"
)
# Stands for each cell's reference group in the single compare_to_reference call.
_MARKER = "(reference)"


def significance(lower: np.ndarray, upper: np.ndarray, null: float, polarity: str) -> np.ndarray:
    """Fingertips-style label from an interval for a ratio (null 1) or difference (null 0).

    >>> significance(np.array([1.1, 0.5, np.nan]), np.array([1.3, 1.2, np.nan]), 1.0,
    ...              "lower_is_better").tolist()
    ['Worse', 'Similar', 'Not compared']
    """
    higher, lower_word = {
        "higher_is_better": ("Better", "Worse"),
        "lower_is_better": ("Worse", "Better"),
    }.get(polarity, ("Higher", "Lower"))
    out = np.full(len(lower), "Not compared", dtype=object)
    known = ~(np.isnan(lower) | np.isnan(upper))
    out[known] = "Similar"
    out[known & (lower > null)] = higher
    out[known & (upper < null)] = lower_word
    return out


def _first_label(frame: pd.DataFrame) -> pd.Series:
    """The first dimension's label of each category (the whole label for one dimension)."""
    labels = {c: c.split(LABEL_JOIN, 1)[0] for c in frame["category"].unique()}
    return frame["category"].map(labels)


def comparator_labels(frame: pd.DataFrame, references: Mapping[str, str], area: str) -> pd.Series:
    """What each row is compared with: the area, ``ref`` or ``ref × within``."""
    label = frame["dimension"].map(references)
    against_area = label == ALL_REFERENCE
    crossed = frame["dimension"].str.contains(INTERSECTION, regex=False)
    out = label.where(~crossed, label + LABEL_JOIN + frame["within"])
    return out.where(~against_area, area)


def _is_reference(frame: pd.DataFrame, references: Mapping[str, str]) -> pd.Series:
    label = frame["dimension"].map(references)
    return (label != ALL_REFERENCE) & (_first_label(frame) == label)


def _marked(data: pd.DataFrame, area: pd.DataFrame, references: Mapping[str, str]) -> pd.DataFrame:
    """Count rows with a ``group`` column: the marker on each cell's reference row.

    Strata compared with the area get the area's counts appended as their marker row.
    """
    data = data.assign(group=data["category"].where(~_is_reference(data, references), _MARKER))
    area_strata = [d for d in data["dimension"].unique() if references[d] == ALL_REFERENCE]
    if not area_strata:
        return data.reset_index(drop=True)
    repeated = area.loc[area.index.repeat(len(area_strata))].reset_index(drop=True)
    repeated["dimension"] = np.tile(area_strata, len(area))
    repeated["category"], repeated["within"], repeated["group"] = ALL_REFERENCE, "", _MARKER
    return pd.concat([data, repeated], ignore_index=True)


def _from_counts(
    data: pd.DataFrame,
    area: pd.DataFrame,
    references: Mapping[str, str],
    indicator: Indicator,
    statistic: str,
) -> pd.DataFrame:
    """One compare_to_reference call over every stratum's count rows."""
    marked = _marked(data, area, references)
    extra = {"age": "age_band", "standard": esp_standard(indicator)} if statistic == "dsr" else {}
    out = compare_to_reference(
        marked.drop(columns=["category"]),
        "group",
        reference=_MARKER,
        statistic=statistic,
        x="numerator",
        n="denominator",
        by=["dimension", "within"],
        confidence=0.95,
        multiplier=indicator.multiplier,
        **extra,
    )
    categories = marked.drop_duplicates(["dimension", "within", "group"])
    out = out.merge(
        categories[["dimension", "within", "group", "category"]],
        on=["dimension", "within", "group"],
        how="left",
    )
    out = out[out["category"] != ALL_REFERENCE]
    return out.rename(
        columns={"ratio": "ratio_to_comparator", "difference": "difference_to_comparator"}
    )


def _from_estimates(
    rows: pd.DataFrame, area_rows: pd.DataFrame, references: Mapping[str, str]
) -> pd.DataFrame:
    """Life-table gaps from values and 95% intervals (compare_estimates)."""
    cols = ["value", "lower_95", "upper_95"]
    label = rows["dimension"].map(references)
    crossed = rows["dimension"].str.contains(INTERSECTION, regex=False)
    wanted = label.where(~crossed, label + LABEL_JOIN + rows["within"])
    lookup = rows.set_index(["dimension", "category"])[cols]
    ref = lookup.reindex(pd.MultiIndex.from_arrays([rows["dimension"], wanted]))
    ref = ref.reset_index(drop=True)
    against_area = (label == ALL_REFERENCE).to_numpy()
    area_values = area_rows[cols].iloc[0].to_numpy(float) if len(area_rows) else [np.nan] * 3
    ref.loc[against_area, cols] = area_values
    args = [rows[c].to_numpy(float) for c in cols] + [ref[c].to_numpy(float) for c in cols]
    diff = compare_estimates(*args, scale="linear")
    ratio = compare_estimates(*args, scale="log")
    out = rows[KEYS].reset_index(drop=True)
    out["ratio_to_comparator"] = ratio.estimate
    out["ratio_lower_95"], out["ratio_upper_95"] = ratio.lower, ratio.upper
    out["difference_to_comparator"] = diff.estimate
    out["difference_lower_95"], out["difference_upper_95"] = diff.lower, diff.upper
    out["p_value"] = diff.p_value
    present = (against_area | wanted.isin(rows["category"]).to_numpy()) & ~np.isnan(
        ref["value"].to_numpy(float)
    )
    is_ref = _is_reference(out, references).to_numpy()
    out.loc[is_ref, ["ratio_lower_95", "ratio_upper_95", "p_value"]] = np.nan
    out.loc[is_ref, ["difference_lower_95", "difference_upper_95"]] = np.nan
    out.loc[is_ref, "ratio_to_comparator"] = 1.0
    out.loc[is_ref, "difference_to_comparator"] = 0.0
    out["note"] = np.where(
        is_ref, "reference group", np.where(present, None, "reference value not available")
    )
    return out


def compare(
    rows: pd.DataFrame,
    data: pd.DataFrame | None,
    area: pd.DataFrame | None,
    indicator: Indicator,
    references: Mapping[str, str],
    area_name: str,
    *,
    standardised: bool,
) -> pd.DataFrame:
    """Comparator columns for one indicator and value type, keyed by dimension/category/within.

    ``rows`` are the statistic rows of every stratum (``all`` included);
    ``data`` their count rows (``numerator``, ``denominator``; by ``age_band``
    when ``standardised``) and ``area`` the ``all`` stratum's, both None for
    life tables (compared from their intervals); ``references`` maps each
    stratum to its reference label (``All`` for the area row).
    """
    out = rows[KEYS].copy()
    compared = rows[rows["dimension"] != ALL]
    if indicator.denominator.scope == "area" or compared.empty:
        note = "population share: groups partition one total, not compared"
        out["comparator"] = ""
        out[list(COMPARISON_STATISTICS)] = np.nan
        out["significance"] = "Not compared"
        out["comparison_note"] = np.where(
            (out["dimension"] != ALL) & (indicator.denominator.scope == "area"), note, None
        )
        return out
    if data is None or area is None:
        found = _from_estimates(compared, rows[rows["dimension"] == ALL], references)
        lower, upper, null = "difference_lower_95", "difference_upper_95", 0.0
    else:
        if standardised:
            statistic = "dsr"
        else:
            statistic = "proportion" if indicator.statistic == "proportion" else "rate"
        groups = data[data["dimension"] != ALL]
        keep = groups.set_index(KEYS).index.isin(compared.set_index(KEYS).index)
        found = _from_counts(
            groups[keep], area.drop(columns=KEYS), references, indicator, statistic
        )
        lower, upper, null = "ratio_lower_95", "ratio_upper_95", 1.0
    found = found.reset_index(drop=True)
    found["comparator"] = comparator_labels(found, references, area_name)
    p_values = found["p_value"].to_numpy(float)
    q_values = np.full(len(found), np.nan)
    for index in found.groupby("dimension", sort=False).indices.values():
        q_values[index] = fdr(p_values[index])
    found["q_value"] = q_values
    found["significance"] = significance(
        found[lower].to_numpy(float), found[upper].to_numpy(float), null, indicator.polarity
    )
    area_rows = (found["dimension"].map(references) == ALL_REFERENCE).to_numpy()
    notes = []
    for text, against_area in zip(found["note"], area_rows, strict=True):
        parts = [text.replace(repr(_MARKER), "of this cell")] if isinstance(text, str) else []
        notes.append("; ".join([*parts, _ALL_NOTE] if against_area else parts) or None)
    found["comparison_note"] = notes
    merged = out.merge(found[[*KEYS, *COMPARISON_COLUMNS]], on=KEYS, how="left")
    merged["comparator"] = merged["comparator"].fillna("")
    merged["significance"] = merged["significance"].fillna("Not compared")
    return merged
