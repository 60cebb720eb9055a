"""Synthetic Westminster at scale 1 meets its calibration targets.

Every expected value comes from the calibration file or the Census tables;
every observed value is counted from the generated records with pandas and
the independent helpers in ``_independent.py``, never with jsna.synth code.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd
import pytest
import yaml

from jsna.codes import causes, ethnicity, geography
from jsna.synth import load_calibration

from ._independent import chiang_life_expectancy, dsr_ratio, person_years, snapshot

CAL = load_calibration().raw


@pytest.fixture(scope="module")
def people(westminster):
    return westminster.people.merge(
        westminster.truth.drop(columns="lsoa21"), on="person_id", validate="one_to_one"
    )


@pytest.fixture(scope="module")
def living(people):
    return snapshot(people)


def test_ward_by_ethnic_group_is_census_ts021(living):
    census = pd.DataFrame(CAL["census"]["ward_ethnicity"], index=CAL["census"]["ethnic_groups"]).T
    counts = pd.crosstab(living["ward_code"], living["ethnicity_19"]).reindex(
        index=census.index, columns=census.columns, fill_value=0
    )
    assert (counts.to_numpy() == census.to_numpy()).all()
    assert len(living) == 204_247


def test_global_majority_share_is_44_8_percent(living):
    white = {
        "White British",
        "White Irish",
        "White Gypsy or Irish Traveller",
        "Roma",
        "White other",
    }
    share = (~living["ethnicity_19"].isin(white)).mean()
    assert share == pytest.approx(0.448, abs=0.005)
    # Not-stated recording is unrelated to group, so the share among stated codes is the same.
    recorded = ethnicity.to_global_majority(ethnicity.to_ethnicity_19(living["ethnicity_code"]))
    stated = recorded[recorded != "Not stated"]
    assert (stated == "Global Majority").mean() == pytest.approx(0.448, abs=0.005)


def test_recording_as_real_extracts_hold_it(people, living):
    codes = people["ethnicity_code"]
    recorded = ethnicity.to_ethnicity_19(codes)
    assert (recorded == "Not stated").mean() == pytest.approx(0.08, abs=0.005)
    stated = recorded != "Not stated"
    # a stated code always says the person's true group
    assert (recorded[stated] == people["ethnicity_19"].to_numpy()[stated]).all()
    letters = codes.str.fullmatch(r"[A-Z]")
    assert 0.15 < letters.mean() < 0.3
    assert {"W", "T"} <= set(codes[letters])
    # Arab and Roma are visible through SNOMED concepts
    assert (recorded == "Roma").sum() > 1000 and (recorded == "Arab").sum() > 10_000
    empty = people["lsoa21"] == ""
    assert empty.mean() == pytest.approx(0.015, abs=0.003)
    # a known LSOA always lies in the person's true ward
    wards = geography.to_ward_code(people.loc[~empty, "lsoa21"])
    assert (wards == people.loc[~empty, "ward_code"].to_numpy()).all()


def test_age_and_sex_follow_ts009(living):
    female = np.array(CAL["census"]["age_female"], dtype=float)
    male = np.array(CAL["census"]["age_male"], dtype=float)
    for sex, census in (("F", female), ("M", male)):
        ages = np.minimum(living.loc[living["sex"] == sex, "age"].to_numpy(), 90)
        got = np.bincount(np.minimum(ages // 5, 18), minlength=19)
        want = np.add.reduceat(census, np.arange(0, 91, 5))
        want = want * 204_247 / (female.sum() + male.sum())
        # multinomial sampling: within 4 standard deviations in every 5-year band
        assert (np.abs(got - want) < 4 * np.sqrt(want) + 2).all()


def test_main_language_arabic(living):
    arabic = living[living["main_language"] == "Arabic"]
    assert (arabic["age"] >= 3).sum() == pytest.approx(7446, rel=0.04)
    # concentrated where Arab residents live
    assert (arabic["ethnicity_19"] == "Arab").mean() > 0.8
    assert set(living["main_language"]) <= {item[0] for item in CAL["census"]["languages"]}


@pytest.mark.parametrize(
    ("column", "categories", "arabic", "arabic_ages", "borough", "borough_ages"),
    [
        (
            "disability",
            ["limited_a_lot", "limited_a_little"],
            0.34,
            (0, 120),
            28_122 / 204_234,
            (0, 120),
        ),
        ("tenure", ["social_rented"], 0.50, (0, 120), 0.28, (0, 120)),
        ("general_health", ["bad", "very_bad"], 0.20, (0, 120), (7404 + 2982) / 204_236, (0, 120)),
        # JSNA 55% on the catalogue's 16-64 base; TS066 37.9% of residents aged 16+
        ("economic_activity", ["inactive"], 0.55, (16, 64), 67_182 / 177_470, (16, 120)),
    ],
)
def test_arabic_language_community_profile(
    living, column, categories, arabic, arabic_ages, borough, borough_ages
):
    has = living[column].isin(categories)
    speaks = (living["main_language"] == "Arabic") & living["age"].between(*arabic_ages)
    n = speaks.sum()
    assert has[speaks].mean() == pytest.approx(arabic, abs=4 * np.sqrt(arabic * (1 - arabic) / n))
    assert has[living["age"].between(*borough_ages)].mean() == pytest.approx(borough, abs=0.006)


def test_census_health_margins(living):
    health = living["general_health"].value_counts(normalize=True)
    census = np.array([115_033, 58_977, 19_840, 7404, 2982]) / 204_236
    got = health.reindex(["very_good", "good", "fair", "bad", "very_bad"]).to_numpy()
    np.testing.assert_allclose(got, census, atol=0.005)
    assert set(living.loc[living["age"] < 16, "economic_activity"]) == {"child"}


@pytest.mark.parametrize(
    ("condition", "group", "ratio"),
    [
        ("hypertension", "Black Caribbean", 2.0),
        ("obesity", "Black Caribbean", 3.0),
        ("diabetes", "Black Caribbean", 3.0),
        ("diabetes", "Bangladeshi", 3.8),
        ("obesity", "Bangladeshi", 1.5),
    ],
)
def test_relative_rates_are_recovered_by_age_sex_standardisation(
    westminster, living, condition, group, ratio
):
    assert CAL["conditions"][condition]["relative_rate"][group] == ratio
    registered = westminster.conditions
    cases = living["person_id"].isin(
        registered.loc[registered["condition"] == condition, "person_id"]
    )
    observed, log_se = dsr_ratio(
        cases, living["ethnicity_19"], living["sex"], living["age"], group, "White British"
    )
    assert abs(np.log(observed / ratio)) < 4 * log_se + 0.02


def test_flu_vaccination_over_65s(westminster, living):
    flu = westminster.events
    old = living[living["age"] >= 65].copy()
    old["vaccinated"] = old["person_id"].isin(
        flu.loc[flu["event"] == "flu_vaccination", "person_id"]
    )
    mixed = old["ethnicity_19"].str.startswith("Mixed")
    for mask, target in (
        (old["ethnicity_19"] == "White British", 0.70),
        (old["ethnicity_19"] == "Black African", 0.45),
        (mixed, 0.45),
    ):
        n = mask.sum()
        assert old.loc[mask, "vaccinated"].mean() == pytest.approx(
            target, abs=4 * np.sqrt(target * (1 - target) / n)
        )


def test_flu_vaccination_under_65_at_risk(westminster, living):
    # under-65s on a risk register: the group's 65+ uptake x at_risk_factor
    flu = CAL["prevention"]["flu_vaccination"]
    registers = westminster.conditions
    at_risk = living["person_id"].isin(
        registers.loc[registers["condition"].isin(flu["at_risk_conditions"]), "person_id"]
    )
    vaccinated = living["person_id"].isin(
        westminster.events.loc[westminster.events["event"] == "flu_vaccination", "person_id"]
    )
    british = (living["ethnicity_19"] == "White British") & (living["age"] < 65)
    target = flu["uptake"]["White British"] * flu["at_risk_factor"]
    n = (british & at_risk).sum()
    assert vaccinated[british & at_risk].mean() == pytest.approx(
        target, abs=4 * np.sqrt(target * (1 - target) / n)
    )
    assert not vaccinated[(living["age"] < 65) & ~at_risk].any()


def test_cervical_screening_intervals_by_age(westminster, living):
    # screened in the last 3.5 years at 25-49 and 5.5 years at 50-64 (calibration file)
    events = westminster.events
    screened = events[(events["event"] == "cervical_screening") & events["eligible"]]
    merged = screened.merge(living[["person_id", "age"]], on="person_id")
    days = (pd.Timestamp("2024-03-31") - pd.to_datetime(merged["date"])).dt.days
    assert days[merged["age"] <= 49].max() <= 3.5 * 365.25
    assert days[merged["age"] >= 50].max() > 4 * 365.25


def test_screening_and_checks_lower_in_global_majority(westminster, living):
    events = westminster.events
    white = {
        "White British",
        "White Irish",
        "White Gypsy or Irish Traveller",
        "Roma",
        "White other",
    }
    gm = ~living["ethnicity_19"].isin(white)
    for event, low, high, sex in (
        ("cervical_screening", 25, 64, "F"),
        ("breast_screening", 53, 70, "F"),
        ("bowel_screening", 60, 74, None),
    ):
        eligible = living["age"].between(low, high) & (living["sex"] == sex if sex else True)
        done = living["person_id"].isin(
            events.loc[(events["event"] == event) & events["eligible"], "person_id"]
        )
        british = living["ethnicity_19"] == "White British"
        assert done[eligible & gm].mean() < done[eligible & british].mean() - 0.03


def test_records_are_consistent(westminster, people):
    conditions, events, deaths = westminster.conditions, westminster.events, westminster.deaths
    ids = set(people["person_id"])
    assert people["person_id"].is_unique
    assert set(conditions["person_id"]) <= ids and set(events["person_id"]) <= ids
    assert deaths["person_id"].is_unique and set(deaths["person_id"]) <= ids
    assert not conditions.duplicated(["person_id", "condition"]).any()
    merged = conditions.merge(people, on="person_id")
    end = pd.to_datetime(merged["registration_end"]).fillna(pd.Timestamp("2024-03-31"))
    assert (pd.to_datetime(merged["diagnosis_date"]) <= end).all()
    assert (
        pd.to_datetime(merged["diagnosis_date"]) > pd.to_datetime(merged["date_of_birth"])
    ).all()
    dead = deaths.merge(people, on="person_id")
    assert (dead["date_of_death"] == dead["registration_end"]).all()
    assert (
        dead["date_of_death"]
        .between(pd.Timestamp("2019-04-01").date(), pd.Timestamp("2024-03-31").date())
        .all()
    )
    assert (
        pd.to_datetime(people["registration_start"]) >= pd.to_datetime(people["date_of_birth"])
    ).all()
    assert set(people["sex"]) == {"F", "M"}
    causes.to_cause_group(deaths["underlying_cause"])  # every cause is valid ICD-10
    assert set(conditions["condition"]) == set(CAL["conditions"]) - {"diagnosis_lookback_years"}


def test_circulatory_copd_dementia_lead_in_the_most_deprived(westminster, people):
    deaths = westminster.deaths.merge(people[["person_id", "imd_quintile"]], on="person_id")
    deaths["cause"] = causes.to_cause_group(deaths["underlying_cause"])
    share = pd.crosstab(deaths["cause"], deaths["imd_quintile"], normalize="columns")
    most = share[1].drop("other")
    assert most.idxmax() == "circulatory"
    three = ["circulatory", "copd", "dementia"]
    assert share.loc[three, 1].sum() > share.loc[three, 5].sum() + 0.05


def test_borough_life_expectancy(westminster, people):
    frame = person_years(people, westminster.deaths)
    for sex in ("F", "M"):
        target = CAL["mortality"]["life_expectancy_target"][sex]
        e0, se = chiang_life_expectancy(frame[frame["sex"] == sex])
        assert abs(e0 - target) < 4 * se + 0.3


@pytest.mark.slow
def test_ward_life_expectancy_gap_at_scale_5():
    from jsna.synth import generate

    data = generate(seed=99, scale=5.0)
    people = data.people.merge(data.truth.drop(columns="lsoa21"), on="person_id")
    frame = person_years(people, data.deaths)
    gap = CAL["mortality"]["ward_gap"]
    male = frame[frame["sex"] == gap["sex"]]
    high, se_high = chiang_life_expectancy(male[male["ward_code"] == gap["high"]])
    low, se_low = chiang_life_expectancy(male[male["ward_code"] == gap["low"]])
    assert gap["years"] == 18.0
    assert abs(high - low - gap["years"]) < 3 * np.hypot(se_high, se_low)
    # Knightsbridge & Belgravia against Westbourne is the largest gap between two wards
    le = {w: chiang_life_expectancy(male[male["ward_code"] == w])[0] for w in geography.WARDS}
    assert max(le.values()) - min(le.values()) < high - low + 3 * np.hypot(se_high, se_low)


def test_calibration_file_is_valid_yaml_with_sources():
    text = resources.files("jsna.synth").joinpath("calibration", "westminster.yaml").read_text()
    assert yaml.safe_load(text)["name"] == "Synthetic Westminster"
    for cited in ("TS021", "TS009", "TS024", "Westminster JSNA 2024", "Open Government Licence"):
        assert cited in text
