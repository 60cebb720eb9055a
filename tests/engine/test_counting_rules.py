"""The counting rules of docs/data-model.md on a hand-made population of eight people.

Every expected number below is worked out by hand from the records (the
comments say how), not taken from the engine.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from jsna.engine.build import build_table

ABBEY_ROAD = "E01004646"  # Abbey Road, borough IMD quintile 4 (jsna/codes/data)
REGENTS_PARK = "E01004647"  # Regent's Park, quintile 3
OUTSIDE = "E01000001"  # City of London: not in the borough

PEOPLE = pd.DataFrame(
    [
        # p1: 63 at 31/3/2024 (birthday the next day); White British.
        ("p1", "F", "1960-04-01", None, "A", ABBEY_ROAD, "English", "2000-01-01", None),
        # p2: only an age (70); Black African; no LSOA.
        ("p2", "M", None, 70, "N", "", "Arabic", "2010-01-01", None),
        # p3: 34 on the snapshot day itself; ethnicity not recorded; LSOA outside.
        ("p3", "F", "1990-03-31", None, "", OUTSIDE, "", "2021-01-01", None),
        # p4: died 15/6/2022 on his 72nd birthday (I21.9, circulatory).
        ("p4", "M", "1950-06-15", None, "M", REGENTS_PARK, "English", "2000-01-01", "2022-06-15"),
        # p5: registers after the snapshot.
        ("p5", "F", "2000-01-01", None, "A", ABBEY_ROAD, "English", "2024-04-01", None),
        # p6: leaves on the snapshot day (registration must run past it).
        ("p6", "M", "1980-01-01", None, "A", ABBEY_ROAD, "English", "2000-01-01", "2024-03-31"),
        # p7: only an age (30); ethnicity Z (not stated); ceased from cervical recall.
        ("p7", "F", None, 30, "Z", REGENTS_PARK, "English", "2015-01-01", None),
        # p8: born 1/6/2023 (age 0), sex not known, Arab.
        ("p8", "U", "2023-06-01", None, "W", ABBEY_ROAD, "Arabic", "2023-06-01", None),
    ],
    columns=[
        "person_id",
        "sex",
        "date_of_birth",
        "age",
        "ethnicity_code",
        "lsoa21",
        "main_language",
        "registration_start",
        "registration_end",
    ],
)
CONDITIONS = pd.DataFrame(
    [
        ("p1", "hypertension", "2015-01-01"),
        ("p1", "diabetes", "2024-04-15"),  # after the snapshot: not on the register yet
        ("p2", "diabetes", "2020-01-01"),
    ],
    columns=["person_id", "condition", "diagnosis_date"],
)
EVENTS = pd.DataFrame(
    [
        ("p1", "flu_vaccination", "2023-09-01", True),  # first day of the 7-month window
        ("p2", "flu_vaccination", "2023-08-31", True),  # the day before it: not counted
        ("p3", "cervical_screening", "2021-01-01", None),  # inside 42 months (from 1/10/2020)
        ("p7", "cervical_screening", "2020-01-01", False),  # ceased: leaves the denominator
    ],
    columns=["person_id", "event", "date", "eligible"],
)
DEATHS = pd.DataFrame(
    [("p4", "2022-06-15", "I21.9")], columns=["person_id", "date_of_death", "underlying_cause"]
)

INDICATORS = [
    "pop_share",
    "ltc_hypertension_prevalence",
    "ltc_diabetes_prevalence",
    "prev_flu_vaccination_65plus",
    "prev_cervical_screening_25_49",
    "dq_ethnicity_recorded",
    "mort_all_cause",
    "mort_u75_circulatory",
    "mort_dementia_65plus",
]


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory, make_data, make_config) -> pd.DataFrame:
    folder = make_data(
        tmp_path_factory.mktemp("hand") / "data",
        {"people": PEOPLE, "conditions": CONDITIONS, "events": EVENTS, "deaths": DEATHS},
    )
    config = make_config(INDICATORS, dimensions=["sex", "ward", "age_band", "ethnicity_19"])
    out = build_table(config, folder).table
    return out[~out["age_standardised"]]


def counts(table: pd.DataFrame, indicator: str, dimension: str = "all") -> dict:
    rows = table[(table["indicator_id"] == indicator) & (table["dimension"] == dimension)]
    return {
        c: (n, d)
        for c, n, d in zip(rows["category"], rows["numerator"], rows["denominator"], strict=True)
    }


def test_registered_population_at_the_snapshot(table: pd.DataFrame) -> None:
    # p1, p2, p3, p7, p8: p4 died, p5 starts later, p6's registration ends on the day.
    assert counts(table, "pop_share") == {"All": (5, 5)}
    assert counts(table, "pop_share", "sex") == {
        "Female": (3, 5),  # p1, p3, p7
        "Male": (1, 5),  # p2
        "Not known": (1, 5),  # p8
    }


def test_ages_from_birth_dates_and_from_age(table: pd.DataFrame) -> None:
    assert counts(table, "pop_share", "age_band") == {
        "0-4": (1, 5),  # p8
        "30-34": (2, 5),  # p3 (34 on the day), p7 (30)
        "60-64": (1, 5),  # p1: still 63
        "70-74": (1, 5),  # p2
    }


def test_wards_unknown_when_lsoa_empty_or_outside(table: pd.DataFrame) -> None:
    assert counts(table, "pop_share", "ward") == {
        "Abbey Road": (2, 5),  # p1, p8
        "Regent's Park": (1, 5),  # p7
        "Unknown": (2, 5),  # p2 (empty), p3 (outside)
    }


def test_registers_use_diagnoses_up_to_the_snapshot_and_age_rules(table: pd.DataFrame) -> None:
    assert counts(table, "ltc_hypertension_prevalence") == {"All": (1, 5)}
    # Diabetes register is 17+: p1, p2, p3, p7; only p2 diagnosed by the snapshot.
    assert counts(table, "ltc_diabetes_prevalence") == {"All": (1, 4)}


def test_event_windows_and_eligibility(table: pd.DataFrame) -> None:
    # Flu 65+: only p2 is 65+, and his vaccination falls a day before the window.
    assert counts(table, "prev_flu_vaccination_65plus") == {"All": (0, 1)}
    # Cervical 25-49: p3 and p7, but p7 is recorded as not eligible.
    assert counts(table, "prev_cervical_screening_25_49") == {"All": (1, 1)}


def test_ethnicity_not_stated_is_kept(table: pd.DataFrame) -> None:
    assert counts(table, "dq_ethnicity_recorded") == {"All": (3, 5)}  # p1 A, p2 N, p8 W
    assert counts(table, "pop_share", "ethnicity_19") == {
        "Black African": (1, 5),
        "White British": (1, 5),
        "Arab": (1, 5),
        "Not stated": (2, 5),  # p3 empty, p7 Z
    }


def _days(start: str, end: str) -> int:
    return (date.fromisoformat(end) - date.fromisoformat(start)).days


def test_deaths_and_person_years(table: pd.DataFrame) -> None:
    window = ("2019-04-01", "2024-03-31")
    years = (
        _days(*window)  # p1
        + _days(*window)  # p2
        + _days("2021-01-01", window[1])  # p3
        + _days(window[0], "2022-06-15")  # p4, to death
        + _days(*window)  # p6, to the end of registration (= window end)
        + _days(*window)  # p7
        + _days("2023-06-01", window[1])  # p8
    ) / 365.25  # p5 has none
    deaths, person_years = counts(table, "mort_all_cause")["All"]
    assert deaths == 1
    assert person_years == pytest.approx(years, rel=1e-12)
    # Everyone is under 75 at the middle of their time at risk; p4 died at 72.
    deaths, person_years = counts(table, "mort_u75_circulatory")["All"]
    assert (deaths, person_years) == (1, pytest.approx(years, rel=1e-12))
    # 65+ at the middle of the time at risk: p2 (70 at the snapshot, so 68 on
    # 30/9/2021) and p4 (70 on 6/11/2020); nobody died of dementia.
    deaths, person_years = counts(table, "mort_dementia_65plus")["All"]
    assert deaths == 0
    assert person_years == pytest.approx(
        (_days(*window) + _days(window[0], "2022-06-15")) / 365.25, rel=1e-12
    )
    # p4's death is counted in his own groups: age at death 72, Black Caribbean.
    assert counts(table, "mort_all_cause", "age_band")["70-74"][0] == 1
    assert counts(table, "mort_all_cause", "ethnicity_19")["Black Caribbean"][0] == 1
