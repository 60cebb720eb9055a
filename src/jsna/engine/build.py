"""``jsna build``: record-level data + catalogue + configuration → the tidy result table.

Stages (each reported to an optional progress callback):

1. **read** — open the four tables on the configured backend;
2. **count** — one aggregation over the enriched person table
   (:mod:`jsna.engine.cells`); the backend scans each record-level table
   once (plus a distinct-values pass over the small ``deaths`` table to group
   its causes);
3. **margins** — every stratum summed from the cells in pandas;
4. **statistics** — per indicator, :mod:`jsna.indicators.tidy`;
5. **write** — ``OUT/indicators.parquet`` and ``.csv`` (published, under
   the configured disclosure policy), ``OUT/restricted/indicators.parquet``
   (unprotected counts, for the analyst only) and ``OUT/manifest.json``
   (provenance), written to a temporary folder first and moved into place,
   the manifest last.

Outputs are deterministic: rows in a fixed order, floats in the CSV written
with 12 significant digits, no timestamps; the manifest's build time follows
``SOURCE_DATE_EPOCH`` when set.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from jsna.config import BuildConfig
from jsna.engine import backends
from jsna.engine.cells import count_cells
from jsna.engine.margins import add_age_band, stratum_counts
from jsna.engine.measures import MeasurePlan, plan_measures
from jsna.engine.persons import cause_lookup, person_table
from jsna.indicators import Catalogue, load_catalogue
from jsna.indicators.tidy import indicator_rows, indicator_strata, order_rows

__all__ = [
    "PUBLISHED",
    "STAGES",
    "BuildResult",
    "build_table",
    "count_all_cells",
    "publishable",
    "write_outputs",
]

#: Stage names, in order, as reported to the progress callback.
STAGES = ("read", "count", "margins", "statistics", "write")

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class BuildResult:
    """The tidy table (unprotected counts) and what the build measured."""

    table: pd.DataFrame
    indicators: int
    scans: int
    cells: int
    seconds: dict[str, float]
    synthetic: bool


def _report(progress: Progress | None, stage: str, done: int, total: int) -> None:
    if progress is not None:
        progress(stage, done, total)


def count_all_cells(
    tables: Mapping[str, Any], plan: MeasurePlan, config: BuildConfig
) -> pd.DataFrame:
    """Every count the plan needs, per finest cell (with its age bands): the one pass.

    Groups the causes of death first (one DISTINCT over ``deaths``), then
    sums the enriched person table (:func:`jsna.engine.persons.person_table`)
    by the finest strata (:func:`jsna.engine.cells.count_cells`).
    """
    distinct = backends.execute(tables["deaths"].select("underlying_cause").distinct())
    persons = person_table(
        tables,
        plan.person_columns(),
        snapshot=config.snapshot.end,
        window=(config.mortality_window.start, config.mortality_window.end),
        cause_groups=cause_lookup(distinct["underlying_cause"]),
    )
    return add_age_band(count_cells(persons, plan))


def build_table(
    config: BuildConfig,
    data_dir: str | Path,
    *,
    catalogue: Catalogue | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Run stages 1-4 and return the tidy table with raw counts (nothing written)."""
    seconds: dict[str, float] = {}
    clock = time.perf_counter()
    chosen = (catalogue or load_catalogue()).select(config.indicator_ids)

    _report(progress, "read", 0, 1)
    con = backends.connect(config.backend)
    period = (config.snapshot.end, config.mortality_window.start)
    tables, synthetic = backends.read_tables(con, Path(data_dir), config.backend, period=period)
    _report(progress, "read", 1, 1)
    seconds["read"] = time.perf_counter() - clock

    clock = time.perf_counter()
    _report(progress, "count", 0, 1)
    plan = plan_measures(chosen)
    cells = count_all_cells(tables, plan, config)
    _report(progress, "count", 1, 1)
    seconds["count"] = time.perf_counter() - clock

    clock = time.perf_counter()
    needed = list(dict.fromkeys(s for ind in chosen for s in indicator_strata(ind, config)))
    needed = ["all", *[s for s in needed if s != "all"]]
    measures = list(plan.measures)
    counts = {}
    for i, stratum in enumerate(needed):
        counts[stratum] = stratum_counts(cells, stratum, measures)
        _report(progress, "margins", i + 1, len(needed))
    seconds["margins"] = time.perf_counter() - clock

    clock = time.perf_counter()
    frames = []
    # Empty groups and bands give NaN values with notes (the methods' NA rules);
    # numpy's warnings about them would only repeat those notes.
    with np.errstate(divide="ignore", invalid="ignore"):
        for i, indicator in enumerate(chosen):
            roles = plan.roles[indicator.id]
            frames.append(indicator_rows(indicator, roles, counts, config, synthetic=synthetic))
            _report(progress, "statistics", i + 1, len(chosen))
    table = order_rows(
        pd.concat(frames, ignore_index=True), [i.id for i in chosen], config.strata.all
    )
    seconds["statistics"] = time.perf_counter() - clock
    con.disconnect()
    return BuildResult(
        table=table,
        indicators=len(chosen),
        scans=1,
        cells=len(cells),
        seconds=seconds,
        synthetic=synthetic,
    )


