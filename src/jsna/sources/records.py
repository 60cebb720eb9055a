"""The reader the engine uses: a data directory → validated, typed Ibis tables.

:func:`open_records` validates the directory (stopping at the first error),
writes each table once more as typed Parquet (dates as DATE, ``eligible`` as
BOOLEAN, the grouped cause of death beside the ICD-10 code) and registers
those files in an Ibis connection, so the engine can run on any Ibis backend.
The one backend-specific step, registering a Parquet file as a table, is
:func:`_register`; it uses Ibis's generic ``read_parquet``.

Normalised tables (what the engine sees):

* ``people``: ``person_id``, ``sex``, ``date_of_birth`` (DATE),
  ``date_of_birth_nominal`` (BOOLEAN), ``ethnicity_code``, ``lsoa21``,
  ``main_language``, ``tenure``, ``economic_activity``, ``general_health``,
  ``disability``, ``unpaid_care``, ``registration_start``,
  ``registration_end`` (DATE). Empty text is NULL ("not recorded"); optional
  columns absent from the file are NULL.
* ``conditions``: ``person_id``, ``condition``, ``diagnosis_date``.
* ``events``: ``person_id``, ``event``, ``date``, ``eligible`` (empty → true).
* ``deaths``: ``person_id``, ``date_of_death``, ``underlying_cause``,
  ``cause_group`` (:mod:`jsna.codes.causes`).

When a person has an ``age`` but no ``date_of_birth`` the engine still needs
a date to compute ages at its own period dates, so the reader sets a nominal
``date_of_birth = period_end − age years − 182 days`` (mid-way through the
year of age, so the age at ``period_end`` is exactly ``age``) and flags it in
``date_of_birth_nominal``; the data-quality summary counts these people.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import ibis

from jsna.errors import InputError
from jsna.sources.files import SYNTHETIC_KEY
from jsna.sources.quality import QualitySummary
from jsna.sources.schema import TABLE_ORDER
from jsna.sources.staging import quote_literal
from jsna.sources.validate import DEFAULT_PERIOD_END, DEFAULT_WINDOW_START, inspect_directory

if TYPE_CHECKING:
    import ibis.expr.types as ir
    from ibis.backends import BaseBackend

__all__ = ["NOMINAL_DAYS", "Records", "SourceFile", "open_records"]

#: Days subtracted after the whole years when a date of birth is derived from an age.
NOMINAL_DAYS = 182

_OPTIONAL_PEOPLE = ("tenure", "economic_activity", "general_health", "disability", "unpaid_care")


@dataclass(frozen=True)
class SourceFile:
    """Provenance of one input file: what was read, its fingerprint and row count."""

    table: str
    path: Path
    format: str
    sha256: str
    rows: int
    synthetic: bool


@dataclass
class Records:
    """The four record-level tables as Ibis tables, with their provenance.

    The tables are views over typed Parquet files in ``work_dir``. When that
    directory is temporary it is removed by :meth:`close` (or at the end of a
    ``with`` block), or else when the Ibis connection is garbage collected.
    """

    people: ir.Table
    conditions: ir.Table
    events: ir.Table
    deaths: ir.Table
    files: tuple[SourceFile, ...]
    synthetic: bool
    summary: QualitySummary | None
    con: BaseBackend
    work_dir: Path
    _cleanup: weakref.finalize | None = field(default=None, repr=False)

    def close(self) -> None:
        """Remove the temporary work directory (no-op for a caller's ``work_dir``)."""
        if self._cleanup is not None:
            self._cleanup()

    def __enter__(self) -> Records:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _people_sql(period_end: dt.date) -> str:
    end = f"DATE {quote_literal(period_end.isoformat())}"
    # CAST, not TRY_CAST: an age that is no date (validate=False) must fail, not become NULL.
    nominal = f"CAST({end} - to_years(CAST(age AS INTEGER)) - INTERVAL {NOMINAL_DAYS} DAY AS DATE)"
    optional = ", ".join(_OPTIONAL_PEOPLE)
    return (
        "SELECT person_id, sex, "
        f"CASE WHEN date_of_birth IS NULL THEN {nominal} "
        "ELSE CAST(date_of_birth AS DATE) END AS date_of_birth, "
        "date_of_birth IS NULL AS date_of_birth_nominal, "
        f"ethnicity_code, lsoa21, main_language, {optional}, "
        "CAST(registration_start AS DATE) AS registration_start, "
        "CAST(registration_end AS DATE) AS registration_end FROM people"
    )


_SQL = {
    "conditions": (
        "SELECT person_id, condition, CAST(diagnosis_date AS DATE) AS diagnosis_date "
        "FROM conditions"
    ),
    "events": (
        "SELECT person_id, event, CAST(date AS DATE) AS date, "
        "NOT COALESCE(lower(eligible) = 'false', false) AS eligible FROM events"
    ),
    "deaths": (
        "SELECT d.person_id, CAST(d.date_of_death AS DATE) AS date_of_death, "
        "d.underlying_cause, c.cause_group FROM deaths d "
        "LEFT JOIN lk_causes c ON c.code = d.underlying_cause ORDER BY d._row"
    ),
}


def _write_typed(con: duckdb.DuckDBPyConnection, sql: str, target: Path, synthetic: bool) -> None:
    options = "FORMAT parquet"
    if synthetic:
        options += f", KV_METADATA {{{quote_literal(SYNTHETIC_KEY)}: 'true'}}"
    con.execute(f"COPY ({sql}) TO {quote_literal(str(target))} ({options})")


def _register(con: BaseBackend, table: str, path: Path) -> ir.Table:
    """Register a typed Parquet file as table ``table`` in any Ibis backend."""
    return con.read_parquet(str(path), table_name=table)


def open_records(
    data_dir: Path,
    con: BaseBackend | None = None,
    *,
    validate: bool = True,
    period_end: dt.date = DEFAULT_PERIOD_END,
    window_start: dt.date = DEFAULT_WINDOW_START,
    work_dir: Path | None = None,
) -> Records:
    """Read, validate and type the record-level tables in ``data_dir``.

    ``con`` is the Ibis connection the tables are registered in (default: a
    new in-memory DuckDB). The first problem found raises
    :class:`jsna.errors.InputError` naming file, column, row and value. With
    ``validate=False`` only the checks needed to type each column run (dates,
    whole numbers, booleans, required values); codes, ranges, duplicates and
    links between tables are trusted — for files this project has just
    written. ``work_dir`` keeps the typed Parquet files (default: a temporary
    directory removed by :meth:`Records.close`). Nothing is written to
    ``data_dir``, and a failed read leaves no files behind.

    >>> with open_records(Path("synthetic-westminster")) as records:  # doctest: +SKIP
    ...     records.people.count().execute(), records.synthetic
    (205100, True)
    """
    temporary = work_dir is None
    root = Path(tempfile.mkdtemp(prefix="jsna-records-")) if temporary else Path(work_dir)
    root.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="scratch-", dir=root))
    try:
        inspection = inspect_directory(
            Path(data_dir),
            scratch,
            first_error=True,
            checks=validate,
            period_end=period_end,
            window_start=window_start,
        )
        duck = inspection.con
        synthetic = any(source.synthetic for source in inspection.files.values())
        tables_dir = root / "tables"
        tables_dir.mkdir(parents=True, exist_ok=True)
        typed: dict[str, Path] = {}
        for table in TABLE_ORDER:
            sql = _people_sql(period_end) if table == "people" else _SQL[table]
            typed[table] = tables_dir / f"{table}.parquet"
            try:
                _write_typed(duck, sql, typed[table], synthetic)
            except duckdb.Error as error:  # e.g. validate=False and an age beyond INTEGER
                source = inspection.files.get(table)
                raise InputError(
                    f"could not be typed ({str(error).splitlines()[0]})",
                    file=source.label if source else table,
                    hint="run jsna validate on the directory to find the row",
                ) from None
        duck.close()
    except BaseException:
        shutil.rmtree(root if temporary else scratch, ignore_errors=True)
        if not temporary:
            shutil.rmtree(root / "tables", ignore_errors=True)
        raise
    shutil.rmtree(scratch, ignore_errors=True)
    backend = con if con is not None else ibis.duckdb.connect()
    registered = {table: _register(backend, table, path) for table, path in typed.items()}
    files = tuple(
        SourceFile(
            table,
            source.path,
            source.format,
            source.sha256,
            inspection.staged[table].rows,
            source.synthetic,
        )
        for table, source in inspection.files.items()
    )
    records = Records(
        people=registered["people"],
        conditions=registered["conditions"],
        events=registered["events"],
        deaths=registered["deaths"],
        files=files,
        synthetic=synthetic,
        summary=inspection.summary,
        con=backend,
        work_dir=root,
    )
    if temporary:
        # The views read these files, so they live as long as the connection does.
        records._cleanup = weakref.finalize(backend, shutil.rmtree, root, True)
    return records
