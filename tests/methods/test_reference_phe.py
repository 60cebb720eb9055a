"""Our statistics against PHEindicatormethods 2.1.0 outputs (tests/methods/reference).

Each case runs the R call recorded in the reference README with our
function and compares every value and interval column (R names mapped to
ours: ``lowercl`` → ``lower_<level>``, ``lower95_0cl`` → ``lower_95``,
``lower99_8cl`` → ``lower_998``), the NA pattern, and the metadata labels.
Input columns that would clash with our outputs (R's test inputs carry a
``note`` column) are renamed before the call.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest

from jsna.errors import InputError
from jsna.methods import (
    byars_ci,
    dsr,
    funnel_limits,
    funnel_points,
    funnel_significance,
    isr,
    mean,
    proportion,
    rate,
    smr,
    wilson_ci,
)
from published_figures import ESP2013_WEIGHTS

RTOL = 1e-9


def read(reference_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(reference_dir / name)


def r_interval_names(expected: pd.DataFrame, level_suffix: str | None) -> dict[str, str]:
    """Map R's interval column names onto ours."""
    mapping = {}
    for column in expected.columns:
        if column == "lowercl":
            mapping[column] = f"lower_{level_suffix}"
        elif column == "uppercl":
            mapping[column] = f"upper_{level_suffix}"
        elif column.endswith("cl") and column[:5] in ("lower", "upper"):
            # lower95_0cl -> lower_95, upper99_8cl -> upper_998
            digits = column[5:-2].replace("_", "").rstrip("0") or "0"
            mapping[column] = f"{column[:5]}_{digits}"
    return mapping


def assert_columns_match(ours: pd.DataFrame, expected: pd.DataFrame, pairs: dict[str, str]) -> None:
    assert len(ours) == len(expected)
    for r_name, our_name in pairs.items():
        want = expected[r_name].to_numpy(dtype=float)
        got = ours[our_name].to_numpy(dtype=float)
        assert np.array_equal(np.isnan(got), np.isnan(want)), f"NA pattern differs in {our_name}"
        np.testing.assert_allclose(got, want, rtol=RTOL, atol=0, err_msg=our_name)


def value_and_limits(expected: pd.DataFrame, level_suffix: str | None) -> dict[str, str]:
    pairs = {"value": "value"}
    pairs.update(r_interval_names(expected, level_suffix))
    return pairs


# --- proportions -----------------------------------------------------------------------------

PROPORTION_CASES = [
    ("phe_proportion__default", {"confidence": 0.95}, "95"),
    ("phe_proportion__pct_conf998", {"confidence": 0.998, "multiplier": 100}, "998"),
    ("phe_proportion__two_cl", {"confidence": (0.95, 0.998)}, None),
    ("phe_proportion__conf90_pctscale", {"confidence": 90}, "90"),
    ("phe_proportion__no_ci", {"confidence": None}, None),
    ("phe_proportion__type_standard", {"confidence": 0.95}, "95"),
]


@pytest.mark.parametrize(("case", "kwargs", "suffix"), PROPORTION_CASES)
def test_proportion_per_row(reference_dir, case, kwargs, suffix):
    data = read(reference_dir, "proportion_input.csv").rename(columns={"note": "case_note"})
    expected = read(reference_dir, f"{case}_expected.csv")
    ours = proportion(data, "numerator", "denominator", **kwargs)
    assert_columns_match(ours, expected, value_and_limits(expected, suffix))
    if "statistic" in expected:
        assert ours["statistic"].tolist() == expected["statistic"].tolist()
    if "method" in expected:
        assert ours["method"].tolist() == expected["method"].tolist()
        assert ours["confidence"].tolist() == expected["confidence"].tolist()
    if kwargs["confidence"] is None:
        assert "method" not in ours.columns and "lower_95" not in ours.columns


