"""The record-level data model (``docs/data-model.md``) as data.

Each table is a :class:`TableSpec` listing its columns with their kind
(identifier, code, date, whole number, boolean, free text), whether they are
required, and the values a code column may take. The readers, the checks and
the normaliser all read these specs, so the data model is written down once.
Code lists that live in :mod:`jsna.codes` (sex, ethnicity, causes of death,
LSOAs) are taken from there, not repeated here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from jsna.codes.sex import SEX_CODES

__all__ = [
    "CONDITIONS",
    "EVENTS",
    "TABLES",
    "TABLE_ORDER",
    "ColumnSpec",
    "Kind",
    "Need",
    "TableSpec",
]


class Kind(Enum):
    """What a column holds, which decides how it is checked and typed."""

    ID = "identifier"
    CODE = "code"
    TEXT = "text"
    DATE = "date"
    INTEGER = "whole number"
    BOOLEAN = "boolean"


class Need(Enum):
    """Whether a column must be present in the file."""

    REQUIRED = "required"  # column present, every value filled
    PRESENT = "present"  # column present, values may be empty
    ONE_OF = "one of date_of_birth/age"  # people: at least one of the two
    OPTIONAL = "optional"  # column may be absent


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a record-level table."""

    name: str
    kind: Kind
    need: Need
    allowed: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSpec:
    """One record-level table: its name and columns."""

    name: str
    columns: tuple[ColumnSpec, ...]
    required: bool

    @property
    def names(self) -> tuple[str, ...]:
        """Column names in data-model order."""
        return tuple(spec.name for spec in self.columns)


CONDITIONS = (
    "hypertension",
    "diabetes",
    "obesity",
    "chd",
    "stroke_tia",
    "heart_failure",
    "copd",
    "asthma",
    "ckd",
    "dementia",
    "depression",
    "smi",
    "cancer",
)
EVENTS = (
    "flu_vaccination",
    "cervical_screening",
    "breast_screening",
    "bowel_screening",
    "nhs_health_check",
)

_ID = ColumnSpec("person_id", Kind.ID, Need.REQUIRED)

PEOPLE = TableSpec(
    "people",
    (
        _ID,
        ColumnSpec("sex", Kind.CODE, Need.REQUIRED, tuple(SEX_CODES)),
        ColumnSpec("date_of_birth", Kind.DATE, Need.ONE_OF),
        ColumnSpec("age", Kind.INTEGER, Need.ONE_OF),
        ColumnSpec("ethnicity_code", Kind.CODE, Need.PRESENT),
        ColumnSpec("lsoa21", Kind.CODE, Need.PRESENT),
        ColumnSpec("main_language", Kind.TEXT, Need.PRESENT),
        ColumnSpec(
            "tenure",
            Kind.CODE,
            Need.OPTIONAL,
            ("owned", "social_rented", "private_rented", "other"),
        ),
        ColumnSpec(
            "economic_activity",
            Kind.CODE,
            Need.OPTIONAL,
            ("employed", "unemployed", "inactive", "child"),
        ),
        ColumnSpec(
            "general_health",
            Kind.CODE,
            Need.OPTIONAL,
            ("very_good", "good", "fair", "bad", "very_bad"),
        ),
        ColumnSpec(
            "disability",
            Kind.CODE,
            Need.OPTIONAL,
            ("limited_a_lot", "limited_a_little", "not_limited"),
        ),
        ColumnSpec(
            "unpaid_care", Kind.CODE, Need.OPTIONAL, ("none", "1_19h", "20_49h", "50h_plus")
        ),
        ColumnSpec("registration_start", Kind.DATE, Need.REQUIRED),
        ColumnSpec("registration_end", Kind.DATE, Need.OPTIONAL),
    ),
    required=True,
)

CONDITIONS_TABLE = TableSpec(
    "conditions",
    (
        _ID,
        ColumnSpec("condition", Kind.CODE, Need.REQUIRED, CONDITIONS),
        ColumnSpec("diagnosis_date", Kind.DATE, Need.REQUIRED),
    ),
    required=False,
)

EVENTS_TABLE = TableSpec(
    "events",
    (
        _ID,
        ColumnSpec("event", Kind.CODE, Need.REQUIRED, EVENTS),
        ColumnSpec("date", Kind.DATE, Need.REQUIRED),
        ColumnSpec("eligible", Kind.BOOLEAN, Need.OPTIONAL),
    ),
    required=False,
)

DEATHS = TableSpec(
    "deaths",
    (
        _ID,
        ColumnSpec("date_of_death", Kind.DATE, Need.REQUIRED),
        ColumnSpec("underlying_cause", Kind.CODE, Need.REQUIRED),
    ),
    required=False,
)

TABLES: dict[str, TableSpec] = {
    spec.name: spec for spec in (PEOPLE, CONDITIONS_TABLE, EVENTS_TABLE, DEATHS)
}
TABLE_ORDER: tuple[str, ...] = tuple(TABLES)
