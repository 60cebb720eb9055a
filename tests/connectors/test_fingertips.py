"""Fingertips: the published CSV contract → benchmark rows of the tidy table."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import numpy as np
import pandas as pd
import pytest

from jsna.errors import InputError
from jsna.indicators.tidy import TIDY_COLUMNS
from jsna.sources.connectors import fingertips

from .conftest import RECORDED, csv_response, recorded

CSV = RECORDED / "fingertips_90366.csv"
NEIGHBOURS = ["E09000007", "E09000002"]


@pytest.fixture
def data() -> pd.DataFrame:
    return fingertips.read_fingertips_csv(CSV)


def test_the_contract_is_read_into_snake_case(data):
    assert list(data.columns) == list(fingertips.COLUMNS)
    assert len(data) == 10
    row = data[(data["area_code"] == "E09000033") & (data["sex"] == "Male")].iloc[0]
    assert row["indicator_id"] == 90366
    assert row["period"] == "2020 - 22"
    assert (row["value"], row["lower_95"], row["upper_95"]) == (81.4, 80.6, 82.2)
    assert (row["lower_998"], row["upper_998"]) == (80.1, 82.7)
    assert np.isnan(row["count"]) and np.isnan(row["denominator"])
    assert row["compared_to_england"] == "Better 95%"
    assert row["compared_to_parent"] == "Better 95%"  # "Compared to Region value or percentiles"
    assert row["time_period_range"] == "3y"
    camden = data[data["area_code"] == "E09000007"].iloc[0]
    assert camden["value_note"] == "Value, rounded"


def test_benchmark_rows_compare_each_area_with_england(data):
    rows = fingertips.benchmark_rows(
        data, area="E09000033", neighbours=NEIGHBOURS, polarity={90366: "higher_is_better"}
    )
    assert list(rows.columns) == TIDY_COLUMNS
    got = {(r.area_code, r.category): (r.significance, r.comparator) for r in rows.itertuples()}
    # by hand: England male 78.9, female 82.8 against each 95% interval
    assert got == {
        ("E09000033", "Male"): ("Better", "England"),  # 78.9 < 80.6
        ("E09000033", "Female"): ("Better", "England"),  # 82.8 < 84.5
        ("E12000007", "Male"): ("Better", "England"),  # 78.9 < 79.7
        ("E12000007", "Female"): ("Better", "England"),  # 82.8 < 83.9
        ("E09000007", "Male"): ("Similar", "England"),  # 78.4 <= 78.9 <= 80.0
        ("E09000002", "Male"): ("Worse", "England"),  # 78.9 > 77.5
        ("E92000001", "Male"): ("Not compared", ""),
        ("E92000001", "Female"): ("Not compared", ""),
        ("E92000001", "Male × Most deprived decile (IMD2019)"): ("Not compared", ""),
    }
    # the published labels agree with ours wherever they judge
    for r in rows[rows["comparator"] == "England"].itertuples():
        assert f"published comparison with England: {r.significance}" in r.note
    wm = rows[(rows["area_code"] == "E09000033") & (rows["category"] == "Male")].iloc[0]
    assert wm["ratio_to_comparator"] == pytest.approx(81.4 / 78.9)
    assert wm["difference_to_comparator"] == pytest.approx(2.5)
    assert wm["indicator_id"] == "fingertips_90366" and wm["dimension"] == "sex"
    assert wm["polarity"] == "higher_is_better" and not wm["synthetic"]
    decile = rows[rows["category"].str.contains("decile")].iloc[0]
    assert decile["dimension"] == "sex×LSOA11 deprivation deciles within England (IMD2019)"
    # the order: the area, its region, the neighbours, England
    assert list(dict.fromkeys(rows["area_code"])) == [
        "E09000033",
        "E12000007",
        "E09000007",
        "E09000002",
        "E92000001",
    ]
    assert "E09000030" not in set(rows["area_code"])  # not asked for


def test_merge_appends_benchmarks_and_refuses_a_second_source_for_a_row(data):
    rows = fingertips.benchmark_rows(
        data, area="E09000033", indicator_ids={90366: "life_expectancy_birth"}
    )
    built = rows.iloc[:1].copy()
    built["domain"] = "life expectancy"
    built["value_type"] = "life expectancy"
    merged = fingertips.merge_benchmarks(built, rows)
    assert len(merged) == 1 + len(rows) and list(merged.columns) == TIDY_COLUMNS
    clash = rows.iloc[:1].copy()
    with pytest.raises(InputError, match="a benchmark row repeats a built row"):
        fingertips.merge_benchmarks(clash, rows)


def test_the_api_query_and_its_parameters(replay):
    r = replay(lambda request: csv_response("fingertips_90366.csv"))
    data, fetched = fingertips.fetch_fingertips(
        [90366], area_type=502, parent_area_type=6, fetcher=r.fetcher("Fingertips")
    )
    assert len(data) == 10
    request = r.requests[0]
    assert request.url.path == "/api/all_data/csv/by_indicator_id"
    assert parse_qs(urlsplit(str(request.url)).query) == {
        "indicator_ids": ["90366"],
        "child_area_type_id": ["502"],
        "parent_area_type_id": ["6"],
    }
    assert fetched.url == str(request.url) and not fetched.from_cache


def test_an_indicator_missing_from_the_response_is_an_error(replay):
    r = replay(lambda request: csv_response("fingertips_90366.csv"))
    with pytest.raises(InputError, match=r"no rows for indicator\(s\) 93505"):
        fingertips.fetch_fingertips(
            [90366, 93505], area_type=502, parent_area_type=6, fetcher=r.fetcher()
        )


def test_a_login_page_is_not_read_as_data(replay):
    r = replay(lambda request: httpx.Response(200, content=recorded("login.html")))
    with pytest.raises(InputError, match="Fingertips returned an HTML page"):
        fingertips.fetch_fingertips(
            [90366], area_type=502, parent_area_type=6, fetcher=r.fetcher("Fingertips")
        )


def test_contract_violations_name_column_and_row(tmp_path):
    text = CSV.read_text(encoding="utf-8")
    no_count = tmp_path / "a.csv"
    no_count.write_text(text.replace(",Count,", ",Number,"), encoding="utf-8")
    with pytest.raises(InputError, match="not a Fingertips data CSV: no 'Count' column"):
        fingertips.read_fingertips_csv(no_count)
    bad = tmp_path / "b.csv"
    bad.write_text(text.replace(",81.4,", ",81.4*,"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        fingertips.read_fingertips_csv(bad)
    assert str(caught.value) == (
        f"{bad}, column 'Value', row 6: value '81.4*': must be a number or empty"
    )


def test_a_neighbour_without_rows_is_an_error(data):
    with pytest.raises(InputError, match="no Fingertips rows for E09000020"):
        fingertips.benchmark_rows(data, area="E09000033", neighbours=["E09000020"])


def test_nearest_neighbours_come_from_the_nn_1_group(replay):
    r = replay(
        lambda request: httpx.Response(
            200,
            content=recorded("fingertips_nearest_neighbours.json"),
            headers={"content-type": "application/json"},
        )
    )
    codes = fingertips.nearest_neighbours("E09000033", area_type=502, fetcher=r.fetcher())
    assert codes == ["E09000020", "E09000007", "E09000013"]
    assert parse_qs(urlsplit(str(r.requests[0].url)).query) == {
        "area_type_id": ["502"],
        "parent_area_code": ["nn-1-E09000033"],
    }
    empty = replay(lambda request: httpx.Response(200, content=b"[]"))
    with pytest.raises(InputError, match="no nearest neighbours for E09000033"):
        fingertips.nearest_neighbours("E09000033", area_type=502, fetcher=empty.fetcher())
    odd = replay(lambda request: httpx.Response(200, content=b'{"error": "x"}'))
    with pytest.raises(InputError, match="not a Fingertips list of areas"):
        fingertips.nearest_neighbours("E09000033", area_type=502, fetcher=odd.fetcher())
