"""Record-level tables in a warehouse: load them into Spark or PostgreSQL, or open them there.

A council's extract usually arrives as files; at national scale it already
sits in a warehouse. This module does both halves for the two scale-out
backends of :mod:`jsna.engine.backends`:

* :func:`load_tables` puts the four record-level tables (``people``,
  ``conditions``, ``events``, ``deaths``, see ``docs/data-model.md``) into
  the backend, streamed batch by batch from Arrow: into **PostgreSQL** with
  ``COPY … FROM STDIN (FORMAT csv)`` (the bulk path; no row-by-row inserts),
  into **Spark** as Parquet files under a staging folder or URI the cluster
  reads, each registered as an external table;
* :func:`open_tables` reads tables that are already there, named
  ``<prefix><table>`` (``jsna_people`` …) in a PostgreSQL schema or Spark
  database, and checks they have the data model's columns.

Beside the four tables a loader writes ``<prefix>metadata`` (``key``,
``value``) holding ``jsna.synthetic``, so a build from a warehouse still
labels synthetic data as synthetic. Nothing here logs or echoes connection
settings.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.fs as pa_fs
import pyarrow.parquet as pq

from jsna.errors import InputError
from jsna.sources.schema import TABLES, Need

__all__ = [
    "METADATA_TABLE",
    "TABLE_NAMES",
    "LoadResult",
    "load_tables",
    "open_tables",
    "qualified_name",
]

TABLE_NAMES: tuple[str, ...] = ("people", "conditions", "events", "deaths")
METADATA_TABLE = "metadata"

#: A table to load: Arrow data, or a function opening it when its turn comes (so one
#: DuckDB connection can stream the tables one after another).
Source = pa.Table | pa.RecordBatchReader | Callable[[], pa.Table | pa.RecordBatchReader]

#: Arrow type → PostgreSQL column type for the data model's kinds of column.
_POSTGRES_TYPES: tuple[tuple[object, str], ...] = (
    (pa.types.is_boolean, "BOOLEAN"),
    (pa.types.is_integer, "BIGINT"),
    (pa.types.is_floating, "DOUBLE PRECISION"),
    (pa.types.is_date, "DATE"),
    (pa.types.is_timestamp, "TIMESTAMP"),
    (pa.types.is_string, "TEXT"),
    (pa.types.is_large_string, "TEXT"),
    (pa.types.is_null, "TEXT"),
)


@dataclass(frozen=True)
class LoadResult:
    """What a load wrote: rows per table and where (a Spark staging folder, else None)."""

    rows: dict[str, int]
    location: str | None


def qualified_name(name: str, *, prefix: str = "jsna_", schema: str | None = None) -> str:
    """The backend table holding record-level table ``name``.

    >>> qualified_name("people", schema="jsna")
    'jsna.jsna_people'
    """
    table = f"{prefix}{name}"
    return table if schema is None else f"{schema}.{table}"


def _backend_kind(con: ibis.BaseBackend) -> str:
    if con.name not in ("postgres", "pyspark"):
        raise InputError(
            "tables are loaded only into a warehouse backend (spark or postgres)",
            column="backend.name",
            value=con.name,
            hint="DuckDB reads the data folder's files where they are",
        )
    return con.name


def _batches(data: pa.Table | pa.RecordBatchReader) -> Iterator[pa.RecordBatch]:
    if isinstance(data, pa.Table):
        yield from data.to_batches(max_chunksize=200_000)
    else:
        yield from data


def _schema(data: pa.Table | pa.RecordBatchReader) -> pa.Schema:
    return data.schema


def _storable(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Columns of Arrow's ``null`` type (all values missing) as text, which every backend stores."""
    if not any(pa.types.is_null(field.type) for field in batch.schema):
        return batch
    arrays = [
        pa.nulls(len(batch), pa.string()) if pa.types.is_null(col.type) else col
        for col in batch.columns
    ]
    return pa.RecordBatch.from_arrays(arrays, names=batch.schema.names)


