"""One Synthetic Westminster at scale 1 shared by the synth tests (about 3 s)."""

from __future__ import annotations

import pytest

from jsna.synth import generate


@pytest.fixture(scope="session")
def westminster():
    return generate(seed=2024, scale=1.0)
