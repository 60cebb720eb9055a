"""The indicator catalogue's data model: one validated pydantic object per indicator.

An indicator says *what to count* over the record-level tables of
``docs/data-model.md`` (a numerator and a denominator), *when* (the snapshot
date or the mortality window), and *which statistic* turns the counts into a
published value. Everything here is declarative: the engine
(:mod:`jsna.engine`) compiles it to queries and :mod:`jsna.methods` computes
the statistic. Field names, tables, columns, conditions, events and causes
are checked against :mod:`jsna.indicators.schema`, so a typo fails at load.

Counting rules the models encode:

* Snapshot indicators (``period: snapshot``) count people registered and alive
  on the period end; the numerator is always counted *within* the
  denominator, so it can never exceed it.
* Mortality indicators (``period: mortality_window``) count deaths in the
  window over person-years at risk (see the data model for the rules).
* ``denominator.scope: area`` makes a population-share indicator: each
  stratum's count over the whole area's count (e.g. the share of residents
  whose main language is Arabic).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from jsna.indicators.schema import (
    CAUSE_GROUPS,
    CONDITIONS,
    DIMENSIONS,
    EVENTS,
    PEOPLE_CATEGORIES,
    PEOPLE_COLUMNS,
)

__all__ = [
    "DOMAINS",
    "STATISTICS",
    "Cohort",
    "ConditionCount",
    "DeathCount",
    "EventCount",
    "GapBetween",
    "Indicator",
    "PeopleCount",
    "Standardise",
]

Domain = Literal[
    "population",
    "long-term conditions",
    "prevention",
    "mortality",
    "life expectancy",
    "wider determinants",
    "data quality",
]
DOMAINS: tuple[str, ...] = Domain.__args__  # type: ignore[attr-defined]

Statistic = Literal[
    "proportion",
    "crude_rate",
    "dsr",
    "life_expectancy",
    "healthy_life_expectancy",
    "le_gap_decomposition",
]
STATISTICS: tuple[str, ...] = Statistic.__args__  # type: ignore[attr-defined]

MORTALITY_STATISTICS = frozenset(
    {"crude_rate", "dsr", "life_expectancy", "healthy_life_expectancy", "le_gap_decomposition"}
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _known(values: list[str], allowed: tuple[str, ...], what: str) -> list[str]:
    for value in values:
        if value not in allowed:
            raise ValueError(f"unknown {what} {value!r}; known: {', '.join(allowed)}")
    return values


class ConditionCount(_Strict):
    """People on a clinical register (diagnosed on or before the period end)."""

    table: Literal["conditions"]
    condition: str

    @field_validator("condition")
    @classmethod
    def _condition(cls, value: str) -> str:
        return _known([value], CONDITIONS, "condition")[0]


class EventCount(_Strict):
    """People with the event in the ``within_months`` before the period end (inclusive)."""

    table: Literal["events"]
    event: str
    within_months: int = Field(gt=0, le=120)

    @field_validator("event")
    @classmethod
    def _event(cls, value: str) -> str:
        return _known([value], EVENTS, "event")[0]


class DeathCount(_Strict):
    """Deaths in the mortality window; ``causes`` are grouped causes, or all causes if omitted."""

    table: Literal["deaths"]
    causes: list[str] | None = None

    @field_validator("causes")
    @classmethod
    def _causes(cls, value: list[str] | None) -> list[str] | None:
        if value is not None:
            if not value:
                raise ValueError("causes must name at least one cause (omit it for all causes)")
            _known(value, CAUSE_GROUPS, "cause of death")
        return value


class PeopleCount(_Strict):
    """People whose ``column`` takes one of ``values`` (or any value except ``exclude``).

    With no ``column`` it counts everyone in the denominator (population shares).
    """

    table: Literal["people"]
    column: str | None = None
    values: list[str] | None = None
    exclude: list[str] | None = None

    @field_validator("column")
    @classmethod
    def _column(cls, value: str | None) -> str | None:
        if value is not None:
            _known([value], PEOPLE_COLUMNS, "people column")
        return value

    @model_validator(mode="after")
    def _values(self) -> PeopleCount:
        given = (self.values is not None) + (self.exclude is not None)
        if self.column is None and given:
            raise ValueError("values/exclude need a column")
        if self.column is not None and given != 1:
            raise ValueError("give exactly one of values or exclude")
        codes = PEOPLE_CATEGORIES.get(self.column or "")
        if codes is not None:
            _known(self.values or self.exclude or [], codes, f"{self.column} value")
        return self


Count = Annotated[
    ConditionCount | EventCount | DeathCount | PeopleCount, Field(discriminator="table")
]


class Cohort(_Strict):
    """The denominator: who is counted, from the ``people`` table.

    ``age_min``/``age_max`` are inclusive whole years (at the period end for
    snapshots; at death and at the middle of the time at risk for mortality).
    ``with_any``: on at least one of these registers (flu at-risk groups).
    ``with_none``: on none of them (NHS Health Check excludes established disease).
    ``recorded``: people columns that must be recorded (census-style questions).
    ``eligible_for``: people the events extract marks ``eligible = false`` for
    this event leave the denominator (e.g. ceased from cervical recall).
    ``scope: area`` divides each stratum's count by the whole area's.
    """

    table: Literal["people"]
    age_min: int | None = Field(default=None, ge=0, le=120)
    age_max: int | None = Field(default=None, ge=0, le=120)
    sex: list[Literal["F", "M", "U"]] | None = None
    with_any: list[str] = []
    with_none: list[str] = []
    recorded: list[str] = []
    eligible_for: str | None = None
    scope: Literal["stratum", "area"] = "stratum"

    @field_validator("with_any", "with_none")
    @classmethod
    def _conditions(cls, value: list[str]) -> list[str]:
        return _known(value, CONDITIONS, "condition")

    @field_validator("recorded")
    @classmethod
    def _recorded(cls, value: list[str]) -> list[str]:
        return _known(value, tuple(PEOPLE_CATEGORIES), "people column")

    @field_validator("eligible_for")
    @classmethod
    def _eligible(cls, value: str | None) -> str | None:
        if value is not None:
            _known([value], EVENTS, "event")
        return value

    @model_validator(mode="after")
    def _ages(self) -> Cohort:
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValueError(f"age_min {self.age_min} is above age_max {self.age_max}")
        return self


class Standardise(_Strict):
    """Direct age standardisation beside the crude value (ESP2013, 19 bands)."""

    standard: Literal["esp2013"] = "esp2013"


class GapBetween(_Strict):
    """The two populations of a life-expectancy gap: groups of one ``dimension``.

    Without ``groups`` the gap is between the categories with the lowest and
    the highest published life expectancy (e.g. the extreme wards); with
    ``groups`` between those two categories. Either way the gap is taken as
    higher minus lower, so it is positive.
    """

    dimension: str
    groups: list[str] | None = Field(default=None, min_length=2, max_length=2)

    @field_validator("dimension")
    @classmethod
    def _dimension(cls, value: str) -> str:
        allowed = tuple(d for d in DIMENSIONS if d != "age_band")
        return _known([value], allowed, "gap dimension")[0]

    @field_validator("groups")
    @classmethod
    def _groups(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and value[0] == value[1]:
            raise ValueError("groups must name two different categories")
        return value


class Indicator(_Strict):
    """One catalogue entry; see ``docs/catalogue.md`` for every field."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1)
    domain: Domain
    period: Literal["snapshot", "mortality_window"]
    statistic: Statistic
    multiplier: float = Field(gt=0)
    polarity: Literal["higher_is_better", "lower_is_better", "no_judgement"]
    numerator: Count
    denominator: Cohort
    standardise: Standardise | None = None
    le_age: int | None = Field(default=None, ge=0, le=90)
    healthy: PeopleCount | None = None
    gap: GapBetween | None = None
    strata: list[str] | None = None
    source: str = Field(min_length=1)
    caveats: str = Field(min_length=1)

    @field_validator("strata")
    @classmethod
    def _strata(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        for stratum in value:
            parts = stratum.split("×")
            if stratum != "all":
                _known(parts, DIMENSIONS, "dimension")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Indicator:
        mortality = self.statistic in MORTALITY_STATISTICS
        if mortality != (self.period == "mortality_window"):
            raise ValueError(
                f"statistic {self.statistic!r} needs period "
                f"{'mortality_window' if mortality else 'snapshot'}"
            )
        if mortality != (self.numerator.table == "deaths"):
            raise ValueError(
                f"statistic {self.statistic!r} "
                + ("counts deaths" if mortality else "cannot count deaths")
            )
        if mortality and self.denominator.scope != "stratum":
            raise ValueError("mortality indicators divide by the stratum's own person-years")
        if self.statistic in {"life_expectancy", "healthy_life_expectancy"}:
            if self.le_age is None:
                raise ValueError(f"{self.statistic} needs le_age (0 for at birth)")
            if self.denominator.age_min is not None or self.denominator.age_max is not None:
                raise ValueError("a life table uses every age; remove age_min/age_max")
        elif self.le_age is not None:
            raise ValueError("le_age applies to life expectancy only")
        if (self.statistic == "le_gap_decomposition") != (self.gap is not None):
            raise ValueError("gap (the two populations) goes with le_gap_decomposition")
        if self.gap is not None:
            if self.denominator.age_min is not None or self.denominator.age_max is not None:
                raise ValueError("a life table uses every age; remove age_min/age_max")
            if self.strata is not None and self.gap.dimension not in self.strata:
                raise ValueError(f"strata must include the gap dimension {self.gap.dimension!r}")
        if (self.statistic == "healthy_life_expectancy") != (self.healthy is not None):
            raise ValueError(
                "healthy (the good-health definition) goes with healthy_life_expectancy"
            )
        if self.standardise is not None or self.statistic == "dsr":
            if self.statistic not in {"proportion", "crude_rate", "dsr"}:
                raise ValueError("only proportions and rates can be age-standardised")
            if self.denominator.scope == "area":
                raise ValueError("a population share cannot be age-standardised")
        return self

    @property
    def standardised(self) -> bool:
        """Whether age-standardised (DSR) rows are produced."""
        return self.statistic == "dsr" or self.standardise is not None
