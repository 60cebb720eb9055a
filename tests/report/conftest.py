"""Fixtures for the report tests: a hand-made tidy table and findings, published once."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fixture_tables import METADATA, findings_table, tidy_table

from jsna.report import publish


@pytest.fixture(scope="session")
def tidy() -> pd.DataFrame:
    return tidy_table()


@pytest.fixture(scope="session")
def findings() -> pd.DataFrame:
    return findings_table()


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture report, published once for the whole session; returns its out_dir."""
    out = tmp_path_factory.mktemp("report")
    publish(tidy_table(), findings_table(), out, metadata=METADATA)
    return out
