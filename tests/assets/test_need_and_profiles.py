"""Need against provision and service profiles on a constructed case worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from jsna.assets import Directory, need_vs_provision, service_profiles, write_openreferral
from jsna.cli import app
from jsna.errors import InputError

from .conftest import service, tidy_rows

HC = "prev_nhs_health_check"


@pytest.fixture()
def tidy() -> pd.DataFrame:
    frame = tidy_rows(
        [
            ("pop_share", "ward", "Church Street", 1000, 4000, "no_judgement"),
            ("pop_share", "ward", "Marylebone", 2000, 4000, "no_judgement"),
            ("pop_share", "ward", "Pimlico South", 1000, 4000, "no_judgement"),
            ("pop_share", "ethnicity_19", "Arab", 500, 4000, "no_judgement"),
            ("pop_share", "ethnicity_19", "White British", 3000, 4000, "no_judgement"),
            ("pop_share", "ethnicity_19", "Black African", 500, 4000, "no_judgement"),
            (HC, "ward", "Church Street", 100, 400, "higher_is_better"),
            (HC, "ward", "Marylebone", 300, 500, "higher_is_better"),
            (HC, "ward", "Pimlico South", 250, 300, "higher_is_better"),
            (HC, "ethnicity_19", "Arab", 50, 200, "higher_is_better"),
            (HC, "ethnicity_19", "White British", 400, 600, "higher_is_better"),
            (HC, "ethnicity_19", "Black African", 60, 100, "higher_is_better"),
        ]
    )
    frame["comparator"] = np.where(frame["dimension"] == "ethnicity_19", "White British", "")
    white = 100 * 400 / 600
    frame["difference_to_comparator"] = np.where(
        frame["dimension"] == "ethnicity_19", frame["value"] - white, np.nan
    )
    frame["ratio_to_comparator"] = np.where(
        frame["dimension"] == "ethnicity_19", frame["value"] / white, np.nan
    )
    frame["significance"] = ["", "", "", "", "", "", "", "", "", "Lower", "", "Similar"]
    return frame


@pytest.fixture()
def directory() -> Directory:
    return Directory(
        [
            service("s1", "Marylebone", ["health_checks"], ["All residents"],
                    languages=["English", "Arabic"]),
            service("s2", "Marylebone", ["health_checks"], ["Arab"], languages=["Arabic"]),
            service("s3", "Pimlico South", ["health_checks", "vaccination"], ["All residents"]),
            service("s4", "Church Street", ["vaccination"], ["Arab"]),
        ],
        source="constructed.json",
    )  # fmt: skip


def test_wards_rank_by_people_in_need_per_service(tidy, directory) -> None:
    table = need_vs_provision(tidy, directory)
    wards = table[(table["indicator_id"] == HC) & (table["dimension"] == "ward")]
    wards = wards.set_index("category")
    # people in need = eligible not reached: 300, 200, 50; sites of the type: 0, 2, 1
    assert wards["people_in_need"].to_dict() == {
        "Church Street": 300, "Marylebone": 200, "Pimlico South": 50,
    }  # fmt: skip
    assert wards["services"].to_dict() == {"Church Street": 0, "Marylebone": 2, "Pimlico South": 1}
    assert wards["need_per_1000"].to_dict() == {
        "Church Street": 300, "Marylebone": 100, "Pimlico South": 50,
    }  # fmt: skip
    assert wards["services_per_10000"].to_dict() == {
        "Church Street": 0, "Marylebone": 10, "Pimlico South": 10,
    }  # fmt: skip
    assert math.isinf(wards.loc["Church Street", "people_in_need_per_service"])
    assert wards["rank"].to_dict() == {"Church Street": 1, "Marylebone": 2, "Pimlico South": 3}
    # medians: need 100, provision 10 per 10,000
    assert wards["high_need_thin_provision"].to_dict() == {
        "Church Street": True, "Marylebone": True, "Pimlico South": False,
    }  # fmt: skip


def test_groups_get_targeted_services_plus_their_share_of_open_ones(tidy, directory) -> None:
    table = need_vs_provision(tidy, directory)
    groups = table[(table["indicator_id"] == HC) & (table["dimension"] == "ethnicity_19")]
    groups = groups.set_index("category")
    # two open services (s1, s3) shared by population: Arab 500/4000, White British 3000/4000
    expected_services = {"Arab": 1 + 2 * 500 / 4000, "White British": 2 * 3000 / 4000,
                         "Black African": 2 * 500 / 4000}  # fmt: skip
    for group, value in expected_services.items():
        assert groups.loc[group, "services"] == pytest.approx(value)
    assert groups.loc["Arab", "targeted_services"] == 1  # s4 is vaccination, not counted
    per_service = {"Arab": 150 / 1.25, "White British": 200 / 1.5, "Black African": 40 / 0.25}
    for group, value in per_service.items():
        assert groups.loc[group, "people_in_need_per_service"] == pytest.approx(value)
    assert groups["rank"].to_dict() == {"Black African": 1, "White British": 2, "Arab": 3}
    # medians: need per 1,000 = 80 (300, 66.7, 80); provision per 10,000 = 5 (25, 5, 5)
    assert groups["high_need_thin_provision"].to_dict() == {
        "Arab": False, "White British": False, "Black African": True,
    }  # fmt: skip


def test_population_rows_are_required(tidy, directory) -> None:
    with pytest.raises(InputError, match="pop_share"):
        need_vs_provision(tidy[tidy["indicator_id"] != "pop_share"], directory)


def test_health_check_profile(tidy, directory) -> None:
    comments = pd.DataFrame(
        {"id": ["1", "2", "3"],
         "text": ["Do the health checks at the mosque", "The bus is late", "My health check"]}
    )  # fmt: skip
    codes = pd.DataFrame(
        {"id": ["1", "1", "2", "3"],
         "theme": ["ask_community_led", "trust", "practical_barriers", "trust"],
         "score": [1.0] * 4}
    )  # fmt: skip
    profiles = {p.code: p for p in service_profiles(tidy, directory, comments, codes)}
    profile = profiles["health_checks"]
    assert profile.sites == 3
    assert profile.languages == ("Arabic", "English")
    availability = profile.availability.set_index("ward")
    assert availability.loc["Marylebone", "sites"] == 2
    assert availability.loc["Marylebone", "sites_per_10000"] == 10  # 2 / 2,000 residents
    assert "Church Street" in profile.wards_without_site
    assert len(profile.wards_without_site) == 16
    access = profile.access.set_index("group")
    assert access.loc["Arab", "value"] == 25.0
    assert access.loc["Arab", "difference"] == pytest.approx(25 - 100 * 400 / 600)
    # comments 1 and 3 mention health checks; 2 does not
    assert profile.comments_mentioning == 2
    assert profile.voice.values.tolist() == [["trust", 2], ["ask_community_led", 1]]
    assert profile.completion.empty
    assert profiles["vaccination"].sites == 2  # s3 and s4


def test_cli_need(tmp_path, tidy, directory) -> None:
    tidy_path = tmp_path / "indicators.parquet"
    tidy.to_parquet(tidy_path)
    dir_path = write_openreferral(directory, tmp_path / "dir.json")
    out = tmp_path / "need.csv"
    result = CliRunner().invoke(app, ["assets", "need", str(tidy_path), str(dir_path),
                                      "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    written = pd.read_csv(out)
    assert len(written) == 6 and written["high_need_thin_provision"].sum() == 3
