"""Finding the table files in a data directory and reading what is *about* them.

A data directory holds one file per table (``people``, ``conditions``,
``events``, ``deaths``) as Parquet, CSV or, for small extracts, Excel
(``.xlsx``). This module finds them, fingerprints them (SHA-256, for
provenance), reads the ``jsna.synthetic`` marker from Parquet key-value
metadata, reads CSV headers, re-encodes Windows-1252 CSV files to UTF-8 and
turns an Excel sheet into a UTF-8 CSV, so that everything after it reads one
of two formats. Nothing here parses record values; that is done in SQL by
:mod:`jsna.sources.staging`.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from jsna.errors import InputError
from jsna.sources.schema import TABLE_ORDER, TABLES

__all__ = [
    "EXTENSIONS",
    "SYNTHETIC_KEY",
    "TableFile",
    "excel_to_csv",
    "find_table_files",
    "header_preview",
    "read_csv_header",
    "recode_cp1252",
    "sha256",
    "synthetic_marker",
]

EXTENSIONS = (".parquet", ".csv", ".xlsx")
SYNTHETIC_KEY = "jsna.synthetic"
_HEADER_LIMIT = 1 << 20  # a header line longer than 1 MiB is not a header
_CHUNK = 1 << 20


@dataclass(frozen=True)
class TableFile:
    """One table's file: where it is, its format and its fingerprint."""

    table: str
    path: Path
    format: str  # "parquet", "csv" or "xlsx"
    sha256: str
    synthetic: bool

    @property
    def label(self) -> str:
        """The file name used in messages (``people.csv``)."""
        return self.path.name


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB chunks (bounded memory)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def synthetic_marker(path: Path) -> bool:
    """True when a Parquet file carries ``jsna.synthetic = "true"`` metadata.

    CSV and Excel files carry no metadata, so they are never marked.
    """
    if path.suffix.lower() != ".parquet":
        return False
    try:
        metadata = pq.read_metadata(path).metadata or {}
    except Exception as error:  # pyarrow raises several types for a corrupt file
        raise InputError(
            f"not a readable Parquet file ({error})",
            file=path.name,
            hint="re-export the table as Parquet or CSV",
        ) from None
    return metadata.get(SYNTHETIC_KEY.encode(), b"").decode().lower() == "true"


def find_table_files(data_dir: Path) -> dict[str, TableFile]:
    """Find each table's file in ``data_dir``; raise InputError if ambiguous or missing.

    ``people`` is required; ``conditions``, ``events`` and ``deaths`` may be
    absent (the caller reports an absent table as zero rows, not supplied).
    """
    if not data_dir.is_dir():
        raise InputError(
            "data directory not found", file=str(data_dir), hint="pass a directory of table files"
        )
    found: dict[str, TableFile] = {}
    for table in TABLE_ORDER:
        candidates = [data_dir / f"{table}{ext}" for ext in EXTENSIONS]
        present = [path for path in candidates if path.is_file()]
        if len(present) > 1:
            names = ", ".join(path.name for path in present)
            raise InputError(
                f"more than one file for table {table!r} ({names})",
                file=present[0].name,
                hint="keep exactly one of them",
            )
        if not present:
            if TABLES[table].required:
                looked = ", ".join(path.name for path in candidates)
                raise InputError(
                    f"table {table!r} not found (looked for {looked})",
                    file=str(data_dir / f"{table}.parquet"),
                    hint="every data directory needs a people file",
                )
            continue
        path = present[0]
        if path.stat().st_size == 0:
            raise InputError("file is empty (0 bytes)", file=path.name, hint="export it again")
        found[table] = TableFile(
            table=table,
            path=path,
            format=path.suffix.lower().lstrip("."),
            sha256=sha256(path),
            synthetic=synthetic_marker(path),
        )
    return found


