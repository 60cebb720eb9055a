"""Inequality summary measures across deprivation quintiles and ethnic groups.

Pairwise comparisons say which groups differ; summary measures say how
unequal the whole distribution is. For every indicator (age-standardised
values where the catalogue has them, crude otherwise):

* across the borough's deprivation quintiles, the slope and relative indices
  of inequality (SII, RII; Low & Low 2004, as OHID's ``phe_sii``; for life
  expectancy the SII is the gap in years between the most and least deprived
  ends, as in OHID's Segment Tool) via
  :func:`jsna.methods.sii`, with seeded Monte Carlo intervals;
* across ethnic groups (``ethnicity_19`` and ``ethnicity_5``), the WHO Health
  Equity Assessment Toolkit's measures for non-ordered groups — between-group
  variance (BGV), index of disparity (IDISU/IDISW) and Theil's index (TI) — via
  :func:`jsna.methods.inequality_measures`, with the configured reference group.

Groups that are not part of the ordering or the comparison (``Unknown``
quintile, ``Not stated`` ethnicity) are left out of the measures, and every
summary row's note says so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jsna.equity.config import EquityConfig
from jsna.methods import sii
from jsna.methods.inequality import inequality_measures

__all__ = ["ETHNIC_MEASURES", "SUMMARY_COLUMNS", "inequality_summaries"]

ETHNIC_MEASURES = ("BGV", "IDISU", "IDISW", "TI")
SUMMARY_COLUMNS = [
    "indicator_id",
    "indicator_name",
    "period",
    "area_code",
    "dimension",
    "value_type",
    "measure",
    "value",
    "lower_95",
    "upper_95",
    "kind",
    "reference",
    "method",
    "note",
]
MIN_QUANTILES = 5
_SII_TYPES = {
    "proportion": "proportion",
    "crude rate": "rate",
    "age-standardised rate": "rate",
    "life expectancy": "normal",
    "healthy life expectancy": "normal",
    "mean": "normal",
}
_OUTSIDE = {"imd_quintile": "Unknown", "ethnicity_19": "Not stated", "ethnicity_5": "Not stated"}
_GROUP = ["indicator_id", "indicator_name", "period", "area_code"]


def inequality_summaries(table: pd.DataFrame, config: EquityConfig) -> pd.DataFrame:
    """SII/RII across ``imd_quintile`` and HEAT measures across ethnic groups.

    ``table`` is the validated tidy table (:func:`jsna.equity.tidy_input.read_tidy`).
    """
    rows = _headline_rows(table)
    frames = [_deprivation(rows, config)]
    frames += [_ethnic(rows, dimension, config) for dimension in ("ethnicity_19", "ethnicity_5")]
    frames = [frame for frame in frames if not frame.empty]
    if not frames:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    out = out.sort_values(["indicator_id", "period", "area_code", "dimension", "measure"],
                          kind="stable")
    return out[SUMMARY_COLUMNS].reset_index(drop=True)


def _headline_rows(table: pd.DataFrame) -> pd.DataFrame:
    """Per indicator and dimension, the age-standardised rows if any, else the crude rows."""
    cell = ["indicator_id", "period", "area_code", "dimension"]
    has_standardised = table.groupby(cell)["age_standardised"].transform("any")
    rows = table[table["age_standardised"] == has_standardised]
    rows = rows[rows["dimension"].isin(list(_OUTSIDE))]
    rows = rows[rows["value_type"] != "count"].copy()
    rows["basis"] = np.where(rows["age_standardised"], "age-standardised", "crude")
    left_out = rows["category"] == rows["dimension"].map(_OUTSIDE)
    return rows[~left_out.to_numpy()]


def _outside_note(dimension: str) -> str:
    return f"Any '{_OUTSIDE[dimension]}' group is left out of this measure."


def _deprivation(rows: pd.DataFrame, config: EquityConfig) -> pd.DataFrame:
    quintiles = rows[(rows["dimension"] == "imd_quintile")
                     & rows["value_type"].isin(list(_SII_TYPES))].copy()
    # the SII needs at least 5 ordered groups; fewer give NA and say why
    cell = quintiles.groupby([*_GROUP, "basis"])
    present = cell["category"].transform("size")
    # rates and proportions are simulated on the log/logit scale: a quintile whose
    # interval touches 0 (or 100%) has no standard error there
    transformed = quintiles["value_type"].map(_SII_TYPES) != "normal"
    at_bound = transformed & (
        (quintiles["lower_95"] <= 0)
        | ((quintiles["value_type"] == "proportion")
           & (quintiles["upper_95"] >= quintiles["multiplier"]))
    )
    at_bound = at_bound.groupby([quintiles[c] for c in [*_GROUP, "basis"]]).transform("any")
    frames = [
        _not_computed(
            quintiles[present < MIN_QUANTILES],
            "Not computed: the SII needs at least {minimum} deprivation quintiles; {n} given.",
        ),
        _not_computed(
            quintiles[(present >= MIN_QUANTILES) & at_bound],
            "Not computed: a quintile's 95% interval reaches 0 or 100%, so its standard "
            "error on the log/logit scale the SII simulation uses is undefined.",
        ),
    ]
    quintiles = quintiles[(present >= MIN_QUANTILES) & ~at_bound]
    for (value_type, scale), part in quintiles.groupby(["value_type", "multiplier"], sort=True):
        # proportions go to sii() as fractions and come back per ``scale`` (percentage points)
        fraction = scale if value_type == "proportion" else 1.0
        data = pd.DataFrame(
            {
                "indicator_id": part["indicator_id"],
                "indicator_name": part["indicator_name"],
                "period": part["period"],
                "area_code": part["area_code"],
                "quantile": part["category"],
                "population": part["denominator"],
                "value": part["value"] / fraction,
                "lower": part["lower_95"] / fraction,
                "upper": part["upper_95"] / fraction,
                "basis": part["basis"],
            }
        )
        result = sii(
            data,
            "quantile",
            "population",
            value="value",
            lower="lower",
            upper="upper",
            by=[*_GROUP, "basis"],
            value_type=_SII_TYPES[value_type],
            multiplier=fraction,
            repetitions=config.summary_repetitions,
            seed=config.summary_seed,
            rii=True,
        )
        for measure in ("sii", "rii"):
            frames.append(
                pd.DataFrame(
                    {
                        **{name: result[name] for name in _GROUP},
                        "dimension": "imd_quintile",
                        "value_type": result["basis"],
                        "measure": measure.upper(),
                        "value": result[measure],
                        "lower_95": result[f"{measure}_lower_95"],
                        "upper_95": result[f"{measure}_upper_95"],
                        "kind": "absolute" if measure == "sii" else "relative",
                        "reference": "",
                        "method": result["method"],
                        "note": [
                            " ".join(filter(None, [_outside_note("imd_quintile"), note]))
                            for note in result["note"].fillna("")
                        ],
                    }
                )
            )
    frames = [frame for frame in frames if not frame.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _not_computed(quintiles: pd.DataFrame, note: str) -> pd.DataFrame:
    """NA SII/RII rows for these indicators, with ``note`` ({minimum}, {n} filled in)."""
    groups = quintiles.groupby([*_GROUP, "basis"], sort=True).size().reset_index(name="n")
    rows = [
        {
            **{name: record[name] for name in _GROUP},
            "dimension": "imd_quintile",
            "value_type": record["basis"],
            "measure": measure,
            "value": np.nan,
            "lower_95": np.nan,
            "upper_95": np.nan,
            "kind": kind,
            "reference": "",
            "method": "",
            "note": note.format(minimum=MIN_QUANTILES, n=record["n"]),
        }
        for record in groups.to_dict("records")
        for measure, kind in (("RII", "relative"), ("SII", "absolute"))
    ]
    return pd.DataFrame(rows)


def _ethnic(rows: pd.DataFrame, dimension: str, config: EquityConfig) -> pd.DataFrame:
    groups = rows[(rows["dimension"] == dimension) & rows["value"].notna()
                  & rows["denominator"].notna()]
    frames = []
    for (indicator, name, period, area, basis), part in groups.groupby(
        [*_GROUP, "basis"], sort=True
    ):
        # the reference row may be suppressed (small numbers); these measures do not need it
        reference = config.references.get(dimension)
        result = inequality_measures(
            part,
            "category",
            "value",
            "denominator",
            lower="lower_95",
            upper="upper_95",
            reference=reference if reference in set(part["category"]) else None,
            favourable=bool(part["polarity"].iloc[0] == "higher_is_better"),
            scale=float(part["multiplier"].iloc[0]),
            measures=list(ETHNIC_MEASURES),
            seed=config.summary_seed,
        )
        frames.append(
            pd.DataFrame(
                {
                    "indicator_id": indicator,
                    "indicator_name": name,
                    "period": period,
                    "area_code": area,
                    "dimension": dimension,
                    "value_type": basis,
                    "measure": result["measure"],
                    "value": result["value"],
                    "lower_95": result["lower_95"],
                    "upper_95": result["upper_95"],
                    "kind": result["kind"],
                    "reference": result["reference"].fillna(""),
                    "method": result["method"],
                    "note": [
                        " ".join(filter(None, [_outside_note(dimension), str(flag or "")]))
                        for flag in result["flag"]
                    ],
                }
            )
        )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
