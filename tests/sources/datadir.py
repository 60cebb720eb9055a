"""A tiny, hand-made data directory and a helper to write it in any format.

The figures the tests expect from it are counted by hand in the comments of
``GOOD`` (period end 2024-03-31, mortality window 2019-04-01 to 2024-03-31).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

# E01004736 is Westminster 018C (St James's); E01000001 is in the City of London.
GOOD: dict[str, dict[str, list[str]]] = {
    "people": {
        "person_id": ["P1", "P2", "P3", "P4", "P5", "P6"],
        "sex": ["F", "M", "F", "U", "M", "F"],
        "date_of_birth": ["1950-01-01", "1985-06-15", "2000-02-29", "1940-12-31", "", "1990-07-01"],
        "age": ["", "", "", "", "30", ""],
        "ethnicity_code": ["A", "Z", "", "N", "K", ""],
        "lsoa21": ["E01004736", "", "E01000001", "E01004736", "E01004736", ""],
        "main_language": [
            "English",
            "Arabic",
            "",
            "English",
            "Bengali (with Sylheti and Chatgaya)",
            "",
        ],
        "registration_start": [
            "2000-01-01",
            "2010-05-01",
            "2000-03-01",
            "1990-01-01",
            "2024-04-15",
            "2015-01-01",
        ],
        "registration_end": ["", "", "", "2023-05-01", "", "2019-03-01"],
    },
    "conditions": {
        "person_id": ["P1", "P1", "P2", "P4"],
        "condition": ["hypertension", "diabetes", "asthma", "chd"],
        "diagnosis_date": ["2015-01-01", "2024-05-01", "2012-03-03", "2020-01-01"],
    },
    "events": {
        "person_id": ["P1", "P1", "P3", "P2", "P2"],
        "event": [
            "flu_vaccination",
            "flu_vaccination",
            "cervical_screening",
            "nhs_health_check",
            "nhs_health_check",
        ],
        "date": ["2023-10-01", "2022-10-01", "2023-01-01", "2024-06-01", "2024-06-01"],
        "eligible": ["", "true", "false", "", ""],
    },
    "deaths": {
        "person_id": ["P4", "P6"],
        "date_of_death": ["2023-05-01", "2019-03-01"],
        "underlying_cause": ["I21.9", "J44"],
    },
}


def write_tables(
    directory: Path, tables: dict[str, dict[str, list[str]]], fmt: str = "csv"
) -> Path:
    """Write each table as ``<name>.<fmt>`` (all values as text) and return the directory."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, columns in tables.items():
        frame = pd.DataFrame(columns, dtype=str)
        if fmt == "csv":
            frame.to_csv(directory / f"{name}.csv", index=False)
        elif fmt == "xlsx":
            frame.to_excel(directory / f"{name}.xlsx", index=False, engine="openpyxl")
        else:
            frame.replace("", None).to_parquet(directory / f"{name}.parquet", index=False)
    return directory


def copy_tables() -> dict[str, dict[str, list[str]]]:
    """A deep copy of ``GOOD`` to break."""
    return {
        name: {column: list(values) for column, values in table.items()}
        for name, table in GOOD.items()
    }
