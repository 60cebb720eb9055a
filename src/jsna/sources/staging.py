"""Staging: each table file → a Parquet file of text columns with row numbers.

Validation works on text so that a wrong type is reported as a value in a row,
not as a failed cast of the whole file. Each file is read once by DuckDB
(``read_csv`` with a fixed dialect and every column as VARCHAR, or
``read_parquet`` with its row numbers) and copied, streaming and in file
order, to ``<work>/stage/<table>.parquet`` with a 1-based ``_row`` column and
one column per data-model column (absent optional columns as NULL). Values are
trimmed and empty text becomes NULL, which is how "not recorded" is held.

Malformed CSV lines (unbalanced quotes, wrong field count, a line over the
size limit) are collected through DuckDB's rejects table and turned into
:class:`~jsna.errors.InputError` with the file, column, row and value, never
a traceback. A file that is not UTF-8 is re-read as Windows-1252 (with a
data-quality note) or refused with the offending row and byte.

All DuckDB-specific SQL for validation lives here and in
:mod:`jsna.sources.checks`; the engine never sees it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from jsna.errors import InputError
from jsna.sources.files import (
    TableFile,
    excel_to_csv,
    header_preview,
    read_csv_header,
    recode_cp1252,
)
from jsna.sources.schema import Need, TableSpec

__all__ = ["MAX_LINE_BYTES", "Staged", "connect", "quote_ident", "quote_literal", "stage_table"]

MAX_LINE_BYTES = 2_000_000  # DuckDB's CSV line limit; a longer line is refused, not truncated
_VALUE_PREVIEW = 60


def quote_literal(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def quote_ident(name: str) -> str:
    """A SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def connect(work_dir: Path, memory_limit: str = "2GB") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection for validation with bounded memory (spilling to ``work_dir``)."""
    con = duckdb.connect(":memory:")
    spill = work_dir / "spill"
    spill.mkdir(parents=True, exist_ok=True)
    con.execute(f"SET memory_limit = {quote_literal(memory_limit)}")
    con.execute(f"SET temp_directory = {quote_literal(str(spill))}")
    # Row numbers are positions in the file: reads and copies must keep file order.
    con.execute("SET preserve_insertion_order = true")
    return con


@dataclass
class Staged:
    """A table staged as text: where it is and what was found on the way."""

    source: TableFile
    spec: TableSpec
    path: Path
    rows: int
    present: tuple[str, ...]  # data-model columns found in the file
    ignored: tuple[str, ...]  # columns in the file that the data model does not use
    notes: list[str] = field(default_factory=list)


def _preview(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.rstrip("\r\n")
    return text if len(text) <= _VALUE_PREVIEW else text[:_VALUE_PREVIEW] + "…"


def _missing_hint(column: str, names: list[str], default: str) -> str:
    """What to do about a missing column, spotting a wrong separator or letter case."""
    if len(names) == 1 and any(sep in names[0] for sep in ";\t|"):
        return "the file does not seem to be comma-separated; save it as CSV (comma delimited)"
    for name in names:
        if name.lower() == column:
            return f"the header has {name!r}: column names are lower case, as in the data model"
    return default


def _check_columns(names: list[str], spec: TableSpec, label: str) -> list[InputError]:
    """Required columns present (``date_of_birth`` or ``age`` for people)."""
    errors: list[InputError] = []
    header = header_preview(names)
    for column in spec.columns:
        if column.need in (Need.REQUIRED, Need.PRESENT) and column.name not in names:
            default = (
                "add the column; it may hold empty values"
                if column.need is Need.PRESENT
                else "add the column"
            )
            errors.append(
                InputError(
                    f"required column is missing (the header has: {header})",
                    file=label,
                    column=column.name,
                    hint=_missing_hint(column.name, names, default),
                )
            )
    one_of = [c.name for c in spec.columns if c.need is Need.ONE_OF]
    if one_of and not any(name in names for name in one_of):
        errors.append(
            InputError(
                f"needs a {' or an '.join(one_of)} column (the header has: {header})",
                file=label,
                column=one_of[0],
                hint="date_of_birth is preferred; age is whole years at the period end",
            )
        )
    return errors


def _text_expression(column: str, duck_type: str) -> str:
    """SQL turning a typed Parquet column into the text a CSV would hold."""
    ident = quote_ident(column)
    upper = duck_type.upper()
    if upper == "DATE" or upper.startswith("TIMESTAMP"):
        return f"strftime(CAST({ident} AS DATE), '%Y-%m-%d')"
    if upper == "BOOLEAN":
        return f"CASE WHEN {ident} THEN 'true' WHEN NOT {ident} THEN 'false' END"
    if upper in ("FLOAT", "DOUBLE") or upper.startswith("DECIMAL"):
        number = f"CAST({ident} AS DOUBLE)"
        return (
            f"CASE WHEN isnan({number}) THEN NULL "
            f"WHEN {number} = trunc({number}) AND abs({number}) < 1e15 "
            f"THEN CAST(CAST({number} AS BIGINT) AS VARCHAR) ELSE CAST({ident} AS VARCHAR) END"
        )
    return f"CAST({ident} AS VARCHAR)"


def _clean(expression: str) -> str:
    """Trim whitespace; empty text becomes NULL (not recorded).

    Trimming a set of characters is the dearest step of staging, so it runs
    only on values that start or end with whitespace (found by a cheap regex).
    """
    return (
        f"NULLIF(CASE WHEN regexp_matches({expression}, '^\\s|\\s$') "
        f"THEN trim({expression}, ' \t\r\n') ELSE {expression} END, '')"
    )


def _select_list(spec: TableSpec, source: dict[str, str]) -> str:
    """``_row`` then every data-model column, cleaned; absent ones as NULL."""
    parts = ["_row"]
    for column in spec.columns:
        if column.name in source:
            parts.append(f"{_clean(source[column.name])} AS {quote_ident(column.name)}")
        else:
            parts.append(f"CAST(NULL AS VARCHAR) AS {quote_ident(column.name)}")
    return ", ".join(parts)


_REJECT_REASONS = {
    "TOO MANY COLUMNS": "the line has more fields than the header",
    "MISSING COLUMNS": "the line has fewer fields than the header",
    "UNQUOTED VALUE": "unbalanced quotes: a quoted value is not closed properly",
    "LINE SIZE OVER MAXIMUM": f"line longer than {MAX_LINE_BYTES:,} bytes (a huge field?)",
}


def _rejects(
    con: duckdb.DuckDBPyConnection, names: list[str], label: str, cap: int
) -> tuple[list[InputError], bool]:
    """Malformed lines as InputErrors (first ``cap``), and whether any were bad encoding."""
    rows = con.execute(
        "SELECT line, column_idx, error_type, csv_line, error_message FROM jsna_rejects "
        "ORDER BY line, column_idx"
    ).fetchall()
    encoding = any(row[2] == "INVALID ENCODING" for row in rows)
    errors = []
    for line, column_idx, error_type, csv_line, message in rows[:cap]:
        if error_type == "INVALID ENCODING":
            continue
        if column_idx is not None and 1 <= column_idx <= len(names):
            column = names[column_idx - 1]
        elif column_idx is not None:
            column = f"field {column_idx}"
        else:
            column = None
        reason = _REJECT_REASONS.get(error_type, f"malformed line ({error_type.lower()})")
        errors.append(
            InputError(
                f"{reason} (line {line}; {message})",
                file=label,
                column=column,
                row=line - 1,
                value=_preview(csv_line),
                hint="fix the line or re-export the file as CSV UTF-8 with quoted text",
            )
        )
    return errors, encoding


def _stage_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    spec: TableSpec,
    target: Path,
    label: str,
    names: list[str],
    cap: int,
) -> tuple[list[InputError], bool]:
    """Copy a CSV to the staged Parquet; return malformed-line errors and the encoding flag."""
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(names))) + "}"
    reader = (
        f"read_csv({quote_literal(str(path))}, columns = {columns}, header = true, "
        "auto_detect = false, delim = ',', quote = '\"', escape = '\"', strict_mode = true, "
        f"max_line_size = {MAX_LINE_BYTES}, store_rejects = true, "
        "rejects_table = 'jsna_rejects', rejects_scan = 'jsna_rejects_scan', "
        "rejects_limit = 1000)"
    )
    source = {name: f"c{i}" for i, name in enumerate(names)}
    con.execute("DROP TABLE IF EXISTS jsna_rejects; DROP TABLE IF EXISTS jsna_rejects_scan")
    con.execute(
        f"COPY (SELECT {_select_list(spec, source)} FROM "
        f"(SELECT row_number() OVER () AS _row, * FROM {reader})) "
        f"TO {quote_literal(str(target))} (FORMAT parquet)"
    )
    return _rejects(con, names, label, cap)


def _parquet_reader(path: Path) -> str:
    return f"read_parquet({quote_literal(str(path))}, file_row_number = true)"


def _parquet_types(con: duckdb.DuckDBPyConnection, path: Path) -> dict[str, str]:
    """Column name → DuckDB type of a Parquet file."""
    described = con.execute(f"DESCRIBE SELECT * FROM {_parquet_reader(path)}").fetchall()
    return {name: duck_type for name, duck_type, *_ in described if name != "file_row_number"}


def _stage_parquet(
    con: duckdb.DuckDBPyConnection, path: Path, types: dict[str, str], spec: TableSpec, target: Path
) -> None:
    """Copy a Parquet file's columns as text, in file order, to the staged Parquet."""
    source = {name: _text_expression(name, duck_type) for name, duck_type in types.items()}
    con.execute(
        f"COPY (SELECT {_select_list(spec, source)} FROM "
        f"(SELECT file_row_number + 1 AS _row, * FROM {_parquet_reader(path)})) "
        f"TO {quote_literal(str(target))} (FORMAT parquet)"
    )


