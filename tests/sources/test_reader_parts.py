"""The parts of the readers one at a time: hints, encodings, Excel, headers, modes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from jsna.cli import app
from jsna.errors import InputError
from jsna.sources import open_records, validate_directory
from jsna.sources.checks import date_hint
from jsna.sources.files import excel_to_csv, read_csv_header, recode_cp1252

from .datadir import copy_tables, write_tables


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("31/03/2024", "write 2024-03-31"),
        ("1.2.1999", "write 1999-02-01"),
        ("31/02/2024", "not a real date"),
        ("March 2024", "YYYY-MM-DD, e.g. 2024-03-31"),
    ],
)
def test_date_hint(value: str, expected: str) -> None:
    assert expected in date_hint(value)


def test_recode_cp1252_converts_and_locates_bad_bytes(tmp_path: Path) -> None:
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes("a,b\n1,caf\u00e9 \u20ac\n".encode("cp1252"))
    recode_cp1252(source, target, "in.csv")
    assert target.read_text(encoding="utf-8") == "a,b\n1,caf\u00e9 \u20ac\n"
    source.write_bytes(b"a,b\n1,x\n2,y\x90\n")  # 0x90 is undefined in cp1252; 12th byte
    with pytest.raises(InputError) as caught:
        recode_cp1252(source, target, "in.csv")
    assert (caught.value.file, caught.value.row, caught.value.value) == ("in.csv", 2, "0x90")
    assert "byte offset 11 (counting from 0)" in str(caught.value)
    assert not target.exists()


def test_header_refuses_duplicate_and_blank_names(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("person_id,sex,sex\n")
    with pytest.raises(InputError, match="appears twice") as caught:
        read_csv_header(path, "people.csv")
    assert caught.value.column == "sex"
    path.write_text("person_id,,sex\n")
    with pytest.raises(InputError, match="column 2 has no name"):
        read_csv_header(path, "people.csv")
    path.write_bytes(b"\xef\xbb\xbf person_id , sex\r\n")
    assert read_csv_header(path, "people.csv") == (["person_id", "sex"], "utf-8")


def test_excel_rows_keep_their_positions(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["person_id", "date", "n", "flag"])
    sheet.append(["A", dt.datetime(2024, 3, 31), 3.0, True])
    sheet.append([None, None, None, None])  # a blank row inside the table is kept
    sheet.append(["B", dt.date(2020, 1, 2), 2.5, False])
    sheet.append([None, None, None, None])  # trailing blank rows are not
    book.save(tmp_path / "t.xlsx")
    excel_to_csv(tmp_path / "t.xlsx", tmp_path / "t.csv", "t.xlsx")
    assert (tmp_path / "t.csv").read_text().splitlines() == [
        "person_id,date,n,flag",
        "A,2024-03-31,3,true",
        ",,,",
        "B,2020-01-02,2.5,false",
    ]


def test_validate_false_trusts_codes_but_still_types(tmp_path: Path) -> None:
    tables = copy_tables()
    tables["people"]["sex"][0] = "X"  # a code: trusted without validation
    with open_records(write_tables(tmp_path / "a", tables), validate=False) as records:
        assert records.people.execute()["sex"].iloc[0] == "X"
    tables["people"]["date_of_birth"][0] = "01/01/1950"  # a type: always checked
    with pytest.raises(InputError) as caught:
        open_records(write_tables(tmp_path / "b", tables), validate=False)
    assert (caught.value.column, caught.value.row) == ("date_of_birth", 1)


def test_today_decides_what_is_in_the_future(tmp_path: Path) -> None:
    directory = write_tables(tmp_path / "data", copy_tables())
    # P2 was born 1985-06-15: "today" the day before makes that a future birth
    report = validate_directory(directory, today=dt.date(1985, 6, 14))
    future = [e for e in report.errors if e.column == "date_of_birth"]
    assert [e.row for e in future] == [2, 3, 6]  # born 1985-06-15, 2000-02-29, 1990-07-01


def test_missing_directory_exit_code(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "data directory not found" in result.output


def test_extra_column_is_ignored_with_a_note(tmp_path: Path) -> None:
    tables = copy_tables()
    tables["people"]["nhs_number"] = ["1"] * 6
    report = validate_directory(write_tables(tmp_path / "data", tables))
    assert report.ok
    assert any("nhs_number" in note for note in report.summary.notes)


def test_parquet_with_real_types_reports_text_values(tmp_path: Path) -> None:
    tables = copy_tables()
    write_tables(tmp_path / "data", {k: v for k, v in tables.items() if k != "people"})
    people = pd.DataFrame(tables["people"]).replace("", None)
    people["age"] = pd.to_numeric(people["age"]).astype("float64")
    people.loc[4, "age"] = 30.5  # not a whole number
    people.to_parquet(tmp_path / "data" / "people.parquet", index=False)
    with pytest.raises(InputError) as caught:
        open_records(tmp_path / "data")
    assert (caught.value.column, caught.value.row, caught.value.value) == ("age", 5, "30.5")


@pytest.mark.parametrize(
    ("header", "hint"),
    [
        ("person_id;sex;date_of_birth", "not seem to be comma-separated"),
        ("Person_ID,sex,date_of_birth", "the header has 'Person_ID'"),
    ],
)
def test_missing_column_hints(tmp_path: Path, header: str, hint: str) -> None:
    directory = tmp_path / "data"
    directory.mkdir()
    (directory / "people.csv").write_text(header + "\n")
    with pytest.raises(InputError) as caught:
        open_records(directory)
    assert caught.value.file == "people.csv" and caught.value.column == "person_id"
    assert hint in str(caught.value)


@pytest.mark.parametrize("content", [b"\rperson_id,sex\n", b"\n\n", b"\r\n"])
def test_empty_first_line_is_an_input_error(tmp_path: Path, content: bytes) -> None:
    """Found by the fuzz suite: a lone carriage return before the header."""
    path = tmp_path / "people.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match="first line is empty"):
        read_csv_header(path, "people.csv")


def test_empty_excel_sheet(tmp_path: Path) -> None:
    Workbook().save(tmp_path / "people.xlsx")
    with pytest.raises(InputError, match="first sheet is empty") as caught:
        excel_to_csv(tmp_path / "people.xlsx", tmp_path / "people.csv", "people.xlsx")
    assert caught.value.file == "people.xlsx"
    assert not (tmp_path / "people.csv").exists()


def test_cli_period_options(good_dir: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["validate", str(good_dir), "--period-end", "2020-12-31", "--window-start", "2016-01-01"],
    )
    assert result.exit_code == 0
    assert "period end 2020-12-31" in result.output
    # window 2016-01-01..2020-12-31: P4's death (2023-05-01) is now outside it, P6's inside
    report = validate_directory(
        good_dir, period_end=dt.date(2020, 12, 31), window_start=dt.date(2016, 1, 1)
    )
    assert report.summary.figure("deaths.outside_window").count == 1
    assert report.summary.figure("people.registration_start_after_period").count == 1  # P5
    early = validate_directory(
        good_dir, period_end=dt.date(1995, 12, 31), window_start=dt.date(1991, 1, 1)
    )
    assert early.summary.figure("people.born_after_period").count == 1  # P3, born 2000-02-29
    bad = CliRunner().invoke(app, ["validate", str(good_dir), "--period-end", "31/03/2024"])
    assert bad.exit_code == 1 and "write 2024-03-31" in bad.output


def test_long_values_are_shortened_in_messages(tmp_path: Path) -> None:
    tables = copy_tables()
    tables["people"]["sex"][1] = "Q" * 100_000  # under the line limit, still not a sex code
    with pytest.raises(InputError) as caught:
        open_records(write_tables(tmp_path / "data", tables))
    assert (caught.value.column, caught.value.row) == ("sex", 2)
    assert caught.value.value == "Q" * 80 + "…"


def test_untypeable_value_with_validation_off(tmp_path: Path) -> None:
    tables = copy_tables()
    tables["people"]["age"][4] = "99999999999"  # digits, but too big for a whole-number age
    with pytest.raises(InputError) as caught:
        open_records(write_tables(tmp_path / "data", tables), validate=False)
    assert caught.value.file == "people.csv" and "could not be typed" in str(caught.value)
