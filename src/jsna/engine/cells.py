"""Count every measure in the finest stratum cells, in one pass over the data.

The finest cell is (ethnicity_19, ward, imd_quintile, sex, main_language,
age band). One Ibis aggregation over the enriched person table groups by the
cell keys and the three age bands a person can be counted in (at the
snapshot, at the middle of their time at risk, at death) and sums every
measure; the backend reads each record-level table once. The small result
comes back to pandas, where each measure is regrouped by its own age band.
All margins (each dimension, ``all``, the intersections) are then exact sums
of these cells (:mod:`jsna.engine.margins`), so no second scan is needed.
"""

from __future__ import annotations

import ibis.expr.types as ir
import pandas as pd

from jsna.codes.ethnicity import GROUP_5
from jsna.engine.backends import execute
from jsna.engine.measures import MeasurePlan
from jsna.engine.persons import DAYS_PER_YEAR, KEY_COLUMNS
from jsna.errors import InputError

__all__ = ["AGE_START", "BAND_COLUMNS", "CODE_CHECKS", "cell_query", "count_cells"]

AGE_START = "age_start"
BAND_COLUMNS: tuple[str, ...] = ("band_end", "band_mid", "band_death")

_GLOBAL_MAJORITY = {
    "Asian": "Global Majority",
    "Black": "Global Majority",
    "Mixed": "Global Majority",
    "Other": "Global Majority",
    "White": "White",
}


# People columns whose codes must all be known; the flags come from the person table.
CODE_CHECKS = {"ethnicity_code": "unknown_ethnicity_code", "sex": "unknown_sex_code"}


def _raise_unknown_code(persons: ir.Table, column: str, flag: str) -> None:
    """Name the first person with a code the code lists do not know (error path only)."""
    source = "ethnicity_code" if column == "ethnicity_code" else "sex_code"
    first = execute(
        persons.filter(persons[flag]).select("person_id", source).order_by("person_id").limit(1)
    )
    raise InputError(
        "not a known code: every record must land in a category",
        file="people",
        column=column,
        value=first[source].iloc[0],
        hint=f"person_id {first['person_id'].iloc[0]}; run `jsna validate` on the data folder",
    )


def cell_query(persons: ir.Table, plan: MeasurePlan) -> ir.Table:
    """The single aggregation: every measure (and the code checks) by cell and band."""
    expressions = plan.expressions(persons)
    checks = {f"invalid_{c}": persons[flag].ifelse(1, 0).sum() for c, flag in CODE_CHECKS.items()}
    return persons.group_by([*KEY_COLUMNS, *BAND_COLUMNS]).aggregate(**expressions, **checks)


def count_cells(persons: ir.Table, plan: MeasurePlan) -> pd.DataFrame:
    """Sum every measure by cell and life-table band start: one query, one scan.

    A code the code lists do not know (ethnicity, sex) raises
    :class:`~jsna.errors.InputError` rather than landing silently in
    "Not stated". Returns one row per non-empty cell and ``age_start`` (0, 1, 5, …, 90),
    with the key columns, ``ethnicity_5`` and ``global_majority`` (derived
    from ``ethnicity_19``), and one column per measure (0 where none).
    """
    grouped = cell_query(persons, plan)
    # Sorted so every later sum runs in the same order: identical inputs, identical bits.
    raw = execute(grouped).sort_values([*KEY_COLUMNS, *BAND_COLUMNS], ignore_index=True)
    for column, flag in CODE_CHECKS.items():
        if raw[f"invalid_{column}"].sum() > 0:
            _raise_unknown_code(persons, column, flag)
    keys = list(KEY_COLUMNS)
    parts = []
    for band in BAND_COLUMNS:
        names = [m.name for m in plan.measures.values() if m.band == band]
        if not names:
            continue
        part = raw.groupby([*keys, band], sort=False, observed=True)[names].sum()
        parts.append(part.rename_axis([*keys, AGE_START]))
    if parts:
        cells = pd.concat(parts, axis=1).fillna(0).reset_index()
    else:
        cells = raw[keys].drop_duplicates().assign(**{AGE_START: 0})
    cells[AGE_START] = cells[AGE_START].astype("int64")
    for name, measure in plan.measures.items():
        cells[name] = cells[name].astype("int64")
        if measure.kind == "person_years":  # exact integer days → years
            cells[name] = cells[name] / DAYS_PER_YEAR
    cells["ethnicity_5"] = cells["ethnicity_19"].map(GROUP_5)
    cells["global_majority"] = (
        cells["ethnicity_5"].map(_GLOBAL_MAJORITY).fillna(cells["ethnicity_5"])
    )
    return cells
