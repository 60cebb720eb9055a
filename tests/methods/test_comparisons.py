"""Ratios, differences and comparisons with a reference group.

Expected values come from published worked examples (Newcombe 1998), from
SciPy's independent Clopper–Pearson implementation, or from the textbook
formulas written out here element by element with :mod:`math`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import polars as pl
import pytest
from scipy import stats

from jsna.errors import InputError
from jsna.methods import (
    ESP2013,
    Estimate,
    compare_estimates,
    compare_to_reference,
    difference,
    dsr,
    proportion,
    rate,
    ratio,
)

Z95 = 1.959963984540054


def one(value, count, denominator, variance=None):
    arrays = [np.array([float(v)]) for v in (value, count, denominator)]
    return Estimate(*arrays, None if variance is None else np.array([float(variance)]))


def test_proportion_difference_matches_newcombe_1998_example():
    # Newcombe RG. Stat Med 1998;17:873-90, Table II (a): 56/70 vs 48/80, method 10
    comp = difference("proportion", one(56 / 70, 56, 70), one(48 / 80, 48, 80))
    assert comp.estimate[0] == pytest.approx(0.2)
    assert round(comp.lower[0], 4) == 0.0524
    assert round(comp.upper[0], 4) == 0.3339


def test_proportion_ratio_is_katz_log_with_score_test():
    x1, n1, x2, n2 = 30, 120, 18, 150
    comp = ratio("proportion", one(x1 / n1, x1, n1), one(x2 / n2, x2, n2))
    rr = (x1 / n1) / (x2 / n2)
    se = math.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2)
    assert comp.estimate[0] == pytest.approx(rr, rel=1e-12)
    assert comp.lower[0] == pytest.approx(rr * math.exp(-Z95 * se), rel=1e-12)
    assert comp.upper[0] == pytest.approx(rr * math.exp(Z95 * se), rel=1e-12)
    pooled = (x1 + x2) / (n1 + n2)
    z = (x1 / n1 - x2 / n2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    assert comp.p_value[0] == pytest.approx(math.erfc(abs(z) / math.sqrt(2)), rel=1e-12)


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2"),
    [(7, 2_000, 3, 5_000), (0, 1_000, 12, 900), (150, 80_000, 120, 95_000)],
)
def test_rate_ratio_exact_conditional_matches_scipy_clopper_pearson(x1, n1, x2, n2):
    comp = ratio("rate", one(x1 / n1, x1, n1), one(x2 / n2, x2, n2))
    ci = stats.binomtest(x1, x1 + x2).proportion_ci(confidence_level=0.95, method="exact")
    to_ratio = lambda p: p / (1 - p) * n2 / n1  # noqa: E731
    assert comp.lower[0] == pytest.approx(to_ratio(ci.low), rel=1e-9, abs=1e-15)
    assert comp.upper[0] == pytest.approx(to_ratio(ci.high), rel=1e-9)
    # two-sided "central" exact p-value by direct summation of binomial terms
    total, share = x1 + x2, n1 / (n1 + n2)
    pmf = [math.comb(total, k) * share**k * (1 - share) ** (total - k) for k in range(total + 1)]
    central = min(1.0, 2 * min(sum(pmf[: x1 + 1]), sum(pmf[x1:])))
    assert comp.p_value[0] == pytest.approx(central, rel=1e-9)


def test_dsr_ratio_uses_dobson_variances_on_the_log_scale():
    weights = list(ESP2013.weights)
    a_x, a_n = [5 + i for i in range(19)], [1_000 + 50 * i for i in range(19)]
    b_x, b_n = [3 + 2 * i for i in range(19)], [1_500 + 10 * i for i in range(19)]

    def dsr_by_hand(xs, ns):
        total = sum(weights)
        value = sum(w * x / n for w, x, n in zip(weights, xs, ns, strict=True)) / total
        variance = sum(w * w * x / (n * n) for w, x, n in zip(weights, xs, ns, strict=True))
        return value, variance / total**2

    (va, vara), (vb, varb) = dsr_by_hand(a_x, a_n), dsr_by_hand(b_x, b_n)
    rows = pd.DataFrame(
        {
            "group": ["A"] * 19 + ["B"] * 19,
            "age": list(ESP2013.labels) * 2,
            "x": a_x + b_x,
            "n": a_n + b_n,
        }
    )
    out = compare_to_reference(
        rows, "group", reference="B", statistic="dsr", x="x", n="n", age="age"
    )
    a = out[out["group"] == "A"].iloc[0]
    log_se = math.sqrt(vara / va**2 + varb / vb**2)
    assert a["value"] == pytest.approx(va * 100_000, rel=1e-12)
    assert a["ratio"] == pytest.approx(va / vb, rel=1e-12)
    assert a["ratio_lower_95"] == pytest.approx(va / vb * math.exp(-Z95 * log_se), rel=1e-12)
    assert a["ratio_upper_95"] == pytest.approx(va / vb * math.exp(Z95 * log_se), rel=1e-12)
    z = math.log(va / vb) / log_se
    assert a["p_value"] == pytest.approx(math.erfc(abs(z) / math.sqrt(2)), rel=1e-9)
    # the group's own DSR and interval are those of dsr()
    alone = dsr(rows[rows["group"] == "A"], "x", "n", age="age", confidence=0.95).iloc[0]
    for column in ("value", "lower_95", "upper_95"):
        assert a[column] == pytest.approx(alone[column], rel=1e-12)


def test_mover_difference_for_rates_uses_each_groups_poisson_interval():
    x1, n1, x2, n2 = 40, 10_000, 25, 12_000
    comp = difference("rate", one(x1 / n1, x1, n1), one(x2 / n2, x2, n2))
    r1 = rate(pd.DataFrame({"x": [x1, x2], "n": [n1, n2]}), "x", "n", multiplier=1, confidence=0.95)
    v1, v2 = r1["value"]
    l1, l2 = r1["lower_95"]
    u1, u2 = r1["upper_95"]
    assert comp.lower[0] == pytest.approx(v1 - v2 - math.hypot(v1 - l1, u2 - v2), rel=1e-12)
    assert comp.upper[0] == pytest.approx(v1 - v2 + math.hypot(u1 - v1, v2 - l2), rel=1e-12)


def test_compare_to_reference_rows_notes_and_missing_reference():
    data = pd.DataFrame(
        {
            "ward": ["w1", "w1", "w1", "w2", "w2"],
            "eth": ["White British", "Bangladeshi", "Black Caribbean", "Bangladeshi", "Arab"],
            "x": [100, 40, 0, 5, 7],
            "n": [1_000, 200, 50, 30, 40],
        }
    )
    out = compare_to_reference(
        data,
        "eth",
        reference="White British",
        statistic="proportion",
        x="x",
        n="n",
        by="ward",
        multiplier=100,
    )
    assert out[["ward", "eth"]].values.tolist() == [
        ["w1", "Bangladeshi"],
        ["w1", "Black Caribbean"],
        ["w1", "White British"],
        ["w2", "Arab"],
        ["w2", "Bangladeshi"],
    ]
    ref = out.iloc[2]
    assert ref["ratio"] == 1 and ref["difference"] == 0 and ref["note"] == "reference group"
    bangladeshi = out.iloc[0]
    assert bangladeshi["comparator"] == "White British"
    assert bangladeshi["value"] == pytest.approx(20.0)
    assert bangladeshi["ratio"] == pytest.approx(2.0)
    assert bangladeshi["difference"] == pytest.approx(10.0)
    own = proportion(data.iloc[[1]], "x", "n", multiplier=100, confidence=0.95).iloc[0]
    assert bangladeshi["lower_95"] == pytest.approx(own["lower_95"], rel=1e-12)
    # zero numerator: ratio 0, Katz interval undefined, the test still works
    caribbean = out.iloc[1]
    assert caribbean["ratio"] == 0 and 0 < caribbean["p_value"] < 0.05
    # ward w2 has no White British group: not compared, with a note, no error
    w2 = out[out["ward"] == "w2"]
    assert w2["ratio"].isna().all() and w2["p_value"].isna().all()
    assert w2["note"].str.contains("no reference group").all()
    assert w2["value"].notna().all()


def test_compare_to_reference_keeps_polars_and_zero_population_is_noted():
    data = pl.DataFrame({"g": ["a", "b", "c"], "x": [10, 20, 0], "n": [1_000, 1_000, 0]})
    out = compare_to_reference(
        data, "g", reference="a", statistic="rate", x="x", n="n", confidence=(0.95, 0.998)
    )
    assert isinstance(out, pl.DataFrame)
    assert {"ratio_lower_998", "difference_upper_998"} <= set(out.columns)
    row_b = out.filter(pl.col("g") == "b").row(0, named=True)
    assert row_b["ratio"] == pytest.approx(2.0)
    assert row_b["difference"] == pytest.approx(1_000.0)  # per 100,000
    row_c = out.filter(pl.col("g") == "c").row(0, named=True)
    assert row_c["value"] is None and "zero population" in row_c["note"]


def test_compare_to_reference_rejects_bad_arguments():
    data = pd.DataFrame({"g": ["a", "b"], "x": [1, 2], "n": [10, 10]})
    with pytest.raises(InputError, match="statistic"):
        compare_to_reference(data, "g", reference="a", statistic="mean", x="x", n="n")
    with pytest.raises(InputError, match="age"):
        compare_to_reference(data, "g", reference="a", statistic="dsr", x="x", n="n")
    with pytest.raises(InputError, match=r"column 'x', row 2: value 20"):
        compare_to_reference(
            data.assign(x=[1, 20]), "g", reference="a", statistic="proportion", x="x", n="n"
        )


def test_compare_estimates_by_hand():
    linear = compare_estimates(80.0, 79.0, 81.0, 78.0, 77.5, 78.5, scale="linear")
    se = math.hypot(2 / (2 * Z95), 1 / (2 * Z95))
    assert linear.estimate == pytest.approx(2.0)
    assert linear.lower == pytest.approx(2 - Z95 * se, rel=1e-12)
    assert linear.p_value == pytest.approx(math.erfc(2 / se / math.sqrt(2)), rel=1e-9)
    logged = compare_estimates([120.0], [100.0], [144.0], [100.0], [90.0], [111.1])
    se = math.hypot(math.log(1.44) / (2 * Z95), math.log(111.1 / 90) / (2 * Z95))
    assert logged.estimate[0] == pytest.approx(1.2)
    assert logged.upper[0] == pytest.approx(1.2 * math.exp(Z95 * se), rel=1e-12)
    with pytest.raises(InputError, match="scale"):
        compare_estimates(1, 1, 1, 1, 1, 1, scale="sqrt")


def test_compare_dsr_sums_rows_split_within_a_band_and_flags_missing_bands():
    labels = list(ESP2013.labels)
    whole = pd.DataFrame(
        {
            "group": ["A"] * 19 + ["B"] * 19,
            "age": labels * 2,
            "x": [4.0 + i for i in range(19)] * 2,
            "n": [2_000.0 + 100 * i for i in range(19)] + [3_000.0] * 19,
        }
    )
    halves = pd.concat([whole.assign(x=whole["x"] / 2, n=whole["n"] / 2)] * 2)
    kwargs = {"reference": "B", "statistic": "dsr", "x": "x", "n": "n", "age": "age"}
    one_row = compare_to_reference(whole, "group", **kwargs)
    two_rows = compare_to_reference(halves, "group", **kwargs)
    for column in ("value", "lower_95", "ratio", "ratio_upper_95", "difference", "p_value"):
        np.testing.assert_allclose(two_rows[column], one_row[column], rtol=1e-12)
    no_90_plus = whole[~((whole["group"] == "A") & (whole["age"] == "90+"))]
    out = compare_to_reference(no_90_plus, "group", **kwargs)
    a = out[out["group"] == "A"].iloc[0]
    assert np.isnan(a["value"]) and np.isnan(a["ratio"])
    assert "an age band has no population" in a["note"]
