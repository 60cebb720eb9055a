"""Every backend-specific line of the engine lives here.

The rest of :mod:`jsna.engine` builds backend-neutral Ibis expressions; this
module connects to a backend, reads the record-level files into it and runs
an expression to a pandas frame. DuckDB is the default (in-process, no
server). Spark (local mode, a ``spark://`` master, Spark Connect or
Databricks Connect) and PostgreSQL are the scale-out backends: DuckDB still
reads the data folder's files, and :mod:`jsna.sources.warehouse` loads them
into the backend (Parquet for Spark, COPY for PostgreSQL) or opens tables
already there. Connection settings come from the configuration's
``backend.options`` or the environment (``PG*`` for PostgreSQL,
``JSNA_SPARK_MASTER`` / ``SPARK_REMOTE`` for Spark) and are never logged;
see ``docs/scaling.md``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from jsna.config import BackendConfig
from jsna.errors import InputError
from jsna.sources import warehouse
from jsna.sources.records import open_records

__all__ = ["TABLE_NAMES", "connect", "execute", "read_tables"]

TABLE_NAMES: tuple[str, ...] = ("people", "conditions", "events", "deaths")


def connect(backend: BackendConfig) -> ibis.BaseBackend:
    """Open a connection to the configured backend (DuckDB: in memory unless a database is set)."""
    if backend.name == "duckdb":
        return ibis.duckdb.connect(**backend.options)
    if backend.name == "spark":
        return _connect_spark(backend.options)
    if backend.name == "postgres":
        return _connect_postgres(backend.options)
    raise InputError("unsupported backend", column="backend.name", value=backend.name)


def _missing_extra(backend: str, extra: str) -> InputError:
    return InputError(
        f"the {backend} backend needs its optional packages",
        column="backend.name",
        value=backend,
        hint=f"pip install 'jsna[{extra}]'",
    )


#: Spark settings for a session jsna starts itself (local mode or a ``spark://`` master);
#: ``backend.options.conf`` overrides them.
SPARK_DEFAULTS: dict[str, str] = {
    "spark.sql.session.timeZone": "UTC",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
}


def _spark_strip_whitespace_only() -> None:
    """Make Ibis's ``strip()`` on Spark trim whitespace only, as it does on DuckDB and PostgreSQL.

    Ibis 12 compiles ``strip()`` for Spark as ``TRIM(' \\t\\n\\r\\v\\f' FROM x)``, but
    Spark SQL reads ``\\v`` and ``\\f`` in a literal as the letters ``v`` and ``f``,
    so ``very_bad`` became ``ery_bad`` and ``fair`` became ``air`` (found by
    tests/backends). The characters are given by code point instead.
    """
    from ibis.backends.sql.compilers.pyspark import PySparkCompiler

    def visit_strip(self: Any, op: Any, *, arg: Any) -> Any:
        whitespace = self.f.concat(*(self.f.chr(ord(c)) for c in " \t\n\r\x0b\x0c"))
        return self.f.trim(arg, whitespace)

    PySparkCompiler.visit_Strip = visit_strip


def _connect_spark(options: Mapping[str, Any]) -> ibis.BaseBackend:
    """A Spark session: Databricks Connect, Spark Connect (``remote``) or a master.

    ``options``: ``databricks: true`` (a ``databricks-connect`` session from its
    own ``DATABRICKS_*`` settings), ``remote`` (a Spark Connect URL ``sc://…``;
    default ``$SPARK_REMOTE``), ``master`` (default ``$JSNA_SPARK_MASTER``, else
    ``local[*]``) and ``conf`` (Spark settings, over :data:`SPARK_DEFAULTS`).
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise _missing_extra("spark", "spark") from None
    _spark_strip_whitespace_only()
    unknown = sorted(set(options) - {"databricks", "remote", "master", "conf"})
    if unknown:
        raise InputError(
            "unknown Spark option",
            column="backend.options",
            value=unknown[0],
            hint="Spark takes databricks, remote, master and conf",
        )
    if options.get("databricks"):
        try:
            from databricks.connect import DatabricksSession  # type: ignore[import-not-found]
        except ImportError:
            raise _missing_extra("spark (Databricks Connect)", "spark") from None
        return ibis.pyspark.connect(DatabricksSession.builder.getOrCreate())
    conf = {**SPARK_DEFAULTS, **{str(k): str(v) for k, v in options.get("conf", {}).items()}}
    remote = options.get("remote") or os.environ.get("SPARK_REMOTE")
    builder = SparkSession.builder.appName("jsna")
    scratch = None
    if remote:
        builder = builder.remote(str(remote))
    else:
        master = str(options.get("master") or os.environ.get("JSNA_SPARK_MASTER") or "local[*]")
        builder = builder.master(master)
        if master.startswith("local"):
            # Local mode stays on the loopback interface and keeps its
            # catalogue out of the working directory (no ./spark-warehouse).
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            conf.setdefault("spark.driver.host", "127.0.0.1")
            conf.setdefault("spark.driver.bindAddress", "127.0.0.1")
            # One short-lived JVM does everything: more heap than the 1 GB default, and
            # the quick JIT tier only, which halves the first query's compile time.
            conf.setdefault("spark.driver.memory", "4g")
            # A few partitions after each shuffle on one machine, not the default 200.
            conf.setdefault("spark.sql.shuffle.partitions", "8")
            conf.setdefault("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1")
            if "spark.sql.warehouse.dir" not in conf:
                scratch = tempfile.mkdtemp(prefix="jsna-spark-warehouse-")
                conf["spark.sql.warehouse.dir"] = scratch
    for key, value in conf.items():
        builder = builder.config(key, value)
    con = ibis.pyspark.connect(builder.getOrCreate())
    if scratch is not None:
        weakref.finalize(con, shutil.rmtree, scratch, True)
    return con


