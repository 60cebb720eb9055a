"""Assemble the tidy result table (``docs/tidy-table.md``) for one indicator at a time.

For each stratum the indicator is reported by, this module asks
:mod:`jsna.indicators.statistics` for the crude (and, where the catalogue
says so, the age-standardised) rows or the life-table rows, adds the
comparator columns from :mod:`jsna.indicators.comparisons`, and labels the
rows with the catalogue and configuration metadata. Rows come out in a fixed
order (catalogue, stratum, category in report order, crude before
standardised) so builds are reproducible.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from jsna.codes.age import ESP_BANDS
from jsna.codes.deprivation import IMD_QUINTILES
from jsna.codes.ethnicity import ETHNICITY_5, ETHNICITY_19, GLOBAL_MAJORITY
from jsna.codes.geography import WARD_NAMES
from jsna.codes.language import NOT_RECORDED
from jsna.codes.sex import SEX_LABELS
from jsna.config import BuildConfig
from jsna.engine.margins import ALL, INTERSECTION, LABEL_JOIN
from jsna.indicators.comparisons import compare
from jsna.indicators.decomposition import CAUSE_LABELS, VALUE_TYPE, gap_decomposition
from jsna.indicators.models import Indicator
from jsna.indicators.statistics import (
    KEYS,
    crude,
    crude_counts,
    esp_grid,
    life_table,
    standardised,
)
from jsna.methods._common import level_suffix
from jsna.tidy_table import COMPARISON_STATISTICS, TIDY_COLUMNS

__all__ = ["indicator_rows", "indicator_strata", "order_rows"]

_VALUE_TYPES = {
    "proportion": "proportion",
    "crude_rate": "crude rate",
    "dsr": "age-standardised rate",
    "life_expectancy": "life expectancy",
    "healthy_life_expectancy": "healthy life expectancy",
    "le_gap_decomposition": VALUE_TYPE,
}

_ORDER: dict[str, tuple[str, ...]] = {
    "ethnicity_19": ETHNICITY_19,
    "ethnicity_5": ETHNICITY_5,
    "global_majority": GLOBAL_MAJORITY,
    "ward": WARD_NAMES,
    "imd_quintile": IMD_QUINTILES,
    "sex": SEX_LABELS,
    "age_band": ESP_BANDS,
    "cause": tuple(CAUSE_LABELS.values()),
}


def indicator_strata(indicator: Indicator, config: BuildConfig) -> list[str]:
    """The configured strata, narrowed to the indicator's own list when it has one."""
    return [s for s in config.strata.all if indicator.strata is None or s in indicator.strata]


def _rank(dimension: str, label: str) -> tuple[int, str]:
    order = _ORDER.get(dimension)
    if order is not None and label in order:
        return order.index(label), label
    if dimension == "main_language":  # alphabetical, "Not recorded" last
        return (1 if label == NOT_RECORDED else 0), label
    return len(order or ()), label


def _category_key(dimension: str, category: str) -> tuple:
    if dimension == ALL:
        return ()
    parts = dimension.split(INTERSECTION)
    labels = category.split(LABEL_JOIN, 1) if len(parts) == 2 else [category]
    return tuple(_rank(d, label) for d, label in zip(parts, labels, strict=True))


def order_rows(table: pd.DataFrame, indicator_order: list[str], strata: list[str]) -> pd.DataFrame:
    """Sort rows by catalogue order, stratum order, category report order, crude first."""
    ind_rank = {name: i for i, name in enumerate(indicator_order)}
    strata_rank = {name: i for i, name in enumerate(strata)}
    rows = zip(
        table["indicator_id"].tolist(),
        table["dimension"].tolist(),
        table["category"].tolist(),
        table["age_standardised"].tolist(),
        strict=True,
    )
    sort_keys = [
        (
            ind_rank[indicator],
            strata_rank.get(dimension, len(strata_rank)),
            "" if dimension in strata_rank else dimension,  # decomposition dimensions
            _category_key(dimension, category),
            bool(standardised),
        )
        for indicator, dimension, category, standardised in rows
    ]
    keys = sorted(range(len(sort_keys)), key=sort_keys.__getitem__)
    return table.iloc[keys].reset_index(drop=True)


