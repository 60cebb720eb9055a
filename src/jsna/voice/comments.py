"""Resident engagement comments: reading and validating the analyst's file.

One row per comment, from any engagement method (focus group, survey, coffee
morning, one-to-one conversation, community event …). Columns:

========================  ========  ==================================================
column                    required  values
========================  ========  ==================================================
``id``                    yes       unique, not empty
``date``                  yes       ISO ``YYYY-MM-DD``
``method``                yes       free text, e.g. ``focus group``
``text``                  yes       the comment, not empty
``community``             no        the community group or organisation
``ward``                  no        one of the 18 wards (May 2022) or empty
``ethnic_group``          no        an ONS 2021 group, a high-level group, ``Global
                                    Majority`` or ``Not stated`` (docs/data-model.md)
``language``              no        the language the comment was given in
``age_band``              no        e.g. ``35-49`` or ``75+``
``sex``                   no        ``Female``, ``Male``, ``Not known`` (or F/M/U)
``synthetic``             no        ``true`` when written for a demo, not said by a resident
========================  ========  ==================================================

Empty optional values become ``Not recorded`` (``Unknown`` for ward) so that
every comment counts in every breakdown: nothing is dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources
from pathlib import Path

import pandas as pd

from jsna.codes.ethnicity import ETHNICITY_5, ETHNICITY_19, GLOBAL_MAJORITY
from jsna.codes.geography import UNKNOWN, WARDS
from jsna.errors import InputError
from jsna.voice.tabular import read_table, require_columns

__all__ = [
    "COMMENT_COLUMNS",
    "NOT_RECORDED",
    "read_comments",
    "synthetic_engagement_path",
]

NOT_RECORDED = "Not recorded"
REQUIRED = ("id", "date", "method", "text")
OPTIONAL = ("community", "ward", "ethnic_group", "language", "age_band", "sex")
COMMENT_COLUMNS = (*REQUIRED[:3], *OPTIONAL, "text", "synthetic")
_SEX = {"f": "Female", "female": "Female", "m": "Male", "male": "Male", "u": "Not known",
        "not known": "Not known"}  # fmt: skip
_GROUPS = {g.lower(): g for g in (*ETHNICITY_19, *ETHNICITY_5, *GLOBAL_MAJORITY)}
_WARDS = {name.lower(): name for name in WARDS.values()}
_AGE_BAND = re.compile(r"^(\d{1,3})(-(\d{1,3})|\+)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def synthetic_engagement_path() -> Path:
    """Path of the shipped synthetic engagement set (174 comments written for the demo)."""
    return Path(str(resources.files("jsna.voice").joinpath("data/synthetic_engagement.csv")))


def _date(value: str, file: str, row: int) -> str:
    if not _DATE.match(value):
        hint = None
        parts = re.split(r"[/.-]", value)
        if len(parts) == 3 and len(parts[2]) == 4:
            hint = f"write {parts[2]}-{parts[1].zfill(2)}-{parts[0].zfill(2)} (ISO YYYY-MM-DD)"
        raise InputError("dates must be ISO YYYY-MM-DD", file=file, column="date", row=row,
                         value=value, hint=hint)  # fmt: skip
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise InputError("not a real date", file=file, column="date", row=row,
                         value=value) from None  # fmt: skip
    return value


def _valid_band(band: str) -> bool:
    """``35-49`` (lower end not above the upper) or ``75+``."""
    match = _AGE_BAND.match(band)
    if match is None:
        return False
    return match.group(3) is None or int(match.group(3)) >= int(match.group(1))


def _boolean(value: str, file: str, row: int) -> bool:
    if value == "":
        return False
    lowered = value.lower()
    if lowered not in {"true", "false"}:
        raise InputError("must be true or false", file=file, column="synthetic", row=row,
                         value=value)  # fmt: skip
    return lowered == "true"


def read_comments(path: str | Path) -> pd.DataFrame:
    """Read and validate an engagement file (``.csv`` or ``.xlsx``).

    Returns one row per comment with the columns of :data:`COMMENT_COLUMNS`
    (``synthetic`` as bool). Raises :class:`InputError` naming file, column,
    1-based data row and value for the first problem: a missing required
    column or value, a duplicate id (naming both rows), a date that is not ISO,
    an unknown ward, ethnic group or sex, a malformed age band.

    >>> frame = read_comments(synthetic_engagement_path())
    >>> len(frame), frame["synthetic"].all()
    (174, np.True_)
    """
    table = read_table(path)
    require_columns(table, REQUIRED)
    file = table.file
    seen: dict[str, int] = {}
    records = []
    for row, raw in enumerate(table.rows, start=1):
        for name in REQUIRED:
            if raw[name] == "":
                raise InputError("required value is empty", file=file, column=name, row=row)
        comment_id = raw["id"]
        if comment_id in seen:
            raise InputError(f"duplicate id (first seen in row {seen[comment_id]})", file=file,
                             column="id", row=row, value=comment_id)  # fmt: skip
        seen[comment_id] = row
        record = {name: raw.get(name, "") for name in COMMENT_COLUMNS if name != "synthetic"}
        record["date"] = _date(raw["date"], file, row)
        ward = raw.get("ward", "")
        if ward == "" or ward.lower() == UNKNOWN.lower():
            record["ward"] = UNKNOWN
        elif ward.lower() in _WARDS:
            record["ward"] = _WARDS[ward.lower()]
        else:
            raise InputError("not one of the borough's 18 wards (May 2022)", file=file,
                             column="ward", row=row, value=ward,
                             hint="leave empty if not known")  # fmt: skip
        group = raw.get("ethnic_group", "")
        if group and group.lower() not in _GROUPS:
            raise InputError("not an ethnic group label of docs/data-model.md", file=file,
                             column="ethnic_group", row=row, value=group)  # fmt: skip
        record["ethnic_group"] = _GROUPS[group.lower()] if group else NOT_RECORDED
        sex = raw.get("sex", "")
        if sex and sex.lower() not in _SEX:
            raise InputError("sex must be Female, Male or Not known (or F, M, U)", file=file,
                             column="sex", row=row, value=sex)  # fmt: skip
        record["sex"] = _SEX[sex.lower()] if sex else NOT_RECORDED
        band = raw.get("age_band", "")
        if band and not _valid_band(band):
            raise InputError("age band must look like 35-49 or 75+", file=file,
                             column="age_band", row=row, value=band)  # fmt: skip
        for name in ("community", "language", "age_band"):
            record[name] = record[name] or NOT_RECORDED
        record["synthetic"] = _boolean(raw.get("synthetic", ""), file, row)
        records.append(record)
    if not records:
        raise InputError("the file has a header but no comments", file=file)
    return pd.DataFrame.from_records(records, columns=list(COMMENT_COLUMNS))
