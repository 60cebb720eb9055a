"""Life expectancy from an abridged life table (Chiang II, Silcocks intervals).

The headline measure of a JSNA: how long a baby born now would live, and how
long people aged x have left, if the area's current death rates held for
life. Deaths and person-years by age band (0, 1-4, 5-9, ..., 85-89, 90+ by
default) go into a Chiang II abridged life table; the open final band uses
Silcocks' variance, as the OHID/ONS method and PHEindicatormethods do. The
array-level :func:`chiang_life_table` is shared with healthy life expectancy
and with the decomposition of life-expectancy gaps.

Behaviour kept from PHEindicatormethods 2.1.0 ``phe_life_expectancy`` (the
reference tests check it value for value): a whole group is NA (with a
``note``) when a band has negative deaths, zero or negative population,
more deaths than population, a band missing, or total person-years of 5,000
or less; a single value is NA when its 95% interval is wider than 20 years
(the interval itself is kept) or when there were no deaths in the open final
band (life expectancy would be infinite). Where it differs: groups come out
in key order (R appends suppressed groups after the valid ones); the bands
are those the data use, not a fixed 20, so 19 bands ending 85+ (R cannot:
its issue #96) or starting 0-4 (under-1 not separated) are valid layouts,
while a group lacking a band that other groups have (or that ``age_bands``
lists) is NA as R's "band count other than 20" is; missing counts give an
NA group with a note instead of a silently wrong number.

Sources: Chiang CL. *The life table and its construction*. In: Introduction
to Stochastic Processes in Biostatistics. Wiley, 1968: 189-214. Silcocks
PBS, Jenner DA, Reza R. Life expectancy as a summary of mortality in a
population: statistical considerations and suitability for use by health
authorities. *J Epidemiol Community Health* 2001;55:38-43. ONS/OHID, "Life
expectancy calculator" (Public Health England, 2018).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import narwhals as nw
import numpy as np

from jsna.errors import InputError
from jsna.methods._common import (
    DEFAULT_CONFIDENCE,
    as_frame,
    group_rows,
    level_suffix,
    normalise_by,
    normalise_confidence,
    numeric_column,
    z_value,
)
from jsna.methods._results import build_frame

__all__ = [
    "MIN_PERSON_YEARS",
    "LifeTable",
    "chiang_life_table",
    "life_expectancy",
]

#: Groups with total person-years at or below this are not reported (OHID rule;
#: PHEindicatormethods suppresses a total population <= 5,000).
MIN_PERSON_YEARS = 5000.0
#: A value whose 95% interval is wider than this many years is suppressed.
MAX_CI_WIDTH_YEARS = 20.0
#: Fraction of the first band (age 0) lived on average by those who die in it.
FIRST_BAND_FRACTION = 0.1
#: Fraction of every later closed band lived by those who die in it.
OTHER_BAND_FRACTION = 0.5
RADIX = 100_000.0
METHOD = "Chiang II (Silcocks)"


@dataclass(frozen=True)
class LifeTable:
    """An abridged life table; every per-band array has shape ``(..., bands)``.

    ``width`` is NaN for the open final band; ``ex_variance`` is Silcocks'
    variance of ``ex`` (NaN where nobody survives to the band).
    """

    age_start: np.ndarray
    width: np.ndarray
    ax: np.ndarray
    mx: np.ndarray
    qx: np.ndarray
    lx: np.ndarray
    dx: np.ndarray
    Lx: np.ndarray
    Tx: np.ndarray
    ex: np.ndarray
    ex_variance: np.ndarray
    qx_variance: np.ndarray


def chiang_life_table(
    deaths: Any,
    population: Any,
    age_start: Sequence[float],
    *,
    first_band_fraction: float = FIRST_BAND_FRACTION,
) -> LifeTable:
    """Chiang II abridged life table with Silcocks' variance of life expectancy.

    ``deaths`` and ``population`` are arrays whose last axis runs over the
    age bands starting at ``age_start`` (increasing, first 0); any leading
    axes (areas, simulations) are computed at once. The last band is open
    (e.g. 90+). No validation here: the frame-level functions check inputs.

    Method (Chiang 1968; Silcocks et al. 2001), band i of width n, with
    a = ``first_band_fraction`` for the first band and 0.5 otherwise:
    M = deaths/population; q = nM / (1 + nM(1 - a)), capped at 1, and
    q = 1 in the open band; l_0 = 100,000, l_{i+1} = l_i(1 - q_i);
    d = l_i - l_{i+1}; L = n(l_{i+1} + a d), and L = l/M in the open band;
    T = sum of L from the band up; e = T/l (0 where l = 0).
    Variance: Var(q) = q²(1 - q)/deaths (0 with no deaths); band weight
    l²((1 - a)n + e_{i+1})² Var(q); open band weight (l/2)² · 4/(deaths·M²);
    Var(e_i) = (sum of weights from band i up) / l_i².

    A first band of 0-4 (under-1 not separated) keeps a = 0.1 of its width:
    those dying under 5 live half a year on average, as most under-5 deaths
    in England are infant deaths.

    >>> table = chiang_life_table([1, 2, 40], [1000, 4000, 400], [0, 1, 5])
    >>> round(float(table.ex[0]), 4)
    14.9612
    """
    ages = np.asarray(age_start, dtype=float)
    deaths_arr = np.asarray(deaths, dtype=float)
    pop_arr = np.asarray(population, dtype=float)
    bands = ages.shape[0]
    width = np.append(np.diff(ages), np.nan)
    ax = np.full(bands, OTHER_BAND_FRACTION)
    ax[0] = first_band_fraction
    closed = slice(0, bands - 1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        mx = deaths_arr / pop_arr
        qx = np.ones_like(mx)
        n_m = width[closed] * mx[..., closed]
        qx[..., closed] = np.minimum(n_m / (1 + n_m * (1 - ax[closed])), 1.0)
        survival = np.cumprod(1 - qx[..., :-1], axis=-1)
        lx = RADIX * np.concatenate([np.ones_like(mx[..., :1]), survival], axis=-1)
        next_l = np.concatenate([lx[..., 1:], np.zeros_like(lx[..., :1])], axis=-1)
        dx = lx - next_l
        Lx = np.empty_like(mx)
        Lx[..., closed] = width[closed] * (next_l[..., closed] + ax[closed] * dx[..., closed])
        Lx[..., -1] = lx[..., -1] / mx[..., -1]
        Tx = np.flip(np.cumsum(np.flip(Lx, axis=-1), axis=-1), axis=-1)
        ex = np.where(lx == 0, 0.0, Tx / lx)
        qx_variance = np.where(deaths_arr == 0, 0.0, qx**2 * (1 - qx) / deaths_arr)
        next_e = ex[..., 1:]
        weight = np.empty_like(mx)
        weight[..., closed] = (
            lx[..., closed] ** 2
            * ((1 - ax[closed]) * width[closed] + next_e) ** 2
            * qx_variance[..., closed]
        )
        weight[..., -1] = (lx[..., -1] / 2) ** 2 * 4 / (deaths_arr[..., -1] * mx[..., -1] ** 2)
        cumulative = np.flip(np.cumsum(np.flip(weight, axis=-1), axis=-1), axis=-1)
        ex_variance = cumulative / lx**2
    return LifeTable(
        age_start=ages,
        width=width,
        ax=ax,
        mx=mx,
        qx=qx,
        lx=lx,
        dx=dx,
        Lx=Lx,
        Tx=Tx,
        ex=ex,
        ex_variance=ex_variance,
        qx_variance=qx_variance,
    )


@dataclass(frozen=True)
class BandedCounts:
    """Counts from a long frame laid out as groups × age bands.

    ``deaths``/``population`` are ``(groups, bands)`` with NaN where a band
    is absent (``present`` False); ``row_group``/``row_band`` map every input
    row to its cell; ``problems`` holds, per group, why it cannot be used
    (empty list = usable).
    """

    keys: nw.DataFrame[Any]
    age_start: np.ndarray
    deaths: np.ndarray
    population: np.ndarray
    present: np.ndarray
    row_group: np.ndarray
    row_band: np.ndarray
    problems: list[list[str]]


def _plain(value: float) -> int | float:
    """A number for a message: 3.0 -> 3, 2.5 -> 2.5."""
    return int(value) if float(value).is_integer() else float(value)


def _age_label(age: float) -> str:
    return f"{age:g}"


def band_label(ages: np.ndarray, index: int) -> str:
    """'85-89' for a closed band, '90+' for the open final band."""
    if index == len(ages) - 1:
        return f"{_age_label(ages[index])}+"
    upper = ages[index + 1] - 1
    if upper == ages[index]:
        return _age_label(ages[index])
    return f"{_age_label(ages[index])}-{_age_label(upper)}"


def age_layout(
    ages: np.ndarray, age_bands: Sequence[float] | None, *, column: str, function: str
) -> np.ndarray:
    """The life-table band starts: ``age_bands`` if given, else the ages in the data.

    Every band must start at a whole age, the first at 0; every data row's
    age must be one of the bands.
    """
    if age_bands is None:
        layout = np.unique(ages)
    else:
        layout = np.asarray(list(age_bands), dtype=float)
        if layout.ndim != 1 or layout.size == 0 or np.any(np.diff(layout) <= 0):
            raise InputError(
                f"{function}: age_bands must be increasing band start ages",
                column="age_bands",
                value=list(age_bands),
            )
        unknown = ~np.isin(ages, layout)
        if unknown.any():
            row = int(np.argmax(unknown))
            raise InputError(
                f"{function}: age is not the start of one of the age bands "
                f"{', '.join(_age_label(a) for a in layout)}",
                column=column,
                row=row + 1,
                value=_plain(ages[row]),
            )
    if layout.size < 2:
        raise InputError(
            f"{function}: a life table needs at least two age bands",
            column=column,
            value=[_plain(a) for a in layout],
        )
    fractional = layout != np.floor(layout)
    if fractional.any():
        raise InputError(
            f"{function}: age band starts must be whole years",
            column=column,
            value=_plain(layout[np.argmax(fractional)]),
        )
    if layout[0] != 0:
        raise InputError(
            f"{function}: the first age band must start at 0 (the life table starts at birth)",
            column=column,
            value=_plain(layout[0]),
        )
    return layout


def banded_counts(
    frame: nw.DataFrame[Any],
    deaths: str,
    population: str,
    age_start: str,
    by: list[str],
    *,
    age_bands: Sequence[float] | None,
    function: str,
) -> BandedCounts:
    """Lay a long frame of deaths and person-years out as groups × bands, with checks.

    Structural errors raise :class:`InputError` (non-numeric or missing ages,
    an age band given twice for a group). Problems that PHEindicatormethods
    turns into an NA group become ``problems`` notes instead.
    """
    ages = numeric_column(frame, age_start, function=function, allow_missing=False, minimum=0)
    death_values = numeric_column(frame, deaths, function=function)
    pop_values = numeric_column(frame, population, function=function)
    layout = age_layout(ages, age_bands, column=age_start, function=function)
    keys, row_group = group_rows(frame, by)
    groups, bands = int(row_group.max(initial=-1)) + 1, len(layout)
    row_band = np.searchsorted(layout, ages)
    cell = row_group * bands + row_band
    counts = np.bincount(cell, minlength=groups * bands)
    if counts.max(initial=0) > 1:
        seen = np.zeros(groups * bands, dtype=bool)
        for i, c in enumerate(cell):
            if seen[c]:
                where = ", ".join(f"{name}={frame[name][i]!r}" for name in by)
                raise InputError(
                    f"{function}: age band {_age_label(ages[i])} appears twice"
                    + (f" for {where}" if where else "")
                    + "; give one row per group and age band",
                    column=age_start,
                    row=i + 1,
                    value=_plain(ages[i]),
                )
            seen[c] = True
    present = (counts > 0).reshape(groups, bands)
    death_grid = np.full(groups * bands, np.nan)
    pop_grid = np.full(groups * bands, np.nan)
    death_grid[cell] = death_values
    pop_grid[cell] = pop_values
    death_grid = death_grid.reshape(groups, bands)
    pop_grid = pop_grid.reshape(groups, bands)
    problems = group_problems(layout, death_grid, pop_grid, present, deaths, population)
    return BandedCounts(
        keys=keys,
        age_start=layout,
        deaths=death_grid,
        population=pop_grid,
        present=present,
        row_group=row_group,
        row_band=row_band,
        problems=problems,
    )


def _bands_where(layout: np.ndarray, mask: np.ndarray) -> str:
    return ", ".join(band_label(layout, int(i)) for i in np.flatnonzero(mask))


def group_problems(
    layout: np.ndarray,
    death_grid: np.ndarray,
    pop_grid: np.ndarray,
    present: np.ndarray,
    deaths: str,
    population: str,
) -> list[list[str]]:
    """Why each group's life table cannot be reported, in PHEindicatormethods' order."""
    with np.errstate(invalid="ignore"):
        missing_band = ~present
        missing_value = present & (np.isnan(death_grid) | np.isnan(pop_grid))
        negative = present & (death_grid < 0)
        no_population = present & (pop_grid <= 0)
        excess = present & (death_grid > pop_grid)
        total = np.where(present, pop_grid, 0.0).sum(axis=1)
    problems: list[list[str]] = []
    flagged = (
        missing_band.any(axis=1)
        | missing_value.any(axis=1)
        | negative.any(axis=1)
        | no_population.any(axis=1)
        | excess.any(axis=1)
        | ~(total > MIN_PERSON_YEARS)
    )
    for g in range(death_grid.shape[0]):
        notes: list[str] = []
        if not flagged[g]:
            problems.append(notes)
            continue
        if negative[g].any():
            notes.append(f"{deaths} negative in age band {_bands_where(layout, negative[g])}")
        if no_population[g].any():
            notes.append(
                f"{population} zero or negative in age band "
                f"{_bands_where(layout, no_population[g])}"
            )
        if missing_band[g].any():
            notes.append(f"age band {_bands_where(layout, missing_band[g])} missing")
        if missing_value[g].any():
            notes.append(
                f"missing {deaths} or {population} in age band "
                f"{_bands_where(layout, missing_value[g])}"
            )
        if excess[g].any():
            notes.append(
                f"{deaths} above {population} in age band {_bands_where(layout, excess[g])}"
            )
        if not total[g] > MIN_PERSON_YEARS:
            notes.append(f"total {population} {total[g]:,.0f} is not above {MIN_PERSON_YEARS:,.0f}")
        problems.append(notes)
    return problems


def _reverse_cumsum(values: np.ndarray) -> np.ndarray:
    return np.flip(np.cumsum(np.flip(values, axis=-1), axis=-1), axis=-1)


def selected_ages(
    le_age: str | float | Sequence[float], layout: np.ndarray, *, name: str, function: str
) -> np.ndarray:
    """Boolean mask over bands for ``le_age`` ("all", one age or several)."""
    if isinstance(le_age, str):
        if le_age != "all":
            raise InputError(
                f'{function}: {name} must be "all" or ages that start a band', value=le_age
            )
        return np.ones(len(layout), dtype=bool)
    wanted = np.atleast_1d(np.asarray(le_age, dtype=float))
    unknown = ~np.isin(wanted, layout)
    if unknown.any():
        raise InputError(
            f"{function}: {name} must be ages that start a band "
            f"({', '.join(_age_label(a) for a in layout)})",
            column=name,
            value=_plain(wanted[np.argmax(unknown)]),
        )
    return np.isin(layout, wanted)


def life_expectancy(
    data: Any,
    deaths: str,
    population: str,
    age_start: str,
    *,
    by: str | Sequence[str] | None = None,
    confidence: float | Sequence[float] | None = DEFAULT_CONFIDENCE,
    le_age: str | float | Sequence[float] = "all",
    age_bands: Sequence[float] | None = None,
) -> Any:
    """Life expectancy at every age band start, per group (Chiang II, Silcocks CIs).

    ``data`` has one row per group and age band: ``deaths`` and
    ``population`` (person-years at risk) in the band starting at
    ``age_start``. The bands are those in the data (union over groups: 0, 1,
    5, ..., 90 gives 90+, stopping at 85 gives 85+) or ``age_bands``; the
    last is open-ended and the first must start at 0 (a 0-4 first band is
    allowed, see :func:`chiang_life_table`).

    Returns one row per group and band start (restricted to ``le_age``):
    the ``by`` columns, ``age_start``, ``value`` (years), ``lower_95``,
    ``upper_95``, ``lower_998``, ``upper_998`` (one pair per confidence
    level), ``deaths_used`` and ``population_used`` (totals from that age
    up), ``confidence``, ``statistic``, ``method`` and ``note`` (why a value
    is NA; null otherwise). A pandas frame in gives pandas out, polars gives
    polars. See the module docstring for the NA rules.

    Source: Chiang (1968); Silcocks et al. (2001); PHEindicatormethods
    ``phe_life_expectancy``.

    >>> import pandas as pd
    >>> d = pd.DataFrame({
    ...     "age": [0, 1, *range(5, 95, 5)],
    ...     "deaths": [18, 1, 1, 2, 3, 4, 7, 10, 17, 27, 43, 70, 112, 181, 291, 467, 751,
    ...                1208, 622, 375],
    ...     "pop": [5000, 20000, *[25000] * 16, 8000, 3000],
    ... })
    >>> out = life_expectancy(d, "deaths", "pop", "age", le_age=[0, 65])
    >>> [round(v, 2) for v in out["value"]]
    [83.89, 22.22]
    """
    function = "life_expectancy"
    by_cols = normalise_by(by)
    levels = normalise_confidence(confidence, function=function)
    frame = as_frame(data, function=function, columns=[deaths, population, age_start, *by_cols])
    counts = banded_counts(
        frame, deaths, population, age_start, by_cols, age_bands=age_bands, function=function
    )
    mask = selected_ages(le_age, counts.age_start, name="le_age", function=function)
    table = chiang_life_table(counts.deaths, counts.population, counts.age_start)
    with np.errstate(invalid="ignore"):
        se = np.sqrt(table.ex_variance)
    value = table.ex.copy()
    notes = np.full(value.shape, None, dtype=object)
    bad_group = np.array([bool(p) for p in counts.problems], dtype=bool)
    for g in np.flatnonzero(bad_group):
        notes[g, :] = "; ".join(counts.problems[g])
    limits: dict[str, np.ndarray] = {}
    with np.errstate(invalid="ignore"):
        for level in levels:
            z = z_value(level)
            limits[f"lower_{level_suffix(level)}"] = value - z * se
            limits[f"upper_{level_suffix(level)}"] = value + z * se
    ok = ~bad_group[:, None]
    infinite = ok & np.isinf(value)
    no_survivors = ok & (table.lx == 0)
    with np.errstate(invalid="ignore"):
        too_wide = ok & ~infinite & (2 * z_value(0.95) * se > MAX_CI_WIDTH_YEARS)
    final = band_label(counts.age_start, len(counts.age_start) - 1)
    notes[infinite] = f"no {deaths} in the final age band ({final}): life expectancy is infinite"
    notes[too_wide] = "95% confidence interval wider than 20 years: value suppressed"
    notes[no_survivors] = (
        "nobody in the life table survives to this age (deaths above 40% of an earlier "
        "5-year band make its probability of death 1)"
    )
    value[infinite | too_wide] = np.nan
    value[bad_group] = np.nan
    for name in limits:
        limits[name][bad_group] = np.nan
    filled_deaths = np.where(counts.present, counts.deaths, 0.0)
    filled_pop = np.where(counts.present, counts.population, 0.0)
    deaths_used = _reverse_cumsum(filled_deaths)
    population_used = _reverse_cumsum(filled_pop)

    keep = counts.present & mask[None, :]
    rows_g, rows_b = np.nonzero(keep)
    columns: dict[str, Any] = {
        age_start: counts.age_start[rows_b].astype(np.int64),
        "value": value[rows_g, rows_b],
    }
    columns.update({name: limit[rows_g, rows_b] for name, limit in limits.items()})
    labels = np.array(
        [f"life expectancy at {_age_label(a)}" for a in counts.age_start], dtype=object
    )
    columns["deaths_used"] = deaths_used[rows_g, rows_b]
    columns["population_used"] = population_used[rows_g, rows_b]
    columns["statistic"] = labels[rows_b]
    columns["method"] = METHOD
    columns["note"] = notes[rows_g, rows_b]
    base = counts.keys[rows_g.tolist()] if by_cols else None
    return build_frame(frame, columns, base=base, levels=levels)
