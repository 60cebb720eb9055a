"""Each group against its reference: ratios, differences and where they come from."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import norm

from jsna.equity import EquityConfig, analyse
from jsna.equity.comparison import reference_cell

Z = norm.ppf(0.975)


def _ratio_by_hand(v, lo, hi, rv, rlo, rhi):
    """Log ratio with standard errors recovered from the two 95% CIs (Altman & Bland 2011)."""
    se = math.sqrt(((math.log(hi) - math.log(lo)) / (2 * Z)) ** 2
                   + ((math.log(rhi) - math.log(rlo)) / (2 * Z)) ** 2)
    centre = math.log(v / rv)
    return math.exp(centre), math.exp(centre - Z * se), math.exp(centre + Z * se), 2 * norm.sf(
        abs(centre) / se
    )


def _one(findings, **where):
    mask = np.ones(len(findings), dtype=bool)
    for column, value in where.items():
        mask &= (findings[column] == value).to_numpy()
    assert mask.sum() == 1, where
    return findings[mask].iloc[0]


def test_reference_rules():
    config = EquityConfig()
    assert reference_cell("ethnicity_19", "Bangladeshi", config) == (
        "ethnicity_19", "White British")
    assert reference_cell("ethnicity_19", "White British", config) is None
    assert reference_cell("global_majority", "Global Majority", config) == (
        "global_majority", "White")
    assert reference_cell("imd_quintile", "1 (most deprived)", config) == (
        "imd_quintile", "5 (least deprived)")
    assert reference_cell("main_language", "Arabic", config) == ("all", "All")
    assert reference_cell("ethnicity_5×sex", "Black × Female", config) == (
        "ethnicity_5×sex", "White × Female")
    # within the same quintile: the ethnic gap among equally deprived neighbours
    assert reference_cell("ethnicity_5×imd_quintile", "Black × 1 (most deprived)", config) == (
        "ethnicity_5×imd_quintile", "White × 1 (most deprived)")
    assert reference_cell("imd_quintile×ethnicity_5", "2 × Black", config) == (
        "imd_quintile×ethnicity_5", "5 (least deprived) × Black")
    assert reference_cell("sex×ward", "Male × Westbourne", config) == ("all", "All")
    assert reference_cell("ethnicity_5×sex", "White × Male", config) is None
    assert reference_cell("all", "All", config) is None
    custom = EquityConfig(references={"ethnicity_19": "White other"})
    assert reference_cell("ethnicity_19", "White British", custom) == (
        "ethnicity_19", "White other")


def test_crude_and_standardised_side_by_side(make_row, make_table, config):
    rows = [
        make_row("ltc_hypertension", "ethnicity_19", "White British", numerator=800,
                 denominator=10_000, value=8.0, lower_95=7.5, upper_95=8.5),
        make_row("ltc_hypertension", "ethnicity_19", "Bangladeshi", numerator=240,
                 denominator=2_000, value=12.0, lower_95=10.6, upper_95=13.5),
        make_row("ltc_hypertension", "ethnicity_19", "White British", age_standardised=True,
                 numerator=800, denominator=10_000, value=9.0, lower_95=8.4, upper_95=9.6),
        make_row("ltc_hypertension", "ethnicity_19", "Bangladeshi", age_standardised=True,
                 numerator=240, denominator=2_000, value=20.0, lower_95=17.5, upper_95=22.8),
    ]
    finding = _one(analyse(make_table(rows), config=config).findings, category="Bangladeshi")
    crude = _ratio_by_hand(12.0, 10.6, 13.5, 8.0, 7.5, 8.5)
    standard = _ratio_by_hand(20.0, 17.5, 22.8, 9.0, 8.4, 9.6)
    assert finding["value_type"] == "age-standardised"
    assert finding["crude_value"] == 12.0 and finding["standardised_value"] == 20.0
    assert finding["crude_comparator_value"] == 8.0
    assert finding["standardised_comparator_value"] == 9.0
    assert finding["crude_ratio"] == pytest.approx(crude[0], rel=1e-12)
    assert finding["crude_ratio_lower_95"] == pytest.approx(crude[1], rel=1e-12)
    assert finding["crude_ratio_upper_95"] == pytest.approx(crude[2], rel=1e-12)
    assert finding["standardised_ratio"] == pytest.approx(20 / 9, rel=1e-12)
    assert finding["ratio"] == pytest.approx(standard[0], rel=1e-12)
    assert finding["ratio_lower_95"] == pytest.approx(standard[1], rel=1e-12)
    assert finding["ratio_upper_95"] == pytest.approx(standard[2], rel=1e-12)
    assert finding["p_value"] == pytest.approx(standard[3], rel=1e-9)
    # difference 20 - 9 with the linear-scale standard errors from the two CIs
    se = math.hypot((22.8 - 17.5) / (2 * Z), (9.6 - 8.4) / (2 * Z))
    assert finding["difference"] == pytest.approx(11.0)
    assert finding["difference_lower_95"] == pytest.approx(11.0 - Z * se, rel=1e-12)
    assert finding["difference_upper_95"] == pytest.approx(11.0 + Z * se, rel=1e-12)
    assert finding["comparator"] == "White British"
    assert finding["comparison_method"].startswith("compare_estimates")


def test_engine_comparisons_are_used_when_the_reference_matches(make_row, make_table, config):
    rows = [
        make_row("ltc_hypertension", "ethnicity_19", "White British", numerator=800,
                 denominator=10_000, value=8.0, lower_95=7.5, upper_95=8.5),
        make_row("ltc_hypertension", "ethnicity_19", "Black Caribbean", numerator=300,
                 denominator=1_500, value=20.0, lower_95=18.0, upper_95=22.1,
                 comparator="White British", ratio_to_comparator=2.5, ratio_lower_95=2.2,
                 ratio_upper_95=2.8, difference_to_comparator=12.0,
                 difference_lower_95=10.0, difference_upper_95=14.0, p_value=1e-6),
        # compared by the engine with another reference: recomputed here
        make_row("ltc_hypertension", "ethnicity_19", "Indian", numerator=200,
                 denominator=2_000, value=10.0, lower_95=8.8, upper_95=11.4,
                 comparator="England", ratio_to_comparator=0.7, ratio_lower_95=0.6,
                 ratio_upper_95=0.8, p_value=1e-3),
    ]
    findings = analyse(make_table(rows), config=config).findings
    caribbean = _one(findings, category="Black Caribbean")
    assert (caribbean["ratio"], caribbean["ratio_lower_95"], caribbean["ratio_upper_95"]) == (
        2.5, 2.2, 2.8)
    assert caribbean["difference"] == 12.0 and caribbean["p_value"] == 1e-6
    assert caribbean["comparison_method"].startswith("compare_to_reference")
    indian = _one(findings, category="Indian")
    assert indian["ratio"] == pytest.approx(10.0 / 8.0)
    assert indian["comparison_method"].startswith("compare_estimates")


def test_wards_and_languages_are_compared_with_the_borough(make_row, make_table, config):
    rows = [
        make_row("flu_65", "all", "All", numerator=1_300, denominator=2_000, value=65.0,
                 lower_95=62.9, upper_95=67.1),
        make_row("flu_65", "ward", "Westbourne", numerator=130, denominator=260, value=50.0,
                 lower_95=43.9, upper_95=56.1),
        make_row("flu_65", "main_language", "Arabic", numerator=110, denominator=200,
                 value=55.0, lower_95=48.1, upper_95=61.7),
    ]
    findings = analyse(make_table(rows), config=config).findings
    assert set(findings["comparator"]) == {"All"}
    ward = _one(findings, category="Westbourne")
    assert ward["ratio"] == pytest.approx(50 / 65)
    assert ward["comparator_value"] == 65.0
    assert ward["comparator_dimension"] == "all"


def test_every_group_is_a_finding_significant_or_not(make_row, make_table, config):
    rows = [
        make_row("ltc_hypertension", "ethnicity_5", "White", numerator=800,
                 denominator=10_000, value=8.0, lower_95=7.5, upper_95=8.5),
        make_row("ltc_hypertension", "ethnicity_5", "Asian", numerator=410,
                 denominator=5_000, value=8.2, lower_95=7.5, upper_95=9.0),
        make_row("ltc_hypertension", "ethnicity_5", "Black", numerator=800,
                 denominator=5_000, value=16.0, lower_95=15.0, upper_95=17.0),
        make_row("ltc_hypertension", "ethnicity_5", "Not stated", numerator=90,
                 denominator=1_000, value=9.0, lower_95=7.4, upper_95=10.9),
    ]
    findings = analyse(make_table(rows), config=config).findings
    assert sorted(findings["category"]) == ["Asian", "Black", "Not stated"]
    assert dict(zip(findings["category"], findings["significant"], strict=True)) == {
        "Asian": False, "Black": True, "Not stated": False}
    assert dict(zip(findings["category"], findings["direction"], strict=True)) == {
        "Asian": "similar", "Black": "higher", "Not stated": "similar"}