def test_proportion_grouped_pandas_and_polars(reference_dir):
    data = read(reference_dir, "proportion_input.csv").drop(columns="note")
    expected = read(reference_dir, "phe_proportion__grouped_expected.csv")
    pairs = {"numerator": "numerator", "denominator": "denominator"}
    pairs.update(value_and_limits(expected, "95"))
    for frame in (data, pl.from_pandas(data)):
        ours = proportion(
            frame, "numerator", "denominator", by="group", multiplier=100, confidence=0.95
        )
        assert type(ours) is type(frame)
        ours = ours.to_pandas() if isinstance(ours, pl.DataFrame) else ours
        assert ours["group"].tolist() == expected["group"].tolist()
        assert_columns_match(ours, expected, pairs)
        assert ours["statistic"].tolist() == ["percentage"] * 4
    # the group with missing counts is NA with a note, not dropped
    assert "missing" in ours["note"].iloc[3]


def test_proportion_single_group_rows(reference_dir):
    data = read(reference_dir, "proportion_input.csv").rename(columns={"note": "case_note"})
    data = data[data["group"] == "G1_small"]
    expected = read(reference_dir, "phe_proportion__single_group_not_summarised_expected.csv")
    ours = proportion(data, "numerator", "denominator", confidence=0.95)
    assert_columns_match(ours, expected, value_and_limits(expected, "95"))
    assert ours.index.tolist() == data.index.tolist()  # per-row results keep the caller's rows


# --- rates -----------------------------------------------------------------------------------

RATE_CASES = [
    ("phe_rate__default", {"confidence": 0.95}, "95"),
    ("phe_rate__two_cl", {"confidence": (0.95, 0.998)}, None),
    ("phe_rate__per1000_conf998", {"confidence": 99.8, "multiplier": 1000}, "998"),
]


@pytest.mark.parametrize(("case", "kwargs", "suffix"), RATE_CASES)
def test_rate_per_row(reference_dir, case, kwargs, suffix):
    data = read(reference_dir, "rate_input.csv").rename(columns={"note": "case_note"})
    expected = read(reference_dir, f"{case}_expected.csv")
    ours = rate(data, "numerator", "denominator", **kwargs)
    assert_columns_match(ours, expected, value_and_limits(expected, suffix))
    assert ours["statistic"].tolist() == expected["statistic"].tolist()
    assert ours["method"].fillna("NA").tolist() == expected["method"].fillna("NA").tolist()


def test_rate_grouped(reference_dir):
    data = read(reference_dir, "rate_input.csv").drop(columns="note")
    expected = read(reference_dir, "phe_rate__grouped_expected.csv")
    ours = rate(pl.from_pandas(data), "numerator", "denominator", by="group", confidence=0.95)
    ours = ours.to_pandas()
    pairs = {"numerator": "numerator", "denominator": "denominator"}
    pairs.update(value_and_limits(expected, "95"))
    assert_columns_match(ours, expected, pairs)
    assert ours["group"].tolist() == expected["group"].tolist()


# --- means -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "kwargs", "suffix"),
    [
        ("phe_mean__grouped", {"confidence": 0.95}, "95"),
        ("phe_mean__grouped_two_cl", {"confidence": (0.95, 0.998)}, None),
    ],
)
def test_mean_grouped(reference_dir, case, kwargs, suffix):
    data = read(reference_dir, "mean_input.csv")
    expected = read(reference_dir, f"{case}_expected.csv")
    ours = mean(data, "value", by="group", **kwargs)
    pairs = {"value_sum": "value_sum", "value_count": "value_count", "stdev": "stdev"}
    pairs.update(value_and_limits(expected, suffix))
    assert_columns_match(ours, expected, pairs)
    assert ours["method"].tolist() == expected["method"].tolist()


def test_mean_ungrouped(reference_dir):
    data = read(reference_dir, "mean_input.csv")
    data = data[data["group"] != "n8_with_na"]
    expected = read(reference_dir, "phe_mean__ungrouped_without_na_group_expected.csv")
    ours = mean(data, "value", confidence=0.95)
    assert_columns_match(ours, expected, value_and_limits(expected, "95") | {"stdev": "stdev"})


