"""Strict CSV reading shared by the connectors: every row as wide as the header.

A download cut short shows up as an unterminated quote or a short last row;
both are errors naming the data row, so nothing is read half-way silently.
"""

from __future__ import annotations

import csv
import io

from jsna.errors import InputError

__all__ = ["csv_rows"]


def csv_rows(text: str, source: str) -> tuple[list[str], list[list[str]]]:
    """Header (trimmed) and data rows of ``text``; ``source`` names it in errors."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as error:
        raise InputError(
            f"not a readable CSV ({error}); the file or download may be cut short",
            file=source,
            row=len(rows),
        ) from None
    if not rows:
        raise InputError("empty CSV", file=source)
    header = [h.strip() for h in rows[0]]
    for i, row in enumerate(rows[1:], start=1):
        if len(row) != len(header):
            raise InputError(
                f"{len(row)} fields where the header has {len(header)}; the file or download "
                "may be cut short",
                file=source,
                row=i,
                value=",".join(row)[:80],
            )
    return header, rows[1:]
