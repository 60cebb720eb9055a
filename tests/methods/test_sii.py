"""Tests for jsna.methods.sii against PHEindicatormethods 2.1.0 and exact theory.

Point estimates (sii, rii, intercept) are deterministic and must match the R
reference outputs in tests/methods/reference/ to 1e-9. Confidence limits are
Monte Carlo: R's draws cannot be reproduced, so each limit is compared with
a tolerance derived from the Monte Carlo standard error of a sample
quantile (see ``_mc_tolerance``).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest
from scipy import stats

from jsna.errors import InputError
from jsna.methods.sii import relative_rank, sii, sii_fit

REFERENCE = Path(__file__).parent / "reference"
METADATA = {"area", "indicator_type", "multiplier", "transform", "CI_confidence", "CI_method"}

# (reference case, our keyword arguments) — the R calls are listed in
# reference/README.md; value_type 1 = "rate", 2 = "proportion".
CASES = {
    "normal_se": dict(value="le", se="le_se", rii=True, intercept=True),
    "normal_se_other_seed": dict(value="le", se="le_se", rii=True, intercept=True),
    "normal_cl_defaults": dict(value="le", lower="le_lowercl", upper="le_uppercl"),
    "rate_cl": dict(
        value="rate",
        value_type="rate",
        lower="rate_lowercl",
        upper="rate_uppercl",
        rii=True,
        intercept=True,
    ),
    "rate_cl_transform": dict(
        value="rate",
        value_type="rate",
        lower="rate_lowercl",
        upper="rate_uppercl",
        transform=True,
        rii=True,
        intercept=True,
    ),
    "prop_x_transform_pct": dict(
        population="sample_n",
        x="sample_x",
        value_type="proportion",
        lower="prop_lowercl",
        upper="prop_uppercl",
        transform=True,
        multiplier=100,
        rii=True,
        intercept=True,
    ),
    "prop_value_negmult_two_cl": dict(
        value="prop",
        value_type="proportion",
        lower="prop_lowercl",
        upper="prop_uppercl",
        multiplier=-100,
        confidence=(0.95, 0.998),
        rii=True,
    ),
    "reliability_1000reps": dict(
        value="le", se="le_se", repetitions=1000, reliability=True, rii=True
    ),
}


@pytest.fixture(scope="module")
def sii_input() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "sii_input.csv")


def _expected(case: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE / f"phe_sii__{case}_expected.csv")


def _our_name(r_name: str) -> str:
    """R's 'sii_lower95_0cl' / 'rii_upper99_8cl' / 'sii_mad95_0' → ours."""
    match = re.fullmatch(r"(sii|rii)_(lower|upper|mad)(\d+)_(\d)(?:cl)?", r_name)
    if match is None:
        return r_name
    stat, part, whole, decimal = match.groups()
    return f"{stat}_{part}_{whole}{'' if decimal == '0' else decimal}"


def _run(data: pd.DataFrame, case: str, **extra: object) -> pd.DataFrame:
    kwargs = dict(CASES[case])
    population = kwargs.pop("population", "population")
    return sii(data, "decile", population, by="area", **kwargs, **extra)


@functools.cache
def _reference_run(case: str) -> pd.DataFrame:
    """Our output for a reference case at the R call's settings (computed once)."""
    return _run(pd.read_csv(REFERENCE / "sii_input.csv"), case)


def _mc_tolerance(level: float, repetitions: int, width: float, k: float = 5.0) -> float:
    """k standard errors of (our limit − R's limit), both Monte Carlo.

    A sample p-quantile of n draws has standard error sqrt(p(1−p)/n)/f(q)
    (asymptotic order-statistic variance). For an approximately normal
    sampling distribution with sd σ = width / (2 z), f(q) = φ(z)/σ. Two
    independent estimates differ with √2 times that standard error. At
    100,000 draws and 95% this is 0.31% of the CI width (R's own two seeds
    differ by up to 0.5%, README), so k = 5 allows 1.5% of the width.
    """
    z = stats.norm.ppf(1 - (1 - level) / 2)
    p = (1 - level) / 2
    sigma = width / (2 * z)
    se_quantile = np.sqrt(p * (1 - p) / repetitions) * sigma / stats.norm.pdf(z)
    return k * np.sqrt(2) * se_quantile