def _join_notes(*parts: pd.Series) -> pd.Series:
    def joined(values: tuple) -> object:
        texts = [str(v) for v in values if isinstance(v, str) and v]
        return "; ".join(texts) if texts else None

    return pd.Series([joined(v) for v in zip(*parts, strict=True)], index=parts[0].index)


def indicator_rows(
    indicator: Indicator,
    roles: Mapping[str, str],
    counts: Mapping[str, pd.DataFrame],
    config: BuildConfig,
    *,
    synthetic: bool,
) -> pd.DataFrame:
    """The tidy rows of one indicator: every stratum, crude and standardised, compared.

    ``counts`` maps each stratum (``all``, ``ward``, ``ethnicity_5×sex`` …) to
    its counts by category and band (:func:`jsna.engine.margins.stratum_counts`).
    """
    levels = list(config.confidence)
    role_map = dict(roles)
    measures = sorted(set(role_map.values()))
    strata = indicator_strata(indicator, config)
    stacked = pd.concat(
        [counts[s][[*KEYS, "age_start", *measures]] for s in strata], ignore_index=True
    )
    life = indicator.statistic in {"life_expectancy", "healthy_life_expectancy"}

    # (standardised, statistic rows, count rows compared, the area's count rows)
    variants: list[tuple[bool, pd.DataFrame, pd.DataFrame | None, pd.DataFrame | None]] = []
    if life:
        variants.append((False, life_table(stacked, indicator, role_map, levels), None, None))
    elif indicator.statistic != "le_gap_decomposition":  # rows made below
        if indicator.statistic != "dsr":
            sums = crude_counts(stacked, indicator, role_map)
            area_sums = sums[sums["dimension"] == ALL]
            area_denominator = None
            if indicator.denominator.scope == "area":
                area_denominator = float(area_sums["denominator"].sum())
            rows = crude(sums, indicator, levels, area_denominator=area_denominator)
            variants.append((False, rows, sums, area_sums))
        if indicator.standardised:
            banded = stacked[~stacked["dimension"].str.contains("age_band", regex=False)]
            grid = esp_grid(banded, indicator, role_map)
            area_grid = grid[grid["dimension"] == ALL]
            variants.append((True, standardised(grid, indicator, levels), grid, area_grid))

    references = {s: config.reference_for(s.split(INTERSECTION)[0]) for s in strata}
    frames = []
    if indicator.statistic == "le_gap_decomposition":
        decomposed = gap_decomposition(stacked, indicator, role_map)
        frames.append(
            decomposed.assign(
                numerator=np.nan,
                denominator=np.nan,
                age_standardised=False,
                value_type=VALUE_TYPE,
                significance="Not compared",
                comparison_note=None,
                **dict.fromkeys(COMPARISON_STATISTICS, np.nan),
            )
        )
    for is_standardised, rows, data, area_data in variants:
        if rows.empty:
            continue
        comparison = compare(
            rows,
            data,
            area_data,
            indicator,
            references,
            config.area.name,
            standardised=is_standardised,
        )
        merged = rows.merge(comparison, on=KEYS, how="left", validate="one_to_one")
        merged["age_standardised"] = is_standardised
        merged["value_type"] = (
            "age-standardised rate" if is_standardised else _VALUE_TYPES[indicator.statistic]
        )
        frames.append(merged)
    table = pd.concat(frames, ignore_index=True)

    for level in (0.95, 0.998):
        for side in ("lower", "upper"):
            name = f"{side}_{level_suffix(level)}"
            if name not in table.columns:
                table[name] = np.nan
    # A value that could not be computed already says why; its comparison adds nothing.
    comparison_note = table["comparison_note"].where(table["value"].notna(), None)
    table["note"] = _join_notes(table["note"], comparison_note)
    window = indicator.period == "mortality_window"
    table = table.assign(
        numerator=table["numerator"].astype(float),
        denominator=table["denominator"].astype(float),
        indicator_id=indicator.id,
        indicator_name=indicator.name,
        domain=indicator.domain,
        period=config.mortality_window.label if window else config.snapshot.label,
        area_code=config.area.code,
        area_name=config.area.name,
        area_type=config.area.type,
        multiplier=float(indicator.multiplier),
        polarity=indicator.polarity,
        suppressed=False,
        synthetic=synthetic,
    )
    extra = [
        c for c in table.columns if c.startswith(("lower_", "upper_")) and c not in TIDY_COLUMNS
    ]
    return table[[*TIDY_COLUMNS, *extra]]
