"""Nomis: recorded API responses and bulk CSVs → the tidy census table."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pyarrow.parquet as pq
import pytest

from jsna.errors import InputError
from jsna.sources.connectors import nomis
from jsna.sources.connectors.http import ServiceError

from .conftest import csv_response, recorded

WHITE = [
    "White: English, Welsh, Scottish, Northern Irish or British",
    "White: Irish",
    "White: Gypsy or Irish Traveller",
    "White: Roma",
    "White: Other White",
]


def query(request: httpx.Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(str(request.url)).query).items()}


def nomis_api(request: httpx.Request) -> httpx.Response:
    q = query(request)
    path = request.url.path
    if path.endswith("NM_2041_1.data.csv") and q["geography"] == "E09000033":
        return csv_response("nomis_ts021_westminster.csv")
    if "select" in q:
        return csv_response("nomis_geography_westminster.csv")
    if path.endswith("NM_2055_1.data.csv") and q["geography"] == "1946157281TYPE153":
        page = 1 if q["RecordOffset"] == "0" else 2
        return csv_response(f"nomis_ts037_wards_page{page}.csv")
    return httpx.Response(400, content=b"unexpected query")


def test_ts021_for_westminster_from_the_api(replay):
    r = replay(nomis_api)
    table = nomis.fetch_census("E09000033", ["TS021"], fetcher=r.fetcher("Nomis"))
    data = table.data
    assert list(data.columns) == list(nomis.CENSUS_COLUMNS)
    assert len(data) == 25
    counts = dict(zip(data["category"], data["count"], strict=True))
    # published: 204,236 usual residents, 44.8% Global Majority (all but White groups)
    assert counts["Total: All usual residents"] == 204_236
    white = sum(counts[c] for c in WHITE)
    assert round(100 * (1 - white / 204_236), 1) == 44.8
    assert set(data["area_code"]) == {"E09000033"} and set(data["area_name"]) == {"Westminster"}
    q = query(r.requests[0])
    assert r.requests[0].url.path == "/api/v01/dataset/NM_2041_1.data.csv"
    assert q["measures"] == "20100" and q["date"] == "latest"
    assert table.provenance["licence"] == "Open Government Licence v3.0"
    assert "NM_2041_1.data.csv?date=latest&geography=E09000033" in table.provenance["query"]


def test_wards_resolve_the_nomis_id_and_join_pages(replay, monkeypatch):
    monkeypatch.setattr(nomis, "PAGE", 8)
    r = replay(nomis_api)
    data = nomis.fetch_census(
        "E09000033", ["TS037"], geography="ward", fetcher=r.fetcher("Nomis")
    ).data
    assert len(r.requests) == 3  # id lookup, page 1, page 2
    assert [query(x).get("RecordOffset") for x in r.requests[1:]] == ["0", "8"]
    assert len(data) == 12
    abbey = data[data["area_code"] == "E05013792"].set_index("category")["count"]
    assert abbey["Total: All usual residents"] == 13046
    assert abbey.drop("Total: All usual residents").sum() == 13046
    assert set(data["area_name"]) == {"Abbey Road", "Westbourne (Westminster)"}


def test_a_page_short_of_record_count_is_an_error(replay):
    text = recorded("nomis_ts037_wards_page1.csv")  # 8 of 12 records
    r = replay(
        lambda request: (
            httpx.Response(200, content=text)
            if "select" not in str(request.url)
            else csv_response("nomis_geography_westminster.csv")
        )
    )
    with pytest.raises(
        InputError, match="Nomis said 12 records from offset 0, so 12 in this page, but sent 8"
    ):
        nomis.fetch_census("E09000033", ["TS037"], geography="ward", fetcher=r.fetcher())


def test_a_body_cut_mid_row_is_an_error_naming_the_row(replay):
    text = recorded("nomis_ts021_westminster.csv")
    cut = text[: text.index(b"White: Irish")]  # inside the 19th category's quoted label
    r = replay(lambda request: httpx.Response(200, content=cut))
    with pytest.raises(
        InputError,
        match=r"row 19: not a readable CSV \(unexpected end of data\); the file or download",
    ):
        nomis.fetch_census("E09000033", ["TS021"], fetcher=r.fetcher())


def test_html_instead_of_csv_is_refused(replay):
    r = replay(lambda request: httpx.Response(200, content=recorded("login.html")))
    with pytest.raises(ServiceError, match="HTML page"):
        nomis.fetch_census("E09000033", ["TS021"], fetcher=r.fetcher("Nomis"))


def test_a_csv_that_is_not_nomis_data_is_refused(replay):
    r = replay(lambda request: httpx.Response(200, content=b"error,message\r\n1,bad query\r\n"))
    with pytest.raises(InputError, match="not a Nomis data CSV: no GEOGRAPHY_CODE"):
        nomis.fetch_census("E09000033", ["TS021"], fetcher=r.fetcher())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"area": "Westminster"}, "area must be a GSS code"),
        ({"tables": ["TS999"]}, "no Nomis dataset known"),
        ({"geography": "msoa"}, "geography must be one of la, ward, lsoa"),
    ],
)
def test_bad_arguments(replay, kwargs, message):
    args = {"area": "E09000033", "tables": ["TS021"], "geography": "la", **kwargs}
    with pytest.raises(InputError, match=message):
        nomis.fetch_census(
            args.pop("area"), args.pop("tables"), fetcher=replay(nomis_api).fetcher(), **args
        )


BULK_HEADER = (
    "date,geography,geography code,General health: Total: All usual residents,"
    "General health: Very good health,General health: Good health\n"
)


def test_bulk_files_give_the_same_tidy_table(tmp_path):
    (tmp_path / "census2021-ts037-ltla.csv").write_text(
        BULK_HEADER + "2021,Camden,E09000007,210136,120000,60000\n"
        "2021,Westminster,E09000033,204236,115033,58977\n",
        encoding="utf-8",
    )
    (tmp_path / "census2021-ts009-ltla.csv").write_text(
        '"date","geography","geography code","Sex: All persons; Age: Total; measures: Value",'
        '"Sex: Female; Age: Aged 1 year; measures: Value"\n'
        '2021,"Westminster","E09000033",204233,836\n',
        encoding="utf-8",
    )
    (tmp_path / "notes.csv").write_text("x\n1\n", encoding="utf-8")
    table = nomis.read_bulk_census(tmp_path, "E09000033")
    got = sorted(zip(table.data["table"], table.data["category"], table.data["count"], strict=True))
    assert got == [
        ("TS009", "All persons; Total", 204233),
        ("TS009", "Female; Aged 1 year", 836),
        ("TS037", "Good health", 58977),
        ("TS037", "Total: All usual residents", 204236),
        ("TS037", "Very good health", 115033),
    ]
    assert "skipped notes.csv: not a Nomis census2021-tsNNN bulk file" in table.notes
    assert table.provenance["source"] == "nomis-bulk"
    out = nomis.write_census(table, tmp_path / "out")
    meta = pq.read_schema(out).metadata
    assert meta[b"jsna.census.licence"] == b"Open Government Licence v3.0"
    assert b"census2021-ts037-ltla.csv" in meta[b"jsna.census.query"]
    back = nomis.read_census(tmp_path / "out")
    assert back.data.equals(table.data)
    assert back.provenance["source"] == "nomis-bulk"


def test_a_bad_count_names_file_column_row_and_value(tmp_path):
    path = tmp_path / "census2021-ts037-ltla.csv"
    path.write_text(
        BULK_HEADER + "2021,Camden,E09000007,210136,120000,60000\n"
        "2021,Westminster,E09000033,204236,n/a,58977\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        nomis.read_bulk_census(tmp_path, "E09000033")
    assert str(caught.value) == (
        f"{path}, column 'General health: Very good health', row 2: value 'n/a': "
        "a count must be a whole number of 0 or more"
    )


def test_missing_tables_and_areas_are_errors(tmp_path):
    (tmp_path / "census2021-ts037-ltla.csv").write_text(
        BULK_HEADER + "2021,Camden,E09000007,210136,120000,60000\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match="no census rows for E09000033"):
        nomis.read_bulk_census(tmp_path, "E09000033")
    with pytest.raises(InputError, match="no bulk file gives TS021 for E09000007"):
        nomis.read_bulk_census(tmp_path, "E09000007", tables=["TS021", "TS037"])
    with pytest.raises(InputError, match="name the ward codes"):
        nomis.read_bulk_census(tmp_path, "E09000007", geography="ward")
