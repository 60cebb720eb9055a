"""The enriched person table: one row per person with every stratum and flag as columns.

The engine's single expensive step is one pass over this expression
(:mod:`jsna.engine.cells`). It joins the ``people`` table with

* the code lists of :mod:`jsna.codes` (ethnicity → ONS 19 / 5 groups /
  Global Majority, LSOA → ward and within-borough IMD quintile, sex and
  language labels), so every person lands in exactly one category of every
  dimension ("Not stated", "Unknown", "Not known", "Not recorded" included);
* a pivoting aggregate of ``conditions`` (one 0/1 column per register used by
  the catalogue, diagnosed on or before the snapshot date);
* a pivoting aggregate of ``events`` (one column per event and look-back
  window used, and one per event for "recorded as not eligible");
* ``deaths`` (at most one per person) with the underlying cause grouped.

It adds the ages the counting rules of ``docs/data-model.md`` need: age at
the snapshot date, at the middle of the person's time at risk in the
mortality window, and at death, each with its life-table band start
(0, 1, 5, 10, …, 90). Files read through :func:`jsna.sources.open_records`
always have a birth date (a nominal one, mid-way through the year of age,
when the extract gave only ``age``); tables already in a warehouse may carry
``age`` (at the snapshot date) instead, and then ages at other dates assume
the same mid-year birthday: age at ``d`` = floor(age + 0.5 − (snapshot − d) / 365.25).

Everything is an Ibis expression in backend-neutral operations; nothing runs
until :mod:`jsna.engine.cells` executes the aggregation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import ibis
import ibis.expr.types as ir
import pandas as pd

from jsna.codes import causes, deprivation, ethnicity, geography, sex
from jsna.codes.language import NOT_RECORDED
from jsna.indicators.schema import PEOPLE_CATEGORIES

__all__ = [
    "DAYS_PER_YEAR",
    "KEY_COLUMNS",
    "PersonColumns",
    "band_start",
    "cause_lookup",
    "condition_column",
    "event_column",
    "ineligible_column",
    "months_before",
    "person_table",
]

DAYS_PER_YEAR = 365.25

#: The finest stratum keys kept per cell (ethnicity_5 and global_majority follow from
#: ethnicity_19, so they are derived after the aggregation, not grouped on).
KEY_COLUMNS: tuple[str, ...] = ("ethnicity_19", "ward", "imd_quintile", "sex", "main_language")


def condition_column(condition: str) -> str:
    """Name of the 0/1 column: on the ``condition`` register at the snapshot date."""
    return f"has_{condition}"


def event_column(event: str, within_months: int) -> str:
    """Name of the 0/1 column: had ``event`` in the ``within_months`` to the snapshot date."""
    return f"had_{event}_{within_months}m"


def ineligible_column(event: str) -> str:
    """Name of the 0/1 column: recorded as not eligible for ``event``."""
    return f"not_eligible_{event}"


@dataclass(frozen=True)
class PersonColumns:
    """What the catalogue needs from conditions and events (drives the pivots)."""

    conditions: frozenset[str]
    event_windows: frozenset[tuple[str, int]]
    ineligible_events: frozenset[str]


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier, clamped to the month's end (31 Aug - 6 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def _whole_years(born: ir.DateValue, on: ir.DateValue) -> ir.IntegerValue:
    """Completed years from ``born`` to ``on`` (birthday counts on the day; 29 Feb → 1 Mar)."""
    before_birthday = (on.month() * 100 + on.day()) < (born.month() * 100 + born.day())
    return on.year() - born.year() - before_birthday.ifelse(1, 0)


def _age_on(people: ir.Table, on: ir.DateValue, snapshot: date) -> ir.IntegerValue:
    """Age on ``on``: exact from date of birth, else from ``age`` at the snapshot date."""
    imputed = (
        (
            people.age.cast("float64")
            + 0.5
            - ibis.date(snapshot).delta(on, unit="day") / DAYS_PER_YEAR
        )
        .floor()
        .cast("int64")
    )
    return ibis.ifelse(
        people.date_of_birth.notnull(),
        _whole_years(people.date_of_birth, on),
        imputed.clip(lower=0),
    )


def band_start(age: ir.IntegerValue) -> ir.IntegerValue:
    """Start of the life-table band (0, 1, 5, 10, …, 90) holding ``age``."""
    return ibis.cases((age < 1, 0), (age < 5, 1), (age >= 90, 90), else_=(age // 5) * 5).cast(
        "int64"
    )


def _text(column: ir.StringValue) -> ir.StringValue:
    """Trimmed text with empty strings as null."""
    trimmed = column.cast("string").strip()
    return ibis.ifelse(trimmed == "", ibis.null("string"), trimmed)


def _lookup(frame: pd.DataFrame, key: str, value: str, name: str) -> ir.Table:
    """A two-column lookup (``<name>_key`` → ``value``) as an in-memory table."""
    unique = frame[[key, value]].drop_duplicates(key).rename(columns={key: f"{name}_key"})
    return ibis.memtable(unique)


def _ensure_columns(people: ir.Table) -> ir.Table:
    """Add optional people columns the extract left out, as nulls."""
    missing = {
        name: ibis.null("string") for name in PEOPLE_CATEGORIES if name not in people.columns
    }
    if "date_of_birth" not in people.columns:
        missing["date_of_birth"] = ibis.null("date")
    if "age" not in people.columns:
        missing["age"] = ibis.null("int64")
    if "registration_end" not in people.columns:
        missing["registration_end"] = ibis.null("date")
    return people.mutate(**missing) if missing else people


def _condition_pivot(conditions: ir.Table, wanted: Iterable[str], snapshot: date) -> ir.Table:
    on_register = conditions.filter(conditions.diagnosis_date <= ibis.date(snapshot))
    return on_register.group_by(on_register.person_id.name("cond_person_id")).aggregate(
        **{
            condition_column(c): (on_register.condition == c).any().ifelse(1, 0)
            for c in sorted(wanted)
        }
    )


def _event_pivot(events: ir.Table, needs: PersonColumns, snapshot: date) -> ir.Table:
    ineligible = (
        ~events.eligible.cast("boolean").fill_null(True)
        if "eligible" in events.columns
        else ibis.literal(False)
    )
    metrics: dict[str, ir.Value] = {}
    for event, months in sorted(needs.event_windows):
        start = months_before(snapshot, months)
        inside = (events.date > ibis.date(start)) & (events.date <= ibis.date(snapshot))
        metrics[event_column(event, months)] = (
            ((events.event == event) & inside & ~ineligible).any().ifelse(1, 0)
        )
    for event in sorted(needs.ineligible_events):
        metrics[ineligible_column(event)] = (
            ((events.event == event) & ineligible).any().ifelse(1, 0)
        )
    return events.group_by(events.person_id.name("event_person_id")).aggregate(**metrics)


def cause_lookup(distinct_causes: Iterable[str]) -> pd.DataFrame:
    """Grouped cause (via :func:`jsna.codes.causes.to_cause_group`) of each distinct code."""
    codes = sorted({str(c) for c in distinct_causes if c is not None})
    groups = causes.to_cause_group(codes, file="deaths")
    # Typed as text even when there are no deaths, so the join's key types match.
    return pd.DataFrame(
        {
            "cause_key": pd.Series(codes, dtype="string"),
            "cause_group": pd.Series(groups, dtype="string"),
        }
    )


def person_table(
    tables: Mapping[str, ir.Table],
    needs: PersonColumns,
    *,
    snapshot: date,
    window: tuple[date, date],
    cause_groups: pd.DataFrame,
) -> ir.Table:
    """The enriched person expression (see the module docstring for its columns).

    ``tables`` maps ``people``, ``conditions``, ``events`` and ``deaths`` to
    Ibis tables; ``cause_groups`` is :func:`cause_lookup` of the deaths'
    distinct ``underlying_cause`` values.
    """
    window_start, window_end = window
    people = _ensure_columns(tables["people"])

    eth = ethnicity.ethnicity_lookup()
    # Codes are matched trimmed and in upper case (letters) as jsna.codes cleans them.
    eth_table = ibis.memtable(
        eth[["ethnicity_code", "ethnicity_19", "ethnicity_5", "global_majority"]].rename(
            columns={"ethnicity_code": "eth_key"}
        ),
    )
    ward_table = _lookup(geography.ward_lookup(), "lsoa21", "ward_name", "ward")
    imd_table = _lookup(deprivation.imd_lookup(), "lsoa21", "imd_quintile", "imd")
    sex_table = ibis.memtable(
        pd.DataFrame({"sex_key": list(sex.SEX_CODES), "sex_label": list(sex.SEX_CODES.values())}),
    )
    cause_table = ibis.memtable(cause_groups)

    base = people.mutate(
        eth_code=_text(people.ethnicity_code).upper(),
        lsoa_code=_text(people.lsoa21),
        sex_code=_text(people.sex).upper(),
        language=_text(people.main_language),
    )
    joined = (
        base.left_join(eth_table, base.eth_code == eth_table.eth_key)
        .left_join(ward_table, base.lsoa_code == ward_table.ward_key)
        .left_join(imd_table, base.lsoa_code == imd_table.imd_key)
        .left_join(sex_table, base.sex_code == sex_table.sex_key)
    )
    if needs.conditions:
        pivot = _condition_pivot(tables["conditions"], needs.conditions, snapshot)
        joined = joined.left_join(pivot, joined.person_id == pivot.cond_person_id)
    if needs.event_windows or needs.ineligible_events:
        pivot = _event_pivot(tables["events"], needs, snapshot)
        joined = joined.left_join(pivot, joined.person_id == pivot.event_person_id)
    deaths = tables["deaths"].select(
        death_person_id="person_id",
        date_of_death="date_of_death",
        cause_code=_text(tables["deaths"].underlying_cause),
    )
    joined = joined.left_join(deaths, joined.person_id == deaths.death_person_id)
    joined = joined.left_join(cause_table, joined.cause_code == cause_table.cause_key)

    flags = {
        condition_column(c): joined[condition_column(c)].fill_null(0) for c in needs.conditions
    }
    flags |= {
        event_column(e, m): joined[event_column(e, m)].fill_null(0) for e, m in needs.event_windows
    }
    flags |= {
        ineligible_column(e): joined[ineligible_column(e)].fill_null(0)
        for e in needs.ineligible_events
    }

    snap = ibis.date(snapshot)
    w_start, w_end = ibis.date(window_start), ibis.date(window_end)
    died_by_snapshot = joined.date_of_death.notnull() & (joined.date_of_death <= snap)
    at_risk_start = ibis.greatest(joined.registration_start, w_start)
    at_risk_end = ibis.least(
        joined.registration_end.fill_null(w_end), joined.date_of_death.fill_null(w_end), w_end
    )
    days = at_risk_end.delta(at_risk_start, unit="day")
    died_in_window = (
        joined.date_of_death.notnull()
        & (joined.date_of_death >= w_start)
        & (joined.date_of_death <= w_end)
    )
    # Built in stages (each a nested SELECT) so every age and band is computed once
    # per person instead of being expanded into every expression that uses it.
    base = joined.select(
        person_id=joined.person_id,
        ethnicity_19=joined.ethnicity_19.fill_null(ethnicity.NOT_STATED),
        ethnicity_5=joined.ethnicity_5.fill_null(ethnicity.NOT_STATED),
        global_majority=joined.global_majority.fill_null(ethnicity.NOT_STATED),
        ward=joined.ward_name.fill_null(geography.UNKNOWN),
        imd_quintile=joined.imd_quintile.fill_null(geography.UNKNOWN),
        sex=joined.sex_label.fill_null(sex.SEX_CODES["U"]),
        sex_code=joined.sex_code.fill_null("U"),
        ethnicity_code=joined.eth_code,
        unknown_ethnicity_code=joined.eth_code.notnull() & joined.ethnicity_19.isnull(),
        unknown_sex_code=joined.sex_code.notnull() & joined.sex_label.isnull(),
        main_language=joined.language.fill_null(NOT_RECORDED),
        **{name: _text(joined[name]) for name in PEOPLE_CATEGORIES},
        registered=(
            (joined.registration_start <= snap)
            & (joined.registration_end.isnull() | (joined.registration_end > snap))
            & ~died_by_snapshot
        ),
        date_of_birth=joined.date_of_birth,
        age=joined.age,
        date_of_death=joined.date_of_death,
        at_risk_start=at_risk_start,
        days=days,
        died=died_in_window,
        cause_group=joined.cause_group,
        **flags,
    )
    timed = base.mutate(midpoint=base.at_risk_start + (base.days // 2).as_interval("D"))
    aged = timed.mutate(
        age_end=_age_on(timed, snap, snapshot),
        age_mid=_age_on(timed, timed.midpoint, snapshot),
        age_death=_age_on(timed, timed.date_of_death, snapshot),
    )
    enriched = aged.mutate(
        band_end=band_start(aged.age_end),
        # Whole days, summed exactly as integers; years (/365.25) after the aggregation.
        days_at_risk=ibis.greatest(aged.days, 0).cast("int32"),
        band_mid=ibis.ifelse(aged.days > 0, band_start(aged.age_mid), band_start(aged.age_end)),
        band_death=ibis.ifelse(aged.died, band_start(aged.age_death), band_start(aged.age_end)),
    ).drop("date_of_birth", "age", "date_of_death", "at_risk_start", "days", "midpoint")
    return enriched
