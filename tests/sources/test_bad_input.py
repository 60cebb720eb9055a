"""Every kind of bad file ends in a message naming file, column, row and value.

Each case breaks one value (or one file) of the hand-made directory and runs
``jsna validate`` through typer's CliRunner: exit code 1, and the message
names the file, the column, the 1-based data row and the value — all of which
the test knows because it put the fault there.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jsna.cli import app
from jsna.errors import InputError
from jsna.sources import open_records, validate_directory

from .datadir import GOOD, copy_tables, write_tables

Tables = dict[str, dict[str, list[str]]]


def _set(table: str, column: str, row: int, value: str) -> Callable[[Tables], None]:
    def change(tables: Tables) -> None:
        tables[table][column][row - 1] = value

    return change


def _append(table: str, values: dict[str, str]) -> Callable[[Tables], None]:
    def change(tables: Tables) -> None:
        for column, column_values in tables[table].items():
            column_values.append(values.get(column, ""))

    return change


# (case id, change, file, column, row, value, words that must appear)
VALUE_CASES = [
    ("bad sex code", _set("people", "sex", 2, "X"), "people.csv", "sex", 2, "X", "allowed"),
    ("empty sex", _set("people", "sex", 3, ""), "people.csv", "sex", 3, "", "empty"),
    ("negative age", _set("people", "age", 5, "-3"), "people.csv", "age", 5, "-3", "between 0"),
    ("age over 120", _set("people", "age", 5, "121"), "people.csv", "age", 5, "121", "120"),
    (
        "age not a number",
        _set("people", "age", 5, "thirty"),
        "people.csv",
        "age",
        5,
        "thirty",
        "whole number",
    ),
    (
        "duplicate id",
        _set("people", "person_id", 3, "P1"),
        "people.csv",
        "person_id",
        3,
        "P1",
        "row 1",
    ),
    (
        "day-first date",
        _set("people", "date_of_birth", 2, "15/06/1985"),
        "people.csv",
        "date_of_birth",
        2,
        "15/06/1985",
        "1985-06-15",
    ),
    (
        "impossible date",
        _set("people", "date_of_birth", 1, "1950-02-30"),
        "people.csv",
        "date_of_birth",
        1,
        "1950-02-30",
        "YYYY-MM-DD",
    ),
    (
        "birth in the future",
        _set("people", "date_of_birth", 1, "2099-01-01"),
        "people.csv",
        "date_of_birth",
        1,
        "2099-01-01",
        "future",
    ),
    (
        "unknown ethnicity",
        _set("people", "ethnicity_code", 1, "Q9"),
        "people.csv",
        "ethnicity_code",
        1,
        "Q9",
        "ethnicity",
    ),
    (
        "bad lsoa",
        _set("people", "lsoa21", 1, "E0100473"),
        "people.csv",
        "lsoa21",
        1,
        "E0100473",
        "E01",
    ),
    (
        "registration ends first",
        _set("people", "registration_end", 2, "2001-01-01"),
        "people.csv",
        "registration_end",
        2,
        "2001-01-01",
        "before it starts",
    ),
    (
        "condition person unknown",
        _set("conditions", "person_id", 4, "P9"),
        "conditions.csv",
        "person_id",
        4,
        "P9",
        "not in the people",
    ),
    (
        "bad condition",
        _set("conditions", "condition", 2, "diabetes_t2"),
        "conditions.csv",
        "condition",
        2,
        "diabetes_t2",
        "allowed",
    ),
    (
        "diagnosis after registration",
        _set("conditions", "diagnosis_date", 4, "2023-06-01"),
        "conditions.csv",
        "diagnosis_date",
        4,
        "2023-06-01",
        "end of registration",
    ),
    (
        "condition twice",
        _set("conditions", "condition", 2, "hypertension"),
        "conditions.csv",
        "condition",
        2,
        "hypertension",
        "row 1",
    ),
    ("bad event", _set("events", "event", 1, "flu"), "events.csv", "event", 1, "flu", "allowed"),
    (
        "bad eligible",
        _set("events", "eligible", 2, "maybe"),
        "events.csv",
        "eligible",
        2,
        "maybe",
        "true or false",
    ),
    (
        "event date wrong type",
        _set("events", "date", 3, "2023"),
        "events.csv",
        "date",
        3,
        "2023",
        "YYYY-MM-DD",
    ),
    (
        "two deaths",
        _append(
            "deaths", {"person_id": "P4", "date_of_death": "2023-05-02", "underlying_cause": "I10"}
        ),
        "deaths.csv",
        "person_id",
        3,
        "P4",
        "row 1",
    ),
    (
        "death before birth",
        _set("deaths", "date_of_death", 2, "1980-01-01"),
        "deaths.csv",
        "date_of_death",
        2,
        "1980-01-01",
        "before the date of birth",
    ),
    (
        "unknown cause",
        _set("deaths", "underlying_cause", 1, "heart"),
        "deaths.csv",
        "underlying_cause",
        1,
        "heart",
        "ICD-10",
    ),
]


def _run(directory: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["validate", str(directory)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("change", "file", "column", "row", "value", "words"),
    [case[1:] for case in VALUE_CASES],
    ids=[case[0] for case in VALUE_CASES],
)
def test_cli_names_file_column_row_value(
    tmp_path: Path, change, file: str, column: str, row: int, value: str, words: str
) -> None:
    tables = copy_tables()
    change(tables)
    code, output = _run(write_tables(tmp_path / "data", tables))
    assert code == 1
    line = next(line for line in output.splitlines() if line.startswith(f"error: {file}"))
    assert f"column {column!r}" in line
    assert f"row {row}" in line
    assert f"value {value!r}" in line
    assert words in line


@pytest.mark.parametrize(
    ("change", "file", "column", "row", "value", "words"),
    [case[1:] for case in VALUE_CASES[:6]],
    ids=[c[0] for c in VALUE_CASES[:6]],
)
def test_open_records_raises_the_same_error(
    tmp_path: Path, change, file: str, column: str, row: int, value: str, words: str
) -> None:
    tables = copy_tables()
    change(tables)
    directory = write_tables(tmp_path / "data", tables)
    work = tmp_path / "work"
    with pytest.raises(InputError) as caught:
        open_records(directory, work_dir=work)
    error = caught.value
    assert (error.file, error.column, error.row, error.value) == (file, column, row, value)
    assert not (work / "tables").exists()  # no partial output


def test_missing_column_names_file_and_column(tmp_path: Path) -> None:
    tables = copy_tables()
    del tables["people"]["sex"]
    code, output = _run(write_tables(tmp_path / "data", tables))
    assert code == 1
    assert "people.csv, column 'sex'" in output and "missing" in output


def test_neither_birth_date_nor_age_column(tmp_path: Path) -> None:
    tables = copy_tables()
    del tables["people"]["date_of_birth"], tables["people"]["age"]
    with pytest.raises(InputError) as caught:
        open_records(write_tables(tmp_path / "data", tables))
    assert caught.value.column == "date_of_birth" and "age" in str(caught.value)


@pytest.mark.parametrize("fmt", ["parquet", "xlsx"])
def test_row_numbers_hold_for_parquet_and_excel(tmp_path: Path, fmt: str) -> None:
    tables = copy_tables()
    tables["people"]["sex"][4] = "X"
    directory = write_tables(tmp_path / "data", tables, fmt)
    with pytest.raises(InputError) as caught:
        open_records(directory)
    error = caught.value
    assert (error.file, error.column, error.row, error.value) == (f"people.{fmt}", "sex", 5, "X")


def test_cap_lists_some_and_counts_the_rest(tmp_path: Path) -> None:
    tables = copy_tables()
    for _ in range(30):
        _append("events", {"person_id": "P1", "event": "flu", "date": "2023-10-01"})(tables)
    directory = write_tables(tmp_path / "data", tables)
    report = validate_directory(directory, cap=5)
    flu = [e for e in report.errors if e.value == "flu"]
    assert [e.row for e in flu] == [6, 7, 8, 9, 10]
    (total,) = [t for t in report.totals if t.column == "event"]
    assert (total.rows, total.shown) == (30, 5)
    result = CliRunner().invoke(app, ["validate", str(directory), "--max-errors", "5"])
    assert "25 more rows" in result.output


# ---- whole-file problems: bytes written by hand ---------------------------------------------


def _people_text() -> str:
    columns = GOOD["people"]
    lines = [",".join(columns)]
    for i in range(len(columns["person_id"])):
        lines.append(
            ",".join(f'"{v}"' if "," in v else v for v in (c[i] for c in columns.values()))
        )
    return "\n".join(lines) + "\n"


def _people_dir(tmp_path: Path, content: bytes) -> Path:
    directory = write_tables(tmp_path / "data", {k: v for k, v in GOOD.items() if k != "people"})
    (directory / "people.csv").write_bytes(content)
    return directory


def _line(n: int) -> str:
    return _people_text().splitlines()[n]


def test_unbalanced_quote(tmp_path: Path) -> None:
    text = _people_text().replace(_line(3), _line(3).replace("P3,", '"P3,', 1))
    code, output = _run(_people_dir(tmp_path, text.encode()))
    assert code == 1
    assert "people.csv, column 'person_id', row 3" in output
    assert "value '\"P3," in output and "quote" in output


def test_wrong_field_count(tmp_path: Path) -> None:
    text = _people_text().replace(_line(2), _line(2) + ",extra")
    code, output = _run(_people_dir(tmp_path, text.encode()))
    assert code == 1
    assert "people.csv, column 'field 10', row 2" in output
    assert "more fields than the header" in output and "extra" in output


def test_too_few_fields(tmp_path: Path) -> None:
    text = _people_text().replace(_line(4), "P4,U")
    code, output = _run(_people_dir(tmp_path, text.encode()))
    assert code == 1
    assert "people.csv, column 'date_of_birth', row 4: value 'P4,U'" in output


def test_huge_field(tmp_path: Path) -> None:
    huge = "x" * 2_500_000
    text = _people_text().replace(_line(6), _line(6).replace("P6", huge, 1))
    code, output = _run(_people_dir(tmp_path, text.encode()))
    assert code == 1
    assert "people.csv, row 6: value 'xxxx" in output and "longer than 2,000,000 bytes" in output
    assert len(output) < 10_000  # the field is previewed, not printed


def test_empty_file(tmp_path: Path) -> None:
    code, output = _run(_people_dir(tmp_path, b""))
    assert code == 1 and "people.csv" in output and "empty" in output


def test_header_only_people_has_zero_rows_and_errors(tmp_path: Path) -> None:
    header = _people_text().splitlines()[0] + "\n"
    report = validate_directory(_people_dir(tmp_path, header.encode()))
    assert report.summary.rows("people") == 0
    # every condition, event and death now points at a person who is not there
    assert {e.file for e in report.errors} == {"conditions.csv", "events.csv", "deaths.csv"}


def test_utf8_bom_reads_clean(tmp_path: Path) -> None:
    directory = _people_dir(tmp_path, codecs.BOM_UTF8 + _people_text().encode())
    report = validate_directory(directory)
    assert report.ok, [str(e) for e in report.errors]
    with open_records(directory) as records:
        assert records.people.execute()["person_id"].iloc[0] == "P1"


def test_windows_1252_is_decoded_with_a_note(tmp_path: Path) -> None:
    text = _people_text().replace("Arabic", "Fran\u00e7ais \u2013 \u201cFR\u201d")
    directory = _people_dir(tmp_path, text.encode("cp1252"))
    report = validate_directory(directory)
    assert report.ok
    assert any("Windows-1252" in note for note in report.summary.notes)
    with open_records(directory) as records:
        languages = records.people.execute()["main_language"].tolist()
    assert languages[1] == "Fran\u00e7ais \u2013 \u201cFR\u201d"


def test_byte_in_neither_encoding(tmp_path: Path) -> None:
    raw = _people_text().encode("cp1252").replace(b"Arabic", b"Ara\x81bic")
    code, output = _run(_people_dir(tmp_path, raw))
    assert code == 1
    assert "people.csv, row 2: value '0x81'" in output and "byte offset" in output


def test_utf16_is_refused(tmp_path: Path) -> None:
    code, output = _run(_people_dir(tmp_path, _people_text().encode("utf-16")))
    assert code == 1 and "people.csv" in output and "UTF-16" in output


def test_no_people_file(tmp_path: Path) -> None:
    directory = write_tables(tmp_path / "data", {"deaths": GOOD["deaths"]})
    code, output = _run(directory)
    assert code == 1 and "people" in output and "not found" in output


def test_two_files_for_one_table(tmp_path: Path) -> None:
    directory = write_tables(tmp_path / "data", GOOD)
    write_tables(directory, {"deaths": GOOD["deaths"]}, "parquet")
    code, output = _run(directory)
    assert code == 1 and "deaths.parquet" in output and "more than one file" in output


def test_corrupt_parquet(tmp_path: Path) -> None:
    directory = write_tables(tmp_path / "data", {k: v for k, v in GOOD.items() if k != "deaths"})
    (directory / "deaths.parquet").write_bytes(b"PAR1 this is not parquet")
    code, output = _run(directory)
    assert code == 1 and "deaths.parquet" in output and "Parquet" in output


def test_corrupt_excel(tmp_path: Path) -> None:
    directory = write_tables(tmp_path / "data", {k: v for k, v in GOOD.items() if k != "events"})
    (directory / "events.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    code, output = _run(directory)
    assert code == 1 and "events.xlsx" in output and "Excel" in output
