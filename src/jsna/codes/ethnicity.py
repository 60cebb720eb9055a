"""Ethnicity: NHS ethnic category letters and SNOMED CT concepts → ONS 2021 groups.

Every recorded code maps to one of the ONS Census 2021 19 ethnic groups (plus
"Not stated"), then to the 5 high-level groups and to Global Majority / White
/ Not stated, with the GOV.UK-style labels of ``docs/data-model.md``.

The code table (``data/ethnicity_codes.csv``) is the project's own: every
concept of the OpenSAFELY SNOMED CT ethnicity code list
(``opensafely/ethnicity-snomed-0removed``) and of the NHS Data Dictionary
SNOMED → ethnic category map, classified by our rules (see
``calibration/derive_reference_data.py``), plus the NHS Data Dictionary
ETHNIC CATEGORY letters (2001 census classification).

Decisions:

* **Arab.** The 2001 letters have no Arab group; newer NHS lists add ``W``
  (Arab), which we map to Arab. SNOMED concepts that name Arab alone ("Arab",
  "Arab - ethnic category 2001 census", "Other ethnic group: Arab - England and
  Wales ethnic category 2011 census" …) map to Arab; mixed concepts ("Black
  Arab", "N African Arab and/or Iranian") keep their broader class.
* **Roma.** No letter exists; SNOMED "Roma" concepts (Czech Roma, Polish Roma …)
  map to Roma, a White group in the 2021 classification.
* **Traveller.** Letter ``T`` and Gypsy/Romany/Traveller concepts map to White
  Gypsy or Irish Traveller.
* **Not stated.** ``Z``, the "not known" codes ``X`` and ``99``, the SNOMED
  not-stated / refused / not-recorded concepts, and an empty code.
* **Chinese** is Asian (2011/2021 classification), not "Other" as in 2001.

>>> to_ethnicity_19(["K", "976951000000102", "", "1036341000000109"]).tolist()
['Bangladeshi', 'Arab', 'Not stated', 'Roma']
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from jsna.codes._vectors import clean_codes, lookup, packaged_table

__all__ = [
    "ETHNICITY_5",
    "ETHNICITY_19",
    "GLOBAL_MAJORITY",
    "GROUP_5",
    "NOT_STATED",
    "ethnicity_lookup",
    "is_known_code",
    "to_ethnicity_5",
    "to_ethnicity_19",
    "to_global_majority",
]

NOT_STATED = "Not stated"

#: The ONS 2021 groups in report order (by high-level group), then "Not stated".
ETHNICITY_19: tuple[str, ...] = (
    "Bangladeshi",
    "Chinese",
    "Indian",
    "Pakistani",
    "Asian other",
    "Black African",
    "Black Caribbean",
    "Black other",
    "Mixed White and Asian",
    "Mixed White and Black African",
    "Mixed White and Black Caribbean",
    "Mixed other",
    "White British",
    "White Irish",
    "White Gypsy or Irish Traveller",
    "Roma",
    "White other",
    "Arab",
    "Any other ethnic group",
    NOT_STATED,
)

#: The 5 high-level groups in report order, then "Not stated".
ETHNICITY_5: tuple[str, ...] = ("Asian", "Black", "Mixed", "White", "Other", NOT_STATED)

#: Global Majority: every ethnic group except the White groups (Westminster JSNA).
GLOBAL_MAJORITY: tuple[str, ...] = ("Global Majority", "White", NOT_STATED)

#: ONS 2021 group → high-level group.
GROUP_5: dict[str, str] = {
    **dict.fromkeys(ETHNICITY_19[0:5], "Asian"),
    **dict.fromkeys(ETHNICITY_19[5:8], "Black"),
    **dict.fromkeys(ETHNICITY_19[8:12], "Mixed"),
    **dict.fromkeys(ETHNICITY_19[12:17], "White"),
    **dict.fromkeys(ETHNICITY_19[17:19], "Other"),
    NOT_STATED: NOT_STATED,
}

_GLOBAL_MAJORITY_OF_5 = {
    "Asian": "Global Majority",
    "Black": "Global Majority",
    "Mixed": "Global Majority",
    "Other": "Global Majority",
    "White": "White",
    NOT_STATED: NOT_STATED,
}


@cache
def _code_to_group() -> dict[str, str]:
    table = packaged_table("ethnicity_codes.csv")
    mapping = dict(zip(table["code"], table["ethnicity_19"], strict=True))
    mapping[""] = NOT_STATED
    return mapping


def ethnicity_lookup() -> pd.DataFrame:
    """Every known code with its groups: a table an engine can join.

    Columns: ``ethnicity_code``, ``ethnicity_19``, ``ethnicity_5``,
    ``global_majority``, ``code_system`` (``nhs_ethnic_category`` or
    ``snomed_ct``) and ``term``. Empty/null codes are not rows: join with a
    left join and fill "Not stated" (what :func:`to_ethnicity_19` does).

    >>> ethnicity_lookup().set_index("ethnicity_code").loc["W", "global_majority"]
    'Global Majority'
    """
    table = packaged_table("ethnicity_codes.csv")
    group_5 = table["ethnicity_19"].map(GROUP_5)
    return pd.DataFrame(
        {
            "ethnicity_code": table["code"].to_numpy(),
            "ethnicity_19": table["ethnicity_19"].to_numpy(),
            "ethnicity_5": group_5.to_numpy(),
            "global_majority": group_5.map(_GLOBAL_MAJORITY_OF_5).to_numpy(),
            "code_system": table["system"].to_numpy(),
            "term": table["term"].to_numpy(),
        }
    )


def is_known_code(codes: Iterable[Any] | pd.Series | np.ndarray) -> np.ndarray:
    """Boolean array: is each code a known letter/concept (empty counts as known)?"""
    known = _code_to_group()
    return np.array([code in known for code in clean_codes(codes)], dtype=bool)


def to_ethnicity_19(
    codes: Iterable[Any] | pd.Series | np.ndarray,
    *,
    file: str | None = None,
    column: str | None = "ethnicity_code",
) -> np.ndarray:
    """ONS 2021 group label for each code; empty or null → "Not stated".

    A code that is neither an NHS ethnic category letter nor a known SNOMED CT
    ethnicity concept raises :class:`jsna.errors.InputError` naming the
    file, column, first row (1-based) and the code.
    """
    return lookup(
        codes,
        _code_to_group(),
        what="ethnicity code (NHS ethnic category letter A-Z or SNOMED CT ethnicity concept)",
        file=file,
        column=column,
        hint="use a code from jsna.codes.ethnicity.ethnicity_lookup(), or leave it empty",
    )


def to_ethnicity_5(groups_19: Iterable[str] | pd.Series | np.ndarray) -> np.ndarray:
    """High-level group for each ONS 2021 group label."""
    return lookup(groups_19, GROUP_5, what="ONS 2021 ethnic group", file=None, column=None)


def to_global_majority(groups_19: Iterable[str] | pd.Series | np.ndarray) -> np.ndarray:
    """Global Majority, White or Not stated for each ONS 2021 group label."""
    return lookup(
        to_ethnicity_5(groups_19),
        _GLOBAL_MAJORITY_OF_5,
        what="high-level ethnic group",
        file=None,
        column=None,
    )
