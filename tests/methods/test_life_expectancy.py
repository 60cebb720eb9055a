"""Life expectancy: PHEindicatormethods 2.1.0 parity, 85+ and 0-4 layouts, errors.

Expected values come from the R package's output on ``le_input.csv`` (see
``reference/README.md`` §4.4) or from the scalar, loop-by-loop life table in
this file, which is itself checked against the R output first.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import polars as pl
import pytest

from jsna.errors import InputError
from jsna.methods import chiang_life_table, life_expectancy

AGES_90 = [0, 1, *range(5, 95, 5)]
Z95 = 1.959963984540054


def loop_life_table(deaths, pops, ages, a0=0.1):
    """Chiang II + Silcocks written out band by band (reference for the tests)."""
    k = len(ages)
    q, l_, big_l, weight = [0.0] * k, [100000.0] + [0.0] * k, [0.0] * k, [0.0] * k
    for i in range(k):
        m = deaths[i] / pops[i]
        if i < k - 1:
            n, a = ages[i + 1] - ages[i], (a0 if i == 0 else 0.5)
            q[i] = min(n * m / (1 + n * m * (1 - a)), 1.0)
            l_[i + 1] = l_[i] * (1 - q[i])
            big_l[i] = n * (l_[i + 1] + a * (l_[i] - l_[i + 1]))
        else:
            big_l[i] = l_[i] / m
    e = [sum(big_l[i:]) / l_[i] if l_[i] > 0 else 0.0 for i in range(k)]
    for i in range(k):
        if i < k - 1:
            n, a = ages[i + 1] - ages[i], (a0 if i == 0 else 0.5)
            s2 = 0.0 if deaths[i] == 0 else q[i] ** 2 * (1 - q[i]) / deaths[i]
            weight[i] = l_[i] ** 2 * ((1 - a) * n + e[i + 1]) ** 2 * s2
        else:
            m = deaths[i] / pops[i]
            weight[i] = (l_[i] / 2) ** 2 * 4 / (deaths[i] * m**2)
    se = [math.sqrt(sum(weight[i:])) / l_[i] for i in range(k)]
    return e, se


@pytest.fixture(scope="module")
def le_input(reference_dir):
    return pd.read_csv(reference_dir / "le_input.csv")


def _expected(reference_dir, case):
    return pd.read_csv(reference_dir / f"phe_life_expectancy__{case}_expected.csv")


def _assert_same(actual, expected, *, rtol=1e-9):
    """Equal within rtol, with NaN and ±inf in the same places."""
    actual = np.asarray(actual, dtype=float)
    expected = np.asarray(expected, dtype=float)
    np.testing.assert_array_equal(np.isnan(actual), np.isnan(expected))
    np.testing.assert_array_equal(np.isposinf(actual), np.isposinf(expected))
    np.testing.assert_array_equal(np.isneginf(actual), np.isneginf(expected))
    finite = np.isfinite(expected)
    np.testing.assert_allclose(actual[finite], expected[finite], rtol=rtol, atol=0)


def _aligned(out, expected, keys):
    merged = expected.merge(out, on=keys, how="outer", suffixes=("_r", ""), indicator=True)
    assert (merged["_merge"] == "both").all(), merged.loc[merged["_merge"] != "both", keys]
    return merged


def test_default_matches_phe_grouped(le_input, reference_dir):
    expected = _expected(reference_dir, "default")
    out = life_expectancy(le_input, "deaths", "pops", "startage", by="area", confidence=0.95)
    assert len(out) == len(expected) == 399
    m = _aligned(out, expected, ["area", "startage"])
    _assert_same(m["value"], m["value_r"])
    _assert_same(m["lower_95"], m["lowercl"])
    _assert_same(m["upper_95"], m["uppercl"])
    np.testing.assert_array_equal(m["population_used"], m["pops_used"])
    np.testing.assert_array_equal(m["deaths_used"], m["dths_used"])
    assert (m["statistic"] == m["statistic_r"]).all()
    assert set(out["confidence"]) == {"95%"}
    assert set(out["method"]) == {"Chiang II (Silcocks)"}


def test_groups_come_out_in_key_order_then_age(le_input):
    out = life_expectancy(le_input, "deaths", "pops", "startage", by="area")
    order = list(zip(out["area"], out["startage"], strict=True))
    assert order == sorted(order)


def test_two_levels_match_phe(le_input, reference_dir):
    expected = _expected(reference_dir, "two_cl")
    out = life_expectancy(le_input, "deaths", "pops", "startage", by="area")
    assert list(out.columns[2:7]) == ["value", "lower_95", "upper_95", "lower_998", "upper_998"]
    m = _aligned(out, expected, ["area", "startage"])
    for ours, theirs in [
        ("lower_95", "lower95_0cl"),
        ("upper_95", "upper95_0cl"),
        ("lower_998", "lower99_8cl"),
        ("upper_998", "upper99_8cl"),
    ]:
        _assert_same(m[ours], m[theirs])
    assert set(out["confidence"]) == {"95%, 99.8%"}


def test_le_age_subset_matches_phe(le_input, reference_dir):
    expected = _expected(reference_dir, "le_age_0_65_standard")
    out = life_expectancy(
        le_input, "deaths", "pops", "startage", by="area", le_age=[0, 65], confidence=95
    )
    assert sorted(set(out["startage"])) == [0, 65]
    m = _aligned(out, expected, ["area", "startage"])
    _assert_same(m["value"], m["value_r"])
    _assert_same(m["lower_95"], m["lowercl"])
    _assert_same(m["upper_95"], m["uppercl"])


def test_ungrouped_area_matches_phe(le_input, reference_dir):
    expected = _expected(reference_dir, "ungrouped_one_area")
    one = le_input[le_input["area"] == "L01_typical_LA"].drop(columns="area")
    out = life_expectancy(one, "deaths", "pops", "startage", confidence=0.95)
    assert list(out["startage"]) == list(expected["startage"])
    _assert_same(out["value"], expected["value"])
    _assert_same(out["lower_95"], expected["lowercl"])
    _assert_same(out["upper_95"], expected["uppercl"])
    assert out["note"].isna().all()


def test_small_population_is_na_with_a_note(le_input, reference_dir):
    expected = _expected(reference_dir, "ungrouped_suppressed_area")
    one = le_input[le_input["area"] == "L05_pop_le_5000"].drop(columns="area")
    out = life_expectancy(one, "deaths", "pops", "startage")
    assert len(out) == len(expected) == 20
    assert out["value"].isna().all() and expected["value"].isna().all()
    assert out["lower_95"].isna().all() and out["upper_998"].isna().all()
    assert (out["note"] == "total pops 4,800 is not above 5,000").all()


@pytest.mark.parametrize(
    ("area", "note"),
    [
        ("L05_pop_le_5000", "total pops 4,800 is not above 5,000"),
        ("L08_deaths_gt_pop", "deaths above pops in age band 80-84"),
        ("L09_negative_deaths", "deaths negative in age band 20-24"),
        ("L10_zero_pop_band", "pops zero or negative in age band 10-14"),
        ("L11_missing_band", "age band 85-89 missing"),
        ("L07_zero_deaths_90plus", "no deaths in the final age band (90+)"),
        ("L14_wide_ci_90plus", "95% confidence interval wider than 20 years"),
    ],
)
def test_notes_say_why_values_are_missing(le_input, area, note):
    out = life_expectancy(le_input, "deaths", "pops", "startage", by="area")
    rows = out[out["area"] == area]
    assert rows["value"].isna().all()
    assert rows["note"].str.startswith(note).all()


def test_threshold_is_person_years_above_5000():
    deaths = [1] * 19 + [10]
    at = pd.DataFrame({"age": AGES_90, "deaths": deaths, "pop": [250] * 20})  # 5,000 in total
    above = at.assign(pop=[250] * 19 + [251])
    at_notes = life_expectancy(at, "deaths", "pop", "age")["note"]
    assert (at_notes == "total pop 5,000 is not above 5,000").all()
    above_notes = life_expectancy(above, "deaths", "pop", "age")["note"].fillna("")
    assert not above_notes.str.contains("not above").any()


def test_polars_in_polars_out(le_input):
    pd_out = life_expectancy(le_input, "deaths", "pops", "startage", by="area")
    pl_out = life_expectancy(pl.from_pandas(le_input), "deaths", "pops", "startage", by="area")
    assert isinstance(pl_out, pl.DataFrame)
    assert pl_out.columns == list(pd_out.columns)
    assert pl_out.schema["note"] == pl.String
    _assert_same(pl_out["value"].fill_null(np.nan).to_numpy(), pd_out["value"])
    assert pl_out["note"].null_count() == pd_out["note"].isna().sum()


def test_loop_reference_agrees_with_phe(le_input, reference_dir):
    """The scalar life table used below reproduces the R output, so it can vouch for 85+."""
    expected = _expected(reference_dir, "default")
    area = le_input[le_input["area"] == "L02_typical_LA"]
    e, se = loop_life_table(list(area["deaths"]), list(area["pops"]), AGES_90)
    exp = expected[expected["area"] == "L02_typical_LA"]
    np.testing.assert_allclose(e, exp["value"], rtol=1e-12)
    np.testing.assert_allclose(np.array(e) - Z95 * np.array(se), exp["lowercl"], rtol=1e-12)


def test_open_85_plus_band(le_input):
    """PHEindicatormethods cannot do 85+ (its issue #96); values follow the loop table."""
    area = le_input[le_input["area"] == "L02_typical_LA"].copy()
    area.loc[area["startage"] == 90, "startage"] = 85
    collapsed = area.groupby("startage", as_index=False)[["deaths", "pops"]].sum()
    out = life_expectancy(collapsed, "deaths", "pops", "startage", confidence=0.95)
    ages = list(collapsed["startage"])
    e, se = loop_life_table(list(collapsed["deaths"]), list(collapsed["pops"]), ages)
    assert list(out["startage"]) == ages and ages[-1] == 85
    np.testing.assert_allclose(out["value"], e, rtol=1e-12)
    np.testing.assert_allclose(out["upper_95"], np.array(e) + Z95 * np.array(se), rtol=1e-12)
    open_band = collapsed.iloc[-1]
    assert out["value"].iloc[-1] == pytest.approx(open_band["pops"] / open_band["deaths"])
    assert out["statistic"].iloc[-1] == "life expectancy at 85"


def test_first_band_0_to_4(le_input):
    """19 bands 0, 5, ..., 90 (under-1 not separated): a = 0.1 of the 0-4 band."""
    area = le_input[le_input["area"] == "L01_typical_LA"].copy()
    area.loc[area["startage"] == 1, "startage"] = 0
    merged = area.groupby("startage", as_index=False)[["deaths", "pops"]].sum()
    ages = list(merged["startage"])
    assert ages[:2] == [0, 5] and len(ages) == 19
    out = life_expectancy(merged, "deaths", "pops", "startage", confidence=0.95)
    e, se = loop_life_table(list(merged["deaths"]), list(merged["pops"]), ages, a0=0.1)
    np.testing.assert_allclose(out["value"], e, rtol=1e-12)
    np.testing.assert_allclose(out["lower_95"], np.array(e) - Z95 * np.array(se), rtol=1e-12)


def test_array_level_table_broadcasts(le_input):
    wide_d = le_input.pivot(index="area", columns="startage", values="deaths")
    wide_p = le_input.pivot(index="area", columns="startage", values="pops")
    keep = ["L01_typical_LA", "L02_typical_LA", "L03_England"]
    d, p = wide_d.loc[keep].to_numpy(), wide_p.loc[keep].to_numpy()
    stacked = chiang_life_table(np.stack([d, d]), np.stack([p, p]), AGES_90)
    assert stacked.ex.shape == (2, 3, 20)
    for i, name in enumerate(keep):
        e, se = loop_life_table(list(d[i]), list(p[i]), AGES_90)
        np.testing.assert_allclose(stacked.ex[1, i], e, rtol=1e-12)
        np.testing.assert_allclose(np.sqrt(stacked.ex_variance[0, i]), se, rtol=1e-12), name
    table = chiang_life_table(d[0], p[0], AGES_90)
    assert table.lx[0] == 100000 and table.qx[-1] == 1
    np.testing.assert_allclose(table.dx.sum(), 100000)


def test_zero_population_group_is_na_not_an_error():
    data = pd.DataFrame(
        {
            "g": ["a"] * 20 + ["b"] * 20,
            "age": AGES_90 * 2,
            "deaths": [0] * 20 + [5] * 18 + [300, 500],
            "pop": [0] * 20 + [1000] * 20,
        }
    )
    out = life_expectancy(data, "deaths", "pop", "age", by="g")
    a = out[out["g"] == "a"]
    assert a["value"].isna().all() and a["note"].str.contains("pop zero or negative").all()
    assert out[out["g"] == "b"]["value"].notna().all()


def test_missing_count_makes_the_group_na():
    data = pd.DataFrame({"age": AGES_90, "deaths": [5.0] * 20, "pop": [10000.0] * 20})
    data.loc[3, "deaths"] = np.nan
    out = life_expectancy(data, "deaths", "pop", "age")
    assert out["value"].isna().all()
    assert (out["note"] == "missing deaths or pop in age band 10-14").all()


def _frame(**changes):
    data = pd.DataFrame({"age": AGES_90, "deaths": [5] * 20, "pop": [10000] * 20})
    for name, values in changes.items():
        data[name] = values
    return data


def test_errors_name_column_row_and_value():
    with pytest.raises(InputError, match=r"column 'deaths', row 3: value 'x'"):
        life_expectancy(_frame(deaths=[5, 5, "x", *[5] * 17]), "deaths", "pop", "age")
    with pytest.raises(InputError, match="no column 'dead'"):
        life_expectancy(_frame(), "dead", "pop", "age")
    with pytest.raises(InputError, match=r"column 'age', row 2: value 0: .*appears twice"):
        life_expectancy(_frame(age=[0, 0, *range(5, 95, 5)]), "deaths", "pop", "age")
    with pytest.raises(InputError, match="first age band must start at 0"):
        life_expectancy(_frame(age=[1, 2, *range(5, 95, 5)]), "deaths", "pop", "age")
    with pytest.raises(InputError, match="le_age must be ages that start a band"):
        life_expectancy(_frame(), "deaths", "pop", "age", le_age=3)
    with pytest.raises(InputError, match=r"column 'age', row 20: value 90: "):
        life_expectancy(_frame(), "deaths", "pop", "age", age_bands=AGES_90[:-1])
    with pytest.raises(InputError, match="whole years"):
        life_expectancy(_frame(age=[0, 1.5, *range(5, 95, 5)]), "deaths", "pop", "age")
    with pytest.raises(InputError, match="confidence"):
        life_expectancy(_frame(), "deaths", "pop", "age", confidence=0)


def test_declared_bands_flag_a_band_missing_everywhere():
    """With ``age_bands`` a band absent from every group is reported, not inferred away."""
    data = _frame().iloc[[i for i in range(20) if AGES_90[i] != 85]]
    out = life_expectancy(data, "deaths", "pop", "age", age_bands=AGES_90)
    assert out["value"].isna().all()
    assert (out["note"] == "age band 85-89 missing").all()


def test_band_arguments_must_be_sensible():
    with pytest.raises(InputError, match="age_bands must be increasing"):
        life_expectancy(_frame(), "deaths", "pop", "age", age_bands=[0, 5, 1])
    with pytest.raises(InputError, match="at least two age bands"):
        life_expectancy(_frame(age=[0] * 20).iloc[:1], "deaths", "pop", "age")
    with pytest.raises(InputError, match='le_age must be "all" or ages'):
        life_expectancy(_frame(), "deaths", "pop", "age", le_age="birth")
