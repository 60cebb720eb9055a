"""Secondary (complementary) suppression across linked tables.

A count hidden by the primary rule can often be recovered by subtraction:
the ``all`` count minus every other published group of a dimension, or a
ward total minus the other cells of its row in ``global_majority×ward``.
Secondary suppression hides enough further cells that no hidden cell can be
pinned down more tightly than the range a ``*`` stands for.

Two steps, repeated until the pattern is safe:

1. **no lonely cell** — every relation (a total and its parts) holding
   exactly one hidden cell gets a second one: the smallest positive
   published part (the total only when no part is left), the usual
   "smallest complement" heuristic (Cox, "Suppression methodology and
   statistical disclosure control", *JASA* 75, 1980);
2. **audit** — the attacker's linear programme (:mod:`.attack`) is solved
   with every published count taken as *exact* (a published rate times a
   rounded denominator gives the exact numerator back, so rounding is not
   counted on as protection); each hidden cell still confined to a narrower
   interval than the ``*`` range gets a further complement from one of its
   relations.

Cells of ``all`` (the area totals) are only chosen when nothing else can be.
"""

from __future__ import annotations

import numpy as np

from jsna.disclosure.attack import Constraints, components, feasible_intervals
from jsna.disclosure.policies import DisclosurePolicy

__all__ = ["attacker_constraints", "complementary_suppression", "exposed_cells"]

#: Cost added to a total so that parts are always preferred as complements.
_TOTAL_PENALTY = 1e12


def attacker_constraints(relations: list[np.ndarray], bounded_by: np.ndarray) -> Constraints:
    """The structural facts: each relation's sum, each numerator within its denominator."""
    facts = Constraints()
    for relation in relations:
        facts.add_sum(relation)
    for numerator, denominator in bounded_by:
        if numerator != denominator:
            facts.add_not_above(int(numerator), int(denominator))
    return facts


def exposed_cells(
    values: np.ndarray,
    hidden: np.ndarray,
    facts: Constraints,
    policy: DisclosurePolicy,
    targets: np.ndarray | None = None,
) -> np.ndarray:
    """Hidden cells an attacker confines to less than the ``*`` range, published counts exact.

    ``targets`` limits the check to some hidden cells (default: all of them).
    """
    lower = np.where(hidden, float(policy.low), values)
    upper = np.where(hidden, np.inf, values)
    targets = np.flatnonzero(hidden) if targets is None else targets
    lo, hi = feasible_intervals(lower, upper, facts, targets, anchor=values, enough=policy.interval)
    width = hi[targets] - lo[targets]
    return targets[~(width >= policy.interval - 1e-6)]


def _complement(
    relation: np.ndarray, hidden: np.ndarray, cost: np.ndarray, eligible: np.ndarray
) -> int | None:
    """The cheapest eligible published cell of a relation (a part before the total)."""
    candidates = relation[~hidden[relation] & eligible[relation]]
    if len(candidates) == 0:
        return None
    penalty = np.where(candidates == relation[0], _TOTAL_PENALTY, 0.0)
    order = np.lexsort((candidates, cost[candidates] + penalty))
    return int(candidates[order[0]])


def _no_lonely_cell(
    relations: list[np.ndarray], hidden: np.ndarray, cost: np.ndarray, eligible: np.ndarray
) -> None:
    """Give every relation holding exactly one hidden cell a complement (in place)."""
    changed = True
    while changed:
        changed = False
        for relation in relations:
            if hidden[relation].sum() == 1:
                partner = _complement(relation, hidden, cost, eligible)
                if partner is not None:
                    hidden[partner] = True
                    changed = True


def complementary_suppression(
    values: np.ndarray,
    primary: np.ndarray,
    relations: list[np.ndarray],
    policy: DisclosurePolicy,
    *,
    bounded_by: np.ndarray | None = None,
    totals: np.ndarray | None = None,
    max_rounds: int = 200,
) -> tuple[np.ndarray, np.ndarray]:
    """The full suppression pattern: ``primary`` plus the complements that protect it.

    Returns the hidden mask and the hidden cells still exposed (empty unless
    no complement was left to add, e.g. every cell of a relation is hidden and
    the bounds alone give it away).

    ``values`` are the true cell counts; ``relations`` arrays of cell indices,
    total first (:func:`jsna.disclosure.linked_tables.link_cells`);
    ``totals`` marks cells (the ``all`` rows) to hide only as a last resort.

    >>> from jsna.disclosure.policies import get_policy
    >>> values = np.array([30.0, 3, 12, 15])          # all = 3 + 12 + 15
    >>> hidden, exposed = complementary_suppression(
    ...     values, values == 3, [np.array([0, 1, 2, 3])], get_policy("threshold", below=5))
    >>> hidden.tolist(), exposed.tolist()
    ([False, True, True, False], [])
    """
    values = np.asarray(values, dtype=float)
    hidden = np.asarray(primary, dtype=bool).copy()
    if not hidden.any():
        return hidden, np.empty(0, dtype=int)
    cost = values + (np.where(totals, _TOTAL_PENALTY, 0.0) if totals is not None else 0.0)
    # A published zero (zeros shown) or a missing count is no cover: never a complement.
    eligible = np.isfinite(values) & (values > 0 if policy.low == 1 else values >= 0)
    membership: dict[int, list[int]] = {}
    for i, relation in enumerate(relations):
        for cell in relation:
            membership.setdefault(int(cell), []).append(i)
    facts = attacker_constraints(
        relations, np.empty((0, 2), int) if bounded_by is None else bounded_by
    )

    before: np.ndarray | None = None
    stuck: set[int] = set()
    clean = False
    for _ in range(max_rounds):
        _no_lonely_cell(relations, hidden, cost, eligible)
        if before is None:
            targets = np.flatnonzero(hidden)
        else:  # only groups of hidden cells that gained a complement can have changed
            roots = components(hidden, facts)
            targets = np.flatnonzero(hidden & np.isin(roots, roots[hidden & ~before]))
        before = hidden.copy()
        exposed = exposed_cells(values, hidden, facts, policy, targets)
        if len(exposed) == 0:
            clean = not stuck
            break
        touched: set[int] = set()  # relations given a complement this round
        for cell in exposed:
            around = membership.get(int(cell), [])
            if touched.intersection(around):
                continue  # re-audit first: that complement may already cover this cell
            options = [_complement(relations[r], hidden, cost, eligible) for r in around]
            options = [o for o in options if o is not None]
            if not options:
                stuck.add(int(cell))  # every relation around it is already fully hidden
                continue
            best = min(options, key=lambda o: (cost[o], o))
            hidden[best] = True
            touched.update(membership.get(best, []))
        if not touched:
            break
    if clean:
        return hidden, np.empty(0, dtype=int)
    # Stopped early (nothing left to add, or out of rounds): say what is still exposed.
    return hidden, exposed_cells(values, hidden, facts, policy)
