"""Census 2021 tables from Nomis: the API, or the bulk CSVs it publishes.

Both roads end in the same tidy table, ``OUT/census.parquet``, one row per
area × table × category:

=============  =====================================================
``area_code``  GSS code: the local authority, or its wards / LSOAs
``area_name``  as Nomis names it (``Queen's Park (Westminster)``)
``table``      Census table id, ``TS021``
``category``   the category label: ``Asian, Asian British or Asian
               Welsh: Bangladeshi``; for two-way tables the labels
               joined by ``"; "`` (``Female; Aged 5 years``)
``count``      usual residents (or households, for household tables)
=============  =====================================================

The category is the Nomis category name. A bulk CSV header
``Ethnic group: White: Irish`` is the table title, ``": "``, and that name,
so the reader drops the title; the API gives the name in its
``<DIMENSION>_NAME`` column. The Parquet file's key-value metadata records
the query (URLs or files), the download date and the licence (ONS Census
2021, Open Government Licence v3.0).

API: ``https://www.nomisweb.co.uk/api/v01/dataset/<id>.data.csv`` with
``geography`` (a GSS code, or ``<nomis id>TYPE153`` for every ward within an
area), ``measures=20100`` (counts) and paging by ``RecordOffset`` /
``RecordLimit`` (Nomis API help, https://www.nomisweb.co.uk/api/v01/help).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from jsna.errors import InputError
from jsna.sources.connectors._csv import csv_rows

if TYPE_CHECKING:
    from jsna.sources.connectors.http import Fetched, Fetcher

__all__ = [
    "ATTRIBUTION",
    "CENSUS_COLUMNS",
    "DATASETS",
    "DEFAULT_TABLES",
    "GEOGRAPHY_TYPES",
    "LICENCE",
    "CensusTable",
    "fetch_census",
    "read_bulk_census",
    "read_census",
    "write_census",
]

API = "https://www.nomisweb.co.uk/api/v01/dataset"
LICENCE = "Open Government Licence v3.0"
ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "Source: Office for National Statistics, Census 2021 (via Nomis)."
)
#: Census 2021 topic summaries and their Nomis dataset ids.
DATASETS: dict[str, str] = {
    "TS001": "NM_2021_1",
    "TS007": "NM_2027_1",
    "TS008": "NM_2028_1",
    "TS009": "NM_2029_1",
    "TS021": "NM_2041_1",
    "TS024": "NM_2043_1",
    "TS030": "NM_2049_1",
    "TS037": "NM_2055_1",
    "TS038": "NM_2056_1",
    "TS039": "NM_2057_1",
    "TS054": "NM_2072_1",
    "TS066": "NM_2083_1",
}
#: What ``jsna synth --margins-from`` can use (issue #10's list plus TS009 and TS039).
DEFAULT_TABLES: tuple[str, ...] = (
    "TS009",
    "TS021",
    "TS024",
    "TS037",
    "TS038",
    "TS039",
    "TS054",
    "TS066",
)
#: Nomis geography types (2022 local authorities, 2022 wards, 2021 LSOAs).
GEOGRAPHY_TYPES: dict[str, str] = {"la": "TYPE154", "ward": "TYPE153", "lsoa": "TYPE151"}
CENSUS_COLUMNS: tuple[str, ...] = ("area_code", "area_name", "table", "category", "count")
PAGE = 25_000  # the anonymous Nomis cell limit per call

_AREA = re.compile(r"^[EWSNK]\d{8}$")
_BULK_NAME = re.compile(r"^census2021-(ts\d{3}[a-z]*)-", re.IGNORECASE)
_BULK_KEYS = ("date", "geography", "geography code")
_NOT_CATEGORIES = {
    "DATE_NAME",
    "GEOGRAPHY_NAME",
    "MEASURES_NAME",
    "OBS_STATUS_NAME",
    "OBS_CONF_NAME",
}
_LEVEL_CODE = {"ward": "05", "lsoa": "01"}  # E05… / W05… wards, E01… / W01… LSOAs


@dataclass
class CensusTable:
    """The tidy census table with where it came from.

    ``provenance`` holds ``source`` (``nomis-api`` / ``nomis-bulk``),
    ``query`` (the URLs or files, JSON), ``retrieved`` (ISO date-time, UTC),
    ``licence`` and ``attribution``; ``notes`` what was read and skipped.
    """

    data: pd.DataFrame
    provenance: dict[str, str]
    notes: list[str] = field(default_factory=list)


def _check_area(area: str) -> str:
    if not isinstance(area, str) or not _AREA.match(area.strip()):
        raise InputError("area must be a GSS code such as E09000033", column="area", value=area)
    return area.strip()


def _check_tables(tables: Iterable[str]) -> list[str]:
    out = []
    for table in tables:
        name = str(table).strip().upper()
        if name not in DATASETS:
            raise InputError(
                f"no Nomis dataset known for this Census table (known: {', '.join(DATASETS)})",
                column="tables",
                value=table,
            )
        if name not in out:
            out.append(name)
    if not out:
        raise InputError("give at least one Census table", column="tables")
    return out


def _count(raw: str, *, file: str, column: str, row: int) -> int:
    text = raw.strip().replace(",", "")
    if not text.isdigit():
        raise InputError(
            "a count must be a whole number of 0 or more",
            file=file,
            column=column,
            row=row,
            value=raw,
        )
    return int(text)


def _frame(records: list[tuple[str, str, str, str, int]], source: str) -> pd.DataFrame:
    data = pd.DataFrame(records, columns=list(CENSUS_COLUMNS))
    data["count"] = data["count"].astype("int64")
    dupes = data.duplicated(["area_code", "table", "category"], keep=False)
    if dupes.any():
        first = data[dupes].iloc[0]
        raise InputError(
            f"{first['table']} category given twice for {first['area_code']}",
            file=source,
            column="category",
            value=first["category"],
        )
    return data.sort_values(["table", "area_code"], kind="stable").reset_index(drop=True)


# -- the API -----------------------------------------------------------------
def _api_page(
    fetcher: Fetcher, dataset: str, table: str, geography: str, offset: int
) -> tuple[list[tuple[str, str, str, str, int]], int, Fetched]:
    fetched = fetcher.get(
        f"{API}/{dataset}.data.csv",
        {
            "date": "latest",
            "geography": geography,
            "measures": "20100",
            "RecordOffset": offset,
            "RecordLimit": PAGE,
        },
    )
    header, body = csv_rows(fetched.text(), fetched.url)
    needed = ("GEOGRAPHY_CODE", "GEOGRAPHY_NAME", "OBS_VALUE", "RECORD_COUNT")
    missing = [c for c in needed if c not in header]
    if missing:
        raise InputError(
            f"not a Nomis data CSV: no {', '.join(missing)} column (header: "
            f"{', '.join(header[:8])}…)",
            file=fetched.url,
        )
    at = {name: i for i, name in enumerate(header)}
    dims = [i for i, h in enumerate(header) if h.endswith("_NAME") and h not in _NOT_CATEGORIES]
    if not dims:
        raise InputError("no category (<DIMENSION>_NAME) column in the Nomis CSV", file=fetched.url)
    records = []
    total = 0
    for n, row in enumerate(body, start=1):
        if "MEASURES" in at and row[at["MEASURES"]].strip() not in ("20100", ""):
            raise InputError(
                "a measure other than counts (20100)",
                file=fetched.url,
                column="MEASURES",
                row=n,
                value=row[at["MEASURES"]],
            )
        total = _count(row[at["RECORD_COUNT"]], file=fetched.url, column="RECORD_COUNT", row=n)
        if "RECORD_OFFSET" in at and row[at["RECORD_OFFSET"]].strip() != str(offset + n - 1):
            raise InputError(
                f"record {offset + n - 1} expected here: Nomis sent records out of place",
                file=fetched.url,
                column="RECORD_OFFSET",
                row=n,
                value=row[at["RECORD_OFFSET"]],
            )
        records.append(
            (
                row[at["GEOGRAPHY_CODE"]].strip(),
                row[at["GEOGRAPHY_NAME"]].strip(),
                table,
                "; ".join(row[i].strip() for i in dims),
                _count(row[at["OBS_VALUE"]], file=fetched.url, column="OBS_VALUE", row=n),
            )
        )
    return records, total, fetched


def _nomis_id(fetcher: Fetcher, dataset: str, area: str) -> str:
    """Nomis's own numeric id for a GSS code (its ``GEOGRAPHY`` column)."""
    fetched = fetcher.get(
        f"{API}/{dataset}.data.csv",
        {
            "date": "latest",
            "geography": area,
            "measures": "20100",
            "select": "geography,geography_code",
            "RecordLimit": 1,
        },
    )
    header, body = csv_rows(fetched.text(), fetched.url)
    if "GEOGRAPHY" not in header or not body:
        raise InputError(
            "Nomis does not know this area", file=fetched.url, column="area", value=area
        )
    return body[0][header.index("GEOGRAPHY")].strip()


