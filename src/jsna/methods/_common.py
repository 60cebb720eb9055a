"""Shared plumbing for the statistics in :mod:`jsna.methods`.

One place for what PHEindicatormethods repeats in every file: reading
confidence levels, naming interval columns, pulling validated numeric columns
out of a pandas or polars frame (through narwhals) and grouping rows (the
result frames are built in :mod:`jsna.methods._results`). Nothing here
computes a statistic.

Conventions (the public API relies on them):

* ``confidence`` is one level or a sequence of levels, each a fraction in
  (0, 1) or a percentage in (1, 100); ``(0.95, 0.998)`` is the default.
* Interval columns are ``lower_<digits>`` / ``upper_<digits>`` where the
  digits are the percentage without its decimal point: 0.95 → ``95``,
  0.998 → ``998``, 0.9 → ``90``.
* Rows whose statistic cannot be computed get NaN (null in polars) and a
  ``note``; they never raise.
* Bad input raises :class:`jsna.errors.InputError` naming the column, the
  first offending row (1-based) and its value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd
from scipy import stats

from jsna.errors import InputError

__all__ = [
    "DEFAULT_CONFIDENCE",
    "as_frame",
    "confidence_label",
    "group_rows",
    "level_suffix",
    "normalise_by",
    "normalise_confidence",
    "numeric_column",
    "z_value",
]

DEFAULT_CONFIDENCE: tuple[float, ...] = (0.95, 0.998)


def normalise_confidence(
    confidence: float | Sequence[float] | None, *, function: str
) -> tuple[float, ...]:
    """Return the confidence levels as fractions, in the order given.

    Accepts one level or several; each a fraction in (0, 1) or a percentage
    in (1, 100) (PHEindicatormethods accepts both). ``None`` or an empty
    sequence means "no intervals".
    """
    if confidence is None:
        return ()
    levels = [confidence] if np.isscalar(confidence) else list(confidence)  # type: ignore[arg-type]
    out: list[float] = []
    for raw in levels:
        try:
            level = float(raw)
        except (TypeError, ValueError):
            raise InputError(
                f"{function}: confidence must be a number such as 0.95 or 95",
                column="confidence",
                value=raw,
            ) from None
        if 1 < level < 100:
            level /= 100
        if not 0 < level < 1:
            raise InputError(
                f"{function}: confidence must lie in (0, 1) as a fraction or (1, 100) as a "
                "percentage",
                column="confidence",
                value=raw,
            )
        if level in out:
            raise InputError(
                f"{function}: confidence level given twice", column="confidence", value=raw
            )
        out.append(level)
    return tuple(out)


def level_suffix(level: float) -> str:
    """Column suffix for a confidence level: 0.95 → '95', 0.998 → '998'."""
    return f"{level * 100:.10g}".replace(".", "")


def confidence_label(levels: Iterable[float]) -> str:
    """Human label for the ``confidence`` metadata column: '95%, 99.8%'."""
    return ", ".join(f"{level * 100:.10g}%" for level in levels)


def z_value(level: float) -> float:
    """Two-sided standard normal quantile for a confidence level."""
    return float(stats.norm.ppf(level + (1 - level) / 2))


def normalise_by(by: str | Sequence[str] | None) -> list[str]:
    """``by`` as a list of column names (``None`` → no grouping)."""
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def as_frame(data: Any, *, function: str, columns: Iterable[str] = ()) -> nw.DataFrame[Any]:
    """Wrap a pandas/polars (or other narwhals-eager) frame and check columns exist."""
    try:
        frame = nw.from_native(data, eager_only=True)
    except TypeError:
        raise InputError(
            f"{function}: data must be a pandas or polars DataFrame",
            value=type(data).__name__,
        ) from None
    present = set(frame.columns)
    for name in columns:
        if name not in present:
            raise InputError(
                f"{function}: no column {name!r} in the data "
                f"(columns are: {', '.join(map(str, frame.columns))})",
                column=name,
            )
    return frame


def numeric_column(
    frame: nw.DataFrame[Any],
    name: str,
    *,
    function: str,
    allow_missing: bool = True,
    minimum: float | None = None,
    strictly_above: float | None = None,
) -> np.ndarray:
    """A column as a float array, validated.

    Missing values become NaN when ``allow_missing``; otherwise the first one
    raises. ``minimum`` (inclusive) and ``strictly_above`` bound the present
    values; the first value out of bounds raises, naming its row.
    """
    series = frame[name]
    raw = series.to_numpy()
    if raw.dtype.kind == "O" and series.dtype.is_numeric():
        # nullable numeric columns (pandas Int64 with NA): nulls → NaN
        raw = series.cast(nw.Float64()).to_numpy()
    if raw.dtype.kind in "fiub":
        values = raw.astype(float, copy=False)
    else:
        values = np.empty(len(raw), dtype=float)
        for i, item in enumerate(raw):
            if item is None or (isinstance(item, float) and np.isnan(item)):
                values[i] = np.nan
            elif isinstance(item, bool | np.bool_) or not isinstance(
                item, int | float | np.integer | np.floating
            ):
                raise InputError(
                    f"{function}: values must be numeric", column=name, row=i + 1, value=item
                )
            else:
                values[i] = float(item)
    if not allow_missing:
        missing = np.isnan(values)
        if missing.any():
            row = int(np.argmax(missing))
            raise InputError(
                f"{function}: values must not be missing", column=name, row=row + 1, value=None
            )
    # comparisons with NaN are False, so missing values never count as out of bounds
    if minimum is not None:
        bad = values < minimum
        if bad.any():
            row = int(np.argmax(bad))
            raise InputError(
                f"{function}: values must be at least {minimum:g}",
                column=name,
                row=row + 1,
                value=_plain(values[row]),
            )
    if strictly_above is not None:
        bad = values <= strictly_above
        if bad.any():
            row = int(np.argmax(bad))
            raise InputError(
                f"{function}: values must be greater than {strictly_above:g}",
                column=name,
                row=row + 1,
                value=_plain(values[row]),
            )
    return values


def _plain(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def _sortable(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes for one key column, sorted in code-point order, missing last.

    pandas' hash-based ``factorize`` with ``sort=True`` orders strings by
    code point (as Python's ``sorted``) and marks missing values with -1.
    """
    codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=True)
    codes = codes.astype(np.int64, copy=False)
    codes[codes < 0] = len(uniques)
    return codes, np.asarray(uniques)


def group_rows(frame: nw.DataFrame[Any], by: Sequence[str]) -> tuple[nw.DataFrame[Any], np.ndarray]:
    """Group rows by ``by`` columns.

    Returns the group keys (one row per group, sorted by the keys in
    code-point order with missing keys last, as dplyr >= 1.1 sorts) and, for
    every input row, the index of its group. With no ``by`` every row is in
    group 0 and the keys frame has one row and no columns.
    """
    n = len(frame)
    if not by:
        return frame.select([]).head(1 if n else 0), np.zeros(n, dtype=np.int64)
    per_column = [_sortable(frame[name].to_numpy()) for name in by]
    sizes = [len(uniques) + 1 for _, uniques in per_column]
    combined = np.ravel_multi_index([codes for codes, _ in per_column], sizes)
    group_ids, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    del group_ids
    keys = frame.select(list(by))[first.tolist()]
    return keys, inverse.reshape(-1)
