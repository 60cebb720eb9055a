"""Published wording of values, intervals, ratios and counts."""

from __future__ import annotations

import math

import pytest

from jsna.report.formatting import (
    format_count,
    format_interval,
    format_ratio,
    format_value,
    is_missing,
    slugify,
    unit_label,
)


@pytest.mark.parametrize(
    ("value", "value_type", "multiplier", "expected"),
    [
        (45.25, "proportion", 100, "45.2%"),  # round half to even at 1 d.p. of 45.25 → 45.2
        (12.06, "age-standardised rate", 100, "12.1%"),
        (1234.56, "crude rate", 100000, "1,234.6 per 100,000"),
        (350.0, "age-standardised rate", 100000, "350.0 per 100,000"),
        (80.04, "life expectancy", math.nan, "80.0 years"),
        (12345.0, "count", 1, "12,345"),
        (0.5, "proportion", 1, "0.5"),
    ],
)
def test_format_value(value, value_type, multiplier, expected):
    assert format_value(value, value_type, multiplier) == expected


def test_missing_values_say_why():
    assert format_value(math.nan, "proportion", 100) == "not available"
    assert format_value(None, "proportion", 100, suppressed=True) == "suppressed"
    assert format_count(math.nan, suppressed=True) == "suppressed"
    assert format_interval(math.nan, 2.0, "proportion", 100) == ""
    assert format_ratio(math.nan, 1, 2) == ""


def test_interval_ratio_and_count():
    assert format_interval(41.04, 49.55, "proportion", 100) == "41.0 to 49.5"
    assert format_ratio(1.954, 1.8, 2.111) == "1.95 (1.80 to 2.11)"
    assert format_ratio(0.5, math.nan, math.nan) == "0.50"
    assert format_count(12345.0) == "12,345"
    assert format_count(2500.25) == "2,500.2"


def test_unit_and_helpers():
    assert unit_label("healthy life expectancy", math.nan) == "years"
    assert unit_label("mean", math.nan) == ""
    assert is_missing(None) and is_missing(math.nan) and not is_missing("Arab")
    assert slugify("ethnicity_5×imd_quintile") == "ethnicity-5-imd-quintile"
    assert slugify("2019/20-23/24") == "2019-20-23-24"
