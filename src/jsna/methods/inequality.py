"""Summary measures of health inequality across subgroups, as WHO HEAT computes them.

For one indicator disaggregated by a dimension of inequality (ethnic group,
main language, ward, deprivation quintile) this module reduces the subgroup
estimates to the summary measures of the WHO Health Equity Assessment
Toolkit (HEAT / HEAT Plus): simple measures (difference D, ratio R), and
complex ones: for ordered dimensions the absolute and relative concentration
indices (ACI, RCI) and the slope and relative indices of inequality (SII,
RII) from a logistic model; for non-ordered dimensions the between-group
variance and standard deviation (BGV, BGSD), coefficient of variation (COV),
mean differences from the mean, the best and a reference subgroup (MDM, MDB,
MDR; unweighted U and weighted W), the index of disparity (IDIS), Theil's
index (TI) and the mean log deviation (MLD); and for both the population
attributable risk and fraction (PAR, PAF).

Confidence intervals follow HEAT: analytic where HEAT has a formula (D, R,
BGV, TI, MLD, ACI, RCI, SII, RII, PAF, PAR), otherwise from 100 seeded
simulations drawing each subgroup estimate from a normal distribution with
its standard error, truncated to the valid range (at least 0; at most 100
for percentages).

References: WHO. Health Equity Assessment Toolkit (HEAT): technical notes
(Hosseinpoor AR, Schlotheuber A et al., WHO 2021). Schlotheuber A,
Hosseinpoor AR. Summary measures of health inequality: a review of existing
measures and their application. Int J Environ Res Public Health
2022;19:3697. WHO ``healthequal`` R package and HEAT-Measures source (the
formulas below were checked against both). Ahn J et al. Variance estimation
and confidence intervals for 11 commonly used health disparity measures. JCO
Clin Cancer Inform 2018;2:1-19. Walter SD. Calculation of attributable risks
from epidemiological data. Int J Epidemiol 1978;7:175-182. Kakwani N,
Wagstaff A, van Doorslaer E. Socioeconomic inequalities in health:
measurement, computation, and statistical inference. J Econometrics
1997;77:87-103.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import narwhals as nw
import numpy as np
from scipy import stats

from jsna.errors import InputError
from jsna.methods._common import (
    as_frame,
    group_rows,
    normalise_by,
    numeric_column,
    z_value,
)
from jsna.methods._results import build_frame, list_columns
from jsna.methods.sii import DEFAULT_SEED, relative_rank

__all__ = [
    "MEASURES",
    "NON_ORDERED_MEASURES",
    "ORDERED_MEASURES",
    "Measure",
    "inequality_measures",
]

FUNCTION = "inequality_measures"

#: Simulations behind the simulated confidence intervals (HEAT's default).
SIMULATIONS = 100

#: Share of subgroups that must have an estimate (HEAT's data-sufficiency rule).
MINIMUM_SHARE_PRESENT = 0.85

#: HEAT replaces zero estimates by this before taking logarithms (TI, MLD).
ZERO_REPLACEMENT = 1e-6

_Z95 = z_value(0.95)
_LEADING_INTEGER = re.compile(r"^\s*(\d+)")


@dataclass(frozen=True)
class Measure:
    """What a summary measure is, as every result row states it."""

    code: str
    name: str
    kind: str  # "absolute" or "relative"
    weighted: bool
    ci: str  # "analytic" or "simulation"
    all_subgroups: bool  # needs every subgroup rather than 85% (as every ordered measure)


_ABS, _REL, _ANA, _SIM = "absolute", "relative", "analytic", "simulation"

# code, name, kind, weighted, CI, needs every subgroup
MEASURES: dict[str, Measure] = {
    m.code: m
    for m in (
        Measure("D", "Difference", _ABS, False, _ANA, False),
        Measure("R", "Ratio", _REL, False, _ANA, False),
        Measure("ACI", "Absolute concentration index", _ABS, True, _ANA, True),
        Measure("RCI", "Relative concentration index", _REL, True, _ANA, True),
        Measure("SII", "Slope index of inequality", _ABS, True, _ANA, True),
        Measure("RII", "Relative index of inequality", _REL, True, _ANA, True),
        Measure("BGV", "Between-group variance", _ABS, True, _ANA, False),
        Measure("BGSD", "Between-group standard deviation", _ABS, True, _SIM, False),
        Measure("COV", "Coefficient of variation", _REL, True, _SIM, False),
        Measure("MDMU", "Mean difference from mean (unweighted)", _ABS, False, _SIM, False),
        Measure("MDMW", "Mean difference from mean (weighted)", _ABS, True, _SIM, False),
        Measure("MDBU", "Mean difference from best group (unweighted)", _ABS, False, _SIM, False),
        Measure("MDBW", "Mean difference from best group (weighted)", _ABS, True, _SIM, False),
        Measure("MDRU", "Mean difference from reference (unweighted)", _ABS, False, _SIM, False),
        Measure("MDRW", "Mean difference from reference (weighted)", _ABS, True, _SIM, False),
        Measure("IDISU", "Index of disparity (unweighted)", _REL, False, _SIM, False),
        Measure("IDISW", "Index of disparity (weighted)", _REL, True, _SIM, False),
        Measure("TI", "Theil index", _REL, True, _ANA, False),
        Measure("MLD", "Mean log deviation", _REL, True, _ANA, False),
        Measure("PAF", "Population attributable fraction", _REL, True, _ANA, False),
        Measure("PAR", "Population attributable risk", _ABS, True, _ANA, False),
    )
}  # fmt: skip

ORDERED_MEASURES: tuple[str, ...] = ("D", "R", "ACI", "RCI", "SII", "RII", "PAF", "PAR")
NON_ORDERED_MEASURES: tuple[str, ...] = (
    "D", "R", "BGV", "BGSD", "COV", "MDMU", "MDMW", "MDBU", "MDBW", "MDRU", "MDRW",
    "IDISU", "IDISW", "TI", "MLD", "PAF", "PAR",
)  # fmt: skip

_SIMULATED = f"; CI from {SIMULATIONS} simulations of N(estimate, SE) truncated to the valid range"
_METHODS = {
    "D": "y1 - y2; CI ±z·sqrt(se1² + se2²)",
    "R": "y1 / y2; CI on the log scale by the delta method",
    "ACI": "2σ²β, β the population-weighted slope on fractional rank (Kakwani 1997); OLS CI",
    "RCI": "ACI / setting mean (Kakwani 1997); OLS CI",
    "SII": "logistic regression on fractional rank, fitted value at rank 1 - rank 0; "
    "delta-method CI with HC1 robust variance",
    "RII": "logistic regression on fractional rank, fitted value at rank 1 / rank 0; "
    "delta-method CI (log scale) with HC1 robust variance",
    "BGV": "Σ p_j (y_j - μ)²; analytic CI (Ahn 2018)",
    "BGSD": "sqrt(Σ p_j (y_j - μ)²)" + _SIMULATED,
    "COV": "100 · BGSD / μ" + _SIMULATED,
    "MDMU": "(1/n) Σ |y_j - μ|" + _SIMULATED,
    "MDMW": "Σ p_j |y_j - μ|" + _SIMULATED,
    "MDBU": "(1/n) Σ |y_j - y_best|" + _SIMULATED,
    "MDBW": "Σ p_j |y_j - y_best|" + _SIMULATED,
    "MDRU": "(1/n) Σ |y_j - y_ref|" + _SIMULATED,
    "MDRW": "Σ p_j |y_j - y_ref|" + _SIMULATED,
    "IDISU": "100 · (1/n) Σ |y_j - μ| / μ" + _SIMULATED,
    "IDISW": "100 · Σ p_j |y_j - μ| / μ" + _SIMULATED,
    "TI": "1000 · Σ p_j r_j ln r_j, r_j = y_j/μ; delta-method CI",
    "MLD": "1000 · Σ p_j (-ln r_j), r_j = y_j/μ; delta-method CI",
    "PAF": "100 · PAR / μ; CI by Walter (1978)",
    "PAR": "y_ref - μ, 0 when the reference is not better; CI by Walter (1978)",
}


@dataclass
class _Subgroups:
    """One setting's subgroups (complete cases), ordered most disadvantaged first."""

    labels: list[str]
    y: np.ndarray
    se: np.ndarray
    pop: np.ndarray
    n_expected: int
    missing: list[str]

    @property
    def share(self) -> np.ndarray:
        return self.pop / self.pop.sum()


