"""Crude rates (events per population or person-years) with Poisson intervals.

Mortality, admissions and incidence before age standardisation. Follows
PHEindicatormethods ``phe_rate`` and the Fingertips technical guidance:
exact Poisson limits for fewer than 10 events, Byar's approximation from 10.
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
)
from jsna.methods._results import (
    Labels,
    build_frame,
    check_multiplier,
    interval_columns,
    notes_from,
    summed_counts,
)
from jsna.methods.confidence_intervals import BYARS_MINIMUM_COUNT, poisson_ci

__all__ = ["poisson_method_labels", "rate", "rate_label"]


def rate_label(multiplier: float, kind: str = "rate") -> str:
    """The ``statistic`` label, e.g. 'rate per 100000'."""
    return f"{kind} per {multiplier:.15g}"


def poisson_method_labels(counts: np.ndarray) -> Labels:
    """'Exact' below 10 events, 'Byars' from 10, missing where the count is missing."""
    codes = np.where(counts < BYARS_MINIMUM_COUNT, 0, 1)
    codes[np.isnan(counts)] = -1
    return Labels(codes, ("Exact", "Byars"))


def rate(
    data: Any,
    x: str,
    n: str,
    *,
    by: str | Sequence[str] | None = None,
    confidence: float | Sequence[float] | None = DEFAULT_CONFIDENCE,
    multiplier: float = 100_000,
) -> Any:
    """Crude rate ``x / n * multiplier`` with Poisson confidence intervals.

    Limits for the count are exact (Garwood 1936, via chi-squared) below 10
    events and Byar's approximation (Breslow & Day 1987) from 10, then
    divided by the denominator; the ``method`` column says which was used.

    Parameters
    ----------
    data : pandas or polars DataFrame
    x, n : names of the event-count and population (or person-years) columns.
        ``x`` may exceed ``n`` (repeat events).
    by : grouping columns; ``None`` treats every row as its own unit (one
        result row per input row, carrying the input columns).
    confidence : one level or several; ``None`` for no intervals.
    multiplier : rate per this many (default 100,000).

    A zero denominator or a missing value gives NaN and a note. Negative or
    non-numeric values raise :class:`~jsna.errors.InputError`.

    >>> import pandas as pd
    >>> out = rate(pd.DataFrame({"x": [3], "n": [10000]}), "x", "n", confidence=0.95)
    >>> [round(float(out.loc[0, c]), 3) for c in ("value", "lower_95", "upper_95")]
    [30.0, 6.187, 87.673]
    """
    function = "rate"
    by_cols = normalise_by(by)
    frame = as_frame(data, function=function, columns=[x, n, *by_cols])
    levels = normalise_confidence(confidence, function=function)
    multiplier = check_multiplier(multiplier, function=function)
    per_row = not by_cols
    base, (total_x, total_n), _ = summed_counts(
        frame, [x, n], by_cols, function=function, per_row=per_row
    )
    zero = total_n == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        per_unit = np.where(zero, np.nan, multiplier / total_n)
    value = total_x * per_unit
    limits = []
    for level in levels:
        lower, upper = poisson_ci(total_x, level)
        limits.append((lower * per_unit, upper * per_unit))
    notes = notes_from(
        [
            (np.isnan(total_x), f"count {x} missing"),
            (np.isnan(total_n), f"denominator {n} missing"),
            (zero, "denominator is zero"),
        ],
        len(value),
    )
    columns: dict[str, Any] = {}
    if not per_row:
        columns[x] = total_x
        columns[n] = total_n
    columns["value"] = value
    columns.update(interval_columns(levels, limits))
    columns["statistic"] = rate_label(multiplier)
    if levels:
        columns["method"] = poisson_method_labels(total_x)
    columns["note"] = notes
    return build_frame(
        frame, columns, base=base, levels=levels, reset_index=not per_row, function=function
    )
