"""Benchmark: life expectancy for 10,000 areas × 20 life-table bands.

The workload PHEindicatormethods 2.1.0 ``phe_life_expectancy`` takes 19.9 s
on this machine (median of 3, R 4.5.0; see the reference README §7).
Target: at least 20 times faster, i.e. under 1 s from a frame in to a frame
out. Also timed: the same from polars, the array-level life table alone,
healthy life expectancy, and an Arriaga decomposition by sex for 100 ward
pairs with 1,000 Poisson simulations.

Data are synthetic (fixed seed): person-years 2,500-40,000 per band, death
rates rising exponentially with age, so no area is suppressed.

Run:  .venv/bin/python benchmarks/life_expectancy.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import polars as pl

from jsna.methods import (
    chiang_life_table,
    decompose_le_gap,
    healthy_life_expectancy,
    life_expectancy,
)

R_SECONDS = 19.9
TARGET_SPEED_UP = 20
AGES = np.array([0, 1, *range(5, 95, 5)])


def areas(count: int, seed: int = 20250101) -> pd.DataFrame:
    """One row per area and band: deaths, person-years and good-health counts."""
    rng = np.random.default_rng(seed)
    pop = rng.uniform(2_500, 40_000, (count, AGES.size))
    rate = np.exp(-10.2 + 0.094 * AGES) * rng.uniform(0.7, 1.4, (count, 1))
    rate[:, 0] = 0.004
    deaths = np.maximum(rng.poisson(pop * rate), 1)
    surveyed = rng.integers(200, 1_000, (count, AGES.size))
    healthy = rng.binomial(surveyed, np.clip(0.95 - 0.006 * AGES, 0.3, 1))
    return pd.DataFrame(
        {
            "area": np.repeat([f"E05{i:06d}" for i in range(count)], AGES.size),
            "age": np.tile(AGES, count),
            "deaths": deaths.ravel(),
            "pop": pop.ravel(),
            "good": healthy.ravel(),
            "asked": surveyed.ravel(),
        }
    )


def best_of(repeats: int, run: Callable[[], Any]) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = run()
        times.append(time.perf_counter() - start)
    return min(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    data = areas(10_000)
    polars_data = pl.from_pandas(data)
    wide_d = data["deaths"].to_numpy(float).reshape(-1, AGES.size)
    wide_p = data["pop"].to_numpy(float).reshape(-1, AGES.size)
    pairs = areas(200, seed=7).assign(
        pair=lambda d: d["area"].str[-6:].astype(int) // 2,
        side=lambda d: np.where(d["area"].str[-6:].astype(int) % 2 == 0, "a", "b"),
    )
    runs: list[tuple[str, Callable[[], Any]]] = [
        (
            "life_expectancy, pandas",
            lambda: life_expectancy(data, "deaths", "pop", "age", by="area"),
        ),
        (
            "life_expectancy, polars",
            lambda: life_expectancy(polars_data, "deaths", "pop", "age", by="area"),
        ),
        ("chiang_life_table, arrays", lambda: chiang_life_table(wide_d, wide_p, AGES)),
        (
            "healthy_life_expectancy, pandas",
            lambda: healthy_life_expectancy(
                data, "deaths", "pop", "age", "good", "asked", by="area"
            ),
        ),
        (
            "decompose_le_gap, 100 pairs, 1,000 simulations",
            lambda: decompose_le_gap(
                pairs,
                "deaths",
                "pop",
                "age",
                "side",
                groups=("a", "b"),
                by="pair",
                simulations=1_000,
                seed=1,
            ),
        ),
    ]
    print(f"{'run (10,000 areas x 20 bands unless said)':50} {'best s':>8} {'x R':>7}")
    for name, run in runs:
        seconds, out = best_of(args.repeats, run)
        speed_up = R_SECONDS / seconds if name.startswith("life_expectancy") else float("nan")
        print(f"{name:50} {seconds:8.3f} {speed_up:7.1f}")
        if name == "life_expectancy, pandas":
            missing = int(out["value"].isna().sum())
            print(
                f"  {len(out):,} rows, {missing} NA; target >= {TARGET_SPEED_UP}x R's {R_SECONDS} s"
            )
            assert R_SECONDS / seconds >= TARGET_SPEED_UP, "slower than the target"


if __name__ == "__main__":
    main()
