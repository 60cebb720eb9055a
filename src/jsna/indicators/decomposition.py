"""Where a life-expectancy gap comes from: tidy rows of its Arriaga decomposition.

A JSNA states the gap in life expectancy at birth between two populations
(the wards with the lowest and highest published values; Global Majority and
White residents) and then has to say which ages and which causes of death
make it up. For a ``le_gap_decomposition`` catalogue entry this module

1. computes life expectancy at birth for every category of the gap's
   dimension exactly as the life-expectancy indicators do (Chiang II on the
   20 life-table bands, :func:`jsna.methods.life_expectancy`), so the two
   values compared are the published ones;
2. picks the two populations (lower and higher published value);
3. splits the gap with :func:`jsna.methods.decompose_le_gap` (Arriaga 1984)
   by age band, and by grouped cause of death within each band (Preston,
   Heuveline and Guillot 2001);
4. returns tidy rows: dimension ``all`` (the whole gap), ``age_band``,
   ``cause`` and ``age_band×cause``, each ``value`` a contribution in years.

Life-table bands 0 and 1-4 are reported together as ``0-4`` (Arriaga's
contributions add), so ``age_band`` uses the data model's labels. The rows
are statistics, not counts: ``numerator`` and ``denominator`` are empty and
disclosure control leaves them alone. Deaths by cause come from the same
one-pass aggregation as every other measure (seven more summed columns), so
the decomposition costs no extra scan of the data.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from jsna.codes.age import ESP_BANDS
from jsna.engine.margins import ALL, INTERSECTION, LABEL_JOIN
from jsna.errors import InputError
from jsna.indicators.models import Indicator
from jsna.indicators.schema import CAUSE_GROUPS
from jsna.indicators.statistics import KEYS, _life_table_grid
from jsna.methods import decompose_le_gap, life_expectancy

__all__ = ["CAUSE_LABELS", "VALUE_TYPE", "gap_decomposition"]

#: ``value_type`` of every decomposition row (years of life expectancy).
VALUE_TYPE = "life expectancy gap contribution"

#: Report labels of the grouped causes of death (``cause`` dimension categories).
CAUSE_LABELS: dict[str, str] = {
    "circulatory": "Circulatory diseases",
    "cancer": "Cancers",
    "copd": "COPD",
    "other_respiratory": "Other respiratory diseases",
    "dementia": "Dementia",
    "external": "External causes",
    "other": "Other causes",
}

_CAUSE = "cause"
_AGE_BAND = "age_band"


def _published_le(grid: pd.DataFrame) -> pd.Series:
    """Life expectancy at birth per category, NA where the method leaves it NA."""
    out = life_expectancy(
        grid, "deaths", "person_years", "age_start", by=KEYS, confidence=0.95, le_age=0
    )
    return pd.Series(out["value"].to_numpy(float), index=out["category"].to_numpy())


def _pair(values: pd.Series, indicator: Indicator) -> tuple[str, str] | str:
    """(lower, higher) categories compared, or why they cannot be."""
    gap = indicator.gap
    assert gap is not None
    published = values.dropna()
    if gap.groups is None:
        if len(published) < 2:
            return f"fewer than two {gap.dimension} categories have a published life expectancy"
        return str(published.idxmin()), str(published.idxmax())
    missing = [g for g in gap.groups if g not in published.index]
    if missing:
        return f"no published life expectancy for {', '.join(missing)}"
    first, second = gap.groups
    return (first, second) if published[first] <= published[second] else (second, first)


def _band_label(age_start: np.ndarray) -> np.ndarray:
    index = np.minimum(age_start // 5, len(ESP_BANDS) - 1)
    return np.asarray(ESP_BANDS, dtype=object)[index]


def _cause_frame(
    grid: pd.DataFrame, pair: tuple[str, str], roles: Mapping[str, str]
) -> pd.DataFrame:
    """Long frame: one row per category, band and cause with the band's person-years."""
    rows = grid[grid["category"].isin(pair)]
    parts = [
        pd.DataFrame(
            {
                "category": rows["category"].to_numpy(),
                "age_start": rows["age_start"].to_numpy(),
                _CAUSE: cause,
                "deaths": rows[roles[f"deaths_{cause}"]].to_numpy(float),
                "person_years": rows["person_years"].to_numpy(float),
            }
        )
        for cause in CAUSE_GROUPS
    ]
    return pd.concat(parts, ignore_index=True)


def _empty_rows(note: str) -> pd.DataFrame:
    """The single NA row of a gap that cannot be decomposed, saying why."""
    return pd.DataFrame(
        {
            "dimension": [ALL],
            "category": ["All"],
            "within": [""],
            "value": [np.nan],
            "comparator": [None],
            "note": [note],
            "method": ["Arriaga"],
        }
    )


