"""Arriaga decomposition: exact additivity, sign symmetry, and stepwise replacement."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest

from jsna.errors import InputError
from jsna.methods import chiang_life_table, decompose_le_gap, life_expectancy

AGES = np.array([0, 1, *range(5, 95, 5)])


def random_pair(seed, *, strata=1):
    """Two populations' deaths and person-years with Gompertz-like, noisy death rates."""
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(strata):
        for label in ("a", "b"):
            pop = rng.uniform(2000, 30000, size=AGES.size)
            rate = np.exp(-10.5 + 0.095 * AGES + rng.normal(0, 0.3, AGES.size))
            rate[0] = rng.uniform(0.002, 0.006)
            deaths = np.maximum(rng.poisson(pop * rate), 1)
            rows.append(
                pd.DataFrame(
                    {"sex": f"s{k}", "grp": label, "age": AGES, "deaths": deaths, "pop": pop}
                )
            )
    return pd.concat(rows, ignore_index=True)


def _le0(data, label):
    one = data[data["grp"] == label]
    return float(life_expectancy(one, "deaths", "pop", "age", le_age=0)["value"].iloc[0])


@pytest.mark.parametrize("seed", range(8))
def test_contributions_sum_to_the_gap_life_expectancy_reports(seed):
    data = random_pair(seed)
    out = decompose_le_gap(data, "deaths", "pop", "age", "grp", groups=("a", "b"))
    gap = _le0(data, "b") - _le0(data, "a")
    assert out["contribution"].sum() == pytest.approx(gap, abs=1e-9)
    assert out["gap"].iloc[0] == pytest.approx(gap, abs=1e-12)
    assert list(out["age"]) == list(AGES)


@pytest.mark.parametrize("seed", range(4))
def test_swapping_populations_flips_every_sign(seed):
    data = random_pair(100 + seed)
    ab = decompose_le_gap(data, "deaths", "pop", "age", "grp", groups=("a", "b"))
    ba = decompose_le_gap(data, "deaths", "pop", "age", "grp", groups=("b", "a"))
    assert (np.sign(ab["contribution"]) == -np.sign(ba["contribution"])).all()
    assert ab["gap"].iloc[0] == pytest.approx(-ba["gap"].iloc[0], abs=1e-12)


def test_equals_stepwise_replacement_from_the_oldest_age():
    """Arriaga = replacing a's rates by b's band by band from the top (Andreev et al. 2002)."""
    data = random_pair(7)
    a = data[data["grp"] == "a"]
    b = data[data["grp"] == "b"]
    da, pa = a["deaths"].to_numpy(float), a["pop"].to_numpy(float)
    db, pb = b["deaths"].to_numpy(float), b["pop"].to_numpy(float)
    expected = np.empty(AGES.size)
    for x in range(AGES.size):
        # rates of a below x and b from x up, minus the same with b only above x
        with_x = chiang_life_table(np.r_[da[:x], db[x:]], np.r_[pa[:x], pb[x:]], AGES).ex[0]
        without_x = chiang_life_table(
            np.r_[da[: x + 1], db[x + 1 :]], np.r_[pa[: x + 1], pb[x + 1 :]], AGES
        ).ex[0]
        expected[x] = with_x - without_x
    out = decompose_le_gap(data, "deaths", "pop", "age", "grp", groups=("a", "b"))
    np.testing.assert_allclose(out["contribution"], expected, rtol=1e-9, atol=1e-12)


def test_one_band_different_carries_the_whole_gap():
    data = random_pair(3)
    a = data["grp"] == "a"
    for name in ("deaths", "pop"):
        data.loc[~a, name] = data.loc[a, name].to_numpy()
    data.loc[~a & (data["age"] == 60), "deaths"] *= 2
    out = decompose_le_gap(data, "deaths", "pop", "age", "grp", groups=("a", "b"))
    at60 = out["age"] == 60
    np.testing.assert_allclose(out.loc[~at60, "contribution"], 0, atol=1e-12)
    assert out.loc[at60, "contribution"].iloc[0] < 0  # b dies more at 60-64
    assert out.loc[at60, "contribution"].iloc[0] == pytest.approx(
        _le0(data, "b") - _le0(data, "a"), abs=1e-9
    )


def _by_cause(data, seed):
    """Split each band's deaths into three causes; person-years repeated per cause."""
    rng = np.random.default_rng(seed)
    rows = []
    for row in data.itertuples(index=False):
        parts = rng.multinomial(int(row.deaths), [0.3, 0.3, 0.4])
        for cause, n in zip(["cancer", "circulatory", "other"], parts, strict=True):
            rows.append({**row._asdict(), "cause": cause, "deaths": n})
    return pd.DataFrame(rows)


def test_causes_add_up_to_each_band_and_to_the_gap():
    data = _by_cause(random_pair(11, strata=2), seed=5)
    by_cause = decompose_le_gap(
        data, "deaths", "pop", "age", "grp", groups=("a", "b"), cause="cause", by="sex"
    )
    assert len(by_cause) == 2 * AGES.size * 3
    assert list(by_cause["cause"][:3]) == ["cancer", "circulatory", "other"]
    bands = data.groupby(["sex", "grp", "age"], as_index=False).agg(
        deaths=("deaths", "sum"), pop=("pop", "first")
    )
    overall = decompose_le_gap(bands, "deaths", "pop", "age", "grp", groups=("a", "b"), by="sex")
    summed = by_cause.groupby(["sex", "age"], as_index=False)["contribution"].sum()
    np.testing.assert_allclose(summed["contribution"], overall["contribution"], atol=1e-12)
    for sex, part in by_cause.groupby("sex"):
        one = bands[bands["sex"] == sex]
        assert part["contribution"].sum() == pytest.approx(
            _le0(one, "b") - _le0(one, "a"), abs=1e-9
        )