# --- directly standardised rates -------------------------------------------------------------

DSR_CASES = [
    ("calculate_dsr__default", {"confidence": 0.95}, "95"),
    ("calculate_dsr__two_cl", {"confidence": (0.95, 0.998)}, None),
    ("calculate_dsr__per1000_conf998", {"confidence": 99.8, "multiplier": 1000}, "998"),
    ("phe_dsr__default_esp2013_vector", {"confidence": 0.95}, "95"),
    ("phe_dsr__stdpop_field_two_cl", {"confidence": (0.95, 0.998)}, None),
]


@pytest.mark.parametrize("standard", ["shipped_by_position", "shipped_by_age", "column"])
@pytest.mark.parametrize(("case", "kwargs", "suffix"), DSR_CASES)
def test_dsr(reference_dir, case, kwargs, suffix, standard):
    data = read(reference_dir, "dsr_input.csv").rename(columns={"esp2013": "stdpop"})
    expected = read(reference_dir, f"{case}_expected.csv")
    if standard == "shipped_by_position":
        ours = dsr(data, "x", "n", by="area", **kwargs)
    elif standard == "shipped_by_age":
        ours = dsr(
            data.sample(frac=1, random_state=1), "x", "n", by="area", age="ageband", **kwargs
        )
    else:
        ours = dsr(data, "x", "n", by="area", standard="stdpop", **kwargs)
    pairs = {"total_count": "x", "total_pop": "n"}
    pairs.update(value_and_limits(expected, suffix))
    assert_columns_match(ours, expected, pairs)
    suppressed = expected["statistic"].str.startswith("dsr NA").to_numpy()
    assert ours["note"].notna().to_numpy()[suppressed].all()
    assert ours["statistic"].iloc[0] == expected["statistic"].iloc[0]


def test_dsr_all_ages_and_under_75(reference_dir):
    data = read(reference_dir, "dsr_input.csv").rename(columns={"esp2013": "stdpop"})
    both = pd.concat(
        [data.assign(agegrp="all_ages"), data[data["startage"] < 75].assign(agegrp="under_75")]
    )
    expected = read(reference_dir, "calculate_dsr__all_ages_and_under75_expected.csv")
    ours = dsr(both, "x", "n", by=["area", "agegrp"], standard="stdpop", confidence=0.95)
    assert ours[["area", "agegrp"]].values.tolist() == expected[["area", "agegrp"]].values.tolist()
    assert_columns_match(ours, expected, value_and_limits(expected, "95"))


@pytest.mark.parametrize(
    ("case", "kwargs", "suffix"),
    [
        ("calculate_dsr__nonindependent", {"confidence": 0.95}, "95"),
        ("calculate_dsr__nonindependent_two_cl", {"confidence": (0.95, 0.998)}, None),
    ],
)
def test_dsr_non_independent_events(reference_dir, case, kwargs, suffix):
    data = read(reference_dir, "dsr_nonindependent_input.csv")
    expected = read(reference_dir, f"{case}_expected.csv")
    ours = dsr(
        pl.from_pandas(data),
        "x",
        "n",
        by="area",
        age="startage",
        event_frequency="eventfreq",
        **kwargs,
    ).to_pandas()
    pairs = {"total_count": "x", "total_pop": "n"}
    pairs.update(value_and_limits(expected, suffix))
    assert_columns_match(ours, expected, pairs)
    assert ours["method"].tolist() == expected["method"].tolist()


def test_dsr_non_independent_data_as_independent(reference_dir):
    data = read(reference_dir, "dsr_nonindependent_input.csv")
    data = data.assign(events=data["x"] * data["eventfreq"])
    summed = data.groupby(["area", "ageband", "startage", "n"], as_index=False)["events"].sum()
    expected = read(reference_dir, "calculate_dsr__nonindependent_data_as_independent_expected.csv")
    ours = dsr(summed, "events", "n", by="area", age="ageband", confidence=0.95)
    assert_columns_match(ours, expected, value_and_limits(expected, "95"))


