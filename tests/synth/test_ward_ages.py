"""Each ward's age shape: the ONS mid-2019 estimates, fitted to the Census, in the records.

The expected ward × sex × broad-age counts are raked here, with a loop of
this file's own, from the shares in the calibration file to the TS021 ward
totals and the TS009 sex × broad-age totals; the observed counts come from
the generated records with pandas. The shares themselves are checked
against the ONS source file when the shared data folder is present.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jsna.codes import geography
from jsna.synth import load_calibration

from ._independent import chiang_life_expectancy, person_years, snapshot

CAL = load_calibration().raw
LOWER = np.array([0, 16, 30, 45, 65])
KNIGHTSBRIDGE, WESTBOURNE = "E05013797", "E05013809"
ROOT = Path(__file__).resolve().parents[2]
# ../shared next to the checkout (as tests/conftest.py SHARED)
RAW = ROOT.parent / "shared" / "data"


def _expected_counts() -> np.ndarray:
    """Ward × sex × broad age (18, 2, 5): raked MYE shares meeting the Census totals."""
    shares = np.array(
        [CAL["ward_age_shape"]["shares"][w] for w in geography.WARDS], dtype=float
    ).reshape(18, 2, 5)
    ward_totals = np.array(
        [sum(CAL["census"]["ward_ethnicity"][w]) for w in geography.WARDS], dtype=float
    )
    ages = np.array([CAL["census"]["age_female"], CAL["census"]["age_male"]], dtype=float)
    upper = [*LOWER[1:], 91]
    bands = np.stack([ages[:, lo:hi].sum(axis=1) for lo, hi in zip(LOWER, upper, strict=True)], 1)
    bands *= ward_totals.sum() / bands.sum()
    table = shares / shares.sum(axis=(1, 2), keepdims=True) * ward_totals[:, None, None]
    for _ in range(500):
        table *= (ward_totals / table.sum(axis=(1, 2)))[:, None, None]
        table *= (bands / table.sum(axis=0))[None]
    assert np.allclose(table.sum(axis=(1, 2)), ward_totals, rtol=1e-9)
    return table


@pytest.fixture(scope="module")
def living(westminster):
    people = westminster.people.merge(
        westminster.truth.drop(columns="lsoa21"), on="person_id", validate="one_to_one"
    )
    return snapshot(people)


def test_ward_sex_broad_age_follow_the_mid_year_shape(living):
    want = _expected_counts()
    ward = living["ward_code"].map({w: i for i, w in enumerate(geography.WARDS)}).to_numpy()
    sex = (living["sex"] == "M").to_numpy().astype(int)
    band = np.searchsorted(LOWER, living["age"].to_numpy(), side="right") - 1
    got = np.zeros((18, 2, 5))
    np.add.at(got, (ward, sex, band), 1)
    # multinomial sampling within each ward x group cell: within 4 standard deviations
    assert (np.abs(got - want) < 4 * np.sqrt(want) + 2).all()
    # the shape the estimates give: Knightsbridge & Belgravia older than Westbourne
    old = got[:, :, 4].sum(axis=1) / got.sum(axis=(1, 2))
    wards = list(geography.WARDS)
    assert old[wards.index(KNIGHTSBRIDGE)] > old[wards.index(WESTBOURNE)] + 0.03


def test_long_lived_wards_have_more_of_their_old_men_at_85_plus(living):
    # assumption population.ward_survival_from_age: old ages follow each ward's survival
    men = living[(living["sex"] == "M") & (living["age"] >= 65)]
    oldest = (men["age"] >= 85).groupby(men["ward_code"]).mean()
    assert oldest[KNIGHTSBRIDGE] > 2 * oldest[WESTBOURNE]


def test_the_demo_seed_publishes_the_ward_life_expectancy_gap(westminster):
    # jsna demo's data (seed 2024, scale 1): both wards' male life expectancy has a 95%
    # interval narrower than 20 years (published), and their gap holds the JSNA's 18 years.
    people = westminster.people.merge(westminster.truth.drop(columns="lsoa21"), on="person_id")
    frame = person_years(people[people["lsoa21"] != ""], westminster.deaths)
    men = frame[frame["sex"] == "M"]
    high, se_high = chiang_life_expectancy(men[men["ward_code"] == KNIGHTSBRIDGE])
    low, se_low = chiang_life_expectancy(men[men["ward_code"] == WESTBOURNE])
    assert 2 * 1.96 * se_high < 20 and 2 * 1.96 * se_low < 20
    assert abs(high - low - CAL["mortality"]["ward_gap"]["years"]) < 1.96 * np.hypot(
        se_high, se_low
    )


@pytest.mark.skipif(not (RAW / "raw").is_dir(), reason=f"shared data not found at {RAW}")
def test_shares_are_the_ons_estimates_summed_to_wards():
    # recount from the source file with pandas: LSOA 2011 -> 2021 (best fit) -> ward
    raw = RAW / "raw"
    mye = pd.read_csv(raw / "ons_mye_lsoa11_london_2019_2020" / "london-mid2019-pop.csv")
    mye = mye[mye["LAD11CD"] == "E09000033"]
    best_fit = pd.read_csv(
        raw / "ons_lsoa11_lsoa21_lookup" / "lsoa11_to_lsoa21_best_fit_lookup_england_wales_v2.csv",
        encoding="utf-8-sig",
    )
    wards = geography.ward_lookup()
    merged = mye.merge(best_fit[["LSOA11CD", "LSOA21CD"]], on="LSOA11CD").merge(
        wards, left_on="LSOA21CD", right_on="lsoa21"
    )
    assert len(merged) == len(mye) == 128
    columns = [
        f"{s}_{a}" for s in ("Females", "Males") for a in CAL["ward_age_shape"]["age_groups"]
    ]
    counts = merged.groupby("ward_code")[columns].sum()
    shares = counts.div(counts.sum(axis=1), axis=0)
    committed = pd.DataFrame(CAL["ward_age_shape"]["shares"], index=columns).T
    np.testing.assert_allclose(committed.loc[shares.index], shares, atol=5e-5)


@pytest.mark.skipif(not (RAW / "raw").is_dir(), reason=f"shared data not found at {RAW}")
def test_derivation_script_reproduces_the_committed_block():
    path = ROOT / "calibration" / "derive_reference_data.py"
    spec = importlib.util.spec_from_file_location("derive_reference_data", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    wards = module.ward_table(RAW)
    block = module.ward_age_shape(RAW, wards)
    assert block == {w: CAL["ward_age_shape"]["shares"][w] for w in geography.WARDS}
