"""The attacker's linear programme: how tightly can each hidden count be pinned down?

Given what is published about every cell — exact, an interval (a rounded
count ``r`` is somewhere in ``[r − 2, r + 2]``) or only a lower bound (a ``*``)
— and the linear relations between cells (sums over margins, a numerator no
larger than its denominator, a published rate fixing numerator/denominator),
the smallest and largest value each target cell can take are found by linear
programming (HiGHS through ``highspy``; the model of each connected group is
built once and re-solved per target): one minimisation and one
maximisation per target, solved per connected group of unknown cells.

This is the classical audit of a suppression pattern (Hundepool et al.,
*Statistical Disclosure Control*, Wiley 2012, §4.3 "the attacker problem";
Statistics Canada G-Confid's audit module). The LP relaxes integrality, so
an interval it finds is never narrower than the integer truth allows: the
audit can miss a disclosure that needs whole-number reasoning, never invent
one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import highspy
import numpy as np
from scipy import sparse

__all__ = ["Constraints", "components", "feasible_intervals"]


@dataclass
class Constraints:
    """Linear facts about the cells: ``Σ coef·x = rhs`` (equal) or ``≤ rhs`` (at most)."""

    equal: list[tuple[np.ndarray, np.ndarray, float]] = field(default_factory=list)
    at_most: list[tuple[np.ndarray, np.ndarray, float]] = field(default_factory=list)

    def add_sum(self, relation: np.ndarray) -> None:
        """Total (first cell) equals the sum of the parts (the rest)."""
        coefs = np.ones(len(relation))
        coefs[0] = -1.0
        self.equal.append((relation, coefs, 0.0))

    def add_not_above(self, smaller: int, larger: int) -> None:
        """``x[smaller] ≤ x[larger]`` (a numerator within its denominator)."""
        self.at_most.append((np.array([smaller, larger]), np.array([1.0, -1.0]), 0.0))

    def add_ratio(self, numerator: int, denominator: int, ratio: float, tolerance: float) -> None:
        """``|x[numerator] − ratio·x[denominator]| ≤ tolerance`` (a published rate)."""
        cells = np.array([numerator, denominator])
        self.at_most.append((cells, np.array([1.0, -ratio]), tolerance))
        self.at_most.append((cells, np.array([-1.0, ratio]), tolerance))


Row = tuple[np.ndarray, np.ndarray, float, bool]  # free cells, coefficients, rhs, is equality

#: Groups larger than this are screened locally first when an anchor is given.
_LOCAL_ABOVE = 200


def _find(parent: np.ndarray, i: int) -> int:
    root = i
    while parent[root] != root:
        root = parent[root]
    while parent[i] != root:
        parent[i], i = root, parent[i]
    return root


def _solver(
    rows: list[Row],
    members: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
) -> highspy.Highs:
    """One HiGHS model over ``members`` (sorted cell ids), re-solved per target."""
    data = np.concatenate([coefs for _, coefs, _, _ in rows])
    all_cells = np.concatenate([cells for cells, _, _, _ in rows])
    row_ids = np.repeat(np.arange(len(rows)), [len(cells) for cells, _, _, _ in rows])
    col_ids = np.searchsorted(members, all_cells)  # members are sorted
    matrix = sparse.csc_matrix((data, (row_ids, col_ids)), shape=(len(rows), len(members)))
    rhs = np.array([r for _, _, r, _ in rows])
    equal = np.array([kind for _, _, _, kind in rows])
    model = highspy.HighsLp()
    model.num_col_, model.num_row_ = len(members), len(rows)
    model.col_cost_ = np.zeros(len(members))
    model.col_lower_ = lower[members].astype(float)
    model.col_upper_ = np.where(np.isinf(upper[members]), highspy.kHighsInf, upper[members])
    model.row_lower_ = np.where(equal, rhs, -highspy.kHighsInf)
    model.row_upper_ = rhs
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_ = matrix.indptr
    model.a_matrix_.index_ = matrix.indices
    model.a_matrix_.value_ = matrix.data
    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("presolve", "off")  # re-solves start from the last basis
    solver.passModel(model)
    return solver


def _optimum(solver: highspy.Highs, column: int, size: int, maximise: bool) -> float:
    """Minimum (or maximum) of one column; ±inf if unbounded, NaN if infeasible."""
    cost = np.zeros(size)
    cost[column] = 1.0
    solver.changeColsCost(size, np.arange(size, dtype=np.int32), cost)
    sense = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
    solver.changeObjectiveSense(sense)
    solver.run()
    status = solver.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        return float(solver.getInfo().objective_function_value)
    if status == highspy.HighsModelStatus.kInfeasible:
        return np.nan
    # Unbounded (or "unbounded or infeasible" after presolve; the other end tells which).
    return np.inf if maximise else -np.inf


def _roots(size: int, groups: list[np.ndarray]) -> np.ndarray:
    """Union-find: the representative of each cell, cells of one group joined."""
    parent = np.arange(size)
    for cells in groups:
        root = _find(parent, int(cells[0]))
        for other in cells[1:]:
            other_root = _find(parent, int(other))
            if other_root != root:
                parent[other_root] = root
    return np.array([_find(parent, i) for i in range(size)])


def components(unknown: np.ndarray, constraints: Constraints) -> np.ndarray:
    """Connected groups of unknown cells: ``roots[i] == roots[j]`` when a fact links them."""
    groups = []
    for cells, _, _ in (*constraints.equal, *constraints.at_most):
        free = cells[unknown[cells]]
        if len(free) > 1:
            groups.append(free)
    return _roots(len(unknown), groups)


def _local_interval(
    target: int,
    rows: list[Row],
    cell_rows: dict[int, list[int]],
    lower: np.ndarray,
    upper: np.ndarray,
    anchor: np.ndarray,
    hops: int,
) -> tuple[float, float]:
    """Interval of ``target`` with every cell beyond ``hops`` relations fixed at ``anchor``.

    The anchor is a feasible point (the true counts), so each point of this
    smaller problem is feasible for the whole one: the interval found is
    inside the true one, and when it is already wide enough the target is safe.
    """
    free = {target}
    for _ in range(hops):
        free |= {int(c) for cell in list(free) for r in cell_rows[cell] for c in rows[r][0]}
    touched = sorted({r for cell in free for r in cell_rows[cell]})
    is_free = np.zeros(len(anchor), dtype=bool)
    is_free[list(free)] = True
    local: list[Row] = []
    for r in touched:
        cells, coefs, rhs, kind = rows[r]
        inside = is_free[cells]
        fixed = float(coefs[~inside] @ anchor[cells[~inside]])
        local.append((cells[inside], coefs[inside], rhs - fixed, kind))
    members = np.array(sorted(free))
    solver = _solver(local, members, lower, upper)
    column = int(np.searchsorted(members, target))
    return (
        _optimum(solver, column, len(members), maximise=False),
        _optimum(solver, column, len(members), maximise=True),
    )


def feasible_intervals(
    lower: np.ndarray,
    upper: np.ndarray,
    constraints: Constraints,
    targets: np.ndarray,
    *,
    anchor: np.ndarray | None = None,
    enough: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Smallest and largest feasible value of each target cell.

    ``lower``/``upper`` bound every cell (equal for a cell published exactly;
    ``upper`` may be ``inf``). Returns ``(lo, hi)`` arrays over all cells:
    the bounds themselves for non-targets, the LP optimum for targets, NaN
    where the published facts contradict each other (infeasible).

    With a feasible ``anchor`` (the true counts) and the width that is
    ``enough``, large groups are screened first on a small neighbourhood of
    each target (:func:`_local_interval`); a target already that wide there
    keeps the local interval, which is inside the true one, and only the rest
    are solved in full.

    >>> c = Constraints(); c.add_sum(np.array([0, 1, 2]))
    >>> lo, hi = feasible_intervals(np.array([10., 1, 6]), np.array([10., np.inf, 6]), c,
    ...                             np.array([1]))
    >>> float(lo[1]), float(hi[1])
    (4.0, 4.0)
    """
    lower = np.asarray(lower, dtype=float)
    upper = np.asarray(upper, dtype=float)
    lo, hi = lower.copy(), upper.copy()
    unknown = upper - lower > 1e-9
    known_value = np.where(unknown, 0.0, lower)

    rows: list[Row] = []
    for kind_equal, facts in ((True, constraints.equal), (False, constraints.at_most)):
        for cells, coefs, rhs in facts:
            free = unknown[cells]
            if not free.any():
                continue
            rest = rhs - float(coefs[~free] @ known_value[cells[~free]])
            rows.append((cells[free], coefs[free], rest, kind_equal))

    roots = _roots(len(lower), [cells for cells, _, _, _ in rows])

    wanted = np.asarray(targets, dtype=int)
    wanted = wanted[unknown[wanted]]
    by_root: dict[int, list[Row]] = {}
    for row in rows:
        by_root.setdefault(int(roots[row[0][0]]), []).append(row)
    order = np.argsort(roots, kind="stable")
    splits = np.flatnonzero(np.diff(roots[order])) + 1
    by_members = {int(roots[g[0]]): np.sort(g) for g in np.split(order, splits)}
    for root in sorted(set(roots[wanted].tolist())):
        component_rows = by_root.get(root, [])
        if not component_rows:
            continue  # no relation touches it: its bounds are all an attacker knows
        members = by_members[root]
        pending = wanted[roots[wanted] == root]
        if anchor is not None and enough is not None and len(members) > _LOCAL_ABOVE:
            cell_rows: dict[int, list[int]] = {}
            for r, (cells, _, _, _) in enumerate(component_rows):
                for c in cells:
                    cell_rows.setdefault(int(c), []).append(r)
            unsettled = []
            for target in pending:
                for hops in (1, 2):  # the target's own relations, then theirs
                    low_end, high_end = _local_interval(
                        int(target), component_rows, cell_rows, lower, upper, anchor, hops
                    )
                    if high_end - low_end >= enough:
                        lo[target], hi[target] = low_end, high_end
                        break
                else:
                    unsettled.append(target)
            pending = np.array(unsettled, dtype=int)
            if len(pending) == 0:
                continue
        solver = _solver(component_rows, members, lower, upper)
        position = {int(c): i for i, c in enumerate(members)}
        for target in pending:
            column = position[int(target)]
            lo[target] = _optimum(solver, column, len(members), maximise=False)
            hi[target] = _optimum(solver, column, len(members), maximise=True)
            if np.isnan(lo[target]):
                hi[target] = np.nan
    return lo, hi
