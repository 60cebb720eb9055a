"""Small-number-aware collapsing: publish a broader group instead of an unstable rate.

A group's rate is unstable when its numerator or denominator is small or its
confidence interval is wide relative to the value (the rule in
:class:`jsna.equity.EquityConfig`, in the spirit of the PHE / Fingertips
practice of not publishing rates from fewer than 10 events or with a relative
standard error above about 25–30%). An unstable group is not published on its
own: it is collapsed into its broader group along the configured hierarchy
(ethnicity_19 → ethnicity_5 → global_majority, also inside intersections such
as ``ethnicity_19×imd_quintile`` → ``ethnicity_5×imd_quintile``), stepping up
until a stable group is found. Every decision is written to a note that states
the rule, and nothing is dropped: the unstable group stays in the findings,
without numbers, pointing to the group that carries it. Notes never quote the
small counts themselves.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from jsna.equity.config import EquityConfig

__all__ = ["NOTE_COLUMNS", "broader_cell", "collapse", "instability"]

CELL_KEY = ("indicator_id", "period", "area_code", "dimension", "category")

NOTE_COLUMNS = [
    "indicator_id",
    "period",
    "area_code",
    "dimension",
    "category",
    "reason",
    "rule",
    "collapsed_to_dimension",
    "collapsed_to_category",
    "note",
]


def instability(cells: pd.DataFrame, config: EquityConfig) -> np.ndarray:
    """Why each group cannot be published on its own ('' when it can).

    Counts are the crude row's; the interval is the one the comparison
    headlines (age-standardised when there is one). Every reason that applies
    is given, joined by '; '; a missing value is reported as suppressed or
    unavailable rather than unstable.
    """
    numerator = cells["crude_numerator"].to_numpy(float)
    denominator = cells["crude_denominator"].to_numpy(float)
    value = cells["value"].to_numpy(float)
    width = cells["upper_95"].to_numpy(float) - cells["lower_95"].to_numpy(float)
    suppressed = cells["suppressed"].to_numpy(bool)
    no_value = np.isnan(value)
    rules = [
        (no_value & suppressed, "value suppressed by disclosure control"),
        (no_value & ~suppressed, "no value available"),
        (numerator < config.min_numerator, f"numerator below {config.min_numerator:g}"),
        (denominator < config.min_denominator, f"denominator below {config.min_denominator:g}"),
        (~no_value & (width > config.max_ci_width_share * np.abs(value)),
         f"95% CI wider than {config.max_ci_width_share:.0%} of the value"),
    ]
    reasons = np.full(len(cells), "", dtype=object)
    for applies, text in rules:
        for i in np.flatnonzero(applies):
            reasons[i] = f"{reasons[i]}; {text}" if reasons[i] else text
    return reasons


def broader_cell(
    dimension: str,
    category: str,
    config: EquityConfig,
    groups: Mapping[str, Mapping[str, str]],
) -> tuple[str, str] | None:
    """The next broader (dimension, category) up the hierarchy, or ``None``.

    >>> groups = {"ethnicity_19": {"Black other": "Black"}}
    >>> broader_cell("ethnicity_19×sex", "Black other × Female", EquityConfig(), groups)
    ('ethnicity_5×sex', 'Black × Female')
    """
    parts = dimension.split("×")
    labels = category.split(" × ")
    for i, part in enumerate(parts):
        target = config.broader_dimension.get(part)
        if target is None:
            continue
        label = groups.get(part, {}).get(labels[i])
        if label is None:
            return None
        parts[i], labels[i] = target, label
        return "×".join(parts), " × ".join(labels)
    return None


def collapse(
    cells: pd.DataFrame,
    config: EquityConfig,
    groups: Mapping[str, Mapping[str, str]],
) -> pd.DataFrame:
    """Decide, for every unstable group, which broader group carries it.

    ``cells`` are all groups (references and ``all`` rows included) with
    their headline ``value``, ``lower_95``, ``upper_95`` and ``suppressed``
    beside the crude counts; the broader groups are looked up among them.
    Returns one note row per unstable group (``NOTE_COLUMNS``).
    """
    reasons = instability(cells, config)
    keys = list(cells[[*CELL_KEY]].itertuples(index=False, name=None))
    stable = {key: reason == "" for key, reason in zip(keys, reasons, strict=True)}
    rule = config.rule_text()
    rows = []
    for position in np.flatnonzero(reasons != ""):
        key = keys[position]
        where, dimension, category = key[:3], key[3], key[4]
        target = broader_cell(dimension, category, config, groups)
        missing = "no broader group is defined for this dimension"
        while target is not None and not stable.get((*where, *target), False):
            if (*where, *target) not in stable:
                missing = f"the broader group {target[1]} ({target[0]}) is not in the table"
                target = None
                break
            missing = "no broader group is stable either"
            target = broader_cell(*target, config, groups)
        reason = reasons[position]
        if target is None:
            note = f"Not published: {reason} (rule: {rule}); {missing}."
            to_dimension = to_category = ""
        else:
            to_dimension, to_category = target
            note = (
                f"Not published: {reason} (rule: {rule}); "
                f"counted within {to_category} ({to_dimension})."
            )
        rows.append([*key, reason, rule, to_dimension, to_category, note])
    return pd.DataFrame(rows, columns=NOTE_COLUMNS)