def publishable(
    table: pd.DataFrame, policy: str = "nhs_digital", **options: object
) -> pd.DataFrame:
    """The table as published: the single call point for disclosure control.

    Applies :func:`jsna.disclosure.protect` (on by default, policy
    ``nhs_digital``; see ``docs/disclosure.md``): small counts hidden with
    their complements, the rest rounded, values of hidden rows blanked. The
    policy and cell counts are in ``attrs["disclosure"]``.
    """
    from jsna.disclosure import protect

    return protect(table, policy, **options)


def _write_csv(table: pd.DataFrame, path: Path) -> None:
    table.to_csv(path, index=False, float_format="%.12g", lineterminator="\n")


def _write_parquet(table: pd.DataFrame, path: Path) -> None:
    table.to_parquet(path, index=False, engine="pyarrow", compression="zstd")


#: The published files, listed (with their SHA-256) in ``manifest.json``.
PUBLISHED = ("indicators.parquet", "indicators.csv")


def write_outputs(
    table: pd.DataFrame,
    out_dir: str | Path,
    *,
    config: BuildConfig | None = None,
    data_dir: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> dict[str, Path]:
    """Write the published and restricted tables; each file appears complete or not at all.

    With ``config`` the published table is protected with its ``disclosure``
    policy (else the default, ``nhs_digital``); with ``data_dir`` as well,
    ``OUT/manifest.json`` (:func:`jsna.provenance.write_manifest`) is written
    too, moved into place last so that a manifest always describes finished
    outputs. The published CSV ends with a ``disclosure_policy`` column.
    ``environ`` (default ``os.environ``) supplies ``SOURCE_DATE_EPOCH``.
    """
    from jsna.disclosure.record import with_policy_column
    from jsna.provenance import MANIFEST_NAME, write_manifest

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if config is None:
        published = publishable(table)
    else:
        published = publishable(table, config.disclosure.policy, **config.disclosure.options)
    staging = Path(tempfile.mkdtemp(prefix=".jsna-build-", dir=out))
    try:
        (staging / "restricted").mkdir()
        _write_parquet(published, staging / "indicators.parquet")
        _write_csv(with_policy_column(published), staging / "indicators.csv")
        _write_parquet(table, staging / "restricted" / "indicators.parquet")
        names = [*PUBLISHED, "restricted/indicators.parquet"]
        if config is not None and data_dir is not None:
            # Hashed in the staging folder: the same bytes as after the move.
            write_manifest(
                staging,
                config=config,
                data_dir=data_dir,
                backend=config.backend.name,
                disclosure=published.attrs["disclosure"],
                outputs=PUBLISHED,
                environ=environ,
            )
            names.append(MANIFEST_NAME)
        (out / "restricted").mkdir(exist_ok=True)
        written = {}
        for name in names:
            os.replace(staging / name, out / name)
            written[name] = out / name
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written
