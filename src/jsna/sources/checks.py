"""The validation checks, each one SQL query over the staged text tables.

A :class:`Check` selects the offending rows of one table as ``(_row, value,
detail)``; :func:`run_checks` runs many checks as one query, turns the first
few rows of each into :class:`~jsna.errors.InputError` (file, column, 1-based
row, value) and counts the rest. Checks come in a fixed order — empty
required values and types first, then allowed values, then relationships
between rows and tables — so the first error reported is the most basic one.
The queries run in DuckDB over the staged Parquet files, so memory stays
bounded however many rows there are.

Views the checks expect in the connection: one per staged table, named after
the table (``people`` …), and the lookups ``lk_ethnicity(code)`` and
``lk_bad_causes(code)`` (registered by :mod:`jsna.sources.validate`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

import duckdb

from jsna.errors import InputError
from jsna.sources.schema import Kind, Need, TableSpec
from jsna.sources.staging import quote_ident, quote_literal

__all__ = ["Check", "CheckResult", "checks_for", "date_hint", "parse_iso_date", "run_checks"]

ISO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
LSOA21 = r"E01[0-9]{6}"
MAX_AGE = 120
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


@dataclass(frozen=True)
class Check:
    """One rule: the SQL that finds the rows breaking it, and what to tell the user.

    ``sql`` selects ``_row``, ``value`` and ``detail`` (text or NULL);
    ``reason`` may contain ``{detail}``.
    """

    table: str
    column: str
    reason: str
    sql: str
    hint: str | None = None
    is_date: bool = False
    typing: bool = False  # needed to type the column; runs even when validate=False


@dataclass(frozen=True)
class CheckResult:
    """The first few errors a check found and how many rows broke it in all."""

    check: Check
    errors: tuple[InputError, ...]
    total: int


def date_hint(value: str) -> str:
    """What to write instead of a date that is not ISO 8601.

    >>> date_hint("31/03/2024")
    'dates must be YYYY-MM-DD; 31/03/2024 looks like DD/MM/YYYY: write 2024-03-31'
    """
    match = _DMY.match(value)
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            iso = dt.date(year, month, day).isoformat()
        except ValueError:
            return f"dates must be YYYY-MM-DD (e.g. 2024-03-31); {value} is not a real date"
        return f"dates must be YYYY-MM-DD; {value} looks like DD/MM/YYYY: write {iso}"
    return "dates must be YYYY-MM-DD, e.g. 2024-03-31"


def parse_iso_date(value: str, column: str) -> dt.date:
    """A ``YYYY-MM-DD`` date given as an option; InputError with a hint otherwise.

    >>> parse_iso_date("2024-03-31", "--period-end")
    datetime.date(2024, 3, 31)
    """
    try:
        if not re.fullmatch(ISO_DATE, value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError("not a date", column=column, value=value, hint=date_hint(value)) from None


def _shorten(value: str, limit: int = 80) -> str:
    """A value short enough for a message (a huge field is cut, marked with …)."""
    return value if len(value) <= limit else value[:limit] + "…"


def _date(column: str) -> str:
    return f"TRY_CAST({quote_ident(column)} AS DATE)"


def _select(table: str, column: str, where: str, detail: str = "NULL") -> str:
    ident = quote_ident(column)
    return f"SELECT _row, {ident} AS value, {detail} AS detail FROM {table} WHERE {where}"


def _kind_checks(spec: TableSpec, present: set[str]) -> Iterator[Check]:
    """Empty required values, then type and allowed-value checks, column by column."""
    table = spec.name
    for column in spec.columns:
        name, ident = column.name, quote_ident(column.name)
        if column.need is Need.REQUIRED:
            yield Check(
                table,
                name,
                "value is empty; every row needs one",
                _select(table, name, f"{ident} IS NULL", "NULL"),
                "fill it in, or remove the row",
                typing=True,
            )
        if name not in present:
            continue
        if column.kind is Kind.DATE:
            yield Check(
                table,
                name,
                "not a date in the form YYYY-MM-DD",
                _select(
                    table,
                    name,
                    f"{ident} IS NOT NULL AND (NOT regexp_full_match({ident}, '{ISO_DATE}') "
                    f"OR {_date(name)} IS NULL)",
                ),
                is_date=True,
                typing=True,
            )
        elif column.kind is Kind.INTEGER:
            yield Check(
                table,
                name,
                "not a whole number",
                _select(
                    table,
                    name,
                    f"{ident} IS NOT NULL AND NOT regexp_full_match({ident}, '-?[0-9]+')",
                ),
                "write whole years, e.g. 42",
                typing=True,
            )
        elif column.kind is Kind.BOOLEAN:
            yield Check(
                table,
                name,
                "not true or false",
                _select(
                    table, name, f"{ident} IS NOT NULL AND lower({ident}) NOT IN ('true', 'false')"
                ),
                "write true, false, or leave it empty (= true)",
                typing=True,
            )
        if column.allowed:
            allowed = ", ".join(quote_literal(value) for value in column.allowed)
            yield Check(
                table,
                name,
                "not an allowed value",
                _select(table, name, f"{ident} IS NOT NULL AND {ident} NOT IN ({allowed})"),
                f"allowed: {', '.join(column.allowed)}",
            )


def _duplicates(table: str, keys: tuple[str, ...], column: str, reason: str, hint: str) -> Check:
    """Rows whose ``keys`` repeat an earlier row; ``detail`` is that earlier row."""
    on = ", ".join(quote_ident(key) for key in keys)
    sql = (
        f"WITH firsts AS (SELECT {on}, min(_row) AS first_row FROM {table} "
        f"WHERE {' AND '.join(f'{quote_ident(k)} IS NOT NULL' for k in keys)} "
        f"GROUP BY {on} HAVING count(*) > 1) "
        f"SELECT t._row, t.{quote_ident(column)} AS value, CAST(f.first_row AS VARCHAR) AS detail "
        f"FROM {table} t JOIN firsts f USING ({on}) WHERE t._row <> f.first_row"
    )
    return Check(table, column, reason, sql, hint)


def _people_checks(present: set[str], today: dt.date) -> Iterator[Check]:
    today_sql = f"DATE {quote_literal(today.isoformat())}"
    yield _duplicates(
        "people",
        ("person_id",),
        "person_id",
        "duplicate person_id: the same id is in row {detail}",
        "each person must have exactly one row",
    )
    if "age" in present:
        yield Check(
            "people",
            "age",
            f"age must be between 0 and {MAX_AGE}",
            _select(
                "people",
                "age",
                "regexp_full_match(age, '-?[0-9]+') AND (length(age) > 4 "
                f"OR TRY_CAST(age AS INTEGER) NOT BETWEEN 0 AND {MAX_AGE})",
            ),
            "age is whole years at the period end",
        )
    dob_or_age = [c for c in ("date_of_birth", "age") if c in present]
    yield Check(
        "people",
        dob_or_age[0],
        "neither date_of_birth nor age is given",
        _select(
            "people",
            dob_or_age[0],
            " AND ".join(f"{quote_ident(c)} IS NULL" for c in dob_or_age),
        ),
        "give a date of birth (or an age)",
        typing=True,
    )
    if "date_of_birth" in present:
        dob = _date("date_of_birth")
        yield Check(
            "people",
            "date_of_birth",
            f"date of birth is in the future (after {today.isoformat()})",
            _select("people", "date_of_birth", f"{dob} > {today_sql}"),
        )
        yield Check(
            "people",
            "registration_start",
            "registration starts before the date of birth ({detail})",
            _select(
                "people",
                "registration_start",
                f"{_date('registration_start')} < {dob}",
                "date_of_birth",
            ),
        )
    yield Check(
        "people",
        "ethnicity_code",
        "not a known ethnicity code (NHS ethnic category letter or SNOMED CT concept)",
        _select(
            "people",
            "ethnicity_code",
            "ethnicity_code IS NOT NULL AND ethnicity_code NOT IN (SELECT code FROM lk_ethnicity)",
        ),
        "use a code from jsna.codes.ethnicity.ethnicity_lookup(), or leave it empty",
    )
    yield Check(
        "people",
        "lsoa21",
        "not an LSOA 2021 code (E01 and 6 digits)",
        _select(
            "people", "lsoa21", f"lsoa21 IS NOT NULL AND NOT regexp_full_match(lsoa21, '{LSOA21}')"
        ),
        "e.g. E01004736, or leave it empty if unknown",
    )
    if "registration_end" in present:
        yield Check(
            "people",
            "registration_end",
            "registration ends before it starts ({detail})",
            _select(
                "people",
                "registration_end",
                f"{_date('registration_end')} < {_date('registration_start')}",
                "'registration_start ' || registration_start",
            ),
        )


def _in_people(table: str) -> Check:
    return Check(
        table,
        "person_id",
        "person_id is not in the people table",
        f"SELECT _row, person_id AS value, NULL AS detail FROM {table} t "
        "WHERE person_id IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM people p WHERE p.person_id = t.person_id)",
        "every person in a record table needs a row in people",
    )


def _against_people(
    table: str, column: str, comparison: str, people_column: str, reason: str
) -> Check:
    """Rows whose date ``column`` compares wrongly with the person's date in ``people``."""
    mine = f"TRY_CAST(t.{quote_ident(column)} AS DATE)"
    theirs = f"TRY_CAST(p.{quote_ident(people_column)} AS DATE)"
    sql = (
        f"SELECT t._row, t.{quote_ident(column)} AS value, "
        f"'{people_column} ' || p.{quote_ident(people_column)} || ', people row ' || p._row "
        f"AS detail FROM {table} t JOIN people p ON p.person_id = t.person_id "
        f"WHERE {mine} {comparison} {theirs}"
    )
    return Check(table, column, reason, sql)


