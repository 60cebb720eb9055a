"""What ``jsna fetch census`` and ``jsna fetch fingertips`` do, callable from Python.

Each function takes the command's options, does the work through
:mod:`~jsna.sources.connectors.nomis` / :mod:`~jsna.sources.connectors.fingertips`
and returns the lines the command prints (what was written, from where, and
anything skipped), so nothing is dropped without a word.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from jsna.codes import geography as westminster
from jsna.errors import InputError
from jsna.sources.connectors import fingertips, nomis
from jsna.sources.connectors.http import Fetcher, FetchSettings

if TYPE_CHECKING:
    import httpx

__all__ = ["fetch_census_command", "fetch_fingertips_command", "split_list"]


def split_list(text: str | None) -> list[str]:
    """``"TS021, TS024"`` → ``["TS021", "TS024"]`` (empty items dropped)."""
    return [item.strip() for item in (text or "").split(",") if item.strip()]


def _bulk_codes(area: str, level: str) -> list[str]:
    """Ward / LSOA codes of the area, known for Westminster only (jsna.codes.geography)."""
    if level == "la":
        return []
    if area != westminster.BOROUGH_CODE:
        raise InputError(
            f"bulk files carry no parent area, and jsna has a {level} lookup for "
            f"{westminster.BOROUGH_CODE} only",
            column="geography",
            value=level,
            hint="use --geography la with --from-files, or the Nomis API for wards and LSOAs",
        )
    lookup = westminster.ward_lookup()
    column = "ward_code" if level == "ward" else "lsoa21"
    return sorted(set(lookup[column]))


def _write(frame: pd.DataFrame, path: Path, provenance: dict[str, str]) -> None:
    """Parquet with the Fingertips query, its date and licence as key-value metadata."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta.update({f"jsna.fingertips.{k}".encode(): v.encode() for k, v in provenance.items()})
    pq.write_table(table.replace_schema_metadata(meta), path)


def fetch_census_command(
    *,
    area: str,
    tables: Sequence[str],
    level: str,
    out: Path,
    from_files: Path | None,
    settings: FetchSettings,
    transport: httpx.BaseTransport | None = None,
) -> list[str]:
    """Write ``out/census.parquet`` from the Nomis API or from bulk CSVs in ``from_files``."""
    if from_files is not None:
        table = nomis.read_bulk_census(
            from_files, area, tables=tables, geography=level, codes=_bulk_codes(area, level)
        )
    else:
        with Fetcher("Nomis", settings, transport=transport) as fetcher:
            table = nomis.fetch_census(area, tables, geography=level, fetcher=fetcher)
    path = nomis.write_census(table, out)
    areas = table.data["area_code"].nunique()
    return [
        *table.notes,
        f"{len(table.data):,} rows ({areas} area(s), tables "
        f"{', '.join(sorted(table.data['table'].unique()))}) written to {path}",
        table.provenance["attribution"],
    ]


def fetch_fingertips_command(
    *,
    indicators: Sequence[str],
    area: str,
    area_type: int,
    parent: int,
    neighbours: Sequence[str],
    out: Path,
    from_file: Path | None,
    merge: Path | None,
    settings: FetchSettings,
    nearest: bool = False,
    transport: httpx.BaseTransport | None = None,
) -> list[str]:
    """Write ``out/fingertips.parquet`` (the contract columns) and ``out/benchmarks.parquet``.

    With ``nearest``, the area's CIPFA nearest neighbours (from the API) join
    ``neighbours``. With ``merge`` (a built ``indicators.parquet``) also write
    ``out/indicators_with_benchmarks.parquet``.
    """
    lines = []
    if from_file is not None and nearest:
        raise InputError(
            "nearest neighbours come from the Fingertips API",
            column="nearest",
            hint="with --from-file, name the comparator areas with --neighbours",
        )
    if from_file is not None:
        data = fingertips.read_fingertips_csv(from_file)
        source = str(from_file)
        retrieved = dt.datetime.fromtimestamp(Path(from_file).stat().st_mtime, dt.UTC)
        retrieved_at = retrieved.isoformat(timespec="seconds")
    else:
        ids = []
        for item in indicators:
            if not item.isdigit():
                raise InputError(
                    "an indicator id is a whole number", column="indicators", value=item
                )
            ids.append(int(item))
        with Fetcher("Fingertips", settings, transport=transport) as fetcher:
            data, fetched = fingertips.fetch_fingertips(
                ids, area_type=area_type, parent_area_type=parent, fetcher=fetcher
            )
            source, retrieved_at = fetched.url, fetched.fetched_at
            if nearest:
                found = fingertips.nearest_neighbours(area, area_type=area_type, fetcher=fetcher)
                neighbours = [*neighbours, *(c for c in found if c not in neighbours)]
                lines.append(f"CIPFA nearest neighbours of {area}: {', '.join(found)}")
    if indicators and from_file is not None:
        keep = {int(i) for i in indicators if i.isdigit()}
        absent = sorted(keep - set(data["indicator_id"]))
        if absent:
            raise InputError(
                f"no rows for indicator(s) {', '.join(map(str, absent))}",
                file=source,
                column="Indicator ID",
            )
        lines.append(
            f"kept indicators {', '.join(map(str, sorted(keep)))} of "
            f"{data['indicator_id'].nunique()} in {source}"
        )
        data = data[data["indicator_id"].isin(keep)]
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    provenance = {"query": source, "retrieved": retrieved_at, "licence": fingertips.LICENCE}
    _write(data, folder / "fingertips.parquet", provenance)
    rows = fingertips.benchmark_rows(data, area=area, neighbours=neighbours)
    _write(rows, folder / "benchmarks.parquet", provenance)
    lines.append(
        f"{len(data):,} Fingertips rows from {source} written to {folder / 'fingertips.parquet'}"
    )
    lines.append(
        f"{len(rows):,} benchmark rows ({', '.join(rows['area_name'].unique())}) "
        f"written to {folder / 'benchmarks.parquet'}"
    )
    if merge is not None:
        try:
            built = pd.read_parquet(merge)
        except (OSError, ValueError) as error:
            raise InputError(f"cannot read the indicator table: {error}", file=str(merge)) from None
        merged = fingertips.merge_benchmarks(built, rows)
        merged.to_parquet(folder / "indicators_with_benchmarks.parquet", index=False)
        lines.append(
            f"{len(merged):,} rows written to {folder / 'indicators_with_benchmarks.parquet'}"
        )
    lines.append(
        f"Contains public sector information licensed under the {fingertips.LICENCE} "
        "(OHID Fingertips)."
    )
    return lines
