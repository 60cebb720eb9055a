"""Deprivation quantiles: small areas ranked into tenths or fifths within a place.

Used to build local deprivation deciles or quintiles (e.g. LSOAs by IMD
score within a borough) for inequality measures such as the slope index of
inequality. Follows the OHID method for assigning deprivation categories,
as PHEindicatormethods ``phe_quantile`` does: rank the values (ties share
the lowest rank; on the negated value when inverted, so quantile 1 holds
the highest values, e.g. the most deprived by IMD score), then

    quantile = floor((n + 1) - ceiling(((N + 1) - rank) / (N / n)))

with n quantiles and N small areas with a value, a result of 0 becoming 1.
Unlike the R function, a group with fewer small areas than quantiles is an
error (naming the group), not a column of NAs with a warning; a missing
value gets a missing quantile.

Source: Public Health England, *Assigning deprivation categories* (OHID
technical guidance); PHEindicatormethods 2.1.0 ``phe_quantile``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd
from scipy import stats

from jsna.errors import InputError
from jsna.methods._common import as_frame, group_rows, normalise_by, numeric_column

__all__ = ["assign_quantiles", "quantiles"]

OUTPUT_COLUMNS = ("quantile", "nquantiles", "inverted")


def assign_quantiles(values: np.ndarray, nquantiles: int, *, invert: bool) -> np.ndarray:
    """Quantile (1..nquantiles, float; NaN for a missing value) of each value in one group.

    ``invert=True`` puts the highest values in quantile 1. The caller makes
    sure at least ``nquantiles`` values are present.

    >>> assign_quantiles(np.array([5.0, 1.0, 4.0, 2.0, 3.0]), 5, invert=True).tolist()
    [1.0, 5.0, 2.0, 4.0, 3.0]
    """
    present = ~np.isnan(values)
    count = int(present.sum())
    ranks = stats.rankdata(-values[present] if invert else values[present], method="min")
    assigned = np.floor((nquantiles + 1) - np.ceil(((count + 1) - ranks) / (count / nquantiles)))
    out = np.full(values.shape, np.nan)
    out[present] = np.where(assigned == 0, 1.0, assigned)
    return out


def quantiles(
    data: Any,
    value: str,
    *,
    by: str | Sequence[str] | None = None,
    nquantiles: int = 10,
    invert: bool | str = True,
) -> Any:
    """Add each small area's quantile within its ``by`` group.

    ``invert`` is True (quantile 1 = highest values: right for IMD scores,
    where high = deprived), False, or the name of a boolean column that is
    constant within each group. Returns the input rows in their order with
    ``quantile`` (integer, missing where the value is), ``nquantiles`` and
    ``inverted`` added; pandas in, pandas out (polars likewise).

    Raises :class:`InputError` when a group has fewer small areas with a
    value than ``nquantiles`` (naming the group), for a non-numeric value,
    or for an ``invert`` column that changes within a group.

    >>> import pandas as pd
    >>> imd = pd.DataFrame({"lsoa": list("abcdef"), "score": [40.1, 12.0, 25.3, 8.8, 33.0, 19.5]})
    >>> quantiles(imd, "score", nquantiles=3)["quantile"].tolist()
    [1, 3, 2, 3, 1, 2]
    """
    function = "quantiles"
    by_cols = normalise_by(by)
    if isinstance(nquantiles, bool) or not isinstance(nquantiles, int | np.integer):
        raise InputError(f"{function}: nquantiles must be a whole number", value=nquantiles)
    if nquantiles < 1:
        raise InputError(f"{function}: nquantiles must be at least 1", value=int(nquantiles))
    invert_col = invert if isinstance(invert, str) else None
    needed = [value, *by_cols, *([invert_col] if invert_col else [])]
    frame = as_frame(data, function=function, columns=needed)
    for name in OUTPUT_COLUMNS:
        if name in frame.columns:
            raise InputError(
                f"{function}: the data already has a column {name!r}, which the result adds; "
                "rename it first",
                column=name,
            )
    values = numeric_column(frame, value, function=function)
    keys, codes = group_rows(frame, by_cols)
    flags = _invert_flags(frame, invert, invert_col, codes, function=function)
    result = np.full(len(values), np.nan)
    inverted = np.zeros(len(values), dtype=bool)
    for g, rows in enumerate(_rows_by_group(codes)):
        group_values = values[rows]
        count = int((~np.isnan(group_values)).sum())
        if count < nquantiles:
            where = ", ".join(f"{name}={keys[name][g]!r}" for name in by_cols) or "all rows"
            raise InputError(
                f"{function}: group {where} has {count} small areas with a value, fewer than "
                f"the {nquantiles} quantiles asked for; use fewer quantiles or a larger area",
                column=value,
                value=count,
            )
        result[rows] = assign_quantiles(group_values, nquantiles, invert=bool(flags[g]))
        inverted[rows] = bool(flags[g])
    return _add_columns(frame, result, nquantiles, inverted)


def _rows_by_group(codes: np.ndarray) -> list[np.ndarray]:
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    return np.split(order, bounds) if len(codes) else []


def _invert_flags(
    frame: nw.DataFrame[Any],
    invert: bool | str,
    invert_col: str | None,
    codes: np.ndarray,
    *,
    function: str,
) -> np.ndarray:
    """One invert flag per group, from the argument or a constant-per-group column."""
    groups = int(codes.max(initial=-1)) + 1
    if invert_col is None:
        if not isinstance(invert, bool | np.bool_):
            raise InputError(
                f"{function}: invert must be True, False or the name of a column", value=invert
            )
        return np.full(groups, bool(invert))
    raw = frame[invert_col].to_numpy()
    flags = np.full(groups, -1, dtype=np.int8)
    for i, item in enumerate(raw):
        if not isinstance(item, bool | np.bool_):
            raise InputError(
                f"{function}: invert column must hold True or False",
                column=invert_col,
                row=i + 1,
                value=item,
            )
        g = codes[i]
        if flags[g] == -1:
            flags[g] = int(item)
        elif flags[g] != int(item):
            raise InputError(
                f"{function}: invert must be the same for every row of a group",
                column=invert_col,
                row=i + 1,
                value=bool(item),
            )
    return flags.astype(bool)


def _add_columns(
    frame: nw.DataFrame[Any], result: np.ndarray, nquantiles: int, inverted: np.ndarray
) -> Any:
    """Append the integer quantile (nullable), nquantiles and inverted, in the caller's type."""
    backend = frame.implementation
    present = ~np.isnan(result)
    if backend.is_pandas_like():
        native = frame.to_native().copy()
        native["quantile"] = pd.array(
            [int(q) if ok else None for q, ok in zip(result, present, strict=True)], dtype="Int64"
        )
        native["nquantiles"] = nquantiles
        native["inverted"] = inverted
        return native
    quantile = nw.new_series("quantile", result, backend=backend)
    out = frame.with_columns(
        quantile.fill_nan(None).cast(nw.Int64()),
        nw.lit(nquantiles, nw.Int64()).alias("nquantiles"),
        nw.new_series("inverted", inverted, backend=backend),
    )
    return out.to_native()
