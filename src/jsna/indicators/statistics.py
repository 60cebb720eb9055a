"""Counts by stratum → statistics, through :mod:`jsna.methods` (one function per kind).

The engine hands over, for one indicator and one stratum, a frame of counts
by category and life-table band start (``age_start``). This module sums or
re-bands them as each statistic needs and calls the method:

* proportions — :func:`jsna.methods.proportion` (Wilson);
* crude rates — :func:`jsna.methods.rate` (Byar / exact Poisson);
* age-standardised variants — :func:`jsna.methods.dsr` (Dobson) over the
  ESP2013 bands the indicator's ages span (a band partly inside the age
  range, e.g. 15-19 for "aged 17+", keeps its full standard weight);
* life expectancy — :func:`jsna.methods.life_expectancy` (Chiang II) on the
  20 life-table bands;
* healthy life expectancy — :func:`jsna.methods.healthy_life_expectancy`
  (Sullivan) with the good-health prevalence by band.

Each returns rows keyed by ``dimension``, ``category`` and ``within`` with ``numerator``,
``denominator``, ``value``, interval columns, ``method`` and ``note``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from jsna.codes.age import ESP_BANDS, LIFE_TABLE_LOWER
from jsna.indicators.models import Indicator
from jsna.methods import (
    ESP2013,
    StandardPopulation,
    dsr,
    healthy_life_expectancy,
    life_expectancy,
    proportion,
    rate,
)
from jsna.methods._common import level_suffix

__all__ = [
    "KEYS",
    "count_roles",
    "crude",
    "esp_bands",
    "esp_grid",
    "esp_standard",
    "life_table",
    "standardised",
]

KEYS = ["dimension", "category", "within"]


def _interval_columns(levels: list[float]) -> list[str]:
    return [f"{side}_{level_suffix(level)}" for level in levels for side in ("lower", "upper")]


def _shape(out: pd.DataFrame, levels: list[float]) -> pd.DataFrame:
    columns = [*KEYS, "numerator", "denominator", "value", *_interval_columns(levels)]
    return out[[*columns, "method", "note"]].reset_index(drop=True)


def count_roles(indicator: Indicator, roles: Mapping[str, str]) -> tuple[str, str]:
    """The (numerator, denominator) measure names: people, or deaths and person-years."""
    if indicator.period == "snapshot":
        return roles["numerator"], roles["denominator"]
    return roles["deaths"], roles["person_years"]


def _unique(x: str, n: str) -> list[str]:
    return list(dict.fromkeys([x, n]))


def _as_counts(frame: pd.DataFrame, x: str, n: str) -> pd.DataFrame:
    """Measure columns ``x``/``n`` as ``numerator``/``denominator`` (they may be one column)."""
    out = frame.assign(numerator=frame[x], denominator=frame[n])
    return out.drop(columns=_unique(x, n))


def crude_counts(
    counts: pd.DataFrame, indicator: Indicator, roles: Mapping[str, str]
) -> pd.DataFrame:
    """Numerator and denominator per category, summed over age bands.

    Categories with neither (e.g. men in a screening programme for women)
    give no row; the ``all`` row is always kept, so no indicator disappears.
    """
    x, n = count_roles(indicator, roles)
    sums = _as_counts(counts.groupby(KEYS, sort=False)[_unique(x, n)].sum().reset_index(), x, n)
    keep = (sums["numerator"] > 0) | (sums["denominator"] > 0) | (sums["dimension"] == "all")
    return sums[keep].reset_index(drop=True)


def crude(
    sums: pd.DataFrame,
    indicator: Indicator,
    levels: list[float],
    *,
    area_denominator: float | None = None,
) -> pd.DataFrame:
    """Crude proportion or rate per category from :func:`crude_counts`.

    ``area_denominator`` replaces every category's denominator (population
    shares, ``scope: area``).
    """
    if area_denominator is not None:
        sums = sums.assign(denominator=area_denominator)
    method = proportion if indicator.statistic == "proportion" else rate
    out = method(
        sums, "numerator", "denominator", confidence=levels, multiplier=indicator.multiplier
    )
    return _shape(out, levels)


def esp_bands(indicator: Indicator) -> list[str]:
    """The ESP2013 bands an indicator's age range touches (all 19 when unrestricted)."""
    low = indicator.denominator.age_min or 0
    high = indicator.denominator.age_max if indicator.denominator.age_max is not None else 120
    first, last = min(low // 5, 18), min(high // 5, 18)
    return list(ESP_BANDS[first : last + 1])


def esp_standard(indicator: Indicator) -> StandardPopulation:
    """ESP2013 restricted to the bands the indicator's ages span (weights unchanged)."""
    bands = esp_bands(indicator)
    first = ESP2013.labels.index(bands[0])
    last = first + len(bands)
    return StandardPopulation(
        name=f"esp2013 ({bands[0]} to {bands[-1]})" if len(bands) < len(ESP2013) else "esp2013",
        labels=ESP2013.labels[first:last],
        start_ages=ESP2013.start_ages[first:last],
        weights=ESP2013.weights[first:last],
    )


def esp_grid(counts: pd.DataFrame, indicator: Indicator, roles: Mapping[str, str]) -> pd.DataFrame:
    """Counts per category and ESP2013 band (the bands of :func:`esp_standard`).

    Every category gets a row for each band the indicator spans (zero where
    the cells have nobody), so a category missing a band is NA with the
    method's note rather than silently standardised over fewer bands.
    Categories with no count at all are left out.
    """
    x, n = count_roles(indicator, roles)
    bands = esp_bands(indicator)
    index = np.minimum(counts["age_start"].to_numpy() // 5, len(ESP_BANDS) - 1)
    banded = counts.assign(age_band=np.asarray(ESP_BANDS, dtype=object)[index])
    banded = banded[banded["age_band"].isin(bands)]
    sums = banded.groupby([*KEYS, "age_band"], sort=False)[_unique(x, n)].sum()
    groups = counts[KEYS].drop_duplicates()
    grid = pd.MultiIndex.from_tuples(
        [(*key, b) for key in groups.itertuples(index=False) for b in bands],
        names=[*KEYS, "age_band"],
    )
    full = sums.reindex(grid, fill_value=0).reset_index()
    full = _as_counts(full, x, n)
    totals = full.groupby(KEYS, sort=False)[["numerator", "denominator"]].transform("sum")
    keep = (totals["numerator"] > 0) | (totals["denominator"] > 0) | (full["dimension"] == "all")
    return full[keep].reset_index(drop=True)


def standardised(grid: pd.DataFrame, indicator: Indicator, levels: list[float]) -> pd.DataFrame:
    """Directly age-standardised value per category (ESP2013, Dobson) from :func:`esp_grid`."""
    totals = grid.groupby(KEYS, sort=False)[["numerator", "denominator"]].sum().reset_index()
    out = dsr(
        grid,
        "numerator",
        "denominator",
        by=KEYS,
        age="age_band",
        standard=esp_standard(indicator),
        confidence=levels,
        multiplier=indicator.multiplier,
    )
    out = out.drop(columns=["numerator", "denominator"], errors="ignore")
    return _shape(out.merge(totals, on=KEYS, how="left"), levels)


def _life_table_grid(counts: pd.DataFrame, measures: list[str]) -> pd.DataFrame:
    sums = counts.groupby([*KEYS, "age_start"], sort=False)[measures].sum()
    groups = counts[KEYS].drop_duplicates()
    grid = pd.MultiIndex.from_tuples(
        [(*key, a) for key in groups.itertuples(index=False) for a in LIFE_TABLE_LOWER],
        names=[*KEYS, "age_start"],
    )
    return sums.reindex(grid, fill_value=0).reset_index()


def life_table(
    counts: pd.DataFrame, indicator: Indicator, roles: Mapping[str, str], levels: list[float]
) -> pd.DataFrame:
    """Life expectancy or healthy life expectancy at ``le_age`` per category.

    ``numerator`` and ``denominator`` are the deaths and person-years from
    ``le_age`` up (the part of the life table the value depends on).
    """
    # Columns named for their role, so the methods' notes read "deaths", "person_years".
    wanted = ["deaths", "person_years"]
    if indicator.statistic == "healthy_life_expectancy":
        wanted += ["healthy", "health_known"]
    grid = _life_table_grid(counts.rename(columns={roles[r]: r for r in wanted}), wanted)
    if indicator.statistic == "life_expectancy":
        out = life_expectancy(
            grid,
            "deaths",
            "person_years",
            "age_start",
            by=KEYS,
            confidence=levels,
            le_age=indicator.le_age,
        )
    else:
        out = healthy_life_expectancy(
            grid,
            "deaths",
            "person_years",
            "age_start",
            "healthy",
            "health_known",
            by=KEYS,
            confidence=levels,
            hle_age=indicator.le_age,
        )
    upward = grid[grid["age_start"] >= (indicator.le_age or 0)]
    totals = upward.groupby(KEYS, sort=False)[["deaths", "person_years"]].sum().reset_index()
    totals = totals.rename(columns={"deaths": "numerator", "person_years": "denominator"})
    out = out.drop(columns=["age_start"]).merge(totals, on=KEYS, how="left")
    return _shape(out, levels)
