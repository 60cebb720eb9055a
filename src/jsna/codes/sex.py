"""Sex: the extract codes ``F``/``M``/``U`` and their report labels.

>>> to_sex_label(["F", "m", "", "U"]).tolist()
['Female', 'Male', 'Not known', 'Not known']
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from jsna.codes._vectors import lookup

__all__ = ["NOT_KNOWN", "SEX_CODES", "SEX_LABELS", "to_sex_label"]

#: Report label for sex not known (code ``U`` or empty).
NOT_KNOWN = "Not known"
#: Extract code → report label (docs/data-model.md).
SEX_CODES: dict[str, str] = {"F": "Female", "M": "Male", "U": NOT_KNOWN}
#: Labels in report order.
SEX_LABELS: tuple[str, ...] = ("Female", "Male", NOT_KNOWN)


def to_sex_label(
    codes: Iterable[Any] | pd.Series | np.ndarray,
    *,
    file: str | None = None,
    column: str | None = "sex",
) -> np.ndarray:
    """Label per code (case-insensitive); empty → "Not known"; anything else raises."""
    table = {**SEX_CODES, **{k.lower(): v for k, v in SEX_CODES.items()}, "": NOT_KNOWN}
    return lookup(codes, table, what="sex code (F, M or U)", file=file, column=column)