# --- indirect standardisation ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "kwargs", "suffix"),
    [
        ("calculate_ISRatio__default", {"confidence": 0.95}, "95"),
        (
            "calculate_ISRatio__refvalue100_two_cl",
            {"confidence": (0.95, 0.998), "refvalue": 100},
            None,
        ),
    ],
)
def test_smr(reference_dir, case, kwargs, suffix):
    data = read(reference_dir, "isr_input.csv")
    expected = read(reference_dir, f"{case}_expected.csv")
    ours = smr(data, "x", "n", "x_ref", "n_ref", by="area", **kwargs)
    pairs = {"observed": "observed", "expected": "expected"}
    pairs.update(value_and_limits(expected, suffix))
    assert_columns_match(ours, expected, pairs)
    assert ours["method"].tolist() == expected["method"].tolist()
    assert ours["statistic"].tolist() == expected["statistic"].tolist()


def test_smr_reference_as_vectors(reference_dir):
    data = read(reference_dir, "isr_input.csv")
    first = data[data["area"] == data["area"].iloc[0]]
    expected = read(reference_dir, "calculate_ISRatio__ref_as_vectors_expected.csv")
    ours = smr(
        data.drop(columns=["x_ref", "n_ref"]),
        "x",
        "n",
        first["x_ref"].tolist(),
        first["n_ref"].tolist(),
        by="area",
        confidence=0.95,
    )
    assert_columns_match(ours, expected, value_and_limits(expected, "95"))


def test_smr_observed_totals(reference_dir):
    data = read(reference_dir, "isr_input.csv").drop(columns="x")
    totals = read(reference_dir, "isr_observed_totals_input.csv")
    expected = read(reference_dir, "calculate_ISRatio__observed_totals_expected.csv")
    ours = smr(data, "x", "n", "x_ref", "n_ref", by="area", confidence=0.95, observed=totals)
    assert_columns_match(ours, expected, value_and_limits(expected, "95"))


@pytest.mark.parametrize(
    ("case", "kwargs", "suffix"),
    [
        ("calculate_ISRate__default", {"confidence": 0.95}, "95"),
        ("calculate_ISRate__two_cl", {"confidence": (0.95, 0.998)}, None),
        ("calculate_ISRate__per1000_conf998", {"confidence": 0.998, "multiplier": 1000}, "998"),
    ],
)
def test_isr(reference_dir, case, kwargs, suffix):
    data = read(reference_dir, "isr_input.csv")
    expected = read(reference_dir, f"{case}_expected.csv")
    ours = isr(pl.from_pandas(data), "x", "n", "x_ref", "n_ref", by="area", **kwargs).to_pandas()
    pairs = {"observed": "observed", "expected": "expected", "ref_rate": "ref_rate"}
    pairs.update(value_and_limits(expected, suffix))
    assert_columns_match(ours, expected, pairs)
    assert ours["statistic"].tolist() == expected["statistic"].tolist()


# --- internal Wilson / Byar's grid -----------------------------------------------------------


def test_wilson_and_byars_grid(reference_dir):
    expected = read(reference_dir, "internal_wilson_byars__grid_expected.csv")
    x = expected["x"].to_numpy(dtype=float)
    n = expected["n"].to_numpy(dtype=float)
    ours = {}
    for level, suffix in ((0.95, "95"), (0.998, "998")):
        ours[f"wilson_lower{suffix}"], ours[f"wilson_upper{suffix}"] = wilson_ci(x, n, level)
        ours[f"byars_lower{suffix}"], ours[f"byars_upper{suffix}"] = byars_ci(x, level)
    assert_columns_match(pd.DataFrame(ours), expected, {c: c for c in ours})


# --- invalid input: where R errors and we mean to match (messages name column and row) -------


