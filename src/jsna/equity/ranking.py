"""Ranking findings by size × certainty × people affected.

Each finding gets a score, the product of three parts:

* size: how far the group is from its reference, as ``|ln(ratio)|`` for
  ratios and ``|difference| / reference value`` for differences (life
  expectancy), so that a doubling and a halving count alike and a gap in years
  is read relative to the level it is a gap from;
* certainty: ``1 − q``, the Benjamini–Hochberg adjusted p-value's complement
  (0 where there is no test);
* people affected: ``log10(10 + people)``, so a finding about 100,000 people
  weighs 5 and one about a group of unknown size weighs 1 — the logarithm
  keeps large groups from drowning out large gaps in small ones.

Findings are ranked by descending score, then come published findings
without a score (comparisons listed but not ranked, such as age bands), then
those not published; ties and unscored findings follow the order of their
ids, so the ranking is deterministic.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["rank_findings", "score"]


def score(
    ratio: np.ndarray,
    difference: np.ndarray,
    reference_value: np.ndarray,
    q_value: np.ndarray,
    people: np.ndarray,
) -> np.ndarray:
    """Size × certainty × people weight; NaN when there is neither ratio nor difference.

    >>> float(score(np.array([2.0]), np.array([np.nan]), np.array([np.nan]),
    ...             np.array([0.0]), np.array([90.0]))[0]) == float(np.log(2.0) * 1 * 2)
    True
    """
    ratio = np.asarray(ratio, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.abs(np.asarray(difference, float) / np.asarray(reference_value, float))
        size = np.where(np.isnan(ratio), relative, np.abs(np.log(ratio)))
    size = np.where(np.isfinite(size), size, np.nan)  # a gap from zero has no relative size
    certainty = np.nan_to_num(1.0 - np.asarray(q_value, float), nan=0.0)
    weight = np.log10(10.0 + np.nan_to_num(np.asarray(people, float), nan=0.0))
    return size * certainty * weight


def rank_findings(findings: pd.DataFrame) -> pd.DataFrame:
    """Sort by score (highest first; unscored, then unpublished, last; ties by id); number 1…n."""
    order = findings.assign(
        _missing=findings["score"].isna(),
        _hidden=~findings["published"].astype(bool),
        _score=-findings["score"],
    )
    order = order.sort_values(["_missing", "_hidden", "_score", "finding_id"], kind="stable")
    ranked = findings.loc[order.index].reset_index(drop=True)
    ranked["rank"] = np.arange(1, len(ranked) + 1)
    return ranked
