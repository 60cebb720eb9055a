"""Properties that hold for any input: people to reach, scores, wording; and the doc examples."""

from __future__ import annotations

import doctest
import importlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jsna.codes.ethnicity import ETHNICITY_5, ETHNICITY_19
from jsna.equity.ranking import score
from jsna.equity.targeting import people_to_close_gap
from jsna.report.narrative import group_phrase, ratio_comparison

finite = st.floats(allow_nan=False, allow_infinity=False)


@given(difference=finite.filter(lambda d: abs(d) <= 100),
       half_width=st.floats(0, 50), denominator=st.floats(0, 1e6))
def test_people_to_close_gap_is_ordered_and_never_negative(difference, half_width, denominator):
    point, lower, upper = people_to_close_gap(
        np.array([difference]), np.array([difference - half_width]),
        np.array([difference + half_width]), np.array([denominator]), np.array([100.0]))
    assert 0 <= lower[0] <= point[0] <= upper[0]
    assert abs(point[0] - max(0.0, -difference) * denominator / 100) <= 0.5
    assert point[0] == int(point[0])


@given(ratio=st.floats(0.05, 20), q=st.floats(0, 1), people=st.floats(0, 1e6),
       more=st.floats(1, 1e6))
def test_score_falls_with_uncertainty_and_rises_with_people(ratio, q, people, more):
    base = score(np.array([ratio]), np.array([np.nan]), np.array([np.nan]), np.array([q]),
                 np.array([people]))[0]
    assert base >= 0
    surer = score(np.array([ratio]), np.array([np.nan]), np.array([np.nan]),
                  np.array([q / 2]), np.array([people]))[0]
    bigger = score(np.array([ratio]), np.array([np.nan]), np.array([np.nan]),
                   np.array([q]), np.array([people + more]))[0]
    assert surer >= base and bigger >= base
    inverse = score(np.array([1 / ratio]), np.array([np.nan]), np.array([np.nan]),
                    np.array([q]), np.array([people]))[0]
    assert inverse == pytest.approx(base)  # a doubling and a halving weigh alike


@given(ratio=st.floats(1.0, 20), low=st.floats(0.5, 0.99), high=st.floats(1.01, 2))
def test_ratio_words_agree_with_the_number(ratio, low, high):
    phrase, interval = ratio_comparison(ratio, ratio * low, ratio * high, adjective="likely")
    rounded = round(ratio, 1)
    if "about" not in phrase and rounded != 1.0:
        assert phrase == f"{rounded:.1f} times as likely as"
    assert interval.endswith(("times", "more"))


@pytest.mark.parametrize("label", [*ETHNICITY_19, *ETHNICITY_5])
def test_every_ethnic_group_is_named_as_residents(label):
    for dimension in ("ethnicity_19", "ethnicity_5×sex"):
        category = label if "×" not in dimension else f"{label} × Female"
        text = group_phrase(dimension, category, "Westminster")
        assert "residents" in text and "bame" not in text.lower()


@pytest.mark.parametrize(
    "module",
    ["jsna.equity.analysis", "jsna.equity.collapsing", "jsna.equity.comparison",
     "jsna.equity.config", "jsna.equity.ranking", "jsna.equity.targeting",
     "jsna.report.narrative"],
)
def test_docstring_examples(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
