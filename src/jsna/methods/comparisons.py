"""Comparing groups: ratios and differences with confidence intervals.

The equity question of a JSNA — how much higher is diabetes prevalence in
Bangladeshi residents than in White British residents, and is it more than
chance? — needs a ratio (and a difference) between two groups with its own
interval and a test, not two overlapping intervals eyeballed. These are the
methods (PHEindicatormethods' open issue #26):

* proportions — ratio: log ratio with Katz's delta-method variance
  ``1/x1 - 1/n1 + 1/x2 - 1/n2`` (Katz D et al. Biometrics 1978;34:469–74);
  difference: Newcombe's hybrid score interval from the two Wilson intervals
  (Newcombe RG. Stat Med 1998;17:873–90, method 10); p-value: the pooled
  two-proportion score test.
* crude rates — ratio: exact conditional interval, treating ``x1`` given
  ``x1 + x2`` as binomial and using Clopper–Pearson limits (Breslow NE, Day
  NE 1987, vol II §2.2; Ulm K. Am J Epidemiol 1990;131:373–5); p-value: the
  matching two-sided exact binomial test; difference: MOVER from the two
  Poisson intervals (Zou GY, Donner A. Stat Med 2008;27:1693–702).
* DSRs — ratio: log ratio with delta-method variances from the Dobson
  variance of each DSR, ``var(log DSR) = var(DSR) / DSR**2`` (a normal
  approximation; Fay & Feuer's gamma method is more conservative for very
  small counts, which the < 10 suppression already excludes); p-value: the
  matching Wald test; difference: MOVER from the two Dobson intervals.

:func:`compare_estimates` covers statistics known only as estimate + CI
(life expectancy gaps), :func:`compare_to_reference` applies all of this to
every group of a table against one reference group.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
from scipy import special, stats

from jsna.errors import InputError
from jsna.methods._common import (
    as_frame,
    group_rows,
    level_suffix,
    normalise_by,
    normalise_confidence,
    numeric_column,
    z_value,
)
from jsna.methods._results import (
    Labels,
    build_frame,
    check_multiplier,
    group_sum,
    grouping,
    notes_from,
    plain,
)
from jsna.methods.confidence_intervals import dobson_ci, poisson_ci, wilson_ci
from jsna.methods.proportions import proportion_label
from jsna.methods.rates import poisson_method_labels, rate_label
from jsna.methods.standard_populations import STANDARDS, StandardPopulation, match_bands
from jsna.methods.standardisation import DSR_MINIMUM_COUNT, dsr_arrays

__all__ = [
    "STATISTICS",
    "Comparison",
    "Estimate",
    "compare_estimates",
    "compare_to_reference",
    "difference",
    "ratio",
]

#: Statistics :func:`compare_to_reference` knows.
STATISTICS = ("proportion", "rate", "dsr")


class Estimate(NamedTuple):
    """One group's statistic on the per-1 scale (arrays, one element per group).

    ``count`` is the numerator (total events for a DSR), ``denominator`` the
    population; ``variance`` the variance of ``value`` (needed for DSRs).
    """

    value: np.ndarray
    count: np.ndarray
    denominator: np.ndarray
    variance: np.ndarray | None = None


class Comparison(NamedTuple):
    """A ratio or difference with its interval and two-sided p-value."""

    estimate: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    p_value: np.ndarray


def _check_statistic(statistic: str, function: str) -> None:
    if statistic not in STATISTICS:
        raise InputError(
            f"{function}: statistic must be one of {', '.join(STATISTICS)}",
            column="statistic",
            value=statistic,
        )


def _single_level(confidence: float, function: str) -> float:
    levels = normalise_confidence(confidence, function=function)
    if len(levels) != 1:
        raise InputError(f"{function}: give one confidence level", column="confidence")
    return levels[0]


def _group_limits(
    statistic: str, est: Estimate, confidence: float
) -> tuple[np.ndarray, np.ndarray]:
    """A group's own interval on the per-1 scale."""
    if statistic == "proportion":
        return wilson_ci(est.count, est.denominator, confidence)
    if statistic == "rate":
        lower, upper = poisson_ci(est.count, confidence)
        with np.errstate(invalid="ignore", divide="ignore"):
            return lower / est.denominator, upper / est.denominator
    return dobson_ci(est.value, _variance(est), est.count, confidence)


