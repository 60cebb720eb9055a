"""Recent trend: is an indicator getting better or worse over its last five points?

The Fingertips / OHID "recent trend" marker shown beside every indicator in
a JSNA: a chi-square test for linear trend over the five most recent
periods, each point weighted by the inverse of its variance (from its
standard error, or from its 95% confidence interval), judged at the 99.8%
level. A significant slope is reported only if it keeps its direction when
any one of the five points is left out, so a single outlying year cannot
make a trend. With a polarity, the direction becomes Getting better /
Getting worse.

For points y_t with variances v_t at consecutive periods t = 0..4,
weights w = 1/v, weighted means t̄ and ȳ: slope
b = Σ w(t - t̄)(y - ȳ) / Σ w(t - t̄)², and chi-square = b² Σ w(t - t̄)²
on 1 degree of freedom (Armitage P, Berry G, Matthews JNS. *Statistical
methods in medical research*, 4th ed. Blackwell, 2002: 504-9).

Source: Public Health England, *Fingertips trend markers* (technical
guidance), with the leave-one-out direction check asked for in jsna issue #3.
Fingertips tests proportions with the chi-square test for trend on their
numerators and denominators; here every indicator type uses the
inverse-variance form above, from the standard errors or intervals given.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import stats

from jsna.errors import InputError
from jsna.methods._common import (
    as_frame,
    group_rows,
    normalise_by,
    normalise_confidence,
    numeric_column,
    z_value,
)
from jsna.methods._results import build_frame

__all__ = ["POLARITIES", "linear_trend_test", "trend"]

POINTS = 5
SIGNIFICANCE = 0.998
INCREASING = "Increasing"
DECREASING = "Decreasing"
NO_CHANGE = "No significant change"
CANNOT = "Cannot be calculated"
POLARITIES = ("higher_is_better", "lower_is_better", "no_judgement")
METHOD = "Chi-square test for linear trend (inverse-variance weights), last 5 points, 99.8%"


def linear_trend_test(values: np.ndarray, variances: np.ndarray) -> tuple[float, float]:
    """Inverse-variance weighted slope per period and its chi-square (1 df).

    Points are at consecutive periods 0, 1, 2, ...

    >>> linear_trend_test(np.array([10, 11, 13, 12, 15.0]), np.array([1, 1, 4, 1, 1.0]))
    (1.1, 12.100000000000001)
    """
    weights = 1 / variances
    t = np.arange(len(values), dtype=float)
    t_bar = np.sum(weights * t) / np.sum(weights)
    y_bar = np.sum(weights * values) / np.sum(weights)
    sxx = np.sum(weights * (t - t_bar) ** 2)
    slope = float(np.sum(weights * (t - t_bar) * (values - y_bar)) / sxx)
    return slope, float(slope**2 * sxx)


def _classify(values: np.ndarray, variances: np.ndarray) -> tuple[str, float, float, str | None]:
    """Trend label, slope, chi-square and a note for the last points of one series."""
    slope, chi_square = linear_trend_test(values, variances)
    if not chi_square > stats.chi2.ppf(SIGNIFICANCE, 1):
        return NO_CHANGE, slope, chi_square, None
    for left_out in range(len(values)):
        keep = np.arange(len(values)) != left_out
        partial, _ = linear_trend_test(values[keep], variances[keep])
        if np.sign(partial) != np.sign(slope):
            return (
                NO_CHANGE,
                slope,
                chi_square,
                f"significant slope, but its direction changes without point {left_out + 1} "
                f"of {len(values)}",
            )
    return (INCREASING if slope > 0 else DECREASING), slope, chi_square, None


def _direction(label: str, polarity: str) -> str:
    if label not in (INCREASING, DECREASING) or polarity == "no_judgement":
        return label
    better = (label == INCREASING) == (polarity == "higher_is_better")
    return "Getting better" if better else "Getting worse"


def trend(
    data: Any,
    value: str,
    period: str,
    *,
    lower: str | None = None,
    upper: str | None = None,
    se: str | None = None,
    by: str | Sequence[str] | None = None,
    polarity: str | None = None,
    confidence: float = 0.95,
) -> Any:
    """Recent trend of each ``by`` series over its last five periods.

    ``data`` has one row per series and ``period`` (sortable labels such as
    ``2019/20`` or years; the series is assumed to have no gaps); ``value``
    with either its standard error ``se`` or its ``lower``/``upper``
    confidence limits at level ``confidence`` (variance
    ((upper - lower) / (2z))²).

    Returns one row per series: the ``by`` columns, ``trend`` (Increasing,
    Decreasing, No significant change, Cannot be calculated), with
    ``polarity`` (higher_is_better / lower_is_better / no_judgement) also
    ``direction`` (Getting better / Getting worse / ... ), then ``slope``
    (change per period), ``chi_square``, ``periods`` (first to last used),
    ``method`` and ``note`` (why it cannot be calculated or why a
    significant slope is not reported).

    >>> import pandas as pd
    >>> d = pd.DataFrame({"year": range(2019, 2024), "pct": [60.0, 62, 63, 65, 67],
    ...                   "se": [0.5] * 5})
    >>> trend(d, "pct", "year", se="se", polarity="higher_is_better")[["trend", "direction"]]
            trend       direction
    0  Increasing  Getting better
    """
    function = "trend"
    by_cols = normalise_by(by)
    if se is not None:
        spread = [se]
    elif lower is not None and upper is not None:
        spread = [lower, upper]
    else:
        raise InputError(f"{function}: give se, or both lower and upper confidence limits")
    if polarity is not None and polarity not in POLARITIES:
        raise InputError(
            f"{function}: polarity must be one of {', '.join(POLARITIES)}",
            column="polarity",
            value=polarity,
        )
    (level,) = normalise_confidence(confidence, function=function)
    frame = as_frame(data, function=function, columns=[value, period, *spread, *by_cols])
    values = numeric_column(frame, value, function=function)
    if len(spread) == 1:
        variances = numeric_column(frame, spread[0], function=function, minimum=0) ** 2
    else:
        low = numeric_column(frame, spread[0], function=function)
        high = numeric_column(frame, spread[1], function=function)
        reversed_ = high < low
        if reversed_.any():
            row = int(np.argmax(reversed_))
            raise InputError(
                f"{function}: upper confidence limit below the lower one ({low[row]:g})",
                column=spread[1],
                row=row + 1,
                value=float(high[row]),
            )
        variances = ((high - low) / (2 * z_value(level))) ** 2
    keys, codes = group_rows(frame, by_cols)
    order = _period_order(frame, period, codes, by_cols, function=function)
    labels = frame[period].to_list()
    groups = int(codes.max(initial=-1)) + 1
    out: dict[str, list[Any]] = {
        "trend": [],
        "slope": [],
        "chi_square": [],
        "periods": [],
        "note": [],
    }
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    for rows in np.split(order, bounds) if groups else ():
        last = rows[-POINTS:]
        span = f"{labels[last[0]]} to {labels[last[-1]]}"
        y, v = values[last], variances[last]
        if len(rows) < POINTS:
            result = (CANNOT, np.nan, np.nan, f"only {len(rows)} periods; {POINTS} needed")
        elif np.isnan(y).any() or np.isnan(v).any():
            result = (CANNOT, np.nan, np.nan, "a value or its interval is missing")
        elif (v <= 0).any():
            result = (CANNOT, np.nan, np.nan, "a point has zero variance (interval of width 0)")
        else:
            result = _classify(y, v)
        for name, item in zip(("trend", "slope", "chi_square", "note"), result, strict=True):
            out[name].append(item)
        out["periods"].append(span)
    labels_out = np.array(out["trend"], dtype=object)
    columns: dict[str, Any] = {"trend": labels_out}
    if polarity is not None:
        columns["direction"] = np.array(
            [_direction(label, polarity) for label in out["trend"]], dtype=object
        )
    columns["slope"] = np.array(out["slope"], dtype=float)
    columns["chi_square"] = np.array(out["chi_square"], dtype=float)
    columns["periods"] = np.array(out["periods"], dtype=object)
    columns["method"] = METHOD
    columns["note"] = np.array(out["note"], dtype=object)
    return build_frame(frame, columns, base=keys if by_cols else None)


def _period_order(
    frame: Any, period: str, codes: np.ndarray, by_cols: list[str], *, function: str
) -> np.ndarray:
    """Row order by series then period; a period given twice in a series is an error."""
    raw = frame[period].to_numpy()
    if raw.dtype.kind not in "iuf":
        raw = raw.astype(str)
    _, period_code = np.unique(raw, return_inverse=True)
    order = np.lexsort((period_code.reshape(-1), codes))
    same = (np.diff(codes[order]) == 0) & (np.diff(period_code.reshape(-1)[order]) == 0)
    if same.any():
        row = int(order[np.argmax(same) + 1])
        where = ", ".join(f"{name}={frame[name][row]!r}" for name in by_cols)
        raise InputError(
            f"{function}: period given twice" + (f" for {where}" if where else ""),
            column=period,
            row=row + 1,
            value=frame[period][row],
        )
    return order
