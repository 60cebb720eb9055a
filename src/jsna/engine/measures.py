"""Catalogue definitions → the columns one aggregation sums per stratum cell.

Each indicator becomes a few *measures*: sums over the enriched person table
(:mod:`jsna.engine.persons`) of 0/1 flags or person-years, e.g. "registered
at the snapshot, aged 17+" (a denominator) or "died of a circulatory cause in
the window, aged under 75 at death" (a numerator). Identical measures are
shared between indicators (every life table for males uses the same
person-years), so the aggregation computes each once.

Roles per indicator:

* snapshot indicators: ``numerator`` and ``denominator`` (people);
* mortality indicators: ``deaths`` and ``person_years``;
* healthy life expectancy adds ``healthy`` and ``health_known`` (people at
  the snapshot in good health / with a health response), for Sullivan's
  prevalence of good health by age band.
* a life-expectancy gap decomposition adds ``deaths_<cause>`` for each
  grouped cause of death (:data:`jsna.indicators.schema.CAUSE_GROUPS`).

The numerator of a snapshot indicator is always counted inside its
denominator, so it cannot exceed it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import ibis
import ibis.expr.types as ir

from jsna.engine.persons import (
    PersonColumns,
    condition_column,
    event_column,
    ineligible_column,
)
from jsna.indicators.models import (
    Cohort,
    ConditionCount,
    DeathCount,
    EventCount,
    Indicator,
    PeopleCount,
)
from jsna.indicators.schema import CAUSE_GROUPS

__all__ = ["Measure", "MeasurePlan", "plan_measures"]


@dataclass(frozen=True)
class Measure:
    """One summed column: its name, the band it is counted in, and how to compute it."""

    name: str
    band: str  # band_end, band_mid or band_death: which age places the person in a band
    kind: str  # people, person_years or deaths
    signature: str


@dataclass
class MeasurePlan:
    """Every measure the catalogue needs and, per indicator, which measure plays which role."""

    measures: dict[str, Measure] = field(default_factory=dict)
    roles: dict[str, dict[str, str]] = field(default_factory=dict)
    _by_signature: dict[str, str] = field(default_factory=dict)
    _builders: dict[str, tuple[str, object]] = field(default_factory=dict)

    def _add(self, band: str, kind: str, spec: tuple[Cohort, object]) -> str:
        cohort, count = spec
        if isinstance(count, PeopleCount) and count.column is None:
            spec = (cohort, None)  # "everyone in the cohort" is the cohort itself
        signature = f"{band}|{kind}|{spec!r}"
        name = self._by_signature.get(signature)
        if name is None:
            name = f"m{len(self.measures):03d}"
            self._by_signature[signature] = name
            self.measures[name] = Measure(name, band, kind, signature)
            self._builders[name] = (kind, spec)
        return name

    def definitions(self) -> dict[str, tuple[str, Cohort, object]]:
        """Each measure's kind, cohort and numerator definition (None for denominators)."""
        return {name: (kind, *spec) for name, (kind, spec) in self._builders.items()}  # type: ignore[misc]

    def person_columns(self) -> PersonColumns:
        """The condition and event columns the measures read (drives the pivots)."""
        conditions: set[str] = set()
        windows: set[tuple[str, int]] = set()
        ineligible: set[str] = set()
        for kind, spec in self._builders.values():
            cohort, count = spec  # type: ignore[misc]
            conditions.update(cohort.with_any)
            conditions.update(cohort.with_none)
            if cohort.eligible_for:
                ineligible.add(cohort.eligible_for)
            if isinstance(count, ConditionCount):
                conditions.add(count.condition)
            if isinstance(count, EventCount):
                windows.add((count.event, count.within_months))
            del kind
        return PersonColumns(frozenset(conditions), frozenset(windows), frozenset(ineligible))

    def expressions(self, persons: ir.Table) -> dict[str, ir.Value]:
        """The aggregate expression of every measure over the enriched person table."""
        out: dict[str, ir.Value] = {}
        for name, (kind, spec) in self._builders.items():
            cohort, count = spec  # type: ignore[misc]
            band = self.measures[name].band
            age = {"band_end": "age_end", "band_mid": "age_mid", "band_death": "age_death"}[band]
            inside = _cohort(persons, cohort, persons[age])
            if kind == "people":
                condition = persons.registered & inside & _counted(persons, count)
                out[name] = condition.ifelse(1, 0).sum()
            elif kind == "person_years":
                out[name] = ibis.ifelse(inside, persons.days_at_risk, 0).sum()
            else:  # deaths
                out[name] = (persons.died & inside & _counted(persons, count)).ifelse(1, 0).sum()
        return out


