"""Benchmark: generating Synthetic Westminster at scale 1, 10 and 100.

Each scale runs in a fresh child process (so peak memory is that run's own)
writing people/conditions/events/deaths Parquet to a temporary folder, and
reports wall time, CPU time, peak resident memory and row counts. Targets
(issue #4): scale 1 under 10 s; scale 100 under 15 minutes and 6 GB.

Run:  .venv/bin/python benchmarks/synth.py [--scales 1 10 100] [--seed 2024]

Measured 2026-11-26 on the shared 2-core machine (other jobs running, so
wall time is well above CPU time):

     scale       people    deaths   wall s    cpu s  peak MB
         1      207,257     3,010      5.8      1.2      376
        10    2,072,731    30,261     45.5     11.4     1272
       100   20,731,271   306,571    494.2     92.4     1378
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile

CHILD = """
import json, resource, sys, time
from jsna.synth import write_synthetic
scale, seed, out = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
start, cpu = time.perf_counter(), time.process_time()
rows = write_synthetic(out, seed=seed, scale=scale)
print(json.dumps({"wall_s": time.perf_counter() - start, "cpu_s": time.process_time() - cpu,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "rows": rows}))
"""


def run(scale: float, seed: int) -> dict:
    with tempfile.TemporaryDirectory() as out:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(scale), str(seed), out],
            check=True,
            capture_output=True,
            text=True,
        )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1, 10, 100])
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    print(f"{'scale':>6} {'people':>12} {'deaths':>9} {'wall s':>8} {'cpu s':>8} {'peak MB':>8}")
    for scale in args.scales:
        r = run(scale, args.seed)
        print(
            f"{scale:>6g} {r['rows']['people']:>12,} {r['rows']['deaths']:>9,} "
            f"{r['wall_s']:>8.1f} {r['cpu_s']:>8.1f} {r['peak_mb']:>8.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
