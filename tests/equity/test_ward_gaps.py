"""The widest life-expectancy gap between two wards, by sex."""

from __future__ import annotations

import math

import pytest
from scipy.stats import norm

from jsna.equity import analyse

Z = norm.ppf(0.975)


def test_widest_gap_by_sex_names_both_wards(make_row, make_table, config):
    le = "le_male"
    wards = {  # (male value, CI), (female value, CI)
        "Knightsbridge & Belgravia": ((90.0, 88.0, 92.0), (91.0, 89.5, 92.5)),
        "Westbourne": ((72.0, 70.5, 73.5), (80.0, 78.6, 81.4)),
        "Abbey Road": ((82.0, 80.8, 83.2), (85.0, 83.9, 86.1)),
        "Unknown": ((60.0, 50.0, 70.0), (60.0, 50.0, 70.0)),  # not a ward: not in the gap
    }
    rows = []
    for ward, values in wards.items():
        for sex, (value, low, high) in zip(("Male", "Female"), values, strict=True):
            rows.append(make_row(le, "sex×ward", f"{sex} × {ward}", numerator=150,
                                 denominator=20_000, value=value, lower_95=low, upper_95=high))
    for sex, value in (("Male", 81.0), ("Female", 85.0)):
        rows.append(make_row(le, "sex", sex, numerator=1_000, denominator=150_000,
                             value=value, lower_95=value - 0.4, upper_95=value + 0.4))
    findings = analyse(make_table(rows), config=config).findings
    gaps = findings[findings["finding_type"] == "widest ward gap"].set_index("comparator")
    assert sorted(gaps.index) == ["Female × Westbourne", "Male × Westbourne"]
    male = gaps.loc["Male × Westbourne"]
    assert male["category"] == "Male × Knightsbridge & Belgravia"
    se = math.hypot((92.0 - 88.0) / (2 * Z), (73.5 - 70.5) / (2 * Z))
    assert male["difference"] == pytest.approx(18.0)
    assert male["difference_lower_95"] == pytest.approx(18.0 - Z * se)
    assert male["difference_upper_95"] == pytest.approx(18.0 + Z * se)
    assert male["significant"]
    assert male["sentence"] == (
        "Male life expectancy at birth among male residents was 18.0 years higher in "
        f"Knightsbridge & Belgravia than in Westbourne ({18 - Z * se:.1f} to "
        f"{18 + Z * se:.1f} years), the widest gap between two wards of Westminster.")
    female = gaps.loc["Female × Westbourne"]
    assert female["difference"] == pytest.approx(11.0)
    assert female["table_anchor"] == "#table-le_male"
