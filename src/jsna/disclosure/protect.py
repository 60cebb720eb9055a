"""``protect``: the tidy table as it may be published.

The one function every published artefact goes through (``jsna build``
calls it once; site, workbook, CSV/Parquet, findings and narrative all read
its result). It

1. finds every count cell and the sums linking them
   (:mod:`jsna.disclosure.linked_tables`);
2. hides counts by the policy's primary rule (:mod:`.policies`);
3. adds complementary suppression until no hidden count can be recovered by
   subtraction (:mod:`.secondary`);
4. publishes the rest rounded (or exact) per the policy; blanks the value and
   intervals of every row with a hidden count, and the comparison columns of
   those rows and of rows compared against them (a ratio to a hidden
   reference gives the reference back); notes why.

The published table keeps ``numerator`` and ``denominator`` as float
columns: NaN where hidden, with ``suppressed = True`` and a note; writers
show NaN counts of suppressed rows as ``*`` (:func:`display_counts`). The
same note is used for primary and secondary suppression, so nothing tells
which hidden cells are the small ones.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from jsna.disclosure.linked_tables import MEASURES, link_cells
from jsna.disclosure.policies import DisclosurePolicy, get_policy
from jsna.disclosure.secondary import complementary_suppression
from jsna.tidy_table import COMPARISON_STATISTICS

__all__ = ["SUPPRESSED_NOTE", "display_counts", "protect", "value_columns"]

SUPPRESSED_NOTE = "counts suppressed by disclosure control"
COMPARATOR_NOTE = "comparator's counts suppressed: not compared"


def value_columns(table: pd.DataFrame) -> list[str]:
    """``value`` and its interval columns (``lower_95``, ``upper_998`` …)."""
    return ["value", *table.columns[table.columns.str.match(r"^(lower|upper)_\d+$")]]


def _append_note(notes: pd.Series, where: np.ndarray, text: str) -> pd.Series:
    out = notes.astype(object).copy()
    for i in np.flatnonzero(where):
        current = out.iat[i]
        out.iat[i] = f"{current}; {text}" if isinstance(current, str) and current else text
    return out


def _comparator_hidden(table: pd.DataFrame, hidden_rows: np.ndarray) -> np.ndarray:
    """Rows whose comparator row (same indicator, period, variant) has hidden counts."""
    if not {"comparator", "area_name"} <= set(table.columns):
        return np.zeros(len(table), dtype=bool)
    keys = ["indicator_id", "period", "area_code", "age_standardised"]
    frame = table[[*keys, "dimension", "category", "area_name", "comparator"]].astype(str)
    frame = frame.assign(hidden=hidden_rows)
    # A comparator is either the area (the `all` row) or a category of the same dimension.
    is_area = frame["comparator"] == frame["area_name"]
    target = frame.assign(
        t_dimension=np.where(is_area, "all", frame["dimension"]),
        t_category=np.where(is_area, "All", frame["comparator"]),
    )
    lookup = (
        frame[[*keys, "dimension", "category", "hidden"]]
        .drop_duplicates([*keys, "dimension", "category"])
        .rename(
            columns={"dimension": "t_dimension", "category": "t_category", "hidden": "t_hidden"}
        )
    )
    merged = target.merge(lookup, on=[*keys, "t_dimension", "t_category"], how="left")
    return merged["t_hidden"].fillna(False).to_numpy(dtype=bool)


def protect(
    table: pd.DataFrame, policy: DisclosurePolicy | str = "nhs_digital", **options: Any
) -> pd.DataFrame:
    """Apply disclosure control to a tidy table (raw counts in, publishable table out).

    ``policy`` is a name (``nhs_digital``, ``opensafely``, ``threshold``) or a
    :class:`DisclosurePolicy`; ``options`` refine it (``below=10`` for the
    threshold policy, ``suppress_zero=True``). The input is not changed. The
    result carries ``attrs["disclosure"]``: the policy and how many cells were
    hidden by the primary rule and by secondary suppression.

    >>> table = pd.DataFrame({
    ...     "indicator_id": "x", "period": "2023/24", "area_code": "E09000033",
    ...     "area_name": "Westminster", "dimension": ["all", "sex", "sex"],
    ...     "category": ["All", "Female", "Male"], "numerator": [40, 3, 37],
    ...     "denominator": [400, 200, 200], "value": [10.0, 1.5, 18.5],
    ...     "value_type": "proportion", "age_standardised": False,
    ...     "suppressed": False, "note": None})
    >>> protect(table)[["numerator", "suppressed"]].to_dict("list")
    {'numerator': [40.0, nan, nan], 'suppressed': [False, True, True]}
    """
    chosen = get_policy(policy, **options)
    linked = link_cells(table, truth=table)
    values = linked.values(table)
    primary = chosen.primary(values)
    totals = (linked.cells["dimension"] == "all").to_numpy()
    hidden, exposed = complementary_suppression(
        values, primary, linked.relations, chosen, bounded_by=linked.bounded_by, totals=totals
    )
    published = chosen.publish(values, hidden)

    out = table.copy()
    hidden_rows = np.zeros(len(out), dtype=bool)
    for measure in MEASURES:
        cells = linked.row_cell[measure]
        out[measure] = published[cells]
        hidden_rows |= hidden[cells]
    out[value_columns(out)] = out[value_columns(out)].astype(float)
    out.loc[hidden_rows, value_columns(out)] = np.nan

    against_hidden = _comparator_hidden(table, hidden_rows) & ~hidden_rows
    blank = hidden_rows | against_hidden
    comparison = [c for c in COMPARISON_STATISTICS if c in out.columns]
    out.loc[blank, comparison] = np.nan
    if "significance" in out.columns:
        out.loc[blank, "significance"] = "Not compared"
    out["suppressed"] = hidden_rows
    notes = out["note"] if "note" in out.columns else pd.Series([None] * len(out), index=out.index)
    notes = _append_note(notes, hidden_rows, SUPPRESSED_NOTE)
    out["note"] = _append_note(notes, against_hidden, COMPARATOR_NOTE)
    out.attrs = {
        **table.attrs,
        "disclosure": {
            "policy": chosen.as_dict(),
            "description": chosen.describe(),
            "cells": len(values),
            "primary": int(primary.sum()),
            "secondary": int((hidden & ~primary).sum()),
            "rows_suppressed": int(hidden_rows.sum()),
            "unresolved": len(exposed),
        },
    }
    return out


def display_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Counts as text for CSV and screen: ``*`` where suppressed, whole numbers elsewhere.

    >>> t = pd.DataFrame({"numerator": [np.nan, 10.0], "denominator": [20.0, 30.0],
    ...                   "suppressed": [True, False]})
    >>> display_counts(t)["numerator"].tolist()
    ['*', '10']
    """
    out = table.copy()
    for measure in MEASURES:
        column = out[measure].astype(float)
        text = column.map(lambda v: "" if np.isnan(v) else f"{v:.12g}")
        out[measure] = text.where(~(out["suppressed"].astype(bool) & column.isna()), "*")
    return out
