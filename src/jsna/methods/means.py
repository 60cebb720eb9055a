"""Means (e.g. average BMI, number of conditions) with Student's t intervals.

Follows PHEindicatormethods ``phe_mean``: the sample mean, its standard
deviation, and a Student's t interval on n - 1 degrees of freedom.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from jsna.methods._common import (
    DEFAULT_CONFIDENCE,
    as_frame,
    normalise_by,
    normalise_confidence,
    numeric_column,
)
from jsna.methods._results import build_frame, group_sum, grouping, interval_columns, notes_from
from jsna.methods.confidence_intervals import student_t_ci

__all__ = ["mean"]


def mean(
    data: Any,
    value: str,
    *,
    by: str | Sequence[str] | None = None,
    confidence: float | Sequence[float] | None = DEFAULT_CONFIDENCE,
) -> Any:
    """Mean of ``value`` per group with Student's t confidence intervals.

    Student (1908) Biometrika 6:1–25; as PHEindicatormethods ``phe_mean``.
    Returns ``value_sum``, ``value_count``, ``stdev`` (sample SD, n - 1),
    ``value``, the interval columns, ``confidence``, ``statistic`` ('mean'),
    ``method`` and ``note``. A group with a missing value gives NaN with a
    note (as R's ``sum``); a group of one has no interval (NaN, noted).

    >>> import pandas as pd
    >>> out = mean(pd.DataFrame({"v": [1.0, 2.0, 3.0]}), "v", confidence=0.95)
    >>> [round(float(out.loc[0, c]), 4) for c in ("value", "lower_95", "upper_95")]
    [2.0, -0.4841, 4.4841]
    """
    function = "mean"
    by_cols = normalise_by(by)
    frame = as_frame(data, function=function, columns=[value, *by_cols])
    levels = normalise_confidence(confidence, function=function)
    values = numeric_column(frame, value, function=function)
    keys, codes, groups = grouping(frame, by_cols)
    count = np.bincount(codes, minlength=groups).astype(float)
    total = group_sum(values, codes, groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        average = total / count
        # two-pass variance: deviations from each group's own mean
        deviation = values - average[codes]
        sd = np.sqrt(group_sum(deviation * deviation, codes, groups) / (count - 1))
    sd = np.where(count < 2, np.nan, sd)
    limits = [student_t_ci(average, sd, count, level) for level in levels]
    missing = np.isnan(total)
    notes = notes_from(
        [
            (missing, f"missing {value}: not computed"),
            (~missing & (count < 2), "one value: no interval"),
        ],
        groups,
    )
    columns: dict[str, Any] = {
        "value_sum": total,
        "value_count": count,
        "stdev": sd,
        "value": average,
        **interval_columns(levels, limits),
        "statistic": "mean",
    }
    if levels:
        columns["method"] = "Student's t-distribution"
    columns["note"] = notes
    return build_frame(frame, columns, base=keys, levels=levels, function=function)
