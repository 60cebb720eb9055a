"""Reading small analyst-made tables (CSV or Excel) as text, row by row.

Engagement comments, analyst overrides, hand labels and the flat asset
directory are small tables an analyst edits by hand. They are read here as
plain text (no type guessing) so every check downstream can name the file,
column, 1-based data row and value at fault (docs/data-model.md: row 1 is line
2 of a CSV; for Excel, data row *n* is sheet row *n* + 1).

The CSV dialect is the project's: comma-separated, ``"`` quotes, a header row,
UTF-8 with or without a byte-order mark (Windows-1252 is decoded as a fallback).
Values are trimmed; an empty value means "not given".
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Sequence
from pathlib import Path

from jsna.errors import InputError
from jsna.sources.files import excel_to_csv

__all__ = ["Table", "read_table", "require_columns"]


class Table:
    """A header and text rows read from one file; ``rows[i]`` is data row ``i + 1``."""

    def __init__(self, file: str, header: list[str], rows: list[dict[str, str]]) -> None:
        self.file = file
        self.header = header
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)


def _decode(raw: bytes, label: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("UTF-16 files are not accepted", file=label, hint="save as UTF-8 CSV")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError as error:
            raise InputError(
                f"the file is neither UTF-8 nor Windows-1252 (byte offset {error.start})",
                file=label,
                hint="save as UTF-8 CSV",
            ) from None


def read_table(path: str | Path) -> Table:
    """Read a ``.csv`` or ``.xlsx`` file into a :class:`Table` of trimmed text.

    Raises :class:`InputError` for a missing or empty file, a missing header,
    a repeated column name, or a row with the wrong number of fields.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = p.write_text("id,text\\n1, hello \\n")
    >>> read_table(p).rows
    [{'id': '1', 'text': 'hello'}]
    """
    path = Path(path)
    label = path.name
    if not path.is_file():
        raise InputError("file not found", file=str(path))
    if path.suffix.lower() == ".xlsx":
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "sheet.csv"
            excel_to_csv(path, target, label)
            text = target.read_text(encoding="utf-8")
    elif path.suffix.lower() in {".csv", ".txt"}:
        raw = path.read_bytes()
        if not raw:
            raise InputError("the file is empty (0 bytes)", file=label)
        text = _decode(raw, label)
    else:
        raise InputError(
            "unsupported file type", file=label, value=path.suffix, hint="use .csv or .xlsx"
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise InputError("the file has no header row", file=label) from None
    except csv.Error as error:
        raise InputError(f"cannot read the header: {error}", file=label) from None
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise InputError("column name appears twice in the header", file=label, column=name)
        seen.add(name)
    rows: list[dict[str, str]] = []
    number = 0
    try:
        for number, fields in enumerate(reader, start=1):
            if not any(field.strip() for field in fields):
                if fields:
                    raise InputError("empty row", file=label, row=number)
                continue
            if len(fields) != len(header):
                raise InputError(
                    f"expected {len(header)} fields, found {len(fields)}",
                    file=label,
                    row=number,
                    hint="check for an unquoted comma or a missing quote",
                )
            rows.append({name: value.strip() for name, value in zip(header, fields, strict=True)})
    except csv.Error as error:
        raise InputError(f"malformed CSV: {error}", file=label, row=number + 1) from None
    return Table(label, header, rows)


def require_columns(table: Table, required: Sequence[str]) -> None:
    """Raise :class:`InputError` naming the first required column the header lacks."""
    for name in required:
        if name not in table.header:
            raise InputError(
                f"required column missing (columns are: {', '.join(table.header)})",
                file=table.file,
                column=name,
            )
