"""Loading record-level tables into PostgreSQL (COPY) and reading them where they are.

Values are checked against the hand-made Arrow tables that went in; builds
from tables already in PostgreSQL against the DuckDB build of the same files.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import ibis
import pandas as pd
import pyarrow as pa
import pytest
import yaml
from typer.testing import CliRunner

from jsna.cli import app
from jsna.config import BackendConfig, default_config_path, load_config
from jsna.engine import backends
from jsna.engine.build import build_table
from jsna.errors import InputError
from jsna.sources import warehouse

FEW = ["pop_global_majority", "ltc_hypertension_prevalence", "mort_all_cause", "wd_bad_health"]


def _hand_tables() -> dict[str, pa.Table]:
    """Three people and a few records, with empty text, missing values and every type."""
    day = dt.date
    return {
        "people": pa.table(
            {
                "person_id": ["p1", "p2", "p3"],
                "sex": ["F", "M", "U"],
                "date_of_birth": pa.array([day(1950, 2, 28), None, day(2001, 12, 31)]),
                "age": pa.array([None, 40, None], pa.int64()),
                "ethnicity_code": ["A", "", None],
                "lsoa21": ["E01004734", None, ""],
                "main_language": ["English", "Bengali (with Sylheti and Chatgaya)", 'say "hi", ok'],
                "general_health": ["very_bad", "fair", None],
                # Not recorded for anyone: Arrow's null type, stored as text.
                "tenure": pa.nulls(3),
                "registration_start": pa.array(
                    [day(2010, 1, 1), day(2019, 4, 1), day(2024, 3, 31)]
                ),
                "registration_end": pa.array([None, day(2022, 6, 30), None], pa.date32()),
            }
        ),
        "conditions": pa.table(
            {
                "person_id": ["p1"],
                "condition": ["hypertension"],
                "diagnosis_date": pa.array([day(2015, 5, 5)]),
            }
        ),
        "events": pa.table(
            {
                "person_id": ["p1", "p2"],
                "event": ["flu_vaccination", "cervical_screening"],
                "date": pa.array([day(2023, 10, 1), day(2021, 1, 1)]),
                "eligible": pa.array([True, None], pa.bool_()),
            }
        ),
        "deaths": pa.table(
            {
                "person_id": pa.array([], pa.string()),
                "date_of_death": pa.array([], pa.date32()),
                "underlying_cause": pa.array([], pa.string()),
            }
        ),
    }


@pytest.fixture
def postgres(postgres_options: dict[str, Any]):
    con = ibis.postgres.connect(**postgres_options)
    yield con
    con.disconnect()


def _drop(con: Any, prefix: str) -> None:
    for name in (*warehouse.TABLE_NAMES, warehouse.METADATA_TABLE):
        con.raw_sql(f'DROP TABLE IF EXISTS "{prefix}{name}"')


def test_copy_load_round_trips_every_value(postgres: Any, prefix: str) -> None:
    tables = _hand_tables()
    result = warehouse.load_tables(postgres, tables, synthetic=True, prefix=prefix)
    assert result.rows == {"people": 3, "conditions": 1, "events": 2, "deaths": 0, "metadata": 1}
    assert result.location is None
    opened, synthetic = warehouse.open_tables(postgres, prefix=prefix)
    assert synthetic is True
    for name, expected in tables.items():
        got = opened[name].order_by("person_id").to_pyarrow()
        assert got.column_names == expected.column_names, name
        for column in expected.column_names:
            # Empty text stays empty text and missing stays missing (NULL).
            assert got[column].to_pylist() == expected[column].to_pylist(), (name, column)
    _drop(postgres, prefix)


def test_a_warehouse_without_metadata_is_real_data(postgres: Any, prefix: str) -> None:
    warehouse.load_tables(postgres, _hand_tables(), synthetic=True, prefix=prefix)
    postgres.raw_sql(f'DROP TABLE "{prefix}metadata"')
    _, synthetic = warehouse.open_tables(postgres, prefix=prefix)
    assert synthetic is False
    _drop(postgres, prefix)


def test_a_schema_keeps_tables_apart(postgres: Any, prefix: str) -> None:
    schema = f"s_{prefix.strip('_')}"
    warehouse.load_tables(postgres, _hand_tables(), synthetic=False, prefix=prefix, schema=schema)
    opened, synthetic = warehouse.open_tables(postgres, prefix=prefix, schema=schema)
    assert synthetic is False
    assert opened["people"].count().to_pyarrow().as_py() == 3
    with pytest.raises(InputError, match=f"no table {prefix}people"):
        warehouse.open_tables(postgres, prefix=prefix)
    postgres.raw_sql(f'DROP SCHEMA "{schema}" CASCADE')


def test_missing_table_and_column_are_named(postgres: Any, prefix: str) -> None:
    with pytest.raises(InputError) as missing:
        warehouse.open_tables(postgres, prefix=prefix)
    assert missing.value.file == f"{prefix}people"
    tables = _hand_tables()
    tables["people"] = tables["people"].drop_columns(["sex"])
    warehouse.load_tables(postgres, tables, synthetic=False, prefix=prefix)
    with pytest.raises(InputError) as no_sex:
        warehouse.open_tables(postgres, prefix=prefix)
    assert (no_sex.value.file, no_sex.value.column) == (f"{prefix}people", "sex")
    tables["people"] = _hand_tables()["people"].drop_columns(["date_of_birth", "age"])
    warehouse.load_tables(postgres, tables, synthetic=False, prefix=prefix)
    with pytest.raises(InputError, match="date_of_birth or age"):
        warehouse.open_tables(postgres, prefix=prefix)
    _drop(postgres, prefix)


def test_loading_needs_all_four_tables(postgres: Any, prefix: str) -> None:
    tables = _hand_tables()
    del tables["deaths"]
    with pytest.raises(InputError) as error:
        warehouse.load_tables(postgres, tables, synthetic=False, prefix=prefix)
    assert error.value.file == "deaths"


def test_duckdb_is_not_a_load_target() -> None:
    con = ibis.duckdb.connect()
    with pytest.raises(InputError) as error:
        warehouse.load_tables(con, _hand_tables(), synthetic=False)
    assert (error.value.column, error.value.value) == ("backend.name", "duckdb")


def test_unloadable_column_type_is_named(postgres: Any, prefix: str) -> None:
    tables = _hand_tables()
    tables["conditions"] = tables["conditions"].append_column(
        "codes", pa.array([[1, 2]], pa.list_(pa.int64()))
    )
    with pytest.raises(InputError) as error:
        warehouse.load_tables(postgres, tables, synthetic=False, prefix=prefix)
    assert (error.value.file, error.value.column) == (f"{prefix}conditions", "codes")
    _drop(postgres, prefix)


def _few_config(tmp_path: Path, backend: dict[str, Any]) -> Path:
    document = yaml.safe_load(default_config_path().read_text(encoding="utf-8"))
    document["indicators"] = FEW
    document["backend"] = backend
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_cli_backend_postgres_from_the_environment_matches_duckdb(
    synthetic_dir: Path,
    postgres_options: dict[str, Any],
    prefix: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`jsna build --backend postgres` with PG* variables, then a build from the loaded tables."""
    for key, variable in (("host", "PGHOST"), ("user", "PGUSER"), ("database", "PGDATABASE")):
        monkeypatch.setenv(variable, str(postgres_options[key]))
    monkeypatch.setenv("PGPORT", str(postgres_options["port"]))
    config_path = _few_config(tmp_path, {"name": "duckdb", "prefix": prefix})
    expected = build_table(load_config(config_path), synthetic_dir).table

    out = tmp_path / "out"
    args = ["build", str(config_path), "--data", str(synthetic_dir), "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--backend", "postgres"])
    assert result.exit_code == 0, result.output
    written = pd.read_parquet(out / "restricted" / "indicators.parquet")
    pd.testing.assert_frame_equal(written, expected, check_exact=False, rtol=1e-9)

    # The tables are now in PostgreSQL (jsna_ prefix: the CLI's backend has defaults);
    # a build configured to read them where they are needs no data folder.
    in_place = _few_config(
        tmp_path, {"name": "postgres", "options": postgres_options, "tables": "backend"}
    )
    again = build_table(load_config(in_place), tmp_path / "no-such-folder").table
    pd.testing.assert_frame_equal(again, expected, check_exact=False, rtol=1e-9)


def test_cli_refuses_an_unknown_backend(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["build", "--data", str(tmp_path), "--out", str(tmp_path), "--backend", "oracle"]
    )
    assert isinstance(result.exception, InputError)
    assert "oracle" in str(result.exception)


def test_connection_failure_names_the_server_but_never_the_password() -> None:
    secret = "s3cret-Pa55"
    backend = BackendConfig(
        name="postgres",
        options={"host": "127.0.0.1", "port": 1, "user": "jsna", "password": secret},
    )
    with pytest.raises(InputError) as error:
        backends.connect(backend)
    assert "127.0.0.1:1" in str(error.value)
    assert secret not in str(error.value)
    assert secret not in repr(backend)
    # Provenance records the configuration's dump: the options are not in it.
    assert secret not in str(backend.model_dump(mode="json"))


def test_unknown_spark_option_is_refused_before_a_session_starts(spark_ready: None) -> None:
    with pytest.raises(InputError) as error:
        backends.connect(BackendConfig(name="spark", options={"executors": 4}))
    assert (error.value.column, error.value.value) == ("backend.options", "executors")
