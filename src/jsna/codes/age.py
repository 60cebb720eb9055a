"""Age: whole years at a date, and the two banding schemes every layer uses.

* ``ESP_BANDS`` — the 19 five-year bands of the 2013 European Standard
  Population with a 90+ top band (``0-4`` … ``85-89``, ``90+``), used for
  direct standardisation (Eurostat 2013, *Revision of the European Standard
  Population*).
* ``LIFE_TABLE_BANDS`` — the 20 abridged life-table bands ``0``, ``1-4``,
  ``5-9`` … ``85-89``, ``90+`` (ONS/PHE life expectancy for small areas).

>>> esp_band([0, 4, 5, 89, 90, 104]).tolist()
['0-4', '0-4', '5-9', '85-89', '90+', '90+']
>>> life_table_band([0, 1, 4, 5, 90]).tolist()
['0', '1-4', '1-4', '5-9', '90+']
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from jsna.errors import InputError

__all__ = [
    "ESP_BANDS",
    "ESP_LOWER",
    "LIFE_TABLE_BANDS",
    "LIFE_TABLE_LOWER",
    "MAX_AGE",
    "age_in_years",
    "esp_band",
    "esp_band_index",
    "life_table_band",
    "life_table_band_index",
]

MAX_AGE = 120

#: Lower bounds of the 19 ESP2013 bands.
ESP_LOWER: tuple[int, ...] = tuple(range(0, 95, 5))
ESP_BANDS: tuple[str, ...] = (*(f"{a}-{a + 4}" for a in ESP_LOWER[:-1]), "90+")

#: Lower bounds of the 20 life-table bands.
LIFE_TABLE_LOWER: tuple[int, ...] = (0, 1, *range(5, 95, 5))
LIFE_TABLE_BANDS: tuple[str, ...] = (
    "0",
    "1-4",
    *(f"{a}-{a + 4}" for a in LIFE_TABLE_LOWER[2:-1]),
    "90+",
)


def _ages(ages: Iterable[Any] | pd.Series | np.ndarray, column: str | None) -> np.ndarray:
    values = pd.to_numeric(pd.Series(np.asarray(ages, dtype=object).reshape(-1)), errors="coerce")
    array = values.to_numpy(dtype=float)
    bad = np.isnan(array) | (array < 0) | (array > MAX_AGE) | (array != np.floor(array))
    if bad.any():
        row = int(np.argmax(bad))
        raise InputError(
            f"age must be a whole number of years from 0 to {MAX_AGE}",
            column=column,
            row=row + 1,
            value=np.asarray(ages, dtype=object).reshape(-1)[row],
        )
    return array.astype(np.int64)


def esp_band_index(
    ages: Iterable[Any] | pd.Series | np.ndarray, *, column: str | None = "age"
) -> np.ndarray:
    """Index 0-18 of each age's ESP2013 band."""
    return np.minimum(_ages(ages, column) // 5, len(ESP_BANDS) - 1)


def esp_band(
    ages: Iterable[Any] | pd.Series | np.ndarray, *, column: str | None = "age"
) -> np.ndarray:
    """ESP2013 band label (``0-4`` … ``90+``) of each age."""
    return np.asarray(ESP_BANDS, dtype=object)[esp_band_index(ages, column=column)]


def life_table_band_index(
    ages: Iterable[Any] | pd.Series | np.ndarray, *, column: str | None = "age"
) -> np.ndarray:
    """Index 0-19 of each age's life-table band."""
    return np.searchsorted(LIFE_TABLE_LOWER, _ages(ages, column), side="right") - 1


def life_table_band(
    ages: Iterable[Any] | pd.Series | np.ndarray, *, column: str | None = "age"
) -> np.ndarray:
    """Life-table band label (``0``, ``1-4`` … ``90+``) of each age."""
    return np.asarray(LIFE_TABLE_BANDS, dtype=object)[life_table_band_index(ages, column=column)]


def age_in_years(date_of_birth: Any, at: Any) -> np.ndarray:
    """Whole years between birth and ``at`` (the birthday counts on the day).

    A 29 February birthday falls on 1 March in common years, as in UK law.

    >>> age_in_years(np.array(["2000-03-31", "2000-04-01"], dtype="datetime64[D]"),
    ...              np.datetime64("2024-03-31")).tolist()
    [24, 23]
    """
    born = pd.DatetimeIndex(np.asarray(date_of_birth, dtype="datetime64[D]").reshape(-1))
    when = pd.DatetimeIndex(np.broadcast_to(np.asarray(at, dtype="datetime64[D]"), born.shape))
    years = when.year.to_numpy() - born.year.to_numpy()
    before_birthday = (when.month.to_numpy() * 100 + when.day.to_numpy()) < (
        born.month.to_numpy() * 100 + born.day.to_numpy()
    )
    return (years - before_birthday).astype(np.int64)
