"""The counts of a tidy table as one set of linked tables: cells and the sums that bind them.

Every numerator and denominator in the tidy table (``docs/tidy-table.md``) is
a *cell*: one count for an indicator × period × area × measure × dimension ×
category. The crude and age-standardised rows of a group share one cell (the
same count is published twice). The tables are linked by additivity, because
every record lands in exactly one category of every dimension
(``docs/data-model.md``):

* the ``all`` cell equals the sum of the cells of each single dimension;
* an intersection ``A×B`` sums to each of its margins: for every category a
  of A, ``A = a`` equals the sum over b of ``a × b`` (and the same for B),
  and all its cells sum to ``all``.

These *relations* (total first, then parts) are what an attacker subtracts
with, what secondary suppression must defeat, and what the audit solves.
Counts published more than once under different indicators (the registered
population is the denominator of every prevalence indicator) are merged into
one set of cells when their true values are identical, so suppressing a
population in one indicator suppresses it everywhere it appears.

The structure is from Hundepool et al., *Statistical Disclosure Control*
(Wiley, 2012), ch. 4 (linked and hierarchical tables).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from jsna.errors import InputError

__all__ = ["INTERSECTION", "LABEL_JOIN", "MEASURES", "LinkedCells", "link_cells"]

MEASURES = ("numerator", "denominator")
INTERSECTION = "×"
LABEL_JOIN = " × "
_VECTOR = ["indicator_id", "period", "area_code"]
_CELL = ["dimension", "category"]
REQUIRED = [*_VECTOR, *_CELL, *MEASURES, "value", "value_type", "age_standardised"]


@dataclass(frozen=True)
class LinkedCells:
    """Cells of a tidy table and the additive relations between them.

    ``cells`` has one row per cell (``indicator_id``, ``period``,
    ``area_code``, ``measure``, ``dimension``, ``category``, ``integer``);
    ``row_cell[measure][i]`` is the cell of table row ``i``; each relation is
    an array of cell indices, the total first; ``bounded_by`` lists
    (numerator cell, denominator cell) pairs of proportions, where the
    numerator cannot exceed the denominator.
    """

    cells: pd.DataFrame
    row_cell: dict[str, np.ndarray]
    relations: list[np.ndarray]
    bounded_by: np.ndarray

    def values(self, table: pd.DataFrame) -> np.ndarray:
        """Each cell's value taken from ``table`` (NaN where the table shows none)."""
        out = np.full(len(self.cells), np.nan)
        for measure in MEASURES:
            column = pd.to_numeric(table[measure], errors="coerce").to_numpy(dtype=float)
            out[self.row_cell[measure]] = column
        return out


def _check(table: pd.DataFrame, source: str) -> None:
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise InputError(
            "the tidy table lacks a column disclosure control needs",
            file=source,
            column=missing[0],
            hint="see docs/tidy-table.md",
        )


def _relations(cells: pd.DataFrame) -> list[np.ndarray]:
    """Sum relations within each vector (indicator × period × area × measure)."""
    relations: list[np.ndarray] = []
    for _, vector in cells.groupby("vector", sort=True):
        index = dict(
            zip(
                zip(vector["dimension"], vector["category"], strict=True), vector.index, strict=True
            )
        )
        total = index.get(("all", "All"))
        by_dimension: dict[str, list[int]] = {}
        for (dimension, _category), cell in index.items():
            if dimension != "all":
                by_dimension.setdefault(dimension, []).append(cell)
        for dimension, members in by_dimension.items():
            if total is not None:
                relations.append(np.array([total, *members]))
            if INTERSECTION not in dimension:
                continue
            first, second = dimension.split(INTERSECTION, 1)
            rows: dict[tuple[str, str], list[int]] = {}
            for cell in members:
                a, b = str(cells.at[cell, "category"]).split(LABEL_JOIN, 1)
                rows.setdefault((first, a), []).append(cell)
                rows.setdefault((second, b), []).append(cell)
            for margin, parts in rows.items():
                if margin in index:
                    relations.append(np.array([index[margin], *parts]))
    return relations