def _cohort(persons: ir.Table, cohort: Cohort, age: ir.IntegerValue) -> ir.BooleanValue:
    condition: ir.BooleanValue = ibis.literal(True)
    if cohort.age_min is not None:
        condition &= age >= cohort.age_min
    if cohort.age_max is not None:
        condition &= age <= cohort.age_max
    if cohort.sex is not None:
        condition &= persons.sex_code.isin(cohort.sex)
    if cohort.with_any:
        any_of = ibis.literal(False)
        for name in cohort.with_any:
            any_of |= persons[condition_column(name)] == 1
        condition &= any_of
    for name in cohort.with_none:
        condition &= persons[condition_column(name)] == 0
    for name in cohort.recorded:
        condition &= persons[name].notnull()
    if cohort.eligible_for:
        condition &= persons[ineligible_column(cohort.eligible_for)] == 0
    return condition


def _counted(persons: ir.Table, count: object) -> ir.BooleanValue:
    if count is None:
        return ibis.literal(True)
    if isinstance(count, ConditionCount):
        return persons[condition_column(count.condition)] == 1
    if isinstance(count, EventCount):
        return persons[event_column(count.event, count.within_months)] == 1
    if isinstance(count, DeathCount):
        if count.causes is None:
            return ibis.literal(True)
        return persons.cause_group.isin(count.causes)
    if isinstance(count, PeopleCount):
        if count.column is None:
            return ibis.literal(True)
        column = persons[count.column]
        if count.values is not None:
            return column.isin(count.values)
        return column.notnull() & column.notin(count.exclude or [])
    raise TypeError(f"not a numerator definition: {count!r}")


def plan_measures(indicators: Iterable[Indicator]) -> MeasurePlan:
    """The measures (deduplicated) for ``indicators``, and each indicator's roles.

    >>> from jsna.indicators import load_catalogue
    >>> plan = plan_measures(load_catalogue().select(["le_birth_male", "le_65_male"]))
    >>> plan.roles["le_birth_male"] == plan.roles["le_65_male"]
    True
    """
    plan = MeasurePlan()
    for indicator in indicators:
        cohort = indicator.denominator
        roles: dict[str, str] = {}
        if indicator.period == "snapshot":
            roles["numerator"] = plan._add("band_end", "people", (cohort, indicator.numerator))
            roles["denominator"] = plan._add("band_end", "people", (cohort, None))
        else:
            roles["deaths"] = plan._add("band_death", "deaths", (cohort, indicator.numerator))
            roles["person_years"] = plan._add("band_mid", "person_years", (cohort, None))
            if indicator.healthy is not None:
                roles["healthy"] = plan._add("band_end", "people", (cohort, indicator.healthy))
                known = PeopleCount(table="people", column=indicator.healthy.column, exclude=[])
                roles["health_known"] = plan._add("band_end", "people", (cohort, known))
            if indicator.gap is not None:  # deaths by cause: more columns, no extra scan
                for cause in CAUSE_GROUPS:
                    by_cause = DeathCount(table="deaths", causes=[cause])
                    roles[f"deaths_{cause}"] = plan._add("band_death", "deaths", (cohort, by_cause))
        plan.roles[indicator.id] = roles
    return plan
