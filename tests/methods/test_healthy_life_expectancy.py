"""Healthy life expectancy (Sullivan): a hand-worked table, and HLE = LE when all are healthy."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import polars as pl
import pytest

from jsna.errors import InputError
from jsna.methods import healthy_life_expectancy

Z95 = 1.959963984540054


def hand_table():
    """Three bands 0, 1-4, 5+; every step written out."""
    data = pd.DataFrame(
        {
            "age": [0, 1, 5],
            "deaths": [10, 4, 50],
            "pop": [2000, 8000, 1000],
            "good": [90, 160, 30],
            "asked": [100, 200, 60],
        }
    )
    pi = [0.9, 0.8, 0.5]
    q0 = 1 * 0.005 / (1 + 1 * 0.005 * (1 - 0.1))
    l0 = 100000.0
    l1 = l0 * (1 - q0)
    big_l0 = 1 * (l1 + 0.1 * (l0 - l1))
    q1 = 4 * 0.0005 / (1 + 4 * 0.0005 * 0.5)
    l2 = l1 * (1 - q1)
    big_l1 = 4 * (l2 + 0.5 * (l1 - l2))
    m2 = 50 / 1000
    big_l2 = l2 / m2  # 20 years each in the open band
    hle2 = big_l2 * pi[2] / l2
    hle1 = (big_l1 * pi[1] + big_l2 * pi[2]) / l1
    hle0 = (big_l0 * pi[0] + big_l1 * pi[1] + big_l2 * pi[2]) / l0
    prevalence = [
        big_l0**2 * 0.9 * 0.1 / 100,
        big_l1**2 * 0.8 * 0.2 / 200,
        big_l2**2 * 0.5 * 0.5 / 60,
    ]
    mortality = [
        l0**2 * ((1 - 0.1) * 1 * pi[0] + hle1) ** 2 * q0**2 * (1 - q0) / 10,
        l1**2 * ((1 - 0.5) * 4 * pi[1] + hle2) ** 2 * q1**2 * (1 - q1) / 4,
        pi[2] ** 2 * (l2 / 2) ** 2 * 4 / (50 * m2**2),
    ]
    var = [(sum(prevalence[i:]) + sum(mortality[i:])) / [l0, l1, l2][i] ** 2 for i in range(3)]
    le0 = (big_l0 + big_l1 + big_l2) / l0
    return data, [hle0, hle1, hle2], var, le0


def test_hand_worked_three_band_table():
    data, hle, var, le0 = hand_table()
    out = healthy_life_expectancy(data, "deaths", "pop", "age", "good", "asked")
    np.testing.assert_allclose(out["value"], hle, rtol=1e-12)
    se = np.sqrt(var)
    np.testing.assert_allclose(out["lower_95"], np.array(hle) - Z95 * se, rtol=1e-12)
    np.testing.assert_allclose(out["upper_998"], np.array(hle) + 3.090232306167813 * se)
    assert out["life_expectancy"].iloc[0] == pytest.approx(le0, rel=1e-12)
    # open band by hand: 1/M = 20 years, half in good health; variance
    # 20² · 0.25/60 (prevalence) + 0.25 · 1/(50 · 0.05²) (mortality) = 5/3 + 2
    assert out["value"].iloc[2] == pytest.approx(10.0, rel=1e-12)
    assert out["upper_95"].iloc[2] == pytest.approx(10 + Z95 * math.sqrt(11 / 3), rel=1e-12)
    assert list(out["statistic"]) == [f"healthy life expectancy at {a}" for a in (0, 1, 5)]
    assert out["note"].isna().all()


def test_everyone_healthy_gives_phe_life_expectancy(reference_dir):
    """With prevalence 1 and no sampling variance, HLE and its CI are Chiang/Silcocks LE."""
    data = pd.read_csv(reference_dir / "le_input.csv").assign(good=1000, asked=1000)
    expected = pd.read_csv(reference_dir / "phe_life_expectancy__default_expected.csv")
    out = healthy_life_expectancy(
        data, "deaths", "pops", "startage", "good", "asked", by="area", confidence=0.95
    )
    m = expected.merge(out, on=["area", "startage"], suffixes=("_r", ""))
    assert len(m) == len(expected) == len(out)
    usable = m["lowercl"].notna() & np.isfinite(m["lowercl"])
    assert usable.sum() == 249
    np.testing.assert_allclose(m.loc[usable, "lower_95"], m.loc[usable, "lowercl"], rtol=1e-9)
    np.testing.assert_allclose(m.loc[usable, "upper_95"], m.loc[usable, "uppercl"], rtol=1e-9)
    shown = m["value_r"].notna()
    np.testing.assert_allclose(m.loc[shown, "value"], m.loc[shown, "value_r"], rtol=1e-9)
    np.testing.assert_allclose(m.loc[shown, "life_expectancy"], m.loc[shown, "value_r"])
    # groups PHE suppresses whole are NA here too, with the same notes as life expectancy
    whole = m["area"].isin(
        ["L05_pop_le_5000", "L08_deaths_gt_pop", "L09_negative_deaths", "L10_zero_pop_band"]
    )
    assert m.loc[whole, "value"].isna().all() and m.loc[whole, "note"].notna().all()


def test_nobody_surveyed_in_a_band_is_na_with_note():
    data, *_ = hand_table()
    data.loc[1, "asked"] = 0
    data.loc[1, "good"] = 0
    out = healthy_life_expectancy(data, "deaths", "pop", "age", "good", "asked")
    assert out["value"].isna().all()
    assert (out["note"] == "asked zero or missing in age band 1-4").all()


def test_more_healthy_than_surveyed_is_an_input_error():
    data, *_ = hand_table()
    data.loc[2, "good"] = 61
    with pytest.raises(InputError, match=r"column 'good', row 3: value 61: .*more people"):
        healthy_life_expectancy(data, "deaths", "pop", "age", "good", "asked")


def test_polars_and_hle_age():
    data, hle, _, _ = hand_table()
    out = healthy_life_expectancy(
        pl.from_pandas(data), "deaths", "pop", "age", "good", "asked", hle_age=5
    )
    assert isinstance(out, pl.DataFrame)
    assert out["age"].to_list() == [5]
    assert out["value"][0] == pytest.approx(hle[2], rel=1e-12)