def _weighted_mean(y: np.ndarray, share: np.ndarray) -> np.ndarray:
    return (y * share).sum(axis=-1)


# --- the measures, each vectorised over leading axes of y (point: (k,), sims: (S, k)) ---


def _bgv(y: np.ndarray, share: np.ndarray) -> np.ndarray:
    mu = _weighted_mean(y, share)[..., None]
    return (share * (y - mu) ** 2).sum(axis=-1)


def _bgsd(y: np.ndarray, share: np.ndarray) -> np.ndarray:
    return np.sqrt(_bgv(y, share))


def _cov(y: np.ndarray, share: np.ndarray) -> np.ndarray:
    return _bgsd(y, share) / _weighted_mean(y, share) * 100


def _md(y: np.ndarray, centre: np.ndarray, weights: np.ndarray) -> np.ndarray:
    return (weights * np.abs(y - centre[..., None])).sum(axis=-1)


def _simulated(code: str, sub: _Subgroups, favourable: bool, ref: int | None) -> Callable:
    """The statistic for a simulated measure as a function of y (any leading shape)."""
    share, k = sub.share, len(sub.y)
    equal = np.full(k, 1 / k)

    def best(y: np.ndarray) -> np.ndarray:
        return y.max(axis=-1) if favourable else y.min(axis=-1)

    def reference(y: np.ndarray) -> np.ndarray:
        return y[..., ref]

    def mean(y: np.ndarray) -> np.ndarray:
        return _weighted_mean(y, share)

    return {
        "BGSD": lambda y: _bgsd(y, share),
        "COV": lambda y: _cov(y, share),
        "MDMU": lambda y: _md(y, mean(y), equal),
        "MDMW": lambda y: _md(y, mean(y), share),
        "MDBU": lambda y: _md(y, best(y), equal),
        "MDBW": lambda y: _md(y, best(y), share),
        "MDRU": lambda y: _md(y, reference(y), equal),
        "MDRW": lambda y: _md(y, reference(y), share),
        "IDISU": lambda y: _md(y, mean(y), equal) / mean(y) * 100,
        "IDISW": lambda y: _md(y, mean(y), share) / mean(y) * 100,
    }[code]


