"""Shared test configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).parent
REFERENCE = TESTS / "methods" / "reference"
# ../shared next to the checkout, present on developer machines and in CI
SHARED = TESTS.parent.parent / "shared"


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """Folder of PHEindicatormethods 2.1.0 input/expected-output pairs."""
    return REFERENCE
