"""How the report writes numbers, intervals and labels for people to read.

One place for the published wording of a value: percentages for proportions
with multiplier 100, "per 100,000" for rates, "years" for life expectancy,
and a plain "suppressed" / "not available" where disclosure control or the
method left no value. Pages, chart tooltips, alt text and the Excel notes all
use these functions, so a number reads the same wherever it appears.
"""

from __future__ import annotations

import math
import re
from typing import Any

__all__ = [
    "GAP_CONTRIBUTION",
    "SUPPRESSED",
    "UNAVAILABLE",
    "format_count",
    "format_interval",
    "format_ratio",
    "format_value",
    "html_id",
    "is_missing",
    "slugify",
    "unit_label",
]

SUPPRESSED = "suppressed"
UNAVAILABLE = "not available"


def is_missing(value: Any) -> bool:
    """True for None, NaN and pandas' missing markers."""
    if value is None:
        return True
    try:
        return bool(math.isnan(float(value)))
    except (TypeError, ValueError):
        return str(value) in {"<NA>", "NaT"}


#: value_type of the rows of a life-expectancy gap decomposition (years).
GAP_CONTRIBUTION = "life expectancy gap contribution"


def _decimals(value_type: str) -> int:
    if value_type == GAP_CONTRIBUTION:  # bands' shares of a gap are often under 0.1 year
        return 2
    return 0 if value_type == "count" else 1


def unit_label(value_type: str, multiplier: float | None) -> str:
    """The unit a value is shown in: '%', 'per 100,000', 'years' or ''.

    >>> unit_label("proportion", 100)
    '%'
    >>> unit_label("age-standardised rate", 100000)
    'per 100,000'
    """
    if value_type in {"life expectancy", "healthy life expectancy", GAP_CONTRIBUTION}:
        return "years"
    if value_type == "count":
        return ""
    if multiplier is None or is_missing(multiplier):
        return ""
    if value_type == "proportion" and float(multiplier) == 100:
        return "%"
    if value_type == "age-standardised rate" and float(multiplier) == 100:
        return "%"
    if float(multiplier) > 1:
        return f"per {float(multiplier):,.0f}"
    return ""


def format_value(
    value: Any, value_type: str, multiplier: float | None, *, suppressed: bool = False
) -> str:
    """A statistic with its unit, or the reason there is none.

    >>> format_value(45.234, "proportion", 100)
    '45.2%'
    >>> format_value(1234.56, "crude rate", 100000)
    '1,234.6 per 100,000'
    >>> format_value(float("nan"), "proportion", 100, suppressed=True)
    'suppressed'
    """
    if is_missing(value):
        return SUPPRESSED if suppressed else UNAVAILABLE
    number = f"{float(value):,.{_decimals(value_type)}f}"
    unit = unit_label(value_type, multiplier)
    if unit == "%":
        return f"{number}%"
    return f"{number} {unit}" if unit else number


def format_interval(lower: Any, upper: Any, value_type: str, multiplier: float | None) -> str:
    """'41.0 to 49.5' (no unit; the value beside it carries the unit), or ''."""
    if is_missing(lower) or is_missing(upper):
        return ""
    places = _decimals(value_type)
    return f"{float(lower):,.{places}f} to {float(upper):,.{places}f}"


def format_ratio(ratio: Any, lower: Any, upper: Any) -> str:
    """'1.95 (1.80 to 2.11)', or '' when there is no ratio."""
    if is_missing(ratio):
        return ""
    text = f"{float(ratio):.2f}"
    if not (is_missing(lower) or is_missing(upper)):
        text += f" ({float(lower):.2f} to {float(upper):.2f})"
    return text


def format_count(value: Any, *, suppressed: bool = False) -> str:
    """A published count with thousands separators ('12,345'); person-years to one place."""
    if is_missing(value):
        return SUPPRESSED if suppressed else UNAVAILABLE
    number = float(value)
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.1f}"


def slugify(text: str) -> str:
    """A lower-case id usable in file names and HTML ids: 'Ward × IMD' → 'ward-imd'."""
    out: list[str] = []
    for char in text.lower():
        if char.isascii() and char.isalnum():
            out.append(char)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


def html_id(text: str) -> str:
    """An HTML id fragment that keeps an indicator id as it is ('ltc_copd_prevalence').

    Letters, digits, '_' and '-' stay; anything else becomes '-', so the
    anchors jsna.equity writes (``#table-<indicator_id>``) land on the table.

    >>> html_id("ltc_copd_prevalence"), html_id("flu 65+")
    ('ltc_copd_prevalence', 'flu-65-')
    """
    return re.sub(r"[^A-Za-z0-9_-]", "-", text)
