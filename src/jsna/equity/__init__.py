"""Equity analysis: every group against its reference, ranked findings, targeting.

The layer between the statistics and the report. :func:`analyse` reads the
tidy result table (docs/tidy-table.md) and returns an :class:`EquityResult`:
ranked findings (each group compared with its reference group, crude and
age-standardised side by side, ratio and difference with CIs,
Benjamini–Hochberg across the whole scan, people affected and people to close
an uptake gap, a plain-English sentence and the anchor of the table behind
it), inequality summary measures, and the notes of groups collapsed for small
numbers. :func:`write_findings` writes the findings CSV.
"""

from jsna.equity.analysis import FINDING_COLUMNS, EquityResult, analyse, write_findings
from jsna.equity.config import EquityConfig

__all__ = ["FINDING_COLUMNS", "EquityConfig", "EquityResult", "analyse", "write_findings"]
