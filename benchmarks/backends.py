"""Benchmark: the full default `jsna build` on DuckDB, Spark (local mode) and PostgreSQL.

For each scale (Synthetic Westminster, generated once with `jsna synth` into
--data-root, then reused) and each backend, a fresh child process runs
`build_table` with the default configuration and reports wall time, the
engine's stage times and peak memory: the resident set of the child's
process tree (Python, and Spark's JVM, which runs as its child), sampled every
0.2 s, and for PostgreSQL also the server's process tree (the postmaster and
its backends; shared buffers are counted once per process, so this
over-states). Each backend's table is compared with DuckDB's at the same
scale: counts exactly, statistics to 1e-9. Results are printed as JSON lines
and a summary table; docs/scaling.md uses them.

Needs the services of `sh scripts/services.sh start` (PostgreSQL on
127.0.0.1:55432, Java) and the `spark` and `postgres` extras.

Run:  .venv/bin/python benchmarks/backends.py [--scales 1 10] [--backends duckdb spark postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, sys
sys.path.insert(0, sys.argv[4])
from backends import measure
print("RESULT " + json.dumps(measure(sys.argv[1], sys.argv[2], sys.argv[3])))
"""

PG_DATA = Path(os.environ.get("JSNA_PG_DIR", Path(tempfile.gettempdir()) / "jsna-postgres-55432"))


def _tree_rss_mb(root: int) -> float:
    """Resident memory of ``root`` and all its descendants, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, parent = int(entry.name), int(fields[1])
        children.setdefault(parent, []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total / 2**20


def measure(data_dir: str, backend: str, out_file: str) -> dict:
    """Run the full default build on ``backend`` in this process; return the figures."""
    import threading
    import time

    from jsna.config import BackendConfig, load_config
    from jsna.engine.build import build_table

    options: dict = {}
    if backend == "postgres":
        options = {"host": "127.0.0.1", "port": 55432, "user": "postgres", "database": "jsna_test"}
    server = None
    if backend == "postgres" and (PG_DATA / "postmaster.pid").exists():
        server = int((PG_DATA / "postmaster.pid").read_text().split()[0])
    peaks = {"client_mb": 0.0, "server_mb": 0.0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peaks["client_mb"] = max(peaks["client_mb"], _tree_rss_mb(os.getpid()))
            if server is not None:
                peaks["server_mb"] = max(peaks["server_mb"], _tree_rss_mb(server))
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    config = load_config().model_copy(
        update={"backend": BackendConfig(name=backend, options=options, prefix="bench_")}
    )
    start = time.perf_counter()
    result = build_table(config, data_dir)
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    result.table.to_parquet(out_file, index=False)
    return {
        "backend": backend,
        "wall_s": wall,
        "stages_s": result.seconds,
        "rows": len(result.table),
        "cells": result.cells,
        **peaks,
    }


def _same(expected_file: str, actual_file: str) -> bool:
    import numpy as np
    import pandas as pd

    a, b = pd.read_parquet(expected_file), pd.read_parquet(actual_file)
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        return False
    for column in a.columns:
        if column in ("numerator", "denominator"):
            if not np.array_equal(a[column].to_numpy(), b[column].to_numpy(), equal_nan=True):
                return False
        elif a[column].dtype.kind == "f":
            if not np.allclose(b[column], a[column], rtol=1e-9, atol=0, equal_nan=True):
                return False
        elif not a[column].astype(object).equals(b[column].astype(object)):
            return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1, 10])
    parser.add_argument("--backends", nargs="+", default=["duckdb", "spark", "postgres"])
    parser.add_argument(
        "--data-root", type=Path, default=Path(tempfile.gettempdir()) / "jsna-bench"
    )
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    here = str(Path(__file__).parent)
    summary = []
    with tempfile.TemporaryDirectory() as work:
        for scale in args.scales:
            data = args.data_root / f"scale-{scale:g}"
            if not (data / "people.parquet").exists():
                synth = ["synth", "--out", str(data), "--scale", str(scale)]
                subprocess.run(
                    [sys.executable, "-m", "jsna", *synth, "--seed", str(args.seed)], check=True
                )
            reference = None
            for backend in args.backends:
                out = str(Path(work) / f"{backend}-{scale:g}.parquet")
                done = subprocess.run(
                    [sys.executable, "-c", CHILD, str(data), backend, out, here],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                # Progress bars may share the line: the figures follow the RESULT marker.
                r = json.loads(done.stdout.rsplit("RESULT ", 1)[1].splitlines()[0])
                if backend == "duckdb":
                    reference = out
                r["same_as_duckdb"] = None if reference is None else _same(reference, out)
                print(json.dumps({"scale": scale, **r}), flush=True)
                summary.append((scale, r))
    print("\nscale  backend   wall s  read  count  stats  client MB  server MB  same")
    for scale, r in summary:
        s = r["stages_s"]
        print(
            f"{scale:>5g}  {r['backend']:<8} {r['wall_s']:7.1f} {s['read']:5.1f} {s['count']:6.1f}"
            f" {s['statistics']:6.1f} {r['client_mb']:10.0f} {r['server_mb']:10.0f}"
            f"  {r['same_as_duckdb']}"
        )


if __name__ == "__main__":
    main()