def _storable_schema(schema: pa.Schema) -> pa.Schema:
    return pa.schema(
        [pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f for f in schema]
    )


def _metadata(synthetic: bool) -> pa.Table:
    return pa.table({"key": ["jsna.synthetic"], "value": ["true" if synthetic else "false"]})


def _postgres_type(field: pa.Field, table: str) -> str:
    for test, sql_type in _POSTGRES_TYPES:
        if test(field.type):  # type: ignore[operator]
            return sql_type
    raise InputError(
        "a column type PostgreSQL is not given by the data model",
        file=table,
        column=field.name,
        value=str(field.type),
        hint="record-level columns are text, dates, whole numbers or booleans",
    )


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _copy_postgres(
    con: ibis.BaseBackend, table: str, data: pa.Table | pa.RecordBatchReader, schema: str | None
) -> int:
    """Replace ``table`` with ``data`` through COPY; returns the rows written."""
    target = _quote(table) if schema is None else f"{_quote(schema)}.{_quote(table)}"
    fields = list(_storable_schema(_schema(data)))
    columns = ", ".join(f"{_quote(f.name)} {_postgres_type(f, table)}" for f in fields)
    names = ", ".join(_quote(f.name) for f in fields)
    # Arrow's "needed" quoting quotes every text value, so an empty text value
    # arrives as "" (an empty string) and a missing one as nothing (NULL).
    options = pa_csv.WriteOptions(include_header=False, quoting_style="needed")
    rows = 0
    raw = con.con  # type: ignore[attr-defined]  # the psycopg connection
    with raw.transaction(), raw.cursor() as cursor:
        if schema is not None:
            cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {_quote(schema)}")
        cursor.execute(f"DROP TABLE IF EXISTS {target}")
        cursor.execute(f"CREATE TABLE {target} ({columns})")
        with cursor.copy(f"COPY {target} ({names}) FROM STDIN (FORMAT csv)") as copy:
            for batch in _batches(data):
                buffer = io.BytesIO()
                pa_csv.write_csv(_storable(batch), buffer, write_options=options)
                copy.write(buffer.getvalue())
                rows += batch.num_rows
    return rows


def _parquet_spark(
    con: ibis.BaseBackend,
    table: str,
    data: pa.Table | pa.RecordBatchReader,
    *,
    staging: str,
    database: str | None,
) -> int:
    """Write ``data`` as Parquet under ``staging/table`` and register it as an external table."""
    from pyspark.sql.pandas.types import from_arrow_schema

    folder = f"{staging.rstrip('/')}/{table}"
    filesystem, path = pa_fs.FileSystem.from_uri(folder) if "://" in folder else (None, folder)
    if filesystem is None:
        filesystem = pa_fs.LocalFileSystem()
    filesystem.create_dir(path, recursive=True)
    rows = 0
    with (
        filesystem.open_output_stream(f"{path}/part-00000.parquet") as sink,
        pq.ParquetWriter(sink, _storable_schema(_schema(data)), compression="zstd") as writer,
    ):
        for batch in _batches(data):
            writer.write_batch(_storable(batch))
            rows += batch.num_rows
    session = con._session  # type: ignore[attr-defined]  # the SparkSession
    name = table if database is None else f"`{database}`.`{table}`"
    if database is not None:
        session.sql(f"CREATE DATABASE IF NOT EXISTS `{database}`")
    session.sql(f"DROP TABLE IF EXISTS {name}")
    # The schema is given, so Spark need not run a job to read it from the files.
    spark_schema = from_arrow_schema(_storable_schema(_schema(data)))
    session.catalog.createTable(name, path=folder, source="parquet", schema=spark_schema)
    return rows


