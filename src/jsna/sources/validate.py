"""Validating a data directory: stage every table, run every check, count quality.

:func:`validate_directory` is what ``jsna validate DIR`` runs: it collects
every error (up to a cap per check) and the data-quality summary into a
:class:`ValidationReport`. :func:`inspect_directory` is the shared core that
:func:`jsna.sources.open_records` also uses, in "stop at the first error"
mode, so the same checks guard every read.

The work happens in a private DuckDB connection over staged Parquet files in
a work directory (see :mod:`jsna.sources.staging`); the caller owns that
directory and removes it.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb
import pyarrow as pa

from jsna.codes.causes import cause_group_of
from jsna.codes.ethnicity import NOT_STATED, ethnicity_lookup
from jsna.codes.geography import ward_lookup
from jsna.errors import InputError
from jsna.sources.checks import checks_for, run_checks
from jsna.sources.files import TableFile, find_table_files
from jsna.sources.quality import QualitySummary, TableCount, summarise
from jsna.sources.schema import TABLE_ORDER, TABLES, TableSpec
from jsna.sources.staging import Staged, connect, quote_ident, quote_literal, stage_table

__all__ = [
    "DEFAULT_PERIOD_END",
    "DEFAULT_WINDOW_START",
    "CheckTotal",
    "Inspection",
    "ValidationReport",
    "inspect_directory",
    "validate_directory",
]

#: The data model's default snapshot date and mortality-window start.
DEFAULT_PERIOD_END = dt.date(2024, 3, 31)
DEFAULT_WINDOW_START = dt.date(2019, 4, 1)
DEFAULT_CAP = 20


@dataclass(frozen=True)
class CheckTotal:
    """How many rows broke one check, and how many of them are listed as errors."""

    file: str
    column: str
    reason: str
    rows: int
    shown: int


@dataclass
class Inspection:
    """What inspecting a directory produced: staged tables, errors, summary."""

    con: duckdb.DuckDBPyConnection
    files: dict[str, TableFile]
    staged: dict[str, Staged]
    errors: list[InputError] = field(default_factory=list)
    totals: list[CheckTotal] = field(default_factory=list)
    summary: QualitySummary | None = None


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of ``jsna validate``: every error found and the quality summary.

    ``totals`` holds, per failed check, the number of rows that broke it, of
    which at most the cap are in ``errors``.
    """

    data_dir: Path
    errors: tuple[InputError, ...]
    totals: tuple[CheckTotal, ...]
    summary: QualitySummary | None

    @property
    def ok(self) -> bool:
        """True when no error was found."""
        return not self.errors


@cache
def _code_lookups() -> dict[str, pa.Table]:
    """Ethnicity codes (with a not-stated flag) and the borough's LSOAs (built once)."""
    codes = ethnicity_lookup()
    return {
        "lk_ethnicity": pa.table(
            {
                "code": codes["ethnicity_code"].astype(str).tolist(),
                "not_stated": codes["ethnicity_19"].eq(NOT_STATED).tolist(),
            }
        ),
        "lk_borough": pa.table({"lsoa21": sorted(set(ward_lookup()["lsoa21"].astype(str)))}),
    }


def _register(con: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table]) -> None:
    for name, table in tables.items():
        con.register(name, table)


def _register_causes(con: duckdb.DuckDBPyConnection) -> None:
    """Each distinct cause in the deaths table → its group (``lk_causes``), or ``lk_bad_causes``.

    Causes repeat (a few thousand ICD-10 codes at most), so they are classified
    once each in Python by :func:`jsna.codes.causes.cause_group_of`.
    """
    distinct = con.execute(
        "SELECT DISTINCT underlying_cause FROM deaths WHERE underlying_cause IS NOT NULL"
    ).fetchall()
    groups: dict[str, str] = {}
    bad: list[str] = []
    for (value,) in distinct:
        try:
            groups[value] = cause_group_of(value)
        except ValueError:
            bad.append(value)
    text = pa.string()
    _register(
        con,
        {
            "lk_causes": pa.table(
                {
                    "code": pa.array(list(groups), text),
                    "cause_group": pa.array(list(groups.values()), text),
                }
            ),
            "lk_bad_causes": pa.table({"code": pa.array(bad, text)}),
        },
    )


def _create_view(con: duckdb.DuckDBPyConnection, spec: TableSpec, staged: Staged | None) -> None:
    """The staged table as a view named after it; an empty one when not supplied."""
    if staged is not None:
        source = f"SELECT * FROM read_parquet({quote_literal(str(staged.path))})"
    else:
        columns = ", ".join(f"CAST(NULL AS VARCHAR) AS {quote_ident(c)}" for c in spec.names)
        source = f"SELECT CAST(NULL AS BIGINT) AS _row, {columns} WHERE false"
    con.execute(f"CREATE OR REPLACE VIEW {spec.name} AS {source}")


