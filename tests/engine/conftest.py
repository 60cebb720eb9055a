"""Helpers for the engine tests: write record-level tables and make small build configs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from jsna.config import BuildConfig, Strata, load_config

TABLE_COLUMNS = {
    "people": [
        "person_id",
        "sex",
        "date_of_birth",
        "age",
        "ethnicity_code",
        "lsoa21",
        "main_language",
        "tenure",
        "economic_activity",
        "general_health",
        "disability",
        "unpaid_care",
        "registration_start",
        "registration_end",
    ],
    "conditions": ["person_id", "condition", "diagnosis_date"],
    "events": ["person_id", "event", "date", "eligible"],
    "deaths": ["person_id", "date_of_death", "underlying_cause"],
}


def write_tables(folder: Path, tables: dict[str, pd.DataFrame]) -> Path:
    """Write the four tables as Parquet with the data model's types (dates as dates)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, columns in TABLE_COLUMNS.items():
        frame = tables.get(name, pd.DataFrame(columns=columns)).copy()
        for column in columns:
            if column not in frame.columns:
                frame[column] = None
        frame = frame[columns]
        for column in columns:
            if "date" in column or column.startswith("registration"):
                frame[column] = pd.to_datetime(frame[column]).astype("date32[pyarrow]")
        for column in columns:
            if column == "age":
                frame[column] = frame[column].astype("Int64")
            elif column == "eligible":
                frame[column] = frame[column].astype("boolean")
            elif "date" not in column and not column.startswith("registration"):
                frame[column] = frame[column].astype("string")
        frame.to_parquet(folder / f"{name}.parquet", index=False)
    return folder


def small_config(
    indicators: list[str],
    dimensions: list[str] | None = None,
    intersections: list[str] | None = None,
) -> BuildConfig:
    """The default config narrowed to some indicators and strata."""
    base = load_config()
    strata = Strata(
        dimensions=dimensions if dimensions is not None else base.strata.dimensions,
        intersections=intersections if intersections is not None else [],
    )
    return base.model_copy(update={"indicators": indicators, "strata": strata})


@pytest.fixture(scope="session")
def make_data():
    """``make_data(folder, tables)``: write record-level tables as Parquet."""
    return write_tables


@pytest.fixture(scope="session")
def make_config():
    """``make_config(indicators, dimensions=None, intersections=None)``: a narrowed config."""
    return small_config
