"""A small abridged life table for calibrating mortality (no intervals).

Chiang's method II as used by ONS and PHE for small-area life expectancy
(Chiang 1984, *The Life Table and its Applications*; PHE "Calculating life
expectancy and healthy life expectancy", 2019): age bands 0, 1-4, 5-9 … 85-89,
90+; the fraction of the band lived by those who die is 0.1 for infants and
0.5 otherwise; the open band lives 1/m. The full statistic with confidence
intervals is :func:`jsna.methods.life_expectancy`; the generator only needs
the point value, many times, while it solves for its multipliers.
"""

from __future__ import annotations

import numpy as np

from jsna.codes.age import LIFE_TABLE_LOWER

__all__ = ["life_expectancy_at_birth"]

_WIDTHS = np.diff(np.array(LIFE_TABLE_LOWER, dtype=float))
_AX = np.where(np.array(LIFE_TABLE_LOWER[:-1]) == 0, 0.1, 0.5)


def life_expectancy_at_birth(rates: np.ndarray) -> np.ndarray:
    """Life expectancy at birth from death rates in the 20 life-table bands.

    ``rates`` has the bands on its last axis; any leading axes are kept
    (e.g. one row per ward).

    >>> round(float(life_expectancy_at_birth(np.full(20, 0.02))), 2)
    50.0
    """
    m = np.asarray(rates, dtype=float)
    n = _WIDTHS
    q = np.minimum(n * m[..., :-1] / (1 + n * (1 - _AX) * m[..., :-1]), 1.0)
    survivors = np.cumprod(np.concatenate([np.ones((*m.shape[:-1], 1)), 1 - q], axis=-1), axis=-1)
    deaths = survivors[..., :-1] * q
    lived = n * (survivors[..., 1:] + _AX * deaths)
    open_band = survivors[..., -1] / m[..., -1]
    return lived.sum(axis=-1) + open_band
