"""A clean, hand-made directory: validates clean, summary counted by hand, typed read."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from jsna.cli import app
from jsna.sources import open_records, validate_directory

from .datadir import GOOD, write_tables

# (figure key, count, denominator), counted by hand from GOOD.
EXPECTED_FIGURES = [
    ("people.ethnicity_not_recorded", 2, 6),  # P3, P6 empty
    ("people.ethnicity_not_stated", 1, 6),  # P2 "Z"
    ("people.lsoa_unknown", 2, 6),  # P2, P6
    ("people.lsoa_outside_borough", 1, 6),  # P3 E01000001 (City of London)
    ("people.language_not_recorded", 2, 6),  # P3, P6
    ("people.age_only", 1, 6),  # P5
    ("people.registered_at_period_end", 3, 6),  # P1-P3; P4, P6 ended; P5 starts later
    ("people.born_after_period", 0, 6),  # all born by 2000; P5 has only an age
    ("people.registration_ended", 2, 6),  # P4, P6
    ("people.registration_ended_by_death", 2, 6),  # both ended on their date of death
    ("people.registration_start_after_period", 1, 6),  # P5 2024-04-15
    ("people.duplicate_person_id", 0, 6),
    ("conditions.date_after_period", 1, 4),  # P1 diabetes 2024-05-01
    ("conditions.duplicate_rows", 0, 4),
    ("events.date_after_period", 2, 5),  # the two 2024-06-01 health checks
    ("events.not_eligible", 1, 5),  # P3 cervical "false"
    ("events.duplicate_rows", 1, 5),  # second identical health check
    ("deaths.outside_window", 1, 2),  # P6 2019-03-01, before 2019-04-01
    ("deaths.duplicate_person_id", 0, 2),
]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory):
    directory = write_tables(tmp_path_factory.mktemp("good") / "data", GOOD)
    return validate_directory(directory, today=dt.date(2026, 1, 1))


def test_good_directory_has_no_errors(report) -> None:
    assert report.ok, [str(e) for e in report.errors]
    assert report.totals == ()


def test_rows_per_table(report) -> None:
    assert [(t.table, t.rows) for t in report.summary.tables] == [
        ("people", 6),
        ("conditions", 4),
        ("events", 5),
        ("deaths", 2),
    ]
    assert report.summary.synthetic is False


@pytest.mark.parametrize(("key", "count", "denominator"), EXPECTED_FIGURES)
def test_quality_figures_counted_by_hand(report, key: str, count: int, denominator: int) -> None:
    figure = report.summary.figure(key)
    assert (figure.count, figure.denominator) == (count, denominator)


def test_percent_is_derived(report) -> None:
    assert report.summary.figure("people.ethnicity_not_recorded").percent == pytest.approx(
        100 * 2 / 6
    )


def test_age_only_people_get_a_note(report) -> None:
    assert any("nominal" in note and "182 days" in note for note in report.summary.notes)


def test_cli_validate_clean_exit_zero(good_dir: Path) -> None:
    result = CliRunner().invoke(app, ["validate", str(good_dir)])
    assert result.exit_code == 0, result.output
    assert "No errors." in result.output
    assert "ethnicity recorded as not stated" in result.output


def test_open_records_types_and_values(good_dir: Path) -> None:
    with open_records(good_dir) as records:
        people = records.people.execute().set_index("person_id")
        events = records.events.execute()
        deaths = records.deaths.execute().set_index("person_id")
        conditions = records.conditions.execute()
        schema = records.people.schema()
    assert str(schema["date_of_birth"]) == "date"
    assert str(schema["registration_end"]) == "date"
    assert len(people) == 6 and len(conditions) == 4
    # P5: age 30 at 2024-03-31 → 2024-03-31 − 30 years = 1994-03-31, − 182 days = 1993-09-30
    assert people.loc["P5", "date_of_birth"] == pd.Timestamp(1993, 9, 30)
    assert bool(people.loc["P5", "date_of_birth_nominal"]) is True
    assert bool(people.loc["P1", "date_of_birth_nominal"]) is False
    assert people.loc["P3", "date_of_birth"] == pd.Timestamp(2000, 2, 29)
    assert people.loc["P4", "registration_end"] == pd.Timestamp(2023, 5, 1)
    assert people["ethnicity_code"].isna().sum() == 2  # empty → NULL ("not recorded")
    assert events["eligible"].tolist() == [True, True, False, True, True]
    # data model: I00-I99 circulatory, J40-J44 copd
    assert deaths["cause_group"].to_dict() == {"P4": "circulatory", "P6": "copd"}


def test_provenance_hashes_and_rows(good_dir: Path) -> None:
    with open_records(good_dir) as records:
        files = {f.table: f for f in records.files}
    for table in ("people", "conditions", "events", "deaths"):
        path = good_dir / f"{table}.csv"
        assert files[table].sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert files[table].rows == len(GOOD[table]["person_id"])


def test_close_removes_work_dir(good_dir: Path) -> None:
    records = open_records(good_dir)
    work = records.work_dir
    assert (work / "tables" / "people.parquet").exists()
    records.close()
    assert not work.exists()


def test_nothing_written_to_the_data_dir(good_dir: Path) -> None:
    before = sorted(p.name for p in good_dir.iterdir())
    with open_records(good_dir):
        pass
    validate_directory(good_dir)
    assert sorted(p.name for p in good_dir.iterdir()) == before


@pytest.mark.parametrize("fmt", ["parquet", "xlsx"])
def test_formats_read_the_same_as_csv(tmp_path: Path, fmt: str) -> None:
    csv_dir = write_tables(tmp_path / "csv", GOOD)
    other = write_tables(tmp_path / fmt, GOOD, fmt)
    with open_records(csv_dir) as a, open_records(other) as b:
        for table in ("people", "conditions", "events", "deaths"):
            left = getattr(a, table).execute()
            right = getattr(b, table).execute()
            assert left.equals(right), table


def test_typed_parquet_dates_are_read(tmp_path: Path) -> None:
    """Parquet with real DATE/TIMESTAMP/BOOLEAN/float columns reads as the text would."""
    directory = tmp_path / "typed"
    directory.mkdir()
    people = pa.table(
        {
            "person_id": ["A", "B"],
            "sex": ["F", "M"],
            "date_of_birth": pa.array([dt.date(1970, 1, 2), None], pa.date32()),
            "age": pa.array([None, 41.0], pa.float64()),
            "ethnicity_code": ["A", None],
            "lsoa21": [None, None],
            "main_language": ["English", None],
            "registration_start": pa.array(
                [dt.datetime(2001, 2, 3), dt.datetime(2002, 3, 4)], pa.timestamp("us")
            ),
        }
    )
    pq.write_table(people, directory / "people.parquet")
    events = pa.table(
        {
            "person_id": ["A", "B"],
            "event": ["flu_vaccination", "flu_vaccination"],
            "date": pa.array([dt.date(2023, 10, 1), dt.date(2023, 11, 1)], pa.date32()),
            "eligible": pa.array([None, False], pa.bool_()),
        }
    )
    pq.write_table(events, directory / "events.parquet")
    with open_records(directory) as records:
        got = records.people.execute().set_index("person_id")
        eligible = records.events.execute()["eligible"].tolist()
    assert got.loc["A", "date_of_birth"] == pd.Timestamp(1970, 1, 2)
    # 41 whole years at 2024-03-31 → 1983-03-31 − 182 days = 1982-09-30
    assert got.loc["B", "date_of_birth"] == pd.Timestamp(1982, 9, 30)
    assert got.loc["A", "registration_start"] == pd.Timestamp(2001, 2, 3)
    assert eligible == [True, False]


def test_synthetic_marker_is_passed_on(tmp_path: Path) -> None:
    directory = write_tables(tmp_path / "synth", GOOD, "parquet")
    table = pq.read_table(directory / "people.parquet")
    table = table.replace_schema_metadata(
        {**(table.schema.metadata or {}), b"jsna.synthetic": b"true"}
    )
    pq.write_table(table, directory / "people.parquet")
    report = validate_directory(directory)
    assert report.summary.synthetic is True
    assert report.summary.tables[0].synthetic is True
    output = CliRunner().invoke(app, ["validate", str(directory)]).output
    assert "SYNTHETIC DATA" in output
    with open_records(directory) as records:
        assert records.synthetic is True
        typed = records.work_dir / "tables" / "deaths.parquet"
        assert pq.read_metadata(typed).metadata[b"jsna.synthetic"] == b"true"


def test_custom_ibis_connection_and_work_dir(good_dir: Path, tmp_path: Path) -> None:
    import ibis

    con = ibis.duckdb.connect()
    records = open_records(good_dir, con, work_dir=tmp_path / "work")
    assert set(con.list_tables()) >= {"people", "conditions", "events", "deaths"}
    assert con.table("deaths").count().execute() == 2
    records.close()
    assert (tmp_path / "work" / "tables" / "people.parquet").exists()  # caller's dir is kept
