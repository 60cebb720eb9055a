"""`jsna demo` with provenance: reproducible under SOURCE_DATE_EPOCH, policy and manifest shown.

Two demos of the same small Synthetic Westminster (scale 0.05, four
indicators, ``threshold`` below 10 from ``--config``) with
``SOURCE_DATE_EPOCH`` set: every file, data, site, downloads and manifest,
must be byte-identical; the methods page and the workbook's Metadata sheet
must show the manifest's facts, checked against hashes computed here.
"""

from __future__ import annotations

import hashlib
import html
import json
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from jsna import __version__
from jsna.cli import app
from jsna.config import default_config_path

INDICATORS = ["pop_share", "ltc_diabetes_prevalence", "mort_u75_all_cause"]
EPOCH = 1_600_000_000


@pytest.fixture(scope="module")
def demos(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("demo-provenance")
    document = yaml.safe_load(default_config_path().read_text(encoding="utf-8"))
    document["indicators"] = INDICATORS
    document["disclosure"] = {"policy": "threshold", "below": 10}
    config = root / "config.yaml"
    config.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    outs = root / "one", root / "two"
    for out in outs:
        args = ["demo", "--out", str(out), "--scale", "0.05", "--seed", "5"]
        args += ["--config", str(config)]
        result = CliRunner().invoke(app, args, env={"SOURCE_DATE_EPOCH": str(EPOCH)})
        assert result.exit_code == 0, result.output
    return outs


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_the_demo_is_byte_identical_under_source_date_epoch(demos: tuple[Path, Path]) -> None:
    one, two = (_files(out) for out in demos)
    assert "manifest.json" in one and "site/methods.html" in one
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []


@pytest.mark.slow
def test_the_manifest_lists_inputs_outputs_and_the_configured_policy(
    demos: tuple[Path, Path],
) -> None:
    out = demos[0]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == 5 and manifest["scale"] == 0.05 and manifest["synthetic"]
    assert manifest["config"]["disclosure"]["policy"] == "threshold"
    assert manifest["disclosure"]["policy"] == {"name": "threshold", "limit": 9, "low": 1,
                                                "rounding": None}  # fmt: skip
    for name in ("indicators.csv", "indicators.parquet", "jsna.xlsx", "findings.csv",
                 "site/methods.html"):  # fmt: skip
        assert manifest["outputs"][name] == hashlib.sha256((out / name).read_bytes()).hexdigest()
    published = pd.read_parquet(out / "indicators.parquet")
    assert manifest["disclosure"]["rows_suppressed"] == int(published["suppressed"].sum()) > 0
    csv = pd.read_csv(out / "indicators.csv")
    assert set(csv["disclosure_policy"]) == {"threshold: 1-9 hidden, others exact"}
    assert not csv["numerator"].between(1, 9).any()


@pytest.mark.slow
def test_methods_page_and_workbook_show_the_manifest_facts(demos: tuple[Path, Path]) -> None:
    out = demos[0]
    page = html.unescape((out / "site" / "methods.html").read_text(encoding="utf-8"))
    book = openpyxl.load_workbook(out / "jsna.xlsx", read_only=True)
    sheet = " ".join(
        str(cell) for row in book["Metadata"].iter_rows(values_only=True) for cell in row if cell
    )
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    stamp = datetime.fromtimestamp(EPOCH, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    hidden = manifest["disclosure"]["primary"] + manifest["disclosure"]["secondary"]
    expected = [
        __version__,
        stamp,
        "duckdb",
        "threshold: 1-9 hidden, others exact",
        f"{hidden:,} of {manifest['disclosure']['cells']:,}",
        "Westminster (E09000033)",
    ]
    for name in ("people.parquet", "conditions.parquet", "events.parquet", "deaths.parquet"):
        path = out / "data" / name
        rows = len(pd.read_parquet(path))
        expected.append(f"{rows:,} rows; SHA-256 {hashlib.sha256(path.read_bytes()).hexdigest()}")
    assert manifest["build_time"] == stamp
    for fact in expected:
        assert fact in page, fact
        assert fact in sheet, fact
