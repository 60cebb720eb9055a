"""The columns of the tidy result table (docs/tidy-table.md), named once.

Every layer that writes or reads the table — the engine's indicator rows,
the Fingertips benchmark rows, disclosure control, the equity scan — takes
the names from here, so a column added to the table is added in one place.
"""

from __future__ import annotations

__all__ = ["COMPARISON_STATISTICS", "TIDY_COLUMNS"]

#: Each group's comparison with its comparator: ratio and difference with their
#: 95% intervals, the p-value and the Benjamini–Hochberg q-value.
COMPARISON_STATISTICS: tuple[str, ...] = (
    "ratio_to_comparator",
    "ratio_lower_95",
    "ratio_upper_95",
    "difference_to_comparator",
    "difference_lower_95",
    "difference_upper_95",
    "p_value",
    "q_value",
)

#: Every column of the table, in order (a list: pandas selects columns with it).
TIDY_COLUMNS: list[str] = [
    "indicator_id",
    "indicator_name",
    "domain",
    "period",
    "area_code",
    "area_name",
    "area_type",
    "dimension",
    "category",
    "numerator",
    "denominator",
    "value",
    "lower_95",
    "upper_95",
    "lower_998",
    "upper_998",
    "value_type",
    "multiplier",
    "age_standardised",
    "method",
    "polarity",
    "comparator",
    *COMPARISON_STATISTICS,
    "significance",
    "suppressed",
    "note",
    "synthetic",
]
