"""Need against provision: where and for whom need is high and community provision thin.

For every service type with linked indicators (``data/service_types.yaml``)
and every ward and ethnic group, need comes from the tidy result table
(docs/tidy-table.md, crude rows) and provision from the asset directory:

* ``people_in_need`` — for an uptake indicator (higher is better) the eligible
  people not reached (denominator − numerator); for a prevalence indicator
  (lower is better) the people with the condition (numerator);
* ``residents`` — the category's registered population (``pop_share``
  numerator), so both sides are population-weighted:
  ``need_per_1000`` = people in need per 1,000 residents and
  ``services_per_10000`` = services per 10,000 residents;
* ``services`` — for a ward, the service locations of that type in the ward;
  for an ethnic group, the services of that type run for the group
  (``targeted_services``: its own label, its high-level group or Global
  Majority) plus its population share of the services open to all residents
  (``open_services`` × residents of the group / residents of all groups), so
  every group gets the borough's general rate and targeted services add to it.

A category is "high need, thin provision" when its need rate is at or above
the median of its peers (the same indicator and dimension) and its provision
rate at or below theirs. Rows are ranked within each indicator and dimension
by people in need per service (none = infinitely many), then people in need.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jsna.assets.directory import ALL_RESIDENTS, Directory, service_types
from jsna.codes.ethnicity import GROUP_5
from jsna.errors import InputError

__all__ = ["POPULATION_INDICATOR", "need_vs_provision", "residents_by"]

POPULATION_INDICATOR = "pop_share"
COLUMNS = [
    "service_type", "service_label", "indicator_id", "indicator_name", "dimension", "category",
    "residents", "people_in_need", "need_per_1000", "targeted_services", "open_services",
    "services", "services_per_10000",
    "people_in_need_per_service", "high_need_thin_provision", "rank",
]  # fmt: skip


def _crude(tidy: pd.DataFrame) -> pd.DataFrame:
    if "age_standardised" in tidy.columns:
        return tidy[~tidy["age_standardised"].fillna(False).astype(bool)]
    return tidy


def residents_by(tidy: pd.DataFrame, dimension: str) -> pd.Series:
    """Registered residents per category of a dimension, from ``pop_share`` numerators."""
    rows = _crude(tidy)
    rows = rows[(rows["indicator_id"] == POPULATION_INDICATOR) & (rows["dimension"] == dimension)]
    if rows.empty:
        raise InputError(
            f"the tidy table has no {POPULATION_INDICATOR} rows by {dimension}, needed to weight "
            "need and provision by population",
            column="indicator_id",
            value=POPULATION_INDICATOR,
        )
    return rows.groupby("category")["numerator"].first().astype(float)


def _served(table: pd.DataFrame, code: str) -> pd.DataFrame:
    mask = table["service_types"].str.split("; ").map(lambda types: code in types)
    return table[mask & (table["status"] == "active")]


def _group_services(communities: list[set[str]], group: str) -> tuple[int, int]:
    """Services run for the group, and services open to all residents.

    ``communities`` holds each service's set of communities served.
    """
    targets = {group, GROUP_5.get(group, group), "Global Majority"}
    if GROUP_5.get(group) == "White" or group in {"White", "Not stated"}:
        targets.discard("Global Majority")
    targeted = sum(1 for served in communities if targets & served)
    open_to_all = sum(1 for served in communities if ALL_RESIDENTS in served or served == {""})
    return targeted, open_to_all


def need_vs_provision(
    tidy: pd.DataFrame,
    directory: Directory,
    *,
    dimensions: tuple[str, ...] = ("ward", "ethnicity_19"),
) -> pd.DataFrame:
    """One row per service type, need indicator, dimension and category; see module docstring.

    Categories with no residents (``Unknown`` ward, ``Not stated``) are kept
    with NaN rates. Raises :class:`InputError` if the tidy table lacks the
    ``pop_share`` rows for a dimension.
    """
    crude = _crude(tidy)
    names = dict(zip(crude["indicator_id"], crude["indicator_name"], strict=False))
    table = directory.table()
    populations: dict[str, pd.Series] = {}
    rows = []
    for code, kind in service_types().items():
        served = _served(table, code)
        communities = [
            set(text.split("; ")) for text in served.drop_duplicates("service_id")["communities"]
        ]
        for indicator_id in (*kind.access, *kind.need):
            if indicator_id not in names:
                continue
            part = crude[crude["indicator_id"] == indicator_id]
            higher_is_better = str(part["polarity"].iloc[0]) == "higher_is_better"
            for dimension in dimensions:
                cells = part[part["dimension"] == dimension]
                if cells.empty:
                    continue
                if dimension not in populations:
                    populations[dimension] = residents_by(tidy, dimension)
                residents = populations[dimension]
                total = float(residents.sum())
                for category, numerator, denominator in zip(
                    cells["category"].astype(str),
                    cells["numerator"],
                    cells["denominator"],
                    strict=True,
                ):
                    in_need = (
                        float(denominator) - float(numerator)
                        if higher_is_better
                        else float(numerator)
                    )
                    people = float(residents.get(category, np.nan))
                    if dimension == "ward":
                        here = served[served["ward_name"] == category]
                        targeted, open_to_all = 0, len(here)
                        services = float(open_to_all)
                    else:
                        targeted, open_to_all = _group_services(communities, category)
                        share = people / total if total > 0 and people == people else 0.0
                        services = targeted + open_to_all * share
                    rows.append([code, kind.label, indicator_id, names[indicator_id], dimension,
                                 category, people, in_need, targeted, open_to_all,
                                 services])  # fmt: skip
    frame = pd.DataFrame(
        rows,
        columns=[*COLUMNS[:8], "targeted_services", "open_services", "services"],
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        people = frame["residents"].to_numpy(float)
        valid = people > 0
        frame["need_per_1000"] = np.where(valid, 1000 * frame["people_in_need"] / people, np.nan)
        frame["services_per_10000"] = np.where(valid, 10000 * frame["services"] / people, np.nan)
        frame["people_in_need_per_service"] = np.where(
            frame["services"] > 0,
            frame["people_in_need"] / frame["services"].where(frame["services"] > 0, 1.0),
            np.inf,
        )
    flags, ranks = [], []
    keys = ["service_type", "indicator_id", "dimension"]
    frame["high_need_thin_provision"] = False
    frame["rank"] = 0
    for _, peers in frame.groupby(keys, sort=False):
        rated = peers[peers["need_per_1000"].notna()]
        need_median = rated["need_per_1000"].median()
        supply_median = rated["services_per_10000"].median()
        flag = (peers["need_per_1000"] >= need_median) & (
            peers["services_per_10000"] <= supply_median
        )
        flags.append(flag)
        order = peers.sort_values(
            ["people_in_need_per_service", "people_in_need", "category"],
            ascending=[False, False, True],
            kind="stable",
        )
        ranks.append(pd.Series(np.arange(1, len(order) + 1), index=order.index))
    if flags:
        frame["high_need_thin_provision"] = pd.concat(flags).reindex(frame.index).astype(bool)
        frame["rank"] = pd.concat(ranks).reindex(frame.index).astype(int)
    return frame[COLUMNS].sort_values([*keys, "rank"], kind="stable").reset_index(drop=True)
