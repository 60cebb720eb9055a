"""Which ages, and which causes of death, make up a life-expectancy gap.

A JSNA states gaps (most vs least deprived ward, Global Majority vs White
British residents, a ward vs the borough) and then has to say where they
come from. Arriaga's method splits the difference in life expectancy at
birth between two populations into additive contributions of each age band;
within a band, the contribution is shared between causes of death in
proportion to each cause's difference in death rates. The contributions sum
to the gap exactly.

Both life tables are Chiang II tables from
:func:`~jsna.methods.life_expectancy.chiang_life_table`, so the gap is the
difference of the values :func:`~jsna.methods.life_expectancy.life_expectancy`
reports, and a group that function would leave NA (too few person-years,
zero population, a band missing, ...) gives NA contributions with the same
note. Optional intervals come from simulating every death count as Poisson
and recomputing (seeded, so reproducible).

Sources: Arriaga EE. Measuring and explaining the change in life
expectancies. *Demography* 1984;21:83-96. Preston SH, Heuveline P, Guillot
M. *Demography: measuring and modeling population processes*. Blackwell,
2001: 64-5 and 84-5 (cause split). Andreev EM, Shkolnikov VM. Spreadsheet
for calculation of confidence limits for any life table or healthy-life
table quantity. MPIDR Technical Report 2010-005 (simulation intervals).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from jsna.errors import InputError
from jsna.methods._common import (
    DEFAULT_CONFIDENCE,
    as_frame,
    group_rows,
    level_suffix,
    normalise_by,
    normalise_confidence,
)
from jsna.methods._results import build_frame
from jsna.methods.life_expectancy import (
    LifeTable,
    banded_counts,
    chiang_life_table,
    group_problems,
)

__all__ = ["arriaga_contributions", "decompose_le_gap", "split_by_cause"]


def arriaga_contributions(table_a: LifeTable, table_b: LifeTable) -> np.ndarray:
    """Arriaga's age-band contributions to e0(b) - e0(a); bands on the last axis.

    Closed band x to x+n: (l_x^a/l_0^a)(L_x^b/l_x^b - L_x^a/l_x^a)
    + (T_{x+n}^b/l_0^a)(l_x^a/l_x^b - l_{x+n}^a/l_{x+n}^b) (direct plus
    indirect and interaction effects); open band: (l_x^a/l_0^a)(T_x^b/l_x^b
    - T_x^a/l_x^a) (Arriaga 1984). The terms sum to e0(b) - e0(a). NaN where
    a table has no survivors to a band.
    """
    la, lb = table_a.lx, table_b.lx
    l0 = la[..., :1]
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.empty_like(la)
        direct = (la[..., :-1] / l0) * (
            table_b.Lx[..., :-1] / lb[..., :-1] - table_a.Lx[..., :-1] / la[..., :-1]
        )
        indirect = (table_b.Tx[..., 1:] / l0) * (
            la[..., :-1] / lb[..., :-1] - la[..., 1:] / lb[..., 1:]
        )
        out[..., :-1] = direct + indirect
        out[..., -1] = (la[..., -1] / l0[..., 0]) * (
            table_b.Tx[..., -1] / lb[..., -1] - table_a.Tx[..., -1] / la[..., -1]
        )
    return out


def split_by_cause(
    contributions: np.ndarray,
    cause_rate_a: np.ndarray,
    cause_rate_b: np.ndarray,
) -> np.ndarray:
    """Share each band's contribution between causes by their death-rate differences.

    ``contributions`` has shape (..., bands); the cause-specific death rates
    (..., causes, bands). Cause c gets contribution × (m_c^b - m_c^a) /
    (m^b - m^a), so the causes of a band add up to its contribution (Preston
    et al. 2001). Where the all-cause rates are equal the band's contribution
    is 0 and so is every cause's.
    """
    difference = cause_rate_b - cause_rate_a
    total = difference.sum(axis=-2, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total == 0, 0.0, difference / total)
    return contributions[..., None, :] * share


def decompose_le_gap(
    data: Any,
    deaths: str,
    population: str,
    age_start: str,
    group: str,
    *,
    groups: tuple[Any, Any],
    cause: str | None = None,
    by: str | Sequence[str] | None = None,
    simulations: int = 0,
    seed: int | None = None,
    confidence: float | Sequence[float] | None = DEFAULT_CONFIDENCE,
    age_bands: Sequence[float] | None = None,
) -> Any:
    """Contributions of each age band (and cause) to the gap LE(b) - LE(a) at birth.

    ``data`` holds deaths and person-years by age band for (at least) the two
    populations named in ``groups=(a, b)``, told apart by the ``group``
    column, and optionally within ``by`` strata (e.g. sex). Without
    ``cause`` there is one row per stratum, group and age band. With
    ``cause`` there is one row per stratum, group, age band **and cause of
    death**: ``deaths`` are that cause's deaths and ``population`` the
    band's person-years, repeated on every cause row of the band (it must be
    the same on each); a cause with no row in a band had no deaths there.

    Returns per stratum one row per age band (and cause, sorted): ``by``
    columns, ``age_start``, ``cause``, ``contribution`` (years; positive
    where b's death rate in the band is below a's), with ``simulations`` > 0
    also ``lower_95``, ``upper_95``, ... (percentiles of that many runs with
    every death count drawn as Poisson, seeded by ``seed``), then ``gap``
    (the stratum's LE(b) - LE(a) at birth, which the contributions sum to),
    ``confidence`` (with simulations), ``statistic``, ``method`` and
    ``note``. Swapping a and b flips the sign of every contribution.

    >>> import pandas as pd
    >>> ages = [0, 1, *range(5, 95, 5)]
    >>> pop = [5000, 20000, *[25000] * 16, 8000, 3000]
    >>> d_a = [18, 1, 1, 2, 3, 4, 7, 10, 17, 27, 43, 70, 112, 181, 291, 467, 751, 1208, 622, 375]
    >>> d_b = [10, 1, 1, 2, 3, 4, 7, 10, 17, 27, 43, 70, 112, 181, 291, 467, 751, 1208, 622, 375]
    >>> data = pd.DataFrame({"ward": ["A"] * 20 + ["B"] * 20, "age": ages * 2,
    ...                      "deaths": d_a + d_b, "pop": pop * 2})
    >>> out = decompose_le_gap(data, "deaths", "pop", "age", "ward", groups=("A", "B"))
    >>> round(float(out["contribution"].sum()), 4) == round(float(out["gap"].iloc[0]), 4)
    True
    >>> round(float(out["contribution"].iloc[0]), 3)  # all of it from infant deaths
    0.134
    """
    function = "decompose_le_gap"
    by_cols = normalise_by(by)
    levels = normalise_confidence(confidence, function=function) if simulations else ()
    if len(groups) != 2 or groups[0] == groups[1]:
        raise InputError(
            f"{function}: groups must name two different populations (a, b)",
            column=group,
            value=list(groups),
        )
    if (
        isinstance(simulations, bool)
        or not isinstance(simulations, int | np.integer)
        or simulations < 0
    ):
        raise InputError(
            f"{function}: simulations must be a whole number, 0 for no intervals",
            value=simulations,
        )
    cause_cols = [cause] if cause else []
    frame = as_frame(
        data,
        function=function,
        columns=[deaths, population, age_start, group, *cause_cols, *by_cols],
    )
    labels = set(frame[group].to_list())
    for label in groups:
        if label not in labels:
            raise InputError(
                f"{function}: no rows for group {label!r} in column {group!r}",
                column=group,
                value=label,
            )
    counts = banded_counts(
        frame,
        deaths,
        population,
        age_start,
        [*by_cols, group, *cause_cols],
        age_bands=age_bands,
        function=function,
    )
    layout = counts.age_start
    strata_keys, stratum_of = group_rows(counts.keys, by_cols)
    strata = int(stratum_of.max(initial=-1)) + 1
    cause_labels: list[Any] = []
    cause_of = np.zeros(len(counts.keys), dtype=np.int64)
    if cause:
        cause_keys, cause_of = group_rows(counts.keys, [cause])
        cause_labels = cause_keys[cause].to_list()
        _check_population_repeated(frame, counts, population, [*by_cols, group], function=function)
    n_causes = max(len(cause_labels), 1)
    bands = len(layout)
    shape = (2, strata, n_causes, bands)
    cause_deaths = np.zeros(shape)
    band_pop = np.full((2, strata, bands), np.nan)
    present = np.zeros((2, strata, bands), dtype=bool)
    group_values = counts.keys[group].to_list()
    for row, label in enumerate(group_values):
        if label not in groups:
            continue
        side = groups.index(label)
        k, c = stratum_of[row], cause_of[row]
        here = counts.present[row]
        cause_deaths[side, k, c, here] += counts.deaths[row, here]
        band_pop[side, k, here] = counts.population[row, here]
        present[side, k] |= here
    band_deaths = np.where(present, cause_deaths.sum(axis=2), np.nan)
    notes = _side_notes(
        layout, band_deaths, band_pop, present, groups, deaths, population, cause_deaths
    )
    table_a = chiang_life_table(band_deaths[0], band_pop[0], layout)
    table_b = chiang_life_table(band_deaths[1], band_pop[1], layout)
    contribution = arriaga_contributions(table_a, table_b)
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = cause_deaths / band_pop[:, :, None, :]
    by_cause = split_by_cause(contribution, rates[0], rates[1]) if cause else contribution[:, None]
    gap = table_b.ex[:, 0] - table_a.ex[:, 0]
    flagged = np.array([bool(n) for n in notes], dtype=bool)
    undefined = ~np.isfinite(gap) | ~np.isfinite(by_cause).all(axis=(1, 2))
    for k in np.flatnonzero(undefined & ~flagged):
        notes[k] = (
            "cannot decompose: a group has no deaths in the final age band (infinite life "
            "expectancy) or nobody surviving to a later band"
        )
    unusable = flagged | undefined
    by_cause[unusable] = np.nan
    gap[unusable] = np.nan

    intervals: dict[str, np.ndarray] = {}
    if simulations:
        draws = _simulate(
            cause_deaths, band_pop, present, layout, simulations, seed, split=bool(cause)
        )
        with np.errstate(invalid="ignore"):
            for level in levels:
                tail = (1 - level) / 2
                lower, upper = np.nanquantile(draws, [tail, 1 - tail], axis=0)
                lower[unusable] = np.nan
                upper[unusable] = np.nan
                intervals[f"lower_{level_suffix(level)}"] = lower
                intervals[f"upper_{level_suffix(level)}"] = upper

    # rows ordered by stratum, then age band, then cause
    k_idx, b_idx, c_idx = (
        grid.ravel()
        for grid in np.meshgrid(
            np.arange(strata), np.arange(bands), np.arange(n_causes), indexing="ij"
        )
    )
    columns: dict[str, Any] = {age_start: layout[b_idx].astype(np.int64)}
    if cause:
        columns[cause] = np.array(cause_labels, dtype=object)[c_idx]
    columns["contribution"] = by_cause[k_idx, c_idx, b_idx]
    for name, values in intervals.items():
        columns[name] = values[k_idx, c_idx, b_idx]
    columns["gap"] = gap[k_idx]
    a, b = groups
    columns["statistic"] = f"contribution to the life expectancy gap at birth ({b} minus {a})"
    method = "Arriaga" + (", proportional split by cause" if cause else "")
    if simulations:
        method += f"; Poisson simulation, {simulations:,} runs"
    columns["method"] = method
    columns["note"] = np.array([note or None for note in notes], dtype=object)[k_idx]
    base = strata_keys[k_idx.tolist()] if by_cols else None
    return build_frame(frame, columns, base=base, levels=levels)


def _check_population_repeated(
    frame: Any, counts: Any, population: str, band_by: list[str], *, function: str
) -> None:
    """With causes, every cause row of a band must carry the band's person-years."""
    pops = frame[population].to_numpy().astype(float)
    _, band_group = group_rows(frame, band_by)
    cell = band_group * len(counts.age_start) + counts.row_band
    first: dict[int, float] = {}
    for i, (c, p) in enumerate(zip(cell.tolist(), pops.tolist(), strict=True)):
        if c not in first:
            first[c] = p
        elif not (p == first[c] or (np.isnan(p) and np.isnan(first[c]))):
            raise InputError(
                f"{function}: {population} must be the same on every cause row of an age band "
                f"(the band's person-years); this row has {p:g}, an earlier one {first[c]:g}",
                column=population,
                row=i + 1,
                value=p,
            )


def _side_notes(
    layout: np.ndarray,
    band_deaths: np.ndarray,
    band_pop: np.ndarray,
    present: np.ndarray,
    groups: tuple[Any, Any],
    deaths: str,
    population: str,
    cause_deaths: np.ndarray,
) -> list[str]:
    """Per stratum, why the decomposition cannot be made ('' if it can)."""
    strata = band_deaths.shape[1]
    out = [""] * strata
    for side, label in enumerate(groups):
        problems = group_problems(
            layout, band_deaths[side], band_pop[side], present[side], deaths, population
        )
        negative_cause = (cause_deaths[side] < 0).any(axis=(1, 2))
        for k in range(strata):
            found = list(problems[k])
            if not present[side, k].any():
                found = ["no rows"]
            elif negative_cause[k] and not any("negative" in p for p in found):
                found.append(f"{deaths} negative for a cause")
            if found:
                text = f"group {label!r}: " + "; ".join(found)
                out[k] = f"{out[k]}; {text}" if out[k] else text
    return out


def _simulate(
    cause_deaths: np.ndarray,
    band_pop: np.ndarray,
    present: np.ndarray,
    layout: np.ndarray,
    simulations: int,
    seed: int | None,
    *,
    split: bool,
) -> np.ndarray:
    """Contributions (runs, strata, causes, bands) with Poisson-simulated deaths."""
    rng = np.random.default_rng(seed)
    expected = np.where(np.isfinite(cause_deaths) & (cause_deaths > 0), cause_deaths, 0.0)
    drawn = rng.poisson(expected, size=(simulations, *expected.shape)).astype(float)
    band_deaths = np.where(present, drawn.sum(axis=3), np.nan)
    table_a = chiang_life_table(band_deaths[:, 0], band_pop[0], layout)
    table_b = chiang_life_table(band_deaths[:, 1], band_pop[1], layout)
    contribution = arriaga_contributions(table_a, table_b)
    if not split:
        return contribution[:, :, None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = drawn / band_pop[None, :, :, None, :]
    return split_by_cause(contribution, rates[:, 0], rates[:, 1])