@pytest.mark.parametrize("case", sorted(CASES))
def test_point_estimates_match_phe_sii(case: str) -> None:
    ours = _reference_run(case)
    expected = _expected(case)
    assert ours["area"].tolist() == expected["area"].tolist()
    for column in ("sii", "rii", "intercept"):
        if column in expected:
            np.testing.assert_allclose(ours[column], expected[column], rtol=1e-9, err_msg=column)
    assert ours["note"].isna().all()


@pytest.mark.parametrize("case", sorted(set(CASES) - {"reliability_1000reps"}))
def test_simulated_limits_within_monte_carlo_error(case: str) -> None:
    ours = _reference_run(case)
    expected = _expected(case)
    limit_columns = [c for c in expected if re.match(r"[sr]ii_(lower|upper)", c)]
    assert limit_columns
    for column in limit_columns:
        level = float(re.search(r"(\d+)_(\d)", column).group(0).replace("_", ".")) / 100
        lower = expected[column.replace("upper", "lower")]
        upper = expected[column.replace("lower", "upper")]
        tolerance = _mc_tolerance(level, 100_000, (upper - lower).to_numpy())
        difference = np.abs(ours[_our_name(column)].to_numpy() - expected[column].to_numpy())
        assert (difference <= tolerance).all(), (column, difference / tolerance)


def test_reliability_1000_reps() -> None:
    ours = _reference_run("reliability_1000reps")
    expected = _expected("reliability_1000reps")
    for column in ("sii_lower95_0cl", "sii_upper95_0cl", "rii_lower95_0cl", "rii_upper95_0cl"):
        width = (
            expected[column[:4] + "upper95_0cl"] - expected[column[:4] + "lower95_0cl"]
        ).to_numpy()
        tolerance = _mc_tolerance(0.95, 1000, width)
        assert (np.abs(ours[_our_name(column)] - expected[column]) <= tolerance).all(), column
    # A mean of 18 absolute differences between Monte Carlo limits varies by
    # about a third of its size from run to run (measured over 30 seeds), so
    # a single R realisation only pins the order of magnitude.
    for column in ("sii_mad95_0", "rii_mad95_0"):
        ratio = ours[_our_name(column)].to_numpy() / expected[column].to_numpy()
        assert ((ratio > 0.4) & (ratio < 2.5)).all(), (column, ratio)


def test_ungrouped_one_area(sii_input: pd.DataFrame) -> None:
    one = sii_input[sii_input["area"] == "S01_steep_gradient"].drop(columns="area")
    ours = sii(
        one,
        "decile",
        "population",
        value="rate",
        value_type="rate",
        lower="rate_lowercl",
        upper="rate_uppercl",
        rii=True,
    )
    expected = _expected("ungrouped_one_area")
    assert len(ours) == 1
    np.testing.assert_allclose(ours["sii"], expected["sii"], rtol=1e-9)
    np.testing.assert_allclose(ours["rii"], expected["rii"], rtol=1e-9)
    width = float(expected["sii_upper95_0cl"].iloc[0] - expected["sii_lower95_0cl"].iloc[0])
    tolerance = _mc_tolerance(0.95, 100_000, width)
    assert abs(ours["sii_lower_95"].iloc[0] - expected["sii_lower95_0cl"].iloc[0]) <= tolerance


def test_hand_computed_linear_gradient() -> None:
    # Five quintiles of 100, 300, 200, 200, 200 people (shares .1 .3 .2 .2 .2):
    # ranks .05, .25, .5, .7, .9. Values lying exactly on y = 60 + 20·rank
    # are 61, 65, 70, 74, 78, so the fitted line is that line whatever the
    # weights: intercept 60, SII 20, RII = (60 + 20) / 60 = 4/3.
    population = np.array([100.0, 300, 200, 200, 200])
    np.testing.assert_allclose(relative_rank(population), [0.05, 0.25, 0.5, 0.7, 0.9])
    values = np.array([61.0, 65, 70, 74, 78])
    intercept, slope = sii_fit(values, population)
    assert intercept == pytest.approx(60, abs=1e-12)
    assert slope == pytest.approx(20, abs=1e-12)
    frame = pd.DataFrame({"q": [1, 2, 3, 4, 5], "pop": population, "v": values, "se": 0.1})
    out = sii(frame, "q", "pop", value="v", se="se", rii=True, intercept=True, repetitions=2000)
    assert out["sii"].iloc[0] == pytest.approx(20, abs=1e-9)
    assert out["rii"].iloc[0] == pytest.approx(4 / 3, abs=1e-12)
    assert out["intercept"].iloc[0] == pytest.approx(60, abs=1e-9)


