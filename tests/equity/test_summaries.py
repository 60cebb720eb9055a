"""Inequality summaries: SII/RII across deprivation quintiles, HEAT measures by ethnic group."""

from __future__ import annotations

import math

import pytest

from jsna.equity import analyse

QUINTILES = ["1 (most deprived)", "2", "3", "4", "5 (least deprived)"]


def test_sii_and_rii_across_quintiles(make_row, make_table, config):
    rows = [
        make_row("ltc_hypertension", "imd_quintile", label, numerator=100 + 20 * i,
                 denominator=1_000, value=10.0 + 2 * i, lower_95=9.0 + 2 * i,
                 upper_95=11.0 + 2 * i)
        for i, label in enumerate(QUINTILES)
    ]
    rows.append(make_row("ltc_hypertension", "imd_quintile", "Unknown", numerator=50,
                         denominator=100, value=50.0, lower_95=40.4, upper_95=59.6))
    summaries = analyse(make_table(rows), config=config).summaries.set_index("measure")
    # Equal populations: relative ranks 0.1, 0.3, …, 0.9; values rise 2 points per 0.2 of rank,
    # so the fitted line runs from 9% at rank 0 to 19% at rank 1: SII 10 points, RII 19/9.
    # The 'Unknown' quintile is not part of the ordering and is left out.
    assert summaries.loc["SII", "value"] == pytest.approx(10.0, rel=1e-9)
    assert summaries.loc["RII", "value"] == pytest.approx(19 / 9, rel=1e-9)
    assert summaries.loc["SII", "lower_95"] < 10 < summaries.loc["SII", "upper_95"]
    assert summaries.loc["SII", "kind"] == "absolute"
    assert "'Unknown'" in summaries.loc["SII", "note"]


def test_heat_measures_across_ethnic_groups(make_row, make_table, config):
    groups = {"White British": (10.0, 5_000), "Black Caribbean": (20.0, 2_000),
              "Indian": (12.0, 2_000), "Chinese": (8.0, 1_000)}
    rows = [
        make_row("ltc_hypertension", "ethnicity_19", category, numerator=value * n / 100,
                 denominator=n, value=value, lower_95=value - 1, upper_95=value + 1)
        for category, (value, n) in groups.items()
    ]
    rows.append(make_row("ltc_hypertension", "ethnicity_19", "Not stated", numerator=50,
                         denominator=100, value=50.0, lower_95=40.4, upper_95=59.6))
    summaries = analyse(make_table(rows), config=config).summaries.set_index("measure")
    # By hand, population shares 0.5, 0.2, 0.2, 0.1; mean 12.2 (Not stated left out)
    mean = 0.5 * 10 + 0.2 * 20 + 0.2 * 12 + 0.1 * 8
    assert mean == pytest.approx(12.2)
    bgv = 0.5 * 2.2**2 + 0.2 * 7.8**2 + 0.2 * 0.2**2 + 0.1 * 4.2**2  # 16.36
    idisu = 100 * (2.2 + 7.8 + 0.2 + 4.2) / 4 / mean
    theil = 1000 * sum(share * (y / mean) * math.log(y / mean)
                       for y, share in ((10, 0.5), (20, 0.2), (12, 0.2), (8, 0.1)))
    assert summaries.loc["BGV", "value"] == pytest.approx(bgv, rel=1e-9)
    assert summaries.loc["IDISU", "value"] == pytest.approx(idisu, rel=1e-9)
    assert summaries.loc["TI", "value"] == pytest.approx(theil, rel=1e-9)
    assert set(summaries["dimension"]) == {"ethnicity_19"}


def test_too_few_quintiles_give_a_note_not_an_error(make_row, make_table, config):
    rows = [
        make_row("ltc_hypertension", "imd_quintile", label, numerator=100, denominator=1_000,
                 value=10.0, lower_95=8.3, upper_95=12.0)
        for label in ("1 (most deprived)", "3", "5 (least deprived)")
    ]
    summaries = analyse(make_table(rows), config=config).summaries
    assert list(summaries["measure"]) == ["RII", "SII"]
    assert summaries["value"].isna().all()
    assert set(summaries["note"]) == {
        "Not computed: the SII needs at least 5 deprivation quintiles; 3 given."}


def test_heat_measures_without_a_published_reference_row(make_row, make_table, config):
    # the White British row suppressed (no value): the spread measures need no reference
    groups = {"Black Caribbean": (20.0, 2_000), "Indian": (12.0, 2_000), "Chinese": (8.0, 1_000)}
    rows = [
        make_row("ltc_hypertension", "ethnicity_19", category, numerator=value * n / 100,
                 denominator=n, value=value, lower_95=value - 1, upper_95=value + 1)
        for category, (value, n) in groups.items()
    ]
    rows.append(make_row("ltc_hypertension", "ethnicity_19", "White British", numerator=None,
                         denominator=None, value=None, lower_95=None, upper_95=None))
    summaries = analyse(make_table(rows), config=config).summaries.set_index("measure")
    # By hand, shares 0.4, 0.4, 0.2; mean 0.4*20 + 0.4*12 + 0.2*8 = 14.4
    bgv = 0.4 * 5.6**2 + 0.4 * 2.4**2 + 0.2 * 6.4**2
    assert summaries.loc["BGV", "value"] == pytest.approx(bgv, rel=1e-9)


def test_quintile_with_zero_count_gives_a_note_not_an_error(make_row, make_table, config):
    # a zero count: the interval starts at 0, so no log-scale standard error exists
    rows = [
        make_row("ltc_hypertension", "imd_quintile", label, numerator=0 if i == 4 else 100,
                 denominator=1_000, value=0.0 if i == 4 else 10.0,
                 lower_95=0.0 if i == 4 else 8.3, upper_95=0.4 if i == 4 else 12.0)
        for i, label in enumerate(QUINTILES)
    ]
    summaries = analyse(make_table(rows), config=config).summaries
    assert list(summaries["measure"]) == ["RII", "SII"]
    assert summaries["value"].isna().all()
    assert all("reaches 0 or 100%" in note for note in summaries["note"])
