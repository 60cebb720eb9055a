"""Deprivation quantiles against PHEindicatormethods 2.1.0 ``phe_quantile`` outputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest

from jsna.errors import InputError
from jsna.methods import quantiles

TOO_FEW = "Q3_7_areas"  # 7 small areas: R gives NAs with a warning; we refuse


@pytest.fixture(scope="module")
def areas(reference_dir):
    return pd.read_csv(reference_dir / "quantile_input.csv")


def _check(out, expected):
    m = expected.merge(out, on="area", suffixes=("_r", ""), validate="one_to_one")
    assert len(m) == len(out) == len(expected)
    theirs = m["quantile_r"].astype("Int64")
    ours = m["quantile"]
    assert (theirs.isna() == ours.isna()).all()
    assert (theirs[theirs.notna()] == ours[ours.notna()]).all()


@pytest.mark.parametrize(
    ("case", "kwargs"),
    [
        ("grouped_default", {"by": "group"}),
        ("grouped_invert_field", {"by": "group", "invert": "invert_flag"}),
    ],
)
def test_deciles_match_phe(areas, reference_dir, case, kwargs):
    expected = pd.read_csv(reference_dir / f"phe_quantile__{case}_expected.csv")
    assert expected.loc[expected["group"] == TOO_FEW, "quantile"].isna().all()
    keep = areas["group"] != TOO_FEW
    out = quantiles(areas[keep], "value", **kwargs)
    _check(out, expected[expected["group"] != TOO_FEW])
    assert out["nquantiles"].eq(10).all()


def test_quintiles_not_inverted_match_phe(areas, reference_dir):
    expected = pd.read_csv(
        reference_dir / "phe_quantile__grouped_quintiles_not_inverted_expected.csv"
    )
    out = quantiles(areas, "value", by="group", nquantiles=5, invert=False)
    _check(out, expected)
    assert not out["inverted"].any()


def test_ungrouped_matches_phe(areas, reference_dir):
    expected = pd.read_csv(reference_dir / "phe_quantile__ungrouped_expected.csv")
    out = quantiles(areas, "value")
    _check(out, expected)
    assert list(out["area"]) == list(areas["area"])  # input order kept
    assert out["quantile"].isna().sum() == areas["value"].isna().sum() == 2


def test_a_column_named_invert_does_not_mask_the_argument(areas, reference_dir):
    """R's quirk: a data column ``invert`` overrides ``invert = FALSE``. Not here."""
    expected = pd.read_csv(
        reference_dir / "phe_quantile__grouped_quintiles_not_inverted_expected.csv"
    )
    renamed = areas.rename(columns={"invert_flag": "invert"})
    _check(quantiles(renamed, "value", by="group", nquantiles=5, invert=False), expected)


def test_too_few_small_areas_names_the_group(areas):
    with pytest.raises(InputError, match=r"group group='Q3_7_areas' has 7 small areas"):
        quantiles(areas, "value", by="group")
    with pytest.raises(InputError, match="all rows has 5 small areas"):
        quantiles(pd.DataFrame({"v": [3, 1, 2, 5, 4]}), "v")


def test_hand_ranked_ties():
    """N = 10, 5 quantiles (N/n = 2): ranks 1,1,3,4,4,4,7,8,9,10 by descending value."""
    values = [9, 9, 8, 7, 7, 7, 5, 4, 3, 1]
    out = quantiles(pd.DataFrame({"v": values}), "v", nquantiles=5)
    # floor(6 - ceil((11 - rank)/2)): rank 1 -> 1, 3 -> 2, 4 -> 2, 7 -> 4, 8 -> 4, 9 -> 5, 10 -> 5
    assert out["quantile"].tolist() == [1, 1, 2, 2, 2, 2, 4, 4, 5, 5]


def test_polars_keeps_nulls(areas):
    out = quantiles(pl.from_pandas(areas), "value", by="group", nquantiles=5)
    assert isinstance(out, pl.DataFrame)
    assert out.schema["quantile"] == pl.Int64
    assert out["quantile"].null_count() == 2
    assert np.array_equal(out["area"].to_numpy(), areas["area"].to_numpy())


def test_bad_input():
    data = pd.DataFrame({"g": ["a"] * 6, "v": range(6), "flip": [True] * 5 + [False]})
    with pytest.raises(InputError, match=r"column 'flip', row 6: value False: .*same for every"):
        quantiles(data, "v", by="g", nquantiles=2, invert="flip")
    with pytest.raises(InputError, match=r"column 'v', row 1: value 'x'"):
        quantiles(pd.DataFrame({"v": ["x"] * 12}), "v")
    with pytest.raises(InputError, match="nquantiles must be a whole number"):
        quantiles(data, "v", nquantiles=2.5)
    with pytest.raises(InputError, match="already has a column 'quantile'"):
        quantiles(data.assign(quantile=1), "v", nquantiles=2)


def test_invert_and_nquantiles_must_be_sensible():
    data = pd.DataFrame({"v": range(6), "flag": ["yes"] * 6})
    with pytest.raises(InputError, match="nquantiles must be at least 1"):
        quantiles(data, "v", nquantiles=0)
    with pytest.raises(InputError, match="invert must be True, False or the name"):
        quantiles(data, "v", nquantiles=2, invert=1)
    with pytest.raises(InputError, match=r"column 'flag', row 1: value 'yes': .*True or False"):
        quantiles(data, "v", nquantiles=2, invert="flag")
