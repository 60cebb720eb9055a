"""Fixtures for the sources tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from .datadir import GOOD, write_tables


@pytest.fixture
def good_dir(tmp_path: Path) -> Path:
    """The hand-made directory as CSV files."""
    return write_tables(tmp_path / "data", GOOD)