def _variance(est: Estimate) -> np.ndarray:
    if est.variance is None:
        raise InputError("DSR comparisons need the variance of each DSR", column="variance")
    return est.variance


def ratio(
    statistic: str, group: Estimate, reference: Estimate, *, confidence: float = 0.95
) -> Comparison:
    """Ratio of ``group`` to ``reference`` with CI and p-value (test of ratio = 1).

    Method by statistic as in the module header: Katz log method
    (proportion), exact conditional binomial (rate), log ratio with Dobson
    delta-method variances (dsr). Arrays compare element by element.

    >>> import numpy as np
    >>> group = Estimate(np.array([30 / 1000]), np.array([30.0]), np.array([1000.0]))
    >>> reference = Estimate(np.array([20 / 1000]), np.array([20.0]), np.array([1000.0]))
    >>> c = ratio("rate", group, reference)
    >>> round(float(c.estimate[0]), 2), round(float(c.lower[0]), 3), round(float(c.upper[0]), 3)
    (1.5, 0.824, 2.787)
    """
    _check_statistic(statistic, "ratio")
    confidence = _single_level(confidence, "ratio")
    z = z_value(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate = group.value / reference.value
        if statistic == "proportion":
            x1, n1, x2, n2 = group.count, group.denominator, reference.count, reference.denominator
            se = np.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2)
            lower = np.exp(np.log(estimate) - z * se)
            upper = np.exp(np.log(estimate) + z * se)
            pooled = (x1 + x2) / (n1 + n2)
            score_se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
            statistic_z = (x1 / n1 - x2 / n2) / score_se
            p_value = np.where(score_se > 0, 2 * stats.norm.sf(np.abs(statistic_z)), 1.0)
        elif statistic == "rate":
            lower, upper, p_value = _conditional_rate_ratio(group, reference, confidence)
        else:
            se = np.sqrt(
                _variance(group) / group.value**2 + _variance(reference) / reference.value**2
            )
            log_ratio = np.log(estimate)
            lower = np.exp(log_ratio - z * se)
            upper = np.exp(log_ratio + z * se)
            p_value = 2 * stats.norm.sf(np.abs(log_ratio) / se)
    invalid = np.isnan(group.value) | np.isnan(reference.value)
    p_value = np.where(invalid, np.nan, p_value)
    return Comparison(estimate, lower, upper, p_value)


