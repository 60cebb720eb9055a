"""Statistics the synth tests compute on their own, independent of jsna.synth.

A hand-rolled ESP2013 direct standardisation (with its binomial variance)
and a Chiang II abridged life table (with Chiang's variance), written from
the published formulas (Eurostat 2013; PHE "Calculating life expectancy",
2019; Chiang 1984), plus person-years per docs/data-model.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from published_figures import ESP2013_WEIGHTS

ESP2013 = np.array(ESP2013_WEIGHTS, dtype=float)  # 0-4 … 85-89, 90+
LIFE_LOWER = np.array([0, 1, *range(5, 95, 5)])
PERIOD_END = pd.Timestamp("2024-03-31")
WINDOW_START = pd.Timestamp("2019-04-01")


def whole_years(born: pd.Series, at: pd.Series | pd.Timestamp) -> np.ndarray:
    born = pd.to_datetime(born)
    at = pd.to_datetime(at) if isinstance(at, pd.Series) else pd.Series(at, index=born.index)
    years = at.dt.year - born.dt.year
    before = (at.dt.month * 100 + at.dt.day) < (born.dt.month * 100 + born.dt.day)
    return (years - before).to_numpy()


def snapshot(people: pd.DataFrame) -> pd.DataFrame:
    """People registered and alive on period end, with their age then."""
    start = pd.to_datetime(people["registration_start"])
    end = pd.to_datetime(people["registration_end"])
    alive = (start <= PERIOD_END) & (end.isna() | (end > PERIOD_END))
    out = people[alive].copy()
    out["age"] = whole_years(out["date_of_birth"], PERIOD_END)
    return out


def dsr_ratio(
    cases: pd.Series, group: pd.Series, sex: pd.Series, age: np.ndarray, target: str, reference: str
) -> tuple[float, float]:
    """Ratio of age-and-sex-standardised proportions (ESP2013 × each sex) and its log SE."""
    band = np.minimum(age // 5, 18)
    frame = pd.DataFrame(
        {"case": cases.to_numpy(), "group": group.to_numpy(), "sex": sex.to_numpy(), "band": band}
    )
    values = {}
    for name in (target, reference):
        mine = frame[frame["group"] == name]
        table = mine.groupby(["sex", "band"])["case"].agg(["sum", "count"])
        total, variance = 0.0, 0.0
        for (_, age_band), row in table.iterrows():
            w = ESP2013[age_band] / ESP2013.sum() / 2
            p = row["sum"] / row["count"]
            total += w * p
            variance += w**2 * p * (1 - p) / row["count"]
        values[name] = (total, variance)
    (a, va), (b, vb) = values[target], values[reference]
    return a / b, float(np.sqrt(va / a**2 + vb / b**2))


def person_years(people: pd.DataFrame, deaths: pd.DataFrame) -> pd.DataFrame:
    """Time at risk in the mortality window and deaths, by person, per docs/data-model.md."""
    frame = people.merge(deaths, on="person_id", how="left")
    start = pd.to_datetime(frame["registration_start"]).clip(lower=WINDOW_START)
    stop = (
        pd.concat(
            [
                pd.to_datetime(frame["registration_end"]).fillna(PERIOD_END),
                pd.to_datetime(frame["date_of_death"]).fillna(PERIOD_END),
            ],
            axis=1,
        )
        .min(axis=1)
        .clip(upper=PERIOD_END)
    )
    years = ((stop - start).dt.days / 365.25).clip(lower=0)
    middle = start + (stop - start) / 2
    died = frame["date_of_death"].notna() & (pd.to_datetime(frame["date_of_death"]) >= WINDOW_START)
    age_mid = whole_years(frame["date_of_birth"], middle.dt.normalize())
    age_death = np.where(
        died,
        whole_years(
            frame["date_of_birth"], pd.to_datetime(frame["date_of_death"]).fillna(PERIOD_END)
        ),
        0,
    )
    frame["py"] = years
    frame["py_band"] = np.searchsorted(LIFE_LOWER, np.maximum(age_mid, 0), side="right") - 1
    frame["death_band"] = np.searchsorted(LIFE_LOWER, age_death, side="right") - 1
    frame["died"] = died
    return frame


def chiang_life_expectancy(frame: pd.DataFrame) -> tuple[float, float]:
    """Life expectancy at birth and its standard error (Chiang II, 90+ open band)."""
    py = np.bincount(frame["py_band"], weights=frame["py"], minlength=20)
    deaths = np.bincount(frame.loc[frame["died"], "death_band"], minlength=20).astype(float)
    m = deaths / py
    n = np.diff(LIFE_LOWER).astype(float)
    a = np.where(LIFE_LOWER[:-1] == 0, 0.1, 0.5)
    q = n * m[:-1] / (1 + n * (1 - a) * m[:-1])
    q = np.append(np.minimum(q, 1), 1.0)
    lx = np.concatenate([[100000.0], 100000.0 * np.cumprod(1 - q[:-1])])
    dx = lx * q
    big_l = np.append(n * (lx[1:] + a * dx[:-1]), lx[-1] / m[-1])
    tx = np.cumsum(big_l[::-1])[::-1]
    ex = tx / lx
    # Chiang's variance of e0
    var_q = np.where(deaths[:-1] > 0, q[:-1] ** 2 * (1 - q[:-1]) / np.maximum(deaths[:-1], 1), 0)
    terms = lx[:-1] ** 2 * ((1 - a) * n + ex[1:]) ** 2 * var_q
    last = lx[-1] ** 2 / m[-1] ** 4 * deaths[-1] / py[-1] ** 2
    variance = (terms.sum() + last) / lx[0] ** 2
    return float(ex[0]), float(np.sqrt(variance))
