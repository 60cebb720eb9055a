"""Slope and relative index of inequality (SII, RII) across ordered quantiles.

The SII is the modelled gap in an indicator between the most and the least
deprived ends of a population ranked by deprivation; the RII is the same gap
as a ratio. This module follows the OHID/PHE convention of
``PHEindicatormethods::phe_sii`` (version 2.1.0): each quantile (deprivation
quintile or decile, ordered from most to least deprived) is placed at the
midpoint of its share of the cumulative population, and the indicator is
regressed on that relative rank by weighted least squares with
square-root-of-population-share weights (Low & Low 2004). Rates can be
modelled on the log scale and proportions on the logit scale
(``transform=True``). Confidence intervals are Monte Carlo: every quantile's
value is redrawn from a normal distribution on the (log/logit) transformed
scale, the regression refitted for every draw in one matrix product, and the
limits read off as order statistics.

References: Low A, Low A. Measuring the gap: quantifying and comparing local
health inequalities. J Public Health 2004;26:388-395. PHE (2018) Technical
guide: Slope index of inequality. PHEindicatormethods 2.1.0 ``phe_sii``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import narwhals as nw
import numpy as np

from jsna.errors import InputError
from jsna.methods._common import (
    as_frame,
    confidence_label,
    group_rows,
    level_suffix,
    normalise_by,
    normalise_confidence,
    numeric_column,
    z_value,
)
from jsna.methods._results import build_frame, list_columns

__all__ = ["DEFAULT_SEED", "relative_rank", "sii", "sii_fit"]

FUNCTION = "sii"

#: Seed used when ``seed=None``: jsna outputs are deterministic by default.
DEFAULT_SEED = 20250101

#: Sets of draws behind the reliability statistic (as phe_sii: the CI comes
#: from the first set, the mean absolute difference from the other nine).
RELIABILITY_SETS = 10

ValueType = Literal["normal", "rate", "proportion"]
_VALUE_TYPES: tuple[str, ...] = ("normal", "rate", "proportion")
_TRANSFORM_NAME = {"normal": "none", "rate": "log", "proportion": "logit"}
_LEADING_INTEGER = re.compile(r"^\s*(\d+)")


def relative_rank(population: np.ndarray) -> np.ndarray:
    """Midpoint of each quantile's share of the cumulative population.

    Quantiles must already be in order (most deprived first). A quantile
    holding 12% of the population followed by one holding 10% get ranks
    0.06 and 0.17 (Low & Low 2004).

    >>> relative_rank(np.array([12.0, 10.0, 78.0])).round(2).tolist()
    [0.06, 0.17, 0.61]
    """
    share = population / population.sum()
    return np.cumsum(share) - share / 2


def _design(population: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """sqrt(share) and the WLS projection H with coefficients = (sqrt(a)·y) @ H.

    The model ``sqrt(a)·y = α·sqrt(a) + β·b·sqrt(a)`` (no free intercept) is
    ordinary least squares on the weighted design X = [sqrt(a), b·sqrt(a)];
    H = X (XᵀX)⁻¹ turns any number of weighted response rows into (α, β) rows.
    """
    share = population / population.sum()
    sqrt_a = np.sqrt(share)
    design = np.column_stack([sqrt_a, relative_rank(population) * sqrt_a])
    projection = design @ np.linalg.inv(design.T @ design)
    return sqrt_a, projection


def sii_fit(values: np.ndarray, population: np.ndarray) -> tuple[float, float]:
    """Intercept and slope of the population-weighted regression on relative rank.

    ``values`` and ``population`` are per quantile, ordered most deprived
    first. The slope is the SII (fitted value at rank 1 minus rank 0) on the
    scale of ``values``; the intercept is the fitted value at rank 0.

    >>> intercept, slope = sii_fit(np.array([10.0, 12, 14, 16, 18]), np.full(5, 100.0))
    >>> round(intercept, 9), round(slope, 9)
    (9.0, 10.0)
    """
    sqrt_a, projection = _design(np.asarray(population, dtype=float))
    alpha, beta = (np.asarray(values, dtype=float) * sqrt_a) @ projection
    return float(alpha), float(beta)


def _to_model_scale(values: np.ndarray, value_type: str) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        if value_type == "rate":
            return np.log(values)
        if value_type == "proportion":
            return np.log(values / (1 - values))
    return values


def _from_model_scale(values: np.ndarray, value_type: str) -> np.ndarray:
    if value_type == "rate":
        return np.exp(values)
    if value_type == "proportion":
        return 1 / (1 + np.exp(-values))
    return values


@dataclass(frozen=True)
class _Settings:
    value_type: str
    transform: bool
    multiplier: float
    repetitions: int
    levels: tuple[float, ...]
    positions: tuple[tuple[int, int], ...]  # 0-based order statistics per level
    rii: bool
    reliability: bool


def _gap(low: np.ndarray, high: np.ndarray, settings: _Settings) -> tuple[np.ndarray, np.ndarray]:
    """SII and RII from fitted values at rank 0 (``low``) and rank 1 (``high``)."""
    sii_values = (high - low) * settings.multiplier
    rii_values = high / low
    if settings.multiplier < 0:
        rii_values = 1 / rii_values
    return sii_values, rii_values


def _simulate(
    mean: np.ndarray,
    sd: np.ndarray,
    population: np.ndarray,
    point: tuple[float, float],
    settings: _Settings,
    rng: np.random.Generator,
) -> dict[str, list[float]]:
    """Monte Carlo limits (and reliability MADs) for one area.

    ``mean`` and ``sd`` are on the model scale (log for rates, logit for
    proportions). Draws are refitted by one matrix product per set of
    ``repetitions`` draws; order statistics come from ``np.partition``.
    """
    sqrt_a, projection = _design(population)
    n_sets = RELIABILITY_SETS if settings.reliability else 1
    kth = sorted({k for pair in settings.positions for k in pair})
    # limits[stat][set, level, 0/1]
    limits = {name: np.full((n_sets, len(settings.levels), 2), np.nan) for name in ("sii", "rii")}
    alpha_hat, beta_hat = point
    for set_index in range(n_sets):
        noise = rng.standard_normal((settings.repetitions, len(mean)))
        # np.einsum rather than @: a plain loop beats multithreaded BLAS on
        # these tall, thin products (half the CPU time on a busy machine).
        if settings.transform or settings.value_type == "normal":
            # The fit is linear in draws taken on its own scale: one product.
            weights = (sd * sqrt_a)[:, None] * projection
            coefficients = (mean * sqrt_a) @ projection + np.einsum("rq,qc->rc", noise, weights)
        else:
            draws = _from_model_scale(mean + sd * noise, settings.value_type)
            coefficients = np.einsum("rq,qc->rc", draws * sqrt_a, projection)
        alpha, beta = coefficients[:, 0], coefficients[:, 1]
        if settings.transform:
            # Slopes on the model scale; each limit is back-transformed about
            # the fitted midpoint (PHEindicatormethods 2.1.0).
            ordered = np.partition(beta, kth)
            middle = alpha_hat + beta_hat / 2
            for j, (lo, hi) in enumerate(settings.positions):
                slope = np.array([ordered[lo], ordered[hi]])
                sii_lim, rii_lim = _gap(
                    _from_model_scale(middle - slope / 2, settings.value_type),
                    _from_model_scale(middle + slope / 2, settings.value_type),
                    settings,
                )
                limits["sii"][set_index, j] = np.sort(sii_lim)
                limits["rii"][set_index, j] = np.sort(rii_lim)
        else:
            sii_draws, rii_draws = _gap(alpha, alpha + beta, settings)
            ordered_sii = np.partition(sii_draws, kth)
            ordered_rii = np.partition(rii_draws, kth) if settings.rii else None
            for j, (lo, hi) in enumerate(settings.positions):
                limits["sii"][set_index, j] = ordered_sii[[lo, hi]]
                if ordered_rii is not None:
                    limits["rii"][set_index, j] = ordered_rii[[lo, hi]]
    out: dict[str, list[float]] = {}
    for j, level in enumerate(settings.levels):
        suffix = level_suffix(level)
        for stat in ("sii", "rii"):
            out[f"{stat}_lower_{suffix}"] = [float(limits[stat][0, j, 0])]
            out[f"{stat}_upper_{suffix}"] = [float(limits[stat][0, j, 1])]
            # Mean absolute difference between the first set's limits and
            # those of each further set (18 differences for 10 sets).
            mad = (
                float(np.abs(limits[stat][1:, j, :] - limits[stat][0, j, :]).mean())
                if n_sets > 1
                else float("nan")
            )
            out[f"{stat}_mad_{suffix}"] = [mad]
    return out


def _quantile_order(frame: nw.DataFrame[Any], column: str) -> tuple[np.ndarray, np.ndarray]:
    """Per-row quantile position (0 = most deprived) and the ordered labels."""
    raw = frame[column].to_numpy()
    if raw.dtype.kind in "iuf":
        keys = raw.astype(float)
        missing = np.isnan(keys)
    else:
        labels = [None if v is None or (isinstance(v, float) and v != v) else v for v in raw]
        missing = np.array([v is None for v in labels], dtype=bool)
        keys = np.full(len(labels), np.nan)
        for i, label in enumerate(labels):
            if label is None:
                continue
            match = _LEADING_INTEGER.match(str(label))
            if match is None:
                raise InputError(
                    f"{FUNCTION}: quantile labels must be numbers or start with one "
                    "(e.g. '1 (most deprived)'), so that they can be put in order",
                    column=column,
                    row=i + 1,
                    value=label,
                    hint="leave out rows such as 'Unknown' that are not a quantile",
                )
            keys[i] = float(match.group(1))
    if missing.any():
        row = int(np.argmax(missing))
        raise InputError(
            f"{FUNCTION}: quantile must not be missing", column=column, row=row + 1, value=None
        )
    levels, position = np.unique(keys, return_inverse=True)
    if not 5 <= len(levels) <= 100:
        raise InputError(
            f"{FUNCTION}: the number of quantiles must be between 5 and 100; found {len(levels)}",
            column=column,
            hint="use deprivation quintiles (5) or deciles (10)",
        )
    # Labels that differ as text but share a number (e.g. '1' and '1 (most)').
    if raw.dtype.kind not in "iuf":
        texts: dict[float, str] = {}
        for i, key in enumerate(keys):
            text = str(raw[i])
            if texts.setdefault(key, text) != text:
                raise InputError(
                    f"{FUNCTION}: two quantile labels share the number {key:g} "
                    f"({texts[key]!r} and {text!r})",
                    column=column,
                    row=i + 1,
                    value=raw[i],
                )
    return position.reshape(-1), levels


def _check_settings(
    value_type: str,
    transform: bool,
    multiplier: float,
    repetitions: int,
    confidence: float | Sequence[float],
    rii: bool,
    reliability: bool,
) -> _Settings:
    if value_type not in _VALUE_TYPES:
        raise InputError(
            f"{FUNCTION}: value_type must be one of {', '.join(_VALUE_TYPES)}",
            column="value_type",
            value=value_type,
        )
    if transform and value_type == "normal":
        raise InputError(
            f"{FUNCTION}: transform=True needs value_type 'rate' (log) or 'proportion' (logit)",
            column="transform",
            value=value_type,
        )
    if (
        isinstance(multiplier, bool)
        or not isinstance(multiplier, int | float | np.integer | np.floating)
        or not np.isfinite(multiplier)
        or multiplier == 0
    ):
        raise InputError(
            f"{FUNCTION}: multiplier must be a non-zero number",
            column="multiplier",
            value=multiplier,
        )
    if (
        isinstance(repetitions, bool)
        or not isinstance(repetitions, int | np.integer)
        or repetitions < 1000
    ):
        raise InputError(
            f"{FUNCTION}: repetitions must be a whole number of at least 1000 (default 100,000)",
            column="repetitions",
            value=repetitions,
        )
    levels = normalise_confidence(confidence, function=FUNCTION)
    if not levels:
        raise InputError(
            f"{FUNCTION}: at least one confidence level is needed",
            column="confidence",
            value=confidence,
        )
    positions = []
    for level in levels:
        upper_point = level + (1 - level) / 2
        lower = int(np.rint(repetitions * (1 - upper_point)))
        upper = int(np.rint(repetitions * upper_point))
        if lower < 1:
            raise InputError(
                f"{FUNCTION}: {repetitions} repetitions are too few for a "
                f"{level * 100:g}% interval",
                column="confidence",
                value=level,
                hint="increase repetitions",
            )
        positions.append((lower - 1, upper - 1))
    return _Settings(
        value_type=value_type,
        transform=bool(transform),
        multiplier=float(multiplier),
        repetitions=int(repetitions),
        levels=levels,
        positions=tuple(positions),
        rii=bool(rii),
        reliability=bool(reliability),
    )


def _first_bad(mask: np.ndarray) -> int:
    return int(np.argmax(mask))


def _read_inputs(
    frame: nw.DataFrame[Any],
    population: str,
    value: str | None,
    x: str | None,
    se: str | None,
    lower: str | None,
    upper: str | None,
    value_type: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Population, value and its standard error on the model scale, validated.

    Hard errors (impossible values) raise InputError; missing or
    untransformable values come back as NaN and make their area NA.
    """
    pop = numeric_column(frame, population, function=FUNCTION, minimum=0)
    if value is not None:
        values = numeric_column(frame, value, function=FUNCTION)
        value_name = value
    elif x is not None:
        if value_type != "proportion":
            raise InputError(
                f"{FUNCTION}: x (a count) can only stand in for value when value_type is "
                "'proportion'",
                column=x,
            )
        counts = numeric_column(frame, x, function=FUNCTION, minimum=0)
        above = counts > pop
        if above.any():
            row = _first_bad(above)
            raise InputError(
                f"{FUNCTION}: count x must not exceed the population ({pop[row]:g})",
                column=x,
                row=row + 1,
                value=counts[row],
            )
        with np.errstate(divide="ignore", invalid="ignore"):
            values = counts / pop
        value_name = x
    else:
        raise InputError(f"{FUNCTION}: give value= (the indicator column), or x= for a proportion")
    if value_type == "proportion":
        bad = (values < 0) | (values > 1)
        if bad.any():
            row = _first_bad(bad)
            raise InputError(
                f"{FUNCTION}: proportions must lie between 0 and 1 (divide percentages by 100 "
                "and use multiplier=100)",
                column=value_name,
                row=row + 1,
                value=values[row],
            )
    elif value_type == "rate":
        bad = values < 0
        if bad.any():
            row = _first_bad(bad)
            raise InputError(
                f"{FUNCTION}: rates must not be negative",
                column=value_name,
                row=row + 1,
                value=values[row],
            )
    model_values = _to_model_scale(values, value_type)

    if se is not None:
        errors = numeric_column(frame, se, function=FUNCTION, minimum=0)
        # A standard error on the indicator's own scale, moved to the model
        # scale by the delta method: d log(r) = dr / r, d logit(p) = dp / (p(1-p)).
        with np.errstate(divide="ignore", invalid="ignore"):
            if value_type == "rate":
                errors = errors / values
            elif value_type == "proportion":
                errors = errors / (values * (1 - values))
    elif lower is not None and upper is not None:
        low = numeric_column(frame, lower, function=FUNCTION)
        high = numeric_column(frame, upper, function=FUNCTION)
        crossed = low > high
        if crossed.any():
            row = _first_bad(crossed)
            raise InputError(
                f"{FUNCTION}: lower confidence limit is above the upper one ({high[row]:g})",
                column=lower,
                row=row + 1,
                value=low[row],
            )
        for name, limit in ((lower, low), (upper, high)):
            if value_type == "proportion":
                bad = (limit < 0) | (limit > 1)
            elif value_type == "rate":
                bad = limit < 0
            else:
                bad = np.zeros(len(limit), dtype=bool)
            if bad.any():
                row = _first_bad(bad)
                raise InputError(
                    f"{FUNCTION}: confidence limits must be valid {value_type}s",
                    column=name,
                    row=row + 1,
                    value=limit[row],
                )
        # 95% limits (as phe_sii assumes), symmetric on the model scale.
        errors = (_to_model_scale(high, value_type) - _to_model_scale(low, value_type)) / (
            2 * z_value(0.95)
        )
    else:
        raise InputError(
            f"{FUNCTION}: give se= (standard errors) or both lower= and upper= "
            "(95% confidence limits)"
        )
    return pop, model_values, errors


