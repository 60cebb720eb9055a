"""Array-level confidence intervals for counts, proportions, rates and means.

The building blocks every statistic in :mod:`jsna.methods` uses, exposed for
power users who already hold NumPy arrays. Each function is vectorised, takes
one confidence level (a fraction such as 0.95) and returns ``(lower, upper)``
arrays of floats. Nothing here validates data frames or raises
:class:`jsna.errors.InputError`: invalid elements (missing, negative) give NaN.

Methods follow the Fingertips technical guidance and PHEindicatormethods:
Wilson score intervals for proportions, Byar's approximation to the Poisson
for counts of 10 or more and exact Poisson (chi-squared) limits below 10,
Dobson's method for weighted sums of Poisson counts (DSRs), and Student's t
for means.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from scipy import special, stats

from jsna.methods._common import z_value

__all__ = [
    "BYARS_MINIMUM_COUNT",
    "byars_ci",
    "dobson_ci",
    "exact_poisson_ci",
    "poisson_ci",
    "student_t_ci",
    "wilson_ci",
]

#: Counts at or above this use Byar's approximation; below it exact limits.
BYARS_MINIMUM_COUNT = 10

FloatArray = np.ndarray


def _float(values: object) -> FloatArray:
    return np.asarray(values, dtype=float)


def wilson_ci(x: object, n: object, confidence: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Wilson score interval for the proportion ``x / n`` (on the 0–1 scale).

    Wilson EB. Probable inference, the law of succession, and statistical
    inference. J Am Stat Assoc 1927;22:209–12; Newcombe RG, Altman DG.
    Proportions and their differences. In: Altman DG et al. (eds) Statistics
    with confidence, 2nd edn. BMJ Books 2000:46–8.

    >>> lower, upper = wilson_ci([0, 5], [10, 10])
    >>> lower.round(4).tolist(), upper.round(4).tolist()
    ([0.0, 0.2366], [0.2775, 0.7634])
    """
    x = _float(x)
    n = _float(n)
    z = z_value(confidence)
    z2 = z * z
    with np.errstate(invalid="ignore", divide="ignore"):
        # in-place steps: this runs on millions of rows in the benchmarks
        spread = x / n
        np.subtract(1.0, spread, out=spread)
        spread *= x
        spread *= 4.0
        spread += z2
        np.sqrt(spread, out=spread)
        spread *= z
        scale = n + z2
        np.multiply(scale, 2.0, out=scale)
        np.reciprocal(scale, out=scale)
        centre = 2.0 * x
        centre += z2
        lower = centre - spread
        lower *= scale
        upper = np.add(centre, spread, out=centre)
        upper *= scale
    return lower, upper


