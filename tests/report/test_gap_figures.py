"""The life-expectancy page shows a gap's decomposition: bar charts, data tables, the gap."""

from __future__ import annotations

import pandas as pd
import pytest
from fixture_tables import METADATA, findings_table, tidy_table

from jsna.report.figures import indicator_figure
from jsna.report.inputs import report_metadata
from jsna.report.site import build_site

BANDS = ["0-4", *[f"{a}-{a + 4}" for a in range(5, 90, 5)], "90+"]
CAUSES = ["Circulatory diseases", "Cancers", "Other causes"]
NOTE = (
    "life expectancy at birth 89.50 years in Knightsbridge & Belgravia, 72.70 in Westbourne: "
    "a gap of 16.80 years. Contributions by age band, and by cause of death, each sum to the "
    "gap; positive where death rates in Knightsbridge & Belgravia are lower"
)


@pytest.fixture(scope="module")
def gap_rows() -> pd.DataFrame:
    """Hand-made decomposition rows: band i contributes i × 0.16 years (0 … 2.88; sum 27.36)."""
    template = tidy_table()
    template = template[template["indicator_id"] == "le_birth_male"].iloc[0].to_dict()
    common = {
        **template,
        "indicator_id": "le_gap_wards_male",
        "indicator_name": "Gap in male life expectancy at birth between wards",
        "numerator": float("nan"),
        "denominator": float("nan"),
        "lower_95": float("nan"),
        "upper_95": float("nan"),
        "value_type": "life expectancy gap contribution",
        "polarity": "no_judgement",
        "comparator": "Westbourne",
        "significance": "Not compared",
        "note": NOTE,
        "method": "Arriaga",
    }
    rows = [{**common, "dimension": "all", "category": "All", "value": 27.36}]
    rows += [
        {**common, "dimension": "age_band", "category": b, "value": i * 0.16}
        for i, b in enumerate(BANDS)
    ]
    rows += [
        {**common, "dimension": "cause", "category": c, "value": v}
        for c, v in zip(CAUSES, [20.0, 8.0, -0.64], strict=True)
    ]
    return pd.DataFrame(rows)


def test_contributions_are_bars_with_their_table_and_the_gap_as_note(gap_rows):
    rows = gap_rows[gap_rows["dimension"] == "cause"]
    figure = indicator_figure(rows, gap_rows[gap_rows["dimension"] == "all"], "cause")
    assert figure.kind == "chart"
    assert [layer["mark"]["type"] for layer in figure.spec["layer"]] == ["bar", "rule"]
    points = figure.spec["datasets"]["groups"]
    assert [(p["group"], p["value"]) for p in points] == [
        ("Circulatory diseases", 20.0), ("Cancers", 8.0), ("Other causes", -0.64),
    ]  # fmt: skip
    assert figure.table.headers == ("Cause of death", "Contribution to the gap (years)")
    assert figure.table.rows == (
        ("Circulatory diseases", "20.00 years"),
        ("Cancers", "8.00 years"),
        ("Other causes", "-0.64 years"),
    )
    assert figure.note == "L" + NOTE[1:] + "."
    assert "Highest: Circulatory diseases (20.00 years); lowest: Other causes (-0.64 years)" in (
        figure.alt
    )


def test_the_life_expectancy_page_shows_the_decomposition(gap_rows):
    tidy = tidy_table()
    tidy = pd.concat([tidy[tidy["indicator_id"] == "le_birth_male"], gap_rows], ignore_index=True)
    findings = findings_table()
    findings = findings[findings["indicator_id"].isin(set(tidy["indicator_id"]))]
    files = build_site(tidy, findings, report_metadata(METADATA), synthetic=True, downloads={})
    page = files["life-expectancy.html"].decode("utf-8")
    section = page[page.index('id="table-le_gap_wards_male"') :]
    assert "<p>Life expectancy at birth 89.50 years in Knightsbridge &amp; Belgravia" in section
    for dimension in ("age-band", "cause"):
        assert f'id="figure-le-gap-wards-male--2019-20-23-24--{dimension}"' in section
        assert f"charts/le-gap-wards-male--2019-20-23-24--{dimension}.svg" in files
    assert "<td>2.88 years</td>" in section  # the 90+ band: 18 × 0.16