def test_weighted_fit_against_numpy_lstsq() -> None:
    # Independent route: sqrt(w)-weighted least squares via numpy.linalg.lstsq.
    rng = np.random.default_rng(7)
    population = rng.integers(1000, 5000, 10).astype(float)
    values = rng.normal(70, 5, 10)
    share = population / population.sum()
    rank = np.cumsum(share) - share / 2
    design = np.column_stack([np.ones(10), rank]) * np.sqrt(share)[:, None]
    (alpha, beta), *_ = np.linalg.lstsq(design, values * np.sqrt(share), rcond=None)
    assert sii_fit(values, population) == pytest.approx((alpha, beta), rel=1e-12)


def test_normal_limits_match_exact_normal_quantiles() -> None:
    # Untransformed normal draws make the simulated SII exactly normal with
    # variance Σ (c_j sqrt(a_j) se_j)², c the slope row of (XᵀX)⁻¹Xᵀ: the
    # interval is sii ± z σ up to Monte Carlo error.
    population = np.array([800.0, 1000, 1200, 900, 1100, 1000, 950, 1050, 1000, 1000])
    values = np.linspace(74, 83, 10) + np.array([0.3, -0.2, 0.1, 0, -0.4, 0.2, 0, 0.1, -0.1, 0])
    se = np.linspace(0.4, 0.9, 10)
    share = population / population.sum()
    rank = np.cumsum(share) - share / 2
    design = np.column_stack([np.sqrt(share), rank * np.sqrt(share)])
    slope_row = np.linalg.solve(design.T @ design, design.T)[1]
    sigma = np.sqrt(np.sum((slope_row * np.sqrt(share) * se) ** 2))
    frame = pd.DataFrame({"q": range(1, 11), "pop": population, "v": values, "se": se})
    out = sii(frame, "q", "pop", value="v", se="se", confidence=(0.95, 0.998), seed=11)
    point = out["sii"].iloc[0]
    for level in (0.95, 0.998):
        z = stats.norm.ppf(1 - (1 - level) / 2)
        suffix = "95" if level == 0.95 else "998"
        # One Monte Carlo estimate against the exact value: 1 estimate, not 2.
        tolerance = _mc_tolerance(level, 100_000, 2 * z * sigma) / np.sqrt(2)
        assert abs(out[f"sii_lower_{suffix}"].iloc[0] - (point - z * sigma)) <= tolerance
        assert abs(out[f"sii_upper_{suffix}"].iloc[0] - (point + z * sigma)) <= tolerance


def test_reliability_mad_matches_theory() -> None:
    # Same exact-normal set-up: each set's lower limit is a sample quantile
    # with sd s = sqrt(p(1−p)/n)·σ/φ(z); |L_k − L_1| has mean 2s/√π. Averaged
    # over 40 seeds the MAD's Monte Carlo error is ~5%; allow 20%.
    population = np.full(5, 1000.0)
    values = np.array([70.0, 72, 73, 75, 78])
    se = np.full(5, 0.5)
    share = population / population.sum()
    rank = np.cumsum(share) - share / 2
    design = np.column_stack([np.sqrt(share), rank * np.sqrt(share)])
    slope_row = np.linalg.solve(design.T @ design, design.T)[1]
    sigma = np.sqrt(np.sum((slope_row * np.sqrt(share) * se) ** 2))
    z, p, n = stats.norm.ppf(0.975), 0.025, 1000
    expected = 2 / np.sqrt(np.pi) * np.sqrt(p * (1 - p) / n) * sigma / stats.norm.pdf(z)
    frame = pd.DataFrame({"q": range(1, 6), "pop": population, "v": values, "se": se})
    mads = [
        sii(frame, "q", "pop", value="v", se="se", repetitions=n, reliability=True, seed=s)[
            "sii_mad_95"
        ].iloc[0]
        for s in range(40)
    ]
    assert np.mean(mads) == pytest.approx(expected, rel=0.2)


