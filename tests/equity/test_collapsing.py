"""Small-number-aware collapsing: detailed group → broad group, recorded in a note."""

from __future__ import annotations

import pandas as pd
import pytest

from jsna.equity import EquityConfig, analyse

RULE = "numerator < 10 or denominator < 100 or 95% CI width > 100% of the value"
STABLE = {"numerator": 400, "denominator": 4_000, "value": 10.0, "lower_95": 9.1,
          "upper_95": 11.0}


@pytest.fixture
def rows(make_row):
    h = "ltc_hypertension"
    return [
        make_row(h, "all", "All", numerator=3_000, denominator=30_000, value=10.0,
                 lower_95=9.7, upper_95=10.3),
        make_row(h, "ethnicity_19", "White British", **STABLE),
        make_row(h, "ethnicity_19", "Black African", numerator=300, denominator=2_000,
                 value=15.0, lower_95=13.5, upper_95=16.6),
        make_row(h, "ethnicity_19", "Black other", numerator=6, denominator=400, value=1.5,
                 lower_95=0.7, upper_95=3.2),
        make_row(h, "ethnicity_19", "Roma", numerator=20, denominator=80, value=25.0,
                 lower_95=16.8, upper_95=35.5),
        make_row(h, "ethnicity_5", "Black", numerator=306, denominator=2_400, value=12.8,
                 lower_95=11.5, upper_95=14.1),
        make_row(h, "ethnicity_5", "White", **STABLE),
        make_row(h, "ethnicity_19×imd_quintile", "White British × 1 (most deprived)", **STABLE),
        make_row(h, "ethnicity_19×imd_quintile", "Chinese × 1 (most deprived)", numerator=12,
                 denominator=150, value=8.0, lower_95=4.6, upper_95=13.5),
        make_row(h, "ethnicity_5×imd_quintile", "White × 1 (most deprived)", **STABLE),
        make_row(h, "ethnicity_5×imd_quintile", "Asian × 1 (most deprived)", numerator=8,
                 denominator=400, value=2.0, lower_95=1.0, upper_95=3.9),
        make_row(h, "global_majority×imd_quintile", "White × 1 (most deprived)", **STABLE),
        make_row(h, "global_majority×imd_quintile", "Global Majority × 1 (most deprived)",
                 numerator=200, denominator=2_000, value=10.0, lower_95=8.8, upper_95=11.4),
        make_row(h, "ward", "Vincent Square", numerator=3, denominator=50, value=6.0,
                 lower_95=2.1, upper_95=16.2),
    ]


def test_collapsing_decisions_and_notes(rows, make_table, config):
    result = analyse(make_table(rows), config=config)
    notes = result.collapsing.set_index(["dimension", "category"])
    decided = {
        key: (row["collapsed_to_dimension"], row["collapsed_to_category"])
        for key, row in notes.iterrows()
    }
    assert decided == {
        ("ethnicity_19", "Black other"): ("ethnicity_5", "Black"),
        ("ethnicity_19", "Roma"): ("ethnicity_5", "White"),
        ("ethnicity_19×imd_quintile", "Chinese × 1 (most deprived)"): (
            "global_majority×imd_quintile", "Global Majority × 1 (most deprived)"),
        ("ethnicity_5×imd_quintile", "Asian × 1 (most deprived)"): (
            "global_majority×imd_quintile", "Global Majority × 1 (most deprived)"),
        ("ward", "Vincent Square"): ("", ""),
    }
    assert set(result.collapsing["rule"]) == {RULE}
    assert notes.loc[("ethnicity_19", "Black other"), "note"] == (
        "Not published: numerator below 10; 95% CI wider than 100% of the value "
        f"(rule: {RULE}); counted within Black (ethnicity_5).")
    assert notes.loc[("ethnicity_19×imd_quintile", "Chinese × 1 (most deprived)"), "reason"] == (
        "95% CI wider than 100% of the value")
    assert notes.loc[("ward", "Vincent Square"), "reason"] == (
        "numerator below 10; denominator below 100; 95% CI wider than 100% of the value")
    assert notes.loc[("ward", "Vincent Square"), "note"].endswith(
        "; no broader group is defined for this dimension.")


def test_collapsed_groups_stay_in_the_findings_without_numbers(rows, make_table, config):
    findings = analyse(make_table(rows), config=config).findings.set_index("category")
    other = findings.loc["Black other"]
    assert not other["published"] and not other["significant"]
    assert pd.isna(other["value"]) and pd.isna(other["ratio"]) and pd.isna(other["crude_value"])
    assert pd.isna(other["people_affected"]) and pd.isna(other["score"])
    assert other["collapsed_to_category"] == "Black"
    assert "counted within Black" in other["note"]
    assert other["sentence"] == (
        "Hypertension recorded prevalence is not shown separately for residents from the "
        "Black other ethnic group because the numbers are too small for a stable rate; they "
        "are counted within Black residents.")
    assert findings.loc["Black African", "published"]
    # unpublished findings rank after every published one
    assert findings["rank"][~findings["published"]].min() > findings["rank"][
        findings["published"]].max()


def test_the_rule_is_configurable(rows, make_table):
    config = EquityConfig(min_numerator=5, min_denominator=50, max_ci_width_share=2.0,
                          summary_repetitions=1000)
    notes = analyse(make_table(rows), config=config).collapsing
    assert list(notes["category"]) == ["Vincent Square"]
    assert notes["rule"].iat[0] == (
        "numerator < 5 or denominator < 50 or 95% CI width > 200% of the value")


def test_an_unstable_reference_is_flagged(make_row, make_table, config):
    rows = [
        make_row("ltc_hypertension", "ethnicity_19", "White British", numerator=8,
                 denominator=400, value=2.0, lower_95=1.0, upper_95=3.9),
        make_row("ltc_hypertension", "ethnicity_19", "Black African", numerator=300,
                 denominator=2_000, value=15.0, lower_95=13.5, upper_95=16.6),
    ]
    result = analyse(make_table(rows), config=config)
    finding = result.findings.iloc[0]
    assert finding["published"]
    assert finding["note"] == "The reference group's rate is itself unstable; read with care."
    assert list(result.collapsing["category"]) == ["White British"]
