"""Figures: which variant is charted, what the data table holds, and table-only figures."""

from __future__ import annotations

import numpy as np
import pandas as pd

from jsna.report.figures import NO_CHART, dimension_label, indicator_figure


def slice_of(tidy, indicator_id, dimension):
    rows = tidy[(tidy["indicator_id"] == indicator_id) & (tidy["dimension"] == dimension)]
    borough = tidy[(tidy["indicator_id"] == indicator_id) & (tidy["dimension"] == "all")]
    return rows, borough


def test_standardised_is_charted_and_both_are_tabled(tidy):
    rows, borough = slice_of(tidy, "ltc_diabetes_prevalence", "ethnicity_19")
    figure = indicator_figure(rows, borough, "ethnicity_19")
    assert figure.kind == "chart"
    points = figure.spec["datasets"]["groups"]
    bangladeshi = next(p for p in points if p["group"] == "Bangladeshi")
    # by hand: round(420 × 0.19) = 80 of 420, times the fixture's age factor 1.00
    assert bangladeshi["value"] == 100 * 1.00 * 80 / 420
    assert figure.table.headers[:5] == (
        "Group", "Crude (proportion, %)", "Crude 95% CI",
        "Age-standardised (age-standardised rate, %)", "Age-standardised 95% CI",
    )  # fmt: skip
    assert [r[0] for r in figure.table.rows] == list(rows["category"].unique())
    row = dict(zip(figure.table.headers, figure.table.rows[0], strict=True))
    assert row["Crude (proportion, %)"] == "19.0%"  # 80 / 420 = 19.05%
    assert row["Numerator"] == "80" and row["Denominator"] == "420"


def test_ward_figures_are_maps_and_reference_line_is_the_comparator(tidy):
    rows, borough = slice_of(tidy, "le_birth_male", "ward")
    figure = indicator_figure(rows, borough, "ward")
    assert figure.kind == "map" and figure.note == ""
    assert figure.alt.startswith("Map of wards shaded by Life expectancy at birth, males")
    # Knightsbridge & Belgravia: 80 + 9 + 0.1 × 5 = 89.5; Westbourne 80 − 9 + 0.1 × 17 = 72.7
    assert "Highest: Knightsbridge & Belgravia (89.5 years); lowest: Westbourne (72.7 years)" in (
        figure.alt
    )
    rows, borough = slice_of(tidy, "flu_vaccination_65plus", "ethnicity_19")
    chart = indicator_figure(rows, borough, "ethnicity_19")
    reference = chart.spec["datasets"]["reference"][0]
    # White British: round(3400 // 6 × 0.7) = round(566 × 0.7) = 396 of 566
    assert reference == {"reference": 100 * 396 / 566, "name": "White British"}


def test_no_values_gives_a_table_only_figure(tidy):
    rows, borough = slice_of(tidy, "le_birth_female", "ward")
    blank = rows.assign(value=np.nan, lower_95=np.nan, upper_95=np.nan,
                        note="Too few deaths for a life table.")  # fmt: skip
    figure = indicator_figure(blank, borough, "ward")
    assert (figure.kind, figure.spec, figure.alt) == ("table", {}, NO_CHART)
    assert len(figure.table.rows) == 18
    assert all(r[-1] == "Too few deaths for a life table." for r in figure.table.rows)


def test_infinite_interval_is_not_drawn(tidy):
    rows, borough = slice_of(tidy, "flu_vaccination_65plus", "ethnicity_19")
    open_ended = rows.copy()
    open_ended.loc[open_ended["category"] == "Chinese", "upper_95"] = np.inf
    figure = indicator_figure(open_ended, borough, "ethnicity_19")
    chinese = next(p for p in figure.spec["datasets"]["groups"] if p["group"] == "Chinese")
    assert chinese["upper"] is None and chinese["value"] is not None


def test_map_names_its_grey_wards(tidy):
    rows, borough = slice_of(tidy, "le_birth_male", "ward")
    gaps = rows.copy()
    gaps.loc[gaps["category"].isin(["Abbey Road", "West End"]), "value"] = np.nan
    unknown = gaps.iloc[[0]].assign(category="Unknown", value=80.0)
    figure = indicator_figure(pd.concat([gaps, unknown]), borough, "ward")
    assert figure.note == (
        "2 wards in grey have no published value; the data table's notes say why. "
        "Not on the map, in the data table only: Unknown."
    )
    assert "2 of 19 groups have no published value." in figure.alt


def test_dimension_labels():
    assert dimension_label("global_majority×ward") == "Global Majority or White and ward"
