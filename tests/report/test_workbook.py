"""The Excel workbook opens with openpyxl and its numbers are the tidy table's."""

from __future__ import annotations

import datetime as dt
import math

import openpyxl
import pandas as pd
import pytest

from jsna.report.sections import SECTIONS

HEADER_ROW = 4  # 1-based: title, label, blank, header


@pytest.fixture(scope="module")
def book(published):
    return openpyxl.load_workbook(published / "jsna.xlsx", read_only=False)


def rows_of(sheet):
    values = list(sheet.iter_rows(min_row=HEADER_ROW, values_only=True))
    return list(values[0]), [list(r) for r in values[1:]]


def same(cell, expected) -> bool:
    """A cell against a tidy value: blanks for missing/empty, numbers to Excel's 15+ digits."""
    if expected is None or (isinstance(expected, float) and math.isnan(expected)):
        return cell is None
    if isinstance(expected, bool):
        return cell is expected
    if isinstance(expected, float):
        return cell == pytest.approx(expected, rel=1e-15, abs=0)
    return cell == expected or (expected == "" and cell is None)


def test_sheets_one_per_section_plus_metadata_and_notes(book):
    assert book.sheetnames == [*(s.sheet for s in SECTIONS), "Metadata", "Notes"]
    for sheet in book.worksheets:
        assert sheet["B1"].value is None and "JSNA: Global Majority residents" in sheet["A1"].value
        assert sheet["A2"].value.startswith("SYNTHETIC DATA")


def test_domain_sheets_together_equal_the_tidy_table(book, tidy):
    domain_sheets = [s.sheet for s in SECTIONS if s.kind == "domain"]
    body = []
    for name in domain_sheets:
        header, rows = rows_of(book[name])
        assert header == list(tidy.columns)
        body += rows
    assert len(body) == len(tidy)  # every row once, on the sheet of its domain
    key = [tidy.columns.get_loc(c) for c in ("indicator_id", "period", "dimension", "category",
                                              "age_standardised")]  # fmt: skip
    by_key = {tuple(r[i] for i in key): r for r in body}
    for _, expected in tidy.iterrows():
        row = by_key[tuple(expected.iloc[i] for i in key)]
        for cell, column in zip(row, tidy.columns, strict=True):
            assert same(cell, expected[column]), (column, cell, expected[column])


def test_rows_of_an_unknown_domain_get_their_own_sheet(tidy, findings, tmp_path):
    from jsna.report import publish

    odd = tidy.copy()
    odd.loc[odd["indicator_id"] == "dq_ethnicity_recorded", "domain"] = "service equity"
    publish(odd, findings, tmp_path, metadata={"synthetic": True})
    book = openpyxl.load_workbook(tmp_path / "jsna.xlsx", read_only=True)
    _, rows = rows_of(book["Other indicators"])
    assert len(rows) == 18 and {r[0] for r in rows} == {"dq_ethnicity_recorded"}


def test_section_sheets_hold_their_domain_rows(book, tidy):
    for sheet_name, domain in (("Long-term conditions", "long-term conditions"),
                               ("Life expectancy", "life expectancy"),
                               ("Prevention", "prevention")):  # fmt: skip
        header, body = rows_of(book[sheet_name])
        expected = tidy[tidy["domain"] == domain]
        assert len(body) == len(expected)
        values = [r[header.index("value")] for r in body]
        for cell, value in zip(values, expected["value"], strict=True):
            assert same(cell, value)
    _, language = rows_of(book["Language communities"])
    assert len(language) == int((tidy["dimension"] == "main_language").sum())
    _, hot = rows_of(book["Hot spots"])
    assert len(hot) == int(tidy["dimension"].str.contains("×").sum())


def test_summary_metadata_notes_and_properties(book, findings, tidy):
    header, body = rows_of(book["Summary"])
    assert [r[header.index("sentence")] for r in body] == findings["sentence"].tolist()
    _, facts = rows_of(book["Metadata"])
    facts = dict(facts)
    assert facts["synthetic"] == "yes"
    assert facts["rows in the results table"] == str(len(tidy))
    assert facts["seed"] == "42"
    _, notes = rows_of(book["Notes"])
    assert ("flu_vaccination_65plus", "Suppressed: numerator below 10.") in [
        tuple(n) for n in notes
    ]
    _, methods = rows_of(book["Methods"])
    assert [m[1] for m in methods] == list(pd.unique(tidy["indicator_id"]))
    assert book.properties.created == dt.datetime(2024, 3, 31)
