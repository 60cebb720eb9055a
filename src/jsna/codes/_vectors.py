"""Shared helpers for the code lists: reading packaged tables, cleaning codes.

Codes arrive as strings, integers (a SNOMED id read by a CSV parser) or
floats with missing values; :func:`clean_codes` turns any of them into
stripped strings with ``""`` for missing, so lookups can use one dict.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from jsna.errors import InputError


@cache
def packaged_table(name: str) -> pd.DataFrame:
    """A CSV from ``jsna/codes/data`` as a frame of strings (cached; do not mutate)."""
    with resources.files("jsna.codes").joinpath("data", name).open("r", encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str, keep_default_na=False)


def _clean_one(value: Any) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return ""
        if float(value).is_integer():
            return str(int(value))
    if isinstance(value, bool | np.bool_):
        return str(value)
    if isinstance(value, int | np.integer):
        return str(int(value))
    return str(value).strip()


def clean_codes(values: Iterable[Any] | pd.Series | np.ndarray) -> np.ndarray:
    """Codes as an object array of stripped strings, ``""`` for missing.

    >>> clean_codes(["A ", None, 976951000000102, float("nan")]).tolist()
    ['A', '', '976951000000102', '']
    """
    array = values.to_numpy(dtype=object) if isinstance(values, pd.Series) else values
    array = np.asarray(array, dtype=object).reshape(-1)
    # Factorise first: millions of records repeat a few hundred codes, so each
    # distinct value is cleaned once.
    inverse, uniques = pd.factorize(array, use_na_sentinel=False)
    cleaned = np.array([_clean_one(u) for u in uniques], dtype=object)
    return cleaned[inverse]


def map_distinct(codes: np.ndarray, table: dict[str, str], default: str) -> np.ndarray:
    """``table[code]`` per cleaned code (``default`` when absent), each distinct code once."""
    inverse, uniques = pd.factorize(codes, use_na_sentinel=False)
    return np.array([table.get(code, default) for code in uniques], dtype=object)[inverse]


def lookup(
    values: Iterable[Any] | pd.Series | np.ndarray,
    table: dict[str, str],
    *,
    what: str,
    file: str | None,
    column: str | None,
    hint: str | None = None,
) -> np.ndarray:
    """Map cleaned codes through ``table``; the first code not in it raises InputError."""
    codes = clean_codes(values)
    inverse, uniques = pd.factorize(codes, use_na_sentinel=False)
    mapped = np.empty(len(uniques), dtype=object)
    for i, code in enumerate(uniques):
        if code not in table:
            row = int(np.argmax(inverse == i)) + 1
            raise InputError(
                f"not a known {what}", file=file, column=column, row=row, value=code, hint=hint
            )
        mapped[i] = table[code]
    return mapped[inverse]
