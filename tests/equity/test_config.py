"""Equity settings from plain data (a YAML section), with clear errors."""

from __future__ import annotations

import pandas as pd
import pytest

from jsna.equity import EquityConfig, analyse
from jsna.errors import InputError


def test_from_mapping_changes_the_reference(make_row, make_table):
    config = EquityConfig.from_mapping(
        {"references": {"ethnicity_19": "White other"}, "min_numerator": 5,
         "unranked_domains": [], "summary_repetitions": 1000})
    assert config.references == {"ethnicity_19": "White other"}
    assert config.min_numerator == 5.0 and config.unranked_domains == ()
    rows = [
        make_row("flu_65", "ethnicity_19", "White other", numerator=500, denominator=1_000,
                 value=50.0, lower_95=46.9, upper_95=53.1),
        make_row("flu_65", "ethnicity_19", "White British", numerator=700, denominator=1_000,
                 value=70.0, lower_95=67.1, upper_95=72.7),
    ]
    findings = analyse(make_table(rows), config=config).findings
    assert list(findings["category"]) == ["White British"]
    assert findings["comparator"].iat[0] == "White other"
    assert findings["ratio"].iat[0] == pytest.approx(70 / 50)


@pytest.mark.parametrize(
    ("data", "message"),
    [({"refrences": {}}, "equity config, column 'refrences': unknown setting"),
     ({"alpha": "0.05"}, "equity config, column 'alpha': value '0.05': must be a number"),
     ({"summary_seed": 1.5}, "column 'summary_seed': value 1.5: must be a whole number"),
     ({"phrases": {"flu": 3}}, "column 'phrases': value {'flu': 3}: must map names to text")],
)
def test_bad_settings_are_named(data, message):
    with pytest.raises(InputError) as caught:
        EquityConfig.from_mapping(data)
    assert message in str(caught.value)


def test_default_phrases_name_indicators_of_the_shipped_catalogue():
    from jsna.equity.config import DEFAULT_PHRASES
    from jsna.indicators import load_catalogue

    shipped = {indicator.id for indicator in load_catalogue()}
    assert set(DEFAULT_PHRASES) <= shipped


def test_people_to_close_gap_only_for_uptake_domains(make_row, make_table, config):
    rows = []
    for indicator, domain in (("flu_65", "prevention"), ("dq", "data quality")):
        for category, share, n in (("White British", 0.9, 1_000), ("Arab", 0.7, 500)):
            row = make_row("flu_65", "ethnicity_19", category, numerator=n * share,
                           denominator=n, value=100 * share, lower_95=100 * share - 3,
                           upper_95=100 * share + 3, domain=domain)
            rows.append({**row, "indicator_id": indicator})
    findings = analyse(make_table(rows), config=config).findings.set_index("indicator_id")
    assert findings.loc["flu_65", "people_to_close_gap"] == 100  # (90% − 70%) of 500
    assert pd.isna(findings.loc["dq", "people_to_close_gap"])
