"""The gap decomposition end to end: a synthetic build, disclosure control, equity scan.

The decomposition rows must add up to the difference of the two published
life expectancies in the same tidy table (the ``le_birth_*`` rows, made by
the life-table path, not by the decomposition), and the rows by cause within
each age band to that band's row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jsna.config import Strata, load_config
from jsna.engine.build import build_table, publishable
from jsna.equity import analyse
from jsna.synth import write_synthetic

GAPS = {
    "le_gap_wards_male": ("le_birth_male", "ward", None),
    "le_gap_wards_female": ("le_birth_female", "ward", None),
    "le_gap_ethnicity_male": ("le_birth_male", "global_majority", {"Global Majority", "White"}),
    "le_gap_ethnicity_female": ("le_birth_female", "global_majority", {"Global Majority", "White"}),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> pd.DataFrame:
    folder = tmp_path_factory.mktemp("synthetic")
    write_synthetic(folder, seed=11, scale=0.25)
    base = load_config()
    config = base.model_copy(
        update={
            "indicators": ["le_birth_male", "le_birth_female", *GAPS],
            "strata": Strata(dimensions=["ward", "global_majority"], intersections=[]),
        }
    )
    return build_table(config, folder).table


@pytest.mark.parametrize("gap_id", list(GAPS))
def test_contributions_sum_to_the_difference_of_published_values(built, gap_id):
    le_id, dimension, groups = GAPS[gap_id]
    published = publishable(built)
    le = published[(published["indicator_id"] == le_id) & (published["dimension"] == dimension)]
    le = le[le["value"].notna()].set_index("category")["value"]
    rows = built[built["indicator_id"] == gap_id]
    if groups is not None:
        missing = sorted(groups - set(le.index))
        if missing:  # e.g. an interval wider than 20 years: no gap to decompose
            assert len(rows) == 1 and np.isnan(rows["value"].iat[0])
            assert rows["note"].iat[0].endswith(f"no published life expectancy for {missing[0]}")
            return
        le = le[sorted(groups)]
    low, high = le.idxmin(), le.idxmax()
    assert set(rows["comparator"]) == {low}
    note = rows["note"].iat[0]
    assert f"in {high}" in note and f"in {low}" in note
    for dim in ("all", "age_band", "cause", "age_band×cause"):
        total = rows.loc[rows["dimension"] == dim, "value"].sum()
        assert total == pytest.approx(le[high] - le[low], abs=1e-9), dim


def test_causes_add_up_to_each_age_band(built):
    for gap_id in GAPS:
        rows = built[built["indicator_id"] == gap_id]
        if rows["value"].isna().all():
            continue
        by_age = rows[rows["dimension"] == "age_band"].set_index("category")["value"]
        cells = rows[rows["dimension"] == "age_band×cause"]
        summed = cells.groupby(cells["category"].str.split(" × ").str[0])["value"].sum()
        assert len(by_age) == 19
        assert np.allclose(summed[by_age.index], by_age, rtol=0, atol=1e-9)


def test_rows_are_statistics_that_disclosure_control_leaves_alone(built):
    gap = built["indicator_id"].isin(list(GAPS))
    assert built.loc[gap, ["numerator", "denominator"]].isna().all().all()
    assert set(built.loc[gap, "value_type"]) == {"life expectancy gap contribution"}
    published = publishable(built)
    assert not published.loc[gap, "suppressed"].any()
    assert np.array_equal(published.loc[gap, "value"], built.loc[gap, "value"], equal_nan=True)
    assert published.loc[gap, "note"].tolist() == built.loc[gap, "note"].tolist()


def test_the_equity_scan_leaves_the_decomposition_out(built):
    findings = analyse(publishable(built)).findings
    assert not findings.empty
    assert not findings["indicator_id"].isin(list(GAPS)).any()