def inspect_directory(
    data_dir: Path,
    work_dir: Path,
    *,
    first_error: bool,
    checks: bool = True,
    cap: int = DEFAULT_CAP,
    period_end: dt.date = DEFAULT_PERIOD_END,
    window_start: dt.date = DEFAULT_WINDOW_START,
    today: dt.date | None = None,
) -> Inspection:
    """Stage, check and summarise ``data_dir`` using ``work_dir`` for scratch files.

    With ``first_error`` the first error raises :class:`InputError`
    (structure, then types, then values, then relationships); otherwise up to
    ``cap`` errors per check are collected. With ``checks=False`` only the
    checks needed to type the columns run (dates, whole numbers, booleans,
    required values); codes, ranges, duplicates and relationships are trusted.
    """
    today = today or dt.date.today()
    files = find_table_files(Path(data_dir))
    con = connect(work_dir)
    try:
        return _inspect(
            con, files, work_dir, first_error, checks, cap, period_end, window_start, today
        )
    except BaseException:
        con.close()
        raise


def _inspect(
    con: duckdb.DuckDBPyConnection,
    files: dict[str, TableFile],
    work_dir: Path,
    first_error: bool,
    checks: bool,
    cap: int,
    period_end: dt.date,
    window_start: dt.date,
    today: dt.date,
) -> Inspection:
    inspection = Inspection(con, files, {})
    for table, source in files.items():
        staged, errors = stage_table(con, source, TABLES[table], work_dir, cap=cap)
        if errors and first_error:
            raise errors[0]
        inspection.errors += errors
        if staged is not None:
            inspection.staged[table] = staged
    if "people" not in inspection.staged:
        return inspection
    for table in TABLE_ORDER:
        _create_view(con, TABLES[table], inspection.staged.get(table))
    _register(con, _code_lookups())
    _register_causes(con)
    people_present = set(inspection.staged["people"].present)
    pending = [
        (check, staged.source.label)
        for staged in inspection.staged.values()
        for check in checks_for(staged.spec, set(staged.present), people_present, today)
        if checks or check.typing
    ]
    for result, (_, label) in zip(
        run_checks(con, pending, 1 if first_error else cap), pending, strict=True
    ):
        if not result.total:
            continue
        if first_error:
            raise result.errors[0]
        inspection.errors += result.errors
        inspection.totals.append(
            CheckTotal(
                label, result.check.column, result.check.reason, result.total, len(result.errors)
            )
        )
    if len(inspection.staged) == len(files):
        counts = tuple(
            TableCount(
                table,
                files[table].label if table in files else None,
                inspection.staged[table].rows if table in inspection.staged else 0,
                files[table].synthetic if table in files else False,
            )
            for table in TABLE_ORDER
        )
        notes = [note for staged in inspection.staged.values() for note in staged.notes]
        notes += [
            f"{table}: not supplied (read as empty)" for table in TABLE_ORDER if table not in files
        ]
        inspection.summary = summarise(
            con, counts, period_end=period_end, window_start=window_start, notes=tuple(notes)
        )
    return inspection


def validate_directory(
    data_dir: Path,
    *,
    cap: int = DEFAULT_CAP,
    period_end: dt.date = DEFAULT_PERIOD_END,
    window_start: dt.date = DEFAULT_WINDOW_START,
    today: dt.date | None = None,
) -> ValidationReport:
    """Check every table in ``data_dir`` and count its data quality.

    Collects up to ``cap`` errors per check rather than stopping at the
    first; a directory that cannot be read at all (no people file, two files
    for one table) still raises :class:`InputError`. Scratch files go to a
    temporary directory that is removed before returning.

    >>> report = validate_directory(Path("synthetic-westminster"))  # doctest: +SKIP
    >>> report.ok, report.summary.rows("people")                    # doctest: +SKIP
    (True, 205100)
    """
    work_dir = Path(tempfile.mkdtemp(prefix="jsna-validate-"))
    try:
        inspection = inspect_directory(
            Path(data_dir),
            work_dir,
            first_error=False,
            cap=cap,
            period_end=period_end,
            window_start=window_start,
            today=today,
        )
        inspection.con.close()
        return ValidationReport(
            Path(data_dir),
            tuple(inspection.errors),
            tuple(inspection.totals),
            inspection.summary,
        )
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