def test_errors_match_r_where_intended(reference_dir):
    messages = read(reference_dir, "errors_and_warnings_expected.csv").set_index("case_id")
    three = pd.DataFrame({"area": ["a", "b", "c"], "x": [1, 2, 3], "n": [5, 5, 5]})
    assert messages.loc["prop_negative_x", "kind"] == "error"
    with pytest.raises(InputError, match=r"column 'x', row 1: value -1"):
        proportion(three.assign(x=[-1, 2, 3]), "x", "n")
    assert messages.loc["prop_x_gt_n", "kind"] == "error"
    with pytest.raises(InputError, match=r"column 'x', row 1: value 6.*exceed"):
        proportion(three.assign(x=[6, 2, 3]), "x", "n")
    with pytest.raises(InputError, match=r"column 'x', row 1: value -1"):
        rate(three.assign(x=[-1, 2, 3]), "x", "n")
    assert messages.loc["rate_x_gt_n_allowed", "kind"] == "none"
    assert rate(three.assign(x=[60, 2, 3]), "x", "n")["value"].iloc[0] == 60 / 5 * 100_000
    band_rows = pd.DataFrame({"x": np.arange(1.0, 20.0), "n": 100.0})
    with pytest.raises(InputError, match=r"column 'x', row 1: value -1"):
        dsr(band_rows.assign(x=[-1.0, *range(1, 19)]), "x", "n")
    with pytest.raises(InputError, match=r"column 'n', row 1.*missing"):
        dsr(band_rows.assign(n=[np.nan, *[100.0] * 18]), "x", "n")
    with pytest.raises(InputError, match=r"column 'x', row 1: value '1'.*numeric"):
        dsr(band_rows.assign(x=[str(i) for i in range(1, 20)]), "x", "n")
    with pytest.raises(InputError, match="multiplier"):
        dsr(band_rows, "x", "n", multiplier=0)
    with pytest.raises(InputError, match="exactly 19 rows"):
        dsr(band_rows.iloc[:18], "x", "n")
    assert messages.loc["dsr_na_x_allowed", "kind"] == "none"
    allowed = dsr(band_rows.assign(x=[np.nan, *range(11, 29)]), "x", "n", confidence=0.95)
    assert allowed["x"].iloc[0] == sum(range(11, 29))
    assert "missing counts taken as 0" in allowed["note"].iloc[0]
    with pytest.raises(InputError, match=r"column 'x', row 1: value -1"):
        smr(band_rows.assign(x=[-1.0, *range(1, 19)]), "x", "n", [10] * 19, [1000] * 19)
    with pytest.raises(InputError, match="x_ref has 18 values"):
        smr(band_rows, "x", "n", [10] * 18, [1000] * 19)
    assert messages.loc["isr_zero_n_allowed", "kind"] == "none"
    zero_first = band_rows.assign(x=[0.0, *range(1, 19)], n=[0.0, *[100.0] * 18])
    assert np.isfinite(smr(zero_first, "x", "n", [10] * 19, [1000] * 19)["value"].iloc[0])


def test_zero_denominator_is_na_with_note_not_an_error():
    # R stops on a zero denominator; the issue asks for NA with a note instead
    data = pd.DataFrame({"x": [0, 2], "n": [0, 5]})
    for function in (proportion, rate):
        out = function(data, "x", "n")
        assert np.isnan(out["value"].iloc[0]) and np.isnan(out["upper_95"].iloc[0])
        assert out["note"].iloc[0] == "denominator is zero"
        assert out["value"].iloc[1] > 0


def test_confidence_outside_range_raises():
    data = pd.DataFrame({"x": [1], "n": [5]})
    for bad in (0, 1, 100, 150, -0.5):
        with pytest.raises(InputError, match="confidence"):
            proportion(data, "x", "n", confidence=bad)


# --- funnel plots ----------------------------------------------------------------------------

# Limits found by bisection to 1e-7 (the Fingertips workbook's own tolerance): R sums the
# Poisson tail by series, SciPy exactly, so an occasional last bisection step differs.
BISECTION_RTOL = 1e-6

