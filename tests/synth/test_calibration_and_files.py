"""The calibration file drives the data; bad values are named; files are marked synthetic."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from jsna.cli import app
from jsna.codes import ethnicity
from jsna.errors import InputError
from jsna.synth import generate, load_calibration, write_synthetic

PACKAGED = resources.files("jsna.synth").joinpath("calibration", "westminster.yaml")


def _edited(tmp_path: Path, edit) -> Path:
    data = yaml.safe_load(PACKAGED.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "edited.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_change_a_number_and_the_data_follow(tmp_path):
    def more_not_stated(data):
        data["recording"]["ethnicity_not_stated_share"] = 0.30
        data["recording"]["unknown_lsoa_share"] = 0.10

    cal = load_calibration(_edited(tmp_path, more_not_stated))
    people = generate(seed=5, scale=0.1, calibration=cal).people
    recorded = ethnicity.to_ethnicity_19(people["ethnicity_code"])
    n = len(people)
    assert (recorded == "Not stated").mean() == pytest.approx(0.30, abs=4 * np.sqrt(0.21 / n))
    assert (people["lsoa21"] == "").mean() == pytest.approx(0.10, abs=4 * np.sqrt(0.09 / n))


def test_flu_uptake_follows_the_file(tmp_path):
    def everyone_vaccinated(data):
        data["prevention"]["flu_vaccination"]["uptake"] = dict.fromkeys(
            data["census"]["ethnic_groups"], 1.0
        )
        data["prevention"]["flu_vaccination"]["at_risk_factor"] = 0.0

    data = generate(
        seed=5, scale=0.05, calibration=load_calibration(_edited(tmp_path, everyone_vaccinated))
    )
    born = pd.to_datetime(data.people["date_of_birth"])
    alive = data.people["registration_end"].isna()
    old = data.people.loc[alive & (born <= pd.Timestamp("1959-03-31")), "person_id"]
    flu = data.events.loc[data.events["event"] == "flu_vaccination", "person_id"]
    assert set(old) == set(flu)


@pytest.mark.parametrize(
    ("edit", "column", "value"),
    [
        (
            lambda d: d["social"]["social_rented"].update(arabic=1.5),
            "social.social_rented.arabic",
            1.5,
        ),
        (
            lambda d: d["recording"]["snomed_concepts"].update(Arab=["976931000000109"]),
            "recording.snomed_concepts.Arab",
            ["976931000000109"],
        ),
        (
            lambda d: d["conditions"]["diabetes"]["relative_rate"].update(Martian=2.0),
            "conditions.diabetes.relative_rate.Martian",
            "Martian",
        ),
        (
            lambda d: d["mortality"]["gompertz"]["M"].update(b="fast"),
            "mortality.gompertz.M.b",
            "fast",
        ),
        (
            lambda d: d["ward_age_shape"]["shares"].update(E05013797=[0.5, 0.5]),
            "ward_age_shape.shares.E05013797",
            [0.5, 0.5],
        ),
        (
            lambda d: d["population"].update(ward_survival_from_age=120),
            "population.ward_survival_from_age",
            120,
        ),
        (
            lambda d: d["prevention"]["cervical_screening"]["lookback_months"].update({50: 65.5}),
            "prevention.cervical_screening.lookback_months.50",
            65.5,
        ),
        (
            lambda d: d["prevention"]["bowel_screening"].update(lookback_months=0),
            "prevention.bowel_screening.lookback_months",
            0,
        ),
    ],
)
def test_bad_calibration_values_are_named(tmp_path, edit, column, value):
    path = _edited(tmp_path, edit)
    with pytest.raises(InputError) as caught:
        generate(seed=1, scale=0.01, calibration=load_calibration(path))
    assert caught.value.file == str(path)
    assert caught.value.column == column
    assert caught.value.value == value


def test_impossible_prevalence_is_refused_not_capped(tmp_path):
    # White British reference up to 0.38 * 1.1 at old ages; x 5 exceeds 1.
    path = _edited(
        tmp_path, lambda d: d["conditions"]["hypertension"]["relative_rate"].update(Arab=5.0)
    )
    with pytest.raises(InputError, match="prevalence of") as caught:
        generate(seed=1, scale=0.01, calibration=load_calibration(path))
    assert caught.value.column == "conditions.hypertension"


def test_unreadable_calibration(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        load_calibration(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("census: [unclosed", encoding="utf-8")
    with pytest.raises(InputError, match="not valid YAML"):
        load_calibration(bad)


def test_same_seed_same_records_other_seed_other_records():
    a = generate(seed=11, scale=0.01)
    b = generate(seed=11, scale=0.01)
    c = generate(seed=12, scale=0.01)
    for name in ("people", "conditions", "events", "deaths"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    assert not a.people["date_of_birth"].equals(c.people["date_of_birth"])


def test_scale_multiplies_the_census():
    people = generate(seed=3, scale=0.1).truth
    living = people[~people["deceased"]]
    assert len(living) == pytest.approx(20_425, abs=20)  # 204,247 × 0.1, rounded per cell
    with pytest.raises(InputError, match="scale"):
        generate(seed=3, scale=0)


def test_written_parquet_is_marked_and_chunked(tmp_path):
    rows = write_synthetic(tmp_path, seed=4, scale=0.05, chunk_size=4000)
    expected_living = int(np.rint(load_calibration().ward_ethnicity * 0.05).sum())
    for name in ("people", "conditions", "events", "deaths"):
        file = pq.ParquetFile(tmp_path / f"{name}.parquet")
        meta = file.schema_arrow.metadata
        assert meta[b"jsna.synthetic"] == b"true"
        assert meta[b"jsna.seed"] == b"4" and meta[b"jsna.scale"] == b"0.05"
        assert file.metadata.num_rows == rows[name]
    people = pq.read_table(tmp_path / "people.parquet").to_pandas()
    assert pq.ParquetFile(tmp_path / "people.parquet").metadata.num_row_groups == -(
        -expected_living // 4000
    )
    assert people["person_id"].is_unique
    numbers = people["person_id"].str[1:].astype(int)
    assert sorted(numbers) == list(range(1, len(people) + 1))
    assert (people["registration_end"].isna()).sum() == expected_living
    deaths = pq.read_table(tmp_path / "deaths.parquet").to_pandas()
    assert set(deaths["person_id"]) <= set(people["person_id"])


def test_same_seed_gives_byte_identical_files(tmp_path):
    write_synthetic(tmp_path / "a", seed=8, scale=0.01)
    write_synthetic(tmp_path / "b", seed=8, scale=0.01)
    for name in ("people", "conditions", "events", "deaths"):
        file = f"{name}.parquet"
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()


def test_cli_synth(tmp_path):
    result = CliRunner().invoke(
        app, ["synth", "--out", str(tmp_path), "--seed", "9", "--scale", "0.01"]
    )
    assert result.exit_code == 0, result.output
    assert "Synthetic Westminster" in result.output
    assert {p.name for p in tmp_path.iterdir()} == {
        "people.parquet",
        "conditions.parquet",
        "events.parquet",
        "deaths.parquet",
    }