def fetch_census(
    area: str,
    tables: Sequence[str] = DEFAULT_TABLES,
    *,
    geography: str = "la",
    fetcher: Fetcher,
) -> CensusTable:
    """Census 2021 counts for ``area`` (or its wards / LSOAs) from the Nomis API.

    ``geography`` is ``la`` (the area itself), ``ward`` or ``lsoa`` (every
    ward / LSOA within it). Pages of up to 25,000 cells are joined; a page
    that is shorter than Nomis's ``RECORD_COUNT`` says is an error.
    """
    area = _check_area(area)
    names = _check_tables(tables)
    if geography not in GEOGRAPHY_TYPES:
        raise InputError(
            f"geography must be one of {', '.join(GEOGRAPHY_TYPES)}",
            column="geography",
            value=geography,
        )
    records: list[tuple[str, str, str, str, int]] = []
    urls: list[str] = []
    times: list[str] = []
    for table in names:
        dataset = DATASETS[table]
        target = area
        if geography != "la":
            target = f"{_nomis_id(fetcher, dataset, area)}{GEOGRAPHY_TYPES[geography]}"
        got: list[tuple[str, str, str, str, int]] = []
        total = None
        while total is None or len(got) < total:
            page, total, fetched = _api_page(fetcher, dataset, table, target, len(got))
            url = fetched.url
            urls.append(url)
            times.append(fetched.fetched_at)
            expected = min(PAGE, total - len(got))
            if len(page) != expected:
                raise InputError(
                    f"Nomis said {total} records from offset {len(got)}, so {expected} in this "
                    f"page, but sent {len(page)}; the download was cut short",
                    file=url,
                )
            got += page
        if not got:
            raise InputError(f"Nomis returned no {table} rows for {area}", file=urls[-1])
        records += got
    data = _frame(records, "Nomis API")
    provenance = {
        "source": "nomis-api",
        "query": json.dumps(urls),
        "retrieved": min(times),  # the first download, also when answered from the cache
        "licence": LICENCE,
        "attribution": ATTRIBUTION,
    }
    notes = [f"{table}: {int((data['table'] == table).sum())} rows" for table in names]
    return CensusTable(data, provenance, notes)