FUNNEL_LIMIT_CASES = [
    (
        "calculate_funnel_limits__proportion_pct",
        "funnel_proportion_input.csv",
        ("numerator", "denominator"),
        {"statistic": "proportion", "multiplier": 100},
    ),
    (
        "calculate_funnel_limits__ratio_isr",
        "funnel_ratio_input.csv",
        ("observed", "expected"),
        {"statistic": "ratio", "ratio_type": "isr", "multiplier": 100},
    ),
    (
        "calculate_funnel_limits__ratio_count",
        "funnel_ratio_input.csv",
        ("observed", "expected"),
        {"statistic": "ratio", "ratio_type": "count", "multiplier": 1},
    ),
    (
        "calculate_funnel_limits__rate_crude",
        "funnel_rate_input.csv",
        ("events", "population"),
        {
            "statistic": "rate",
            "rate": "crude_rate",
            "rate_type": "crude",
            "multiplier": 100_000,
            "years_of_data": 3,
        },
    ),
    (
        "calculate_funnel_limits__rate_dsr",
        "funnel_rate_input.csv",
        ("events", "population"),
        {
            "statistic": "rate",
            "rate": "dsr",
            "rate_type": "dsr",
            "multiplier": 100_000,
            "years_of_data": 3,
        },
    ),
]


@pytest.mark.parametrize(("case", "source", "counts", "kwargs"), FUNNEL_LIMIT_CASES)
def test_funnel_limits(reference_dir, case, source, counts, kwargs):
    expected = read(reference_dir, f"{case}_expected.csv")
    ours = funnel_limits(read(reference_dir, source), *counts, **kwargs)
    assert list(ours.columns) == list(expected.columns)
    for column in expected.columns:
        if expected[column].dtype.kind not in "fi":
            assert ours[column].tolist() == expected[column].tolist()
        else:
            # ratio_type='count' subtracts 1, so compare near-zero limits absolutely too
            np.testing.assert_allclose(
                ours[column],
                expected[column],
                rtol=BISECTION_RTOL,
                atol=BISECTION_RTOL,
                err_msg=column,
            )
    first_column = expected.columns[0]
    np.testing.assert_array_equal(ours[first_column], expected[first_column])


FUNNEL_SIGNIFICANCE_CASES = [
    (
        "assign_funnel_significance__proportion",
        "funnel_proportion_input.csv",
        ("numerator", "denominator"),
        {"statistic": "proportion"},
    ),
    (
        "assign_funnel_significance__ratio",
        "funnel_ratio_input.csv",
        ("observed", "expected"),
        {"statistic": "ratio"},
    ),
    (
        "assign_funnel_significance__rate_crude",
        "funnel_rate_input.csv",
        ("events", "population"),
        {"statistic": "rate", "rate": "crude_rate", "rate_type": "crude"},
    ),
    (
        "assign_funnel_significance__rate_dsr",
        "funnel_rate_input.csv",
        ("events", "population"),
        {"statistic": "rate", "rate": "dsr", "rate_type": "dsr"},
    ),
]


@pytest.mark.parametrize(("case", "source", "counts", "kwargs"), FUNNEL_SIGNIFICANCE_CASES)
def test_funnel_significance(reference_dir, case, source, counts, kwargs):
    expected = read(reference_dir, f"{case}_expected.csv")
    data = read(reference_dir, source)
    for frame in (data, pl.from_pandas(data)):
        ours = funnel_significance(frame, *counts, **kwargs)
        assert ours["significance"].to_list() == expected["significance"].tolist()


@pytest.mark.parametrize("rate_type", ["crude", "dsr"])
def test_funnel_points(reference_dir, rate_type):
    column = "crude_rate" if rate_type == "crude" else "dsr"
    expected = read(reference_dir, f"calculate_funnel_points__rate_{rate_type}_expected.csv")
    ours = funnel_points(
        read(reference_dir, "funnel_rate_input.csv"),
        "events",
        "population",
        rate=column,
        rate_type=rate_type,
        years_of_data=3,
    )
    assert_columns_match(
        ours,
        expected,
        {f"{column}_chart": f"{column}_chart", "denominator_derived": "denominator_derived"},
    )