def test_reproducible_with_seed_and_default(sii_input: pd.DataFrame) -> None:
    first = _run(sii_input, "rate_cl", repetitions=1000)
    again = _run(sii_input, "rate_cl", repetitions=1000)
    pd.testing.assert_frame_equal(first, again)
    other = _run(sii_input, "rate_cl", repetitions=1000, seed=99)
    assert not np.allclose(first["sii_lower_95"], other["sii_lower_95"])


def test_polars_in_polars_out(sii_input: pd.DataFrame) -> None:
    ours_pd = _run(sii_input, "normal_se", repetitions=1000)
    ours_pl = sii(
        pl.from_pandas(sii_input),
        "decile",
        "population",
        by="area",
        value="le",
        se="le_se",
        rii=True,
        intercept=True,
        repetitions=1000,
    )
    assert isinstance(ours_pl, pl.DataFrame)
    np.testing.assert_array_equal(ours_pl["sii_lower_95"].to_numpy(), ours_pd["sii_lower_95"])
    np.testing.assert_array_equal(ours_pl["sii"].to_numpy(), ours_pd["sii"])


def test_metadata_columns(sii_input: pd.DataFrame) -> None:
    out = _run(sii_input, "prop_x_transform_pct", repetitions=1000)
    row = out.iloc[0]
    assert (row["value_type"], row["transform"], row["multiplier"]) == ("proportion", "logit", 100)
    assert row["confidence"] == "95%"
    assert "1000 repetitions" in row["method"]
    assert list(out.columns[:8]) == [
        "area",
        "sii",
        "rii",
        "sii_lower_95",
        "sii_upper_95",
        "rii_lower_95",
        "rii_upper_95",
        "intercept",
    ]


def test_labelled_deciles_are_ordered_by_number() -> None:
    # '10 (least deprived)' must come after '9', not after '1' (text order).
    labels = [f"{i} (most deprived)" if i == 1 else str(i) for i in range(1, 10)]
    labels.append("10 (least deprived)")
    frame = pd.DataFrame(
        {"q": labels, "pop": 1000.0, "v": np.arange(10.0) * 2 + 50, "se": 0.5}
    ).sample(frac=1, random_state=3)
    out = sii(frame, "q", "pop", value="v", se="se", repetitions=1000)
    # Equal populations: ranks .05 … .95, values 50 + 20·(rank − .05) → SII 20.
    assert out["sii"].iloc[0] == pytest.approx(20, abs=1e-9)


def _quintiles(**columns: object) -> pd.DataFrame:
    base = {"q": [1, 2, 3, 4, 5], "pop": 1000.0, "v": [10.0, 9, 8, 7, 6], "se": 1.0}
    base.update(columns)
    return pd.DataFrame(base)


def test_group_missing_a_quantile_gives_na_and_note() -> None:
    # reference case sii_area_missing_quantile: area b lacks quantile 2.
    frame = pd.DataFrame(
        {
            "g": ["a"] * 5 + ["b"] * 5,
            "q": [1, 2, 3, 4, 5] * 2,
            "pop": 1000.0,
            "v": [10.0, 9, 8, 7, 6, 5, 4, 3, 2, 1],
            "se": 1.0,
        }
    ).drop(index=6)
    out = sii(frame, "q", "pop", value="v", se="se", by="g", repetitions=1000)
    assert out["g"].tolist() == ["a", "b"]
    assert out["sii"].iloc[0] == pytest.approx(-5, abs=1e-9)
    assert np.isnan(out["sii"].iloc[1]) and np.isnan(out["sii_lower_95"].iloc[1])
    assert "quantile(s) 2 missing" in out["note"].iloc[1]
    assert out["note"].isna().iloc[0]


@pytest.mark.parametrize(
    ("frame", "note"),
    [
        (_quintiles(pop=[0.0, 1000, 1000, 1000, 1000]), "zero or missing population"),
        (_quintiles(v=[10.0, np.nan, 8, 7, 6]), "value is missing"),
        (_quintiles(se=[1.0, 1, np.nan, 1, 1]), "standard error"),
    ],
)
def test_incomplete_group_gives_na_and_note(frame: pd.DataFrame, note: str) -> None:
    out = sii(frame, "q", "pop", value="v", se="se", repetitions=1000)
    assert np.isnan(out["sii"].iloc[0])
    assert note in out["note"].iloc[0]


