"""Deprivation: English Index of Multiple Deprivation 2019 for Westminster's LSOAs.

IMD 2019 is published for LSOA 2011. ``data/imd2019_lsoa21_westminster.csv``
carries it to LSOA 2021 with the ONS LSOA 2011 → 2021 best-fit lookup:

* unchanged or split LSOAs keep their 2011 rank (the split E01035720,
  Westminster 021G, is missing from the best-fit lookup and takes the rank of
  its parent E01004745, 021C);
* for the 6 LSOAs formed by merging two 2011 LSOAs the rank is the mean of
  the two ranks weighted by their mid-2015 populations (IoD2019 File 6) and
  the national decile is recomputed from that rank (32,844 LSOAs).

The borough quintile ranks the 123 LSOAs from most to least deprived into
five groups of 24-25 LSOAs (``1 (most deprived)`` … ``5 (least deprived)``),
as docs/data-model.md requires.

Source: Ministry of Housing, Communities and Local Government, English
Indices of Deprivation 2019 (Files 1 and 6); ONS LSOA (2011) to LSOA (2021)
best-fit lookup. Contains public sector information licensed under the Open
Government Licence v3.0.

>>> to_imd_quintile(["E01004646", ""]).tolist()
['4', 'Unknown']
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from jsna.codes._vectors import map_distinct, packaged_table
from jsna.codes.geography import UNKNOWN, validate_lsoa21

__all__ = ["IMD_QUINTILES", "imd_lookup", "quintile_label", "to_imd_quintile"]

#: Borough IMD quintile labels in report order, then "Unknown".
IMD_QUINTILES: tuple[str, ...] = (
    "1 (most deprived)",
    "2",
    "3",
    "4",
    "5 (least deprived)",
    UNKNOWN,
)


def quintile_label(quintile: int) -> str:
    """Label of quintile 1-5: ``quintile_label(1) == '1 (most deprived)'``."""
    return IMD_QUINTILES[quintile - 1]


def imd_lookup() -> pd.DataFrame:
    """Per LSOA 2021: ``lsoa21``, ``imd_rank`` (1 = most deprived in England),
    ``imd_decile`` (national, 1 = most deprived), ``imd_quintile_number``
    (within the borough, 1-5), ``imd_quintile`` (its label) and ``lsoa11``
    (the 2011 LSOA(s) the rank comes from, ``;``-separated).

    >>> imd_lookup()["imd_quintile"].value_counts()["1 (most deprived)"]
    np.int64(25)
    """
    table = packaged_table("imd2019_lsoa21_westminster.csv")
    number = table["imd_quintile_borough"].astype(int)
    return pd.DataFrame(
        {
            "lsoa21": table["lsoa21"].to_numpy(),
            "imd_rank": table["imd_rank"].astype(int).to_numpy(),
            "imd_decile": table["imd_decile"].astype(int).to_numpy(),
            "imd_quintile_number": number.to_numpy(),
            "imd_quintile": number.map(quintile_label).to_numpy(),
            "lsoa11": table["lsoa11"].to_numpy(),
        }
    )


@cache
def _lsoa_to_quintile() -> dict[str, str]:
    table = imd_lookup()
    return dict(zip(table["lsoa21"], table["imd_quintile"], strict=True))


def to_imd_quintile(
    lsoa21: Iterable[Any] | pd.Series | np.ndarray,
    *,
    file: str | None = None,
    column: str | None = "lsoa21",
) -> np.ndarray:
    """Borough IMD quintile label per LSOA; "Unknown" when empty or outside the borough."""
    cleaned = validate_lsoa21(lsoa21, file=file, column=column)
    return map_distinct(cleaned, _lsoa_to_quintile(), UNKNOWN)
