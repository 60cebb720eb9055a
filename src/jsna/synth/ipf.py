"""Iterative proportional fitting (raking) of a table to its margins.

Deming & Stephan (1940), "On a least squares adjustment of a sampled
frequency table when the expected marginal totals are known", *Annals of
Mathematical Statistics* 11(4): the seed table is scaled along each margin in
turn until every margin matches. The fit keeps the seed's interactions (its
odds ratios), which is how Synthetic Westminster keeps, for example, which
ethnic groups speak which languages while meeting the Census totals.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["fit_ipf"]


def fit_ipf(
    seed: np.ndarray,
    margins: Sequence[tuple[tuple[int, ...], np.ndarray]],
    *,
    tolerance: float = 1e-9,
    max_iterations: int = 1000,
) -> np.ndarray:
    """Scale ``seed`` until its sums over each margin's axes match the targets.

    ``margins`` is a list of ``(axes, target)``: ``axes`` are the dimensions
    the target keeps (ascending), ``target`` their totals in that order. All targets must
    share one grand total. Iteration stops when the largest relative margin
    error is below ``tolerance``; a ValueError is raised if it does not
    converge (for example when seed zeros make the margins unreachable).

    >>> fit = fit_ipf(np.ones((2, 2)), [((0,), np.array([3.0, 1.0])), ((1,), np.array([2.0, 2.0]))])
    >>> fit.tolist()
    [[1.5, 1.5], [0.5, 0.5]]
    """
    table = np.asarray(seed, dtype=float).copy()
    if (table < 0).any():
        raise ValueError("the IPF seed must not be negative")
    targets = []
    for axes, target in margins:
        target = np.asarray(target, dtype=float)
        if list(axes) != sorted(set(axes)):
            raise ValueError(f"margin axes must be ascending and distinct: {axes}")
        other = tuple(a for a in range(table.ndim) if a not in axes)
        if table.sum(axis=other).shape != target.shape:
            raise ValueError(f"margin over axes {axes} has shape {target.shape}")
        targets.append((tuple(axes), other, target))
    totals = [t.sum() for _, _, t in targets]
    if not np.allclose(totals, totals[0], rtol=1e-9):
        raise ValueError(f"margins disagree on the grand total: {totals}")
    for _ in range(max_iterations):
        for axes, other, target in targets:
            current = table.sum(axis=other)
            factor = np.divide(target, current, out=np.zeros_like(target), where=current > 0)
            shape = [table.shape[a] if a in axes else 1 for a in range(table.ndim)]
            table *= factor.reshape(shape)
        error = max(
            np.max(np.abs(table.sum(axis=other) - target) / np.maximum(target, 1e-12))
            for _, other, target in targets
        )
        if error < tolerance:
            return table
    raise ValueError(f"IPF did not converge in {max_iterations} iterations (error {error:.3g})")