def stage_table(
    con: duckdb.DuckDBPyConnection,
    source_file: TableFile,
    spec: TableSpec,
    work_dir: Path,
    *,
    cap: int = 20,
) -> tuple[Staged | None, list[InputError]]:
    """Stage one table file as text with row numbers.

    Returns the staged table, or None and the errors (missing columns,
    malformed lines: at most ``cap`` of them) when the file cannot be read as
    a table. Never leaves a partial staged file behind.
    """
    stage_dir = work_dir / "stage"
    stage_dir.mkdir(parents=True, exist_ok=True)
    target = stage_dir / f"{spec.name}.parquet"
    label = source_file.label
    notes: list[str] = []
    try:
        if source_file.format == "parquet":
            types = _parquet_types(con, source_file.path)
            names = list(types)
            missing = _check_columns(names, spec, label)
            if missing:
                return None, missing[:cap]
            _stage_parquet(con, source_file.path, types, spec, target)
        else:
            path = source_file.path
            if source_file.format == "xlsx":
                path = stage_dir / f"{spec.name}.from_xlsx.csv"
                excel_to_csv(source_file.path, path, label)
                notes.append(f"{label}: first sheet read from Excel")
            names, encoding = read_csv_header(path, label)
            missing = _check_columns(names, spec, label)
            if missing:
                return None, missing[:cap]
            if encoding == "utf-8":
                errors, bad_encoding = _stage_csv(con, path, spec, target, label, names, cap)
            else:
                errors, bad_encoding = [], True
            if bad_encoding:
                recoded = stage_dir / f"{spec.name}.utf8.csv"
                recode_cp1252(path, recoded, label)
                notes.append(f"{label}: not UTF-8; decoded as Windows-1252")
                errors, _ = _stage_csv(con, recoded, spec, target, label, names, cap)
            if errors:
                target.unlink(missing_ok=True)
                return None, errors
    except InputError as error:
        target.unlink(missing_ok=True)
        return None, [error]
    except duckdb.Error as error:
        target.unlink(missing_ok=True)
        first_line = str(error).strip().splitlines()[0]
        return None, [
            InputError(
                f"could not be read as {source_file.format.upper()} ({first_line})",
                file=label,
                hint="re-export the table as Parquet or CSV UTF-8",
            )
        ]
    rows = con.execute(
        f"SELECT count(*) FROM read_parquet({quote_literal(str(target))})"
    ).fetchone()
    present = tuple(c.name for c in spec.columns if c.name in names)
    ignored = tuple(name for name in names if name not in spec.names)
    if ignored:
        notes.append(f"{label}: columns not in the data model, not read: {', '.join(ignored)}")
    staged = Staged(source_file, spec, target, int(rows[0]) if rows else 0, present, ignored, notes)
    return staged, []
