"""`jsna build --benchmarks`: Fingertips exports appended to the published table at the write step.

The expected benchmark rows are read from the recorded export with the csv
module: the built area's own rows, its region's and England's.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from engine.population import random_population
from jsna.cli import app
from jsna.config import default_config_path
from jsna.errors import InputError
from jsna.sources.connectors.fingertips import read_benchmark_map

RECORDED = Path(__file__).parents[1] / "connectors" / "recorded" / "fingertips_90366.csv"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, make_data) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("benchmarks")
    data = make_data(root / "data", random_population(1500, seed=5))
    document = yaml.safe_load(default_config_path().read_text(encoding="utf-8"))
    document["indicators"] = ["le_birth_female"]
    config = root / "build.yaml"
    config.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    mapping = root / "map.csv"
    mapping.write_text("fingertips_id,indicator_id\n90366,le_birth_female\n", encoding="utf-8")
    plain, with_benchmarks = root / "plain", root / "with"
    runner = CliRunner()
    for out, extra in (
        (plain, []),
        (with_benchmarks, ["--benchmarks", str(RECORDED), "--benchmark-map", str(mapping)]),
    ):
        args = ["build", str(config), "--data", str(data), "--out", str(out), *extra]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    return plain, with_benchmarks


def test_benchmark_rows_are_appended_to_the_published_table(built):
    plain, with_benchmarks = built
    before = pd.read_parquet(plain / "indicators.parquet")
    after = pd.read_parquet(with_benchmarks / "indicators.parquet")
    assert list(after.columns) == list(before.columns)
    pd.testing.assert_frame_equal(after.iloc[: len(before)], before)
    added = after.iloc[len(before) :]
    area = before.loc[before["dimension"] == "all", "area_code"].iloc[0]
    with RECORDED.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    own = next(r for r in rows if r["Area Code"] == area)
    wanted = [r for r in rows if r["Area Code"] in {area, own["Parent Code"], "E92000001"}]
    assert len(added) == len(wanted)
    assert set(added["indicator_id"]) == {"le_birth_female"}
    assert set(added["polarity"]) == {"higher_is_better"}  # the catalogue's, not a default
    assert sorted(added["value"]) == sorted(float(r["Value"]) for r in wanted)
    assert set(added["domain"]) == {"benchmark"}


def test_a_map_without_exports_is_refused(tmp_path):
    mapping = tmp_path / "map.csv"
    mapping.write_text("fingertips_id,indicator_id\n90366,le_birth_female\n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        [
            "build",
            "--data",
            str(tmp_path),
            "--out",
            str(tmp_path),
            "--benchmark-map",
            str(mapping),
        ],
    )
    assert result.exit_code != 0
    assert isinstance(result.exception, InputError)
    assert result.exception.column == "--benchmark-map"


def test_a_bad_map_row_is_named(tmp_path):
    mapping = tmp_path / "map.csv"
    mapping.write_text("fingertips_id,indicator_id\n90366,le_birth_female\nabc,x\n", "utf-8")
    with pytest.raises(InputError) as error:
        read_benchmark_map(mapping)
    assert (error.value.column, error.value.row, error.value.value) == ("fingertips_id", 2, "abc")
