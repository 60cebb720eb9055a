"""Checks on what the report is given: the tidy table, the findings and metadata.

The report trusts nothing it publishes: before a page is written, the tidy
table (docs/tidy-table.md) and the findings table (jsna.equity) are checked
for the columns the report reads and for values it cannot show, and any
problem raises :class:`jsna.errors.InputError` naming the table, column,
1-based row and value. Optional text columns with missing values are read as
empty (an empty comparator means "not compared"), never dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from jsna.errors import InputError
from jsna.report.benchmarks import BENCHMARK_DOMAIN

__all__ = [
    "FINDINGS_COLUMNS",
    "TIDY_COLUMNS",
    "ReportMetadata",
    "check_findings",
    "check_tidy",
    "report_metadata",
]

TIDY = "tidy table"
FINDINGS = "findings table"
TIDY_COLUMNS = (
    "indicator_id",
    "indicator_name",
    "domain",
    "period",
    "area_code",
    "area_name",
    "dimension",
    "category",
    "numerator",
    "denominator",
    "value",
    "lower_95",
    "upper_95",
    "value_type",
    "multiplier",
    "age_standardised",
    "method",
    "polarity",
    "comparator",
    "ratio_to_comparator",
    "ratio_lower_95",
    "ratio_upper_95",
    "significance",
    "suppressed",
    "note",
    "synthetic",
)
TEXT_KEYS = (
    "indicator_id",
    "indicator_name",
    "domain",
    "period",
    "dimension",
    "category",
    "value_type",
)
NUMERIC = (
    "numerator",
    "denominator",
    "value",
    "lower_95",
    "upper_95",
    "multiplier",
    "ratio_to_comparator",
    "ratio_lower_95",
    "ratio_upper_95",
)
FLAGS = ("age_standardised", "suppressed", "synthetic")
FINDINGS_COLUMNS = ("rank", "indicator_id", "sentence")
SIGNIFICANCE = ("Higher", "Similar", "Lower", "Better", "Worse", "Not compared")


@dataclass(frozen=True)
class ReportMetadata:
    """What the pages say about themselves; nothing here is read from a clock.

    ``published`` dates the workbook's document properties and the footer;
    ``synthetic`` labels every page and sheet (it is also set when any tidy row
    says ``synthetic``); ``sources`` are listed on the methods page.
    """

    title: str = "Joint Strategic Needs Assessment"
    area_name: str = "Westminster"
    published: dt.date = dt.date(2024, 3, 31)
    synthetic: bool = False
    focus_languages: tuple[str, ...] = ("Arabic",)
    sources: tuple[str, ...] = ()
    details: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def report_metadata(metadata: Mapping[str, Any] | ReportMetadata | None) -> ReportMetadata:
    """Read the ``metadata`` argument of :func:`jsna.report.publish`.

    Known keys: ``title``, ``area_name``, ``published`` (date or ISO string),
    ``synthetic``, ``focus_languages``, ``sources``. Every other key is kept
    as a detail listed on the metadata sheet and the methods page.
    """
    if isinstance(metadata, ReportMetadata):
        return metadata
    given = dict(metadata or {})
    known: dict[str, Any] = {}
    for key in ("title", "area_name"):
        if key in given:
            known[key] = str(given.pop(key))
    if "published" in given:
        raw = given.pop("published")
        try:
            known["published"] = raw if isinstance(raw, dt.date) else dt.date.fromisoformat(raw)
        except (TypeError, ValueError):
            raise InputError(
                "metadata 'published' must be a date such as 2024-03-31",
                column="published",
                value=raw,
            ) from None
    if "synthetic" in given:
        known["synthetic"] = bool(given.pop("synthetic"))
    for key in ("focus_languages", "sources"):
        if key in given:
            raw = given.pop(key)
            known[key] = (str(raw),) if isinstance(raw, str) else tuple(str(x) for x in raw)
    details = tuple(sorted((str(k), str(v)) for k, v in given.items()))
    return ReportMetadata(**known, details=details)


def _missing_columns(table: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise InputError(f"the {name} must be a pandas DataFrame", value=type(table).__name__)
    for column in columns:
        if column not in table.columns:
            raise InputError(
                f"no column {column!r} in the {name}; see docs/tidy-table.md",
                file=name,
                column=column,
            )


def _first_bad(mask: np.ndarray) -> int:
    return int(np.argmax(mask))


def check_tidy(tidy: pd.DataFrame) -> pd.DataFrame:
    """A validated copy of the tidy table, optional text gaps read as empty.

    >>> check_tidy(pd.DataFrame({"value": [1.0]}))
    Traceback (most recent call last):
    ...
    jsna.errors.InputError: tidy table, column 'indicator_id': no column 'indicator_id' in \
