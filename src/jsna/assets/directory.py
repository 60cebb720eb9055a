"""The community asset directory: Open Referral UK services, as documents and as a table.

A :class:`Directory` holds services in the shape of Open Referral UK (the UK
profile of the Human Services Data Specification, HSDS 3.0): each service with
its ``organization``, ``service_at_locations`` (each with a ``location``:
name, ``latitude``/``longitude``, ``addresses``, ``accessibility``),
``languages``, ``cost_options``, ``schedules``, ``eligibility_description``,
``minimum_age``/``maximum_age`` and ``attributes``. jsna's own classifications
travel as attributes with a ``taxonomy_term`` in two vocabularies:
``jsna:service_type`` (the codes of ``data/service_types.yaml``) and
``jsna:community`` (the communities a service is run for: ethnic-group labels
of docs/data-model.md, ``Global Majority`` or ``All residents``).

The documents are kept exactly as read, so writing them back is lossless
(fields jsna does not use survive). :meth:`Directory.table` is the flat view
every analysis reads: one row per service and location, placed in an LSOA and
ward by :mod:`jsna.assets.geography`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd
import yaml

from jsna.assets.geography import locate_many
from jsna.codes.ethnicity import ETHNICITY_5, ETHNICITY_19
from jsna.errors import InputError

__all__ = [
    "ALL_RESIDENTS",
    "COMMUNITY_VOCABULARY",
    "DAYS",
    "SERVICE_TYPE_VOCABULARY",
    "TABLE_COLUMNS",
    "Directory",
    "ServiceType",
    "format_opening_times",
    "service_types",
]

SERVICE_TYPE_VOCABULARY = "jsna:service_type"
COMMUNITY_VOCABULARY = "jsna:community"
ALL_RESIDENTS = "All residents"
COMMUNITIES = (*ETHNICITY_19[:-1], *ETHNICITY_5[:-1], "Global Majority", ALL_RESIDENTS)
#: RFC 5545 day codes (Open Referral ``schedules.byday``) → the short names used in CSV.
DAYS = {"MO": "Mon", "TU": "Tue", "WE": "Wed", "TH": "Thu", "FR": "Fri", "SA": "Sat",
        "SU": "Sun"}  # fmt: skip
STATUSES = ("active", "inactive", "defunct", "temporarily closed")
TABLE_COLUMNS = (
    "organisation_id", "organisation_name", "service_id", "service_name", "description",
    "status", "service_types", "communities", "languages", "cost", "eligibility",
    "minimum_age", "maximum_age", "opening_times", "accessibility", "location_id",
    "location_name", "address", "postcode", "latitude", "longitude",
)  # fmt: skip
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_LISTS_OF_OBJECTS = {"cost_options", "addresses", "accessibility"}


@dataclass(frozen=True)
class ServiceType:
    """One service type of ``data/service_types.yaml`` and the indicators it links to."""

    code: str
    label: str
    profile: bool
    access: tuple[str, ...] = ()
    need: tuple[str, ...] = ()
    completion: tuple[str, ...] = ()
    mentions: tuple[str, ...] = field(default=())


@cache
def service_types() -> dict[str, ServiceType]:
    """The shipped service types, code → :class:`ServiceType`, in file order.

    >>> list(service_types())[:3]
    ['vaccination', 'screening', 'health_checks']
    """
    text = resources.files("jsna.assets").joinpath("data/service_types.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return {
        code: ServiceType(
            code=code,
            label=body["label"],
            profile=bool(body.get("profile", False)),
            access=tuple(body.get("access", ())),
            need=tuple(body.get("need", ())),
            completion=tuple(body.get("completion", ())),
            mentions=tuple(body.get("mentions", ())),
        )
        for code, body in data.items()
    }


def format_opening_times(schedules: Sequence[dict[str, Any]]) -> str:
    """Open Referral schedules as ``Mon 10:00-14:00; Wed 18:00-20:00``.

    >>> format_opening_times([{"byday": "MO", "opens_at": "10:00", "closes_at": "14:00"}])
    'Mon 10:00-14:00'
    """
    parts = []
    for s in schedules:
        days = ",".join(DAYS.get(d.strip(), d.strip()) for d in str(s.get("byday", "")).split(","))
        parts.append(f"{days} {s.get('opens_at', '')}-{s.get('closes_at', '')}".strip())
    return "; ".join(parts)


def _terms(service: dict[str, Any], vocabulary: str) -> list[str]:
    return [
        str(a["taxonomy_term"].get("code", ""))
        for a in service.get("attributes", []) or []
        if isinstance(a, dict)
        and isinstance(a.get("taxonomy_term"), dict)
        and a["taxonomy_term"].get("vocabulary") == vocabulary
    ]


def _check_list(node: dict[str, Any], name: str, column: str, fail: Callable[..., None]) -> None:
    """An optional Open Referral list field is a JSON list; of objects where jsna reads fields."""
    value = node.get(name) or []
    if not isinstance(value, list):
        fail(column, "must be a JSON list", type(value).__name__)
    if name in _LISTS_OF_OBJECTS and not all(isinstance(item, dict) for item in value):
        fail(column, "each entry must be a JSON object")


def _age(value: Any) -> str:
    if value is None or value == "":
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


class Directory:
    """Services in Open Referral UK shape; see the module docstring.

    ``services`` are the documents (never modified in place); ``container`` is
    how they were wrapped in the file (``None`` for a bare JSON list, else the
    key holding the list, with the other top-level keys in ``extra``);
    ``source`` names the file for messages; ``synthetic`` marks demo data.
    """

    def __init__(
        self,
        services: Sequence[dict[str, Any]],
        *,
        source: str = "directory",
        container: str | None = None,
        extra: dict[str, Any] | None = None,
        synthetic: bool = False,
    ) -> None:
        self.services = [copy.deepcopy(s) for s in services]
        self.source = source
        self.container = container
        self.extra = copy.deepcopy(extra or {})
        self.synthetic = synthetic
        self._table: pd.DataFrame | None = None
        self.validate()

    def __len__(self) -> int:
        return len(self.services)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Directory) and self.document() == other.document()

    __hash__ = None  # type: ignore[assignment]

    def document(self) -> Any:
        """The JSON document to write: the list, or the original wrapper around it."""
        services = copy.deepcopy(self.services)
        if self.container is None:
            return services
        return {**copy.deepcopy(self.extra), self.container: services}

    def organisations(self) -> pd.DataFrame:
        """One row per organisation: ``organisation_id``, ``organisation_name``, ``services``."""
        table = self.table()
        return (
            table.drop_duplicates(["organisation_id", "service_id"])
            .groupby(["organisation_id", "organisation_name"], sort=True)
            .size()
            .rename("services")
            .reset_index()
        )

    def validate(self) -> None:
        """Check every service; raise :class:`InputError` at the first problem.

        ``row`` in the error is the 1-based position of the service in the file;
        ``column`` is the path of the field, e.g.
        ``service_at_locations[0].location.latitude``.
        """
        seen: dict[str, int] = {}
        known_types = service_types()
        for row, service in enumerate(self.services, start=1):

            def fail(column: str, message: str, value: Any = None, row: int = row) -> None:
                raise InputError(message, file=self.source, column=column, row=row, value=value)

            if not isinstance(service, dict):
                fail("service", "each service must be a JSON object", type(service).__name__)
            for name in ("id", "name"):
                if not isinstance(service.get(name), str) or not service[name].strip():
                    fail(name, "required field missing or empty", service.get(name))
            if service["id"] in seen:
                fail("id", f"duplicate service id (first in service {seen[service['id']]})",
                     service["id"])  # fmt: skip
            seen[service["id"]] = row
            status = service.get("status", "active")
            if status not in STATUSES:
                fail("status", f"status must be one of {', '.join(STATUSES)}", status)
            org = service.get("organization")
            if not isinstance(org, dict):
                fail("organization", "required object missing")
            for name in ("id", "name"):
                if not isinstance(org.get(name), str) or not org[name].strip():  # type: ignore[union-attr]
                    fail(f"organization.{name}", "required field missing or empty")
            for name in ("languages", "cost_options", "schedules", "attributes"):
                _check_list(service, name, name, fail)
            types = _terms(service, SERVICE_TYPE_VOCABULARY)
            if not types:
                fail("attributes", f"needs at least one {SERVICE_TYPE_VOCABULARY} attribute")
            for code in types:
                if code not in known_types:
                    fail("attributes", f"unknown service type (known: {', '.join(known_types)})",
                         code)  # fmt: skip
            for code in _terms(service, COMMUNITY_VOCABULARY):
                if code not in COMMUNITIES:
                    fail(
                        "attributes",
                        "community must be an ethnic-group label of "
                        f"docs/data-model.md, Global Majority or {ALL_RESIDENTS}",
                        code,
                    )
            for name in ("minimum_age", "maximum_age"):
                value = service.get(name)
                if value is not None and (isinstance(value, bool) or not isinstance(
                        value, int | float) or not 0 <= value <= 120):  # fmt: skip
                    fail(name, "must be a number of years 0-120", value)
            for i, language in enumerate(service.get("languages", []) or []):
                if not isinstance(language, dict) or not str(language.get("name", "")).strip():
                    fail(f"languages[{i}].name", "each language needs a name", language)
            for i, schedule in enumerate(service.get("schedules", []) or []):
                for name in ("opens_at", "closes_at"):
                    value = schedule.get(name) if isinstance(schedule, dict) else None
                    if not isinstance(value, str) or not _TIME.match(value):
                        fail(f"schedules[{i}].{name}", "time must be HH:MM (24-hour)", value)
                for day in str(schedule.get("byday", "")).split(","):
                    if day.strip() not in DAYS:
                        fail(f"schedules[{i}].byday", "days must be MO,TU,WE,TH,FR,SA,SU",
                             schedule.get("byday"))  # fmt: skip
            locations = service.get("service_at_locations")
            if not isinstance(locations, list) or not locations:
                fail("service_at_locations", "a service needs at least one location")
            for i, link in enumerate(locations):  # type: ignore[arg-type]
                where = f"service_at_locations[{i}].location"
                location = link.get("location") if isinstance(link, dict) else None
                if not isinstance(location, dict):
                    fail(where, "required object missing")
                if not str(location.get("id", "")).strip():  # type: ignore[union-attr]
                    fail(f"{where}.id", "required field missing or empty")
                for name in ("addresses", "accessibility"):
                    _check_list(location, name, f"{where}.{name}", fail)  # type: ignore[arg-type]
                for name in ("latitude", "longitude"):
                    value = location.get(name)  # type: ignore[union-attr]
                    if isinstance(value, bool) or not isinstance(value, int | float):
                        fail(
                            f"{where}.{name}",
                            "coordinates are required (WGS84 decimal "
                            "degrees); postcodes alone cannot be placed offline",
                            value,
                        )

    def table(self) -> pd.DataFrame:
        """One row per service and location, with LSOA 2021 and ward added.

        Columns :data:`TABLE_COLUMNS` then ``lsoa21``, ``ward_code``,
        ``ward_name``. Lists are joined with ``"; "``. A location outside the
        borough raises :class:`InputError` naming the service (row).
        """
        if self._table is not None:
            return self._table.copy()
        records, rows = [], []
        for row, s in enumerate(self.services, start=1):
            base = {
                "organisation_id": s["organization"]["id"],
                "organisation_name": s["organization"]["name"],
                "service_id": s["id"],
                "service_name": s["name"],
                "description": s.get("description", "") or "",
                "status": s.get("status", "active"),
                "service_types": "; ".join(_terms(s, SERVICE_TYPE_VOCABULARY)),
                "communities": "; ".join(_terms(s, COMMUNITY_VOCABULARY)),
                "languages": "; ".join(str(x["name"]) for x in s.get("languages", []) or []),
                "cost": "; ".join(
                    str(c.get("option", "")) for c in s.get("cost_options", []) or []
                ),
                "eligibility": s.get("eligibility_description", "") or "",
                "minimum_age": _age(s.get("minimum_age")),
                "maximum_age": _age(s.get("maximum_age")),
                "opening_times": format_opening_times(s.get("schedules", []) or []),
            }
            for link in s["service_at_locations"]:
                loc = link["location"]
                address = (loc.get("addresses") or [{}])[0]
                records.append(
                    {
                        **base,
                        "accessibility": "; ".join(
                            str(a.get("description", ""))
                            for a in loc.get("accessibility", []) or []
                        ),
                        "location_id": str(loc["id"]),
                        "location_name": loc.get("name", "") or "",
                        "address": address.get("address_1", "") or "",
                        "postcode": address.get("postal_code", "") or "",
                        "latitude": float(loc["latitude"]),
                        "longitude": float(loc["longitude"]),
                    }
                )
                rows.append(row)
        frame = pd.DataFrame.from_records(records, columns=list(TABLE_COLUMNS))
        places = locate_many(
            frame["latitude"].to_numpy(), frame["longitude"].to_numpy(), file=self.source,
            rows=rows,
        )  # fmt: skip
        frame["lsoa21"] = [p.lsoa21 for p in places]
        frame["ward_code"] = [p.ward_code for p in places]
        frame["ward_name"] = [p.ward_name for p in places]
        self._table = frame
        return frame.copy()