def _truncated_draws(sub: _Subgroups, scale: float, rng: np.random.Generator) -> np.ndarray:
    """SIMULATIONS × k draws of N(y, se) truncated to [0, ∞) (or [0, 100] for %)."""
    upper = 100.0 if scale == 100 else np.inf
    sd = np.where(sub.se > 0, sub.se, 1.0)
    a = (0 - sub.y) / sd
    b = (upper - sub.y) / sd
    u = rng.random((SIMULATIONS, len(sub.y)))
    draws = stats.truncnorm.ppf(u, a, b, loc=sub.y, scale=sd)
    return np.where(sub.se > 0, draws, sub.y)


def _normal_ci(value: float, se: float) -> tuple[float, float]:
    return value - _Z95 * se, value + _Z95 * se


def _pair(sub: _Subgroups, ordered: bool, favourable: bool, ref: int | None) -> tuple[int, int]:
    """Indices (y1, y2) for D and R (HEAT's choice of the two subgroups)."""
    if ordered:
        low, high = 0, len(sub.y) - 1  # most disadvantaged, most advantaged
        return (high, low) if favourable else (low, high)
    highest, lowest = int(np.argmax(sub.y)), int(np.argmin(sub.y))
    if ref is None:
        return highest, lowest
    return (ref, lowest) if favourable else (highest, ref)


