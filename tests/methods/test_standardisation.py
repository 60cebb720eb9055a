"""Standard populations and the DSR / SMR behaviours beyond the PHE reference cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jsna.errors import InputError
from jsna.methods import ESP2013, ESP2013_85PLUS, ESP2013_LIFE_TABLE, dsr, mean, smr
from published_figures import ESP2013_WEIGHTS


def test_esp2013_layouts():
    assert tuple(ESP2013.weights) == ESP2013_WEIGHTS
    assert ESP2013.labels[0] == "0-4" and ESP2013.labels[-1] == "90+" and len(ESP2013) == 19
    assert len(ESP2013_85PLUS) == 18 and ESP2013_85PLUS.labels[-1] == "85+"
    assert ESP2013_85PLUS.weights[-1] == 2500
    assert ESP2013_LIFE_TABLE.labels[:3] == ("0", "1-4", "5-9") and len(ESP2013_LIFE_TABLE) == 20
    for standard in (ESP2013, ESP2013_85PLUS, ESP2013_LIFE_TABLE):
        assert sum(standard.weights) == 100_000


def bands(labels, x=20.0, n=1_000.0):
    return pd.DataFrame({"age": list(labels), "x": x, "n": n})


def test_dsr_by_age_label_or_start_age_and_85plus_standard():
    # a constant rate standardises to itself whatever the standard
    by_label = dsr(bands(ESP2013.labels), "x", "n", age="age", confidence=0.95)
    assert by_label["value"].iloc[0] == pytest.approx(2_000.0, rel=1e-12)
    starts = bands(ESP2013.start_ages)
    assert dsr(starts, "x", "n", age="age")["value"].iloc[0] == pytest.approx(2_000.0)
    over85 = dsr(bands(ESP2013_85PLUS.labels), "x", "n", age="age", standard="esp2013_85plus")
    assert over85["value"].iloc[0] == pytest.approx(2_000.0)


def test_dsr_zero_population_band_and_missing_band_are_na_with_note():
    zero = bands(ESP2013.labels).assign(n=[0.0] + [1_000.0] * 18, x=[0.0] + [20.0] * 18)
    out = dsr(zero, "x", "n", age="age")
    assert np.isnan(out["value"].iloc[0]) and "zero population" in out["note"].iloc[0]
    missing = bands(ESP2013.labels[:-1])
    out = dsr(missing, "x", "n", age="age")
    assert np.isnan(out["value"].iloc[0]) and "age bands missing" in out["note"].iloc[0]


def test_dsr_band_errors_name_row_and_value():
    wrong = bands([*ESP2013.labels[:-1], "95+"])
    with pytest.raises(InputError, match=r"column 'age', row 19: value '95\+'.*not an age band"):
        dsr(wrong, "x", "n", age="age")
    twice = bands([*ESP2013.labels[:-1], "0-4"])
    with pytest.raises(InputError, match=r"column 'age', row 19.*twice"):
        dsr(twice, "x", "n", age="age")
    with pytest.raises(InputError, match=r"column 'n', row 3: value -1"):
        dsr(bands(ESP2013.labels).assign(n=[1.0, 1.0, -1.0] + [1.0] * 16), "x", "n")
    with pytest.raises(InputError, match="no column 'pop'"):
        dsr(bands(ESP2013.labels), "x", "pop")


def test_smr_zero_expected_is_na_with_note():
    data = pd.DataFrame({"x": [0, 0], "n": [0, 0]})
    out = smr(data, "x", "n", [5, 5], [1_000, 1_000])
    assert np.isnan(out["value"].iloc[0]) and "no expected events" in out["note"].iloc[0]


def test_mean_of_one_value_has_no_interval_but_a_note():
    out = mean(pd.DataFrame({"g": ["a", "b", "b"], "v": [3.0, 1.0, 2.0]}), "v", by="g")
    assert out["value"].tolist() == [3.0, 1.5]
    assert np.isnan(out["lower_95"].iloc[0]) and out["note"].iloc[0] == "one value: no interval"
