"""Reading and writing the asset directory: Open Referral UK JSON and a simple CSV.

Open Referral UK JSON (:func:`read_openreferral`, :func:`write_openreferral`):
a JSON list of services, or an object holding the list under ``content`` (the
paged API response) or ``services``. Documents are kept as read, so a
read-write round trip is lossless. Output is UTF-8, two-space indented, keys
in their original order.

The simple CSV (:func:`read_directory_csv`, :func:`write_directory_csv`): one
row per service and location with the columns of
:data:`jsna.assets.directory.TABLE_COLUMNS`; lists separated by ``;``; opening
times as ``Mon,Wed 10:00-14:00; Sat 09:00-12:00``. A service at several
locations takes several rows with the same ``service_id`` and identical
service columns.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from jsna.assets.directory import (
    COMMUNITY_VOCABULARY,
    DAYS,
    SERVICE_TYPE_VOCABULARY,
    TABLE_COLUMNS,
    Directory,
    service_types,
)
from jsna.errors import InputError
from jsna.voice.tabular import read_table, require_columns

__all__ = [
    "read_directory",
    "read_directory_csv",
    "read_openreferral",
    "write_directory_csv",
    "write_openreferral",
]

REQUIRED_CSV = ("organisation_id", "organisation_name", "service_id", "service_name",
                "service_types", "location_id", "latitude", "longitude")  # fmt: skip
SERVICE_COLUMNS = TABLE_COLUMNS[:14]
_DAY_NAMES = {v.lower(): k for k, v in DAYS.items()}
_OPENING = re.compile(r"^(?P<days>[A-Za-z, ]+?)\s+(?P<opens>\d{2}:\d{2})-(?P<closes>\d{2}:\d{2})$")


def read_openreferral(path: str | Path) -> Directory:
    """Read an Open Referral UK JSON file; :class:`InputError` if malformed.

    A ``"jsna:synthetic": true`` top-level key marks demo data.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("file not found", file=str(path))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise InputError(f"not valid JSON: {error.msg} at line {error.lineno}, column "
                         f"{error.colno}", file=path.name) from None  # fmt: skip
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", file=path.name) from None
    if isinstance(data, list):
        return Directory(data, source=path.name)
    if isinstance(data, dict):
        for key in ("content", "services"):
            if isinstance(data.get(key), list):
                extra = {k: v for k, v in data.items() if k != key}
                return Directory(data[key], source=path.name, container=key, extra=extra,
                                 synthetic=bool(data.get("jsna:synthetic", False)))  # fmt: skip
    raise InputError(
        "not an Open Referral UK service list: expected a JSON list of services or an object "
        "with a 'content' or 'services' list",
        file=path.name,
        value=type(data).__name__,
    )