def checks_for(
    spec: TableSpec,
    present: set[str],
    people_present: set[str],
    today: dt.date,
) -> list[Check]:
    """Every check for one staged table, in the order they should be reported.

    ``present`` are the data-model columns found in this table's file and
    ``people_present`` those found in the people file.
    """
    checks = list(_kind_checks(spec, present))
    today_sql = f"DATE {quote_literal(today.isoformat())}"
    if spec.name == "people":
        checks += _people_checks(present, today)
        return checks
    checks.append(_in_people(spec.name))
    has_dob = "date_of_birth" in people_present
    has_end = "registration_end" in people_present
    if spec.name == "conditions":
        checks.append(
            _duplicates(
                "conditions",
                ("person_id", "condition"),
                "condition",
                "the person already has this condition in row {detail}",
                "keep one row per person and condition (the first diagnosis)",
            )
        )
        if has_end:
            checks.append(
                _against_people(
                    "conditions",
                    "diagnosis_date",
                    ">",
                    "registration_end",
                    "diagnosis is after the end of registration ({detail})",
                )
            )
        if has_dob:
            checks.append(
                _against_people(
                    "conditions",
                    "diagnosis_date",
                    "<",
                    "date_of_birth",
                    "diagnosis is before the date of birth ({detail})",
                )
            )
    elif spec.name == "deaths":
        checks.append(
            _duplicates(
                "deaths",
                ("person_id",),
                "person_id",
                "more than one death for this person: also in row {detail}",
                "keep one death per person",
            )
        )
        checks.append(
            Check(
                "deaths",
                "date_of_death",
                f"date of death is in the future (after {today.isoformat()})",
                _select("deaths", "date_of_death", f"{_date('date_of_death')} > {today_sql}"),
            )
        )
        if has_dob:
            checks.append(
                _against_people(
                    "deaths",
                    "date_of_death",
                    "<",
                    "date_of_birth",
                    "date of death is before the date of birth ({detail})",
                )
            )
        checks.append(
            Check(
                "deaths",
                "underlying_cause",
                "not an ICD-10 code or grouped cause",
                _select(
                    "deaths",
                    "underlying_cause",
                    "underlying_cause IN (SELECT code FROM lk_bad_causes)",
                ),
                "use an ICD-10 code such as I21.9, or circulatory, cancer, copd, "
                "other_respiratory, dementia, external, other",
            )
        )
    return checks


