"""``jsna build`` on the terminal: a Rich progress bar per stage and a summary line."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from jsna.config import BACKENDS, BackendConfig, load_config
from jsna.engine.build import STAGES, build_table, write_outputs
from jsna.errors import InputError

__all__ = ["run_build"]

_LABELS = {
    "read": "Reading the record-level tables",
    "count": "Counting every stratum cell (one scan)",
    "margins": "Summing strata and intersections",
    "statistics": "Statistics and comparisons",
    "write": "Writing the tidy table and manifest",
}


def run_build(
    config_path: Path | None,
    data_dir: Path,
    out_dir: Path,
    console: Console | None = None,
    *,
    backend: str | None = None,
    benchmarks: Sequence[Path] = (),
    benchmark_map: Path | None = None,
) -> str:
    """Build the tidy table with progress bars; returns the summary line it printed.

    ``backend`` (``jsna build --backend``) overrides the configuration's; a
    backend other than the configured one takes its connection from the
    environment (``docs/scaling.md``). ``benchmarks`` are Fingertips CSV
    exports whose rows for the area, its region and England are appended to
    the published table at the write step, indicator ids mapped by
    ``benchmark_map`` (:func:`jsna.sources.connectors.fingertips.add_benchmarks`).
    """
    console = console or Console(stderr=True)
    started = time.perf_counter()
    if benchmark_map is not None and not benchmarks:
        raise InputError(
            "--benchmark-map maps the exports given with --benchmarks; give one",
            column="--benchmark-map",
            value=str(benchmark_map),
        )
    config = load_config(config_path)
    if backend is not None and backend != config.backend.name:
        if backend not in BACKENDS:
            raise InputError(
                f"unknown backend; choose one of {', '.join(BACKENDS)}",
                column="--backend",
                value=backend,
            )
        config = config.model_copy(update={"backend": BackendConfig(name=backend)})
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as bars:
        tasks = {stage: bars.add_task(_LABELS[stage], total=None, start=False) for stage in STAGES}

        def report(stage: str, done: int, total: int) -> None:
            if done == 0 or not bars.tasks[tasks[stage]].started:
                bars.start_task(tasks[stage])
            bars.update(tasks[stage], completed=done, total=total)

        result = build_table(config, data_dir, progress=report)
        report("write", 0, 1)
        table = result.table
        if benchmarks:
            from jsna.sources.connectors.fingertips import add_benchmarks, read_benchmark_map

            mapping = read_benchmark_map(benchmark_map) if benchmark_map is not None else None
            table = add_benchmarks(table, benchmarks, mapping=mapping)
        write_outputs(table, out_dir, config=config, data_dir=data_dir)
        report("write", 1, 1)
    seconds = time.perf_counter() - started
    label = " (synthetic data)" if result.synthetic else ""
    summary = (
        f"jsna build: {result.indicators} indicators, {len(result.table):,} rows, "
        f"{seconds:.1f} s{label}, disclosure {config.disclosure.policy} → {out_dir}"
    )
    console.print(summary)
    return summary