def _difference_ratio(
    code: str, sub: _Subgroups, pair: tuple[int, int]
) -> tuple[float, float, float]:
    y1, y2 = sub.y[pair[0]], sub.y[pair[1]]
    s1, s2 = sub.se[pair[0]], sub.se[pair[1]]
    if code == "D":
        d = y1 - y2
        return (d, *_normal_ci(d, float(np.hypot(s1, s2))))
    r = y1 / y2
    log_se = np.sqrt((s1**2 + r**2 * s2**2) / y2**2) / r
    return r, float(np.exp(np.log(r) - _Z95 * log_se)), float(np.exp(np.log(r) + _Z95 * log_se))


def _bgv_ci(sub: _Subgroups) -> tuple[float, float, float]:
    p, y, se = sub.share, sub.y, sub.se
    value = float(_bgv(y, p))
    mu = _weighted_mean(y, p)
    se2 = np.sum(p**2 * se**2 * (y - mu) ** 2)
    s2 = np.sum(p**2 * se**2)
    s4 = np.sum(p**4 * se**4)
    se4 = np.sum(p**2 * (1 - p) ** 2 * se**4)
    return (value, *_normal_ci(value, float(np.sqrt(4 * se2 + 2 * (s2**2 - s4 + se4)))))


def _theil_mld(code: str, sub: _Subgroups) -> tuple[float, float, float]:
    p = sub.share
    y = np.where(sub.y == 0, ZERO_REPLACEMENT, sub.y)
    mu = _weighted_mean(y, p)
    r = y / mu
    if code == "TI":
        value = 1000 * np.sum(p * r * np.log(r))
        centre = np.sum(p * r * (1 + np.log(r)))
        gradient = (1 + np.log(r) - centre) * p / mu
    else:
        value = 1000 * np.sum(p * -np.log(r))
        gradient = (1 - 1 / r) * p / mu
    se = 1000 * np.sqrt(np.sum(gradient**2 * sub.se**2))
    return (float(value), *_normal_ci(float(value), float(se)))


def _paf_par(
    code: str, sub: _Subgroups, ref: int, favourable: bool, scale: float
) -> tuple[float, float, float]:
    mu = float(_weighted_mean(sub.y, sub.share))
    y_ref = float(sub.y[ref])
    par = y_ref - mu
    if (favourable and par < 0) or (not favourable and par > 0):
        par = 0.0
    # Walter (1978): a 2×2 table of events/non-events in the reference
    # subgroup (c, d) and in the rest of the population (a, b).
    n_ref, n_all = sub.pop[ref], sub.pop.sum()
    c = y_ref / scale * n_ref
    d = n_ref - c
    a = mu / scale * n_all - c
    b = n_all - a - n_ref
    with np.errstate(divide="ignore", invalid="ignore"):
        variance = c * n_all * (a * d * (n_all - c) + b * c**2) / ((a + c) ** 3 * (c + d) ** 3)
    # Undefined (NaN interval) unless the table is a real one: no events, or
    # estimates above the scale, leave it without a variance.
    fraction_se = float(np.sqrt(variance)) if variance >= 0 else np.nan
    if code == "PAR":
        return (par, *_normal_ci(par, mu * fraction_se))
    paf = par / mu * 100
    return (paf, *_normal_ci(paf, 100 * fraction_se))


def _concentration(code: str, sub: _Subgroups) -> tuple[float, float, float]:
    """ACI = 2σ²β by the convenient regression of Kakwani et al. (1997), as HEAT."""
    rank = relative_rank(sub.pop)
    share = sub.share
    sigma2 = np.sum(share * (rank - 0.5) ** 2)
    mu = _weighted_mean(sub.y, share)
    root = np.sqrt(sub.pop)
    response = 2 * sigma2 * sub.y * root / (mu if code == "RCI" else 1.0)
    design = np.column_stack([rank * root, root])
    coef, *_ = np.linalg.lstsq(design, response, rcond=None)
    residual = response - design @ coef
    dof = len(sub.y) - 2
    unscaled = np.linalg.inv(design.T @ design)
    se = float(np.sqrt(residual @ residual / dof * unscaled[0, 0])) if dof > 0 else np.nan
    value = float(coef[0])
    return (value, *_normal_ci(value, se))


