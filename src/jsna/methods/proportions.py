"""Proportions (prevalence, uptake, coverage) with Wilson score intervals.

The statistic behind most JSNA indicators: people with a condition or who
took up an offer, out of those eligible. Follows PHEindicatormethods
``phe_proportion`` and the Fingertips technical guidance: the Wilson score
interval, which behaves well at 0% and 100% and for small denominators.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from jsna.errors import InputError
from jsna.methods._common import (
    DEFAULT_CONFIDENCE,
    as_frame,
    normalise_by,
    normalise_confidence,
)
from jsna.methods._results import (
    build_frame,
    check_multiplier,
    interval_columns,
    notes_from,
    plain,
    summed_counts,
)
from jsna.methods.confidence_intervals import wilson_ci

__all__ = ["proportion", "proportion_label"]


def proportion_label(multiplier: float) -> str:
    """The ``statistic`` label: 'proportion of 1', 'percentage', 'proportion of 1000'."""
    if multiplier == 100:
        return "percentage"
    return f"proportion of {multiplier:g}"


def proportion(
    data: Any,
    x: str,
    n: str,
    *,
    by: str | Sequence[str] | None = None,
    confidence: float | Sequence[float] | None = DEFAULT_CONFIDENCE,
    multiplier: float = 1,
) -> Any:
    """Proportion ``x / n`` with Wilson score confidence intervals.

    Wilson EB (1927) J Am Stat Assoc 22:209–12; Newcombe RG, Altman DG (2000)
    in *Statistics with confidence*, 2nd edn, pp 46–8.

    Parameters
    ----------
    data : pandas or polars DataFrame
    x, n : names of the numerator and denominator columns (counts, x <= n).
    by : grouping columns. With ``None`` every row is its own unit and the
        result has one row per input row, carrying the input columns; with
        columns, numerators and denominators are summed per group.
    confidence : one level or several, fractions or percentages; ``None``
        for no intervals. Columns are named ``lower_95`` / ``upper_95`` etc.
    multiplier : 1 for a proportion, 100 for a percentage.

    Returns the caller's kind of frame with ``value``, the interval columns,
    ``confidence``, ``statistic``, ``method`` ('Wilson') and ``note``. A zero
    denominator or a missing count gives NaN and a note, not an error.

    Raises :class:`~jsna.errors.InputError` for negative or non-numeric
    counts and for a numerator above its denominator, naming the row.

    >>> import pandas as pd
    >>> out = proportion(pd.DataFrame({"x": [45], "n": [100]}), "x", "n", confidence=0.95)
    >>> [round(float(out.loc[0, c]), 4) for c in ("value", "lower_95", "upper_95")]
    [0.45, 0.3561, 0.5476]
    """
    function = "proportion"
    by_cols = normalise_by(by)
    frame = as_frame(data, function=function, columns=[x, n, *by_cols])
    levels = normalise_confidence(confidence, function=function)
    multiplier = check_multiplier(multiplier, function=function)
    per_row = not by_cols
    base, (total_x, total_n), (row_x, row_n) = summed_counts(
        frame, [x, n], by_cols, function=function, per_row=per_row
    )
    above = row_x > row_n
    if above.any():
        row = int(np.argmax(above))
        raise InputError(
            f"{function}: numerator must not exceed its denominator ({n} = {row_n[row]:g})",
            column=x,
            row=row + 1,
            value=plain(row_x[row]),
        )
    zero = total_n == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        value = total_x / total_n  # x <= n, so a zero denominator gives 0 / 0 = NaN
    limits = []
    for level in levels:
        limits.append(wilson_ci(total_x, total_n, level))
    if multiplier != 1:
        for array in (value, *(limit for pair in limits for limit in pair)):
            array *= multiplier
    notes = notes_from(
        [
            (np.isnan(total_x), f"numerator {x} missing"),
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
    columns["statistic"] = proportion_label(multiplier)
    if levels:
        columns["method"] = "Wilson"
    columns["note"] = notes
    return build_frame(
        frame, columns, base=base, levels=levels, reset_index=not per_row, function=function
    )