the tidy table; see docs/tidy-table.md
    """
    _missing_columns(tidy, TIDY_COLUMNS, TIDY)
    table = tidy.reset_index(drop=True).copy()
    # a benchmark row's statistic may be unnamed: Fingertips does not say (jsna.report.benchmarks)
    benchmark = (table["domain"].fillna("").astype(str) == BENCHMARK_DOMAIN).to_numpy()
    for column in TEXT_KEYS:
        values = table[column]
        bad = values.isna().to_numpy() | (values.astype(str).str.strip() == "").to_numpy()
        if column == "value_type":
            values = values.fillna("")
            bad &= ~benchmark
        if bad.any():
            row = _first_bad(bad)
            raise InputError(
                "must not be empty", file=TIDY, column=column, row=row + 1, value=values.iloc[row]
            )
        table[column] = values.astype(str)
    for column in NUMERIC:
        converted = pd.to_numeric(table[column], errors="coerce")
        bad = (converted.isna() & table[column].notna()).to_numpy()
        if bad.any():
            row = _first_bad(bad)
            raise InputError(
                "must be a number",
                file=TIDY,
                column=column,
                row=row + 1,
                value=table[column].iloc[row],
            )
        table[column] = converted.astype(float)
    for column in FLAGS:
        values = table[column]
        ok = values.map(lambda v: isinstance(v, bool | np.bool_)).to_numpy()
        if not ok.all():
            row = _first_bad(~ok)
            raise InputError(
                "must be true or false",
                file=TIDY,
                column=column,
                row=row + 1,
                value=values.iloc[row],
            )
        table[column] = values.astype(bool)
    for column in ("comparator", "note", "method", "polarity", "area_code", "area_name"):
        table[column] = table[column].fillna("").astype(str)
    significance = table["significance"].fillna("Not compared").astype(str)
    bad = ~significance.isin(list(SIGNIFICANCE)).to_numpy()
    if bad.any():
        row = _first_bad(bad)
        raise InputError(
            f"must be one of {', '.join(SIGNIFICANCE)}",
            file=TIDY,
            column="significance",
            row=row + 1,
            value=significance.iloc[row],
        )
    table["significance"] = significance
    return table


def check_findings(findings: pd.DataFrame) -> pd.DataFrame:
    """A validated copy of the findings, ordered by rank (ties by indicator, sentence)."""
    _missing_columns(findings, FINDINGS_COLUMNS, FINDINGS)
    table = findings.reset_index(drop=True).copy()
    sentences = table["sentence"]
    bad = (sentences.isna() | (sentences.astype(str).str.strip() == "")).to_numpy()
    if bad.any():
        row = _first_bad(bad)
        raise InputError(
            "every finding needs a sentence",
            file=FINDINGS,
            column="sentence",
            row=row + 1,
            value=sentences.iloc[row],
        )
    rank = pd.to_numeric(table["rank"], errors="coerce")
    bad = rank.isna().to_numpy()
    if bad.any():
        row = _first_bad(bad)
        raise InputError(
            "rank must be a number",
            file=FINDINGS,
            column="rank",
            row=row + 1,
            value=table["rank"].iloc[row],
        )
    table["rank"] = rank
    table["indicator_id"] = table["indicator_id"].fillna("").astype(str)
    table["sentence"] = sentences.astype(str)
    return table.sort_values(["rank", "indicator_id", "sentence"], kind="stable").reset_index(
        drop=True
    )
