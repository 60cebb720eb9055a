"""The runnable examples in the docstrings of the core statistics stay true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "jsna.methods.comparisons",
    "jsna.methods.confidence_intervals",
    "jsna.methods.means",
    "jsna.methods.proportions",
    "jsna.methods.rates",
    "jsna.methods.significance",
    "jsna.methods.standardisation",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
