"""Hand-made tidy tables for the equity tests.

Every row carries every column of docs/tidy-table.md, with the values a test
chooses; comparator columns are empty unless a test fills them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from jsna.equity import EquityConfig

TIDY_COLUMNS = [
    "indicator_id", "indicator_name", "domain", "period", "area_code", "area_name",
    "area_type", "dimension", "category", "numerator", "denominator", "value",
    "lower_95", "upper_95", "lower_998", "upper_998", "value_type", "multiplier",
    "age_standardised", "method", "polarity", "comparator", "ratio_to_comparator",
    "ratio_lower_95", "ratio_upper_95", "difference_to_comparator",
    "difference_lower_95", "difference_upper_95", "p_value", "q_value",
    "significance", "suppressed", "note", "synthetic",
]

INDICATORS: dict[str, dict[str, Any]] = {
    "ltc_hypertension": {
        "indicator_name": "Hypertension recorded prevalence",
        "domain": "long-term conditions",
        "value_type": "proportion",
        "multiplier": 100.0,
        "method": "Wilson",
        "polarity": "lower_is_better",
    },
    "flu_65": {
        "indicator_name": "Flu vaccination uptake, aged 65 and over",
        "domain": "prevention",
        "value_type": "proportion",
        "multiplier": 100.0,
        "method": "Wilson",
        "polarity": "higher_is_better",
    },
    "le_male": {
        "indicator_name": "Male life expectancy at birth",
        "domain": "life expectancy",
        "value_type": "life expectancy",
        "multiplier": 1.0,
        "method": "Chiang II (Silcocks)",
        "polarity": "higher_is_better",
    },
}


def tidy_row(indicator_id: str, dimension: str, category: str, **values: Any) -> dict[str, Any]:
    """One tidy row; ``values`` override the defaults (counts, value, CI, flags)."""
    row: dict[str, Any] = dict.fromkeys(TIDY_COLUMNS, np.nan)
    row.update(
        {
            "indicator_id": indicator_id,
            **INDICATORS[indicator_id],
            "period": "2023/24",
            "area_code": "E09000033",
            "area_name": "Westminster",
            "area_type": "Local authority",
            "dimension": dimension,
            "category": category,
            "age_standardised": False,
            "comparator": "",
            "significance": "Not compared",
            "suppressed": False,
            "note": "",
            "synthetic": True,
        }
    )
    if values.get("age_standardised"):
        row["value_type"] = "age-standardised rate"
        row["method"] = "Dobson"
    row.update(values)
    return row


def table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The rows as a tidy DataFrame in the documented column order."""
    return pd.DataFrame(rows, columns=TIDY_COLUMNS)


@pytest.fixture
def make_row() -> Callable[..., dict[str, Any]]:
    return tidy_row


@pytest.fixture
def make_table() -> Callable[[list[dict[str, Any]]], pd.DataFrame]:
    return table


@pytest.fixture
def config() -> EquityConfig:
    """Default choices, with fewer Monte Carlo repetitions to keep the tests fast."""
    return EquityConfig(summary_repetitions=1000)