def sii(
    data: Any,
    quantile: str,
    population: str,
    *,
    value: str | None = None,
    x: str | None = None,
    se: str | None = None,
    lower: str | None = None,
    upper: str | None = None,
    by: str | Sequence[str] | None = None,
    value_type: ValueType = "normal",
    transform: bool = False,
    multiplier: float = 1,
    repetitions: int = 100_000,
    seed: int | np.random.Generator | None = None,
    confidence: float | Sequence[float] = 0.95,
    rii: bool = False,
    intercept: bool = False,
    reliability: bool = False,
) -> Any:
    """Slope index of inequality (and RII) with Monte Carlo confidence intervals.

    Method: weighted least squares of the indicator on the relative rank
    (midpoint of the cumulative population share) with sqrt(population
    share) weights (Low & Low 2004), as ``PHEindicatormethods::phe_sii``
    2.1.0. Quantiles are ordered by their number, 1 = most deprived, so a
    positive SII means the indicator rises towards the least deprived end.

    Parameters
    ----------
    data: pandas or polars frame, one row per area (``by``) and quantile.
    quantile: column of quantile numbers (or labels starting with one, such
        as ``'1 (most deprived)'``); 5 to 100 distinct quantiles.
    population: column of quantile populations (weights, and the
        denominator when ``x`` is given).
    value: column of indicator values (proportions as fractions 0-1).
    x: for proportions only, a count column used as ``x / population``
        when ``value`` is not given.
    se: column of standard errors on the indicator's scale; or
    lower, upper: columns of 95% confidence limits (used when ``se`` is not
        given; the standard error is derived on the log/logit scale for
        rates/proportions).
    by: grouping columns; one SII per group (area).
    value_type: ``"normal"``, ``"rate"`` (log scale) or ``"proportion"``
        (logit scale); draws are made on that scale.
    transform: fit the regression on the log/logit scale and back-transform
        (for non-linear gradients).
    multiplier: scales SII (100 for percentages); a negative multiplier
        flips polarity and inverts the RII.
    repetitions: Monte Carlo draws (at least 1000; default 100,000).
    seed: an integer or ``numpy.random.Generator``; ``None`` uses
        :data:`DEFAULT_SEED`, so results are reproducible.
    confidence: one or more levels (default 0.95).
    rii, intercept, reliability: add the RII and its limits; the intercept
        (fitted value at the most deprived end, times ``|multiplier|``); the
        mean absolute difference between the limits of the first and nine
        further sets of draws (``sii_mad_95``, ``rii_mad_95``).

    Returns one row per group: ``sii``, [``rii``], ``sii_lower_95``,
    ``sii_upper_95``, [``rii_lower_95``, ``rii_upper_95``], [MADs],
    [``intercept``], then ``value_type``, ``multiplier``, ``transform``,
    ``confidence``, ``method``, ``note`` (null when fine). A group with a missing quantile,
    a zero or missing population, or a missing or untransformable value
    gets NA and a ``note``.

    Deliberate differences from phe_sii 2.1.0 (no reference case depends on
    them): ``se`` is converted to the log/logit scale by the delta method
    (phe_sii uses it unchanged on that scale); the intercept of an
    untransformed fit is scaled by ``|multiplier|`` like the transformed one;
    limits are swapped for a negative multiplier only (phe_sii also swaps
    rate limits for multipliers between 0 and 1).

    >>> import pandas as pd
    >>> d = pd.DataFrame({"q": [1, 2, 3, 4, 5], "pop": [100] * 5,
    ...                   "le": [76.0, 77, 78, 79, 80], "se": [0.5] * 5})
    >>> out = sii(d, "q", "pop", value="le", se="se", repetitions=1000)
    >>> round(float(out["sii"][0]), 6)
    5.0
    """
    settings = _check_settings(
        value_type, transform, multiplier, repetitions, confidence, rii, reliability
    )
    by_columns = normalise_by(by)
    needed = [quantile, population, *by_columns]
    needed += [name for name in (value, x, se, lower, upper) if name is not None]
    frame = as_frame(data, function=FUNCTION, columns=needed)
    pop, model_values, model_se = _read_inputs(
        frame, population, value, x, se, lower, upper, value_type
    )
    position, quantile_levels = _quantile_order(frame, quantile)
    keys, group_of_row = group_rows(frame, by_columns)
    # (A frame with no key columns reports no rows, hence counting the codes.)
    n_groups = int(group_of_row.max()) + 1
    rng = (
        seed
        if isinstance(seed, np.random.Generator)
        else np.random.default_rng(DEFAULT_SEED if seed is None else seed)
    )

    columns: dict[str, list[float]] = {"sii": [], "rii": [], "intercept": []}
    suffixes = [level_suffix(level) for level in settings.levels]
    for stat in ("sii", "rii"):
        for suffix in suffixes:
            for part in ("lower", "upper", "mad"):
                columns[f"{stat}_{part}_{suffix}"] = []
    notes: list[str | None] = []
    order = np.lexsort((position, group_of_row))
    boundaries = np.searchsorted(group_of_row[order], np.arange(n_groups + 1))
    for g in range(n_groups):
        rows = order[boundaries[g] : boundaries[g + 1]]
        q = position[rows]
        duplicated = np.flatnonzero(np.diff(q) == 0)
        if duplicated.size:
            row = int(rows[duplicated[0] + 1])
            raise InputError(
                f"{FUNCTION}: the same quantile appears twice in one group",
                column=quantile,
                row=row + 1,
                value=frame[quantile].to_numpy()[row],
            )
        note = _problem(rows, q, quantile_levels, pop, model_values, model_se)
        if note is not None:
            notes.append(note)
            for values in columns.values():
                values.append(float("nan"))
            continue
        notes.append(None)
        mean, sd, weights = model_values[rows], model_se[rows], pop[rows]
        fit_values = mean if settings.transform else _from_model_scale(mean, value_type)
        alpha, beta = sii_fit(fit_values, weights)
        if settings.transform:
            low = _from_model_scale(np.array(alpha), value_type)
            high = _from_model_scale(np.array(alpha + beta), value_type)
        else:
            low, high = np.array(alpha), np.array(alpha + beta)
        sii_value, rii_value = _gap(low, high, settings)
        columns["sii"].append(float(sii_value))
        columns["rii"].append(float(rii_value))
        columns["intercept"].append(float(low) * abs(settings.multiplier))
        simulated = _simulate(mean, sd, weights, (alpha, beta), settings, rng)
        for name, values in simulated.items():
            columns[name].extend(values)

    out: dict[str, Any] = {"sii": columns["sii"]}
    if settings.rii:
        out["rii"] = columns["rii"]
    for stat in ("sii", "rii") if settings.rii else ("sii",):
        for suffix in suffixes:
            out[f"{stat}_lower_{suffix}"] = columns[f"{stat}_lower_{suffix}"]
            out[f"{stat}_upper_{suffix}"] = columns[f"{stat}_upper_{suffix}"]
    if settings.reliability:
        for stat in ("sii", "rii") if settings.rii else ("sii",):
            for suffix in suffixes:
                out[f"{stat}_mad_{suffix}"] = columns[f"{stat}_mad_{suffix}"]
    if intercept:
        out["intercept"] = columns["intercept"]
    out["value_type"] = [value_type] * n_groups
    out["multiplier"] = [float(multiplier)] * n_groups
    out["transform"] = [_TRANSFORM_NAME[value_type] if transform else "none"] * n_groups
    out["confidence"] = [confidence_label(settings.levels)] * n_groups
    out["method"] = [
        f"SII: WLS on relative rank (Low & Low 2004); CI: simulation, "
        f"{settings.repetitions} repetitions"
    ] * n_groups
    out["note"] = notes
    return build_frame(frame, list_columns(out), base=keys, function="sii")


def _problem(
    rows: np.ndarray,
    q: np.ndarray,
    levels: np.ndarray,
    pop: np.ndarray,
    model_values: np.ndarray,
    model_se: np.ndarray,
) -> str | None:
    """Why this group's SII cannot be computed (None if it can)."""
    if len(q) < len(levels):
        missing = np.setdiff1d(np.arange(len(levels)), q)
        labels = ", ".join(f"{levels[i]:g}" for i in missing)
        return f"SII not computed: quantile(s) {labels} missing for this group"
    group_pop = pop[rows]
    if np.isnan(group_pop).any() or (group_pop == 0).any():
        return "SII not computed: a quantile has a zero or missing population"
    if not np.isfinite(model_values[rows]).all():
        return (
            "SII not computed: a quantile value is missing, or 0/1 where a log/logit "
            "scale is needed"
        )
    if not np.isfinite(model_se[rows]).all():
        return (
            "SII not computed: a standard error or confidence limit is missing, or a "
            "limit is 0/1 where a log/logit scale is needed"
        )
    return None
