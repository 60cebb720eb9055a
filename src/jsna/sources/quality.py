"""The data-quality summary: what is in the files, counted, before any analysis.

Nothing is dropped silently, so everything a reader of the JSNA needs to
judge the data is counted here: rows per table, completeness of ethnicity,
LSOA and main language, people outside the borough, dates outside the period,
duplicates, ended registrations, ages given without a date of birth, and
whether the data are synthetic. Each figure is a count with its denominator;
percentages are derived, never stored. The counts are SQL over the staged
text tables (dates read with ``TRY_CAST``, so a summary can be made even for
files that fail validation).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from jsna.sources.staging import quote_literal

__all__ = ["Figure", "QualitySummary", "TableCount", "summarise"]


@dataclass(frozen=True)
class Figure:
    """One data-quality count: ``count`` of ``denominator`` rows of ``table``."""

    key: str
    table: str
    label: str
    count: int
    denominator: int

    @property
    def percent(self) -> float | None:
        """``100 × count / denominator``, or None for an empty table."""
        return 100.0 * self.count / self.denominator if self.denominator else None


@dataclass(frozen=True)
class TableCount:
    """Rows read from one table's file (``file`` None when it was not supplied)."""

    table: str
    file: str | None
    rows: int
    synthetic: bool


@dataclass(frozen=True)
class QualitySummary:
    """Everything counted about a data directory; see :func:`summarise`."""

    period_end: dt.date
    window_start: dt.date
    tables: tuple[TableCount, ...]
    figures: tuple[Figure, ...]
    notes: tuple[str, ...]

    @property
    def synthetic(self) -> bool:
        """True when any table carries the ``jsna.synthetic`` marker."""
        return any(table.synthetic for table in self.tables)

    def rows(self, table: str) -> int:
        """Rows read for ``table`` (0 when not supplied)."""
        return next(t.rows for t in self.tables if t.table == table)

    def figure(self, key: str) -> Figure:
        """The figure called ``key`` (e.g. ``"people.ethnicity_not_stated"``)."""
        for figure in self.figures:
            if figure.key == key:
                return figure
        raise KeyError(key)


def _where(condition: str) -> str:
    return f"count(*) FILTER (WHERE {condition})"


def _repeats(*keys: str) -> str:
    """Rows repeating an earlier row's ``keys`` (rows minus distinct keys)."""
    return f"count(*) - count(DISTINCT ({', '.join(keys)}))"


# (key, label, SQL aggregate); dates via TRY_CAST so bad values count as neither.
_PEOPLE = (
    ("ethnicity_not_recorded", "ethnicity not recorded (empty)", _where("ethnicity_code IS NULL")),
    (
        "ethnicity_not_stated",
        "ethnicity recorded as not stated",
        _where("ethnicity_code IN (SELECT code FROM lk_ethnicity WHERE not_stated)"),
    ),
    ("lsoa_unknown", "LSOA unknown (empty)", _where("lsoa21 IS NULL")),
    (
        "lsoa_outside_borough",
        "LSOA outside the borough",
        _where("lsoa21 IS NOT NULL AND lsoa21 NOT IN (SELECT lsoa21 FROM lk_borough)"),
    ),
    ("language_not_recorded", "main language not recorded", _where("main_language IS NULL")),
    (
        "age_only",
        "age given without date of birth (nominal date of birth used)",
        _where("date_of_birth IS NULL AND age IS NOT NULL"),
    ),
    (
        "registered_at_period_end",
        "registered on the period end",
        _where(
            "TRY_CAST(registration_start AS DATE) <= :end AND (registration_end IS NULL "
            "OR TRY_CAST(registration_end AS DATE) > :end)"
        ),
    ),
    (
        "born_after_period",
        "born after the period end",
        _where("TRY_CAST(date_of_birth AS DATE) > :end"),
    ),
    ("registration_ended", "registration ended", _where("registration_end IS NOT NULL")),
    (
        "registration_ended_by_death",
        "registration ended by death",
        _where(
            "registration_end IS NOT NULL AND EXISTS (SELECT 1 FROM deaths d WHERE "
            "d.person_id = people.person_id AND d.date_of_death = people.registration_end)"
        ),
    ),
    (
        "registration_start_after_period",
        "registration starts after the period end",
        _where("TRY_CAST(registration_start AS DATE) > :end"),
    ),
    ("duplicate_person_id", "rows repeating an earlier person_id", _repeats("person_id")),
)
_CONDITIONS = (
    (
        "date_after_period",
        "diagnosed after the period end",
        _where("TRY_CAST(diagnosis_date AS DATE) > :end"),
    ),
    (
        "duplicate_rows",
        "rows repeating a person and condition",
        _repeats("person_id", "condition"),
    ),
)
_EVENTS = (
    ("date_after_period", "events after the period end", _where("TRY_CAST(date AS DATE) > :end")),
    ("not_eligible", "recorded as not eligible", _where("lower(eligible) = 'false'")),
    (
        "duplicate_rows",
        "rows repeating a person, event and date",
        _repeats("person_id", "event", "date"),
    ),
)
_DEATHS = (
    (
        "outside_window",
        "deaths outside the mortality window",
        _where("TRY_CAST(date_of_death AS DATE) NOT BETWEEN :start AND :end"),
    ),
    (
        "duplicate_person_id",
        "rows repeating a death of the same person",
        _repeats("person_id"),
    ),
)
_MEASURES = {"people": _PEOPLE, "conditions": _CONDITIONS, "events": _EVENTS, "deaths": _DEATHS}


def summarise(
    con: duckdb.DuckDBPyConnection,
    tables: tuple[TableCount, ...],
    *,
    period_end: dt.date,
    window_start: dt.date,
    notes: tuple[str, ...] = (),
) -> QualitySummary:
    """Count every data-quality figure over the staged tables in ``con``.

    Expects the views ``people``, ``conditions``, ``events``, ``deaths``
    (empty when not supplied) and the lookups ``lk_ethnicity(code,
    not_stated)`` and ``lk_borough(lsoa21)``.
    """
    end = f"DATE {quote_literal(period_end.isoformat())}"
    start = f"DATE {quote_literal(window_start.isoformat())}"
    figures: list[Figure] = []
    for table, measures in _MEASURES.items():
        counts = ", ".join(
            sql.replace(":end", end).replace(":start", start) for _, _, sql in measures
        )
        row = con.execute(f"SELECT count(*), {counts} FROM {table}").fetchone()
        assert row is not None  # an aggregate always returns one row
        total = int(row[0])
        for (key, label, _), count in zip(measures, row[1:], strict=True):
            figures.append(Figure(f"{table}.{key}", table, label, int(count), total))
    age_only = next(f for f in figures if f.key == "people.age_only").count
    if age_only:
        notes = (
            *notes,
            f"people: {age_only:,} with an age but no date of birth get a nominal "
            "date_of_birth = period end − age years − 182 days (flagged date_of_birth_nominal)",
        )
    return QualitySummary(period_end, window_start, tables, tuple(figures), notes)
