"""Fixtures for the backend tests: a small synthetic population, PostgreSQL and Spark.

PostgreSQL is the throw-away server `scripts/services.sh start` runs on
127.0.0.1:55432 (the libpq variables PGHOST, PGPORT, PGUSER and PGDATABASE
override that). Spark runs in local mode and needs Java. On a developer
machine without them the tests that need them are skipped, saying why; in CI
(``CI`` set) a missing service fails the run instead, so the three-backend
test can never be skipped silently there.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

SERVICES = "start them with `sh scripts/services.sh start`"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI runs every backend; `make test` starts the services)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def synthetic_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Synthetic Westminster at scale 0.01 (about 2,000 people), written once per session."""
    from jsna.synth import write_synthetic

    folder = tmp_path_factory.mktemp("synthetic")
    write_synthetic(folder, seed=7, scale=0.01)
    return folder


@pytest.fixture(scope="session")
def postgres_options() -> dict[str, Any]:
    """Connection options of the test PostgreSQL server (skips or fails if it is not up)."""
    try:
        import psycopg
    except ImportError:
        _unavailable("psycopg is not installed (pip install 'jsna[postgres]')")
    options = {
        "host": os.environ.get("PGHOST", "127.0.0.1"),
        "port": int(os.environ.get("PGPORT", "55432")),
        "user": os.environ.get("PGUSER", "postgres"),
        "database": os.environ.get("PGDATABASE", "jsna_test"),
    }
    conninfo = {("dbname" if k == "database" else k): v for k, v in options.items()}
    try:
        psycopg.connect(**conninfo, connect_timeout=5).close()
    except psycopg.Error as error:
        _unavailable(f"no PostgreSQL at {options['host']}:{options['port']} ({SERVICES}): {error}")
    return options


@pytest.fixture(scope="session")
def spark_ready() -> None:
    """Skip (or fail in CI) unless PySpark and Java are installed."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        _unavailable("pyspark is not installed (pip install 'jsna[spark]')")
    if shutil.which("java") is None:
        _unavailable(f"Spark needs Java ({SERVICES})")


@pytest.fixture
def prefix(worker_id: str, request: pytest.FixtureRequest) -> str:
    """A table prefix unique to this test and xdist worker, so parallel tests never collide."""
    name = request.node.name.lower()
    stem = "".join(ch if ch.isalnum() else "_" for ch in name)[:30]
    return f"t_{worker_id}_{stem}_".replace("-", "_")
