"""`jsna fetch …` end to end, the shared Census bulk files, and `jsna synth --margins-from`.

The shared-data tests read ../shared/data/raw (present on developer machines
and in CI) and are skipped, saying why, when it is absent. Their expected
figures are read from the bulk files with the csv module here, not through
jsna's reader.
"""

from __future__ import annotations

import csv
from pathlib import Path

import httpx
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from jsna.cli import app
from jsna.errors import InputError
from jsna.sources.connectors import nomis
from jsna.sources.connectors.commands import fetch_census_command, fetch_fingertips_command
from jsna.sources.connectors.http import FetchSettings, ServiceError
from jsna.synth import generate, load_calibration
from jsna.synth.census_margins import TS021_CATEGORIES, calibration_from_census

from .conftest import RECORDED, csv_response, recorded

# ../shared next to the checkout (as tests/conftest.py SHARED)
RAW = Path(__file__).resolve().parents[3] / "shared" / "data" / "raw"
LTLA = RAW / "ons_census2021_ltla_nomis_bulk"
WARD = RAW / "ons_census2021_ward_nomis_bulk"
needs_shared = pytest.mark.skipif(
    not LTLA.is_dir(), reason=f"shared Census bulk files not found at {LTLA}"
)
PERIOD_END = pd.Timestamp("2024-03-31")


def test_fetch_census_command_writes_the_table_and_fills_the_cache(tmp_path, replay):
    r = replay(lambda request: csv_response("nomis_ts021_westminster.csv"))
    settings = FetchSettings(cache_dir=tmp_path / "cache", retries=0)
    lines = fetch_census_command(
        area="E09000033",
        tables=["TS021"],
        level="la",
        out=tmp_path / "out",
        from_files=None,
        settings=settings,
        transport=r.transport,
    )
    assert lines[-2].startswith("25 rows (1 area(s), tables TS021) written to")
    assert "Open Government Licence v3.0" in lines[-1]
    first = nomis.read_census(tmp_path / "out")
    # offline: the same table from the cache, no transport at all
    result = CliRunner().invoke(
        app,
        [
            "fetch",
            "census",
            "--area",
            "E09000033",
            "--tables",
            "TS021",
            "--offline",
            "--cache",
            str(tmp_path / "cache"),
            "--out",
            str(tmp_path / "again"),
        ],
    )
    assert result.exit_code == 0, result.output
    again = nomis.read_census(tmp_path / "again")
    assert again.data.equals(first.data)
    assert again.provenance["retrieved"] == first.provenance["retrieved"]  # the download's date


