"""Benchmark comparisons (Fingertips convention) and Benjamini–Hochberg q-values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest

from jsna.errors import InputError
from jsna.methods import compare_to_benchmark, fdr


def naive_bh(p):
    """Benjamini–Hochberg by its definition, O(m^2): q_i = min over p_j >= p_i of p_j m / rank_j."""
    present = [(v, i) for i, v in enumerate(p) if v == v]
    ranked = sorted(present)
    m = len(ranked)
    q = [float("nan")] * len(p)
    for position, (_value, index) in enumerate(ranked):
        q[index] = min(1.0, min(ranked[j][0] * m / (j + 1) for j in range(position, m)))
    return q


def test_fdr_matches_definition_on_benjamini_hochberg_1995_example():
    # the 15 p-values of Benjamini & Hochberg (1995), section 4
    p = [
        0.0001,
        0.0004,
        0.0019,
        0.0095,
        0.0201,
        0.0278,
        0.0298,
        0.0344,
        0.0459,
        0.3240,
        0.4262,
        0.5719,
        0.6528,
        0.7590,
        1.000,
    ]
    q = fdr(np.array(p))
    np.testing.assert_allclose(q, naive_bh(p), rtol=1e-12)
    # the paper rejects the first four hypotheses at FDR 0.05
    assert (q <= 0.05).sum() == 4


def test_fdr_keeps_type_order_and_missing():
    p = [0.04, float("nan"), 0.01, 0.03, 0.2]
    series = pd.Series(p, index=[10, 11, 12, 13, 14], name="p_value")
    out = fdr(series)
    assert isinstance(out, pd.Series) and out.name == "p_value"
    assert out.index.tolist() == [10, 11, 12, 13, 14]
    np.testing.assert_allclose(out.to_numpy(), naive_bh(p), rtol=1e-12)
    polars_out = fdr(pl.Series("p", [0.04, None, 0.01, 0.03, 0.2]))
    assert isinstance(polars_out, pl.Series) and polars_out.null_count() == 1
    np.testing.assert_allclose(fdr(p), naive_bh(p), rtol=1e-12)
    with pytest.raises(InputError, match=r"row 2: value 1.5"):
        fdr([0.1, 1.5])


@pytest.mark.parametrize(
    ("polarity", "labels"),
    [
        ("no_judgement", ["Higher", "Similar", "Lower", "Not compared"]),
        ("higher_is_better", ["Better", "Similar", "Worse", "Not compared"]),
        ("lower_is_better", ["Worse", "Similar", "Better", "Not compared"]),
    ],
)
def test_compare_to_benchmark_fingertips_convention(polarity, labels):
    data = pd.DataFrame(
        {
            "value": [12.0, 10.5, 8.0, np.nan],
            "lower_95": [10.5, 9.0, 7.0, np.nan],
            "upper_95": [13.5, 12.0, 9.5, np.nan],
        }
    )
    out = compare_to_benchmark(data, "value", "lower_95", "upper_95", 10.0, polarity=polarity)
    assert out["significance"].tolist() == labels


def test_compare_to_benchmark_column_and_998_limits():
    data = pl.DataFrame(
        {
            "v": [12.0, 12.0],
            "l95": [10.5, 10.5],
            "u95": [13.5, 13.5],
            "l998": [9.5, 10.2],
            "u998": [14.5, 14.0],
            "bench": [10.0, 10.0],
        }
    )
    out = compare_to_benchmark(data, "v", "l95", "u95", "bench", lower_998="l998", upper_998="u998")
    assert isinstance(out, pl.DataFrame)
    assert out["significance"].to_list() == ["Higher", "Higher"]
    assert out["significance_998"].to_list() == ["Similar", "Higher"]
    with pytest.raises(InputError, match="polarity"):
        compare_to_benchmark(data, "v", "l95", "u95", 1.0, polarity="up")
    with pytest.raises(InputError, match="both"):
        compare_to_benchmark(data, "v", "l95", "u95", 1.0, lower_998="l998")
