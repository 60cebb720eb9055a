"""Standard populations for direct age standardisation, as data.

The 2013 European Standard Population (ESP2013; Eurostat, *Revision of the
European Standard Population: report of Eurostat's task force*, 2013), the
standard used for age-standardised rates in England since 2014, in three
layouts:

* ``ESP2013`` — 19 bands 0-4, 5-9, …, 85-89, 90+ (the DSR default);
* ``ESP2013_85PLUS`` — 18 bands with 85+ as the last (85-89 and 90+ merged);
* ``ESP2013_LIFE_TABLE`` — 20 bands 0, 1-4, 5-9, …, 85-89, 90+ (the
  life-table bands; ESP2013 gives 1,000 to age 0 and 4,000 to ages 1-4).

Each is a :class:`StandardPopulation`: band labels, start ages and weights
(each totalling 100,000). :func:`match_bands` maps a column of band labels or
start ages onto a standard.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from jsna.errors import InputError

__all__ = [
    "ESP2013",
    "ESP2013_85PLUS",
    "ESP2013_LIFE_TABLE",
    "STANDARDS",
    "StandardPopulation",
    "match_bands",
]


@dataclass(frozen=True)
class StandardPopulation:
    """A standard population: ordered age bands and their weights."""

    name: str
    labels: tuple[str, ...]
    start_ages: tuple[int, ...]
    weights: tuple[float, ...]

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def weight_array(self) -> np.ndarray:
        """The weights as a float array, in band order."""
        return np.asarray(self.weights, dtype=float)


def _five_year_labels(last_open: int) -> tuple[str, ...]:
    return (*(f"{a}-{a + 4}" for a in range(0, last_open, 5)), f"{last_open}+")


_ESP2013_19 = (
    5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
    7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000,
)  # fmt: skip

ESP2013 = StandardPopulation(
    name="esp2013",
    labels=_five_year_labels(90),
    start_ages=tuple(range(0, 95, 5)),
    weights=tuple(float(w) for w in _ESP2013_19),
)

ESP2013_85PLUS = StandardPopulation(
    name="esp2013_85plus",
    labels=_five_year_labels(85),
    start_ages=tuple(range(0, 90, 5)),
    weights=(*ESP2013.weights[:17], ESP2013.weights[17] + ESP2013.weights[18]),
)

ESP2013_LIFE_TABLE = StandardPopulation(
    name="esp2013_life_table",
    labels=("0", "1-4", *ESP2013.labels[1:]),
    start_ages=(0, 1, *ESP2013.start_ages[1:]),
    weights=(1000.0, 4000.0, *ESP2013.weights[1:]),
)

#: Standards selectable by name in :func:`jsna.methods.dsr`.
STANDARDS: dict[str, StandardPopulation] = {
    s.name: s for s in (ESP2013, ESP2013_85PLUS, ESP2013_LIFE_TABLE)
}


def match_bands(
    values: Any, standard: StandardPopulation, *, column: str, function: str
) -> np.ndarray:
    """Band index (0-based, in the standard's order) for each age value.

    ``values`` hold band labels ('0-4', '90+'; an en dash or spaces are
    accepted) or start ages (0, 5, …, 90). The first value that is not a
    band of ``standard`` raises :class:`~jsna.errors.InputError` naming its
    row.
    """
    raw = np.asarray(values)
    if raw.dtype.kind in "iu" and len(raw) and raw.min() >= 0:
        # start ages as integers: a direct lookup, no hashing (millions of rows)
        table = np.full(int(raw.max()) + 1, -1, dtype=np.int64)
        for band, start in enumerate(standard.start_ages):
            if start < len(table):
                table[start] = band
        mapped_rows = table[raw]
        if (mapped_rows >= 0).all():
            return mapped_rows
    codes, uniques = pd.factorize(
        raw if raw.dtype.kind in "OUT" else raw.astype(object), use_na_sentinel=False
    )
    by_label = {label: i for i, label in enumerate(standard.labels)}
    by_start = {age: i for i, age in enumerate(standard.start_ages)}
    mapped = np.empty(len(uniques), dtype=np.int64)
    for k, item in enumerate(uniques):
        key = item.item() if isinstance(item, np.generic) else item
        found = _band_of(key, by_label, by_start)
        if found is None:
            row = int(np.argmax(codes == k))
            raise InputError(
                f"{function}: not an age band of the {standard.name} standard "
                f"(bands are {', '.join(standard.labels)})",
                column=column,
                row=row + 1,
                value=key,
            )
        mapped[k] = found
    return mapped[codes]


def _band_of(item: Any, by_label: dict[str, int], by_start: dict[int, int]) -> int | None:
    if isinstance(item, bool) or item is None:
        return None
    if isinstance(item, int | float):
        if item != item or not float(item).is_integer():
            return None
        return by_start.get(int(item))
    if isinstance(item, str):
        text = item.strip().replace("–", "-").replace(" ", "")
        if text in by_label:
            return by_label[text]
        if text.isdigit():
            return by_start.get(int(text))
    return None