def _logistic_gradient(code: str, sub: _Subgroups, scale: float) -> tuple[float, float, float]:
    """SII/RII from HEAT's binomial-logit model on fractional rank.

    Successes y = round(estimate/scale · n), trials n = ceiling(population),
    prior weights n (as HEAT's ``glm(cbind(y, n - y) ~ rank, weights = pop)``).
    Fitted by Newton-Raphson; HC1 sandwich variance; delta method for the
    difference (SII) and the log ratio (RII) of the fitted values at ranks 1 and 0.
    """
    trials = np.ceil(sub.pop)
    events = np.round(sub.y / scale * trials)
    rank = relative_rank(trials)
    x = np.column_stack([np.ones_like(rank), rank])
    weight = trials  # prior weights
    # Start as R's binomial family does: mu = (n·y + 0.5)/(n + 1).
    start = (events + 0.5) / (trials + 1)
    beta, *_ = np.linalg.lstsq(x, np.log(start / (1 - start)), rcond=None)
    for _ in range(100):
        pi = 1 / (1 + np.exp(-(x @ beta)))
        score = x.T @ (weight * (events - trials * pi))
        info = (x.T * (weight * trials * pi * (1 - pi))) @ x
        step = np.linalg.solve(info, score)
        beta = beta + step
        if np.max(np.abs(step)) < 1e-12:
            break
    pi = 1 / (1 + np.exp(-(x @ beta)))
    info = (x.T * (weight * trials * pi * (1 - pi))) @ x
    bread = np.linalg.inv(info)
    scores = x * (weight * (events - trials * pi))[:, None]
    n_obs, n_par = x.shape
    vcov = bread @ (scores.T @ scores) @ bread * n_obs / (n_obs - n_par)
    p0 = 1 / (1 + np.exp(-beta[0]))
    p1 = 1 / (1 + np.exp(-(beta[0] + beta[1])))
    if code == "SII":
        jac = np.array([p1 * (1 - p1) - p0 * (1 - p0), p1 * (1 - p1)])
        value = (p1 - p0) * scale
        se = float(np.sqrt(jac @ vcov @ jac)) * scale
        return (float(value), *_normal_ci(float(value), se))
    jac = np.array([(1 - p1) - (1 - p0), 1 - p1])
    log_se = float(np.sqrt(jac @ vcov @ jac))
    log_ratio = float(np.log(p1 / p0))
    return (
        float(p1 / p0),
        float(np.exp(log_ratio - _Z95 * log_se)),
        float(np.exp(log_ratio + _Z95 * log_se)),
    )


# --- data handling -------------------------------------------------------------


def _labels(frame: nw.DataFrame[Any], column: str) -> list[str]:
    raw = frame[column].to_list()
    for i, value in enumerate(raw):
        if value is None or (isinstance(value, float) and value != value):
            raise InputError(
                f"{FUNCTION}: subgroup label must not be missing", column=column, row=i + 1
            )
    return [str(v) for v in raw]


def _orders(
    frame: nw.DataFrame[Any], labels: list[str], group: str, order: str | None
) -> np.ndarray:
    if order is not None:
        return numeric_column(frame, order, function=FUNCTION, allow_missing=False)
    out = np.empty(len(labels))
    for i, label in enumerate(labels):
        match = _LEADING_INTEGER.match(label)
        if match is None:
            raise InputError(
                f"{FUNCTION}: an ordered dimension needs order= (a column numbering the "
                "subgroups, 1 = most disadvantaged) or labels that start with that number",
                column=group,
                row=i + 1,
                value=label,
                hint="leave out rows such as 'Unknown' that have no place in the order",
            )
        out[i] = float(match.group(1))
    return out


def _check_unique(members: np.ndarray, values: list[Any], column: str, what: str) -> None:
    """Raise on the first repeat of a value within one setting's rows."""
    seen: set[Any] = set()
    for i in members:
        if values[i] in seen:
            raise InputError(
                f"{FUNCTION}: {what} appears twice in one setting",
                column=column,
                row=int(i) + 1,
                value=values[i],
            )
        seen.add(values[i])


