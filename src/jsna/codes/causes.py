"""Causes of death: ICD-10 codes → the grouped causes of docs/data-model.md.

I00–I99 circulatory; C00–C97 cancer; J40–J44 copd; other J codes
other_respiratory; F01–F03 and G30 dementia; V01–Y98 external; every other
valid ICD-10 code ``other``. A value that is already a group label is kept,
so extracts may carry either. The ranges follow the ONS leading-causes
groupings (WHO ICD-10, 2019 edition chapters).

>>> to_cause_group(["I21.9", "J44", "J18.9", "F03", "G30.1", "X59", "C34.9", "E11"]).tolist()
['circulatory', 'copd', 'other_respiratory', 'dementia', 'dementia', 'external', 'cancer', 'other']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from jsna.codes._vectors import clean_codes
from jsna.errors import InputError

__all__ = ["CAUSE_GROUPS", "cause_group_of", "is_icd10", "to_cause_group"]

#: Grouped causes in report order.
CAUSE_GROUPS: tuple[str, ...] = (
    "circulatory",
    "cancer",
    "copd",
    "other_respiratory",
    "dementia",
    "external",
    "other",
)

# A letter, two digits, optionally a dot and up to four more characters
# ("I21", "I21.9", "I219", "X59.0", "U07.1").
_ICD10 = re.compile(r"^([A-Z])(\d{2})(?:\.?[0-9A-Z]{1,4})?$")


def is_icd10(code: str) -> bool:
    """Is ``code`` shaped like an ICD-10 code (``I21``, ``I21.9``, ``I219``)?"""
    return _ICD10.match(code.upper()) is not None


def cause_group_of(code: str) -> str:
    """Grouped cause of one ICD-10 code or group label; ValueError if neither."""
    if code in CAUSE_GROUPS:
        return code
    match = _ICD10.match(code.upper())
    if match is None:
        raise ValueError(code)
    letter, number = match.group(1), int(match.group(2))
    if letter == "I":
        return "circulatory"
    if letter == "C" and number <= 97:
        return "cancer"
    if letter == "J":
        return "copd" if 40 <= number <= 44 else "other_respiratory"
    if (letter == "F" and 1 <= number <= 3) or (letter == "G" and number == 30):
        return "dementia"
    if (letter == "V" and number >= 1) or letter in "WX" or (letter == "Y" and number <= 98):
        return "external"
    return "other"


def to_cause_group(
    codes: Iterable[Any] | pd.Series | np.ndarray,
    *,
    file: str | None = None,
    column: str | None = "underlying_cause",
) -> np.ndarray:
    """Grouped cause per code; a value that is neither ICD-10 nor a group raises InputError."""
    cleaned = clean_codes(codes)
    inverse, uniques = pd.factorize(cleaned, use_na_sentinel=False)
    mapped = np.empty(len(uniques), dtype=object)
    for i, code in enumerate(uniques):
        try:
            mapped[i] = cause_group_of(code)
        except ValueError:
            raise InputError(
                "not an ICD-10 code or a grouped cause",
                file=file,
                column=column,
                row=int(np.argmax(inverse == i)) + 1,
                value=code,
                hint=f"use an ICD-10 code such as I21.9 or one of: {', '.join(CAUSE_GROUPS)}",
            ) from None
    return mapped[inverse]