def read_csv_header(path: Path, label: str) -> tuple[list[str], str]:
    """Column names from a CSV header and the file's encoding (``utf-8`` or ``cp1252``).

    A UTF-8 byte-order mark is skipped; UTF-16 is refused with a clear
    message; duplicate or empty column names are refused.
    """
    with path.open("rb") as handle:
        head = handle.read(_HEADER_LIMIT)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError("file is UTF-16 encoded", file=label, hint="save it as CSV UTF-8")
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    line, *rest = re.split(rb"\r|\n", head, maxsplit=1)
    if not rest and len(head) == _HEADER_LIMIT:
        raise InputError(
            "no header line found in the first 1 MiB", file=label, hint="is this a CSV file?"
        )
    try:
        text, encoding = line.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = line.decode("cp1252", errors="replace"), "cp1252"
    if "\x00" in text:
        raise InputError("header contains NUL bytes", file=label, hint="is this a CSV file?")
    try:
        names = [name.strip() for name in next(csv.reader([text]), [""])]
    except csv.Error as error:
        raise InputError(
            f"the header line cannot be read as CSV ({error})",
            file=label,
            value=text[:60],
            hint="the first line must name the columns, separated by commas",
        ) from None
    if not names:
        raise InputError(
            "the first line is empty; it must be the header",
            file=label,
            hint="the first line must name the columns, separated by commas",
        )
    seen: set[str] = set()
    for position, name in enumerate(names, start=1):
        if not name:
            raise InputError(
                f"header column {position} has no name", file=label, hint="name every column"
            )
        if name in seen:
            raise InputError(
                "column name appears twice in the header",
                file=label,
                column=name,
                hint="rename or remove one of them",
            )
        seen.add(name)
    return names, encoding


def recode_cp1252(source: Path, target: Path, label: str) -> None:
    """Re-encode a Windows-1252 file as UTF-8, streaming in 1 MiB chunks.

    Raises InputError naming the row (1-based data row) and byte offset of
    the first byte that is undefined in Windows-1252 (0x81, 0x8D, 0x8F, 0x90,
    0x9D), since such a file is in neither encoding. The target is removed on
    failure so no partial file is left behind.
    """
    decoder = codecs.getincrementaldecoder("cp1252")()
    offset = 0
    newlines = 0
    try:
        with source.open("rb") as inp, target.open("w", encoding="utf-8", newline="") as out:
            first = True
            while chunk := inp.read(_CHUNK):
                if first and chunk.startswith(codecs.BOM_UTF8):
                    chunk = chunk[len(codecs.BOM_UTF8) :]
                    offset += len(codecs.BOM_UTF8)
                first = False
                try:
                    out.write(decoder.decode(chunk))
                except UnicodeDecodeError as error:
                    bad = chunk[error.start : error.start + 1]
                    row = newlines + chunk.count(b"\n", 0, error.start)
                    raise InputError(
                        f"byte 0x{bad.hex()} at byte offset {offset + error.start} (counting "
                        "from 0) is neither UTF-8 nor Windows-1252",
                        file=label,
                        row=row if row > 0 else None,
                        value=f"0x{bad.hex()}",
                        hint="save the file as CSV UTF-8",
                    ) from None
                newlines += chunk.count(b"\n")
                offset += len(chunk)
            out.write(decoder.decode(b"", final=True))
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _cell_text(value: object) -> str:
    """One Excel cell as the text a CSV export would hold (dates ISO 8601)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def excel_to_csv(source: Path, target: Path, label: str) -> None:
    """Write the first sheet of an ``.xlsx`` workbook as a UTF-8 CSV.

    Rows keep their positions (data row *n* is sheet row *n* + 1) so error
    messages point at the right sheet row; only trailing blank rows are left
    out. Excel dates become ISO dates. For small extracts: the sheet is read
    row by row in openpyxl's read-only mode.
    """
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zipfile, KeyError, ValueError…
        raise InputError(
            f"not a readable Excel workbook ({type(error).__name__})",
            file=label,
            hint="save it as .xlsx, or export CSV UTF-8",
        ) from None
    try:
        sheet = workbook.worksheets[0]
        buffer: list[list[str]] = []
        width = 0
        with target.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            for values in sheet.iter_rows(values_only=True):
                cells = [_cell_text(value) for value in values]
                while len(cells) > width and cells and not cells[-1]:
                    cells.pop()  # empty cells right of the table
                width = width or len(cells)
                cells += [""] * (width - len(cells))
                if not any(cells):
                    buffer.append(cells)  # written only if a non-blank row follows
                    continue
                writer.writerows(buffer)
                buffer.clear()
                writer.writerow(cells)
    except Exception as error:  # a damaged sheet: openpyxl raises many types
        target.unlink(missing_ok=True)
        raise InputError(
            f"could not read the first sheet ({type(error).__name__}: {error})",
            file=label,
            hint="save it as .xlsx, or export CSV UTF-8",
        ) from None
    finally:
        workbook.close()
    if target.stat().st_size == 0:
        target.unlink()
        raise InputError("the first sheet is empty", file=label, hint="put the table on sheet 1")


def header_preview(names: list[str]) -> str:
    """A short, readable list of header names for messages."""
    text = ", ".join(names[:20])
    if len(names) > 20:
        text += f", … ({len(names)} columns)"
    return text