def test_proportion_of_zero_cannot_be_logit_transformed() -> None:
    frame = _quintiles(v=[0.0, 0.1, 0.2, 0.3, 0.4], lo=0.0, hi=0.5)
    out = sii(frame, "q", "pop", value="v", lower="lo", upper="hi", value_type="proportion")
    assert np.isnan(out["sii"].iloc[0])
    assert "log/logit" in out["note"].iloc[0]


@pytest.mark.parametrize(
    ("frame", "kwargs", "column", "row", "fragment"),
    [
        (_quintiles().iloc[:4], {}, "q", None, "between 5 and 100"),
        (_quintiles(pop=[1000.0, -5, 1000, 1000, 1000]), {}, "pop", 2, "at least 0"),
        (_quintiles(se=[-1.0, 1, 1, 1, 1]), {}, "se", 1, "at least 0"),
        (
            _quintiles(v=[1.2, 0.9, 0.8, 0.7, 0.6], se=0.01),
            {"value_type": "proportion"},
            "v",
            1,
            "between 0 and 1",
        ),
        (
            pd.DataFrame({"q": [1, 2, 3, 3, 4, 5], "pop": 1000.0, "v": 5.0, "se": 1.0}),
            {},
            "q",
            4,
            "twice",
        ),
        (_quintiles(q=["a", "b", "c", "d", "e"]), {}, "q", 1, "start with one"),
    ],
)
def test_bad_input_raises_naming_column_and_row(
    frame: pd.DataFrame, kwargs: dict, column: str, row: int | None, fragment: str
) -> None:
    with pytest.raises(InputError) as caught:
        sii(frame, "q", "pop", value="v", se="se", repetitions=1000, **kwargs)
    assert caught.value.column == column
    assert caught.value.row == row
    assert fragment in str(caught.value)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"repetitions": 999}, "at least 1000"),
        ({"transform": True}, "transform=True needs"),
        ({"value_type": "ratio"}, "value_type must be"),
        ({"multiplier": 0}, "non-zero"),
        ({"se": None}, "give se="),
        ({"value": None}, "give value="),
        ({"confidence": 0.9999, "repetitions": 1000}, "too few"),
    ],
)
def test_bad_arguments_raise(kwargs: dict, fragment: str) -> None:
    arguments = {"value": "v", "se": "se", "repetitions": 1000} | kwargs
    with pytest.raises(InputError, match=re.escape(fragment)):
        sii(_quintiles(), "q", "pop", **arguments)


def test_count_above_population_raises() -> None:
    frame = _quintiles(x=[10.0, 2000, 5, 5, 5], lo=0.01, hi=0.02)
    with pytest.raises(InputError) as caught:
        sii(frame, "q", "pop", x="x", lower="lo", upper="hi", value_type="proportion")
    assert (caught.value.column, caught.value.row) == ("x", 2)


@pytest.mark.parametrize("value_type", ["rate", "proportion"])
def test_standard_error_moves_to_model_scale_by_delta_method(value_type: str) -> None:
    # A natural-scale SE s becomes s/v on the log scale and s/(v(1-v)) on the
    # logit scale; 95% limits symmetric on that scale give the same draws.
    values = np.array([0.30, 0.26, 0.22, 0.20, 0.15])
    se = np.array([0.02, 0.015, 0.02, 0.01, 0.012])
    slope = 1 / values if value_type == "rate" else 1 / (values * (1 - values))
    transform = np.log if value_type == "rate" else (lambda p: np.log(p / (1 - p)))
    inverse = np.exp if value_type == "rate" else (lambda t: 1 / (1 + np.exp(-t)))
    z = stats.norm.ppf(0.975)
    frame = _quintiles(
        v=values,
        se=se,
        lo=inverse(transform(values) - z * se * slope),
        hi=inverse(transform(values) + z * se * slope),
    )
    common = dict(value="v", value_type=value_type, rii=True, repetitions=2000, seed=3)
    from_se = sii(frame, "q", "pop", se="se", **common)
    from_limits = sii(frame, "q", "pop", lower="lo", upper="hi", **common)
    for column in ("sii", "sii_lower_95", "sii_upper_95", "rii_lower_95", "rii_upper_95"):
        np.testing.assert_allclose(from_se[column], from_limits[column], rtol=1e-9)
