"""Recent trend (Fingertips method): hand-computed chi-square and the four outcomes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest

from jsna.errors import InputError
from jsna.methods import trend

Z95 = 1.959963984540054
CRITICAL_998 = 9.549535938  # chi-square, 1 df, 99.8% (tables)


def series(values, se, name="x", start=2019):
    return pd.DataFrame(
        {
            "area": name,
            "year": [f"{y}/{(y + 1) % 100:02d}" for y in range(start, start + len(values))],
            "value": values,
            "se": se,
        }
    )


def test_hand_computed_chi_square():
    # w = 1, 1, 1/4, 1, 1; t̄ = 8.5/4.25 = 2; Σw(t-t̄)y = -20 - 11 + 0 + 12 + 30 = 11;
    # Σw(t-t̄)² = 4 + 1 + 0 + 1 + 4 = 10; slope 1.1; chi-square 1.1² × 10 = 12.1 > 9.55
    data = series([10, 11, 13, 12, 15], [1, 1, 2, 1, 1])
    out = trend(data, "value", "year", se="se")
    assert out["slope"].iloc[0] == pytest.approx(1.1, rel=1e-12)
    assert out["chi_square"].iloc[0] == pytest.approx(12.1, rel=1e-12)
    assert out["trend"].iloc[0] == "Increasing"
    assert out["periods"].iloc[0] == "2019/20 to 2023/24"
    assert out["note"].isna().all()


def test_intervals_give_the_same_answer_as_standard_errors():
    values, se = np.array([10, 11, 13, 12, 15.0]), np.array([1, 1, 2, 1, 1.0])
    data = series(values, se).assign(lo=values - Z95 * se, hi=values + Z95 * se)
    out = trend(data, "value", "year", lower="lo", upper="hi")
    assert out["chi_square"].iloc[0] == pytest.approx(12.1, rel=1e-9)


def test_strictly_increasing_narrow_intervals_and_polarity():
    data = series([60.0, 61.5, 63.0, 64.2, 66.0], [0.2] * 5)
    better = trend(data, "value", "year", se="se", polarity="higher_is_better")
    worse = trend(data, "value", "year", se="se", polarity="lower_is_better")
    neutral = trend(data, "value", "year", se="se", polarity="no_judgement")
    assert better["trend"].iloc[0] == "Increasing"
    assert better["direction"].iloc[0] == "Getting better"
    assert worse["direction"].iloc[0] == "Getting worse"
    assert neutral["direction"].iloc[0] == "Increasing"
    down = series([66.0, 64.2, 63.0, 61.5, 60.0], [0.2] * 5)
    out = trend(down, "value", "year", se="se", polarity="lower_is_better")
    assert (out["trend"].iloc[0], out["direction"].iloc[0]) == ("Decreasing", "Getting better")


def test_flat_noisy_series_is_no_significant_change():
    # slope = Σ(t-2)y/10 = (-100 - 52 + 0 + 51 + 100)/10 = -0.1; chi-square 0.01 × 10 = 0.1
    out = trend(series([50, 52, 49, 51, 50], [1] * 5), "value", "year", se="se")
    assert out["trend"].iloc[0] == "No significant change"
    assert out["chi_square"].iloc[0] == pytest.approx(0.1, rel=1e-12)


def test_one_point_cannot_make_a_trend():
    # slope (−20 − 10 + 0 + 10 + 40)/10 = 2, chi-square 40 > 9.55, but without the last point 0
    out = trend(series([10, 10, 10, 10, 20], [1] * 5), "value", "year", se="se")
    assert out["chi_square"].iloc[0] == pytest.approx(40.0)
    assert out["trend"].iloc[0] == "No significant change"
    assert "without point 5 of 5" in out["note"].iloc[0]


def test_just_below_and_above_the_critical_value():
    # equal weights, a straight line rising h/4 a period: chi-square = (h/4)² × 10
    for chi, label in [
        (CRITICAL_998 * 0.999, "No significant change"),
        (CRITICAL_998 * 1.001, "x"),
    ]:
        h = 4 * np.sqrt(chi / 10)
        out = trend(series([0, h / 4, h / 2, 3 * h / 4, h], [1] * 5), "value", "year", se="se")
        expected = label if label != "x" else "Increasing"
        assert out["trend"].iloc[0] == expected


def test_only_the_last_five_periods_count_and_periods_are_sorted():
    data = series([90, 80, 70, 10, 11, 13, 12, 15], [1, 1, 1, 1, 1, 2, 1, 1], start=2013)
    shuffled = data.sample(frac=1, random_state=3)
    out = trend(shuffled, "value", "year", se="se")
    assert out["chi_square"].iloc[0] == pytest.approx(12.1, rel=1e-12)
    assert out["periods"].iloc[0] == "2016/17 to 2020/21"


def test_cannot_be_calculated():
    four = trend(series([1, 2, 3, 4], [0.1] * 4), "value", "year", se="se", polarity="no_judgement")
    assert (four["trend"].iloc[0], four["direction"].iloc[0]) == ("Cannot be calculated",) * 2
    assert four["note"].iloc[0] == "only 4 periods; 5 needed"
    missing = trend(series([1, 2, np.nan, 4, 5], [0.1] * 5), "value", "year", se="se")
    assert missing["trend"].iloc[0] == "Cannot be calculated"
    zero = trend(series([1, 2, 3, 4, 5], [0.1, 0, 0.1, 0.1, 0.1]), "value", "year", se="se")
    assert zero["note"].iloc[0].startswith("a point has zero variance")


def test_grouped_polars():
    data = pd.concat(
        [
            series([10, 11, 13, 12, 15], [1, 1, 2, 1, 1], name="b"),
            series([50, 52, 49, 51, 50], [1] * 5, name="a"),
            series([1, 2, 3], [1] * 3, name="c"),
        ]
    )
    out = trend(pl.from_pandas(data), "value", "year", se="se", by="area")
    assert isinstance(out, pl.DataFrame)
    assert out["area"].to_list() == ["a", "b", "c"]
    assert out["trend"].to_list() == [
        "No significant change",
        "Increasing",
        "Cannot be calculated",
    ]
    assert out.schema["note"] == pl.String


def test_bad_input():
    data = series([1, 2, 3, 4, 5], [1] * 5)
    with pytest.raises(InputError, match="give se, or both lower and upper"):
        trend(data, "value", "year", lower="se")
    with pytest.raises(InputError, match="polarity must be one of"):
        trend(data, "value", "year", se="se", polarity="up")
    twice = pd.concat([data, data.iloc[[2]]])
    with pytest.raises(
        InputError, match=r"column 'year', row 6: value '2021/22': trend: period given"
    ):
        trend(twice, "value", "year", se="se", by="area")
    with pytest.raises(InputError, match=r"column 'hi', row 1: .*upper confidence limit below"):
        trend(data.assign(lo=2.0, hi=1.0), "value", "year", lower="lo", upper="hi")
