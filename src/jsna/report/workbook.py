"""The Excel workbook: one sheet per report section, plus metadata and notes.

Sheets, in order: *Summary* (every finding, ranked), one sheet per section of
the report holding that section's tidy rows with every column of the tidy
table (each row is on the sheet of its domain; the language and hot-spot
sheets repeat the rows by language and by intersection), *Methods* (the
indicator list), *Other indicators* (only if some rows have a domain no
section shows, so no row is left out), *Metadata* (what was built, from
what, and what each column means) and *Notes* (the caveats and every note in
the table). The first lines of every sheet name the report and, for synthetic
data, say so.

Numbers are written as numbers (missing values as empty cells, infinite
ones, e.g. an open-ended ratio interval, as the text ``inf``; flags as
TRUE/FALSE), so the workbook's figures are the tidy table's. xlsxwriter
writes a number with 16 significant digits, so a value can differ from the
table's double in its 17th digit, below anything Excel displays. The
workbook is built in memory with a fixed creation date taken from the
metadata (xlsxwriter then fixes every zip entry's timestamp), so the same
inputs give byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter

from jsna.report.benchmarks import split_benchmarks
from jsna.report.inputs import ReportMetadata
from jsna.report.sections import SECTIONS, section_rows

__all__ = ["COLUMN_MEANINGS", "SYNTHETIC_LABEL", "build_workbook"]

SYNTHETIC_LABEL = (
    "SYNTHETIC DATA: every figure in this workbook was computed from a synthetic population, "
    "not from real residents' records."
)
HEADER_ROW = 3
COLUMN_MEANINGS = {
    "indicator_id": "Identifier of the indicator in the catalogue",
    "indicator_name": "Name of the indicator",
    "domain": "Report domain (population, long-term conditions, prevention, mortality, ...)",
    "period": "Period the figure covers",
    "area_code": "ONS code of the area",
    "area_name": "Name of the area",
    "area_type": "Type of area",
    "dimension": "How residents are grouped ('×' joins the parts of an intersection)",
    "category": "The group",
    "numerator": "Count of events or people (after disclosure control)",
    "denominator": "Population or person-years (after disclosure control)",
    "value": "The statistic",
    "lower_95": "Lower 95% confidence limit",
    "upper_95": "Upper 95% confidence limit",
    "lower_998": "Lower 99.8% confidence limit",
    "upper_998": "Upper 99.8% confidence limit",
    "value_type": "Kind of statistic",
    "multiplier": "Scale of the value (100 = per cent, 100000 = per 100,000)",
    "age_standardised": "TRUE for the age-standardised variant",
    "method": "Statistical method of the value and its interval",
    "polarity": "Whether higher values are better, worse or neither",
    "comparator": "The reference group compared with",
    "ratio_to_comparator": "Ratio of the value to the comparator's",
    "ratio_lower_95": "Lower 95% confidence limit of the ratio",
    "ratio_upper_95": "Upper 95% confidence limit of the ratio",
    "difference_to_comparator": "Difference from the comparator's value",
    "difference_lower_95": "Lower 95% confidence limit of the difference",
    "difference_upper_95": "Upper 95% confidence limit of the difference",
    "p_value": "p-value of the test against the comparator",
    "q_value": "Benjamini-Hochberg adjusted p-value",
    "significance": "Result of the comparison",
    "suppressed": "TRUE where disclosure control hid counts",
    "note": "Caveats for this row",
    "synthetic": "TRUE when built from synthetic data",
}


def _cell(sheet: Any, row: int, col: int, value: Any) -> None:
    if isinstance(value, bool | np.bool_):
        sheet.write_boolean(row, col, bool(value))
    elif isinstance(value, int | float | np.integer | np.floating):
        if np.isnan(value):
            sheet.write_blank(row, col, None)
        elif np.isinf(value):  # Excel has no infinity: keep it visible as text
            sheet.write_string(row, col, "inf" if value > 0 else "-inf")
        else:
            sheet.write_number(row, col, float(value))
    elif value is None or value is pd.NA:
        sheet.write_blank(row, col, None)
    else:
        sheet.write_string(row, col, str(value))


def _table_sheet(
    book: Any, name: str, title: str, label: str, frame: pd.DataFrame, bold: Any
) -> None:
    sheet = book.add_worksheet(name)
    sheet.write_string(0, 0, title, bold)
    sheet.write_string(1, 0, label)
    for col, column in enumerate(frame.columns):
        sheet.write_string(HEADER_ROW, col, str(column), bold)
        sheet.set_column(col, col, max(10, min(40, len(str(column)) + 2)))
    for offset, values in enumerate(frame.itertuples(index=False, name=None)):
        for col, value in enumerate(values):
            _cell(sheet, HEADER_ROW + 1 + offset, col, value)
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    if len(frame.columns):
        sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + len(frame), len(frame.columns) - 1)


def _pairs_sheet(
    book: Any,
    name: str,
    title: str,
    label: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    bold: Any,
) -> None:
    frame = pd.DataFrame(list(rows), columns=list(headers))
    _table_sheet(book, name, title, label, frame, bold)


def build_workbook(
    tidy: pd.DataFrame,
    checked: pd.DataFrame,
    findings: pd.DataFrame,
    meta: ReportMetadata,
    *,
    synthetic: bool,
    indicator_rows: Sequence[Sequence[str]],
    general_notes: Sequence[tuple[str, str]],
) -> bytes:
    """The workbook as bytes.

    ``tidy`` is the table as given (its values are written); ``checked`` the
    same rows after :func:`jsna.report.inputs.check_tidy` (used to choose each
    section's rows; other areas' rows, :mod:`jsna.report.benchmarks`, go
    to the "Other indicators" sheet). ``indicator_rows`` fill the Methods sheet (indicator,
    id, domain, period, statistic, method, polarity, dimensions, notes);
    ``general_notes`` head the Notes sheet.
    """
    values = tidy.reset_index(drop=True)
    own = split_benchmarks(checked)[0]
    label = SYNTHETIC_LABEL if synthetic else f"Source: {meta.title}, {meta.area_name}."
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    book.set_properties(
        {
            "title": f"{meta.title}: {meta.area_name}" + (" (synthetic data)" if synthetic else ""),
            "author": "jsna",
            "comments": SYNTHETIC_LABEL if synthetic else "",
            "created": dt.datetime.combine(meta.published, dt.time()),
        }
    )
    bold = book.add_format({"bold": True})

    def title(text: str) -> str:
        return f"{text} — {meta.title}, {meta.area_name}"

    for section in SECTIONS:
        if section.kind == "summary":
            _table_sheet(
                book,
                section.sheet,
                title("Findings, ranked"),
                label,
                findings.reset_index(drop=True),
                bold,
            )
        elif section.kind == "methods":
            _pairs_sheet(
                book,
                section.sheet,
                title("Indicators and methods"),
                label,
                (
                    "indicator",
                    "indicator_id",
                    "domain",
                    "period",
                    "statistic",
                    "method",
                    "polarity",
                    "dimensions",
                    "notes",
                ),
                indicator_rows,
                bold,
            )
        else:
            chosen = section_rows(own, section).index
            _table_sheet(book, section.sheet, title(section.title), label, values.loc[chosen], bold)
    covered = checked["domain"].isin([d for s in SECTIONS for d in s.domains])
    covered &= checked.index.isin(own.index)
    if not covered.all():
        _table_sheet(
            book,
            "Other indicators",
            title("Other indicators"),
            label,
            values.loc[~covered.to_numpy()],
            bold,
        )

    facts = [
        ("title", meta.title),
        ("area", meta.area_name),
        ("published", meta.published.isoformat()),
        ("synthetic", "yes" if synthetic else "no"),
        ("rows in the results table", str(len(values))),
        ("indicators", str(checked["indicator_id"].nunique())),
        ("findings", str(len(findings))),
        *[(f"source {i}", s) for i, s in enumerate(meta.sources, start=1)],
        *meta.details,
        *[(f"column: {c}", COLUMN_MEANINGS.get(c, "")) for c in values.columns],
    ]
    _pairs_sheet(book, "Metadata", title("Metadata"), label, ("item", "value"), facts, bold)

    notes = [(heading, text) for heading, text in general_notes]
    if synthetic:
        notes.insert(0, ("Synthetic data", SYNTHETIC_LABEL))
    for indicator_id, note in dict.fromkeys(
        zip(checked["indicator_id"], checked["note"], strict=True)
    ):
        if note:
            notes.append((indicator_id, note))
    _pairs_sheet(book, "Notes", title("Notes"), label, ("about", "note"), notes, bold)
    book.close()
    return buffer.getvalue()