def run_checks(
    con: duckdb.DuckDBPyConnection, checks: list[tuple[Check, str]], limit: int
) -> list[CheckResult]:
    """Run ``(check, file label)`` pairs in one query; keep the first ``limit`` rows of each.

    One UNION ALL query instead of one query per check: DuckDB plans the scans
    together and the per-query overhead is paid once. Results come back in
    the order of ``checks``, so the first error of the first failing check is
    the most basic problem.
    """
    if not checks:
        return []
    hits = " UNION ALL ".join(
        f"SELECT {i} AS check_id, _row, CAST(value AS VARCHAR) AS value, "
        f"CAST(detail AS VARCHAR) AS detail FROM ({check.sql}) q{i}"
        for i, (check, _) in enumerate(checks)
    )
    rows = con.execute(
        f"SELECT check_id, _row, value, detail, n FROM (SELECT *, "
        "row_number() OVER (PARTITION BY check_id ORDER BY _row) AS k, "
        f"count(*) OVER (PARTITION BY check_id) AS n FROM ({hits}) h) r "
        f"WHERE k <= {int(limit)} ORDER BY check_id, _row"
    ).fetchall()
    found: dict[int, list[InputError]] = {}
    totals: dict[int, int] = {}
    for check_id, row, value, detail, total in rows:
        check, label = checks[check_id]
        hint = date_hint(value) if check.is_date and value is not None else check.hint
        found.setdefault(check_id, []).append(
            InputError(
                check.reason.format(detail=detail),
                file=label,
                column=check.column,
                row=int(row),
                value=_shorten("" if value is None else value),
                hint=hint,
            )
        )
        totals[check_id] = int(total)
    return [
        CheckResult(check, tuple(found.get(i, ())), totals.get(i, 0))
        for i, (check, _) in enumerate(checks)
    ]