def _holds(relation: np.ndarray, values: np.ndarray) -> bool:
    total = values[relation[0]]
    parts = values[relation[1:]]
    return bool(
        np.isfinite(total)
        and np.all(np.isfinite(parts))
        and abs(parts.sum() - total) <= 1e-6 * max(1.0, abs(total))
    )


def link_cells(
    table: pd.DataFrame, *, truth: pd.DataFrame | None = None, source: str = "tidy table"
) -> LinkedCells:
    """Find the cells and relations of a tidy table.

    ``truth`` is the same table with its raw counts (``table`` itself when
    protecting; ``OUT/restricted/indicators.parquet`` when auditing). With it,
    vectors with identical true counts are merged and relations that do not
    hold in the truth (e.g. a denominator that is the area total on every row)
    are dropped; without it every structural relation is kept.
    """
    _check(table, source)
    if truth is not None and len(truth) != len(table):
        raise InputError(
            f"the restricted table has {len(truth)} rows, the published one {len(table)}",
            file=source,
            hint="audit a build's own restricted/indicators.parquet",
        )
    frames = []
    for measure in MEASURES:
        part = table[[*_VECTOR, *_CELL]].astype(str).copy()
        part.insert(3, "measure", measure)
        part["row"] = np.arange(len(table))
        frames.append(part)
    stacked = pd.concat(frames, ignore_index=True)
    key = [*_VECTOR, "measure", *_CELL]
    stacked["cell"] = stacked.groupby(key, sort=False).ngroup()
    stacked["vector"] = stacked.groupby([*_VECTOR, "measure"], sort=False).ngroup()

    raw = None
    if truth is not None:
        raw = np.concatenate(
            [pd.to_numeric(truth[m], errors="coerce").to_numpy(dtype=float) for m in MEASURES]
        )
        first = stacked.groupby("cell", sort=False)["row"].transform("first")
        measure_offset = np.where(stacked["measure"] == "numerator", 0, len(table))
        reference = raw[first.to_numpy() + measure_offset]
        differs = ~np.isclose(raw, reference, rtol=1e-9, atol=1e-9, equal_nan=True)
        if differs.any():
            at = int(np.flatnonzero(differs)[0])
            raise InputError(
                "two rows of the same group disagree on a count",
                file=source,
                column=str(stacked.at[at, "measure"]),
                row=int(stacked.at[at, "row"]) + 1,
                value=raw[at],
            )
        # Merge vectors whose true counts are identical cell for cell.
        signature = (
            stacked.assign(v=np.round(raw, 6))
            .drop_duplicates("cell")
            .groupby("vector", sort=False)
            .apply(
                lambda g: tuple(zip(g["dimension"], g["category"], g["v"], strict=True)),
                include_groups=False,
            )
        )
        canonical = signature.groupby(signature).transform(lambda s: s.index[0])
        stacked["vector"] = stacked["vector"].map(canonical)
        stacked["cell"] = stacked.groupby(["vector", *_CELL], sort=False).ngroup()

    cells = (
        stacked.drop_duplicates("cell")
        .set_index("cell")
        .sort_index()[[*_VECTOR, "measure", *_CELL, "vector"]]
    )
    integer = np.ones(len(cells), dtype=bool)
    value_type = table["value_type"].astype(str).to_numpy()
    den_rows = stacked["measure"].to_numpy() == "denominator"
    person_time = den_rows & np.tile(value_type != "proportion", 2)
    integer[stacked.loc[person_time, "cell"].to_numpy()] = False
    cells["integer"] = integer
    row_cell = {m: stacked.loc[stacked["measure"] == m, "cell"].to_numpy() for m in MEASURES}
    relations = _relations(cells)
    if raw is not None:
        values = np.full(len(cells), np.nan)
        values[stacked["cell"].to_numpy()] = raw
        relations = [r for r in relations if _holds(r, values)]
    proportion = value_type == "proportion"
    pairs = (
        np.unique(
            np.column_stack(
                [row_cell["numerator"][proportion], row_cell["denominator"][proportion]]
            ),
            axis=0,
        )
        if proportion.any()
        else np.empty((0, 2), dtype=int)
    )
    return LinkedCells(cells=cells, row_cell=row_cell, relations=relations, bounded_by=pairs)
