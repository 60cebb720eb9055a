"""Checking the tidy result table before the equity scan reads it.

The equity layer reads only the tidy table of ``docs/tidy-table.md``. This
module checks that the columns it relies on are there and hold what the
document says (text keys present, numbers numeric and not negative where they
are counts, booleans true/false, known value types and polarities, one
category label per part of an intersection, no duplicate rows) and raises
:class:`jsna.errors.InputError` naming the column, the 1-based row and the
value otherwise. It returns a typed copy; the caller's frame is not changed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from jsna.errors import InputError
from jsna.tidy_table import COMPARISON_STATISTICS

__all__ = ["COMPARATOR_COLUMNS", "GAP_CONTRIBUTION", "KEY", "SOURCE", "VALUE_TYPES", "read_tidy"]

SOURCE = "tidy table"

KEY = ["indicator_id", "period", "area_code", "dimension", "category", "age_standardised"]

TEXT_REQUIRED = [
    "indicator_id",
    "indicator_name",
    "domain",
    "period",
    "area_code",
    "area_name",
    "dimension",
    "category",
    "value_type",
    "polarity",
]
NUMBERS_REQUIRED = ["numerator", "denominator", "value", "lower_95", "upper_95", "multiplier"]
BOOLEANS_REQUIRED = ["age_standardised", "suppressed"]
TEXT_OPTIONAL = ["comparator", "method", "note"]
#: The engine's comparison with each group's comparator; not its q-value: the scan
#: adjusts its own p-values across every comparison it makes.
COMPARATOR_COLUMNS = [name for name in COMPARISON_STATISTICS if name != "q_value"]

#: Rows of a life-expectancy gap decomposition: contributions in years between two
#: populations, not a value per group, so the equity scan leaves them out.
GAP_CONTRIBUTION = "life expectancy gap contribution"

VALUE_TYPES = frozenset(
    {
        "proportion",
        "crude rate",
        "age-standardised rate",
        "life expectancy",
        "healthy life expectancy",
        "mean",
        "count",
        GAP_CONTRIBUTION,
    }
)
POLARITIES = frozenset({"higher_is_better", "lower_is_better", "no_judgement"})
_TRUE = {"true", "t", "1", "yes"}
_FALSE = {"false", "f", "0", "no"}


def read_tidy(tidy: Any) -> pd.DataFrame:
    """Validate the tidy table and return a typed copy with a ``row`` column (1-based).

    Comparator columns absent from the table are added as missing.
    """
    if not isinstance(tidy, pd.DataFrame):
        raise InputError(
            "the equity analysis needs the tidy result table as a pandas DataFrame",
            file=SOURCE,
            value=type(tidy).__name__,
        )
    for name in TEXT_REQUIRED + NUMBERS_REQUIRED + BOOLEANS_REQUIRED:
        if name not in tidy.columns:
            raise InputError(
                "required column missing (see docs/tidy-table.md)", file=SOURCE, column=name
            )
    tidy = tidy.reset_index(drop=True)  # row numbers follow position, whatever the index
    out = pd.DataFrame(index=pd.RangeIndex(len(tidy)))
    out["row"] = np.arange(1, len(tidy) + 1)
    for name in TEXT_REQUIRED:
        out[name] = _text(tidy[name], name, required=True)
    for name in TEXT_OPTIONAL:
        out[name] = _text(tidy[name], name, required=False) if name in tidy.columns else ""
    for name in NUMBERS_REQUIRED + COMPARATOR_COLUMNS:
        present = name in tidy.columns
        out[name] = _number(tidy[name], name) if present else np.full(len(tidy), np.nan)
    for name in ("numerator", "denominator"):
        _not_negative(out, name)
    for name in BOOLEANS_REQUIRED:
        out[name] = _boolean(tidy[name], name)
    _check_vocabulary(out, "value_type", VALUE_TYPES)
    _check_vocabulary(out, "polarity", POLARITIES)
    _check_intersections(out)
    duplicated = out.duplicated(KEY)
    if duplicated.any():
        i = int(np.argmax(duplicated.to_numpy()))
        raise InputError(
            "duplicate row: the same indicator, period, area, dimension, category and "
            "age_standardised appear twice",
            file=SOURCE,
            column="category",
            row=i + 1,
            value=out["category"].iat[i],
        )
    return out


def _missing(values: pd.Series) -> np.ndarray:
    return values.isna().to_numpy()


def _text(values: pd.Series, name: str, *, required: bool) -> pd.Series:
    missing = _missing(values)
    if required:
        empty = missing | (values.astype("string").str.strip() == "").fillna(True).to_numpy()
        if empty.any():
            i = int(np.argmax(empty))
            raise InputError("must not be empty", file=SOURCE, column=name, row=i + 1)
    text = values.astype("string").fillna("").astype(object)
    return text.map(str)


def _number(values: pd.Series, name: str) -> np.ndarray:
    numbers = pd.to_numeric(values.astype(object).where(~values.isna(), np.nan), errors="coerce")
    numbers = numbers.astype(float)
    bad = np.isnan(numbers.to_numpy()) & ~_missing(values)
    boolean = values.map(lambda item: isinstance(item, bool | np.bool_)).to_numpy()
    bad |= boolean
    if bad.any():
        i = int(np.argmax(bad))
        raise InputError(
            "must be a number", file=SOURCE, column=name, row=i + 1, value=values.iat[i]
        )
    return numbers.to_numpy()


def _not_negative(out: pd.DataFrame, name: str) -> None:
    values = out[name].to_numpy()
    bad = values < 0
    if bad.any():
        i = int(np.argmax(bad))
        raise InputError(
            "counts must not be negative",
            file=SOURCE,
            column=name,
            row=i + 1,
            value=int(values[i]) if float(values[i]).is_integer() else float(values[i]),
        )


def _boolean(values: pd.Series, name: str) -> np.ndarray:
    result = np.zeros(len(values), dtype=bool)
    for i, item in enumerate(values.to_numpy(dtype=object)):
        if isinstance(item, bool | np.bool_):
            result[i] = bool(item)
            continue
        text = "" if item is None else str(item).strip().lower()
        if text in _TRUE:
            result[i] = True
        elif text not in _FALSE:
            raise InputError(
                "must be true or false", file=SOURCE, column=name, row=i + 1, value=item
            )
    return result


def _check_vocabulary(out: pd.DataFrame, name: str, allowed: frozenset[str]) -> None:
    bad = ~out[name].isin(allowed).to_numpy()
    if bad.any():
        i = int(np.argmax(bad))
        raise InputError(
            f"unknown {name.replace('_', ' ')} (expected one of: {', '.join(sorted(allowed))})",
            file=SOURCE,
            column=name,
            row=i + 1,
            value=out[name].iat[i],
        )


def _check_intersections(out: pd.DataFrame) -> None:
    parts = out["dimension"].str.count("×").to_numpy()
    labels = out["category"].str.count(" × ").to_numpy()
    bad = parts != labels
    if bad.any():
        i = int(np.argmax(bad))
        raise InputError(
            f"an intersection category needs one label per part of dimension "
            f"{out['dimension'].iat[i]!r}, joined by ' × '",
            file=SOURCE,
            column="category",
            row=i + 1,
            value=out["category"].iat[i],
        )
