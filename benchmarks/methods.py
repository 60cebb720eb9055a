"""Benchmark: the core statistics at national scale, against PHEindicatormethods timings.

Four runs on synthetic data (a fixed seed), each timed end to end from a
pandas frame in to a pandas frame out, best of ``--repeats``, as wall-clock
and as CPU time of this process (the CPU column is the fairer one on a shared
machine: the load average is printed too):

* 1,000,000 proportions (one per row, Wilson 95% intervals: R's default call);
* 1,000,000 crude rates (one per row, 95%, exact below 10 events, Byar's above);
* DSRs for 100,000 groups × 19 ESP2013 age bands (Dobson);
* life expectancy for 10,000 areas × 20 life-table bands (Chiang II), via
  ``jsna.methods.life_expectancy``.

R reference (PHEindicatormethods 2.1.0, same machine, as given in issue #2):
proportion 1M 0.05 s, rate 1M 1.3 s, DSR 100k groups 21.6 s, LE 10k areas 19.9 s.

Run:  .venv/bin/python benchmarks/methods.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from jsna.methods import ESP2013, dsr, life_expectancy, proportion, rate

R_SECONDS = {
    "proportion, 1,000,000 rows": 0.05,
    "rate, 1,000,000 rows": 1.3,
    "DSR, 100,000 groups x 19 bands": 21.6,
    "life expectancy, 10,000 areas x 20 bands": 19.9,
}
TARGET_SPEED_UP = {
    "proportion, 1,000,000 rows": 1,
    "rate, 1,000,000 rows": 5,
    "DSR, 100,000 groups x 19 bands": 20,
    "life expectancy, 10,000 areas x 20 bands": 20,
}
LIFE_TABLE_STARTS = [0, 1, *range(5, 95, 5)]


def counts(rows: int, rng: np.random.Generator) -> pd.DataFrame:
    """Numerators and denominators with a realistic spread (many small counts)."""
    n = rng.integers(50, 200_000, rows)
    x = rng.binomial(n, rng.uniform(0.0005, 0.3, rows))
    return pd.DataFrame({"x": x, "n": n})


def band_rows(groups: int, starts: list[int], rng: np.random.Generator) -> pd.DataFrame:
    """One row per group and age band: deaths rising with age, populations falling."""
    bands = len(starts)
    population = rng.integers(500, 8_000, groups * bands).astype(float)
    age = np.tile(np.asarray(starts, dtype=float), groups)
    deaths = rng.poisson(population * 0.0004 * np.exp(age / 12.0)).astype(float)
    deaths = np.minimum(deaths, population)
    return pd.DataFrame(
        {
            "area": np.repeat(np.arange(groups), bands),
            "age": age.astype(int),
            "deaths": deaths,
            "population": population,
        }
    )


def best_of(repeats: int, run: Callable[[], object]) -> tuple[float, float]:
    """Fastest wall-clock and fastest CPU time over ``repeats`` runs."""
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(wall), min(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(20_261_126)
    rows = counts(1_000_000, rng)
    dsr_rows = band_rows(100_000, list(ESP2013.start_ages), rng)
    le_rows = band_rows(10_000, LIFE_TABLE_STARTS, rng)
    runs: dict[str, Callable[[], object]] = {
        "proportion, 1,000,000 rows": lambda: proportion(rows, "x", "n", confidence=0.95),
        "rate, 1,000,000 rows": lambda: rate(rows, "x", "n", confidence=0.95),
        "DSR, 100,000 groups x 19 bands": lambda: dsr(
            dsr_rows, "deaths", "population", by="area", age="age"
        ),
        "life expectancy, 10,000 areas x 20 bands": lambda: life_expectancy(
            le_rows, "deaths", "population", "age", by="area"
        ),
    }
    print(f"load average (1 min) {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'run':<44}{'wall s':>8}{'CPU s':>8}{'R s':>7}{'speed-up (CPU)':>16}{'target':>8}")
    for name, run in runs.items():
        wall, cpu = best_of(args.repeats, run)
        speed_up = R_SECONDS[name] / cpu
        verdict = "met" if speed_up >= TARGET_SPEED_UP[name] else "missed"
        print(
            f"{name:<44}{wall:>8.3f}{cpu:>8.3f}{R_SECONDS[name]:>7.2f}{speed_up:>15.1f}x"
            f"{TARGET_SPEED_UP[name]:>6}x {verdict}"
        )


if __name__ == "__main__":
    main()
