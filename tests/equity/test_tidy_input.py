"""Bad tidy tables are refused with the column, row and value at fault."""

from __future__ import annotations

import pytest

from jsna.equity import EquityConfig, analyse
from jsna.errors import InputError


@pytest.fixture
def good(make_row, make_table):
    return make_table([
        make_row("flu_65", "ethnicity_19", "White British", numerator=700, denominator=1_000,
                 value=70.0, lower_95=67.1, upper_95=72.7),
        make_row("flu_65", "ethnicity_19", "Black African", numerator=90, denominator=200,
                 value=45.0, lower_95=38.3, upper_95=51.9),
    ])


def _message(table) -> str:
    with pytest.raises(InputError) as caught:
        analyse(table)
    return str(caught.value)


def test_any_index_and_rows_in_any_order(good, config):
    shuffled = good.iloc[::-1].set_axis(["b", "a"])
    findings = analyse(shuffled, config=config).findings
    assert list(findings["category"]) == ["Black African"]
    assert findings["ratio"].iat[0] == pytest.approx(45 / 70)
    bad = shuffled.copy()
    bad.loc["a", "value_type"] = "percentage"  # position 2 in the frame given
    assert "column 'value_type', row 2:" in _message(bad)


def test_missing_column(good):
    assert _message(good.drop(columns="polarity")) == (
        "tidy table, column 'polarity': required column missing (see docs/tidy-table.md)")


def test_non_numeric_value_names_row_and_value(good):
    good["value"] = good["value"].astype(object)
    good.loc[1, "value"] = "45%"
    assert _message(good) == "tidy table, column 'value', row 2: value '45%': must be a number"


def test_negative_count(good):
    good.loc[0, "denominator"] = -5
    assert _message(good) == (
        "tidy table, column 'denominator', row 1: value -5: counts must not be negative")


def test_boolean_columns(good):
    good["suppressed"] = good["suppressed"].astype(object)
    good.loc[1, "suppressed"] = "maybe"
    assert _message(good) == (
        "tidy table, column 'suppressed', row 2: value 'maybe': must be true or false")


def test_unknown_value_type(good):
    good.loc[1, "value_type"] = "percentage"
    assert "column 'value_type', row 2: value 'percentage': unknown value type" in _message(good)


def test_duplicate_row(good):
    doubled = good.iloc[[0, 1, 1]].reset_index(drop=True)
    assert _message(doubled).startswith("tidy table, column 'category', row 3: value "
                                        "'Black African': duplicate row")


def test_intersection_labels_must_match_parts(good):
    good.loc[1, "dimension"] = "ethnicity_19×sex"
    assert "column 'category', row 2: value 'Black African': an intersection" in _message(good)


def test_empty_key(good):
    good.loc[0, "category"] = ""
    assert _message(good) == "tidy table, column 'category', row 1: must not be empty"


def test_not_a_data_frame():
    with pytest.raises(InputError, match="pandas DataFrame"):
        analyse([{"indicator_id": "x"}])


def test_bad_configuration(good):
    with pytest.raises(InputError, match=r"column 'alpha': value 1\.5"):
        analyse(good, config=EquityConfig(alpha=1.5))
