"""`jsna build`: files written, tidy columns, determinism, synthetic flag, bad codes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import ibis
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from engine.population import CAUSES, random_population
from jsna.cli import app
from jsna.config import default_config_path
from jsna.engine.build import build_table
from jsna.engine.cells import count_cells
from jsna.engine.measures import plan_measures
from jsna.engine.persons import cause_lookup, person_table
from jsna.errors import InputError
from jsna.indicators import load_catalogue

# docs/tidy-table.md, in its order.
TIDY = [
    "indicator_id", "indicator_name", "domain", "period", "area_code", "area_name",
    "area_type", "dimension", "category", "numerator", "denominator", "value", "lower_95",
    "upper_95", "lower_998", "upper_998", "value_type", "multiplier", "age_standardised",
    "method", "polarity", "comparator", "ratio_to_comparator", "ratio_lower_95",
    "ratio_upper_95", "difference_to_comparator", "difference_lower_95",
    "difference_upper_95", "p_value", "q_value", "significance", "suppressed", "note",
    "synthetic",
]  # fmt: skip
INDICATORS = ["ltc_diabetes_prevalence", "mort_u75_all_cause", "le_birth_female"]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory, make_data) -> Path:
    return make_data(tmp_path_factory.mktemp("cli") / "data", random_population(2500, seed=11))


@pytest.fixture(scope="module")
def config_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    document = yaml.safe_load(default_config_path().read_text(encoding="utf-8"))
    document["indicators"] = INDICATORS
    path = tmp_path_factory.mktemp("config") / "build.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def _build(config_file: Path, data: Path, out: Path) -> str:
    result = CliRunner().invoke(
        app, ["build", str(config_file), "--data", str(data), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_build_writes_published_and_restricted_tables(
    tmp_path: Path, data: Path, config_file: Path
) -> None:
    output = _build(config_file, data, tmp_path / "out")
    assert "3 indicators" in output
    published = pd.read_parquet(tmp_path / "out" / "indicators.parquet")
    restricted = pd.read_parquet(tmp_path / "out" / "restricted" / "indicators.parquet")
    csv = pd.read_csv(tmp_path / "out" / "indicators.csv")
    assert list(published.columns) == TIDY
    assert list(csv.columns) == [*TIDY, "disclosure_policy"]  # docs/disclosure.md
    assert len(published) == len(restricted) == len(csv)
    assert set(published["indicator_id"]) == set(INDICATORS)
    assert not published["synthetic"].any()  # test data carry no synthetic marker
    # Disclosure control applies to the published table only; restricted keeps raw counts.
    assert not restricted["suppressed"].any()
    keys = ["indicator_id", "dimension", "category", "age_standardised"]
    pd.testing.assert_frame_equal(published[keys], restricted[keys])
    # Crude and age-standardised rows sit side by side for standardised indicators.
    diabetes = published[published["indicator_id"] == "ltc_diabetes_prevalence"]
    assert set(diabetes["value_type"]) == {"proportion", "age-standardised rate"}
    assert set(published["dimension"]) >= {
        "all",
        "ethnicity_5×imd_quintile",
        "global_majority×ward",
    }
    # Nothing but the four files (no staging folder) is left behind.
    left = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*"))
    assert left == ["indicators.csv", "indicators.parquet", "manifest.json", "restricted",
                    "restricted/indicators.parquet"]  # fmt: skip


def test_same_inputs_give_byte_identical_files(
    tmp_path: Path, data: Path, config_file: Path
) -> None:
    _build(config_file, data, tmp_path / "one")
    _build(config_file, data, tmp_path / "two")
    for name in ["indicators.parquet", "indicators.csv", "restricted/indicators.parquet"]:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_bad_input_is_refused_naming_file_column_row_value(
    tmp_path: Path, make_data, make_config
) -> None:
    tables = random_population(50, seed=3)
    tables["people"].loc[7, "ethnicity_code"] = "Q9"
    folder = make_data(tmp_path / "bad", tables)
    with pytest.raises(InputError) as caught:
        build_table(make_config(["pop_share"], dimensions=[]), folder)
    error = caught.value
    assert (error.file, error.column, error.row, error.value) == (
        "people.parquet",
        "ethnicity_code",
        8,
        "Q9",
    )


def test_unvalidated_backend_tables_with_unknown_codes_are_refused() -> None:
    # Tables already in a warehouse skip the file validation; the engine's own
    # check still refuses a code that would otherwise land silently in "Not stated".
    tables = {name: ibis.memtable(frame) for name, frame in random_population(40, 5).items()}
    people = tables["people"]
    tables["people"] = people.mutate(
        ethnicity_code=ibis.ifelse(people.person_id == "r00003", "Q9", people.ethnicity_code)
    )
    plan = plan_measures(load_catalogue().select(["pop_share"]))
    persons = person_table(
        tables,
        plan.person_columns(),
        snapshot=date(2024, 3, 31),
        window=(date(2019, 4, 1), date(2024, 3, 31)),
        cause_groups=cause_lookup(CAUSES),
    )
    with pytest.raises(InputError) as caught:
        count_cells(persons, plan)
    assert (caught.value.column, caught.value.value) == ("ethnicity_code", "Q9")
    assert "r00003" in str(caught.value)
