"""Benjamini–Hochberg across the whole scan, significance, and people to close a gap."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from scipy.stats import norm

from jsna.equity import analyse

Z = norm.ppf(0.975)


def _group(make_row, indicator, category, p, ratio):
    """A group whose engine comparison with White British has the given p-value and ratio."""
    return make_row(indicator, "ethnicity_19", category, numerator=500, denominator=5_000,
                    value=10.0 * ratio, lower_95=9.0 * ratio, upper_95=11.0 * ratio,
                    comparator="White British", ratio_to_comparator=ratio,
                    ratio_lower_95=ratio * 0.9, ratio_upper_95=ratio * 1.1, p_value=p)


def test_benjamini_hochberg_over_the_whole_scan(make_row, make_table, config):
    reference = {"numerator": 1_000, "denominator": 10_000, "value": 10.0, "lower_95": 9.4,
                 "upper_95": 10.6}
    rows = [
        make_row("ltc_hypertension", "ethnicity_19", "White British", **reference),
        make_row("flu_65", "ethnicity_19", "White British", **reference),
        _group(make_row, "ltc_hypertension", "Bangladeshi", 0.01, 1.3),
        _group(make_row, "ltc_hypertension", "Indian", 0.045, 1.3),
        _group(make_row, "ltc_hypertension", "Pakistani", 0.036, 1.3),
        _group(make_row, "flu_65", "Black African", 0.005, 1.3),
        _group(make_row, "flu_65", "Chinese", 0.5, 1.3),
    ]
    findings = analyse(make_table(rows), config=config).findings
    q = dict(zip(findings["category"], findings["q_value"], strict=True))
    # By hand: sorted p 0.005, 0.01, 0.036, 0.045, 0.5 (m = 5); p*m/rank = 0.025, 0.025,
    # 0.06, 0.05625, 0.5; the running minimum from the largest down lowers 0.06 to 0.05625.
    assert q == pytest.approx(
        {"Black African": 0.025, "Bangladeshi": 0.025, "Pakistani": 0.05625,
         "Indian": 0.05625, "Chinese": 0.5})
    significant = dict(zip(findings["category"], findings["significant"], strict=True))
    # p = 0.036 and 0.045 are below 0.05 but not after the correction
    assert significant == {"Black African": True, "Bangladeshi": True, "Pakistani": False,
                           "Indian": False, "Chinese": False}


def test_people_to_close_an_uptake_gap(make_row, make_table, config):
    rows = [
        make_row("flu_65", "ethnicity_19", "White British", numerator=1_400, denominator=2_000,
                 value=70.0, lower_95=67.9, upper_95=72.0),
        make_row("flu_65", "ethnicity_19", "Black African", numerator=270, denominator=600,
                 value=45.0, lower_95=41.1, upper_95=49.0),
        make_row("flu_65", "ethnicity_19", "Indian", numerator=600, denominator=800,
                 value=75.0, lower_95=71.9, upper_95=77.9),
        make_row("ltc_hypertension", "ethnicity_19", "White British", numerator=800,
                 denominator=10_000, value=8.0, lower_95=7.5, upper_95=8.5),
        make_row("ltc_hypertension", "ethnicity_19", "Black African", numerator=300,
                 denominator=2_000, value=15.0, lower_95=13.5, upper_95=16.6),
    ]
    findings = analyse(make_table(rows), config=config).findings
    african = findings[(findings["indicator_id"] == "flu_65")
                       & (findings["category"] == "Black African")].iloc[0]
    # (70 - 45)% of 600 people; CI from the difference's CI (SEs from the two rate CIs)
    se = math.hypot((49.0 - 41.1) / (2 * Z), (72.0 - 67.9) / (2 * Z))
    assert african["people_to_close_gap"] == pytest.approx(0.25 * 600)
    assert african["people_to_close_gap_lower_95"] == round((25 - Z * se) / 100 * 600)
    assert african["people_to_close_gap_upper_95"] == round((25 + Z * se) / 100 * 600)
    assert african["people_affected"] == 600
    assert african["crude_value"] == 45.0 and african["comparator_value"] == 70.0
    indian = findings[findings["category"] == "Indian"].iloc[0]
    assert indian["people_to_close_gap"] == 0.0  # uptake already above the reference
    prevalence = findings[findings["indicator_id"] == "ltc_hypertension"].iloc[0]
    assert math.isnan(prevalence["people_to_close_gap"])  # not an uptake indicator


def test_ranking_is_size_times_certainty_times_people(make_row, make_table, config):
    rows = [make_row("ltc_hypertension", "ethnicity_19", "White British", numerator=1_000,
                     denominator=10_000, value=10.0, lower_95=9.4, upper_95=10.6)]
    # (category, ratio, p, denominator)
    groups = [("Bangladeshi", 4.0, 1e-12, 990), ("Indian", 1.5, 1e-12, 99_990),
              ("Pakistani", 2.0, 1e-12, 9_990), ("Chinese", 1.1, 0.2, 990)]
    for category, ratio, p, denominator in groups:
        rows.append(make_row("ltc_hypertension", "ethnicity_19", category, numerator=200,
                             denominator=denominator, value=10 * ratio,
                             lower_95=9 * ratio, upper_95=11 * ratio,
                             comparator="White British", ratio_to_comparator=ratio,
                             ratio_lower_95=ratio * 0.95, ratio_upper_95=ratio * 1.05,
                             p_value=p))
    result = analyse(make_table(rows), config=config).findings
    # Scores by hand: |ln r| x (1 - q) x log10(10 + people); q = 4e-12 or 3e-12 ≈ 0, and
    # q for Chinese is 0.2 (the largest p keeps its value).
    expected = {
        "Bangladeshi": math.log(4.0) * 3.0,    # log10(1000) = 3
        "Indian": math.log(1.5) * 5.0,         # log10(100000) = 5
        "Pakistani": math.log(2.0) * 4.0,      # log10(10000) = 4
        "Chinese": math.log(1.1) * 0.8 * 3.0,  # 1 - q = 0.8
    }
    assert dict(zip(result["category"], result["score"], strict=True)) == pytest.approx(
        expected, rel=1e-9)
    assert list(result["category"]) == ["Bangladeshi", "Pakistani", "Indian", "Chinese"]
    assert list(result["rank"]) == [1, 2, 3, 4]


def test_age_bands_and_population_shares_are_listed_not_ranked(make_row, make_table, config):
    reference = {"numerator": 1_000, "denominator": 10_000, "value": 10.0, "lower_95": 9.4,
                 "upper_95": 10.6}
    rows = [
        make_row("ltc_hypertension", "all", "All", **reference),
        make_row("ltc_hypertension", "age_band", "85-89", numerator=600, denominator=1_000,
                 value=60.0, lower_95=56.9, upper_95=63.0),
        make_row("ltc_hypertension", "ward", "Westbourne", numerator=300, denominator=2_000,
                 value=15.0, lower_95=13.5, upper_95=16.6),
        make_row("ltc_hypertension", "ward", "Abbey Road", numerator=3, denominator=20,
                 value=15.0, lower_95=5.2, upper_95=36.0),
        make_row("flu_65", "all", "All", **reference),
        make_row("flu_65", "main_language", "Arabic", numerator=50, denominator=1_000,
                 value=5.0, lower_95=3.8, upper_95=6.5, domain="population"),
    ]
    findings = analyse(make_table(rows), config=config).findings
    order = list(zip(findings["category"], findings["score"].notna(), findings["published"],
                     strict=True))
    # scored first; then published but unranked (population share, age band: in the order
    # of their ids, flu_65 before ltc_hypertension); then unpublished
    assert order == [("Westbourne", True, True), ("Arabic", False, True),
                     ("85-89", False, True), ("Abbey Road", False, False)]


def test_groups_defined_by_a_missing_record_are_listed_not_ranked(make_row, make_table, config):
    # "Not stated" ethnicity and an unknown neighbourhood (also inside an intersection)
    # have the largest ratios here, yet they describe record keeping, so only the
    # Bangladeshi comparisons are scored.
    reference = {"numerator": 1_000, "denominator": 10_000, "value": 10.0, "lower_95": 9.4,
                 "upper_95": 10.6}
    rows = [
        make_row("ltc_hypertension", "ethnicity_19", "White British", **reference),
        _group(make_row, "ltc_hypertension", "Not stated", 0.001, 3.0),
        _group(make_row, "ltc_hypertension", "Bangladeshi", 0.001, 1.5),
        make_row("ltc_hypertension", "ethnicity_5×imd_quintile", "White × Unknown",
                 **reference),
        make_row("ltc_hypertension", "ethnicity_5×imd_quintile", "White × 1 (most deprived)",
                 **reference),
        make_row("ltc_hypertension", "ethnicity_5×imd_quintile", "Asian × Unknown",
                 numerator=500, denominator=2_000, value=25.0, lower_95=23.2, upper_95=26.9),
        make_row("ltc_hypertension", "ethnicity_5×imd_quintile", "Asian × 1 (most deprived)",
                 numerator=300, denominator=2_000, value=15.0, lower_95=13.5, upper_95=16.6),
    ]
    findings = analyse(make_table(rows), config=config).findings.set_index("category")
    assert findings["published"].all()
    scored = set(findings.index[findings["score"].notna()])
    assert scored == {"Bangladeshi", "Asian × 1 (most deprived)"}
    assert findings.loc["Not stated", "ratio"] == pytest.approx(3.0)  # still compared
    assert findings.loc["Not stated", "rank"] > findings.loc["Bangladeshi", "rank"]

    everything = analyse(make_table(rows), config=replace(config, unranked_categories=()))
    assert everything.findings["score"].notna().sum() == 4
