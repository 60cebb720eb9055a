"""Funnel plots: control limits and which areas fall outside them.

A funnel plot shows each area's value against its size, with 95% (≈2 SD)
and 99.8% (≈3 SD) control limits around the overall average that narrow as
the population grows; it avoids ranking small areas on noise. Methods follow
the Fingertips technical guidance and PHEindicatormethods 2.1
(``calculate_funnel_limits``, ``assign_funnel_significance``,
``calculate_funnel_points``): Wilson-based limits for proportions (Spiegelhalter
DJ. Funnel plots for comparing institutional performance. Stat Med
2005;24:1185–202) and exact Poisson limits for ratios and rates.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats

from jsna.errors import InputError
from jsna.methods._common import as_frame, numeric_column
from jsna.methods._results import build_frame, plain
from jsna.methods.confidence_intervals import poisson_ci

__all__ = ["funnel_limits", "funnel_points", "funnel_significance", "poisson_funnel"]

_STATISTICS = ("proportion", "rate", "ratio")
# (label, normal quantile for the Wilson funnel, Poisson tail probability): ~2 and ~3 SD
_LIMITS = (("2s", 0.975, 0.025), ("3s", 0.999, 0.001))
_NOT_APPLICABLE = "Not applicable for events less than 10 for dsrs"


def _proportion_limit(p: float, population: np.ndarray, average: float, side: str) -> np.ndarray:
    """The proportion at which a Wilson interval of ``population`` touches ``average``.

    Solves the Wilson score bound for the observed proportion (the
    quadratic in the Fingertips funnel workbook).
    """
    z2 = stats.norm.ppf(p) ** 2
    first = average * (population / z2 + 1)
    root = np.sqrt(
        (-8 * average * (population / z2 + 1)) ** 2
        - 64
        * (1 / z2 + 1 / population)
        * average
        * (population * (average * (population / z2 + 2) - 1) + z2 * (average - 1))
    )
    last = 1 / z2 + 1 / population
    sign = -1 if side == "low" else 1
    return (first + sign * root / 8) / last / population


def poisson_funnel(observed: np.ndarray, p: float, side: str) -> np.ndarray:
    """Expected count whose Poisson tail at ``observed`` equals ``p``.

    ``side='low'``: the mean with P(K >= observed) = p; ``side='high'``: the
    mean with P(K <= observed) = p. Found by bisection on v = mean /
    (1 + observed + mean) to 1e-7, exactly as the Fingertips funnel workbook
    (and so PHEindicatormethods) does, so limits agree to rounding.
    """
    obs = np.asarray(observed, dtype=float)
    v = np.full(obs.shape, 0.5)
    dv = 0.5
    while dv > 1e-7:
        dv /= 2
        mean = (1 + obs) * v / (1 - v)
        if side == "low":
            move_down = stats.poisson.sf(obs - 1, mean) > p
        else:
            move_down = stats.poisson.cdf(obs, mean) < p
        v = np.where(move_down, v - dv, v + dv)
    return (1 + obs) * v / (1 - v)


def _axis_floor(value: float) -> float:
    if value == 0:
        return 0.0
    scaled = value * 0.95
    power = 10.0 ** (len(str(int(np.floor(scaled)))) - 1)
    return float(np.floor(scaled / power) * power)


def _axis_ceiling(value: float) -> float:
    if value == 0:
        return 0.0
    scaled = value * 1.05
    power = 10.0 ** (len(str(int(np.ceil(scaled)))) - 2)
    return float(np.ceil(scaled / power) * power)


def _check_statistic(statistic: str, function: str) -> None:
    if statistic not in _STATISTICS:
        raise InputError(
            f"{function}: statistic must be one of {', '.join(_STATISTICS)}",
            column="statistic",
            value=statistic,
        )


def _derived_denominator(
    frame: Any,
    x: np.ndarray,
    n: str | None,
    rate: str,
    rate_type: str,
    multiplier: float,
    function: str,
) -> np.ndarray:
    """Population implied by each rate (events / rate), as the funnel method uses."""
    if rate_type not in ("crude", "dsr"):
        raise InputError(
            f"{function}: rate_type must be 'crude' or 'dsr'", column="rate_type", value=rate_type
        )
    values = numeric_column(frame, rate, function=function)
    with np.errstate(invalid="ignore", divide="ignore"):
        derived = multiplier * x / values
    if rate_type == "dsr":
        return np.where(x == 0, np.nan, derived)
    if (x == 0).any():
        if n is None:
            raise InputError(
                f"{function}: a crude rate with 0 events needs the population column (n=...)",
                column=rate,
                row=int(np.argmax(x == 0)) + 1,
            )
        population = numeric_column(frame, n, function=function, minimum=0)
        derived = np.where(x == 0, population, derived)
    return derived


def funnel_limits(
    data: Any,
    x: str,
    n: str | None = None,
    *,
    statistic: str,
    multiplier: float | None = None,
    ratio_type: str = "isr",
    rate: str | None = None,
    rate_type: str = "crude",
    years_of_data: float | None = None,
) -> Any:
    """Control limits for a funnel plot: 100 points along the x axis.

    ``statistic`` 'proportion' (``x`` of ``n``; limits from the Wilson
    score), 'ratio' (observed ``x`` / expected ``n``; exact Poisson;
    ``ratio_type`` 'count' gives ratio - 1, 'isr' the ratio × ``multiplier``)
    or 'rate' (events ``x``, rates in column ``rate`` of ``rate_type``
    'crude' or 'dsr', over ``years_of_data`` years; exact Poisson). The x
    axis spans the data's denominators (from 0 when they vary more than
    two-fold). Columns and values follow PHEindicatormethods
    ``calculate_funnel_limits``: ``lower_2s_limit`` … ``upper_3s_limit``
    (95% and 99.8%), and ``baseline`` for proportions and rates.
    """
    function = "funnel_limits"
    _check_statistic(statistic, function)
    frame = as_frame(data, function=function, columns=[x, *([n] if n else [])])
    xv = numeric_column(frame, x, function=function, allow_missing=False, minimum=0)
    if multiplier is None:
        multiplier = {"proportion": 100.0, "ratio": 100.0, "rate": 100_000.0}[statistic]
    if statistic == "rate":
        if rate is None or years_of_data is None:
            raise InputError(
                f"{function}: rates need the rate column (rate=...) and years_of_data",
                column="rate",
            )
        as_frame(data, function=function, columns=[rate])
        derived = _derived_denominator(frame, xv, n, rate, rate_type, multiplier, function)
    else:
        if n is None:
            raise InputError(f"{function}: {statistic} funnels need the denominator column n")
        derived = numeric_column(frame, n, function=function, allow_missing=False, minimum=0)
    if statistic == "proportion":
        _check_not_above(xv, derived, x, function)
    average = xv.sum() / np.nansum(derived)
    smallest, largest = np.nanmin(derived), np.nanmax(derived)
    years = years_of_data if statistic == "rate" else 1
    axis_min = 0.0 if largest > 2 * smallest else _axis_floor(smallest / years) * years
    axis_max = _axis_ceiling(largest / years) * years
    if statistic == "rate":
        axis_min = float(np.floor(axis_min * average))
        axis_max = float(np.ceil(axis_max * average))
    offset = 1 if statistic == "ratio" else 0
    points = [max(1.0, axis_min)]
    for j in range(2, 101):
        previous = points[-1]
        step = (axis_max / previous) ** (1 / (101 - j + offset)) * previous
        points.append(max(float(np.round(step)), previous + 1))
    axis = np.asarray(points)
    columns: dict[str, Any] = {}
    if statistic == "proportion":
        columns["Population"] = axis
        for name, p, _ in _LIMITS:
            low = _proportion_limit(p, axis, average, "low") * multiplier
            high = _proportion_limit(p, axis, average, "high") * multiplier
            columns[f"lower_{name}_limit"] = np.maximum(0.0, low)
            columns[f"upper_{name}_limit"] = np.minimum(float(multiplier), high)
        columns["baseline"] = np.full(len(axis), average * multiplier)
        columns["statistic"] = "proportion"
        columns["method"] = "Wilson"
    elif statistic == "ratio":
        if ratio_type not in ("count", "isr"):
            raise InputError(
                f"{function}: ratio_type must be 'count' or 'isr'",
                column="ratio_type",
                value=ratio_type,
            )
        columns["Observed_events"] = axis
        for name, _, tail in _LIMITS:
            for side, solve in (("lower", "high"), ("upper", "low")):
                expected = poisson_funnel(axis, tail, solve)
                limit = axis / expected
                limit = limit - 1 if ratio_type == "count" else limit * multiplier
                columns[f"{side}_{name}_exp_events"] = expected
                columns[f"{side}_{name}_limit"] = limit
        columns["statistic"] = f"ratio ({ratio_type})"
        columns["method"] = "Poisson"
    else:
        columns["Events"] = axis
        for name, _, tail in _LIMITS:
            for side, solve in (("lower", "high"), ("upper", "low")):
                population = poisson_funnel(axis, tail, solve) / average
                columns[f"{side}_{name}_population_1_year"] = population / years
                columns[f"{side}_{name}_limit"] = axis / population * multiplier
        columns["baseline"] = np.full(len(axis), average * multiplier)
        columns["statistic"] = f"rate ({rate_type} per {multiplier:,.15g})"
        columns["method"] = "Poisson"
    return build_frame(frame, columns, function=function)


def _check_not_above(x: np.ndarray, n: np.ndarray, column: str, function: str) -> None:
    above = x > n
    if above.any():
        row = int(np.argmax(above))
        raise InputError(
            f"{function}: numerator must not exceed its denominator for a proportion",
            column=column,
            row=row + 1,
            value=plain(x[row]),
        )


def funnel_significance(
    data: Any,
    x: str,
    n: str | None = None,
    *,
    statistic: str,
    rate: str | None = None,
    rate_type: str = "crude",
    multiplier: float = 100_000,
) -> Any:
    """Add ``significance``: where each area lies against the funnel limits.

    'High (0.001)' / 'Low (0.001)' outside the 99.8% limits, 'High (0.025)' /
    'Low (0.025)' outside the 95% limits only, else 'Not significant'; DSRs
    from fewer than 10 events are 'Not applicable for events less than 10
    for dsrs'. Proportions use the Wilson funnel around the overall
    proportion; ratios (observed ``x`` / expected ``n``) the exact Poisson /
    Byar's interval of O/E against 1; rates that interval on the implied
    population against the overall rate (as PHEindicatormethods
    ``assign_funnel_significance``).
    """
    function = "funnel_significance"
    _check_statistic(statistic, function)
    frame = as_frame(data, function=function, columns=[x, *([n] if n else [])])
    xv = numeric_column(frame, x, function=function, allow_missing=False, minimum=0)
    if statistic == "rate":
        if rate is None:
            raise InputError(f"{function}: rates need the rate column (rate=...)", column="rate")
        as_frame(data, function=function, columns=[rate])
        denominator = _derived_denominator(frame, xv, n, rate, rate_type, multiplier, function)
    else:
        if n is None:
            raise InputError(f"{function}: {statistic} needs the denominator column n")
        denominator = numeric_column(
            frame, n, function=function, allow_missing=False, strictly_above=0
        )
    labels = np.full(len(xv), "Not significant", dtype=object)
    if statistic == "proportion":
        _check_not_above(xv, denominator, x, function)
        average = xv.sum() / denominator.sum()
        observed = xv / denominator
        # the first matching rule wins, so apply them from last to first
        for label, p, side in (
            ("High (0.025)", 0.975, "high"),
            ("High (0.001)", 0.999, "high"),
            ("Low (0.025)", 0.975, "low"),
            ("Low (0.001)", 0.999, "low"),
        ):
            limit = _proportion_limit(p, denominator, average, side)
            labels[observed > limit if side == "high" else observed < limit] = label
    else:
        target = 1.0 if statistic == "ratio" else xv.sum() / np.nansum(denominator)
        for label_high, label_low, level in (
            ("High (0.025)", "Low (0.025)", 0.95),
            ("High (0.001)", "Low (0.001)", 0.998),
        ):
            lower, upper = poisson_ci(xv, level)
            with np.errstate(invalid="ignore", divide="ignore"):
                low_high = [lower / denominator, upper / denominator]
            labels[low_high[1] < target] = label_low
            labels[low_high[0] > target] = label_high
        if statistic == "rate" and rate_type == "dsr":
            labels[xv < 10] = _NOT_APPLICABLE
    return build_frame(
        frame, {"significance": labels}, base=frame, reset_index=False, function=function
    )


def funnel_points(
    data: Any,
    x: str,
    n: str | None = None,
    *,
    rate: str,
    rate_type: str = "crude",
    years_of_data: float,
    multiplier: float = 100_000,
) -> Any:
    """Rate points for a rate funnel: ``<rate>_chart`` and ``denominator_derived``.

    The annual population implied by each rate (events / rate / years), the
    x coordinate on a rate funnel; DSRs from fewer than 10 events are left
    off the chart (NaN), as PHEindicatormethods ``calculate_funnel_points``.
    """
    function = "funnel_points"
    frame = as_frame(data, function=function, columns=[x, rate, *([n] if n else [])])
    chart = f"{rate}_chart"
    xv = numeric_column(frame, x, function=function, allow_missing=False, minimum=0)
    values = numeric_column(frame, rate, function=function)
    derived = _derived_denominator(frame, xv, n, rate, rate_type, multiplier, function)
    if rate_type == "dsr":
        values = np.where(xv < 10, np.nan, values)
        derived = np.where(xv < 10, np.nan, derived)
    columns = {chart: values, "denominator_derived": derived / years_of_data}
    return build_frame(frame, columns, base=frame, reset_index=False, function=function)
