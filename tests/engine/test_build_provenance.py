"""`jsna build` with provenance and the configured disclosure policy (issue #8).

Two builds of the same Synthetic Westminster sample (seed 11, scale 0.05;
four indicators sharing denominators) under ``SOURCE_DATE_EPOCH``, one with
the default ``nhs_digital`` policy and one with ``threshold`` below 10: the
files must be byte-identical across runs, the manifest must match the files
it describes (hashes computed here with hashlib), the threshold build must
hide every count from 1 to 9, no output may hold a record-level identifier,
and ``jsna audit`` must pass on both.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from jsna import __version__
from jsna.cli import app
from jsna.config import default_config_path, load_config
from jsna.errors import InputError
from jsna.synth import write_synthetic

INDICATORS = [
    "pop_share",
    "ltc_diabetes_prevalence",
    "prev_flu_vaccination_65plus",
    "mort_u75_all_cause",
]
EPOCH = 1_700_000_000
OUTPUT_FILES = [
    "indicators.csv",
    "indicators.parquet",
    "manifest.json",
    "restricted/indicators.parquet",
]


def _config(folder: Path, name: str, disclosure: dict | None) -> Path:
    document = yaml.safe_load(default_config_path().read_text(encoding="utf-8"))
    document["indicators"] = INDICATORS
    if disclosure is not None:
        document["disclosure"] = disclosure
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def _build(config: Path, data: Path, out: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["build", str(config), "--data", str(data), "--out", str(out)],
        env={"SOURCE_DATE_EPOCH": str(EPOCH)},
    )
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("provenance")
    write_synthetic(folder / "data", seed=11, scale=0.05)
    default = _config(folder, "default", None)
    threshold = _config(folder, "threshold", {"policy": "threshold", "below": 10})
    _build(default, folder / "data", folder / "one")
    _build(default, folder / "data", folder / "two")
    _build(threshold, folder / "data", folder / "threshold")
    return folder


def _files(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())


@pytest.mark.slow
def test_same_inputs_and_epoch_give_byte_identical_outputs(root: Path) -> None:
    assert _files(root / "one") == OUTPUT_FILES  # no staging or partial file left behind
    assert _files(root / "two") == OUTPUT_FILES
    for name in OUTPUT_FILES:
        assert (root / "one" / name).read_bytes() == (root / "two" / name).read_bytes(), name


@pytest.mark.slow
def test_manifest_describes_the_inputs_outputs_and_policy(root: Path) -> None:
    out = root / "one"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["jsna_version"] == __version__
    assert manifest["build_time"] == datetime.fromtimestamp(EPOCH, UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    assert manifest["backend"] == "duckdb"
    assert manifest["synthetic"] is True and manifest["seed"] == 11
    data = root / "data"
    inputs = {entry["file"]: entry for entry in manifest["inputs"]}
    assert set(inputs) == {"people.parquet", "conditions.parquet", "events.parquet",
                           "deaths.parquet"}  # fmt: skip
    for name, entry in inputs.items():
        assert entry["sha256"] == hashlib.sha256((data / name).read_bytes()).hexdigest()
        assert entry["rows"] == len(pd.read_parquet(data / name))
    # Only the published files are listed, each with the hash of its bytes.
    assert manifest["outputs"] == {
        name: hashlib.sha256((out / name).read_bytes()).hexdigest()
        for name in ("indicators.csv", "indicators.parquet")
    }
    config = load_config(root / "default.yaml")
    assert manifest["config"]["disclosure"] == {
        "policy": config.disclosure.policy, "below": None, "suppress_zero": False
    }  # fmt: skip
    assert manifest["config"]["indicators"] == INDICATORS
    record = manifest["disclosure"]
    assert record["policy"] == {"name": "nhs_digital", "limit": 7, "low": 1, "rounding": 5}
    published = pd.read_parquet(out / "indicators.parquet")
    assert record["rows_suppressed"] == int(published["suppressed"].sum()) > 0
    assert published.attrs["disclosure"]["policy"] == record["policy"]


@pytest.mark.slow
def test_every_output_records_the_policy(root: Path) -> None:
    for folder, label in [
        ("one", "nhs_digital: 1-7 hidden, others rounded to 5"),
        ("threshold", "threshold: 1-9 hidden, others exact"),
    ]:
        csv = pd.read_csv(root / folder / "indicators.csv")
        parquet = pd.read_parquet(root / folder / "indicators.parquet")
        # The CSV is the Parquet table plus one last column, the same on every row.
        assert list(csv.columns) == [*parquet.columns, "disclosure_policy"]
        assert set(csv["disclosure_policy"]) == {label}
        assert len(csv) == len(parquet)
        manifest = json.loads((root / folder / "manifest.json").read_text(encoding="utf-8"))
        assert parquet.attrs["disclosure"]["policy"] == manifest["disclosure"]["policy"]


@pytest.mark.slow
def test_threshold_below_10_hides_every_count_from_1_to_9(root: Path) -> None:
    out = root / "threshold"
    restricted = pd.read_parquet(out / "restricted" / "indicators.parquet")
    published = pd.read_parquet(out / "indicators.parquet")
    csv = pd.read_csv(out / "indicators.csv")
    for column in ("numerator", "denominator"):
        small = restricted[column].between(1, 9).to_numpy()
        assert small.any(), column  # the sample does have small counts to hide
        assert published.loc[small, column].isna().all()
        assert csv.loc[small, column].isna().all()
        shown = csv[column].dropna()
        assert not shown.between(1, 9).any()
        # Shown counts are exact under the threshold policy.
        exact = published[column].notna().to_numpy()
        pd.testing.assert_series_equal(
            published.loc[exact, column], restricted.loc[exact, column].astype(float)
        )
    hidden = published["suppressed"].to_numpy()
    assert published.loc[hidden, "value"].isna().all()


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["one", "threshold"])
def test_no_output_holds_an_identifier_date_of_birth_or_lsoa(root: Path, folder: str) -> None:
    people = pd.read_parquet(root / "data" / "people.parquet")
    config_dates = {"2024-03-31", "2019-04-01"}  # period ends, also in the configuration
    secrets = (
        set(people["person_id"])
        | set(people["lsoa21"])
        | {str(d) for d in people["date_of_birth"].dropna()} - config_dates
    )
    for path in (root / folder).rglob("*"):
        if not path.is_file():
            continue
        if path.suffix == ".parquet":
            metadata = pq.read_schema(path).metadata or {}
            text = pd.read_parquet(path).astype(str).to_csv(index=False) + " ".join(
                f"{k.decode()} {v.decode()}" for k, v in metadata.items()
            )
        else:
            text = path.read_text(encoding="utf-8")
        tokens = set(re.findall(r"[A-Za-z0-9][A-Za-z0-9-]*", text))
        assert not tokens & secrets, f"{path.name} holds {sorted(tokens & secrets)[:3]}"


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["one", "threshold"])
def test_audit_passes_on_the_build(root: Path, folder: str) -> None:
    result = CliRunner().invoke(app, ["audit", str(root / folder)])
    assert result.exit_code == 0, result.output
    assert "PASS" in result.output
    policy = "threshold" if folder == "threshold" else "nhs_digital"
    assert f"policy: {policy}" in result.output


@pytest.mark.parametrize(
    ("disclosure", "field"),
    [
        ({"policy": "k_anonymity"}, "disclosure.policy"),
        ({"policy": "nhs_digital", "below": 10}, "disclosure"),
        ({"policy": "threshold", "below": 1}, "disclosure.below"),
        ({"policy": "threshold", "limit": 9}, "disclosure.limit"),
    ],
)
def test_a_bad_disclosure_section_is_refused_naming_the_field(
    tmp_path: Path, disclosure: dict, field: str
) -> None:
    path = _config(tmp_path, "bad", disclosure)
    with pytest.raises(InputError, match=re.escape(f"field '{field}'")) as caught:
        load_config(path)
    assert str(path) in str(caught.value)


def test_the_shipped_configuration_uses_the_nhs_digital_policy() -> None:
    config = load_config()
    assert config.disclosure.policy == "nhs_digital"
    assert config.disclosure.options == {}
    threshold = config.disclosure.model_validate({"policy": "threshold", "below": 10})
    assert threshold.options == {"below": 10}
