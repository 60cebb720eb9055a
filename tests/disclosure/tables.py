"""Small hand-worked tidy tables for the disclosure tests.

``EXAMPLE`` is one proportion indicator reported by ``all``, ``sex``,
``ethnicity_5`` and ``ethnicity_5×sex``; its counts are chosen so every
margin adds up and the small cells sit in one ethnic group:

=========  ======  ====  =====
           Female  Male  total
=========  ======  ====  =====
Asian           1     2      3
Black          19    28     47
White          20    30     50
total          40    60    100
=========  ======  ====  =====

Denominators are ten times each numerator plus 100 (so every value is a
different percentage), and the intervals are value ± 1 — only their
presence matters here.
"""

from __future__ import annotations

import pandas as pd

NUMERATORS: dict[tuple[str, str], int] = {
    ("all", "All"): 100,
    ("sex", "Female"): 40,
    ("sex", "Male"): 60,
    ("ethnicity_5", "Asian"): 3,
    ("ethnicity_5", "Black"): 47,
    ("ethnicity_5", "White"): 50,
    ("ethnicity_5×sex", "Asian × Female"): 1,
    ("ethnicity_5×sex", "Asian × Male"): 2,
    ("ethnicity_5×sex", "Black × Female"): 19,
    ("ethnicity_5×sex", "Black × Male"): 28,
    ("ethnicity_5×sex", "White × Female"): 20,
    ("ethnicity_5×sex", "White × Male"): 30,
}

#: Every count's denominator: 10 × numerator + 100 × (number of parts it sums).
DENOMINATORS: dict[tuple[str, str], int] = {
    ("all", "All"): 1600,
    ("sex", "Female"): 700,
    ("sex", "Male"): 900,
    ("ethnicity_5", "Asian"): 230,
    ("ethnicity_5", "Black"): 670,
    ("ethnicity_5", "White"): 700,
    ("ethnicity_5×sex", "Asian × Female"): 110,
    ("ethnicity_5×sex", "Asian × Male"): 120,
    ("ethnicity_5×sex", "Black × Female"): 290,
    ("ethnicity_5×sex", "Black × Male"): 380,
    ("ethnicity_5×sex", "White × Female"): 300,
    ("ethnicity_5×sex", "White × Male"): 400,
}


def comparator(dimension: str, category: str) -> str:
    """White for ethnic groups (White × sex within sex), the area otherwise."""
    if dimension == "ethnicity_5":
        return "White"
    if dimension == "ethnicity_5×sex":
        return "White × " + category.split(" × ")[1]
    return "Westminster" if dimension != "all" else ""


def tidy(
    numerators: dict[tuple[str, str], float] | None = None,
    denominators: dict[tuple[str, str], float] | None = None,
    *,
    indicator: str = "ltc_example",
    value_type: str = "proportion",
    multiplier: float = 100.0,
) -> pd.DataFrame:
    """A tidy table (the columns disclosure control reads) for one indicator."""
    numerators = NUMERATORS if numerators is None else numerators
    denominators = DENOMINATORS if denominators is None else denominators
    rows = []
    for (dimension, category), numerator in numerators.items():
        denominator = denominators[(dimension, category)]
        value = multiplier * numerator / denominator if denominator else float("nan")
        rows.append(
            {
                "indicator_id": indicator,
                "indicator_name": "Example prevalence",
                "period": "2023/24",
                "area_code": "E09000033",
                "area_name": "Westminster",
                "area_type": "Local authority",
                "dimension": dimension,
                "category": category,
                "numerator": numerator,
                "denominator": float(denominator),
                "value": value,
                "lower_95": value - 1,
                "upper_95": value + 1,
                "lower_998": value - 2,
                "upper_998": value + 2,
                "value_type": value_type,
                "multiplier": multiplier,
                "age_standardised": False,
                "comparator": comparator(dimension, category),
                "ratio_to_comparator": 1.5,
                "ratio_lower_95": 1.1,
                "ratio_upper_95": 1.9,
                "difference_to_comparator": 0.5,
                "difference_lower_95": 0.1,
                "difference_upper_95": 0.9,
                "p_value": 0.01,
                "q_value": 0.02,
                "significance": "Higher",
                "suppressed": False,
                "note": None,
                "synthetic": True,
            }
        )
    return pd.DataFrame(rows)


def suppress(
    table: pd.DataFrame, categories: set[str], *, rounding: int | None = None
) -> pd.DataFrame:
    """A hand-made published table: numerators of ``categories`` hidden, others rounded."""
    out = table.copy()
    out["numerator"] = out["numerator"].astype(float)
    hide = out["category"].isin(categories)
    if rounding:
        for column in ("numerator", "denominator"):
            out[column] = (out[column] / rounding + 0.5).floordiv(1) * rounding
    out.loc[hide, "numerator"] = float("nan")
    out.loc[hide, "value"] = float("nan")
    out["suppressed"] = hide
    return out