def test_funnel_errors_match_r(reference_dir):
    messages = read(reference_dir, "errors_and_warnings_expected.csv").set_index("case_id")
    assert messages.loc["funnel_sig_prop_x_gt_n", "kind"] == "error"
    with pytest.raises(InputError, match=r"column 'x', row 1: value 11"):
        funnel_significance(
            pd.DataFrame({"x": [11, 2, 3], "n": 10}), "x", "n", statistic="proportion"
        )
    with pytest.raises(InputError, match=r"column 'x', row 2.*missing"):
        funnel_limits(pd.DataFrame({"x": [1, None, 3], "n": 10}), "x", "n", statistic="proportion")
    with pytest.raises(InputError, match="statistic"):
        funnel_limits(pd.DataFrame({"x": [1, 2, 3], "n": 10}), "x", "n", statistic="mean")
    with pytest.raises(InputError, match="years_of_data"):
        funnel_limits(pd.DataFrame({"x": [1, 2], "r": [1.0, 2.0]}), "x", statistic="rate", rate="r")
    with pytest.raises(InputError, match=r"row 1.*population column"):
        funnel_limits(
            pd.DataFrame({"x": [0, 2, 3], "r": [None, 2, 3]}),
            "x",
            statistic="rate",
            rate="r",
            years_of_data=1,
        )


def test_result_never_overwrites_an_input_column():
    data = pd.DataFrame({"x": [1, 2], "n": [5, 5], "note": ["a", "b"]})
    with pytest.raises(InputError, match=r"column 'note'.*rename it first"):
        proportion(data, "x", "n")
    with pytest.raises(InputError, match=r"column 'value'.*rename it first"):
        rate(data.rename(columns={"note": "value"}), "x", "n")


def test_more_r_error_cases_and_intended_differences(reference_dir):
    messages = read(reference_dir, "errors_and_warnings_expected.csv").set_index("case_id")
    esp = pd.DataFrame({"x": np.arange(1.0, 20.0), "n": 100.0, "s": list(ESP2013_WEIGHTS)})
    for case in (
        "dsr_na_stdpop",
        "dsr_negative_stdpop",
        "dsr_x_not_field",
        "isr_negative_n",
        "phe_dsr_unequal_rows",
    ):
        assert messages.loc[case, "kind"] == "error"
    with pytest.raises(InputError, match=r"column 's', row 1.*missing"):
        dsr(esp.assign(s=[np.nan, *ESP2013_WEIGHTS[1:]]), "x", "n", standard="s")
    with pytest.raises(InputError, match=r"column 's', row 1: value -1"):
        dsr(esp.assign(s=[-1.0, *ESP2013_WEIGHTS[1:]]), "x", "n", standard="s")
    with pytest.raises(InputError, match=r"no column 'xx'"):
        dsr(esp, "xx", "n", standard="s")
    with pytest.raises(InputError, match=r"column 'n', row 1: value -5"):
        smr(esp.assign(n=[-5.0, *[100.0] * 18]), "x", "n", [10] * 19, [1000] * 19)
    unequal = pd.DataFrame({"g": ["a"] * 19 + ["b"] * 18, "x": 1.0, "n": 100.0})
    with pytest.raises(InputError, match="exactly 19 rows"):
        dsr(unequal, "x", "n", by="g")
    # R stops on a zero denominator in a DSR band; we return NA with a note (issue #2)
    assert messages.loc["dsr_zero_n", "kind"] == "error"
    zero = dsr(esp.assign(n=[0.0, *[100.0] * 18]), "x", "n", standard="s")
    assert np.isnan(zero["value"].iloc[0]) and "zero population" in zero["note"].iloc[0]
