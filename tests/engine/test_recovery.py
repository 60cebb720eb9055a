"""Recovering known generating prevalences and ratios from 20,000 simulated people.

Each person's register entries are drawn with numpy from a known prevalence
for their ethnic group, independent of age. The built table's 95% intervals
should then contain the true prevalence, and the true ratio to White British,
in about 95% of groups (the bound below allows for sampling: with 33
intervals at 95% coverage, six or more misses has probability < 1%).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from jsna.engine.build import build_table

# NHS ethnic category letter -> ONS 2021 group, and the true prevalence of each condition.
GROUPS = {
    "A": "White British",
    "B": "White Irish",
    "C": "White other",
    "H": "Indian",
    "J": "Pakistani",
    "K": "Bangladeshi",
    "M": "Black Caribbean",
    "N": "Black African",
    "R": "Chinese",
    "W": "Arab",
    "Z": "Not stated",
}
TRUTH = {
    "diabetes": [0.05, 0.05, 0.04, 0.12, 0.14, 0.19, 0.15, 0.10, 0.06, 0.09, 0.06],
    "hypertension": [0.12, 0.13, 0.09, 0.14, 0.13, 0.15, 0.24, 0.18, 0.10, 0.11, 0.10],
    "obesity": [0.08, 0.09, 0.07, 0.08, 0.10, 0.12, 0.24, 0.16, 0.03, 0.11, 0.08],
}
INDICATORS = {
    "diabetes": "ltc_diabetes_prevalence",
    "hypertension": "ltc_hypertension_prevalence",
    "obesity": "ltc_obesity_prevalence",
}
N = 20_000


def simulate(seed: int) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    letters = np.array(list(GROUPS))
    weights = np.array([30, 3, 15, 6, 4, 6, 6, 8, 5, 9, 8], dtype=float)
    group = rng.choice(len(letters), N, p=weights / weights.sum())
    ages = rng.integers(0, 90, N)
    born = [
        date(2024 - int(a), 1, 1) - timedelta(days=int(d))
        for a, d in zip(ages, rng.integers(0, 365, N), strict=True)
    ]
    ids = [f"s{i:05d}" for i in range(N)]
    people = pd.DataFrame(
        {
            "person_id": ids,
            "sex": rng.choice(["F", "M"], N),
            "date_of_birth": born,
            "ethnicity_code": letters[group],
            "lsoa21": "E01004646",
            "main_language": "English",
            "registration_start": born,  # registered from birth
        }
    )
    rows = []
    for condition, truth in TRUTH.items():
        has = rng.random(N) < np.asarray(truth)[group]
        rows += [(ids[i], condition, max(born[i], date(2020, 1, 1))) for i in np.flatnonzero(has)]
    conditions = pd.DataFrame(rows, columns=["person_id", "condition", "diagnosis_date"])
    return {"people": people, "conditions": conditions}


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory, make_data, make_config) -> pd.DataFrame:
    folder = make_data(tmp_path_factory.mktemp("recovery") / "data", simulate(seed=20241))
    config = make_config(list(INDICATORS.values()), dimensions=["ethnicity_19"])
    out = build_table(config, folder).table
    return out[(out["dimension"] == "ethnicity_19") & ~out["age_standardised"]]


def _truth(condition: str) -> pd.Series:
    return pd.Series(TRUTH[condition], index=list(GROUPS.values()))


def test_prevalence_intervals_cover_the_truth(table: pd.DataFrame) -> None:
    hits_95, hits_998, total = 0, 0, 0
    for condition, indicator in INDICATORS.items():
        rows = table[table["indicator_id"] == indicator].set_index("category")
        truth = _truth(condition).reindex(rows.index) * 100
        assert truth.notna().all() and len(rows) == len(GROUPS)
        hits_95 += int(((rows["lower_95"] <= truth) & (truth <= rows["upper_95"])).sum())
        hits_998 += int(((rows["lower_998"] <= truth) & (truth <= rows["upper_998"])).sum())
        total += len(rows)
    assert total == 33
    assert hits_95 >= 28
    assert hits_998 >= 32


def test_ratio_intervals_cover_the_true_ratio(table: pd.DataFrame) -> None:
    hits, total = 0, 0
    for condition, indicator in INDICATORS.items():
        rows = table[table["indicator_id"] == indicator].set_index("category")
        truth = _truth(condition)
        ratio = (truth / truth["White British"]).reindex(rows.index)
        others = rows.index != "White British"
        assert (rows.loc[~others, "ratio_to_comparator"] == 1.0).all()
        assert (rows["comparator"] == "White British").all()
        inside = (rows["ratio_lower_95"] <= ratio) & (ratio <= rows["ratio_upper_95"])
        hits += int(inside[others].sum())
        total += int(others.sum())
    assert total == 30
    assert hits >= 25


def test_large_true_differences_are_flagged(table: pd.DataFrame) -> None:
    # Bangladeshi diabetes 19% vs 5% (ratio 3.8): unmistakable at these sizes.
    rows = table[table["indicator_id"] == "ltc_diabetes_prevalence"].set_index("category")
    assert rows.loc["Bangladeshi", "significance"] == "Higher"  # no_judgement polarity
    assert rows.loc["Bangladeshi", "q_value"] < 0.001
    assert rows.loc["White British", "significance"] == "Not compared"
