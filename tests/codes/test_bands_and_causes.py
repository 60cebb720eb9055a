"""Age bands, sex labels and ICD-10 cause groups."""

from __future__ import annotations

import numpy as np
import pytest

from jsna.codes import age, causes, sex
from jsna.errors import InputError


def test_band_labels():
    assert len(age.ESP_BANDS) == 19
    assert age.ESP_BANDS[0] == "0-4" and age.ESP_BANDS[-2] == "85-89" and age.ESP_BANDS[-1] == "90+"
    assert len(age.LIFE_TABLE_BANDS) == 20
    assert age.LIFE_TABLE_BANDS[:3] == ("0", "1-4", "5-9") and age.LIFE_TABLE_BANDS[-1] == "90+"


def test_banding_every_age_against_a_hand_rule():
    ages = np.arange(0, 121)
    esp = age.esp_band(ages)
    life = age.life_table_band(ages)
    for a, e, lt in zip(ages, esp, life, strict=True):
        lo = min(a // 5 * 5, 90)
        assert e == ("90+" if lo == 90 else f"{lo}-{lo + 4}")
        if a == 0:
            assert lt == "0"
        elif a < 5:
            assert lt == "1-4"
        else:
            assert lt == e


def test_bad_age_names_row():
    with pytest.raises(InputError) as caught:
        age.esp_band([3, 40, -1])
    assert (caught.value.row, caught.value.value) == (3, -1)
    with pytest.raises(InputError):
        age.life_table_band([121])
    with pytest.raises(InputError):
        age.esp_band([4.5])


def test_age_in_years_birthdays():
    born = np.array(["2000-03-31", "2000-04-01", "2004-02-29", "1934-03-30"], dtype="datetime64[D]")
    assert age.age_in_years(born, np.datetime64("2024-03-31")).tolist() == [24, 23, 20, 90]
    leap = np.array(["2004-02-29"], dtype="datetime64[D]")
    assert age.age_in_years(leap, np.datetime64("2023-02-28")).tolist() == [18]
    assert age.age_in_years(leap, np.datetime64("2023-03-01")).tolist() == [19]


def test_sex_labels():
    assert sex.to_sex_label(["F", "M", "U", "f", ""]).tolist() == [
        "Female",
        "Male",
        "Not known",
        "Female",
        "Not known",
    ]
    with pytest.raises(InputError) as caught:
        sex.to_sex_label(["F", "X"], file="people.csv")
    assert (caught.value.file, caught.value.row, caught.value.value) == ("people.csv", 2, "X")


@pytest.mark.parametrize(
    ("code", "group"),
    [
        ("I00", "circulatory"),
        ("I99.9", "circulatory"),
        ("I219", "circulatory"),
        ("C00", "cancer"),
        ("C97", "cancer"),
        ("D05.1", "other"),  # in-situ neoplasm: not C00-C97
        ("J40", "copd"),
        ("J44.9", "copd"),
        ("J45", "other_respiratory"),
        ("J18.9", "other_respiratory"),
        ("F01.9", "dementia"),
        ("F03", "dementia"),
        ("F04", "other"),
        ("G30.9", "dementia"),
        ("G31.0", "other"),
        ("V01", "external"),
        ("X59", "external"),
        ("Y98", "external"),
        ("Y99", "other"),
        ("E11.9", "other"),
        ("u07.1", "other"),
        ("dementia", "dementia"),
        ("external", "external"),
    ],
)
def test_cause_groups(code, group):
    assert causes.to_cause_group([code]).tolist() == [group]


def test_bad_cause_names_row_and_value():
    with pytest.raises(InputError) as caught:
        causes.to_cause_group(["I21", "heart attack"], file="deaths.csv")
    error = caught.value
    assert (error.file, error.column, error.row, error.value) == (
        "deaths.csv",
        "underlying_cause",
        2,
        "heart attack",
    )
    with pytest.raises(InputError):
        causes.to_cause_group([""])
