"""Publish a JSNA: site, workbook and tables from the tidy results and findings.

:func:`publish` is the report's single entry point and a pure function of
its inputs: it checks them, builds every file in memory (site pages, charts,
workbook, CSV and Parquet), then writes them under ``out_dir``. Writing goes
to a fresh temporary folder that is moved into place, so an interrupted run
never leaves half a site, and an earlier site's stale pages never linger.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from jsna.report.benchmarks import split_benchmarks
from jsna.report.exports import findings_csv, tidy_csv, tidy_parquet
from jsna.report.inputs import ReportMetadata, check_findings, check_tidy, report_metadata
from jsna.report.site import GENERAL_NOTES, ExtraPage, build_site, indicator_rows
from jsna.report.workbook import build_workbook

__all__ = ["PUBLISHED_FILES", "publish"]

PUBLISHED_FILES = ("indicators.csv", "indicators.parquet", "jsna.xlsx", "findings.csv")


def publish(
    tidy: pd.DataFrame,
    findings: pd.DataFrame,
    out_dir: str | os.PathLike[str],
    *,
    metadata: Mapping[str, Any] | ReportMetadata | None = None,
    pages: Sequence[ExtraPage] = (),
) -> Path:
    """Write the report into ``out_dir`` and return the path of its front page.

    Writes ``out_dir/site/`` (``index.html`` and every page, chart and asset,
    with the downloads under ``site/downloads/``), and beside it
    ``jsna.xlsx``, ``indicators.csv``, ``indicators.parquet`` and
    ``findings.csv``. ``tidy`` is the published (protected) tidy table of
    docs/tidy-table.md; ``findings`` the ranked findings of
    :func:`jsna.equity.analyse` (at least ``rank``, ``indicator_id``,
    ``sentence``); ``metadata`` see :func:`jsna.report.inputs.report_metadata`.
    Data are labelled synthetic on every page and sheet when
    ``metadata["synthetic"]`` is true or any tidy row is. ``pages`` are extra
    pages prepared by other layers (see :class:`jsna.report.site.ExtraPage`,
    e.g. :func:`jsna.assets.pages.community_pages`).

    Example (``tidy``/``findings`` from ``jsna build`` and ``jsna.equity``)::

        index = publish(tidy, findings, "demo-output", metadata={"synthetic": True})
    """
    checked = check_tidy(tidy)
    ranked = check_findings(findings)
    meta = report_metadata(metadata)
    synthetic = meta.synthetic or bool(checked["synthetic"].any())
    published = tidy.reset_index(drop=True)
    downloads = {
        "indicators.csv": tidy_csv(published),
        "indicators.parquet": tidy_parquet(published, synthetic=synthetic),
        "findings.csv": findings_csv(findings.reset_index(drop=True)),
        "jsna.xlsx": build_workbook(
            published,
            checked,
            ranked,
            meta,
            synthetic=synthetic,
            indicator_rows=indicator_rows(split_benchmarks(checked)[0]),
            general_notes=GENERAL_NOTES,
        ),
    }
    site = build_site(
        checked, ranked, meta, synthetic=synthetic, downloads=downloads, extra_pages=pages
    )

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".jsna-site-", dir=out))
    try:
        for relative, content in site.items():
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        if (out / "site").exists():
            shutil.rmtree(out / "site")
        staging.rename(out / "site")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for name in PUBLISHED_FILES:
        (out / name).write_bytes(downloads[name])
    return out / "site" / "index.html"
