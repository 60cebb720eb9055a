"""The examples in the connectors' and margins' docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "jsna.sources.connectors.http",
    "jsna.sources.connectors.nomis",
    "jsna.sources.connectors.fingertips",
    "jsna.synth.census_margins",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