def _connect_postgres(options: Mapping[str, Any]) -> ibis.BaseBackend:
    """A PostgreSQL connection from ``options`` (host, port, user, password, database),
    each falling back to libpq's environment (``PGHOST``, ``PGPORT``, ``PGUSER``,
    ``PGPASSWORD``, ``PGDATABASE``). The password never appears in a message.
    """
    try:
        import psycopg
    except ImportError:
        raise _missing_extra("postgres", "postgres") from None
    settings = dict(options)
    if "port" not in settings and os.environ.get("PGPORT"):
        # Ibis defaults the port to 5432 rather than leaving it to libpq.
        settings["port"] = int(os.environ["PGPORT"])
    try:
        return ibis.postgres.connect(**settings)
    except psycopg.Error as error:
        host = settings.get("host") or os.environ.get("PGHOST", "localhost")
        port = settings.get("port", 5432)
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        password = settings.get("password") or os.environ.get("PGPASSWORD")
        if password:
            reason = reason.replace(str(password), "***")
        raise InputError(
            f"cannot connect to PostgreSQL at {host}:{port}: {reason}",
            column="backend.options",
            hint="set host, port, user and database in backend.options or PGHOST, PGPORT, "
            "PGUSER, PGDATABASE (and PGPASSWORD) in the environment",
        ) from None


def read_tables(
    con: ibis.BaseBackend,
    data_dir: Path,
    backend: BackendConfig | None = None,
    *,
    period: tuple[date, date] | None = None,
) -> tuple[dict[str, ir.Table], bool]:
    """The four record-level tables as backend tables, and whether the data are synthetic.

    With ``backend.tables = "backend"`` they are the ``<prefix><table>``
    tables already in the backend (:func:`jsna.sources.warehouse.open_tables`).
    Otherwise they come from ``data_dir``: DuckDB reads the files in place;
    for Spark and PostgreSQL DuckDB reads them and
    :func:`jsna.sources.warehouse.load_tables` streams them in (Spark's
    Parquet goes to ``backend.staging``, by default a temporary folder
    removed with the connection). ``period`` is (snapshot date, mortality
    window start), which validation and ages given without a birth date use.
    """
    backend = backend or BackendConfig()
    if backend.tables == "backend":
        return warehouse.open_tables(con, prefix=backend.prefix, schema=backend.schema_name)
    if backend.name == "duckdb":
        return _read_files(con, data_dir, period)
    reader = ibis.duckdb.connect()
    files, synthetic = _read_files(reader, data_dir, period)
    staging = backend.staging
    if backend.name == "spark" and staging is None:
        staging = tempfile.mkdtemp(prefix="jsna-spark-staging-")
        weakref.finalize(con, shutil.rmtree, staging, True)
    warehouse.load_tables(
        con,
        {name: table.to_pyarrow_batches for name, table in files.items()},
        synthetic=synthetic,
        prefix=backend.prefix,
        schema=backend.schema_name,
        staging=staging,
    )
    reader.disconnect()
    return warehouse.open_tables(con, prefix=backend.prefix, schema=backend.schema_name)


def _read_files(
    con: ibis.BaseBackend, data_dir: Path, period: tuple[date, date] | None
) -> tuple[dict[str, ir.Table], bool]:
    """The four tables of ``data_dir``, validated and typed by :func:`jsna.sources.open_records`.

    Bad input raises :class:`~jsna.errors.InputError` naming file, column, row
    and value; also returns whether the data are marked synthetic.
    """
    dates = {} if period is None else {"period_end": period[0], "window_start": period[1]}
    records = open_records(Path(data_dir), con, **dates)
    tables = {name: getattr(records, name) for name in TABLE_NAMES}
    return tables, records.synthetic


def execute(expression: ir.Table) -> pd.DataFrame:
    """Run an expression on its backend and collect the (small) result as pandas.

    Through Arrow: Ibis's own ``to_pandas`` converts column by column and took
    about twice the query's time on the cell table.
    """
    return expression.to_pyarrow().to_pandas()
