"""Life-expectancy gaps between wards: the widest one, and the pairs a JSNA names.

The Westminster JSNA opens on one figure: male life expectancy 18 years longer
in Knightsbridge & Belgravia than in Westbourne. For every life-expectancy and
healthy-life-expectancy indicator with ward rows (on their own, or within an
intersection such as ``sex×ward`` — the gap is then found separately for each
sex), this module finds

* the wards with the highest and lowest published values and the difference
  between them (finding type ``widest ward gap``), and
* for each pair of wards named in :attr:`EquityConfig.ward_pairs
  <jsna.equity.config.EquityConfig.ward_pairs>`, the first ward's value minus
  the second's (finding type ``named ward gap``). When either ward has no
  published value the finding is kept with no numbers and a note naming the
  ward, rather than quoting an unstable or suppressed figure.

Each difference has a 95% confidence interval from the two wards' intervals via
:func:`jsna.methods.compare_estimates` (linear scale: standard errors recovered
from the interval widths, wards independent; Altman & Bland, BMJ
2011;343:d2090).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from jsna.equity.comparison import CELL, GAP_STATISTICS
from jsna.errors import InputError
from jsna.methods import compare_estimates

__all__ = ["FINDING_TYPE", "NAMED_FINDING_TYPE", "named_ward_gaps", "widest_ward_gaps"]

FINDING_TYPE = "widest ward gap"
NAMED_FINDING_TYPE = "named ward gap"

_GROUP_KEYS = ["indicator_id", "period", "area_code", "dimension", "_others"]
_ESTIMATE = ("value", "lower_95", "upper_95")


def widest_ward_gaps(cells: pd.DataFrame, publishable: np.ndarray) -> pd.DataFrame:
    """One row per indicator × period × area × (other parts of the dimension).

    ``cells`` are the side-by-side groups of :func:`jsna.equity.comparison.side_by_side`
    with their headline ``value``, ``lower_95``, ``upper_95``; only rows where
    ``publishable`` is true take part (a suppressed or unstable ward is not
    quoted). The higher ward is the ``category``, the lower the
    ``comparator``; ``crude_difference`` is higher minus lower (positive).
    """
    wards = _ward_cells(cells[publishable & cells["value"].notna().to_numpy()])
    pairs = []
    for _, group in wards.groupby(_GROUP_KEYS, sort=True):
        if len(group) < 2:
            continue
        values = group["value"].to_numpy(float)
        pairs.append((group.iloc[int(np.argmax(values))], group.iloc[int(np.argmin(values))]))
    return _gaps(pairs, FINDING_TYPE)


def named_ward_gaps(
    cells: pd.DataFrame,
    publishable: np.ndarray,
    ward_pairs: Sequence[tuple[str, str]],
) -> pd.DataFrame:
    """One row per configured ward pair × indicator × period × area × (other parts).

    ``category`` is the first ward of the pair and ``comparator`` the second;
    ``crude_difference`` is first minus second (either sign). A ward whose
    value is missing, or not ``publishable`` (suppressed or unstable), has its
    value, interval and counts blanked, so the difference is missing too;
    ``gap_unpublished_wards`` names it (``"A and B"`` when both) and
    ``gap_note`` says so.

    Every name in ``ward_pairs`` must be a ward label of the life-expectancy
    rows; an unknown name raises :class:`~jsna.errors.InputError` naming the
    ``ward_pairs`` setting. Without any such rows there is nothing to compare
    and no finding.
    """
    wards = _ward_cells(cells)
    if wards.empty or not ward_pairs:
        return pd.DataFrame()
    known = set(wards["_ward"])
    for pair in ward_pairs:
        for name in pair:
            if name not in known:
                raise InputError(
                    "ward not found among the life-expectancy ward rows "
                    f"(known: {', '.join(sorted(known))})",
                    file="EquityConfig",
                    column="ward_pairs",
                    value=name,
                )
    shown = pd.Series(publishable, index=cells.index).loc[wards.index]
    wards["_shown"] = shown.to_numpy(bool) & wards["value"].notna().to_numpy()
    pairs, unpublished = [], []
    for _, group in wards.groupby(_GROUP_KEYS, sort=True):
        template = group.iloc[0]
        by_ward = {row["_ward"]: row for _, row in group.iterrows()}
        for first, second in ward_pairs:
            sides = [_side(by_ward, template, ward) for ward in (first, second)]
            hidden = [
                ward for ward, (_, shown) in zip((first, second), sides, strict=True) if not shown
            ]
            pairs.append((sides[0][0], sides[1][0]))
            unpublished.append(" and ".join(hidden))
    gaps = _gaps(pairs, NAMED_FINDING_TYPE)
    gaps["gap_unpublished_wards"] = unpublished
    gaps["gap_note"] = [
        f"Not published: no published value for {wards}." if wards else "" for wards in unpublished
    ]
    return gaps


def _ward_cells(cells: pd.DataFrame) -> pd.DataFrame:
    """Life-expectancy cells of a dimension with wards.

    The ward's label goes in ``_ward``, the other parts of an intersection in
    ``_others``. Rows whose ward is ``Unknown`` are not a ward and are left out.
    """
    wards = cells[
        cells["statistic"].isin(GAP_STATISTICS)
        & cells["dimension"].map(lambda d: "ward" in d.split("×"))
    ].copy()
    position = [d.split("×").index("ward") for d in wards["dimension"]]
    labels = [c.split(" × ") for c in wards["category"]]
    wards["_ward"] = [parts[p] for parts, p in zip(labels, position, strict=True)]
    wards["_others"] = [
        " × ".join(label for i, label in enumerate(parts) if i != p)
        for parts, p in zip(labels, position, strict=True)
    ]
    return wards[wards["_ward"] != "Unknown"].sort_values(CELL, kind="stable")


def _side(by_ward: dict[str, pd.Series], template: pd.Series, ward: str) -> tuple[pd.Series, bool]:
    """The ward's cell (blanked when it is not published) and whether it is shown."""
    row = by_ward.get(ward)
    if row is not None and bool(row["_shown"]):
        return row, True
    blank = (template if row is None else row).copy()
    if row is None:
        dimension = str(template["dimension"]).split("×")
        labels = str(template["category"]).split(" × ")
        labels[dimension.index("ward")] = ward
        blank["category"] = " × ".join(labels)
        blank[["crude_suppressed", "standardised_suppressed"]] = False
        blank[["crude_note", "standardised_note"]] = ""
    hidden = [*_ESTIMATE, "crude_numerator", "crude_denominator"]
    hidden += [f"standardised_{name}" for name in _ESTIMATE]
    blank[hidden] = np.nan
    return blank, False