def byars_ci(x: object, confidence: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Byar's approximation to the exact Poisson limits for an observed count.

    Breslow NE, Day NE. Statistical methods in cancer research, volume II:
    the design and analysis of cohort studies. IARC 1987. The lower limit is
    NaN where the approximation fails (zero counts, or a negative result for
    very small counts at high confidence), as in PHEindicatormethods; use
    :func:`poisson_ci` to switch to exact limits below 10 automatically.

    >>> lower, upper = byars_ci([100])
    >>> round(float(lower[0]), 3), round(float(upper[0]), 3)
    (81.362, 121.628)
    """
    x = _float(x)
    z = z_value(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = _byars_term(x, -z)
        upper = _byars_term(x + 1, z)
    lower[lower < 0] = np.nan
    return lower, upper


def _byars_term(count: FloatArray, signed_z: float) -> FloatArray:
    """``count * (1 - 1/(9 count) + signed_z / (3 sqrt(count)))**3``, in place."""
    term = np.sqrt(count)
    term *= 3.0
    np.divide(signed_z, term, out=term)
    term += 1.0
    term -= 1.0 / (9.0 * count)
    cube = term * term
    cube *= term
    cube *= count
    return cube


@cache
def _exact_table(confidence: float) -> tuple[FloatArray, FloatArray]:
    """Exact limits for the integer counts 0–9 (the only ones exact is used for)."""
    counts = np.arange(BYARS_MINIMUM_COUNT, dtype=float)
    return _exact_limits(counts, confidence)


def _exact_limits(x: FloatArray, confidence: float) -> tuple[FloatArray, FloatArray]:
    alpha = 1 - confidence
    with np.errstate(invalid="ignore"):
        lower = np.where(x > 0, stats.chi2.ppf(alpha / 2, 2 * x) / 2, 0.0)
        upper = stats.chi2.ppf(1 - alpha / 2, 2 * x + 2) / 2
    lower = np.where(np.isnan(x) | (x < 0), np.nan, lower)
    return lower, upper


def exact_poisson_ci(x: object, confidence: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Exact (Garwood) Poisson limits for an observed count, via chi-squared.

    Garwood F. Fiducial limits for the Poisson distribution. Biometrika
    1936;28:437–42. Lower = chi2(alpha/2, 2x)/2 (0 when x = 0), upper =
    chi2(1 - alpha/2, 2x + 2)/2.

    >>> lower, upper = exact_poisson_ci([0, 3])
    >>> lower.round(4).tolist(), upper.round(4).tolist()
    ([0.0, 0.6187], [3.6889, 8.7673])
    """
    x = _float(x)
    lower = np.full(x.shape, np.nan)
    upper = np.full(x.shape, np.nan)
    table_lower, table_upper = _exact_table(float(confidence))
    small = (x >= 0) & (x < BYARS_MINIMUM_COUNT) & (x == np.floor(x))
    if small.any():
        index = x[small].astype(np.int64)
        lower[small] = table_lower[index]
        upper[small] = table_upper[index]
    other = ~small & ~np.isnan(x) & (x >= 0)
    if other.any():
        lower[other], upper[other] = _exact_limits(x[other], confidence)
    return lower, upper


def poisson_ci(x: object, confidence: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Limits for a Poisson count: exact below 10, Byar's at 10 or more.

    The Fingertips convention (PHEindicatormethods ``phe_rate``).
    """
    x = _float(x)
    lower, upper = byars_ci(x, confidence)
    small = x < BYARS_MINIMUM_COUNT
    if small.any():
        lower[small], upper[small] = exact_poisson_ci(x[small], confidence)
    return lower, upper


def dobson_ci(
    value: object, variance: object, count: object, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Dobson's interval for a weighted sum of Poisson counts (e.g. a DSR).

    Dobson AJ, Kuulasmaa K, Eberle E, Scherer J. Confidence intervals for
    weighted sums of Poisson parameters. Stat Med 1991;10:457–62. With ``O``
    the total count and ``(O_l, O_u)`` its Poisson limits (:func:`poisson_ci`),
    the limits are ``value + sqrt(variance / O) * (O_l - O)`` and likewise
    for the upper limit. ``value`` and ``variance`` must be on the same scale
    (multiply by the multiplier afterwards, or give ``variance`` already
    multiplied by its square).
    """
    value = _float(value)
    variance = _float(variance)
    count = _float(count)
    count_lower, count_upper = poisson_ci(count, confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.sqrt(variance / count)
        lower = value + scale * (count_lower - count)
        upper = value + scale * (count_upper - count)
    return lower, upper


def student_t_ci(
    mean: object, sd: object, n: object, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Student's t interval for a mean: ``mean ± t(n-1) * sd / sqrt(n)``.

    Student. The probable error of a mean. Biometrika 1908;6:1–25. NaN when
    ``n < 2`` (no degrees of freedom).
    """
    mean = _float(mean)
    sd = _float(sd)
    n = _float(n)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = special.stdtrit(n - 1, confidence + (1 - confidence) / 2)
        half = np.abs(t) * sd / np.sqrt(n)
    half = np.where(n < 2, np.nan, half)
    return mean - half, mean + half
