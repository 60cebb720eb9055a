"""The disclosure policy written into every published table, row by row.

Parquet keeps the policy in its metadata (``attrs["disclosure"]``); a CSV has
nowhere to keep it but its cells, so published CSVs end with one more column,
``disclosure_policy``, giving the policy in a few words on every row. The
table stays tidy (the policy is a property of each published figure), and a
CSV passed on without its ``manifest.json`` still says how it was protected.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

__all__ = ["POLICY_COLUMN", "policy_label", "with_policy_column"]

#: The column published CSVs carry the policy in.
POLICY_COLUMN = "disclosure_policy"


def policy_label(policy: Mapping[str, Any]) -> str:
    """A short label for a policy recorded by :func:`jsna.disclosure.protect`.

    >>> policy_label({"name": "threshold", "low": 1, "limit": 9, "rounding": None})
    'threshold: 1-9 hidden, others exact'
    >>> policy_label({"name": "nhs_digital", "low": 1, "limit": 7, "rounding": 5})
    'nhs_digital: 1-7 hidden, others rounded to 5'
    """
    rounding = policy.get("rounding")
    shown = f"rounded to {rounding}" if rounding else "exact"
    return f"{policy['name']}: {policy['low']}-{policy['limit']} hidden, others {shown}"


def with_policy_column(table: pd.DataFrame) -> pd.DataFrame:
    """The table with ``disclosure_policy`` appended, from ``attrs["disclosure"]``.

    A table that has not been through :func:`jsna.disclosure.protect` is
    returned unchanged: it records no policy, so none is claimed for it.
    """
    record = table.attrs.get("disclosure")
    if not record:
        return table
    return table.assign(**{POLICY_COLUMN: policy_label(record["policy"])})
