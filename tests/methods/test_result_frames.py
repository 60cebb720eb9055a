"""Result frames at national size: the shared metadata columns are whole and the right type.

``proportion`` and ``rate`` keep one result row per input row; their constant
text columns (``confidence``, ``statistic``, ``method``) are built from one
shared block of text, so these tests cross the block boundary (65,536 rows)
and check every row, a note far from the start, the empty frame and the
multiplier against the Wilson formula worked directly.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import polars as pl
import pytest

from jsna.methods import proportion, rate

ROWS = 2 * 65_536 + 7  # two whole blocks and a part block


def counts(backend: str, rows: int = ROWS) -> pd.DataFrame | pl.DataFrame:
    n = np.arange(rows, dtype=np.int64) % 900 + 100
    x = n // 3
    x[-1], n[-1] = 0, 0  # the last row has a zero denominator (a note)
    frame = pd.DataFrame({"x": x, "n": n})
    return frame if backend == "pandas" else pl.from_pandas(frame)


def column(out: pd.DataFrame | pl.DataFrame, name: str) -> list[object]:
    values = out[name].to_list()
    return [None if isinstance(v, float) and math.isnan(v) else v for v in values]


@pytest.mark.parametrize("backend", ["pandas", "polars"])
def test_constant_columns_hold_their_text_in_every_row(backend: str) -> None:
    out = proportion(counts(backend), "x", "n", confidence=(0.95, 0.998), multiplier=100)
    assert len(out) == ROWS
    assert set(column(out, "statistic")) == {"percentage"}
    assert set(column(out, "method")) == {"Wilson"}
    assert set(column(out, "confidence")) == {"95%, 99.8%"}
    notes = column(out, "note")
    assert notes[-1] == "denominator is zero"
    assert notes[:-1] == [None] * (ROWS - 1)
    if backend == "pandas":
        assert all(str(out[c].dtype) == "str" for c in ("statistic", "method", "note"))
    else:
        assert all(out.schema[c] == pl.String for c in ("statistic", "method", "note"))


@pytest.mark.parametrize("backend", ["pandas", "polars"])
def test_multiplier_scales_value_and_every_limit(backend: str) -> None:
    out = proportion(counts(backend), "x", "n", confidence=0.95, multiplier=100)
    row = 70_000  # inside the second block
    n = row % 900 + 100
    x = n // 3
    z = 1.959963984540054
    centre, spread = 2 * x + z * z, z * math.sqrt(z * z + 4 * x * (1 - x / n))
    expected = {
        "value": 100 * x / n,
        "lower_95": 100 * (centre - spread) / (2 * (n + z * z)),
        "upper_95": 100 * (centre + spread) / (2 * (n + z * z)),
    }
    for name, value in expected.items():
        assert column(out, name)[row] == pytest.approx(value, rel=1e-12)
    assert column(out, "value")[-1] is None  # 0 / 0


@pytest.mark.parametrize("backend", ["pandas", "polars"])
def test_empty_input_gives_an_empty_result_with_every_column(backend: str) -> None:
    out = rate(counts(backend).head(0), "x", "n", confidence=0.95)
    assert len(out) == 0
    assert {"value", "lower_95", "upper_95", "statistic", "method", "note"} <= set(out.columns)
