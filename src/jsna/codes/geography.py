"""Westminster's geography: the borough, its 18 wards (2022) and LSOA 2021 → ward.

The LSOA → ward table (``data/lsoa21_ward22_westminster.csv``) is a
best fit by largest area share, computed from the ONS generalised boundaries
of LSOA 2021 and wards (May 2022) because the ONS population-weighted best-fit
lookup was not available. The 2022 wards do not follow LSOA boundaries: for 8
of the 123 LSOAs the largest share is under 60% (``area_share``), so ward
figures built from LSOAs are approximate and reports should say so. Census
2021 ward tables are ONS's own ward figures and need no lookup.

Source: ONS Open Geography Portal boundaries, OGL v3; contains OS data
© Crown copyright and database right.

>>> to_ward_name(["E01004646", "", "E01000001"]).tolist()
['Abbey Road', 'Unknown', 'Unknown']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from jsna.codes._vectors import clean_codes, map_distinct, packaged_table
from jsna.errors import InputError

__all__ = [
    "BOROUGH_CODE",
    "BOROUGH_NAME",
    "UNKNOWN",
    "WARDS",
    "WARD_NAMES",
    "to_ward_code",
    "to_ward_name",
    "validate_lsoa21",
    "ward_lookup",
]

BOROUGH_CODE = "E09000033"
BOROUGH_NAME = "Westminster"
UNKNOWN = "Unknown"

#: The 18 wards of May 2022, code → name, in code order.
WARDS: dict[str, str] = {
    "E05013792": "Abbey Road",
    "E05013793": "Bayswater",
    "E05013794": "Church Street",
    "E05013795": "Harrow Road",
    "E05013796": "Hyde Park",
    "E05013797": "Knightsbridge & Belgravia",
    "E05013798": "Lancaster Gate",
    "E05013799": "Little Venice",
    "E05013800": "Maida Vale",
    "E05013801": "Marylebone",
    "E05013802": "Pimlico North",
    "E05013803": "Pimlico South",
    "E05013804": "Queen's Park",
    "E05013805": "Regent's Park",
    "E05013806": "St James's",
    "E05013807": "Vincent Square",
    "E05013808": "West End",
    "E05013809": "Westbourne",
}

#: Ward names in report order (code order), then "Unknown".
WARD_NAMES: tuple[str, ...] = (*WARDS.values(), UNKNOWN)

_LSOA_PATTERN = re.compile(r"^[EW]01\d{6}$")


def ward_lookup() -> pd.DataFrame:
    """LSOA 2021 → ward: columns ``lsoa21``, ``lsoa21_name``, ``ward_code``, ``ward_name``,
    ``area_share`` (share of the LSOA's area inside that ward, 0-1).

    >>> len(ward_lookup()), ward_lookup()["ward_code"].nunique()
    (123, 18)
    """
    table = packaged_table("lsoa21_ward22_westminster.csv").copy()
    table["area_share"] = table["area_share"].astype(float)
    return table


@cache
def _lsoa_to_ward() -> dict[str, str]:
    table = packaged_table("lsoa21_ward22_westminster.csv")
    return dict(zip(table["lsoa21"], table["ward_code"], strict=True))


def validate_lsoa21(
    codes: Iterable[Any] | pd.Series | np.ndarray,
    *,
    file: str | None = None,
    column: str | None = "lsoa21",
) -> np.ndarray:
    """Cleaned LSOA codes; empty is allowed (unknown), anything not shaped
    like ``E01…``/``W01…`` raises InputError naming its row."""
    cleaned = clean_codes(codes)
    inverse, uniques = pd.factorize(cleaned, use_na_sentinel=False)
    for i, code in enumerate(uniques):
        if code and not _LSOA_PATTERN.match(code):
            raise InputError(
                "not an LSOA 2021 code (E01 or W01 and six digits)",
                file=file,
                column=column,
                row=int(np.argmax(inverse == i)) + 1,
                value=code,
                hint="leave the cell empty when the LSOA is unknown",
            )
    return cleaned


def to_ward_code(
    lsoa21: Iterable[Any] | pd.Series | np.ndarray,
    *,
    file: str | None = None,
    column: str | None = "lsoa21",
) -> np.ndarray:
    """Ward code for each LSOA; "Unknown" when empty or outside the borough."""
    cleaned = validate_lsoa21(lsoa21, file=file, column=column)
    return map_distinct(cleaned, _lsoa_to_ward(), UNKNOWN)


def to_ward_name(
    lsoa21: Iterable[Any] | pd.Series | np.ndarray,
    *,
    file: str | None = None,
    column: str | None = "lsoa21",
) -> np.ndarray:
    """Ward name for each LSOA; "Unknown" when empty or outside the borough."""
    codes = to_ward_code(lsoa21, file=file, column=column)
    return pd.Series(codes, dtype=object).map({**WARDS, UNKNOWN: UNKNOWN}).to_numpy(dtype=object)
