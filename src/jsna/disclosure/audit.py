"""``jsna audit OUT``: try to recover every suppressed count from what was published.

The audit plays the attacker against a build's published tidy table
(``OUT/indicators.parquet``, which every other artefact is made from). For
each indicator × period it writes down everything an analyst outside could
know:

* every published count, exact or — under a rounding policy — somewhere in
  ``[r − 2, r + 2]`` (``± 2.5`` for person-years), and above the hidden range
  unless it is a shown zero;
* every ``*`` as an unknown of at least 1 (0 where zeros are hidden too);
* the sums linking the tables (``all`` = each dimension's groups;
  intersections = their margins), a numerator within its denominator, and
  each published percentage or crude rate, which fixes numerator ÷
  denominator;

then minimises and maximises each hidden count by linear programming
(:mod:`.attack`). A hidden count confined to an interval shorter than the
range a ``*`` stands for (6 for counts 1–7) is *recoverable*.

When the build's ``restricted/indicators.parquet`` is present the audit
uses it as the data owner may: to merge counts that are really the same
(one population behind many indicators) and to keep only the sums that truly
hold. It never reports true values.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from jsna.disclosure.attack import feasible_intervals
from jsna.disclosure.linked_tables import MEASURES, LinkedCells, link_cells
from jsna.disclosure.policies import DisclosurePolicy, get_policy
from jsna.disclosure.secondary import attacker_constraints
from jsna.errors import InputError

__all__ = ["AuditReport", "RecoveredCell", "audit", "audit_table"]

_RATIO_TYPES = ("proportion", "crude rate")


@dataclass(frozen=True)
class RecoveredCell:
    """A hidden count the attacker confined to ``[lower, upper]``."""

    indicator_id: str
    period: str
    area_code: str
    measure: str
    dimension: str
    category: str
    lower: float
    upper: float


@dataclass(frozen=True)
class AuditReport:
    """What the attack found: hidden cells checked, and any it could pin down.

    ``inconsistent`` counts hidden cells whose facts contradict each other
    (a shown count inside the hidden range, sums that do not add up): the
    published outputs do not follow the recorded policy, which fails too.
    """

    policy: str
    cells: int
    suppressed: int
    recoverable: tuple[RecoveredCell, ...]
    inconsistent: int
    seconds: float

    @property
    def ok(self) -> bool:
        """True when no hidden count can be recovered and the published facts agree."""
        return not self.recoverable and self.inconsistent == 0

    def summary(self) -> str:
        """Plain-text report for the command line."""
        lines = [
            f"policy: {self.policy}",
            f"count cells published: {self.cells}; suppressed: {self.suppressed}",
            f"recoverable: {len(self.recoverable)}; hidden cells under contradictory facts: "
            f"{self.inconsistent}; audit took {self.seconds:.1f} s",
        ]
        for cell in self.recoverable[:50]:
            lines.append(
                f"  {cell.indicator_id} {cell.period} {cell.dimension} = {cell.category} "
                f"({cell.measure}): in [{cell.lower:.2f}, {cell.upper:.2f}]"
            )
        if len(self.recoverable) > 50:
            lines.append(f"  … and {len(self.recoverable) - 50} more")
        lines.append("PASS" if self.ok else "FAIL")
        return "\n".join(lines)


def _bounds(
    linked: LinkedCells, published: np.ndarray, hidden: np.ndarray, policy: DisclosurePolicy
) -> tuple[np.ndarray, np.ndarray]:
    """What an outsider knows of each cell: exact, a rounding interval, or a lower bound."""
    integer = linked.cells["integer"].to_numpy()
    half = np.where(integer, policy.half_width(True), policy.half_width(False))
    shown_floor = np.where(integer, policy.limit + 1, policy.limit)
    lower = np.maximum(published - half, 0.0)
    # A shown non-zero count lies above the hidden range (exact counts are unaffected).
    lower = np.where(published > 0, np.maximum(lower, shown_floor), lower)
    upper = published + half
    # A missing count is unknown: at least 0, or the hidden range's floor if suppressed.
    missing = np.isnan(published)
    lower = np.where(missing, np.where(hidden, float(policy.low), 0.0), lower)
    upper = np.where(missing, np.inf, upper)
    return lower, np.maximum(upper, lower)


def _plausible(relation: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> bool:
    """Could this sum hold at all under the published bounds? (else it is not a real sum)."""
    parts = relation[1:]
    return bool(
        lower[parts].sum() <= upper[relation[0]] + 1e-6
        and upper[parts].sum() >= lower[relation[0]] - 1e-6
    )


def audit_table(
    published: pd.DataFrame,
    policy: DisclosurePolicy | str,
    *,
    truth: pd.DataFrame | None = None,
    source: str = "indicators.parquet",
    **options: object,
) -> AuditReport:
    """Attack one published tidy table; ``truth`` is its restricted twin when available."""
    start = time.perf_counter()
    chosen = get_policy(policy, **options)
    linked = link_cells(published, truth=truth, source=source)
    values = linked.values(published)
    suppressed_rows = published["suppressed"].fillna(False).to_numpy(dtype=bool)
    hidden = np.zeros(len(values), dtype=bool)
    for measure in MEASURES:
        cells = linked.row_cell[measure]
        hidden[cells[suppressed_rows & np.isnan(values[cells])]] = True
    lower, upper = _bounds(linked, values, hidden, chosen)

    relations = linked.relations
    if truth is None:
        relations = [r for r in relations if _plausible(r, lower, upper)]
    facts = attacker_constraints(relations, linked.bounded_by)
    table_values = published["value"].to_numpy(dtype=float)
    multiplier = published.get("multiplier", pd.Series(np.nan, index=published.index))
    ratio_rows = (
        published["value_type"].isin(_RATIO_TYPES).to_numpy()
        & ~published["age_standardised"].astype(bool).to_numpy()
        & np.isfinite(table_values)
        & np.isfinite(multiplier.to_numpy(dtype=float))
    )
    for i in np.flatnonzero(ratio_rows):
        numerator = int(linked.row_cell["numerator"][i])
        denominator = int(linked.row_cell["denominator"][i])
        ratio = table_values[i] / float(multiplier.iat[i])
        tolerance = 1e-7 * (1.0 + ratio * min(upper[denominator], 1e12))
        facts.add_ratio(numerator, denominator, ratio, tolerance)

    targets = np.flatnonzero(hidden)
    anchor = None if truth is None else np.nan_to_num(linked.values(truth))
    lo, hi = feasible_intervals(lower, upper, facts, targets, anchor=anchor, enough=chosen.interval)
    width = hi[targets] - lo[targets]
    inconsistent = int(np.isnan(width).sum())
    found = targets[np.isfinite(width) & (width < chosen.interval - 1e-6)]
    cells = linked.cells
    recovered = tuple(
        RecoveredCell(
            indicator_id=str(cells.at[c, "indicator_id"]),
            period=str(cells.at[c, "period"]),
            area_code=str(cells.at[c, "area_code"]),
            measure=str(cells.at[c, "measure"]),
            dimension=str(cells.at[c, "dimension"]),
            category=str(cells.at[c, "category"]),
            lower=float(lo[c]),
            upper=float(hi[c]),
        )
        for c in found
    )
    return AuditReport(
        policy=chosen.describe(),
        cells=len(values),
        suppressed=int(hidden.sum()),
        recoverable=recovered,
        inconsistent=inconsistent,
        seconds=time.perf_counter() - start,
    )


def _policy_of(out: Path, published: pd.DataFrame) -> DisclosurePolicy:
    manifest = out / "manifest.json"
    recorded = None
    if manifest.exists():
        try:
            recorded = json.loads(manifest.read_text(encoding="utf-8")).get("disclosure")
        except json.JSONDecodeError as error:
            raise InputError(f"not valid JSON: {error.msg}", file=str(manifest)) from None
    recorded = recorded or published.attrs.get("disclosure")
    if not recorded or "policy" not in recorded:
        raise InputError(
            "no disclosure policy recorded with the outputs",
            file=str(manifest),
            hint="pass the policy explicitly, e.g. jsna audit OUT --policy nhs_digital",
        )
    fields = recorded["policy"]
    return DisclosurePolicy(
        name=str(fields["name"]),
        limit=int(fields["limit"]),
        low=int(fields["low"]),
        rounding=None if fields.get("rounding") is None else int(fields["rounding"]),
    )


def audit(out_dir: str | Path, policy: DisclosurePolicy | str | None = None) -> AuditReport:
    """Audit a build folder: ``OUT/indicators.parquet`` against its recorded policy.

    The policy is read from ``OUT/manifest.json`` (or the table's metadata)
    unless given. ``OUT/restricted/indicators.parquet`` is used when present.
    """
    out = Path(out_dir)
    path = out / "indicators.parquet"
    if not path.exists():
        raise InputError("no published table to audit", file=str(path), hint="run jsna build first")
    published = pd.read_parquet(path)
    chosen = get_policy(policy) if policy is not None else _policy_of(out, published)
    restricted = out / "restricted" / "indicators.parquet"
    truth = pd.read_parquet(restricted) if restricted.exists() else None
    return audit_table(published, chosen, truth=truth, source=str(path))