def gap_decomposition(
    counts: pd.DataFrame, indicator: Indicator, roles: Mapping[str, str]
) -> pd.DataFrame:
    """Tidy rows decomposing the indicator's life-expectancy gap at birth.

    ``counts`` are the engine's counts by category and life-table band
    (``dimension``, ``category``, ``within``, ``age_start`` and the measure
    columns named in ``roles``: ``deaths``, ``person_years`` and
    ``deaths_<cause>`` for every grouped cause). Only the gap dimension's
    rows are read. Returns ``dimension``, ``category``, ``within``,
    ``value`` (years; the ``all`` row is the gap itself, which the
    ``age_band`` rows and the ``cause`` rows each sum to), ``comparator``
    (the population with the lower life expectancy), ``method`` and
    ``note``; a single NA ``all`` row with the reason when no gap can be
    decomposed. Source: Arriaga EE, *Demography* 1984;21:83-96.
    """
    gap = indicator.gap
    assert gap is not None
    measures = {roles["deaths"]: "deaths", roles["person_years"]: "person_years"}
    cause_measures = [roles[f"deaths_{c}"] for c in CAUSE_GROUPS]
    part = counts[counts["dimension"] == gap.dimension]
    if part.empty:
        return _empty_rows(f"gap not decomposed: the build is not stratified by {gap.dimension}")
    grid = _life_table_grid(part, sorted({*measures, *cause_measures}))
    grid = grid.assign(**{name: grid[measure] for measure, name in measures.items()})
    by_cause_total = grid[cause_measures].sum(axis=1).to_numpy()
    if not np.array_equal(by_cause_total, grid["deaths"].to_numpy()):
        raise InputError(
            "deaths by grouped cause do not add up to all deaths: every death needs a cause",
            file="deaths",
            column="underlying_cause",
        )
    values = _published_le(grid[[*KEYS, "age_start", "deaths", "person_years"]])
    pair = _pair(values, indicator)
    if isinstance(pair, str):
        return _empty_rows(f"gap not decomposed: {pair}")
    lower, higher = pair

    by_age = decompose_le_gap(
        grid[grid["category"].isin(pair)],
        "deaths",
        "person_years",
        "age_start",
        "category",
        groups=(lower, higher),
    )
    if by_age["note"].notna().any():
        return _empty_rows(f"gap not decomposed: {by_age['note'].dropna().iloc[0]}")
    by_cause = decompose_le_gap(
        _cause_frame(grid, pair, roles),
        "deaths",
        "person_years",
        "age_start",
        "category",
        groups=(lower, higher),
        cause=_CAUSE,
    )
    total = float(values[higher] - values[lower])
    age_rows = by_age.assign(band=_band_label(by_age["age_start"].to_numpy()))
    age_rows = age_rows.groupby("band", sort=False)["contribution"].sum()
    cause_rows = by_cause.assign(
        band=_band_label(by_cause["age_start"].to_numpy()),
        label=by_cause[_CAUSE].map(CAUSE_LABELS),
    )
    cause_totals = cause_rows.groupby("label", sort=False)["contribution"].sum()
    cells = cause_rows.groupby(["band", "label"], sort=False)["contribution"].sum()
    frames = [
        pd.DataFrame({"dimension": ALL, "category": ["All"], "within": "", "value": [total]}),
        pd.DataFrame(
            {
                "dimension": _AGE_BAND,
                "category": age_rows.index,
                "within": "",
                "value": age_rows.to_numpy(),
            }
        ),
        pd.DataFrame(
            {
                "dimension": _CAUSE,
                "category": cause_totals.index,
                "within": "",
                "value": cause_totals.to_numpy(),
            }
        ),
        pd.DataFrame(
            {
                "dimension": f"{_AGE_BAND}{INTERSECTION}{_CAUSE}",
                "category": [f"{b}{LABEL_JOIN}{c}" for b, c in cells.index],
                "within": [c for _, c in cells.index],
                "value": cells.to_numpy(),
            }
        ),
    ]
    rows = pd.concat(frames, ignore_index=True)
    note = (
        f"life expectancy at birth {values[higher]:.2f} years in {higher}, {values[lower]:.2f} "
        f"in {lower}: a gap of {total:.2f} years. Contributions by age band, and by cause of "
        f"death, each sum to the gap; positive where death rates in {higher} are lower"
    )
    return rows.assign(
        comparator=lower,
        method=np.where(
            rows["dimension"].str.contains(_CAUSE),
            "Arriaga, proportional split by cause",
            "Arriaga",
        ),
        note=note,
    )
