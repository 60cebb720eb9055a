"""Benchmark: validating and reading a large people file in bounded memory.

Writes a people table of ``--rows`` rows (default 20,000,000) as CSV or
Parquet, plus conditions/events/deaths of 10%/10%/1% of that size, with
DuckDB (a fixed pattern, no randomness), then times
:func:`jsna.sources.validate_directory` and :func:`jsna.sources.open_records`
and reports the peak resident memory of the process. Validation runs in
DuckDB with a 2 GB memory limit, spilling to disk beyond it, so peak memory
should stay near that limit whatever the row count.

Run:  .venv/bin/python benchmarks/sources_validate.py [--rows 20000000] [--format csv]
      [--validate-only]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from jsna.sources import open_records, validate_directory

# Codes that pass validation; picked by row number so the data are deterministic.
_PEOPLE = """
SELECT 'P' || i AS person_id,
       ['F', 'M', 'U'][1 + i % 3] AS sex,
       DATE '1930-01-01' + CAST(i % 30000 AS INTEGER) AS date_of_birth,
       ['A', 'N', 'K', 'Z', NULL][1 + i % 5] AS ethnicity_code,
       ['E01004736', NULL, 'E01000001'][1 + i % 3] AS lsoa21,
       ['English', 'Arabic', NULL][1 + i % 3] AS main_language,
       DATE '2015-01-01' + CAST(i % 3000 AS INTEGER) AS registration_start,
       CASE WHEN i % 10 = 0 THEN DATE '2023-12-31' END AS registration_end
FROM range({rows}) t(i)
"""
_CONDITIONS = """
SELECT 'P' || (i * 10) AS person_id, 'hypertension' AS condition,
       DATE '2020-01-01' AS diagnosis_date FROM range({rows} // 10) t(i)
"""
_EVENTS = """
SELECT 'P' || (i * 10 + 1) AS person_id, 'flu_vaccination' AS event,
       DATE '2023-10-01' AS date, NULL AS eligible FROM range({rows} // 10) t(i)
"""
_DEATHS = """
SELECT 'P' || (i * 100) AS person_id, DATE '2023-12-31' AS date_of_death,
       'I21.9' AS underlying_cause FROM range({rows} // 100) t(i)
"""


def write_directory(directory: Path, rows: int, fmt: str) -> None:
    """Write the four tables with DuckDB (streaming; never held in Python)."""
    con = duckdb.connect()
    options = "FORMAT csv, HEADER" if fmt == "csv" else "FORMAT parquet"
    for name, sql in (
        ("people", _PEOPLE),
        ("conditions", _CONDITIONS),
        ("events", _EVENTS),
        ("deaths", _DEATHS),
    ):
        target = directory / f"{name}.{fmt}"
        con.execute(f"COPY ({sql.format(rows=rows)}) TO '{target}' ({options})")
    con.close()


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv")
    parser.add_argument("--validate-only", action="store_true", help="skip open_records")
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="jsna-bench-sources-"))
    try:
        start = time.perf_counter()
        write_directory(directory, args.rows, args.format)
        size = sum(path.stat().st_size for path in directory.iterdir()) / 1e6
        print(
            f"wrote {args.rows:,} people ({args.format}, {size:,.0f} MB) "
            f"in {time.perf_counter() - start:.1f} s; peak RSS {peak_rss_mb():,.0f} MB"
        )
        start = time.perf_counter()
        report = validate_directory(directory)
        print(
            f"validate_directory: {time.perf_counter() - start:.1f} s, ok={report.ok}, "
            f"errors={len(report.errors)}; peak RSS {peak_rss_mb():,.0f} MB"
        )
        if args.validate_only:
            return
        start = time.perf_counter()
        with open_records(directory) as records:
            people = records.people.count().execute()
        print(
            f"open_records: {time.perf_counter() - start:.1f} s, {people:,} people; "
            f"peak RSS {peak_rss_mb():,.0f} MB"
        )
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