def _check_measures(measures: str | Iterable[str], ordered: bool) -> list[str]:
    applicable = ORDERED_MEASURES if ordered else NON_ORDERED_MEASURES
    if isinstance(measures, str) and measures == "all":
        return list(applicable)
    requested = [measures] if isinstance(measures, str) else list(measures)
    for code in requested:
        if code not in MEASURES:
            raise InputError(
                f"{FUNCTION}: unknown measure; choose from {', '.join(MEASURES)}",
                column="measures",
                value=code,
            )
        if code not in applicable:
            kind = "ordered" if ordered else "non-ordered"
            raise InputError(
                f"{FUNCTION}: {code} does not apply to a {kind} dimension "
                f"(applicable: {', '.join(applicable)})",
                column="measures",
                value=code,
            )
    if not requested:
        raise InputError(f"{FUNCTION}: no measures requested", column="measures", value=measures)
    return [code for code in applicable if code in requested]


@dataclass(frozen=True)
class _Options:
    ordered: bool
    favourable: bool
    scale: float
    reference: str | None


def _evaluate(
    code: str, sub: _Subgroups, options: _Options, draws: np.ndarray | None
) -> dict[str, Any]:
    """One result row (without the by keys) for one measure and setting."""
    measure = MEASURES[code]
    row: dict[str, Any] = {
        "measure": code,
        "measure_name": measure.name,
        "value": np.nan,
        "lower_95": np.nan,
        "upper_95": np.nan,
        "kind": measure.kind,
        "weighted": measure.weighted,
        "reference": None,
        "method": _METHODS[code],
        "flag": None,
    }
    k, n = len(sub.y), sub.n_expected
    if (measure.all_subgroups or options.ordered) and sub.missing:
        row["flag"] = f"not computed: needs every subgroup; missing {', '.join(sub.missing)}"
        return row
    if k < MINIMUM_SHARE_PRESENT * n:
        row["flag"] = f"not computed: estimates for {k} of {n} subgroups (HEAT needs at least 85%)"
        return row
    if code not in ("D", "R", "PAF", "PAR") and k <= 2:
        row["flag"] = "not computed: needs more than two subgroups"
        return row
    if measure.kind == "relative" and not np.any(sub.y):
        row["flag"] = "not computed: all estimates are zero"
        return row
    ref = sub.labels.index(options.reference) if options.reference in sub.labels else None
    if (
        options.reference is not None
        and ref is None
        and (code in ("MDRU", "MDRW", "PAF", "PAR") or (code in ("D", "R") and not options.ordered))
    ):
        row["flag"] = f"not computed: no estimate for the reference subgroup {options.reference}"
        return row
    if code in ("MDRU", "MDRW") and ref is None:
        row["flag"] = "not computed: needs a reference subgroup (reference=)"
        return row
    notes = []
    if sub.missing:
        notes.append(f"computed without {', '.join(sub.missing)} (no estimate)")

    if code in ("D", "R"):
        pair = _pair(sub, options.ordered, options.favourable, ref)
        if code == "R" and sub.y[pair[1]] == 0:
            row["flag"] = "not computed: the denominator subgroup's estimate is zero"
            return row
        value, low, high = _difference_ratio(code, sub, pair)
        row["reference"] = _reference_label(sub, options, ref)
    elif code in ("ACI", "RCI"):
        value, low, high = _concentration(code, sub)
    elif code in ("SII", "RII"):
        fraction = sub.y / options.scale
        if np.any((fraction < 0) | (fraction > 1)):
            row["flag"] = (
                "not computed: the logistic model needs estimate/scale between 0 and 1 "
                "(a proportion-type indicator)"
            )
            return row
        value, low, high = _logistic_gradient(code, sub, options.scale)
    elif code == "BGV":
        value, low, high = _bgv_ci(sub)
    elif code in ("TI", "MLD"):
        value, low, high = _theil_mld(code, sub)
    elif code in ("PAF", "PAR"):
        if ref is None:
            ref = len(sub.y) - 1 if options.ordered else _best(sub, options.favourable)
        value, low, high = _paf_par(code, sub, ref, options.favourable, options.scale)
        row["reference"] = sub.labels[ref]
        if np.isnan(low):
            notes.append(
                "no CI: Walter's formula needs estimate/scale between 0 and 1 and some events"
            )
    else:
        statistic = _simulated(code, sub, options.favourable, ref)
        value = float(statistic(sub.y))
        if code in ("MDBU", "MDBW"):
            row["reference"] = sub.labels[_best(sub, options.favourable)]
        if code in ("MDRU", "MDRW"):
            row["reference"] = sub.labels[ref]  # type: ignore[index]
        low = high = np.nan
        if draws is not None:
            simulated = statistic(draws)
            low, high = (float(q) for q in np.quantile(simulated, [0.025, 0.975]))
    needs_se = measure.ci == _SIM or code in ("D", "R", "BGV", "TI", "MLD")
    if needs_se and not np.all(np.isfinite(sub.se)):
        low = high = np.nan
        notes.append("no CI: standard errors missing")
    row["value"], row["lower_95"], row["upper_95"] = float(value), float(low), float(high)
    row["flag"] = "; ".join(notes) or None
    return row