def test_cause_with_equal_rates_contributes_nothing():
    data = _by_cause(random_pair(12), seed=6).astype({"deaths": float})
    is_other = data["cause"] == "other"
    a_other = data[(data["grp"] == "a") & is_other]["deaths"].to_numpy()
    a_pop = data[(data["grp"] == "a") & is_other]["pop"].to_numpy()
    b_pop = data[(data["grp"] == "b") & is_other]["pop"].to_numpy()
    data.loc[(data["grp"] == "b") & is_other, "deaths"] = a_other / a_pop * b_pop
    out = decompose_le_gap(data, "deaths", "pop", "age", "grp", groups=("a", "b"), cause="cause")
    np.testing.assert_allclose(out.loc[out["cause"] == "other", "contribution"], 0, atol=1e-12)


def test_simulated_intervals_are_seeded_and_cover_the_estimate():
    data = random_pair(21)
    kwargs = {"groups": ("a", "b"), "simulations": 400, "seed": 9}
    one = decompose_le_gap(data, "deaths", "pop", "age", "grp", **kwargs)
    two = decompose_le_gap(data, "deaths", "pop", "age", "grp", **kwargs)
    pd.testing.assert_frame_equal(one, two)
    assert (one["lower_95"] <= one["upper_95"]).all()
    assert (one["lower_998"] <= one["lower_95"]).all()
    inside = (one["lower_95"] <= one["contribution"]) & (one["contribution"] <= one["upper_95"])
    assert inside.all()
    assert set(one["confidence"]) == {"95%, 99.8%"}
    assert one["method"].iloc[0] == "Arriaga; Poisson simulation, 400 runs"


def test_small_group_is_na_with_note_and_polars_round_trip():
    data = random_pair(2, strata=2)
    small = (data["sex"] == "s1") & (data["grp"] == "b")
    data.loc[small, "pop"] = 200.0
    data.loc[small, "deaths"] = 1
    out = decompose_le_gap(
        pl.from_pandas(data), "deaths", "pop", "age", "grp", groups=("a", "b"), by="sex"
    )
    assert isinstance(out, pl.DataFrame)
    s1 = out.filter(pl.col("sex") == "s1")
    assert s1["contribution"].null_count() == AGES.size
    assert s1["note"][0] == "group 'b': total pop 4,000 is not above 5,000"
    assert out.filter(pl.col("sex") == "s0")["contribution"].null_count() == 0


def test_bad_input():
    data = random_pair(1)
    with pytest.raises(InputError, match="no rows for group 'c'"):
        decompose_le_gap(data, "deaths", "pop", "age", "grp", groups=("a", "c"))
    with pytest.raises(InputError, match="two different populations"):
        decompose_le_gap(data, "deaths", "pop", "age", "grp", groups=("a", "a"))
    causes = _by_cause(data, seed=1)
    causes.loc[4, "pop"] += 1
    with pytest.raises(InputError, match=r"column 'pop', row 5: .*same on every cause row"):
        decompose_le_gap(causes, "deaths", "pop", "age", "grp", groups=("a", "b"), cause="cause")
    with pytest.raises(InputError, match="simulations must be a whole number"):
        decompose_le_gap(data, "deaths", "pop", "age", "grp", groups=("a", "b"), simulations=-1)


def test_other_groups_are_ignored_and_missing_or_undefined_strata_are_noted():
    data = random_pair(4, strata=3)
    third = data[data["grp"] == "a"].assign(grp="c", deaths=1)
    data = pd.concat([data, third], ignore_index=True)
    data = data[~((data["sex"] == "s1") & (data["grp"] == "b"))]  # s1 has no b rows
    data.loc[(data["sex"] == "s2") & (data["grp"] == "a") & (data["age"] == 90), "deaths"] = 0
    out = decompose_le_gap(data, "deaths", "pop", "age", "grp", groups=("a", "b"), by="sex")
    notes = out.groupby("sex")["note"].first()
    assert pd.isna(notes["s0"])
    assert notes["s1"] == "group 'b': no rows"
    assert notes["s2"].startswith("cannot decompose: a group has no deaths in the final age band")
    assert out[out["sex"] != "s0"]["contribution"].isna().all()
    clean = random_pair(4, strata=1)
    expected = decompose_le_gap(clean, "deaths", "pop", "age", "grp", groups=("a", "b"))
    np.testing.assert_allclose(out[out["sex"] == "s0"]["contribution"], expected["contribution"])


def test_negative_cause_deaths_are_noted():
    data = _by_cause(random_pair(13), seed=2).astype({"deaths": float})
    first_a = data.index[(data["grp"] == "a") & (data["age"] == 40)]
    data.loc[first_a[0], "deaths"] -= 1000
    data.loc[first_a[1], "deaths"] += 1000
    out = decompose_le_gap(data, "deaths", "pop", "age", "grp", groups=("a", "b"), cause="cause")
    assert out["contribution"].isna().all()
    assert (out["note"] == "group 'a': deaths negative for a cause").all()


def test_cause_intervals_by_simulation():
    data = _by_cause(random_pair(14), seed=3)
    out = decompose_le_gap(
        data,
        "deaths",
        "pop",
        "age",
        "grp",
        groups=("a", "b"),
        cause="cause",
        simulations=200,
        seed=4,
        confidence=0.9,
    )
    assert list(out.columns[2:5]) == ["contribution", "lower_90", "upper_90"]
    assert (out["lower_90"] <= out["upper_90"]).all()
    assert out["method"].iloc[0] == (
        "Arriaga, proportional split by cause; Poisson simulation, 200 runs"
    )
