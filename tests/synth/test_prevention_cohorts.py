"""Prevention events land in exactly the cohorts the indicator catalogue counts.

The cohorts (age at period end, sex, conditions on the registers, the
"within N months" window) are read from the catalogue's own
``prevention.yaml`` as plain YAML and applied with pandas, written from
docs/data-model.md and the catalogue text rather than from jsna.synth or
jsna.engine: an event counts when its date is after the same day N calendar
months before period end and on or before period end, and a person with an
event row marked ``eligible = false`` leaves that programme's denominator.
Expected uptakes come from the calibration file and each person's true group.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd
import pytest
import yaml

from jsna.synth import load_calibration

from ._independent import PERIOD_END, snapshot

CAL = load_calibration().raw
CATALOGUE = {
    entry["id"]: entry
    for entry in yaml.safe_load(
        resources.files("jsna").joinpath("catalogue", "prevention.yaml").read_text("utf-8")
    )["indicators"]
}
WHITE = {"White British", "White Irish", "White Gypsy or Irish Traveller", "Roma", "White other"}


@pytest.fixture(scope="module")
def living(westminster):
    people = westminster.people.merge(
        westminster.truth[["person_id", "ethnicity_19"]], on="person_id", validate="one_to_one"
    )
    out = snapshot(people).set_index("person_id")
    registers = westminster.conditions
    on_register = registers[pd.to_datetime(registers["diagnosis_date"]) <= PERIOD_END]
    for condition, ids in on_register.groupby("condition")["person_id"]:
        out[condition] = out.index.isin(ids)
    return out


@pytest.fixture(scope="module")
def events(westminster):
    out = westminster.events.copy()
    out["date"] = pd.to_datetime(out["date"])
    return out


def _cohort(living: pd.DataFrame, denominator: dict) -> pd.Series:
    """Who the catalogue's denominator takes, before the eligible flag."""
    inside = pd.Series(True, index=living.index)
    if "age_min" in denominator:
        inside &= living["age"] >= denominator["age_min"]
    if "age_max" in denominator:
        inside &= living["age"] <= denominator["age_max"]
    if "sex" in denominator:
        inside &= living["sex"].isin(denominator["sex"])
    if "with_any" in denominator:
        inside &= living[denominator["with_any"]].any(axis=1)
    for condition in denominator.get("with_none", []):
        inside &= ~living[condition]
    return inside


def _counted(events: pd.DataFrame, numerator: dict) -> pd.Series:
    """Event rows the catalogue's numerator counts (right event, eligible, in the window)."""
    after = PERIOD_END - pd.DateOffset(months=numerator["within_months"])
    return (
        (events["event"] == numerator["event"])
        & events["eligible"]
        & (events["date"] > after)
        & (events["date"] <= PERIOD_END)
    )


def _coverage(living: pd.DataFrame, events: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """The indicator's denominator people, with ``done`` = counted in its numerator."""
    entry = CATALOGUE[indicator]
    event = entry["numerator"]["event"]
    ceased = events.loc[(events["event"] == event) & ~events["eligible"], "person_id"]
    cohort = living[_cohort(living, entry["denominator"]) & ~living.index.isin(ceased)].copy()
    done = events.loc[_counted(events, entry["numerator"]), "person_id"]
    cohort["done"] = cohort.index.isin(done)
    return cohort


def test_every_event_is_in_a_catalogue_cohort_and_window(living, events):
    covered = pd.Series(False, index=events.index)
    in_cohort = pd.Series(False, index=events.index)
    for entry in CATALOGUE.values():
        cohort = living.index[_cohort(living, entry["denominator"])]
        mine = (events["event"] == entry["numerator"]["event"]) & events["person_id"].isin(cohort)
        in_cohort |= mine
        covered |= mine & _counted(events, entry["numerator"])
    # every vaccination, screen and check is counted by some indicator; nothing is drawn
    # for the dead, outside a programme's ages and sex, or outside the counted window
    assert covered[events["eligible"]].all()
    # "ceased from recall" rows belong to people the programme would otherwise count
    assert in_cohort[~events["eligible"]].all()
    assert set(events["event"]) == {e["numerator"]["event"] for e in CATALOGUE.values()}


@pytest.mark.parametrize("indicator", sorted(CATALOGUE))
def test_every_prevention_indicator_has_plausible_uptake(living, events, indicator):
    # No programme reads 0% or 100%: England 2023/24 coverage runs from about 24% (NHS
    # Health Check, 5-year cumulative) to 78% (flu 65+, UKHSA); London lower still.
    cohort = _coverage(living, events, indicator)
    assert len(cohort) > 10_000
    assert 0.20 < cohort["done"].mean() < 0.70


def test_flu_at_risk_uptake_and_its_ethnic_gap(living, events):
    flu = CAL["prevention"]["flu_vaccination"]
    uptake_65 = pd.Series(flu["uptake"])
    factor = flu["at_risk_factor"]
    cohort = _coverage(living, events, "prev_flu_vaccination_at_risk")

    # the borough: below England's 41.4% (UKHSA 2023/24), as London's ~33% is
    expected = (uptake_65[cohort["ethnicity_19"]].to_numpy() * factor).mean()
    observed = cohort["done"].mean()
    se = np.sqrt(expected * (1 - expected) / len(cohort))
    assert observed == pytest.approx(expected, abs=4 * se)
    assert 0.25 < observed < 0.414

    # each large group at its 65+ uptake times the factor
    for group in ("White British", "White other", "Black African", "Arab"):
        mine = cohort.loc[cohort["ethnicity_19"] == group, "done"]
        target = uptake_65[group] * factor
        assert mine.mean() == pytest.approx(
            target, abs=4 * np.sqrt(target * (1 - target) / len(mine))
        )

    # the gap: Global Majority residents at risk are vaccinated less than White British
    # ones, by the same relative gap as at 65+ (the JSNA's ~45% vs ~70%)
    british = cohort.loc[cohort["ethnicity_19"] == "White British", "done"]
    majority = cohort[~cohort["ethnicity_19"].isin(WHITE)]
    expected_ratio = uptake_65[majority["ethnicity_19"]].mean() / uptake_65["White British"]
    ratio = majority["done"].mean() / british.mean()
    log_se = np.sqrt(
        (1 - majority["done"].mean()) / majority["done"].sum()
        + (1 - british.mean()) / british.sum()
    )
    assert abs(np.log(ratio / expected_ratio)) < 4 * log_se
    assert ratio < 0.9
    mixed = cohort.loc[cohort["ethnicity_19"].str.startswith("Mixed"), "done"]
    assert mixed.mean() / british.mean() == pytest.approx(0.45 / 0.70, rel=0.2)


def test_nobody_outside_the_flu_cohorts_is_vaccinated(living, events):
    vaccinated = events.loc[events["event"] == "flu_vaccination", "person_id"]
    old = _cohort(living, CATALOGUE["prev_flu_vaccination_65plus"]["denominator"])
    at_risk = _cohort(living, CATALOGUE["prev_flu_vaccination_at_risk"]["denominator"])
    assert not living.index[~old & ~at_risk].isin(vaccinated).any()
    assert living.index[at_risk].isin(vaccinated).mean() > 0.25
