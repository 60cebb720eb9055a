"""`jsna demo` end to end on a small synthetic population (slow: runs every layer)."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from jsna.cli import app


@pytest.mark.slow
def test_demo_writes_the_whole_report(tmp_path):
    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path), "--scale", "0.25"])
    assert result.exit_code == 0, result.output
    index = tmp_path / "site" / "index.html"
    assert result.output.strip().splitlines()[-1] == f"Open the report: {index.resolve()}"
    for name in ("jsna.xlsx", "indicators.parquet", "indicators.csv", "findings.csv"):
        assert (tmp_path / name).is_file()
        assert (tmp_path / "site" / "downloads" / name).read_bytes() == (
            tmp_path / name
        ).read_bytes()
    assert "Synthetic data." in index.read_text(encoding="utf-8")
    tidy = pd.read_parquet(tmp_path / "indicators.parquet")
    assert tidy["synthetic"].all()
    findings = pd.read_csv(tmp_path / "findings.csv")
    assert len(findings) > 0 and findings["sentence"].notna().all()
    book = openpyxl.load_workbook(tmp_path / "jsna.xlsx", read_only=True)
    assert all(sheet["A2"].value.startswith("SYNTHETIC DATA") for sheet in book.worksheets)