def load_tables(
    con: ibis.BaseBackend,
    tables: Mapping[str, Source],
    *,
    synthetic: bool,
    prefix: str = "jsna_",
    schema: str | None = None,
    staging: str | None = None,
) -> LoadResult:
    """Put the record-level tables into a Spark or PostgreSQL backend, replacing an earlier load.

    ``tables`` maps ``people``, ``conditions``, ``events`` and ``deaths`` to
    Arrow tables or record-batch readers, or functions returning one when
    that table's turn comes (typed as ``docs/data-model.md`` says: dates as
    dates); each is streamed batch by batch. PostgreSQL gets
    one ``CREATE TABLE`` and one ``COPY`` per table, each table in its own
    transaction; Spark gets Parquet files under ``staging`` (a local folder
    or any URI both Arrow and the cluster can reach, e.g. ``s3://…``), each
    registered as an external table. ``<prefix>metadata`` records whether the
    data are synthetic.

    Returns the rows written per table (and the metadata row).
    """
    kind = _backend_kind(con)
    missing = [name for name in TABLE_NAMES if name not in tables]
    if missing:
        raise InputError(
            "every record-level table is needed for a load",
            file=missing[0],
            hint="people, conditions, events and deaths (the last three may be empty)",
        )
    if kind == "pyspark" and not staging:
        raise InputError(
            "Spark loads its tables from Parquet files: a staging folder or URI is needed",
            column="backend.staging",
        )
    rows: dict[str, int] = {}
    for name in (*TABLE_NAMES, METADATA_TABLE):
        source = _metadata(synthetic) if name == METADATA_TABLE else tables[name]
        data = source() if callable(source) else source
        table = f"{prefix}{name}"
        if kind == "postgres":
            rows[name] = _copy_postgres(con, table, data, schema)
        else:
            rows[name] = _parquet_spark(con, table, data, staging=str(staging), database=schema)
    return LoadResult(rows=rows, location=staging if kind == "pyspark" else None)


def _required_columns(name: str) -> list[str]:
    spec = TABLES[name]
    return [c.name for c in spec.columns if c.need in (Need.REQUIRED, Need.PRESENT)]


def open_tables(
    con: ibis.BaseBackend, *, prefix: str = "jsna_", schema: str | None = None
) -> tuple[dict[str, ir.Table], bool]:
    """The record-level tables already in a backend, and whether they are synthetic.

    Reads ``<prefix>people`` … ``<prefix>deaths`` (in ``schema``: a
    PostgreSQL schema or Spark database) and checks each has the data
    model's required columns (``people`` needs ``date_of_birth`` or ``age``).
    The data count as synthetic when ``<prefix>metadata`` says
    ``jsna.synthetic = true``; a warehouse loaded by other means has no
    metadata table and is taken as real data. Any Ibis backend works (a
    DuckDB database file too); only loading is specific to Spark and PostgreSQL.
    """
    existing = set(con.list_tables(database=schema))
    out: dict[str, ir.Table] = {}
    for name in TABLE_NAMES:
        table = f"{prefix}{name}"
        where = qualified_name(name, prefix=prefix, schema=schema)
        if table not in existing:
            raise InputError(
                f"no table {where} in the {con.name} backend",
                file=where,
                hint="load the data folder first (backend tables: files), or set backend.prefix "
                "and backend.schema to where the tables are",
            )
        found = con.table(table, database=schema)
        columns = set(found.columns)
        for column in _required_columns(name):
            if column not in columns:
                raise InputError("required column missing", file=where, column=column)
        if name == "people" and not columns & {"date_of_birth", "age"}:
            raise InputError(
                "people needs date_of_birth or age", file=where, column="date_of_birth"
            )
        out[name] = found
    synthetic = False
    if f"{prefix}{METADATA_TABLE}" in existing:
        meta = con.table(f"{prefix}{METADATA_TABLE}", database=schema).to_pyarrow().to_pylist()
        synthetic = any(
            row["key"] == "jsna.synthetic" and str(row["value"]).lower() == "true" for row in meta
        )
    return out, synthetic
