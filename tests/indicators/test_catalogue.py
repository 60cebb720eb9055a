"""The shipped catalogue: coverage of the Westminster JSNA, programme rules, load errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from jsna.errors import InputError
from jsna.indicators import DOMAINS, load_catalogue

CATALOGUE = load_catalogue()


def test_at_least_thirty_indicators_in_every_domain() -> None:
    assert len(CATALOGUE) >= 30
    assert {i.domain for i in CATALOGUE} == set(DOMAINS)
    assert len({i.id for i in CATALOGUE}) == len(CATALOGUE)


@pytest.mark.parametrize(
    "condition",
    [
        "hypertension",
        "diabetes",
        "obesity",
        "chd",
        "stroke_tia",
        "copd",
        "ckd",
        "dementia",
        "depression",
        "smi",
    ],
)
def test_every_jsna_register_has_a_prevalence_indicator(condition: str) -> None:
    found = [
        i
        for i in CATALOGUE
        if i.numerator.table == "conditions" and i.numerator.condition == condition
    ]
    assert len(found) == 1


# QOF 2023/24 register ages: diabetes 17+; obesity, depression, CKD 18+; others all ages.
@pytest.mark.parametrize(
    ("indicator_id", "age_min"),
    [
        ("ltc_diabetes_prevalence", 17),
        ("ltc_obesity_prevalence", 18),
        ("ltc_depression_prevalence", 18),
        ("ltc_ckd_prevalence", 18),
        ("ltc_hypertension_prevalence", None),
        ("ltc_chd_prevalence", None),
        ("ltc_stroke_tia_prevalence", None),
        ("ltc_copd_prevalence", None),
        ("ltc_dementia_prevalence", None),
        ("ltc_smi_prevalence", None),
    ],
)
def test_qof_register_ages(indicator_id: str, age_min: int | None) -> None:
    cohort = CATALOGUE[indicator_id].denominator
    assert (cohort.age_min, cohort.age_max) == (age_min, None)


@pytest.mark.parametrize(
    ("indicator_id", "sex", "ages", "months"),
    [
        ("prev_flu_vaccination_65plus", None, (65, None), 7),
        ("prev_flu_vaccination_at_risk", None, (None, 64), 7),
        ("prev_cervical_screening_25_49", ["F"], (25, 49), 42),
        ("prev_cervical_screening_50_64", ["F"], (50, 64), 66),
        ("prev_breast_screening", ["F"], (53, 70), 36),
        ("prev_bowel_screening", None, (60, 74), 30),
        ("prev_nhs_health_check", None, (40, 74), 60),
    ],
)
def test_national_programme_eligibility(indicator_id, sex, ages, months) -> None:
    indicator = CATALOGUE[indicator_id]
    cohort = indicator.denominator
    assert cohort.sex == sex
    assert (cohort.age_min, cohort.age_max) == ages
    assert indicator.numerator.within_months == months
    assert cohort.eligible_for == indicator.numerator.event


def test_health_check_and_at_risk_groups() -> None:
    check = CATALOGUE["prev_nhs_health_check"].denominator
    assert {"chd", "stroke_tia", "diabetes", "ckd", "hypertension"} <= set(check.with_none)
    at_risk = CATALOGUE["prev_flu_vaccination_at_risk"].denominator
    assert {"chd", "copd", "diabetes", "ckd"} <= set(at_risk.with_any)


def test_mortality_and_life_expectancy_entries() -> None:
    for indicator_id in [
        "mort_all_cause",
        "mort_u75_all_cause",
        "mort_u75_circulatory",
        "mort_u75_copd",
        "mort_u75_dementia",
    ]:
        indicator = CATALOGUE[indicator_id]
        assert indicator.standardised and indicator.multiplier == 100_000
    assert CATALOGUE["mort_u75_circulatory"].numerator.causes == ["circulatory"]
    for stat, short in [("life_expectancy", "le"), ("healthy_life_expectancy", "hle")]:
        for age, tag in [(0, "birth"), (65, "65")]:
            for sex, word in [("M", "male"), ("F", "female")]:
                indicator = CATALOGUE[f"{short}_{tag}_{word}"]
                assert (indicator.statistic, indicator.le_age) == (stat, age)
                assert indicator.denominator.sex == [sex]
                assert {"ward", "imd_quintile", "global_majority"} <= set(indicator.strata)
    healthy = CATALOGUE["hle_birth_male"].healthy
    assert (healthy.column, healthy.values) == ("general_health", ["very_good", "good"])


def test_wider_determinants_and_data_quality() -> None:
    expected = {
        "wd_limiting_long_term_condition": ("disability", ["limited_a_lot", "limited_a_little"]),
        "wd_bad_health": ("general_health", ["bad", "very_bad"]),
        "wd_social_renting": ("tenure", ["social_rented"]),
        "wd_economic_inactivity": ("economic_activity", ["inactive"]),
    }
    for indicator_id, (column, values) in expected.items():
        numerator = CATALOGUE[indicator_id].numerator
        assert (numerator.column, numerator.values) == (column, values)
    completeness = CATALOGUE["dq_ethnicity_recorded"].numerator
    assert (completeness.column, completeness.exclude) == ("ethnicity_19", ["Not stated"])


# ---- load-time errors ----------------------------------------------------------------

GOOD = {
    "id": "test_indicator",
    "name": "A test",
    "domain": "long-term conditions",
    "period": "snapshot",
    "statistic": "proportion",
    "multiplier": 100,
    "polarity": "no_judgement",
    "numerator": {"table": "conditions", "condition": "diabetes"},
    "denominator": {"table": "people", "age_min": 17},
    "source": "test",
    "caveats": "test",
}


def _write(tmp_path: Path, entry: dict) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump({"indicators": [entry]}), encoding="utf-8")
    return path


def test_a_good_entry_loads(tmp_path: Path) -> None:
    catalogue = load_catalogue([_write(tmp_path, GOOD)])
    assert [i.id for i in catalogue] == ["test_indicator"]


@pytest.mark.parametrize(
    ("change", "field", "value"),
    [
        (
            {"numerator": {"table": "prescriptions", "condition": "x"}},
            "numerator.table",
            "prescriptions",
        ),
        (
            {"numerator": {"table": "people", "column": "postcode", "values": ["x"]}},
            "numerator.column",
            "postcode",
        ),
        (
            {"denominator": {"table": "people", "recorded": ["shoe_size"]}},
            "denominator.recorded",
            ["shoe_size"],
        ),
        ({"statistic": "median"}, "statistic", "median"),
        (
            {"numerator": {"table": "conditions", "condition": "diabetis"}},
            "numerator.condition",
            "diabetis",
        ),
        (
            {"numerator": {"table": "events", "event": "flu_vaccination"}},
            "numerator.within_months",
            None,
        ),
        ({"domain": "health"}, "domain", "health"),
        ({"colour": "red"}, "colour", "red"),
    ],
)
def test_bad_entries_fail_at_load_naming_file_indicator_and_field(
    tmp_path: Path, change: dict, field: str, value: object
) -> None:
    path = _write(tmp_path, {**GOOD, **change})
    with pytest.raises(InputError) as caught:
        load_catalogue([path])
    message = str(caught.value)
    assert str(path) in message
    assert "indicator 'test_indicator'" in message
    assert f"field '{field}'" in message
    assert caught.value.value == value


def test_inconsistent_entries_fail(tmp_path: Path) -> None:
    deaths_as_proportion = {**GOOD, "numerator": {"table": "deaths"}}
    with pytest.raises(InputError, match="cannot count deaths"):
        load_catalogue([_write(tmp_path, deaths_as_proportion)])
    life_without_age = {
        **GOOD,
        "period": "mortality_window",
        "statistic": "life_expectancy",
        "numerator": {"table": "deaths"},
        "denominator": {"table": "people"},
    }
    with pytest.raises(InputError, match="needs le_age"):
        load_catalogue([_write(tmp_path, life_without_age)])


def test_duplicate_ids_and_bad_files(tmp_path: Path) -> None:
    first = _write(tmp_path, GOOD)
    second = tmp_path / "again.yaml"
    second.write_text(first.read_text(), encoding="utf-8")
    with pytest.raises(InputError, match="defined twice"):
        load_catalogue([first, second])
    broken = tmp_path / "broken.yaml"
    broken.write_text("indicators: [\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid YAML"):
        load_catalogue([broken])
    with pytest.raises(InputError, match="no such indicator"):
        CATALOGUE.select(["not_an_indicator"])
