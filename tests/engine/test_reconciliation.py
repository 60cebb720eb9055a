"""Counts reconcile: strata sum to the ``all`` row, and ``all`` equals a direct count.

The direct count is an independent pandas evaluation of each catalogue
definition over the raw record frames (written here from the rules in
docs/data-model.md and docs/catalogue.md, sharing no code with the engine
beyond the code lists of :mod:`jsna.codes`).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from engine.population import SNAPSHOT, random_population
from jsna.codes import causes, deprivation, ethnicity, geography
from jsna.config import load_config
from jsna.engine import backends
from jsna.engine.build import count_all_cells
from jsna.engine.margins import stratum_counts
from jsna.engine.measures import plan_measures
from jsna.indicators import Indicator, load_catalogue

WINDOW = (date(2019, 4, 1), date(2024, 3, 31))
STRATA = [
    "ethnicity_19",
    "ethnicity_5",
    "global_majority",
    "ward",
    "imd_quintile",
    "sex",
    "age_band",
    "main_language",
    "ethnicity_5×imd_quintile",
    "ethnicity_5×sex",
    "global_majority×ward",
]


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory, make_data) -> tuple[dict, object]:
    tables = random_population(3000, seed=7)
    folder = make_data(tmp_path_factory.mktemp("random") / "data", tables)
    return tables, folder


@pytest.fixture(scope="module")
def engine_counts(raw) -> tuple[dict[str, pd.DataFrame], object]:
    _, folder = raw
    config = load_config()
    plan = plan_measures(load_catalogue())
    con = backends.connect(config.backend)
    tables, _ = backends.read_tables(con, folder)
    cells = count_all_cells(tables, plan, config)
    measures = list(plan.measures)
    return {s: stratum_counts(cells, s, measures) for s in ["all", *STRATA]}, plan


def test_every_stratum_sums_to_all(engine_counts) -> None:
    counts, plan = engine_counts
    measures = list(plan.measures)
    total = counts["all"][measures].sum()
    assert total.sum() > 0
    for stratum in STRATA:
        frame = counts[stratum]
        pd.testing.assert_series_equal(frame[measures].sum(), total, check_names=False)
        # "Not stated"/"Unknown"/"Not recorded"/"Not known" are categories like any other.
        assert frame["category"].notna().all()


def test_not_stated_groups_are_reported(engine_counts) -> None:
    counts, _ = engine_counts
    assert "Not stated" in set(counts["ethnicity_19"]["category"])
    assert "Unknown" in set(counts["ward"]["category"])
    assert "Unknown" in set(counts["imd_quintile"]["category"])
    assert "Not recorded" in set(counts["main_language"]["category"])
    assert "Not known" in set(counts["sex"]["category"])


# ---- the independent direct count -------------------------------------------------


def _whole_years(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _age_on(person: dict, on: date) -> int:
    born = person["date_of_birth"]
    if not isinstance(born, date):
        # An age without a birth date: the reader's nominal birth date, mid-way
        # through the year of age (jsna.sources.records: snapshot - age years - 182 days).
        born = SNAPSHOT.replace(year=SNAPSHOT.year - int(person["age"])) - timedelta(days=182)
    return _whole_years(born, on)


def _months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, last)
        except ValueError:
            continue
    raise AssertionError


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


class Direct:
    """The catalogue's rules evaluated person by person in plain Python."""

    def __init__(self, tables: dict[str, pd.DataFrame]) -> None:
        people = tables["people"]
        derived = {
            "ethnicity_19": ethnicity.to_ethnicity_19(people["ethnicity_code"]),
            "ward": geography.to_ward_name(people["lsoa21"]),
            "imd_quintile": deprivation.to_imd_quintile(people["lsoa21"]),
            "main_language": people["main_language"].replace("", "Not recorded").to_numpy(),
        }
        derived["ethnicity_5"] = ethnicity.to_ethnicity_5(derived["ethnicity_19"])
        derived["global_majority"] = ethnicity.to_global_majority(derived["ethnicity_19"])
        records = people.to_dict("records")
        for i, record in enumerate(records):
            record.update({name: values[i] for name, values in derived.items()})
        self.people = {r["person_id"]: r for r in records}
        self.registers: dict[str, set[str]] = {}
        for pid, condition, diagnosed in tables["conditions"].itertuples(index=False):
            if diagnosed <= SNAPSHOT:
                self.registers.setdefault(pid, set()).add(condition)
        self.events: dict[tuple[str, str], list[tuple[date, object]]] = {}
        for pid, event, when, eligible in tables["events"].itertuples(index=False):
            self.events.setdefault((pid, event), []).append((when, eligible))
        deaths = tables["deaths"]
        groups = causes.to_cause_group(deaths["underlying_cause"])
        self.death = dict(zip(deaths["person_id"], deaths["date_of_death"], strict=True))
        self.cause = dict(zip(deaths["person_id"], groups, strict=True))

    def registered(self, p: dict) -> bool:
        end, died = p["registration_end"], self.death.get(p["person_id"])
        return (
            p["registration_start"] <= SNAPSHOT
            and (_missing(end) or end > SNAPSHOT)
            and not (died is not None and died <= SNAPSHOT)
        )

    def in_cohort(self, p: dict, indicator: Indicator, age: int) -> bool:
        cohort = indicator.denominator
        on = self.registers.get(p["person_id"], set())
        if cohort.age_min is not None and age < cohort.age_min:
            return False
        if cohort.age_max is not None and age > cohort.age_max:
            return False
        if cohort.sex is not None and p["sex"] not in cohort.sex:
            return False
        if cohort.with_any and not on.intersection(cohort.with_any):
            return False
        if on.intersection(cohort.with_none):
            return False
        if any(_missing(p[c]) or p[c] == "" for c in cohort.recorded):
            return False
        if cohort.eligible_for:
            rows = self.events.get((p["person_id"], cohort.eligible_for), [])
            if any(eligible is False for _, eligible in rows):
                return False
        return True

    def counted(self, p: dict, indicator: Indicator) -> bool:
        count = indicator.numerator
        if count.table == "conditions":
            return count.condition in self.registers.get(p["person_id"], set())
        if count.table == "events":
            start = _months_before(SNAPSHOT, count.within_months)
            rows = self.events.get((p["person_id"], count.event), [])
            return any(
                start < when <= SNAPSHOT and eligible is not False for when, eligible in rows
            )
        if count.column is None:
            return True
        value = p[count.column]
        if _missing(value):
            return False
        return value in count.values if count.values is not None else value not in count.exclude

    def snapshot(self, indicator: Indicator) -> tuple[int, int]:
        numerator = denominator = 0
        for p in self.people.values():
            if self.registered(p) and self.in_cohort(p, indicator, _age_on(p, SNAPSHOT)):
                denominator += 1
                numerator += self.counted(p, indicator)
        return numerator, denominator

    def mortality(self, indicator: Indicator) -> tuple[int, float]:
        deaths, years = 0, 0.0
        for pid, p in self.people.items():
            died = self.death.get(pid)
            end = WINDOW[1] if _missing(p["registration_end"]) else p["registration_end"]
            start = max(p["registration_start"], WINDOW[0])
            stop = min(end, died or WINDOW[1], WINDOW[1])
            days = (stop - start).days
            if days > 0:
                middle = start + timedelta(days=days // 2)
                if self.in_cohort(p, indicator, _age_on(p, middle)):
                    years += days / 365.25
            if died is not None and WINDOW[0] <= died <= WINDOW[1]:
                wanted = indicator.numerator.causes
                if self.in_cohort(p, indicator, _age_on(p, died)) and (
                    wanted is None or self.cause[pid] in wanted
                ):
                    deaths += 1
        return deaths, years


@pytest.fixture(scope="module")
def direct(raw) -> Direct:
    tables, _ = raw
    return Direct(tables)


SNAPSHOT_IDS = [i.id for i in load_catalogue() if i.period == "snapshot"]
MORTALITY_IDS = [i.id for i in load_catalogue() if i.statistic in {"crude_rate", "dsr"}] + [
    "le_birth_male",
    "le_birth_female",
]


@pytest.mark.parametrize("indicator_id", SNAPSHOT_IDS)
def test_all_row_equals_direct_count_snapshot(indicator_id, engine_counts, direct) -> None:
    counts, plan = engine_counts
    indicator = load_catalogue()[indicator_id]
    roles = plan.roles[indicator_id]
    engine = tuple(int(counts["all"][roles[r]].sum()) for r in ("numerator", "denominator"))
    assert engine == direct.snapshot(indicator)


@pytest.mark.parametrize("indicator_id", MORTALITY_IDS)
def test_all_row_equals_direct_count_mortality(indicator_id, engine_counts, direct) -> None:
    counts, plan = engine_counts
    indicator = load_catalogue()[indicator_id]
    roles = plan.roles[indicator_id]
    deaths, years = direct.mortality(indicator)
    assert int(counts["all"][roles["deaths"]].sum()) == deaths
    assert counts["all"][roles["person_years"]].sum() == pytest.approx(years, rel=1e-9)
