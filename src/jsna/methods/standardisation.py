"""Age standardisation: directly standardised rates (DSR), indirectly
standardised rates (ISR) and standardised ratios (SMR).

Ethnic groups, wards and deprivation quintiles differ in age structure, so
their crude rates mislead; these functions put them on a common footing.
Methods follow PHEindicatormethods (``calculate_dsr``, ``calculate_ISRate``,
``calculate_ISRatio``) and the Fingertips technical guidance: Dobson's
interval for DSRs (suppressed below 10 events), exact Poisson / Byar's limits
for the observed count of an ISR or SMR. Everything is vectorised over
groups (one pass of :func:`numpy.bincount`), so 100,000 groups take well
under a second.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from jsna.errors import InputError
from jsna.methods._common import (
    DEFAULT_CONFIDENCE,
    as_frame,
    normalise_by,
    normalise_confidence,
    numeric_column,
)
from jsna.methods._results import (
    build_frame,
    check_multiplier,
    group_sum,
    grouping,
    interval_columns,
    notes_from,
    plain,
)
from jsna.methods.confidence_intervals import dobson_ci, poisson_ci
from jsna.methods.rates import poisson_method_labels, rate_label
from jsna.methods.standard_populations import STANDARDS, StandardPopulation, match_bands

__all__ = ["DSR_MINIMUM_COUNT", "dsr", "dsr_arrays", "isr", "smr"]

#: DSRs with fewer events than this are not published (Fingertips convention).
DSR_MINIMUM_COUNT = 10


def dsr_arrays(
    x: np.ndarray,
    n: np.ndarray,
    weights: np.ndarray,
    codes: np.ndarray,
    groups: int,
    *,
    standard_total: np.ndarray | None = None,
    frequency: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Per-group DSR ingredients from band-level arrays (rates per 1).

    ``x``, ``n``, ``weights`` are per band row (missing ``x`` counts as 0),
    ``codes`` the group of each row. ``standard_total`` is the standard's
    total weight per group (default: the sum of ``weights`` in the group).
    With ``frequency`` (events per person), ``x`` counts people with that
    many events and the variance uses ``frequency**2`` (the event-frequency
    method for non-independent events, PHEindicatormethods 2.1).
    Returns ``count``, ``value`` and ``variance`` (both per 1, not yet
    multiplied) per group.
    """
    xs = np.nan_to_num(x, nan=0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = weights / n
        events = xs if frequency is None else xs * frequency
        band_events = events * ratio
        band_variance = band_events * ratio
        if frequency is not None:
            band_variance *= frequency
    empty = n == 0
    if empty.any():
        # a band without events adds nothing, even where its population is 0
        band_events[empty & (events == 0)] = 0.0
        band_variance[empty & (events == 0)] = 0.0
    total = group_sum(weights, codes, groups) if standard_total is None else standard_total
    with np.errstate(invalid="ignore", divide="ignore"):
        value = group_sum(band_events, codes, groups) / total
        variance = group_sum(band_variance, codes, groups) / (total * total)
    return {"count": group_sum(events, codes, groups), "value": value, "variance": variance}


def dsr(
    data: Any,
    x: str,
    n: str,
    *,
    by: str | Sequence[str] | None = None,
    age: str | None = None,
    standard: str | StandardPopulation = "esp2013",
    confidence: float | Sequence[float] | None = DEFAULT_CONFIDENCE,
    multiplier: float = 100_000,
    event_frequency: str | None = None,
) -> Any:
    """Directly standardised rate with Dobson confidence intervals.

    DSR = sum(w_i * x_i / n_i) / sum(w_i) over age bands i. Intervals use
    Dobson AJ et al. Confidence intervals for weighted sums of Poisson
    parameters. Stat Med 1991;10:457–62, with Byar's limits for the total
    count (Breslow & Day 1987), as PHEindicatormethods ``calculate_dsr``.

    Parameters
    ----------
    data : pandas or polars DataFrame of age-band rows, one per band per group
        (one per band and event frequency with ``event_frequency``).
    x, n : event-count and population (person-years) columns. Missing counts
        are taken as 0 and noted; ``x`` may exceed ``n``.
    by : grouping columns (areas, ethnic groups…); ``None`` = one group.
    age : column of band labels ('0-4' … '90+') or start ages (0, 5 … 90)
        matched to ``standard``. Without it each group's rows must be the
        standard's bands in order (as PHEindicatormethods).
    standard : ``'esp2013'`` (19 bands to 90+, default), ``'esp2013_85plus'``
        (18 bands to 85+), a :class:`StandardPopulation`, or the name of a
        column of ``data`` holding each row's standard population.
    confidence, multiplier : as :func:`jsna.methods.rate`.
    event_frequency : column giving events per person when one person can
        have several events (``x`` then counts people); the variance is
        adjusted for the non-independence.

    A group's value is NaN with a note when its total count is below 10,
    when a band has zero (or, with ``age``, no) population, never an error.

    >>> import pandas as pd
    >>> bands = pd.DataFrame({"x": [10] * 19, "n": [1000] * 19})
    >>> round(float(dsr(bands, "x", "n", confidence=0.95).loc[0, "value"]), 6)
    1000.0
    """
    function = "dsr"
    by_cols = normalise_by(by)
    named = isinstance(standard, StandardPopulation) or standard in STANDARDS
    columns_needed = [x, n, *by_cols, *([age] if age else [])]
    if event_frequency:
        columns_needed.append(event_frequency)
    if not named:
        columns_needed.append(str(standard))
    frame = as_frame(data, function=function, columns=columns_needed)
    levels = normalise_confidence(confidence, function=function)
    multiplier = check_multiplier(multiplier, function=function)
    xv = numeric_column(frame, x, function=function, minimum=0)
    nv = numeric_column(frame, n, function=function, allow_missing=False, minimum=0)
    freq = (
        numeric_column(frame, event_frequency, function=function, allow_missing=False, minimum=1)
        if event_frequency
        else None
    )
    if freq is not None and not age:
        raise InputError(
            f"{function}: with event_frequency give the age column too (age=...), "
            "so rows can be matched to bands",
            column=event_frequency,
        )
    keys, codes, groups = grouping(frame, by_cols)
    missing_bands = np.zeros(groups, dtype=bool)
    if named:
        std = standard if isinstance(standard, StandardPopulation) else STANDARDS[standard]
        if age:
            band = match_bands(frame[age].to_numpy(), std, column=age, function=function)
        else:
            band = _bands_by_position(codes, groups, len(std), function=function)
        weights = std.weight_array[band]
        first_of_band = _first_of_band(codes, band, len(std), freq, column=age, function=function)
        present = group_sum(first_of_band.astype(float), codes, groups)
        missing_bands = present < len(std)
        standard_total = np.full(groups, float(sum(std.weights)))
    else:
        weights = numeric_column(
            frame, str(standard), function=function, allow_missing=False, minimum=0
        )
        if age:
            band = _age_codes(frame[age].to_numpy())
            first_of_band = _first_of_band(
                codes, band, int(band.max()) + 1, freq, column=age, function=function
            )
        else:
            first_of_band = np.ones(len(codes), dtype=bool)
        standard_total = group_sum(np.where(first_of_band, weights, 0.0), codes, groups)
    parts = dsr_arrays(
        xv, nv, weights, codes, groups, standard_total=standard_total, frequency=freq
    )
    count = parts["count"]
    population = group_sum(np.where(first_of_band, nv, 0.0), codes, groups)
    zero_band = group_sum((nv == 0).astype(float), codes, groups) > 0
    too_few = count < DSR_MINIMUM_COUNT
    unusable = too_few | zero_band | missing_bands
    value = np.where(unusable, np.nan, parts["value"] * multiplier)
    variance = parts["variance"] * multiplier * multiplier
    limits = []
    for level in levels:
        lower, upper = dobson_ci(value, variance, count, level)
        limits.append((np.where(unusable, np.nan, lower), np.where(unusable, np.nan, upper)))
    missing_x = group_sum(np.isnan(xv).astype(float), codes, groups)
    notes = notes_from(
        [
            (too_few, f"DSR not calculated: total count < {DSR_MINIMUM_COUNT}"),
            (zero_band, "DSR not calculated: an age band has zero population"),
            (missing_bands, "DSR not calculated: age bands missing"),
            (missing_x > 0, "missing counts taken as 0"),
        ],
        groups,
    )
    method = "Dobson"
    if freq is not None:
        method = "Dobson, with confidence adjusted for non-independent events"
    columns: dict[str, Any] = {
        x: count,
        n: population,
        "value": value,
        **interval_columns(levels, limits),
        "statistic": rate_label(multiplier, "dsr"),
    }
    if levels:
        columns["method"] = method
    columns["note"] = notes
    return build_frame(frame, columns, base=keys, levels=levels, function=function)


def _bands_by_position(codes: np.ndarray, groups: int, bands: int, *, function: str) -> np.ndarray:
    """Band of each row from its position within its group (PHE convention)."""
    sizes = np.bincount(codes, minlength=groups)
    wrong = np.flatnonzero(sizes != bands)
    if len(wrong):
        first_row = int(np.argmax(codes == wrong[0]))
        raise InputError(
            f"{function}: each group needs exactly {bands} rows, one per age band of the "
            f"standard, in order (the group starting at this row has {sizes[wrong[0]]}); "
            "or name the age column with age=...",
            row=first_row + 1,
        )
    return _position_in_group(codes, sizes)


def _position_in_group(codes: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    order = np.argsort(codes, kind="stable")
    position = np.empty(len(codes), dtype=np.int64)
    position[order] = np.arange(len(codes)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    return position


def _age_codes(values: np.ndarray) -> np.ndarray:
    """Codes for arbitrary age labels (used with a standard given as a column)."""
    codes, _ = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
    return codes.astype(np.int64)


def _first_of_band(
    codes: np.ndarray,
    band: np.ndarray,
    bands: int,
    freq: np.ndarray | None,
    *,
    column: str | None,
    function: str,
) -> np.ndarray:
    """True on the first row of each (group, band); a repeated band raises unless
    rows differ by event frequency."""
    pair = codes.astype(np.int64) * bands + band
    if freq is None:
        # each (group, band) once: every row is the first of its band (no sort needed)
        seen = np.bincount(pair, minlength=int(pair.max()) + 1 if len(pair) else 0)
        if (seen > 1).any():
            repeated = np.flatnonzero(seen[pair] > 1)
            second = int(repeated[np.flatnonzero(pair[repeated] == pair[repeated[0]])[1]])
            raise InputError(
                f"{function}: age band appears twice in the same group",
                column=column,
                row=second + 1,
            )
        return np.ones(len(codes), dtype=bool)
    _, first = np.unique(pair, return_index=True)
    mask = np.zeros(len(codes), dtype=bool)
    mask[first] = True
    return mask


def _reference_arrays(
    frame: nw.DataFrame[Any],
    ref: str | Sequence[float],
    codes: np.ndarray,
    groups: int,
    *,
    name: str,
    function: str,
) -> np.ndarray:
    """Reference counts or populations per row, from a column or a per-band vector."""
    if isinstance(ref, str):
        return numeric_column(frame, ref, function=function, allow_missing=False, minimum=0)
    vector = np.asarray(ref, dtype=float)
    sizes = np.bincount(codes, minlength=groups)
    if (sizes != len(vector)).any():
        raise InputError(
            f"{function}: {name} has {len(vector)} values but groups have "
            f"{', '.join(str(s) for s in sorted(set(sizes.tolist())))} rows; give one value "
            "per row of each group",
            column=name,
        )
    if np.isnan(vector).any() or (vector < 0).any():
        bad = int(np.argmax(np.isnan(vector) | (vector < 0)))
        raise InputError(
            f"{function}: {name} values must be present and not negative",
            column=name,
            row=bad + 1,
            value=plain(vector[bad]),
        )
    return vector[_position_in_group(codes, sizes)]


def _indirect(
    data: Any,
    x: str,
    n: str,
    x_ref: str | Sequence[float],
    n_ref: str | Sequence[float],
    *,
    by: str | Sequence[str] | None,
    confidence: float | Sequence[float] | None,
    observed: Any,
    function: str,
) -> tuple[nw.DataFrame[Any], nw.DataFrame[Any], dict[str, np.ndarray], tuple[float, ...]]:
    by_cols = normalise_by(by)
    needed = [n, *by_cols] + [c for c in (x_ref, n_ref) if isinstance(c, str)]
    if observed is None:
        needed.append(x)
    frame = as_frame(data, function=function, columns=needed)
    levels = normalise_confidence(confidence, function=function)
    nv = numeric_column(frame, n, function=function, allow_missing=False, minimum=0)
    keys, codes, groups = grouping(frame, by_cols)
    xr = _reference_arrays(frame, x_ref, codes, groups, name="x_ref", function=function)
    nr = _reference_arrays(frame, n_ref, codes, groups, name="n_ref", function=function)
    zero_ref = nr == 0
    if zero_ref.any():
        row = int(np.argmax(zero_ref))
        raise InputError(
            f"{function}: reference populations must be greater than 0",
            column=n_ref if isinstance(n_ref, str) else "n_ref",
            row=row + 1,
            value=0,
        )
    expected = group_sum(nv * xr / nr, codes, groups)
    ref_rate = group_sum(xr, codes, groups) / group_sum(nr, codes, groups)
    if observed is None:
        xv = numeric_column(frame, x, function=function, minimum=0)
        obs = group_sum(np.nan_to_num(xv, nan=0.0), codes, groups)
        missing_x = group_sum(np.isnan(xv).astype(float), codes, groups) > 0
    else:
        obs = _observed_totals(observed, keys, by_cols, x, function=function)
        missing_x = np.zeros(groups, dtype=bool)
    parts = {
        "observed": obs,
        "expected": expected,
        "ref_rate": ref_rate,
        "missing_x": missing_x,
    }
    return frame, keys, parts, levels


def _observed_totals(
    observed: Any, keys: nw.DataFrame[Any], by_cols: list[str], x: str, *, function: str
) -> np.ndarray:
    """Observed totals per group from a separate frame keyed by the ``by`` columns."""
    totals = as_frame(observed, function=function, columns=[*by_cols, x])
    values = numeric_column(totals, x, function=function, minimum=0)
    if not by_cols:
        if len(values) != 1:
            raise InputError(
                f"{function}: without by=, observed totals must have exactly one row",
                column=x,
            )
        return values
    lookup = {}
    for i, key in enumerate(zip(*(totals[c].to_list() for c in by_cols), strict=True)):
        if key in lookup:
            raise InputError(
                f"{function}: observed totals list a group twice",
                column=by_cols[0],
                row=i + 1,
                value=key[0] if len(key) == 1 else key,
            )
        lookup[key] = values[i]
    out = np.full(len(keys), np.nan)
    for g, key in enumerate(zip(*(keys[c].to_list() for c in by_cols), strict=True)):
        out[g] = lookup.get(key, np.nan)
    return out


def _indirect_limits(
    obs: np.ndarray, expected: np.ndarray, scale: np.ndarray | float, levels: Sequence[float]
) -> list[tuple[np.ndarray, np.ndarray]]:
    limits = []
    for level in levels:
        lower, upper = poisson_ci(obs, level)
        with np.errstate(invalid="ignore", divide="ignore"):
            limits.append((lower / expected * scale, upper / expected * scale))
    return limits


def smr(
    data: Any,
    x: str,
    n: str,
    x_ref: str | Sequence[float],
    n_ref: str | Sequence[float],
    *,
    by: str | Sequence[str] | None = None,
    confidence: float | Sequence[float] | None = DEFAULT_CONFIDENCE,
    refvalue: float = 1,
    observed: Any = None,
) -> Any:
    """Indirectly standardised ratio (SMR): observed / expected events.

    Expected = sum over bands of ``n * x_ref / n_ref`` (the reference
    population's age-specific rates applied to the local population).
    Limits: exact Poisson for fewer than 10 observed events, Byar's from 10
    (Breslow & Day 1987), divided by the expected count; as
    PHEindicatormethods ``calculate_ISRatio``.

    ``x_ref`` / ``n_ref`` are column names or one value per band (each group
    then has its bands in that order). ``observed``, if given, is a frame of
    observed totals keyed by the ``by`` columns with the count in column
    ``x`` (then ``data`` needs no ``x``). ``refvalue`` scales the ratio
    (100 for the convention "SMR = 100"). Missing counts are taken as 0 and
    noted; no expected events gives NaN and a note.
    """
    function = "smr"
    refvalue = check_multiplier(refvalue, function=function)
    frame, keys, parts, levels = _indirect(
        data,
        x,
        n,
        x_ref,
        n_ref,
        by=by,
        confidence=confidence,
        observed=observed,
        function=function,
    )
    return _indirect_frame(
        frame,
        keys,
        parts,
        levels,
        function=function,
        scale=refvalue,
        statistic=f"indirectly standardised ratio x {refvalue:g}",
    )


def isr(
    data: Any,
    x: str,
    n: str,
    x_ref: str | Sequence[float],
    n_ref: str | Sequence[float],
    *,
    by: str | Sequence[str] | None = None,
    confidence: float | Sequence[float] | None = DEFAULT_CONFIDENCE,
    multiplier: float = 100_000,
    observed: Any = None,
) -> Any:
    """Indirectly standardised rate: the SMR times the reference crude rate.

    ISR = (observed / expected) * (sum x_ref / sum n_ref) * multiplier, with
    the SMR's exact / Byar's limits scaled the same way; as
    PHEindicatormethods ``calculate_ISRate``. Arguments as :func:`smr`; the
    result also carries ``ref_rate`` (the reference crude rate).
    """
    function = "isr"
    multiplier = check_multiplier(multiplier, function=function)
    frame, keys, parts, levels = _indirect(
        data,
        x,
        n,
        x_ref,
        n_ref,
        by=by,
        confidence=confidence,
        observed=observed,
        function=function,
    )
    scale = parts["ref_rate"] * multiplier
    return _indirect_frame(
        frame,
        keys,
        parts,
        levels,
        function=function,
        scale=scale,
        statistic=rate_label(multiplier, "indirectly standardised rate"),
        ref_rate=scale,
    )


def _indirect_frame(
    frame: nw.DataFrame[Any],
    keys: nw.DataFrame[Any],
    parts: dict[str, np.ndarray],
    levels: tuple[float, ...],
    *,
    scale: np.ndarray | float,
    statistic: str,
    function: str,
    ref_rate: np.ndarray | None = None,
) -> Any:
    obs, expected = parts["observed"], parts["expected"]
    no_expected = expected == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(no_expected, np.nan, obs / expected * scale)
    limits = _indirect_limits(obs, np.where(no_expected, np.nan, expected), scale, levels)
    notes = notes_from(
        [
            (no_expected, "no expected events (zero population)"),
            (parts["missing_x"], "missing counts taken as 0"),
            (np.isnan(obs), "no observed total for this group"),
        ],
        len(value),
    )
    columns: dict[str, Any] = {"observed": obs, "expected": expected}
    if ref_rate is not None:
        columns["ref_rate"] = ref_rate
    columns["value"] = value
    columns.update(interval_columns(levels, limits))
    columns["statistic"] = statistic
    if levels:
        columns["method"] = poisson_method_labels(obs)
    columns["note"] = notes
    return build_frame(frame, columns, base=keys, levels=levels, function=function)
