"""Significance against a benchmark, and control of false discoveries.

A JSNA compares many groups with a benchmark (the borough, London, England)
and runs many tests at once. :func:`compare_to_benchmark` applies the
Fingertips convention — a group differs from the benchmark when the
benchmark value lies outside the group's confidence interval — and labels it
Better/Similar/Worse (or Higher/Similar/Lower when there is no judgement of
direction). :func:`fdr` adjusts many p-values for multiple testing
(Benjamini–Hochberg).
"""

from __future__ import annotations

from typing import Any

import narwhals as nw
import numpy as np

from jsna.errors import InputError
from jsna.methods._common import as_frame, numeric_column

__all__ = ["POLARITIES", "compare_to_benchmark", "fdr"]

#: Allowed polarities and the labels (above, below) they give.
POLARITIES: dict[str, tuple[str, str]] = {
    "higher_is_better": ("Better", "Worse"),
    "lower_is_better": ("Worse", "Better"),
    "no_judgement": ("Higher", "Lower"),
}


def _labels(
    lower: np.ndarray, upper: np.ndarray, value: np.ndarray, benchmark: np.ndarray, polarity: str
) -> np.ndarray:
    above, below = POLARITIES[polarity]
    out = np.full(len(value), "Similar", dtype=object)
    out[benchmark < lower] = above
    out[benchmark > upper] = below
    missing = np.isnan(lower) | np.isnan(upper) | np.isnan(benchmark) | np.isnan(value)
    out[missing] = "Not compared"
    return out


def compare_to_benchmark(
    data: Any,
    value: str,
    lower_95: str,
    upper_95: str,
    benchmark: str | float,
    *,
    lower_998: str | None = None,
    upper_998: str | None = None,
    polarity: str = "no_judgement",
) -> Any:
    """Add a ``significance`` column: the group against a benchmark value.

    Fingertips convention (OHID, *Public Health Profiles technical guidance*):
    the group is significantly higher when the benchmark lies below its 95%
    lower limit, lower when above its upper limit, else similar. ``polarity``
    turns Higher/Lower into Better/Worse: ``higher_is_better``,
    ``lower_is_better`` or ``no_judgement``. ``benchmark`` is a column name
    or one number. With the 99.8% limits given, ``significance_998`` is added
    the same way. Rows with a missing value, limit or benchmark get
    'Not compared'.

    >>> import pandas as pd
    >>> d = pd.DataFrame({"v": [10.0, 5.0], "lo": [8.0, 4.0], "hi": [12.0, 6.5]})
    >>> out = compare_to_benchmark(d, "v", "lo", "hi", 7.0, polarity="lower_is_better")
    >>> out["significance"].tolist()
    ['Worse', 'Better']
    """
    function = "compare_to_benchmark"
    if polarity not in POLARITIES:
        raise InputError(
            f"{function}: polarity must be one of {', '.join(POLARITIES)}",
            column="polarity",
            value=polarity,
        )
    if (lower_998 is None) != (upper_998 is None):
        raise InputError(f"{function}: give both lower_998 and upper_998, or neither")
    columns = [value, lower_95, upper_95]
    if isinstance(benchmark, str):
        columns.append(benchmark)
    if lower_998 is not None and upper_998 is not None:
        columns += [lower_998, upper_998]
    frame = as_frame(data, function=function, columns=columns)
    for name in ("significance", "significance_998"):
        if name in frame.columns:
            raise InputError(
                f"{function}: the data already has a {name!r} column; rename it first",
                column=name,
            )
    v = numeric_column(frame, value, function=function)
    if isinstance(benchmark, str):
        bench = numeric_column(frame, benchmark, function=function)
    else:
        bench = np.full(len(v), float(benchmark))
    backend = frame.implementation
    labels = _labels(
        numeric_column(frame, lower_95, function=function),
        numeric_column(frame, upper_95, function=function),
        v,
        bench,
        polarity,
    )
    new = [nw.new_series("significance", labels.tolist(), dtype=nw.String(), backend=backend)]
    if lower_998 is not None and upper_998 is not None:
        labels_998 = _labels(
            numeric_column(frame, lower_998, function=function),
            numeric_column(frame, upper_998, function=function),
            v,
            bench,
            polarity,
        )
        new.append(
            nw.new_series(
                "significance_998", labels_998.tolist(), dtype=nw.String(), backend=backend
            )
        )
    return frame.with_columns(new).to_native()


def fdr(p_values: Any) -> Any:
    """Benjamini–Hochberg adjusted p-values (q-values); NaN stays NaN.

    Benjamini Y, Hochberg Y. Controlling the false discovery rate: a
    practical and powerful approach to multiple testing. J R Stat Soc B
    1995;57:289–300. ``q_(i) = min_{j >= i} p_(j) * m / j`` over the m
    non-missing p-values sorted ascending, capped at 1 (as R's
    ``p.adjust(method = "BH")``). Returns the input's type: a NumPy array,
    pandas Series (same index and name) or polars Series.

    >>> fdr([0.01, 0.04, 0.03, float("nan")]).round(4).tolist()
    [0.03, 0.04, 0.04, nan]
    """
    native = None
    try:
        series = nw.from_native(p_values, series_only=True)
        native = series
        values = series.to_numpy().astype(float)
    except TypeError:
        values = np.asarray(p_values, dtype=float)
    bad = ~np.isnan(values) & ((values < 0) | (values > 1))
    if bad.any():
        row = int(np.argmax(bad))
        raise InputError(
            "fdr: p-values must lie between 0 and 1", row=row + 1, value=float(values[row])
        )
    q = np.full(values.shape, np.nan)
    present = np.flatnonzero(~np.isnan(values))
    m = len(present)
    if m:
        order = present[np.argsort(values[present], kind="stable")]
        ranked = values[order] * m / np.arange(1, m + 1)
        q[order] = np.minimum(1.0, np.minimum.accumulate(ranked[::-1])[::-1])
    if native is None:
        return q
    out = nw.new_series(native.name, q, backend=native.implementation)
    if native.implementation.is_polars():
        out = out.fill_nan(None)
    result = out.to_native()
    if native.implementation.is_pandas():
        result.index = native.to_native().index
    return result
