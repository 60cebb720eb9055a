"""The build configuration: the shipped default, and errors naming file and field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from jsna.config import default_config_path, load_config
from jsna.errors import InputError


def test_default_config() -> None:
    config = load_config()
    assert (config.area.code, config.area.name) == ("E09000033", "Westminster")
    assert config.snapshot.end == date(2024, 3, 31)
    assert (config.mortality_window.start, config.mortality_window.end) == (
        date(2019, 4, 1),
        date(2024, 3, 31),
    )
    assert config.indicator_ids is None
    assert {"ethnicity_5×imd_quintile", "ethnicity_5×sex", "global_majority×ward"} <= set(
        config.strata.intersections
    )
    assert config.reference_for("ethnicity_19") == "White British"
    assert config.reference_for("ethnicity_5") == "White"
    assert config.reference_for("global_majority") == "White"
    assert config.reference_for("imd_quintile") == "5 (least deprived)"
    assert config.reference_for("ward") == "All"
    assert config.backend.name == "duckdb"


def _edited(tmp_path: Path, **changes: object) -> Path:
    document = yaml.safe_load(default_config_path().read_text(encoding="utf-8"))
    document.update(changes)
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_a_config_selects_indicators_strata_reference_period(tmp_path: Path) -> None:
    path = _edited(
        tmp_path,
        indicators=["ltc_diabetes_prevalence"],
        strata={"dimensions": ["ethnicity_5"], "intersections": []},
        reference={"ethnicity_5": "Asian"},
        snapshot={"end": "2023-03-31", "label": "2022/23"},
    )
    config = load_config(path)
    assert config.indicator_ids == ["ltc_diabetes_prevalence"]
    assert config.strata.all == ["all", "ethnicity_5"]
    assert config.reference_for("ethnicity_5") == "Asian"
    assert config.snapshot.label == "2022/23"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"strata": {"dimensions": ["religion"]}}, "strata.dimensions"),
        (
            {"strata": {"dimensions": ["sex"], "intersections": ["sex+ward"]}},
            "strata.intersections",
        ),
        ({"backend": {"name": "oracle"}}, "backend.name"),
        ({"confidence": [0.9]}, "confidence"),
        (
            {"mortality_window": {"start": "2024-04-01", "end": "2019-03-31", "label": "x"}},
            "mortality_window",
        ),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_configs_name_file_and_field(tmp_path: Path, changes: dict, field: str) -> None:
    path = _edited(tmp_path, **changes)
    with pytest.raises(InputError) as caught:
        load_config(path)
    assert str(path) in str(caught.value)
    assert f"field '{field}" in str(caught.value)


def test_missing_reference_for_a_dimension(tmp_path: Path) -> None:
    path = _edited(tmp_path, reference={"ethnicity_19": "White British"})
    with pytest.raises(InputError, match="no reference group for dimension"):
        load_config(path)