def _now() -> str:
    """Now, ISO 8601 UTC to the second (when a query was made)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


# -- bulk files ----------------------------------------------------------------
def _bulk_category(header: str) -> str:
    """``Ethnic group: White: Irish`` → ``White: Irish``;
    ``Sex: Female; Age: Aged 5 years; measures: Value`` → ``Female; Aged 5 years``."""
    parts = [p.strip() for p in header.split("; ")]
    if len(parts) > 1:
        kept = [p for p in parts if not p.lower().startswith("measures:")]
        return "; ".join(p.split(": ", 1)[1] if ": " in p else p for p in kept)
    return header.split(": ", 1)[1].strip() if ": " in header else header.strip()


def _level(code: str) -> str:
    for level, digits in _LEVEL_CODE.items():
        if code[1:3] == digits:
            return level
    return "la"


def read_bulk_census(
    folder: str | Path,
    area: str,
    *,
    tables: Sequence[str] | None = None,
    geography: str = "la",
    codes: Iterable[str] | None = None,
) -> CensusTable:
    """The tidy census table from Nomis bulk CSVs (``census2021-ts021-ltla.csv`` …) in ``folder``.

    Keeps the row of ``area`` itself (``geography="la"``), or, for
    ``ward`` / ``lsoa``, the rows of ward / LSOA files whose codes are in
    ``codes`` (bulk files carry no parent area, so the caller names the
    borough's wards or LSOAs). ``tables`` limits the tables read (default:
    every ``census2021-tsNNN-*.csv``). Files of other shapes are skipped and
    listed in ``notes``.
    """
    area = _check_area(area)
    root = Path(folder)
    if not root.is_dir():
        raise InputError("not a folder", file=str(root))
    wanted = None if tables is None else set(_check_tables(tables))
    if geography not in GEOGRAPHY_TYPES:
        raise InputError(
            f"geography must be one of {', '.join(GEOGRAPHY_TYPES)}",
            column="geography",
            value=geography,
        )
    keep = {area} if geography == "la" else set(codes or ())
    if geography != "la" and not keep:
        raise InputError(
            f"bulk files carry no parent area: name the {geography} codes to keep",
            column="codes",
        )
    records: list[tuple[str, str, str, str, int]] = []
    files: list[str] = []
    notes: list[str] = []
    for path in sorted(root.glob("*.csv")):
        match = _BULK_NAME.match(path.name)
        if match is None:
            notes.append(f"skipped {path.name}: not a Nomis census2021-tsNNN bulk file")
            continue
        table = match.group(1).upper()
        if wanted is not None and table not in wanted:
            continue
        header, body = csv_rows(_read_text(path), str(path))
        missing = [k for k in _BULK_KEYS if k not in header]
        if missing:
            notes.append(f"skipped {path.name}: no {', '.join(missing)} column")
            continue
        at = {name: i for i, name in enumerate(header)}
        values = [i for i, h in enumerate(header) if h not in _BULK_KEYS]
        found = 0
        for n, row in enumerate(body, start=1):
            code = row[at["geography code"]].strip()
            if code not in keep or (geography != "la" and _level(code) != geography):
                continue
            found += 1
            for i in values:
                records.append(
                    (
                        code,
                        row[at["geography"]].strip(),
                        table,
                        _bulk_category(header[i]),
                        _count(row[i], file=str(path), column=header[i], row=n),
                    )
                )
        if found:
            files.append(str(path))
            notes.append(f"{table}: {found} area(s) from {path.name}")
        else:
            notes.append(f"{path.name}: no rows for the areas asked for")
    if not records:
        raise InputError(f"no census rows for {area} in the bulk files", file=str(root))
    if wanted is not None:
        absent = sorted(wanted - {r[2] for r in records})
        if absent:
            raise InputError(f"no bulk file gives {', '.join(absent)} for {area}", file=str(root))
    data = _frame(records, str(root))
    provenance = {
        "source": "nomis-bulk",
        "query": json.dumps(files),
        "retrieved": _now(),
        "licence": LICENCE,
        "attribution": ATTRIBUTION,
    }
    return CensusTable(data, provenance, notes)


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 (byte {error.start})", file=str(path)) from None


# -- the tidy file -------------------------------------------------------------
_META = "jsna.census."


def write_census(table: CensusTable, out: str | Path) -> Path:
    """Write ``out/census.parquet`` with the provenance as key-value metadata."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    arrow = pa.Table.from_pandas(table.data[list(CENSUS_COLUMNS)], preserve_index=False)
    meta = {f"{_META}{k}".encode(): v.encode() for k, v in table.provenance.items()}
    path = folder / "census.parquet"
    pq.write_table(arrow.replace_schema_metadata(meta), path)
    return path


def read_census(path: str | Path) -> CensusTable:
    """Read a ``census.parquet`` (or the folder holding it) written by :func:`write_census`."""
    target = Path(path)
    if target.is_dir():
        target = target / "census.parquet"
    if not target.exists():
        raise InputError("no census table here; run `jsna fetch census` first", file=str(target))
    arrow = pq.read_table(target)
    missing = [c for c in CENSUS_COLUMNS if c not in arrow.column_names]
    if missing:
        raise InputError(
            f"not a jsna census table: no {', '.join(missing)} column", file=str(target)
        )
    meta = {
        k.decode()[len(_META) :]: v.decode()
        for k, v in (arrow.schema.metadata or {}).items()
        if k.decode().startswith(_META)
    }
    return CensusTable(arrow.to_pandas()[list(CENSUS_COLUMNS)], meta)
