"""Margins: counts for ``all``, each dimension and each intersection, from the finest cells.

Every margin is an exact sum of the cells of :mod:`jsna.engine.cells`, so the
categories of any dimension add up to the ``all`` row by construction
(including "Not stated", "Unknown" and "Not recorded", which are ordinary
categories). Rows keep the life-table band start so the statistics can
standardise or build life tables; the ``age_band`` dimension labels ESP2013
bands (``0-4`` … ``90+``; life-table bands 0 and 1-4 both fall in ``0-4``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jsna.codes.age import ESP_BANDS
from jsna.engine.cells import AGE_START

__all__ = ["ALL", "INTERSECTION", "LABEL_JOIN", "add_age_band", "stratum_counts"]

ALL = "all"
INTERSECTION = "×"
LABEL_JOIN = " × "


def add_age_band(cells: pd.DataFrame) -> pd.DataFrame:
    """Add the ESP2013 ``age_band`` label of each cell's life-table band start."""
    index = np.minimum(cells[AGE_START].to_numpy() // 5, len(ESP_BANDS) - 1)
    return cells.assign(age_band=np.asarray(ESP_BANDS, dtype=object)[index])


def stratum_counts(cells: pd.DataFrame, stratum: str, measures: list[str]) -> pd.DataFrame:
    """Sum ``measures`` by category (and band start) for one stratum.

    ``stratum`` is ``all``, a dimension (``ward``) or an intersection
    (``ethnicity_5×imd_quintile``). The result has ``dimension``,
    ``category`` (``All``; a label; or labels joined by `` × ``), ``within``
    (an intersection's second label, else empty), ``age_start`` and the
    measures, one row per category and band start present in the cells.
    """
    if stratum == ALL:
        summed = cells.groupby(AGE_START, sort=True)[measures].sum().reset_index()
        summed.insert(0, "within", "")
        summed.insert(0, "category", "All")
    else:
        parts = stratum.split(INTERSECTION)
        summed = cells.groupby([*parts, AGE_START], sort=True, observed=True)[measures].sum()
        summed = summed.reset_index()
        if len(parts) == 1:
            category = summed[parts[0]].astype(str)
            within = pd.Series("", index=summed.index)
        else:
            category = summed[parts[0]].astype(str) + LABEL_JOIN + summed[parts[1]].astype(str)
            within = summed[parts[1]].astype(str)
        summed = summed.drop(columns=parts)
        summed.insert(0, "within", within)
        summed.insert(0, "category", category)
    summed.insert(0, "dimension", stratum)
    return summed
