"""The one exception type jsna raises for bad input.

Every reader and every statistic validates its input first and raises
:class:`InputError` with a message that names *where* the problem is (file,
column, row) and *what* it is (the value), and says what to do next, so an
analyst can fix the data without reading a traceback.
"""

from __future__ import annotations

from typing import Any

__all__ = ["InputError"]


class InputError(ValueError):
    """Bad input: names the file, column, row and value at fault.

    ``row`` is the 1-based data row (the header is not counted), so row 1 is
    the first record; for a file it is line ``row + 1``.

    >>> str(InputError("must not be negative", file="people.csv", column="age", row=3, value=-2))
    "people.csv, column 'age', row 3: value -2: must not be negative"
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        column: str | None = None,
        row: int | None = None,
        value: Any = None,
        hint: str | None = None,
    ) -> None:
        self.reason = message
        self.file = file
        self.column = column
        self.row = row
        self.value = value
        self.hint = hint
        super().__init__(self._compose())

    def _compose(self) -> str:
        where: list[str] = []
        if self.file is not None:
            where.append(str(self.file))
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.row is not None:
            where.append(f"row {self.row}")
        parts = [", ".join(where)] if where else []
        if self.value is not None:
            parts.append(f"value {self.value!r}")
        parts.append(self.reason)
        text = ": ".join(parts)
        if self.hint:
            text += f" ({self.hint})"
        return text
