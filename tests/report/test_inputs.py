"""Bad input to the report raises InputError naming table, column, row and value."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from jsna.errors import InputError
from jsna.report import publish
from jsna.report.inputs import check_findings, check_tidy, report_metadata


def test_missing_column_is_named(tidy):
    with pytest.raises(InputError, match="column 'significance'") as info:
        check_tidy(tidy.drop(columns="significance"))
    assert info.value.column == "significance"


def test_empty_category_names_its_row(tidy):
    bad = tidy.copy()
    bad.loc[4, "category"] = np.nan
    with pytest.raises(InputError) as info:
        check_tidy(bad)
    assert (info.value.column, info.value.row) == ("category", 5)


def test_text_in_a_numeric_column(tidy):
    bad = tidy.astype({"value": object})
    bad.loc[2, "value"] = "12%"
    with pytest.raises(InputError) as info:
        check_tidy(bad)
    assert (info.value.column, info.value.row, info.value.value) == ("value", 3, "12%")


def test_unknown_significance_and_bad_flag(tidy):
    bad = tidy.copy()
    bad.loc[7, "significance"] = "Significantly higher"
    with pytest.raises(InputError, match="must be one of") as info:
        check_tidy(bad)
    assert (info.value.row, info.value.value) == (8, "Significantly higher")
    flags = tidy.astype({"suppressed": object})
    flags.loc[0, "suppressed"] = "yes"
    with pytest.raises(InputError) as info:
        check_tidy(flags)
    assert (info.value.column, info.value.row) == ("suppressed", 1)


def test_gaps_in_optional_text_read_as_empty(tidy):
    gappy = tidy.copy()
    gappy["comparator"] = gappy["comparator"].replace("", np.nan)
    gappy.loc[0, "significance"] = np.nan
    checked = check_tidy(gappy)
    assert len(checked) == len(tidy)
    assert checked.loc[0, "significance"] == "Not compared"
    assert (checked["comparator"] == tidy["comparator"]).all()


def test_findings_need_sentences_and_ranks(findings):
    bad = findings.copy()
    bad.loc[2, "sentence"] = "  "
    with pytest.raises(InputError) as info:
        check_findings(bad)
    assert (info.value.file, info.value.column, info.value.row) == ("findings table", "sentence", 3)
    with pytest.raises(InputError, match="no column 'rank'"):
        check_findings(findings.drop(columns="rank"))
    shuffled = findings.iloc[::-1]
    assert check_findings(shuffled)["rank"].tolist() == list(range(1, len(findings) + 1))


def test_metadata():
    meta = report_metadata({"published": "2025-01-31", "synthetic": 1, "seed": 7,
                            "focus_languages": "Arabic"})  # fmt: skip
    assert meta.published == dt.date(2025, 1, 31)
    assert meta.synthetic is True
    assert meta.focus_languages == ("Arabic",)
    assert meta.details == (("seed", "7"),)
    with pytest.raises(InputError, match="published"):
        report_metadata({"published": "31/01/2025"})


def test_publish_rejects_before_writing(tmp_path, tidy, findings):
    with pytest.raises(InputError):
        publish(tidy.drop(columns="value"), findings, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    with pytest.raises(InputError, match="pandas DataFrame"):
        publish(pd.Series([1]), findings, tmp_path / "out")  # type: ignore[arg-type]
