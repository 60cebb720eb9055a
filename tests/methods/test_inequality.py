"""Tests for jsna.methods.inequality (WHO HEAT summary measures).

Every expected value is worked out here from the published formula (HEAT
technical notes; Schlotheuber & Hosseinpoor 2022) with the intermediate
numbers in comments, or comes from an independent route (statsmodels GLM,
numpy.polyfit, numerical differentiation), or from a published property.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import polars as pl
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from jsna.errors import InputError
from jsna.methods.inequality import (
    NON_ORDERED_MEASURES,
    ORDERED_MEASURES,
    _Subgroups,
    _truncated_draws,
    inequality_measures,
)

Z = stats.norm.ppf(0.975)

# The worked example: three ethnic groups, percentages (scale 100).
#   y   = 10, 20, 40        population = 100, 200, 100  → shares p = .25, .5, .25
#   se  =  1,  2,  2
#   μ   = .25·10 + .5·20 + .25·40 = 22.5
#   y-μ = -12.5, -2.5, 17.5   (y-μ)² = 156.25, 6.25, 306.25
THREE = pd.DataFrame(
    {"group": ["A", "B", "C"], "y": [10.0, 20, 40], "pop": [100.0, 200, 100], "se": [1.0, 2, 2]}
)


def _by_measure(frame: pd.DataFrame) -> dict[str, pd.Series]:
    return {row["measure"]: row for _, row in frame.iterrows()}


@pytest.fixture(scope="module")
def three() -> dict[str, pd.Series]:
    return _by_measure(inequality_measures(THREE, "group", "y", "pop", se="se"))


def test_non_ordered_measures_hand_computed(three: dict[str, pd.Series]) -> None:
    expected = {
        "D": 40 - 10,  # highest - lowest (no reference)
        "R": 40 / 10,
        "BGV": 0.25 * 156.25 + 0.5 * 6.25 + 0.25 * 306.25,  # = 118.75
        "BGSD": math.sqrt(118.75),
        "COV": math.sqrt(118.75) / 22.5 * 100,
        "MDMU": (12.5 + 2.5 + 17.5) / 3,  # = 10.8333
        "MDMW": 0.25 * 12.5 + 0.5 * 2.5 + 0.25 * 17.5,  # = 8.75
        "MDBU": (30 + 20 + 0) / 3,  # best (favourable) = C, 40
        "MDBW": 0.25 * 30 + 0.5 * 20 + 0.25 * 0,  # = 17.5
        "IDISU": (32.5 / 3) / 22.5 * 100,
        "IDISW": 8.75 / 22.5 * 100,
        # r = y/μ = 4/9, 8/9, 16/9
        "TI": 1000
        * (
            0.25 * (4 / 9) * math.log(4 / 9)
            + 0.5 * (8 / 9) * math.log(8 / 9)
            + 0.25 * (16 / 9) * math.log(16 / 9)
        ),
        "MLD": 1000 * (0.25 * -math.log(4 / 9) + 0.5 * -math.log(8 / 9) + 0.25 * -math.log(16 / 9)),
        "PAR": 40 - 22.5,  # best subgroup C minus the setting mean
        "PAF": (40 - 22.5) / 22.5 * 100,
    }
    for code, value in expected.items():
        assert three[code]["value"] == pytest.approx(value, rel=1e-12), code
    assert three["BGV"]["value"] == pytest.approx(118.75, rel=1e-12)
    # -0.0901034 - 0.0523480 + 0.2557174 = 0.1132660 (× 1000)
    assert three["TI"]["value"] == pytest.approx(113.266, abs=1e-3)
    for code in ("D", "R", "MDBU", "MDBW", "PAF", "PAR"):
        assert three[code]["reference"] == "C", code


def test_every_row_states_what_it_is(three: dict[str, pd.Series]) -> None:
    assert list(three) == list(NON_ORDERED_MEASURES)
    kinds = {code: row["kind"] for code, row in three.items()}
    assert kinds["D"] == kinds["BGV"] == kinds["PAR"] == "absolute"
    assert kinds["R"] == kinds["TI"] == kinds["PAF"] == kinds["IDISW"] == "relative"
    assert not three["MDMU"]["weighted"] and three["MDMW"]["weighted"]
    assert all(isinstance(row["method"], str) and row["method"] for row in three.values())
    assert "simulations" in three["BGSD"]["method"]


def test_difference_and_ratio_intervals(three: dict[str, pd.Series]) -> None:
    # D = 40 - 10, SE = sqrt(2² + 1²)
    assert three["D"]["lower_95"] == pytest.approx(30 - Z * math.sqrt(5), rel=1e-12)
    assert three["D"]["upper_95"] == pytest.approx(30 + Z * math.sqrt(5), rel=1e-12)
    # R = 4: SE(log R) = sqrt((se1² + R² se2²) / y2²) / R = sqrt((4 + 16) / 100) / 4
    log_se = math.sqrt(0.2) / 4
    assert three["R"]["lower_95"] == pytest.approx(4 * math.exp(-Z * log_se), rel=1e-12)
    assert three["R"]["upper_95"] == pytest.approx(4 * math.exp(Z * log_se), rel=1e-12)


def test_bgv_interval_ahn_2018(three: dict[str, pd.Series]) -> None:
    # SE² = 4 Σp²se²(y-μ)² + 2[(Σp²se²)² - Σp⁴se⁴ + Σp²(1-p)²se⁴]
    p, se, dev = np.array([0.25, 0.5, 0.25]), np.array([1.0, 2, 2]), np.array([-12.5, -2.5, 17.5])
    term1 = 0.0625 * 1 * 156.25 + 0.25 * 4 * 6.25 + 0.0625 * 4 * 306.25  # Σp²se²(y-μ)²
    assert term1 == pytest.approx(np.sum(p**2 * se**2 * dev**2))
    s2 = 0.0625 * 1 + 0.25 * 4 + 0.0625 * 4  # = 1.3125
    s4 = 0.25**4 * 1 + 0.5**4 * 16 + 0.25**4 * 16
    mixed = 0.0625 * 0.5625 * 1 + 0.25 * 0.25 * 16 + 0.0625 * 0.5625 * 16
    se_bgv = math.sqrt(4 * term1 + 2 * (s2**2 - s4 + mixed))
    assert three["BGV"]["lower_95"] == pytest.approx(118.75 - Z * se_bgv, rel=1e-12)
    assert three["BGV"]["upper_95"] == pytest.approx(118.75 + Z * se_bgv, rel=1e-12)


@pytest.mark.parametrize("code", ["TI", "MLD"])
def test_theil_and_mld_delta_method_by_numerical_gradient(
    three: dict[str, pd.Series], code: str
) -> None:
    p, se = np.array([0.25, 0.5, 0.25]), np.array([1.0, 2, 2])

    def index(y: np.ndarray) -> float:
        r = y / np.sum(p * y)
        return 1000 * float(np.sum(p * r * np.log(r)) if code == "TI" else np.sum(-p * np.log(r)))

    y = np.array([10.0, 20, 40])
    h = 1e-5
    gradient = [(index(y + h * e) - index(y - h * e)) / (2 * h) for e in np.eye(3)]
    se_index = math.sqrt(sum((g * s) ** 2 for g, s in zip(gradient, se, strict=True)))
    value = three[code]["value"]
    assert three[code]["lower_95"] == pytest.approx(value - Z * se_index, rel=1e-6)
    assert three[code]["upper_95"] == pytest.approx(value + Z * se_index, rel=1e-6)


def test_paf_par_interval_walter_1978(three: dict[str, pd.Series]) -> None:
    # Reference C: 40% of 100 → c = 40 events, d = 60; whole population
    # N = 400 with 22.5% → 90 events, so a = 90 - 40 = 50, b = 400 - 50 - 100 = 250.
    a, b, c, d, n = 50, 250, 40, 60, 400
    variance = c * n * (a * d * (n - c) + b * c**2) / ((a + c) ** 3 * (c + d) ** 3)
    assert variance == pytest.approx(16000 * 1_480_000 / (90**3 * 100**3))
    paf, par = 17.5 / 22.5 * 100, 17.5
    assert three["PAF"]["lower_95"] == pytest.approx(paf - Z * 100 * math.sqrt(variance))
    assert three["PAR"]["upper_95"] == pytest.approx(par + Z * 22.5 * math.sqrt(variance))


def test_reference_group_measures() -> None:
    out = _by_measure(inequality_measures(THREE, "group", "y", "pop", se="se", reference="B"))
    # Favourable with reference B (20): D = y_ref - lowest = 20 - 10, R = 2.
    assert out["D"]["value"] == pytest.approx(10)
    assert out["R"]["value"] == pytest.approx(2)
    assert out["MDRU"]["value"] == pytest.approx((10 + 0 + 20) / 3)
    assert out["MDRW"]["value"] == pytest.approx(0.25 * 10 + 0.5 * 0 + 0.25 * 20)
    # The reference (20) is worse than the mean (22.5): PAR is set to 0 (HEAT).
    assert out["PAR"]["value"] == 0 and out["PAF"]["value"] == 0
    assert {out[c]["reference"] for c in ("D", "R", "MDRU", "MDRW", "PAR")} == {"B"}
    adverse = _by_measure(
        inequality_measures(THREE, "group", "y", "pop", se="se", reference="B", favourable=False)
    )
    # Adverse: D = highest - reference = 40 - 20, best subgroup is the lowest (A).
    assert adverse["D"]["value"] == pytest.approx(20)
    assert adverse["MDBU"]["value"] == pytest.approx((0 + 10 + 30) / 3)
    assert adverse["MDBU"]["reference"] == "A"


def test_no_reference_flags_mdr(three: dict[str, pd.Series]) -> None:
    for code in ("MDRU", "MDRW"):
        assert np.isnan(three[code]["value"])
        assert "reference" in three[code]["flag"]


QUINTILES = pd.DataFrame(
    {
        "quintile": [f"{i} (most deprived)" if i == 1 else str(i) for i in range(1, 6)],
        "y": [30.0, 25, 20, 15, 10],
        "pop": 1000.0,
        "se": 1.0,
    }
)


def test_ordered_measures_hand_computed() -> None:
    out = _by_measure(
        inequality_measures(
            QUINTILES.iloc[::-1], "quintile", "y", "pop", se="se", ordered=True, favourable=False
        )
    )
    assert list(out) == list(ORDERED_MEASURES)
    # Equal shares .2, ranks .1 .3 .5 .7 .9, μ = 20.
    # ACI = 2 Σ p (r - .5) y = .4 (-.4·30 - .2·25 + 0 + .2·15 + .4·10) = -4
    assert out["ACI"]["value"] == pytest.approx(-4, rel=1e-12)
    assert out["RCI"]["value"] == pytest.approx(-4 / 20, rel=1e-12)
    # Adverse, ordered: D = most deprived - least deprived = 30 - 10; R = 3.
    assert out["D"]["value"] == pytest.approx(20)
    assert out["R"]["value"] == pytest.approx(3)
    assert out["D"]["reference"] == "5"
    # PAR = least deprived - mean = 10 - 20 (better, so kept); PAF = -50%.
    assert out["PAR"]["value"] == pytest.approx(-10)
    assert out["PAF"]["value"] == pytest.approx(-50)


def test_concentration_index_se_against_polyfit() -> None:
    pop = np.array([800.0, 1500, 1200, 900, 1100])
    y = np.array([31.0, 24, 22, 14, 12])
    frame = pd.DataFrame({"q": [1, 2, 3, 4, 5], "y": y, "pop": pop})
    out = _by_measure(
        inequality_measures(frame, "q", "y", "pop", ordered=True, order="q", measures=["ACI"])
    )
    share = pop / pop.sum()
    rank = np.cumsum(share) - share / 2
    sigma2 = np.sum(share * (rank - 0.5) ** 2)
    # Weighted regression of 2σ²y on rank (weights = population), covariance
    # scaled by the residual variance on n - 2 degrees of freedom.
    coef, cov = np.polyfit(rank, 2 * sigma2 * y, 1, w=np.sqrt(pop), cov=True)
    assert out["ACI"]["value"] == pytest.approx(coef[0], rel=1e-10)
    assert out["ACI"]["value"] == pytest.approx(2 * np.sum(share * (rank - 0.5) * y), rel=1e-10)
    half_width = (out["ACI"]["upper_95"] - out["ACI"]["lower_95"]) / 2
    assert half_width == pytest.approx(Z * math.sqrt(cov[0, 0]), rel=1e-8)


def test_sii_rii_against_statsmodels_glm() -> None:
    pop = np.array([1000.0, 1200, 1100, 900, 1000])
    y = np.array([30.0, 25, 20, 15, 10])
    frame = pd.DataFrame({"q": [1, 2, 3, 4, 5], "y": y, "pop": pop})
    out = _by_measure(
        inequality_measures(frame, "q", "y", "pop", ordered=True, measures=["SII", "RII"])
    )
    events = np.round(y / 100 * pop)
    share = pop / pop.sum()
    rank = np.cumsum(share) - share / 2
    design = sm.add_constant(rank)
    # R's glm(cbind(y, n - y) ~ rank, weights = n): prior weights n·n on y/n.
    fit = sm.GLM(events / pop, design, family=sm.families.Binomial(), var_weights=pop * pop).fit(
        cov_type="HC0"
    )
    vcov = fit.cov_params() * 5 / (5 - 2)  # sandwich's HC1 = HC0 · n / (n - k)
    b0, b1 = fit.params
    p0, p1 = 1 / (1 + math.exp(-b0)), 1 / (1 + math.exp(-(b0 + b1)))
    jac_sii = np.array([p1 * (1 - p1) - p0 * (1 - p0), p1 * (1 - p1)])
    se_sii = 100 * math.sqrt(jac_sii @ vcov @ jac_sii)
    assert out["SII"]["value"] == pytest.approx(100 * (p1 - p0), rel=1e-9)
    assert out["SII"]["upper_95"] == pytest.approx(100 * (p1 - p0) + Z * se_sii, rel=1e-7)
    jac_rii = np.array([p0 - p1, 1 - p1])
    se_log = math.sqrt(jac_rii @ vcov @ jac_rii)
    assert out["RII"]["value"] == pytest.approx(p1 / p0, rel=1e-9)
    assert out["RII"]["lower_95"] == pytest.approx(p1 / p0 * math.exp(-Z * se_log), rel=1e-7)


def test_sii_rii_exact_logistic_gradient() -> None:
    # Proportions exactly on logit(π) = -1 + 2·rank: the fit is exact, so
    # SII = 100·(expit(1) - expit(-1)) and RII = expit(1)/expit(-1) = e.
    rank = np.array([0.1, 0.3, 0.5, 0.7, 0.9])
    pi = 1 / (1 + np.exp(-(-1 + 2 * rank)))
    frame = pd.DataFrame({"q": [1, 2, 3, 4, 5], "y": 100 * pi, "pop": 1e6})
    out = _by_measure(
        inequality_measures(frame, "q", "y", "pop", ordered=True, measures=["SII", "RII"])
    )
    expit = lambda t: 1 / (1 + math.exp(-t))  # noqa: E731
    assert out["SII"]["value"] == pytest.approx(100 * (expit(1) - expit(-1)), rel=1e-5)
    assert out["RII"]["value"] == pytest.approx(math.e, rel=1e-5)


def test_sii_needs_proportion_scale() -> None:
    frame = QUINTILES.assign(y=[76.0, 78, 79, 81, 83])
    out = _by_measure(inequality_measures(frame, "quintile", "y", "pop", ordered=True, scale=1))
    assert np.isnan(out["SII"]["value"]) and "between 0 and 1" in out["SII"]["flag"]
    assert out["ACI"]["value"] > 0  # the other measures are still computed


def test_simulated_interval_width_matches_delta_method() -> None:
    # With SEs small against the gaps, MDMW = Σ p|y - μ| is locally linear:
    # ∂/∂y_j = p_j·sign(y_j - μ) - p_j·Σ_k p_k sign(y_k - μ). Its 95% width is
    # 2·1.96·σ. One run's width (100 draws) has ~10% Monte Carlo error;
    # averaged over 20 seeds ~2%: allow 8%.
    y, pop, se = np.array([10.0, 20, 40]), np.array([100.0, 200, 100]), np.array([0.5, 0.4, 0.6])
    p = pop / pop.sum()
    sign = np.sign(y - np.sum(p * y))
    gradient = p * sign - p * np.sum(p * sign)
    sigma = math.sqrt(np.sum(gradient**2 * se**2))
    frame = pd.DataFrame({"g": ["A", "B", "C"], "y": y, "pop": pop, "se": se})
    widths = []
    for seed in range(20):
        row = inequality_measures(frame, "g", "y", "pop", se="se", measures=["MDMW"], seed=seed)
        widths.append(float(row["upper_95"].iloc[0] - row["lower_95"].iloc[0]))
    assert np.mean(widths) == pytest.approx(2 * Z * sigma, rel=0.08)


def test_truncated_draws_stay_in_range() -> None:
    sub = _Subgroups(
        labels=["A", "B"], y=np.array([99.0, 1.0]), se=np.array([20.0, 20.0]),
        pop=np.ones(2), n_expected=2, missing=[],
    )  # fmt: skip
    draws = _truncated_draws(sub, 100, np.random.default_rng(1))
    assert draws.shape == (100, 2)
    assert draws.min() >= 0 and draws.max() <= 100
    per_1000 = _truncated_draws(sub, 1000, np.random.default_rng(1))
    assert per_1000.min() >= 0 and per_1000.max() > 100  # only ≥ 0 off the % scale


def test_simulated_intervals_reproducible() -> None:
    first = inequality_measures(THREE, "group", "y", "pop", se="se", seed=5)
    again = inequality_measures(THREE, "group", "y", "pop", se="se", seed=5)
    pd.testing.assert_frame_equal(first, again)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(0.5, 99.5), min_size=3, max_size=8),
    st.lists(st.floats(10, 10_000), min_size=8, max_size=8),
)
def test_theil_and_mld_are_never_negative(values: list[float], pops: list[float]) -> None:
    k = len(values)
    frame = pd.DataFrame({"g": [f"g{i}" for i in range(k)], "y": values, "pop": pops[:k]})
    out = _by_measure(inequality_measures(frame, "g", "y", "pop", measures=["TI", "MLD"]))
    assert out["TI"]["value"] >= -1e-9 and out["MLD"]["value"] >= -1e-9


def test_all_equal_means_no_inequality() -> None:
    frame = pd.DataFrame({"g": list("ABCD"), "y": 42.0, "pop": [10.0, 20, 30, 40], "se": 1.0})
    out = _by_measure(inequality_measures(frame, "g", "y", "pop", se="se"))
    for code in ("D", "BGV", "BGSD", "COV", "MDMU", "MDMW", "MDBU", "MDBW", "IDISU", "IDISW",
                 "TI", "MLD", "PAF", "PAR"):  # fmt: skip
        assert out[code]["value"] == pytest.approx(0, abs=1e-12), code
    assert out["R"]["value"] == pytest.approx(1)


@pytest.mark.parametrize(
    ("values", "sign"), [([10.0, 12, 15, 19, 24], 1), ([24.0, 19, 15, 12, 10], -1)]
)
def test_concentration_index_sign_follows_gradient(values: list[float], sign: int) -> None:
    frame = pd.DataFrame({"q": [1, 2, 3, 4, 5], "y": values, "pop": [5.0, 3, 4, 6, 2]})
    out = _by_measure(inequality_measures(frame, "q", "y", "pop", ordered=True))
    assert np.sign(out["ACI"]["value"]) == sign
    assert np.sign(out["RCI"]["value"]) == sign
    assert np.sign(out["SII"]["value"]) == sign


def test_insufficient_subgroups_flagged_not_raised() -> None:
    # 7 subgroups over two wards; ward W2 has estimates for 5 of 7 (71% < 85%).
    labels = list("ABCDEFG")
    frame = pd.DataFrame(
        {
            "ward": ["W1"] * 7 + ["W2"] * 7,
            "g": labels * 2,
            "y": [*[10.0, 12, 14, 16, 18, 20, 22], *[10.0, np.nan, 14, np.nan, 18, 20, 22]],
            "pop": 100.0,
            "se": 1.0,
        }
    )
    out = inequality_measures(frame, "g", "y", "pop", se="se", by="ward", measures=["BGV", "D"])
    w1, w2 = out[out["ward"] == "W1"], out[out["ward"] == "W2"]
    assert w1["value"].notna().all() and w1["flag"].isna().all()
    assert w2["value"].isna().all()
    assert w2["flag"].str.contains("5 of 7").all()
    # 6 of 7 (86%) is enough, and the flag names the subgroup left out.
    frame.loc[frame["ward"].eq("W2") & frame["g"].eq("B"), "y"] = 12.0
    row = _by_measure(
        inequality_measures(frame[frame["ward"] == "W2"], "g", "y", "pop", measures=["BGV"])
    )["BGV"]
    assert np.isfinite(row["value"]) and "without D" in row["flag"]


def test_ordered_measures_need_every_quintile() -> None:
    frame = QUINTILES.assign(y=[30.0, 25, np.nan, 15, 10])
    out = _by_measure(inequality_measures(frame, "quintile", "y", "pop", ordered=True))
    assert np.isnan(out["ACI"]["value"]) and "needs every subgroup" in out["ACI"]["flag"]


def test_ordered_decile_missing_flags_every_measure() -> None:
    # 9 of 10 deciles is above HEAT's 85%, but ordered measures need the
    # extremes and every rank: nothing is computed, each row says why.
    frame = pd.DataFrame({"d": range(1, 11), "y": np.linspace(30, 12, 10), "pop": 100.0})
    frame.loc[0, "y"] = np.nan
    out = inequality_measures(frame, "d", "y", "pop", ordered=True, order="d")
    assert out["value"].isna().all()
    assert out["flag"].str.contains("missing 1").all()


def test_two_subgroups_give_simple_measures_only() -> None:
    out = _by_measure(inequality_measures(THREE.iloc[:2], "group", "y", "pop", se="se"))
    assert out["D"]["value"] == pytest.approx(10)
    assert np.isnan(out["BGV"]["value"]) and "more than two" in out["BGV"]["flag"]


def test_reference_without_estimate_is_flagged() -> None:
    # 6 of 7 subgroups (86%) pass HEAT's rule, but the one missing is the reference.
    y = [10.0, 20, 40, 30, 25, 35, 15]
    frame = pd.DataFrame(
        {"ward": ["W1"] * 7 + ["W2"] * 7, "group": list("ABCDEFG") * 2,
         "y": [*y, 10.0, np.nan, *y[2:]], "pop": 100.0}
    )  # fmt: skip
    out = inequality_measures(frame, "group", "y", "pop", reference="B", by="ward", measures=["D"])
    assert out["value"].iloc[0] == pytest.approx(20 - 10)  # reference B - lowest A
    assert np.isnan(out["value"].iloc[1]) and "reference subgroup B" in out["flag"].iloc[1]


def test_ratio_with_zero_denominator_is_flagged() -> None:
    frame = THREE.assign(y=[0.0, 20, 40])
    out = _by_measure(inequality_measures(frame, "group", "y", "pop", measures=["R"]))
    assert np.isnan(out["R"]["value"]) and "zero" in out["R"]["flag"]


def test_all_zero_estimates_flag_relative_measures() -> None:
    frame = pd.DataFrame({"g": list("ABC"), "y": 0.0, "pop": 100.0})
    out = _by_measure(inequality_measures(frame, "g", "y", "pop"))
    assert np.isnan(out["COV"]["value"]) and "zero" in out["COV"]["flag"]
    assert out["BGV"]["value"] == 0


def test_missing_standard_errors_give_value_without_interval() -> None:
    out = _by_measure(inequality_measures(THREE, "group", "y", "pop", measures=["D", "BGSD"]))
    assert out["D"]["value"] == pytest.approx(30)
    assert np.isnan(out["D"]["lower_95"]) and "standard errors missing" in out["D"]["flag"]
    assert np.isnan(out["BGSD"]["upper_95"])


def test_confidence_limits_give_standard_errors() -> None:
    frame = THREE.assign(lo=THREE["y"] - Z * THREE["se"], hi=THREE["y"] + Z * THREE["se"])
    from_limits = inequality_measures(frame, "group", "y", "pop", lower="lo", upper="hi")
    from_se = inequality_measures(THREE, "group", "y", "pop", se="se")
    np.testing.assert_allclose(from_limits["lower_95"], from_se["lower_95"], rtol=1e-12)


def test_polars_in_polars_out() -> None:
    out = inequality_measures(pl.from_pandas(THREE), "group", "y", "pop", se="se")
    assert isinstance(out, pl.DataFrame)
    expected = inequality_measures(THREE, "group", "y", "pop", se="se")
    np.testing.assert_allclose(out["value"].to_numpy(), expected["value"], equal_nan=True)


@pytest.mark.parametrize(
    ("frame", "kwargs", "column", "row", "fragment"),
    [
        (THREE.assign(y=[10.0, -1, 40]), {}, "y", 2, "at least 0"),
        (THREE.assign(y=[10.0, 20, 140]), {}, "y", 3, "cannot exceed 100"),
        (THREE.assign(pop=[100.0, 0, 100]), {}, "pop", 2, "population above 0"),
        (THREE.assign(group=["A", "A", "C"]), {}, "group", 2, "twice"),
        (THREE, {"reference": "Z"}, "group", None, "not among the labels"),
        (THREE, {"ordered": True}, "group", 1, "order="),
        (THREE, {"measures": ["GINI"]}, "measures", None, "unknown measure"),
        (THREE, {"measures": ["ACI"]}, "measures", None, "does not apply"),
        (THREE, {"measures": []}, "measures", None, "no measures"),
        (THREE.assign(group=["1", "2", "01"]), {"ordered": True}, "group", 3, "order number"),
    ],
)
def test_bad_input_raises(
    frame: pd.DataFrame, kwargs: dict, column: str, row: int | None, fragment: str
) -> None:
    with pytest.raises(InputError) as caught:
        inequality_measures(frame, "group", "y", "pop", **kwargs)
    assert caught.value.column == column
    assert caught.value.row == row
    assert fragment in str(caught.value)
