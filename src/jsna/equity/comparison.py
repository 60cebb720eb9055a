"""Each group against its reference group, crude and age-standardised side by side.

The tidy table holds one row per indicator × period × area × dimension ×
category × value type. This module pairs the crude row of every group with
its age-standardised row (when the catalogue asks for one), finds the
reference group it is compared with (:func:`reference_cell`), and gives the
ratio and the difference to the reference with 95% confidence intervals and
a two-sided p-value, for both bases.

Where the engine already compared the group with the same reference
(``comparator`` equal to the reference label, filled by
:func:`jsna.methods.compare_to_reference` from the counts), those figures are
used as they are. Otherwise the comparison is made from the two estimates and
their intervals with :func:`jsna.methods.compare_estimates` (standard errors
recovered from the interval widths; an approximation that assumes independent
groups — see its docstring). Proportions, rates and means are compared as
ratios; life expectancy and healthy life expectancy as differences in years.
Where either value is zero there is no ratio, and the difference (with its
test) carries the comparison.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jsna.equity.config import EquityConfig
from jsna.equity.tidy_input import COMPARATOR_COLUMNS
from jsna.methods import compare_estimates

__all__ = [
    "BASES",
    "CELL",
    "GAP_STATISTICS",
    "RATIO_STATISTICS",
    "compare_cells",
    "reference_cell",
    "side_by_side",
]

RATIO_STATISTICS = frozenset({"proportion", "crude rate", "age-standardised rate", "mean"})
GAP_STATISTICS = frozenset({"life expectancy", "healthy life expectancy"})
CELL = ["indicator_id", "period", "area_code", "dimension", "category"]
BASES = ("crude", "standardised")
BOROUGH = ("all", "All")

_INFO = ["indicator_name", "domain", "area_name", "polarity", "multiplier", "value_type"]
_FIELDS = [
    "numerator",
    "denominator",
    "value",
    "lower_95",
    "upper_95",
    "suppressed",
    "comparator",
    *COMPARATOR_COLUMNS,
    "method",
    "note",
]
_ESTIMATE = ["value", "lower_95", "upper_95"]


def side_by_side(tidy: pd.DataFrame) -> pd.DataFrame:
    """One row per group (cell) with ``crude_*`` and ``standardised_*`` columns.

    Rows of value type ``count`` (population sizes) are not comparisons and
    are left out here; ``statistic`` keeps the crude row's value type (the
    standardised row's when there is no crude one).
    """
    rows = tidy[tidy["value_type"] != "count"]
    frames = []
    for basis, standardised in zip(BASES, (False, True), strict=True):
        part = rows[rows["age_standardised"] == standardised][CELL + _INFO + _FIELDS]
        frames.append(
            part.rename(columns={name: f"{basis}_{name}" for name in _INFO + _FIELDS})
        )
    cells = frames[0].merge(frames[1], on=CELL, how="outer", sort=False)
    for name in _INFO:
        cells[name] = cells[f"crude_{name}"].where(
            cells[f"crude_{name}"].notna(), cells[f"standardised_{name}"]
        )
    cells["statistic"] = cells["value_type"]
    cells = cells.drop(columns=[f"{basis}_{name}" for basis in BASES for name in _INFO])
    cells = cells.drop(columns=["value_type"])
    for basis in BASES:
        cells[f"{basis}_suppressed"] = cells[f"{basis}_suppressed"].fillna(False).astype(bool)
        for name in ("comparator", "method", "note"):
            cells[f"{basis}_{name}"] = cells[f"{basis}_{name}"].fillna("").astype(object)
    return cells.sort_values(CELL, kind="stable").reset_index(drop=True)


def reference_cell(dimension: str, category: str, config: EquityConfig) -> tuple[str, str] | None:
    """The (dimension, category) a group is compared with; ``None`` for the reference itself.

    A single dimension takes its configured reference label. In an
    intersection the first part that has a reference takes it and the other
    parts keep the group's own labels, so like is compared with like:
    ``Black × 1 (most deprived)`` with ``White × 1 (most deprived)`` (the
    ethnic gap within the same deprivation quintile, as the engine's
    ``compare_to_reference`` does) and ``Black × Female`` with
    ``White × Female``. When no part has a reference the group is compared
    with the area as a whole, the ``all`` row.

    >>> reference_cell("ethnicity_5×imd_quintile", "Black × 1 (most deprived)", EquityConfig())
    ('ethnicity_5×imd_quintile', 'White × 1 (most deprived)')
    >>> reference_cell("ward", "Westbourne", EquityConfig())
    ('all', 'All')
    """
    if dimension == "all":
        return None
    parts = dimension.split("×")
    labels = category.split(" × ")
    for i, part in enumerate(parts):
        reference = config.references.get(part)
        if reference is None:
            continue
        labels[i] = reference
        reference_category = " × ".join(labels)
        return None if reference_category == category else (dimension, reference_category)
    return BOROUGH


def compare_cells(cells: pd.DataFrame, config: EquityConfig) -> pd.DataFrame:
    """Attach each group's reference values and its comparisons on both bases.

    Returns the cells that have a reference (the reference groups themselves
    and ``all`` rows drop out: they are what the others are compared with),
    with ``comparator_dimension``, ``comparator``, ``ref_<basis>_value`` (+CI)
    and, per basis, ``<basis>_ratio``/``_difference`` with CIs, ``<basis>_p``
    and ``<basis>_source`` (where the comparison came from).
    """
    pairs = cells[["dimension", "category"]].drop_duplicates()
    targets = {
        (d, c): reference_cell(d, c, config)
        for d, c in zip(pairs["dimension"], pairs["category"], strict=True)
    }
    keys = list(zip(cells["dimension"], cells["category"], strict=True))
    compared = cells[[targets[key] is not None for key in keys]].copy()
    chosen = [targets[key] for key in keys if targets[key] is not None]
    compared["comparator_dimension"] = [t[0] for t in chosen]
    compared["comparator"] = [t[1] for t in chosen]

    reference_columns = {f"{b}_{n}": f"ref_{b}_{n}" for b in BASES for n in _ESTIMATE}
    reference = cells[["indicator_id", "period", "area_code", "dimension", "category"]].copy()
    for source, target in reference_columns.items():
        reference[target] = cells[source]
    reference = reference.rename(
        columns={"dimension": "comparator_dimension", "category": "comparator"}
    )
    compared = compared.merge(
        reference,
        on=["indicator_id", "period", "area_code", "comparator_dimension", "comparator"],
        how="left",
        sort=False,
    )
    for basis in BASES:
        _compare_basis(compared, basis)
    return compared.reset_index(drop=True)


def _compare_basis(frame: pd.DataFrame, basis: str) -> None:
    """Add ``<basis>_ratio`` … ``<basis>_source`` columns in place."""
    estimate = [frame[f"{basis}_{n}"].to_numpy(float) for n in _ESTIMATE]
    reference = [frame[f"ref_{basis}_{n}"].to_numpy(float) for n in _ESTIMATE]
    ratio = compare_estimates(*estimate, *reference, confidence=0.95, scale="log")
    difference = compare_estimates(*estimate, *reference, confidence=0.95, scale="linear")
    is_ratio = frame["statistic"].isin(RATIO_STATISTICS).to_numpy()

    comparator = frame[f"{basis}_comparator"].to_numpy(object)
    borough = frame["comparator_dimension"].to_numpy(object) == BOROUGH[0]
    same_reference = (comparator == frame["comparator"].to_numpy(object)) | (
        borough
        & (
            (comparator == BOROUGH[1])
            | (comparator == frame["area_name"].to_numpy(object))
        )
    )
    with np.errstate(invalid="ignore"):
        # a zero on either side leaves no ratio (0 or infinity): the difference carries it
        has_ratio = is_ratio & np.isfinite(ratio.estimate) & (ratio.estimate > 0)
    computed = {
        "ratio": np.where(has_ratio, ratio.estimate, np.nan),
        "ratio_lower_95": np.where(has_ratio, ratio.lower, np.nan),
        "ratio_upper_95": np.where(has_ratio, ratio.upper, np.nan),
        "difference": difference.estimate,
        "difference_lower_95": difference.lower,
        "difference_upper_95": difference.upper,
        "p": np.where(has_ratio, ratio.p_value, difference.p_value),
    }
    from_tidy = {
        "ratio": "ratio_to_comparator",
        "ratio_lower_95": "ratio_lower_95",
        "ratio_upper_95": "ratio_upper_95",
        "difference": "difference_to_comparator",
        "difference_lower_95": "difference_lower_95",
        "difference_upper_95": "difference_upper_95",
        "p": "p_value",
    }
    used_tidy = np.zeros(len(frame), dtype=bool)
    for name, tidy_name in from_tidy.items():
        given = frame[f"{basis}_{tidy_name}"].to_numpy(float)
        take = same_reference & np.isfinite(given)
        if name.startswith("ratio"):
            take &= is_ratio
        frame[f"{basis}_{name}"] = np.where(take, given, computed[name])
        if name in ("ratio", "difference"):
            used_tidy |= take
    frame[f"{basis}_source"] = np.where(
        used_tidy,
        "compare_to_reference (from counts, in the tidy table)",
        "compare_estimates (from the estimates and their 95% CIs)",
    )
    has_value = ~np.isnan(estimate[0]) & ~np.isnan(reference[0])
    frame[f"{basis}_source"] = np.where(has_value, frame[f"{basis}_source"], "")
