"""Healthy life expectancy by the Sullivan method, with its confidence interval.

The years a person can expect to live in good health: the life table's
person-years in each age band (:func:`~jsna.methods.life_expectancy.chiang_life_table`)
weighted by the share of people in that band who report good health, as ONS
publishes for local authorities from the Census and the Annual Population
Survey. The prevalence comes from counts (``healthy`` of ``surveyed``), so
its binomial sampling variance is known; the interval combines it with the
life table's own (Chiang/Silcocks) variance.

Sources: Sullivan DF. A single index of mortality and morbidity. *HSMHA
Health Reports* 1971;86:347-54. Jagger C, Van Oyen H, Robine J-M. *Health
expectancy calculation by the Sullivan method: a practical guide*, 4th ed.
EHLEIS/Newcastle University, 2014 (prevalence variance term). ONS, *Health
state life expectancy methodology* (2022).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from jsna.errors import InputError
from jsna.methods._common import (
    DEFAULT_CONFIDENCE,
    as_frame,
    level_suffix,
    normalise_by,
    normalise_confidence,
    numeric_column,
    z_value,
)
from jsna.methods._results import build_frame
from jsna.methods.life_expectancy import (
    band_label,
    banded_counts,
    chiang_life_table,
    selected_ages,
)

__all__ = ["healthy_life_expectancy", "sullivan_health_expectancy"]

METHOD = "Sullivan (Chiang II life table)"


def sullivan_health_expectancy(
    deaths: Any,
    population: Any,
    age_start: Sequence[float],
    healthy: Any,
    surveyed: Any,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Healthy life expectancy, its variance, and life expectancy, per band.

    Arrays have age bands on the last axis (as for
    :func:`~jsna.methods.life_expectancy.chiang_life_table`); prevalence of
    good health is pi = healthy/surveyed.

    HLE_x = sum_{j>=x} L_j pi_j / l_x (Sullivan 1971). Its variance adds two
    independent parts (delta method), each summed from band x up and divided
    by l_x²: prevalence, L_j² pi_j(1 - pi_j)/surveyed_j (Jagger et al. 2014);
    mortality, l_j²((1 - a_j) n_j pi_j + HLE_{j+1})² Var(q_j) for a closed
    band and pi² (l/2)² · 4/(deaths·M²) for the open band, which with pi = 1
    is exactly Silcocks' variance of life expectancy.
    """
    table = chiang_life_table(deaths, population, age_start)
    healthy_arr = np.asarray(healthy, dtype=float)
    surveyed_arr = np.asarray(surveyed, dtype=float)
    closed = slice(0, len(table.age_start) - 1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        prevalence = healthy_arr / surveyed_arr
        healthy_years = np.flip(np.cumsum(np.flip(table.Lx * prevalence, -1), -1), -1)
        hle = np.where(table.lx == 0, 0.0, healthy_years / table.lx)
        prevalence_part = table.Lx**2 * prevalence * (1 - prevalence) / surveyed_arr
        mortality_part = np.empty_like(hle)
        mortality_part[..., closed] = (
            table.lx[..., closed] ** 2
            * (
                (1 - table.ax[closed]) * table.width[closed] * prevalence[..., closed]
                + hle[..., 1:]
            )
            ** 2
            * table.qx_variance[..., closed]
        )
        deaths_last = np.asarray(deaths, dtype=float)[..., -1]
        mortality_part[..., -1] = (
            prevalence[..., -1] ** 2
            * (table.lx[..., -1] / 2) ** 2
            * 4
            / (deaths_last * table.mx[..., -1] ** 2)
        )
        total = prevalence_part + mortality_part
        variance = np.flip(np.cumsum(np.flip(total, -1), -1), -1) / table.lx**2
    return hle, variance, table.ex


def healthy_life_expectancy(
    data: Any,
    deaths: str,
    population: str,
    age_start: str,
    healthy: str,
    surveyed: str,
    *,
    by: str | Sequence[str] | None = None,
    confidence: float | Sequence[float] | None = DEFAULT_CONFIDENCE,
    hle_age: str | float | Sequence[float] = "all",
    age_bands: Sequence[float] | None = None,
) -> Any:
    """Healthy life expectancy at every age band start, per group (Sullivan).

    ``data`` has one row per group and age band with ``deaths`` and
    ``population`` (person-years) for the life table, as for
    :func:`~jsna.methods.life_expectancy.life_expectancy`, and ``healthy`` of
    ``surveyed`` people in the band reporting good health (e.g. Census
    "very good" or "good" general health of all residents, or survey
    respondents). Bands and the NA rules for the life table are those of
    ``life_expectancy``; in addition a band with nobody surveyed makes the
    group NA. No suppression for wide intervals (ONS publishes them).

    Returns the ``by`` columns, ``age_start``, ``value`` (healthy years),
    interval columns per confidence level, ``life_expectancy`` (same life
    table, so ``life_expectancy - value`` is years not in good health),
    ``confidence``, ``statistic``, ``method`` and ``note``.

    >>> import pandas as pd
    >>> d = pd.DataFrame({
    ...     "age": [0, 1, *range(5, 95, 5)],
    ...     "deaths": [18, 1, 1, 2, 3, 4, 7, 10, 17, 27, 43, 70, 112, 181, 291, 467, 751,
    ...                1208, 622, 375],
    ...     "pop": [5000, 20000, *[25000] * 16, 8000, 3000],
    ...     "good": [98, 390, 480, 470, 460, 450, 440, 430, 420, 400, 380, 360, 330, 300,
    ...              270, 240, 200, 160, 110, 60],
    ...     "asked": [100, 400, *[500] * 16, 200, 100],
    ... })
    >>> out = healthy_life_expectancy(d, "deaths", "pop", "age", "good", "asked", hle_age=0)
    >>> round(float(out["value"].iloc[0]), 2), round(float(out["life_expectancy"].iloc[0]), 2)
    (62.85, 83.89)
    """
    function = "healthy_life_expectancy"
    by_cols = normalise_by(by)
    levels = normalise_confidence(confidence, function=function)
    frame = as_frame(
        data,
        function=function,
        columns=[deaths, population, age_start, healthy, surveyed, *by_cols],
    )
    counts = banded_counts(
        frame, deaths, population, age_start, by_cols, age_bands=age_bands, function=function
    )
    good = numeric_column(frame, healthy, function=function, minimum=0)
    asked = numeric_column(frame, surveyed, function=function, minimum=0)
    over = good > asked
    if over.any():
        row = int(np.argmax(over))
        raise InputError(
            f"{function}: more people in good health ({healthy}) than surveyed ({surveyed})",
            column=healthy,
            row=row + 1,
            value=int(good[row]) if float(good[row]).is_integer() else float(good[row]),
        )
    shape = counts.deaths.shape
    good_grid = np.full(shape, np.nan)
    asked_grid = np.full(shape, np.nan)
    good_grid[counts.row_group, counts.row_band] = good
    asked_grid[counts.row_group, counts.row_band] = asked
    problems = [list(p) for p in counts.problems]
    unknown = counts.present & (np.isnan(good_grid) | np.isnan(asked_grid) | (asked_grid == 0))
    for g in np.flatnonzero(unknown.any(axis=1)):
        bands = ", ".join(band_label(counts.age_start, int(b)) for b in np.flatnonzero(unknown[g]))
        problems[g].append(f"{surveyed} zero or missing in age band {bands}")
    hle, variance, le = sullivan_health_expectancy(
        counts.deaths, counts.population, counts.age_start, good_grid, asked_grid
    )
    mask = selected_ages(hle_age, counts.age_start, name="hle_age", function=function)
    bad_group = np.array([bool(p) for p in problems], dtype=bool)
    notes = np.full(shape, None, dtype=object)
    for g in np.flatnonzero(bad_group):
        notes[g, :] = "; ".join(problems[g])
    infinite = ~bad_group[:, None] & np.isinf(hle)
    notes[infinite] = f"no {deaths} in the final age band: healthy life expectancy is infinite"
    value = np.where(bad_group[:, None] | infinite, np.nan, hle)
    le = np.where(bad_group[:, None] | np.isinf(le), np.nan, le)
    with np.errstate(invalid="ignore"):
        se = np.where(bad_group[:, None], np.nan, np.sqrt(variance))
    keep = counts.present & mask[None, :]
    rows_g, rows_b = np.nonzero(keep)
    columns: dict[str, Any] = {
        age_start: counts.age_start[rows_b].astype(np.int64),
        "value": value[rows_g, rows_b],
    }
    with np.errstate(invalid="ignore"):
        for level in levels:
            z = z_value(level)
            columns[f"lower_{level_suffix(level)}"] = (value - z * se)[rows_g, rows_b]
            columns[f"upper_{level_suffix(level)}"] = (value + z * se)[rows_g, rows_b]
    columns["life_expectancy"] = le[rows_g, rows_b]
    labels = np.array([f"healthy life expectancy at {a:g}" for a in counts.age_start], dtype=object)
    columns["statistic"] = labels[rows_b]
    columns["method"] = METHOD
    columns["note"] = notes[rows_g, rows_b]
    base = counts.keys[rows_g.tolist()] if by_cols else None
    return build_frame(frame, columns, base=base, levels=levels)
