"""``OUT/manifest.json``: build time, input hashes and row counts, and stable bytes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jsna import __version__
from jsna.errors import InputError
from jsna.provenance import build_time, input_files, read_manifest, write_manifest


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    table = pa.table({"person_id": ["a", "b", "c"], "age": [1, 2, 3]})
    table = table.replace_schema_metadata({b"jsna.synthetic": b"true", b"jsna.seed": b"7"})
    pq.write_table(table, folder / "people.parquet")
    (folder / "deaths.csv").write_text("person_id,date_of_death\na,2020-01-01\n", encoding="utf-8")
    (folder / "README.txt").write_text("not data", encoding="utf-8")
    return folder


def test_build_time_follows_source_date_epoch() -> None:
    # 1 700 000 000 s after the epoch is 2023-11-14 22:13:20 UTC.
    assert build_time({"SOURCE_DATE_EPOCH": "1700000000"}) == "2023-11-14T22:13:20Z"
    assert build_time({"SOURCE_DATE_EPOCH": "0"}) == "1970-01-01T00:00:00Z"
    with pytest.raises(InputError, match="SOURCE_DATE_EPOCH"):
        build_time({"SOURCE_DATE_EPOCH": "yesterday"})


def test_build_time_without_the_variable_is_now_in_utc() -> None:
    stamp = build_time({})
    assert stamp.endswith("Z") and len(stamp) == len("2026-01-01T00:00:00Z")


def test_inputs_are_hashed_and_counted(data_dir: Path) -> None:
    files = input_files(data_dir)
    assert [f["file"] for f in files] == ["deaths.csv", "people.parquet"]
    for entry in files:
        raw = (data_dir / entry["file"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(raw).hexdigest()
        assert entry["bytes"] == len(raw)
    assert [f["rows"] for f in files] == [1, 3]
    assert files[1]["metadata"] == {"jsna.seed": "7", "jsna.synthetic": "true"}


def test_manifest_records_config_policy_seed_and_output_hashes(
    tmp_path: Path, data_dir: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "indicators.csv").write_text("x\n1\n", encoding="utf-8")
    disclosure = {"policy": {"name": "nhs_digital", "limit": 7, "low": 1, "rounding": 5}}
    path = write_manifest(
        out,
        config={"area": {"code": "E09000033"}},
        data_dir=data_dir,
        backend="duckdb",
        disclosure=disclosure,
        outputs=["indicators.csv"],
        environ={"SOURCE_DATE_EPOCH": "1700000000"},
    )
    manifest = read_manifest(out)
    assert path == out / "manifest.json"
    assert manifest["jsna_version"] == __version__
    assert manifest["build_time"] == "2023-11-14T22:13:20Z"
    assert manifest["config"] == {"area": {"code": "E09000033"}}
    assert manifest["backend"] == "duckdb"
    assert manifest["disclosure"] == disclosure
    assert manifest["seed"] == 7 and manifest["synthetic"] is True
    assert manifest["outputs"] == {"indicators.csv": hashlib.sha256(b"x\n1\n").hexdigest()}
    assert [f["rows"] for f in manifest["inputs"]] == [1, 3]


def test_manifest_bytes_are_identical_for_the_same_build(tmp_path: Path, data_dir: Path) -> None:
    def write(name: str) -> bytes:
        from jsna.config import load_config

        out = tmp_path / name
        write_manifest(
            out,
            config=load_config(),
            data_dir=data_dir,
            backend="duckdb",
            disclosure={"policy": {"name": "threshold"}},
            environ={"SOURCE_DATE_EPOCH": "1700000000"},
        )
        return (out / "manifest.json").read_bytes()

    first = write("one")
    assert first == write("two")
    config = json.loads(first)["config"]
    assert config["area"]["name"] == "Westminster"  # the pydantic config, as JSON


def test_reading_a_broken_manifest_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"manifest\.json"):
        read_manifest(tmp_path)
    with pytest.raises(InputError, match="cannot read"):
        read_manifest(tmp_path / "missing")


def test_a_missing_data_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        input_files(tmp_path / "nowhere")


def test_manifest_is_plain_json_with_sorted_keys(tmp_path: Path, data_dir: Path) -> None:
    write_manifest(tmp_path, config={}, data_dir=data_dir, backend="duckdb", disclosure={},
                   environ={"SOURCE_DATE_EPOCH": "1"})  # fmt: skip
    text = (tmp_path / "manifest.json").read_text(encoding="utf-8")
    keys = list(json.loads(text))
    assert keys == sorted(keys) and text.endswith("}\n")
    assert pd.Timestamp(json.loads(text)["build_time"]) == pd.Timestamp(1, unit="s", tz="UTC")
