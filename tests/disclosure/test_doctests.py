"""The examples in the disclosure and provenance docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "jsna.disclosure.attack",
    "jsna.disclosure.policies",
    "jsna.disclosure.protect",
    "jsna.disclosure.secondary",
    "jsna.provenance",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
