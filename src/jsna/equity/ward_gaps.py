"""The widest life-expectancy gap between two wards of the borough.

The Westminster JSNA opens on one figure: male life expectancy 18 years longer
in Knightsbridge & Belgravia than in Westbourne. For every life-expectancy and
healthy-life-expectancy indicator with ward rows (on their own, or within an
intersection such as ``sex×ward`` — the gap is then found separately for each
sex), this module finds the wards with the highest and lowest published values
and the difference between them, with a 95% confidence interval from the two
wards' intervals via :func:`jsna.methods.compare_estimates` (linear scale:
standard errors recovered from the interval widths, wards independent).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jsna.equity.comparison import CELL, GAP_STATISTICS
from jsna.methods import compare_estimates

__all__ = ["FINDING_TYPE", "widest_ward_gaps"]

FINDING_TYPE = "widest ward gap"


def widest_ward_gaps(cells: pd.DataFrame, publishable: np.ndarray) -> pd.DataFrame:
    """One row per indicator × period × area × (other parts of the dimension).

    ``cells`` are the side-by-side groups of :func:`jsna.equity.comparison.side_by_side`
    with their headline ``value``, ``lower_95``, ``upper_95``; only rows where
    ``publishable`` is true take part (a suppressed or unstable ward is not
    quoted). The higher ward is the ``category``, the lower the
    ``comparator``; ``crude_difference`` is higher minus lower (positive).
    """
    wards = cells[
        cells["statistic"].isin(GAP_STATISTICS)
        & cells["dimension"].map(lambda d: "ward" in d.split("×"))
        & publishable
        & cells["value"].notna()
    ].copy()
    if wards.empty:
        return pd.DataFrame()
    position = wards["dimension"].map(lambda d: d.split("×").index("ward"))
    wards["_others"] = [
        " × ".join(label for i, label in enumerate(c.split(" × ")) if i != p)
        for c, p in zip(wards["category"], position, strict=True)
    ]
    wards = wards[[c.split(" × ")[p] != "Unknown"
                   for c, p in zip(wards["category"], position, strict=True)]]
    rows = []
    group_keys = ["indicator_id", "period", "area_code", "dimension", "_others"]
    for _, group in wards.sort_values(CELL, kind="stable").groupby(group_keys, sort=True):
        if len(group) < 2:
            continue
        values = group["value"].to_numpy(float)
        high = group.iloc[int(np.argmax(values))]
        low = group.iloc[int(np.argmin(values))]
        row = high.copy()
        row["comparator_dimension"] = low["dimension"]
        row["comparator"] = low["category"]
        for name in ("value", "lower_95", "upper_95"):
            row[f"ref_crude_{name}"] = low[name]
            row[f"crude_{name}"] = high[name]
        row["crude_numerator"] = low["crude_numerator"]
        row["crude_denominator"] = low["crude_denominator"]
        rows.append(row)
    gaps = pd.DataFrame(rows).drop(columns="_others").reset_index(drop=True)
    gap = compare_estimates(
        *(gaps[f"crude_{n}"].to_numpy(float) for n in ("value", "lower_95", "upper_95")),
        *(gaps[f"ref_crude_{n}"].to_numpy(float) for n in ("value", "lower_95", "upper_95")),
        confidence=0.95,
        scale="linear",
    )
    gaps["crude_difference"] = gap.estimate
    gaps["crude_difference_lower_95"] = gap.lower
    gaps["crude_difference_upper_95"] = gap.upper
    gaps["crude_p"] = gap.p_value
    gaps["crude_source"] = "compare_estimates (from the estimates and their 95% CIs)"
    gaps["finding_type"] = FINDING_TYPE
    return gaps
