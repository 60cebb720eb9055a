"""Reading engagement comments: the shipped synthetic set and every kind of bad input."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from jsna.errors import InputError
from jsna.voice import read_comments, synthetic_engagement_path

HEADER = "id,date,method,community,ward,ethnic_group,language,age_band,sex,text\n"
GOOD = "c1,2024-03-01,focus group,Group A,Church Street,Bangladeshi,Bengali,35-49,F,It is far.\n"


def write(tmp_path: Path, body: str, header: str = HEADER, name: str = "comments.csv") -> Path:
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def test_synthetic_set_is_large_varied_and_labelled_synthetic() -> None:
    frame = read_comments(synthetic_engagement_path())
    assert len(frame) == 174  # the generator script writes 31 sessions, 174 comments
    assert frame["synthetic"].all()
    assert frame["id"].is_unique
    assert frame["ward"].nunique() >= 12
    assert frame["ethnic_group"].nunique() >= 10
    assert frame["method"].nunique() >= 5


def test_optional_values_default_to_not_recorded(tmp_path: Path) -> None:
    path = write(tmp_path, "c1,2024-03-01,survey,,,,,,,Too far to walk.\n")
    row = read_comments(path).iloc[0]
    assert row["ward"] == "Unknown"
    assert [row["ethnic_group"], row["sex"], row["age_band"], row["community"]] == [
        "Not recorded"
    ] * 4
    assert not row["synthetic"]


def test_labels_are_normalised(tmp_path: Path) -> None:
    row = read_comments(write(tmp_path, GOOD.replace("Church Street", "church street"))).iloc[0]
    assert (row["ward"], row["sex"]) == ("Church Street", "Female")


@pytest.mark.parametrize(
    ("body", "column", "row", "fragment"),
    [
        (GOOD + "c2,2024-03-02,survey,,,,,,,\n", "text", 2, "required value is empty"),
        (GOOD + GOOD, "id", 2, "first seen in row 1"),
        (GOOD.replace("2024-03-01", "01/03/2024"), "date", 1, "write 2024-03-01"),
        (GOOD.replace("2024-03-01", "2024-02-30"), "date", 1, "not a real date"),
        (GOOD.replace("Church Street", "Soho Square"), "ward", 1, "18 wards"),
        (GOOD.replace("Bangladeshi", "Martian"), "ethnic_group", 1, "ethnic group"),
        (GOOD.replace(",F,", ",X,"), "sex", 1, "Female, Male or Not known"),
        (GOOD.replace("35-49", "49-35"), "age_band", 1, "35-49 or 75+"),
    ],
)
def test_bad_values_name_file_column_row_and_value(
    tmp_path: Path, body: str, column: str, row: int, fragment: str
) -> None:
    with pytest.raises(InputError) as caught:
        read_comments(write(tmp_path, body))
    error = caught.value
    assert (error.file, error.column, error.row) == ("comments.csv", column, row)
    assert fragment in str(error)


def test_missing_required_column(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="required column missing") as caught:
        read_comments(write(tmp_path, "c1,2024-03-01,survey\n", header="id,date,method\n"))
    assert caught.value.column == "text"


def test_wrong_number_of_fields_names_the_row(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="expected 10 fields, found 11") as caught:
        read_comments(write(tmp_path, GOOD + GOOD.replace("It is far.", "far, very far")))
    assert caught.value.row == 2


def test_empty_file_and_header_only(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="0 bytes"):
        read_comments(empty)
    with pytest.raises(InputError, match="no comments"):
        read_comments(write(tmp_path, ""))


def test_excel_rows_are_data_rows(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(GOOD.strip().split(","))
    sheet.append(["c2", "2024-03-01", "survey", "", "Nowhere", "", "", "", "", "text"])
    path = tmp_path / "comments.xlsx"
    book.save(path)
    with pytest.raises(InputError) as caught:
        read_comments(path)
    assert (caught.value.file, caught.value.column, caught.value.row) == (
        "comments.xlsx",
        "ward",
        2,
    )