def _conditional_rate_ratio(
    group: Estimate, reference: Estimate, confidence: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact interval and test for a rate ratio, conditioning on the total count."""
    x1, x2 = group.count, reference.count
    total = x1 + x2
    alpha = 1 - confidence
    p_low = np.where(x1 > 0, special.betaincinv(x1, x2 + 1, alpha / 2), 0.0)
    p_high = np.where(x2 > 0, special.betaincinv(x1 + 1, x2, 1 - alpha / 2), 1.0)
    scale = reference.denominator / group.denominator
    lower = p_low / (1 - p_low) * scale
    upper = np.where(p_high < 1, p_high / (1 - p_high) * scale, np.inf)
    share = group.denominator / (group.denominator + reference.denominator)
    below = stats.binom.cdf(x1, total, share)
    above = stats.binom.sf(x1 - 1, total, share)
    p_value = np.minimum(1.0, 2 * np.minimum(below, above))
    p_value = np.where(total > 0, p_value, 1.0)
    return lower, upper, p_value


def difference(
    statistic: str, group: Estimate, reference: Estimate, *, confidence: float = 0.95
) -> Comparison:
    """Difference ``group - reference`` (per-1 scale) with a MOVER interval.

    Zou & Donner (2008): ``d - sqrt((v1 - l1)**2 + (u2 - v2)**2)`` and
    ``d + sqrt((u1 - v1)**2 + (v2 - l2)**2)`` from each group's own
    interval (Wilson, Poisson or Dobson) — for proportions this is
    Newcombe's hybrid score interval. The p-value is that of :func:`ratio`
    (a difference of 0 is a ratio of 1).

    >>> import numpy as np
    >>> group = Estimate(np.array([56 / 70]), np.array([56.0]), np.array([70.0]))
    >>> reference = Estimate(np.array([48 / 80]), np.array([48.0]), np.array([80.0]))
    >>> c = difference("proportion", group, reference)
    >>> round(float(c.lower[0]), 4), round(float(c.upper[0]), 4)
    (0.0524, 0.3339)
    """
    _check_statistic(statistic, "difference")
    confidence = _single_level(confidence, "difference")
    l1, u1 = _group_limits(statistic, group, confidence)
    l2, u2 = _group_limits(statistic, reference, confidence)
    v1, v2 = group.value, reference.value
    estimate = v1 - v2
    lower = estimate - np.sqrt((v1 - l1) ** 2 + (u2 - v2) ** 2)
    upper = estimate + np.sqrt((u1 - v1) ** 2 + (v2 - l2) ** 2)
    p_value = ratio(statistic, group, reference, confidence=confidence).p_value
    return Comparison(estimate, lower, upper, p_value)


def compare_estimates(
    value: Any,
    lower: Any,
    upper: Any,
    value_ref: Any,
    lower_ref: Any,
    upper_ref: Any,
    *,
    confidence: float = 0.95,
    scale: str = "log",
) -> Comparison:
    """Compare two estimates known only by value and confidence interval.

    An approximation for statistics whose counts are not at hand (life
    expectancy, published figures): each standard error is recovered from
    the width of its interval assuming normality — on the log scale for
    ``scale="log"`` (a ratio; ``se = (log U - log L) / (2 z)``) or as given
    for ``scale="linear"`` (a difference; ``se = (U - L) / (2 z)``) — and the
    two are combined as independent (Altman DG, Bland JM. How to obtain the
    confidence interval from a P value / the P value from a confidence
    interval. BMJ 2011;343:d2090, d2304). Asymmetric intervals are only
    approximately normal on either scale; treat p-values near the threshold
    with care. ``confidence`` is the level the inputs' intervals were
    computed at; the result uses the same level.

    >>> c = compare_estimates([80.0], [79.0], [81.0], [78.0], [77.5], [78.5], scale="linear")
    >>> round(float(c.estimate[0]), 3), round(float(c.lower[0]), 3), round(float(c.upper[0]), 3)
    (2.0, 0.882, 3.118)
    """
    if scale not in ("log", "linear"):
        raise InputError("compare_estimates: scale must be 'log' or 'linear'", value=scale)
    z = z_value(_single_level(confidence, "compare_estimates"))
    arrays = [
        np.asarray(a, dtype=float) for a in (value, lower, upper, value_ref, lower_ref, upper_ref)
    ]
    v1, l1, u1, v2, l2, u2 = arrays
    with np.errstate(invalid="ignore", divide="ignore"):
        if scale == "log":
            centre = np.log(v1) - np.log(v2)
            se = np.sqrt(
                ((np.log(u1) - np.log(l1)) / (2 * z)) ** 2
                + ((np.log(u2) - np.log(l2)) / (2 * z)) ** 2
            )
            estimate = np.exp(centre)
            low, high = np.exp(centre - z * se), np.exp(centre + z * se)
        else:
            centre = v1 - v2
            se = np.sqrt(((u1 - l1) / (2 * z)) ** 2 + ((u2 - l2) / (2 * z)) ** 2)
            estimate = centre
            low, high = centre - z * se, centre + z * se
        p_value = 2 * stats.norm.sf(np.abs(centre) / se)
    return Comparison(estimate, low, high, p_value)


def compare_to_reference(
    data: Any,
    group_col: str,
    *,
    reference: Any,
    statistic: str,
    x: str,
    n: str,
    by: str | Sequence[str] | None = None,
    age: str | None = None,
    standard: str | StandardPopulation = "esp2013",
    confidence: float | Sequence[float] = 0.95,
    multiplier: float | None = None,
) -> Any:
    """Every group against one reference group: value, ratio, difference, p.

    ``data`` holds counts: for ``statistic`` 'proportion' or 'rate' any rows
    (summed per ``by`` cell and group); for 'dsr' age-band rows per group,
    with ``age`` naming the band column (labels '0-4' … '90+' or start ages)
    matched to ``standard``. ``reference`` is the label of the reference
    group in ``group_col`` (e.g. 'White British'); within each ``by`` cell
    (e.g. each ward) groups are compared with that cell's reference group.

    Returns one row per (by…, group): ``x``, ``n`` totals, ``value`` and its
    interval columns, ``comparator`` (the reference label), ``ratio``,
    ``ratio_lower_95``, ``ratio_upper_95``, ``difference`` (in multiplier
    units), ``difference_lower_95``, ``difference_upper_95`` (one pair per
    confidence level), ``p_value`` (two-sided test of ratio = 1),
    ``confidence``, ``statistic``, ``method`` and ``note``. Methods: see
    :mod:`jsna.methods.comparisons`. The reference group's own row has ratio
    1, difference 0 and note 'reference group'. A ``by`` cell without the
    reference group, or a group whose value is not computable, gives NaN
    with a note, never an error.

    ``multiplier`` defaults to 1 for proportions and 100,000 for rates/DSRs.
    """
    function = "compare_to_reference"
    _check_statistic(statistic, function)
    by_cols = normalise_by(by)
    if group_col in by_cols:
        raise InputError(f"{function}: group_col must not also be in by", column=group_col)
    needed = [group_col, x, n, *by_cols]
    if statistic == "dsr":
        if not age:
            raise InputError(f"{function}: statistic 'dsr' needs the age band column (age=...)")
        needed.append(age)
    frame = as_frame(data, function=function, columns=needed)
    levels = normalise_confidence(confidence, function=function)
    if not levels:
        raise InputError(f"{function}: give at least one confidence level", column="confidence")
    if multiplier is None:
        multiplier = 1.0 if statistic == "proportion" else 100_000.0
    multiplier = check_multiplier(multiplier, function=function)
    xv = numeric_column(frame, x, function=function, minimum=0)
    nv = numeric_column(frame, n, function=function, minimum=0)
    keys, codes, groups = grouping(frame, [*by_cols, group_col])
    est, unusable, reasons = _estimates(
        statistic,
        frame,
        xv,
        nv,
        codes,
        groups,
        age=age,
        standard=standard,
        function=function,
        x_name=x,
    )
    ref_index, has_ref = _reference_rows(keys, by_cols, group_col, reference)
    is_ref = has_ref & (ref_index == np.arange(groups))
    ref_est = Estimate(*(None if a is None else a[ref_index] for a in est))
    ref_unusable = unusable[ref_index]
    usable = has_ref & ~unusable & ~ref_unusable
    columns: dict[str, Any] = {x: est.count, n: est.denominator}
    value = np.where(unusable, np.nan, est.value * multiplier)
    columns["value"] = value
    for level in levels:
        lower, upper = _group_limits(statistic, est, level)
        suffix = level_suffix(level)
        columns[f"lower_{suffix}"] = np.where(unusable, np.nan, lower * multiplier)
        columns[f"upper_{suffix}"] = np.where(unusable, np.nan, upper * multiplier)
    columns["comparator"] = np.full(groups, str(reference), dtype=object)
    ratios = [ratio(statistic, est, ref_est, confidence=level) for level in levels]
    diffs = [difference(statistic, est, ref_est, confidence=level) for level in levels]

    def masked(values: np.ndarray, on_reference: float) -> np.ndarray:
        out = np.where(usable, values, np.nan)
        return np.where(is_ref & usable, on_reference, out)

    columns["ratio"] = masked(ratios[0].estimate, 1.0)
    for level, comp in zip(levels, ratios, strict=True):
        suffix = level_suffix(level)
        columns[f"ratio_lower_{suffix}"] = masked(comp.lower, np.nan)
        columns[f"ratio_upper_{suffix}"] = masked(comp.upper, np.nan)
    columns["difference"] = masked(diffs[0].estimate * multiplier, 0.0)
    for level, comp in zip(levels, diffs, strict=True):
        suffix = level_suffix(level)
        columns[f"difference_lower_{suffix}"] = masked(comp.lower * multiplier, np.nan)
        columns[f"difference_upper_{suffix}"] = masked(comp.upper * multiplier, np.nan)
    columns["p_value"] = masked(ratios[0].p_value, np.nan)
    columns["statistic"] = _statistic_label(statistic, multiplier)
    columns["method"] = _method_label(statistic, est.count)
    columns["note"] = notes_from(
        [
            (is_ref, "reference group"),
            (~has_ref, f"no reference group {reference!r} in this cell: not compared"),
            *reasons,
            (
                has_ref & ~is_ref & ref_unusable & ~unusable,
                "reference group value not computable: not compared",
            ),
        ],
        groups,
    )
    return build_frame(frame, columns, base=keys, levels=levels, function=function)


def _estimates(
    statistic: str,
    frame: Any,
    xv: np.ndarray,
    nv: np.ndarray,
    codes: np.ndarray,
    groups: int,
    *,
    age: str | None,
    standard: str | StandardPopulation,
    function: str,
    x_name: str,
) -> tuple[Estimate, np.ndarray, list[tuple[np.ndarray, str]]]:
    count = group_sum(xv, codes, groups)
    population = group_sum(nv, codes, groups)
    missing = np.isnan(count) | np.isnan(population)
    zero = population == 0
    reasons: list[tuple[np.ndarray, str]] = [
        (missing, "missing count or population: not computed"),
        (zero & ~missing, "zero population: not computed"),
    ]
    if statistic == "proportion":
        above = xv > nv
        if above.any():
            row = int(np.argmax(above))
            raise InputError(
                f"{function}: numerator must not exceed its denominator",
                column=x_name,
                row=row + 1,
                value=plain(xv[row]),
            )
    if statistic in ("proportion", "rate"):
        with np.errstate(invalid="ignore", divide="ignore"):
            value = count / population
        return Estimate(value, count, population), missing | zero, reasons
    std = standard if isinstance(standard, StandardPopulation) else STANDARDS.get(str(standard))
    if std is None:
        raise InputError(
            f"{function}: standard must be one of {', '.join(STANDARDS)}",
            column="standard",
            value=standard,
        )
    band = match_bands(frame[age].to_numpy(), std, column=age, function=function)
    # counts per group and band on a full grid: rows split within a band are summed,
    # and a band with no rows has no population
    bands = len(std)
    pair = codes.astype(np.int64) * bands + band
    band_x = np.bincount(pair, weights=xv, minlength=groups * bands)
    band_n = np.bincount(pair, weights=nv, minlength=groups * bands)
    zero_band = (band_n.reshape(groups, bands) == 0).any(axis=1)
    parts = dsr_arrays(
        band_x,
        band_n,
        np.tile(std.weight_array, groups),
        np.repeat(np.arange(groups), bands),
        groups,
        standard_total=np.full(groups, float(sum(std.weights))),
    )
    too_few = parts["count"] < DSR_MINIMUM_COUNT
    reasons += [
        (too_few & ~zero, f"total count < {DSR_MINIMUM_COUNT}: DSR not calculated"),
        (zero_band & ~zero, "an age band has no population: DSR not calculated"),
    ]
    unusable = missing | zero | too_few | zero_band
    est = Estimate(parts["value"], parts["count"], population, parts["variance"])
    return est, unusable, reasons


def _reference_rows(
    keys: Any, by_cols: list[str], group_col: str, reference: Any
) -> tuple[np.ndarray, np.ndarray]:
    """For each group row, the row of its by-cell's reference group."""
    groups = len(keys)
    labels = keys[group_col].to_list()
    is_reference = np.array([label == reference for label in labels], dtype=bool)
    if by_cols:
        _, cell = group_rows(keys, by_cols)
    else:
        cell = np.zeros(groups, dtype=np.int64)
    cells = int(cell.max()) + 1 if groups else 0
    ref_of_cell = np.full(cells, -1, dtype=np.int64)
    ref_of_cell[cell[is_reference]] = np.flatnonzero(is_reference)
    index = ref_of_cell[cell]
    has_ref = index >= 0
    return np.where(has_ref, index, 0), has_ref


def _statistic_label(statistic: str, multiplier: float) -> str:
    if statistic == "proportion":
        return proportion_label(multiplier)
    return rate_label(multiplier, "rate" if statistic == "rate" else "dsr")


def _method_label(statistic: str, counts: np.ndarray) -> str | Labels:
    if statistic == "proportion":
        return "Wilson; ratio: Katz log; difference: Newcombe hybrid score"
    if statistic == "rate":
        return poisson_method_labels(counts).with_suffix(
            "; ratio: exact conditional; difference: MOVER"
        )
    return "Dobson; ratio: log with Dobson variances; difference: MOVER"