def _best(sub: _Subgroups, favourable: bool) -> int:
    return int(np.argmax(sub.y) if favourable else np.argmin(sub.y))


def _reference_label(sub: _Subgroups, options: _Options, ref: int | None) -> str:
    """The comparator named in the result row for D and R."""
    if options.ordered:
        return sub.labels[-1]  # the most advantaged subgroup
    if ref is not None:
        return sub.labels[ref]
    return sub.labels[_best(sub, options.favourable)]


def inequality_measures(
    data: Any,
    group: str,
    estimate: str,
    population: str,
    *,
    se: str | None = None,
    lower: str | None = None,
    upper: str | None = None,
    ordered: bool = False,
    order: str | None = None,
    reference: str | None = None,
    favourable: bool = True,
    scale: float = 100,
    measures: str | Sequence[str] = "all",
    by: str | Sequence[str] | None = None,
    seed: int | np.random.Generator | None = None,
) -> Any:
    """WHO HEAT summary measures of inequality across the subgroups of a dimension.

    Parameters
    ----------
    data: pandas or polars frame, one row per subgroup (and ``by`` setting).
    group: column of subgroup labels (ethnic group, quintile ...).
    estimate: column of subgroup estimates on the indicator's scale
        (percentages 0-100 when ``scale=100``).
    population: column of subgroup populations (weights; the denominators
        behind PAF/PAR and the logistic SII/RII).
    se: column of standard errors; or ``lower``/``upper``: 95% limits from
        which SE = (upper - lower) / (2 · 1.96). Without either, intervals
        that need them are NA (flagged).
    ordered: True for an ordered dimension (deprivation quintiles/deciles).
    order: for ordered dimensions, column numbering the subgroups from 1 =
        most disadvantaged; by default the number the labels start with.
    reference: label of the reference subgroup (non-ordered: used by D, R,
        MDRU/MDRW, PAF/PAR; e.g. ``"White British"``).
    favourable: True when higher is better (uptake), False when lower is
        better (prevalence, mortality).
    scale: the indicator's scale (100 for %, 1000 per 1,000 ...).
    measures: ``"all"`` (the HEAT set for the dimension type) or codes,
        from :data:`ORDERED_MEASURES` / :data:`NON_ORDERED_MEASURES`.
    by: grouping columns (one set of measures per setting).
    seed: integer or Generator for the simulated intervals; ``None`` uses
        a fixed default (reproducible).

    Returns one row per setting and measure: ``measure`` (code),
    ``measure_name``, ``value``, ``lower_95``, ``upper_95``, ``kind``
    (absolute/relative), ``weighted``, ``reference`` (the reference, best or
    most advantaged subgroup used, if any), ``method`` and ``flag`` (why a
    value or interval is missing, or which subgroups it leaves out).

    Scales, as HEAT: TI and MLD × 1000; COV, IDIS and PAF in %; RCI as a
    fraction. Deliberate differences from HEAT's code: the TI/MLD standard
    errors are multiplied by 1000 and the PAF standard error by 100, like the
    measures themselves (HEAT leaves them unscaled, which makes those
    intervals far too narrow).

    >>> import pandas as pd
    >>> d = pd.DataFrame({"g": ["A", "B", "C"], "y": [10.0, 20, 30], "n": [100.0, 100, 200]})
    >>> out = inequality_measures(d, "g", "y", "n", measures=["D", "BGV"])
    >>> out[["measure", "value"]].to_dict("records")
    [{'measure': 'D', 'value': 20.0}, {'measure': 'BGV', 'value': 68.75}]
    """
    codes = _check_measures(measures, ordered)
    if isinstance(scale, bool) or not isinstance(scale, int | float) or not scale > 0:
        raise InputError(
            f"{FUNCTION}: scale must be a positive number", column="scale", value=scale
        )
    by_columns = normalise_by(by)
    needed = [group, estimate, population, *by_columns]
    needed += [name for name in (se, lower, upper, order) if name is not None]
    frame = as_frame(data, function=FUNCTION, columns=needed)
    if len(frame) == 0:
        raise InputError(f"{FUNCTION}: the data have no rows", column=group)
    labels = _labels(frame, group)
    y = numeric_column(frame, estimate, function=FUNCTION, minimum=0)
    if scale == 100:
        over = y > 100
        if over.any():
            row = int(np.argmax(over))
            raise InputError(
                f"{FUNCTION}: a percentage (scale=100) cannot exceed 100",
                column=estimate,
                row=row + 1,
                value=y[row],
            )
    pop = numeric_column(frame, population, function=FUNCTION)
    bad_pop = ~np.isnan(y) & ~(pop > 0)
    if bad_pop.any():
        row = int(np.argmax(bad_pop))
        raise InputError(
            f"{FUNCTION}: every subgroup with an estimate needs a population above 0",
            column=population,
            row=row + 1,
            value=None if np.isnan(pop[row]) else pop[row],
        )
    if se is not None:
        errors = numeric_column(frame, se, function=FUNCTION, minimum=0)
    elif lower is not None and upper is not None:
        low = numeric_column(frame, lower, function=FUNCTION)
        high = numeric_column(frame, upper, function=FUNCTION)
        crossed = low > high
        if crossed.any():
            row = int(np.argmax(crossed))
            raise InputError(
                f"{FUNCTION}: lower limit above the upper limit ({high[row]:g})",
                column=lower,
                row=row + 1,
                value=low[row],
            )
        errors = (high - low) / (2 * _Z95)
    else:
        errors = np.full(len(y), np.nan)
    orders = _orders(frame, labels, group, order) if ordered else None
    if reference is not None and reference not in labels:
        raise InputError(
            f"{FUNCTION}: the reference subgroup is not among the labels in {group!r}",
            column=group,
            value=reference,
        )
    options = _Options(ordered, bool(favourable), float(scale), reference)
    rng = (
        seed
        if isinstance(seed, np.random.Generator)
        else np.random.default_rng(DEFAULT_SEED if seed is None else seed)
    )

    all_labels = sorted(set(labels))
    keys, group_of_row = group_rows(frame, by_columns)
    n_groups = int(group_of_row.max()) + 1
    rows: list[dict[str, Any]] = []
    key_index: list[int] = []
    for g in range(n_groups):
        members = np.flatnonzero(group_of_row == g)
        _check_unique(members, labels, group, "subgroup")
        present = [i for i in members if not np.isnan(y[i])]
        if orders is not None:
            _check_unique(members, orders.tolist(), order or group, "subgroup order number")
            present.sort(key=lambda i: orders[i])
        missing = sorted(set(all_labels) - {labels[i] for i in present})
        sub = _Subgroups(
            labels=[labels[i] for i in present],
            y=y[present],
            se=errors[present],
            pop=pop[present],
            n_expected=len(all_labels),
            missing=missing,
        )
        needs_draws = any(MEASURES[c].ci == _SIM for c in codes)
        draws = None
        if needs_draws and len(sub.y) and np.all(np.isfinite(sub.se)):
            draws = _truncated_draws(sub, options.scale, rng)
        for code in codes:
            rows.append(_evaluate(code, sub, options, draws))
            key_index.append(g)
    columns = {name: [row[name] for row in rows] for name in rows[0]}
    key_rows = keys[key_index] if by_columns else None
    return build_frame(frame, list_columns(columns), base=key_rows, function="inequality_measures")
