"""Properties every interval must have, checked with Hypothesis, and coverage by simulation.

Properties: the interval contains the estimate; the 95% interval nests inside
the 99.8% one; value and limits never fall when the numerator rises; the
ratio of a group to itself has an interval containing 1. Coverage: Wilson
and Byar's 95% intervals cover the true value in 94–96.5% of 20,000
simulated draws at expected counts of about 50, 200 and 1,000, and exact
Poisson intervals are conservative at small counts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from jsna.methods import (
    Estimate,
    byars_ci,
    dsr,
    exact_poisson_ci,
    poisson_ci,
    proportion,
    rate,
    ratio,
    wilson_ci,
)
from jsna.methods.standardisation import dsr_arrays

counts = st.integers(min_value=0, max_value=100_000)
populations = st.integers(min_value=1, max_value=10_000_000)
SLACK = 1e-9  # relative rounding allowance when a limit equals the value


def contains(lower, value, upper):
    scale = np.maximum(1.0, np.abs(value))
    return np.all(lower <= value + SLACK * scale) and np.all(value <= upper + SLACK * scale)


@settings(max_examples=200, deadline=None)
@given(x=counts, extra=st.integers(min_value=0, max_value=1_000_000))
def test_proportion_interval_contains_value_and_nests(x, extra):
    n = x + extra
    if n == 0:
        return
    out = proportion(pd.DataFrame({"x": [x], "n": [n]}), "x", "n").iloc[0]
    assert contains(out["lower_95"], out["value"], out["upper_95"])
    assert out["lower_998"] <= out["lower_95"] + SLACK
    assert out["upper_95"] <= out["upper_998"] + SLACK
    assert out["lower_998"] >= 0 and out["upper_998"] <= 1 + SLACK


@settings(max_examples=200, deadline=None)
@given(x=counts, n=populations)
def test_rate_interval_contains_value_and_nests(x, n):
    out = rate(pd.DataFrame({"x": [x], "n": [n]}), "x", "n").iloc[0]
    assert contains(out["lower_95"], out["value"], out["upper_95"])
    assert out["lower_998"] <= out["lower_95"] + SLACK * out["value"]
    assert out["upper_95"] <= out["upper_998"]


@settings(max_examples=100, deadline=None)
@given(n=st.integers(min_value=1, max_value=100_000))
def test_wilson_monotone_in_numerator(n):
    x = np.arange(n + 1, dtype=float)[:2_000]
    for level in (0.95, 0.998):
        lower, upper = wilson_ci(x, np.full(len(x), float(n)), level)
        assert np.all(np.diff(lower) >= -SLACK) and np.all(np.diff(upper) >= -SLACK)


def test_poisson_limits_monotone_in_count_across_the_exact_byars_switch():
    x = np.arange(0, 5_000, dtype=float)
    for level in (0.9, 0.95, 0.998):
        lower, upper = poisson_ci(x, level)
        assert np.all(np.diff(lower) > 0) and np.all(np.diff(upper) > 0)


@settings(max_examples=60, deadline=None)
@given(
    x=st.lists(st.integers(min_value=0, max_value=500), min_size=19, max_size=19),
    n=st.lists(st.integers(min_value=1, max_value=50_000), min_size=19, max_size=19),
)
def test_dsr_interval_contains_value_and_nests(x, n):
    out = dsr(pd.DataFrame({"x": x, "n": n}), "x", "n").iloc[0]
    if sum(x) < 10:
        assert np.isnan(out["value"]) and "total count < 10" in out["note"]
        return
    assert contains(out["lower_95"], out["value"], out["upper_95"])
    assert out["lower_998"] <= out["lower_95"] and out["upper_95"] <= out["upper_998"]


@settings(max_examples=100, deadline=None)
@given(x=counts, extra=st.integers(min_value=0, max_value=1_000_000), n=populations)
def test_ratio_of_a_group_with_itself_contains_one(x, extra, n):
    prop = Estimate(
        np.array([x / max(x + extra, 1)]),
        np.array([float(x)]),
        np.array([float(max(x + extra, 1))]),
    )
    crude = Estimate(np.array([x / n]), np.array([float(x)]), np.array([float(n)]))
    for statistic, est in (("proportion", prop), ("rate", crude)):
        comp = ratio(statistic, est, est, confidence=0.95)
        if x > 0:
            assert comp.lower[0] <= 1 <= comp.upper[0]
            assert comp.p_value[0] >= 0.05
    weights = np.arange(1.0, 20.0)
    band_x = np.full(19, float(x % 50 + 1))
    band_n = np.full(19, float(n))
    parts = dsr_arrays(band_x, band_n, weights, np.zeros(19, dtype=np.int64), 1)
    est = Estimate(parts["value"], parts["count"], band_n.sum(keepdims=True), parts["variance"])
    comp = ratio("dsr", est, est)
    assert comp.lower[0] <= 1 <= comp.upper[0] and comp.p_value[0] == 1


def test_pandas_and_polars_give_the_same_numbers():
    data = pd.DataFrame({"g": ["a", "b", "a", "b"], "x": [1, 20, 3, 40], "n": [10, 200, 30, 400]})
    for function in (proportion, rate):
        from_pandas = function(data, "x", "n", by="g")
        from_polars = function(pl.from_pandas(data), "x", "n", by="g")
        assert isinstance(from_polars, pl.DataFrame)
        pd.testing.assert_frame_equal(from_pandas, from_polars.to_pandas(), check_dtype=False)


# --- coverage by simulation --------------------------------------------------------------------

DRAWS = 20_000


def coverage_share(lower, upper, truth):
    return float(np.mean((lower <= truth) & (truth <= upper)))


def test_wilson_coverage_at_moderate_and_large_counts():
    rng = np.random.default_rng(20_261_126)
    p = 0.1
    for expected_count in (50, 200, 1_000):
        n = expected_count / p
        x = rng.binomial(int(n), p, size=DRAWS).astype(float)
        lower, upper = wilson_ci(x, np.full(DRAWS, n), 0.95)
        assert 0.94 <= coverage_share(lower, upper, p) <= 0.965, expected_count


def test_byars_coverage_at_moderate_and_large_counts():
    rng = np.random.default_rng(20_261_127)
    for expected_count in (50, 200, 1_000):
        x = rng.poisson(expected_count, size=DRAWS).astype(float)
        lower, upper = byars_ci(x, 0.95)
        assert 0.94 <= coverage_share(lower, upper, expected_count) <= 0.965, expected_count


def test_exact_poisson_is_conservative_at_small_counts():
    rng = np.random.default_rng(20_261_128)
    for expected_count in (1, 2, 5, 8):
        x = rng.poisson(expected_count, size=DRAWS).astype(float)
        lower, upper = exact_poisson_ci(x, 0.95)
        # exact (Garwood) limits guarantee at least the nominal coverage
        assert coverage_share(lower, upper, expected_count) >= 0.95 - 0.004, expected_count
