"""The life-expectancy gap decomposition rows, on hand-made counts with known answers.

Life expectancies come from PHEindicatormethods' ``phe_life_expectancy``
(tests/methods/reference, computed in R), so the gap each decomposition must
add up to is known independently of jsna. A second case has a known
generating truth: two wards identical except for extra circulatory deaths at
ages 60-64, so the whole gap must sit in that band and that cause.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jsna.errors import InputError
from jsna.indicators import load_catalogue
from jsna.indicators.decomposition import CAUSE_LABELS, gap_decomposition
from jsna.indicators.schema import CAUSE_GROUPS

REFERENCE = Path(__file__).parents[1] / "methods" / "reference"
ROLES = {
    "deaths": "m_deaths",
    "person_years": "m_py",
    **{f"deaths_{c}": f"m_{c}" for c in CAUSE_GROUPS},
}
AREAS = ["L01_typical_LA", "L02_typical_LA", "L05_pop_le_5000", "L15_random", "L16_random"]


def counts_from(frame: pd.DataFrame, dimension: str = "ward") -> pd.DataFrame:
    """Engine-shaped counts: every death split half circulatory, the rest 'other'."""
    circulatory = np.floor(frame["deaths"].to_numpy(float) / 2)
    out = pd.DataFrame(
        {
            "dimension": dimension,
            "category": frame["area"].to_numpy(),
            "within": "",
            "age_start": frame["startage"].to_numpy(),
            "m_deaths": frame["deaths"].to_numpy(float),
            "m_py": frame["pops"].to_numpy(float),
        }
    )
    for cause in CAUSE_GROUPS:
        out[f"m_{cause}"] = 0.0
    out["m_circulatory"] = circulatory
    out["m_other"] = out["m_deaths"] - circulatory
    return out


@pytest.fixture(scope="module")
def reference_counts() -> pd.DataFrame:
    frame = pd.read_csv(REFERENCE / "le_input.csv")
    return counts_from(frame[frame["area"].isin(AREAS)])


@pytest.fixture(scope="module")
def phe_e0() -> pd.Series:
    expected = pd.read_csv(REFERENCE / "phe_life_expectancy__le_age_0_65_standard_expected.csv")
    at_birth = expected[(expected["startage"] == 0) & expected["area"].isin(AREAS)]
    return at_birth.set_index("area")["value"]


def test_extreme_wards_and_the_gap_match_phe(reference_counts, phe_e0):
    rows = gap_decomposition(reference_counts, load_catalogue()["le_gap_wards_male"], ROLES)
    published = phe_e0.dropna()  # L05 has under 5,000 person-years: NA, so not compared
    assert "L05_pop_le_5000" not in published.index
    low, high = published.idxmin(), published.idxmax()
    gap = published[high] - published[low]
    total = rows[rows["dimension"] == "all"]
    assert total["value"].iat[0] == pytest.approx(gap, abs=1e-9)
    assert set(rows["comparator"]) == {low}
    assert high in total["note"].iat[0] and low in total["note"].iat[0]
    for dimension in ("age_band", "cause", "age_band×cause"):
        part = rows[rows["dimension"] == dimension]
        assert part["value"].sum() == pytest.approx(gap, abs=1e-9), dimension


def test_age_bands_are_the_data_model_labels_and_causes_add_up_per_band(reference_counts):
    rows = gap_decomposition(reference_counts, load_catalogue()["le_gap_wards_male"], ROLES)
    by_age = rows[rows["dimension"] == "age_band"].set_index("category")["value"]
    assert list(by_age.index) == ["0-4", *[f"{a}-{a + 4}" for a in range(5, 90, 5)], "90+"]
    cells = rows[rows["dimension"] == "age_band×cause"]
    band = cells["category"].str.split(" × ").str[0]
    summed = cells.groupby(band)["value"].sum()
    assert np.allclose(summed[by_age.index].to_numpy(), by_age.to_numpy(), rtol=0, atol=1e-9)
    assert set(rows.loc[rows["dimension"] == "cause", "category"]) == set(CAUSE_LABELS.values())


def test_named_groups_are_ordered_so_the_gap_is_positive(reference_counts, phe_e0):
    indicator = load_catalogue()["le_gap_ethnicity_male"]
    counts = reference_counts.replace(
        {"category": {"L01_typical_LA": "White", "L02_typical_LA": "Global Majority"}}
    ).assign(dimension="global_majority")
    rows = gap_decomposition(counts, indicator, ROLES)
    # PHE: L01 81.38 > L02 79.93, so Global Majority (L02) is the comparator
    assert set(rows["comparator"]) == {"Global Majority"}
    expected = phe_e0["L01_typical_LA"] - phe_e0["L02_typical_LA"]
    assert rows.loc[rows["dimension"] == "all", "value"].iat[0] == pytest.approx(expected, 1e-12)


def test_a_gap_from_one_band_and_one_cause_sits_there():
    frame = pd.read_csv(REFERENCE / "le_input.csv")
    base = frame[frame["area"] == "L01_typical_LA"]
    worse = base.assign(area="Worse")
    counts = counts_from(pd.concat([base, worse], ignore_index=True))
    extra = (counts["category"] == "Worse") & (counts["age_start"] == 60)
    counts.loc[extra, ["m_deaths", "m_circulatory"]] += 40.0
    rows = gap_decomposition(counts, load_catalogue()["le_gap_wards_male"], ROLES)
    gap = rows.loc[rows["dimension"] == "all", "value"].iat[0]
    assert gap > 0.1
    by_age = rows[rows["dimension"] == "age_band"].set_index("category")["value"]
    assert by_age["60-64"] == pytest.approx(gap, abs=1e-9)
    assert np.abs(by_age.drop("60-64").to_numpy()).max() < 1e-9
    by_cause = rows[rows["dimension"] == "cause"].set_index("category")["value"]
    assert by_cause["Circulatory diseases"] == pytest.approx(gap, abs=1e-9)
    assert np.abs(by_cause.drop("Circulatory diseases").to_numpy()).max() < 1e-9


def test_no_gap_when_a_named_group_has_no_published_value(reference_counts):
    counts = reference_counts.replace(
        {"category": {"L01_typical_LA": "White", "L05_pop_le_5000": "Global Majority"}}
    ).assign(dimension="global_majority")
    rows = gap_decomposition(counts, load_catalogue()["le_gap_ethnicity_male"], ROLES)
    assert len(rows) == 1 and np.isnan(rows["value"].iat[0])
    assert rows["note"].iat[0] == (
        "gap not decomposed: no published life expectancy for Global Majority"
    )


def test_no_gap_when_the_build_is_not_stratified_by_the_dimension(reference_counts):
    counts = reference_counts.assign(dimension="imd_quintile")
    rows = gap_decomposition(counts, load_catalogue()["le_gap_wards_male"], ROLES)
    assert len(rows) == 1 and np.isnan(rows["value"].iat[0])
    assert rows["note"].iat[0] == "gap not decomposed: the build is not stratified by ward"


def test_deaths_by_cause_must_add_up_to_all_deaths(reference_counts):
    counts = reference_counts.copy()
    counts.loc[0, "m_other"] += 1
    with pytest.raises(InputError, match="do not add up to all deaths"):
        gap_decomposition(counts, load_catalogue()["le_gap_wards_male"], ROLES)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"gap": {"dimension": "ward"}, "statistic": "life_expectancy", "le_age": 0},
         "gap (the two populations) goes with le_gap_decomposition"),
        ({"strata": ["imd_quintile"]}, "strata must include the gap dimension 'ward'"),
        ({"gap": {"dimension": "age_band"}}, "unknown gap dimension 'age_band'"),
        ({"gap": {"dimension": "sex", "groups": ["Male", "Male"]}},
         "groups must name two different categories"),
    ],
)  # fmt: skip
def test_catalogue_entries_are_checked(tmp_path, extra, message):
    import yaml

    entry = {
        "id": "gap", "name": "Gap", "domain": "life expectancy", "period": "mortality_window",
        "statistic": "le_gap_decomposition", "multiplier": 1, "polarity": "no_judgement",
        "numerator": {"table": "deaths"}, "denominator": {"table": "people", "sex": ["M"]},
        "gap": {"dimension": "ward"}, "strata": ["ward"], "source": "s", "caveats": "c",
    }  # fmt: skip
    path = tmp_path / "gap.yaml"
    path.write_text(yaml.safe_dump({"indicators": [{**entry, **extra}]}), encoding="utf-8")
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_catalogue([path])