def write_openreferral(directory: Directory, path: str | Path) -> Path:
    """Write the directory as Open Referral UK JSON (lossless: what was read is written)."""
    path = Path(path)
    text = json.dumps(directory.document(), ensure_ascii=False, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _number(value: str, file: str, column: str, row: int) -> float | int | None:
    if value == "":
        return None
    try:
        number = float(value)
    except ValueError:
        raise InputError("must be a number", file=file, column=column, row=row,
                         value=value) from None  # fmt: skip
    return int(number) if column.endswith("_age") and number.is_integer() else number


def _schedules(value: str, file: str, row: int) -> list[dict[str, str]]:
    out = []
    for part in _split(value):
        match = _OPENING.match(part)
        days = [d.strip().lower() for d in match.group("days").split(",")] if match else []
        if match is None or not all(d in _DAY_NAMES for d in days):
            raise InputError("opening times must look like 'Mon,Wed 10:00-14:00'", file=file,
                             column="opening_times", row=row, value=part)  # fmt: skip
        out.append(
            {
                "byday": ",".join(_DAY_NAMES[d] for d in days),
                "opens_at": match.group("opens"),
                "closes_at": match.group("closes"),
            }
        )
    return out


def read_directory_csv(path: str | Path, *, synthetic: bool = False) -> Directory:
    """Read the simple CSV (or ``.xlsx``) directory into Open Referral UK services.

    Errors name file, column, 1-based data row and value: a missing column or
    required value, a non-number coordinate, malformed opening times, a
    service whose rows disagree, and (when the table is built) a location
    outside the borough.
    """
    table = read_table(path)
    require_columns(table, REQUIRED_CSV)
    file = table.file
    services: dict[str, dict[str, Any]] = {}
    first: dict[str, tuple[int, dict[str, str]]] = {}
    for row, raw in enumerate(table.rows, start=1):
        for name in REQUIRED_CSV:
            if raw[name] == "":
                raise InputError("required value is empty", file=file, column=name, row=row)
        sid = raw["service_id"]
        if sid in first:
            first_row, first_raw = first[sid]
            for name in SERVICE_COLUMNS:
                if raw.get(name, "") != first_raw.get(name, ""):
                    raise InputError(f"differs from the service's first row ({first_row})",
                                     file=file, column=name, row=row,
                                     value=raw.get(name, ""))  # fmt: skip
        else:
            first[sid] = (row, raw)
            service: dict[str, Any] = {
                "id": sid,
                "name": raw["service_name"],
                "description": raw.get("description", ""),
                "status": raw.get("status", "") or "active",
                "organization": {"id": raw["organisation_id"], "name": raw["organisation_name"]},
                "eligibility_description": raw.get("eligibility", ""),
            }
            for name in ("minimum_age", "maximum_age"):
                number = _number(raw.get(name, ""), file, name, row)
                if number is not None:
                    service[name] = number
            service["languages"] = [{"name": x} for x in _split(raw.get("languages", ""))]
            service["cost_options"] = [{"option": x} for x in _split(raw.get("cost", ""))]
            service["schedules"] = _schedules(raw.get("opening_times", ""), file, row)
            service["attributes"] = [
                {"taxonomy_term": {"vocabulary": SERVICE_TYPE_VOCABULARY, "code": code,
                                   "name": service_types()[code].label
                                   if code in service_types() else code}}
                for code in _split(raw["service_types"])
            ] + [
                {"taxonomy_term": {"vocabulary": COMMUNITY_VOCABULARY, "code": x, "name": x}}
                for x in _split(raw.get("communities", ""))
            ]  # fmt: skip
            service["service_at_locations"] = []
            services[sid] = service
        location: dict[str, Any] = {
            "id": raw["location_id"],
            "name": raw.get("location_name", ""),
            "latitude": _number(raw["latitude"], file, "latitude", row),
            "longitude": _number(raw["longitude"], file, "longitude", row),
            "addresses": [{"address_1": raw.get("address", ""),
                           "postal_code": raw.get("postcode", ""), "city": "London",
                           "country": "GB"}],
            "accessibility": [{"description": x} for x in _split(raw.get("accessibility", ""))],
        }  # fmt: skip
        services[sid]["service_at_locations"].append(
            {"id": f"{sid}@{raw['location_id']}", "location": location}
        )
    if not services:
        raise InputError("the file has a header but no services", file=file)
    directory = Directory(list(services.values()), source=file, container="content",
                          extra={"jsna:synthetic": True} if synthetic else {},
                          synthetic=synthetic)  # fmt: skip
    return directory


def write_directory_csv(directory: Directory, path: str | Path) -> Path:
    """Write the simple CSV: :data:`TABLE_COLUMNS`, one row per service and location."""
    path = Path(path)
    table = directory.table()[list(TABLE_COLUMNS)]
    table.to_csv(path, index=False, lineterminator="\n")
    return path


def read_directory(path: str | Path) -> Directory:
    """Read a directory by extension: ``.json`` (Open Referral UK), ``.csv`` or ``.xlsx``."""
    suffix = Path(path).suffix.lower()
    if suffix == ".json":
        return read_openreferral(path)
    if suffix in {".csv", ".xlsx"}:
        return read_directory_csv(path)
    raise InputError("unsupported directory file type", file=Path(path).name, value=suffix,
                     hint="use .json (Open Referral UK), .csv or .xlsx")  # fmt: skip
