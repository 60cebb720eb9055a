"""The findings table: its columns, the CSV, and what its words never say."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from jsna.equity import FINDING_COLUMNS, analyse, write_findings

ISSUE_COLUMNS = [
    "finding_id", "rank", "indicator_id", "indicator_name", "domain", "dimension", "category",
    "comparator", "value_type", "crude_value", "crude_ratio", "crude_ratio_lower_95",
    "crude_ratio_upper_95", "standardised_value", "standardised_ratio",
    "standardised_ratio_lower_95", "standardised_ratio_upper_95", "ratio", "ratio_lower_95",
    "ratio_upper_95", "difference", "difference_lower_95", "difference_upper_95", "p_value",
    "q_value", "significant", "people_affected", "people_to_close_gap",
    "people_to_close_gap_lower_95", "people_to_close_gap_upper_95", "score", "sentence",
    "table_anchor", "note",
]
# Counts a disclosure policy suppressed: distinctive, so any leak is easy to spot.
HIDDEN = {"Mixed White and Asian": (4_817, 9_356), "Arab": (3_911, 7_604)}


@pytest.fixture
def tidy(make_row, make_table):
    rows = [
        make_row("flu_65", "all", "All", numerator=5_200, denominator=8_000, value=65.0,
                 lower_95=63.9, upper_95=66.0),
        make_row("flu_65", "ethnicity_19", "White British", numerator=2_800,
                 denominator=4_000, value=70.0, lower_95=68.6, upper_95=71.4),
        make_row("flu_65", "ethnicity_19", "Black African", numerator=270, denominator=600,
                 value=45.0, lower_95=41.1, upper_95=49.0),
        make_row("flu_65", "ethnicity_19", "Black other", numerator=float("nan"),
                 denominator=float("nan"), value=float("nan"), lower_95=float("nan"),
                 upper_95=float("nan"), suppressed=True, note="suppressed: count below 10"),
        make_row("ltc_hypertension", "ethnicity_19", "White British", numerator=800,
                 denominator=10_000, value=8.0, lower_95=7.5, upper_95=8.5),
        make_row("ltc_hypertension", "ethnicity_19", "Black Caribbean", numerator=300,
                 denominator=1_500, value=20.0, lower_95=18.1, upper_95=22.1),
        make_row("ltc_hypertension", "ward", "Westbourne", numerator=700, denominator=7_000,
                 value=10.0, lower_95=9.3, upper_95=10.7),
        make_row("ltc_hypertension", "all", "All", numerator=2_400, denominator=30_000,
                 value=8.0, lower_95=7.7, upper_95=8.3),
    ]
    for category, (numerator, denominator) in HIDDEN.items():
        rows.append(make_row("flu_65", "ethnicity_19", category, numerator=numerator,
                             denominator=denominator, value=51.5, lower_95=50.5,
                             upper_95=52.5, suppressed=True))
    return make_table(rows)


def test_columns_the_issue_asks_for(tidy, config):
    findings = analyse(tidy, config=config).findings
    assert list(findings.columns) == FINDING_COLUMNS
    assert not set(ISSUE_COLUMNS) - set(findings.columns)
    assert findings["finding_id"].is_unique
    assert set(findings["value_type"]) <= {"crude", "age-standardised"}
    assert findings["sentence"].str.len().gt(0).all()


def test_no_suppressed_count_in_any_sentence_or_note(tidy, config):
    findings = analyse(tidy, config=config).findings
    words = " ".join(findings["sentence"]) + " " + " ".join(findings["note"])
    numbers = {float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", words)}
    for category, counts in HIDDEN.items():
        row = findings[findings["category"] == category].iloc[0]
        assert row["published"]  # the value itself was released
        assert pd.isna(row["people_affected"]) and pd.isna(row["people_to_close_gap"])
        gap_people = round((70.0 - 51.5) / 100 * counts[1])
        for count in (*counts, gap_people):
            assert float(count) not in numbers, (category, count)
    suppressed = findings[findings["category"] == "Black other"].iloc[0]
    assert not suppressed["published"]
    assert suppressed["sentence"] == (
        "Flu vaccination uptake (aged 65 and over) for residents from the Black other ethnic "
        "group is not shown, to protect confidentiality.")


def test_no_collective_acronyms_or_deficit_language(tidy, config):
    text = " ".join(analyse(tidy, config=config).findings["sentence"]).lower()
    for banned in ("bame", "bme", "hard to reach", "hard-to-reach", "non-compliant",
                   "noncompliant", "refuse", "failed to"):
        assert banned not in text


def test_findings_csv_is_deterministic(tidy, config, tmp_path):
    first = write_findings(analyse(tidy, config=config), tmp_path / "a.csv").read_bytes()
    again = write_findings(analyse(tidy, config=config), tmp_path / "b.csv").read_bytes()
    assert first == again
    back = pd.read_csv(tmp_path / "a.csv", keep_default_na=False, na_values=[""])
    assert list(back.columns) == FINDING_COLUMNS
    african = back[back["category"] == "Black African"].iloc[0]
    assert african["crude_value"] == 45.0 and african["comparator_value"] == 70.0
    assert b"\r\n" not in first


def test_a_table_with_nothing_to_compare(make_row, make_table, config):
    only_totals = make_table([make_row("flu_65", "all", "All", numerator=650, denominator=1_000,
                                       value=65.0, lower_95=62.0, upper_95=67.9)])
    result = analyse(only_totals, config=config)
    assert result.findings.empty and list(result.findings.columns) == FINDING_COLUMNS
    assert result.summaries.empty and result.collapsing.empty