def _gaps(pairs: list[tuple[pd.Series, pd.Series]], finding_type: str) -> pd.DataFrame:
    """Findings for (ward, comparator ward) pairs: first minus second, with its 95% CI."""
    if not pairs:
        return pd.DataFrame()
    rows = []
    for first, second in pairs:
        row = first.copy()
        row["comparator_dimension"] = second["dimension"]
        row["comparator"] = second["category"]
        for name in _ESTIMATE:
            row[f"ref_crude_{name}"] = second[name]
            row[f"crude_{name}"] = first[name]
        row["crude_numerator"] = second["crude_numerator"]
        row["crude_denominator"] = second["crude_denominator"]
        rows.append(row)
    drop = [c for c in ("_others", "_ward", "_shown") if c in rows[0].index]
    gaps = pd.DataFrame(rows).drop(columns=drop).reset_index(drop=True)
    gap = compare_estimates(
        *(gaps[f"crude_{n}"].to_numpy(float) for n in _ESTIMATE),
        *(gaps[f"ref_crude_{n}"].to_numpy(float) for n in _ESTIMATE),
        confidence=0.95,
        scale="linear",
    )
    gaps["crude_difference"] = gap.estimate
    gaps["crude_difference_lower_95"] = gap.lower
    gaps["crude_difference_upper_95"] = gap.upper
    gaps["crude_p"] = gap.p_value
    gaps["crude_source"] = "compare_estimates (from the estimates and their 95% CIs)"
    gaps["finding_type"] = finding_type
    return gaps