def test_offline_without_a_cache_entry_fails_clearly(tmp_path):
    result = CliRunner().invoke(
        app,
        [
            "fetch",
            "census",
            "--area",
            "E09000007",
            "--tables",
            "TS021",
            "--offline",
            "--cache",
            str(tmp_path),
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert isinstance(result.exception, ServiceError)
    assert "not in the cache" in str(result.exception)


def test_fetch_fingertips_command_from_an_export(tmp_path):
    built = tmp_path / "indicators.parquet"
    from jsna.indicators.tidy import TIDY_COLUMNS

    numeric = {"numerator", "denominator", "value", "multiplier", "p_value", "q_value"}
    numeric |= {c for c in TIDY_COLUMNS if c.startswith(("lower_", "upper_", "ratio_", "diff"))}
    row = {c: (np.nan if c in numeric else "") for c in TIDY_COLUMNS}
    row.update(
        {
            "indicator_id": "life_expectancy",
            "area_code": "E09000033",
            "value": 84.0,
            "age_standardised": False,
            "suppressed": False,
            "synthetic": True,
        }
    )
    pd.DataFrame([row]).to_parquet(built)
    result = CliRunner().invoke(
        app,
        [
            "fetch",
            "fingertips",
            "--indicators",
            "90366",
            "--from-file",
            str(RECORDED / "fingertips_90366.csv"),
            "--neighbours",
            "E09000007",
            "--merge",
            str(built),
            "--out",
            str(tmp_path / "ft"),
        ],
    )
    assert result.exit_code == 0, result.output
    bench = pd.read_parquet(tmp_path / "ft" / "benchmarks.parquet")
    # Westminster M/F, London M/F, Camden M, England M/F and its decile row
    assert len(bench) == 8
    merged = pd.read_parquet(tmp_path / "ft" / "indicators_with_benchmarks.parquet")
    assert len(merged) == 9
    assert "benchmark rows (Westminster, London region (statistical), Camden, England)" in (
        result.output
    )


def test_bulk_wards_need_a_lookup_outside_westminster(tmp_path):
    with pytest.raises(InputError, match="lookup for E09000033 only"):
        fetch_census_command(
            area="E09000007",
            tables=["TS021"],
            level="ward",
            out=tmp_path,
            from_files=tmp_path,
            settings=FetchSettings(),
        )


def _bulk_row(table: str, area: str) -> dict[str, str]:
    with open(LTLA / f"census2021-{table}-ltla.csv", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            if row["geography code"] == area:
                return row
    raise AssertionError(f"{area} not in {table}")


@needs_shared
def test_westminster_totals_from_the_shared_bulk_files(tmp_path):
    result = CliRunner().invoke(
        app,
        [
            "fetch",
            "census",
            "--area",
            "E09000033",
            "--from-files",
            str(LTLA),
            "--out",
            str(tmp_path),
            "--tables",
            "TS021,TS009",
        ],
    )
    assert result.exit_code == 0, result.output
    data = nomis.read_census(tmp_path).data
    ts021 = data[data["table"] == "TS021"].set_index("category")["count"]
    assert ts021["Total: All usual residents"] == 204_236
    white = ts021[[c for c in ts021.index if c.startswith("White: ")]].sum()
    assert round(100 * (1 - white / 204_236), 1) == 44.8
    ts009 = data[data["table"] == "TS009"].set_index("category")["count"]
    assert ts009["All persons; Total"] == 204_233


@needs_shared
@pytest.mark.skipif(not WARD.is_dir(), reason=f"shared ward bulk files not found at {WARD}")
def test_westminster_wards_from_the_shared_bulk_files(tmp_path):
    fetch_census_command(
        area="E09000033",
        tables=["TS021"],
        level="ward",
        out=tmp_path,
        from_files=WARD,
        settings=FetchSettings(),
    )
    data = nomis.read_census(tmp_path).data
    totals = data[data["category"] == "Total: All usual residents"]
    assert len(totals) == 18
    assert totals["count"].sum() == 204_247  # the ward sum (cell-key perturbation)


@needs_shared
@pytest.mark.parametrize(
    ("area", "name"), [("E09000007", "Camden"), ("E09000030", "Tower Hamlets")]
)
def test_a_synthetic_borough_matches_its_fetched_margins(tmp_path, area, name):
    table = nomis.read_bulk_census(
        LTLA, area, tables=["TS009", "TS021", "TS024", "TS037", "TS038", "TS039", "TS054", "TS066"]
    )
    cal, notes = calibration_from_census(table.data, load_calibration())
    assert cal.raw["name"] == f"Synthetic {name}" and len(notes) == 8
    scale = 0.1
    data = generate(seed=7, scale=scale, calibration=cal)
    people = data.people.merge(data.truth.drop(columns="lsoa21"), on="person_id")
    end = pd.to_datetime(people["registration_end"])
    living = people[
        pd.to_datetime(people["registration_start"]).le(PERIOD_END)
        & (end.isna() | end.gt(PERIOD_END))
    ].copy()
    born = pd.to_datetime(living["date_of_birth"])
    # whole years on 31 March 2024: one less for birthdays after 31 March
    living["age"] = (2024 - born.dt.year - ((born.dt.month * 100 + born.dt.day) > 331)).to_numpy()

    ts021 = _bulk_row("ts021", area)
    total = 0
    for group, category in TS021_CATEGORIES.items():
        want = int(ts021[f"Ethnic group: {category}"])
        total += want
        got = int((living["ethnicity_19"] == group).sum())
        # each of 18 ward cells rounds count × scale: at most 9 people either way
        assert abs(got - want * scale) <= 9, group
    gm_want = (
        1
        - sum(
            int(ts021[f"Ethnic group: {c}"])
            for g, c in TS021_CATEGORIES.items()
            if g.startswith("White") or g == "Roma"
        )
        / total
    )
    white = living["ethnicity_19"].str.startswith("White") | (living["ethnicity_19"] == "Roma")
    assert (~white).mean() == pytest.approx(gm_want, abs=0.002)

    ts009 = _bulk_row("ts009", area)
    for sex, code in (("Female", "F"), ("Male", "M")):
        ages = [int(ts009[f"Sex: {sex}; Age: Aged under 1 year; measures: Value"])]
        ages += [
            int(ts009[f"Sex: {sex}; Age: Aged {a} year{'s' if a > 1 else ''}; measures: Value"])
            for a in range(1, 90)
        ]
        ages.append(int(ts009[f"Sex: {sex}; Age: Aged 90 years and over; measures: Value"]))
        all_ages = int(ts009["Sex: All persons; Age: Total; measures: Value"])
        want = np.add.reduceat(np.array(ages, float), np.arange(0, 91, 5)) * total * scale
        want /= all_ages
        years = np.minimum(living.loc[living["sex"] == code, "age"].to_numpy(), 90)
        got = np.bincount(np.minimum(years // 5, 18), minlength=19)
        # multinomial sampling: within 4 standard deviations in every 5-year band
        assert (np.abs(got - want) < 4 * np.sqrt(want) + 2).all(), (sex, got, want.round())

    # TS024 Bengali main language (aged 3+) and TS037 very good health: fitted margins,
    # within sampling noise plus 3% for the language model's fit
    bengali = "Main language (detailed): South Asian language: Bengali (with Sylheti and Chatgaya)"
    want = int(_bulk_row("ts024", area)[bengali]) * scale
    speaks = living["main_language"] == "Bengali (with Sylheti and Chatgaya)"
    got = int((speaks & (living["age"] >= 3)).sum())
    assert abs(got - want) < 4 * np.sqrt(want) + 0.03 * want, (got, want)
    ts037 = _bulk_row("ts037", area)
    share = int(ts037["General health: Very good health"]) / int(
        ts037["General health: Total: All usual residents"]
    )
    assert (living["general_health"] == "very_good").mean() == pytest.approx(share, abs=0.01)


def test_margins_need_ts021_and_one_local_authority():
    base = load_calibration()
    two = pd.DataFrame(
        [("E09000007", "Camden", "TS021", c, 10) for c in TS021_CATEGORIES.values()]
        + [("E09000030", "Tower Hamlets", "TS021", c, 10) for c in TS021_CATEGORIES.values()],
        columns=list(nomis.CENSUS_COLUMNS),
    )
    with pytest.raises(InputError, match=r"name the local authority: .*E09000007, E09000030"):
        calibration_from_census(two, base)
    cal, _ = calibration_from_census(two, base, area="E09000030")
    assert cal.ward_ethnicity.sum(axis=0).tolist() == [10.0] * 19
    only_health = pd.DataFrame(
        [("E09000007", "Camden", "TS037", "Good health", 5)], columns=list(nomis.CENSUS_COLUMNS)
    )
    with pytest.raises(InputError, match=r"TS021 \(ethnic group\) is required"):
        calibration_from_census(only_health, base)


def test_synth_cli_takes_margins_from_a_fetched_table(tmp_path):
    rows = [("E09000007", "Camden", "TS021", c, 1000) for c in TS021_CATEGORIES.values()]
    table = nomis.CensusTable(
        pd.DataFrame(rows, columns=list(nomis.CENSUS_COLUMNS)), {"source": "test"}
    )
    nomis.write_census(table, tmp_path / "census")
    result = CliRunner().invoke(
        app,
        [
            "synth",
            "--out",
            str(tmp_path / "data"),
            "--scale",
            "0.5",
            "--margins-from",
            str(tmp_path / "census"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "margins: TS021: E09000007 ethnic group totals (19,000 residents)" in result.output
    assert "TS009 not in the census table: age × sex margins kept" in result.output
    assert "Synthetic Camden (seed 2024, scale 0.5)" in result.output
    people = pd.read_parquet(tmp_path / "data" / "people.parquet")
    assert len(people) >= 9_500  # 19 groups × 1000 × 0.5 living, plus the deceased


@needs_shared
def test_the_api_and_the_bulk_file_give_the_same_tidy_table(replay):
    r = replay(lambda request: csv_response("nomis_ts021_westminster.csv"))
    api = nomis.fetch_census("E09000033", ["TS021"], fetcher=r.fetcher("Nomis")).data
    bulk = nomis.read_bulk_census(LTLA, "E09000033", tables=["TS021"]).data
    key = ["area_code", "table", "category"]
    assert (
        api.sort_values(key)
        .reset_index(drop=True)
        .equals(bulk.sort_values(key).reset_index(drop=True))
    )


def test_fetch_fingertips_command_through_the_api(tmp_path, replay):
    r = replay(lambda request: csv_response("fingertips_90366.csv"))
    args = {
        "area": "E09000033",
        "area_type": 502,
        "parent": 6,
        "neighbours": ["E09000002"],
        "out": tmp_path,
        "from_file": None,
        "merge": None,
        "settings": FetchSettings(retries=0),
        "transport": r.transport,
    }
    lines = fetch_fingertips_command(indicators=["90366"], **args)
    assert lines[0].startswith("10 Fingertips rows from https://fingertips.phe.org.uk/api/")
    bench = pd.read_parquet(tmp_path / "benchmarks.parquet")
    meta = pq.read_schema(tmp_path / "fingertips.parquet").metadata
    assert meta[b"jsna.fingertips.licence"] == b"Open Government Licence v3.0"
    assert meta[b"jsna.fingertips.query"].startswith(b"https://fingertips.phe.org.uk/api/")
    assert sorted(set(bench["area_code"])) == ["E09000002", "E09000033", "E12000007", "E92000001"]
    with pytest.raises(InputError, match="an indicator id is a whole number"):
        fetch_fingertips_command(indicators=["LE-birth"], **args)


def test_fetch_fingertips_command_adds_nearest_neighbours(tmp_path, replay):
    def service(request):
        if request.url.path.endswith("by_parent_area_code"):
            return httpx.Response(200, content=recorded("fingertips_nearest_neighbours.json"))
        return csv_response("fingertips_90366.csv")

    r = replay(service)
    args = {
        "indicators": ["90366"],
        "area": "E09000033",
        "area_type": 502,
        "parent": 6,
        "neighbours": ["E09000002"],
        "out": tmp_path,
        "merge": None,
        "settings": FetchSettings(retries=0),
        "transport": r.transport,
    }
    # the recorded export has Camden but not Kensington and Chelsea: a clear error
    with pytest.raises(InputError, match="no Fingertips rows for E09000020, E09000013"):
        fetch_fingertips_command(from_file=None, nearest=True, **args)
    with pytest.raises(InputError, match="nearest neighbours come from the Fingertips API"):
        fetch_fingertips_command(from_file=RECORDED / "fingertips_90366.csv", nearest=True, **args)
