"""Open Referral UK JSON and the simple CSV: lossless round trips and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jsna.assets import (
    Directory,
    read_directory,
    read_directory_csv,
    read_openreferral,
    synthetic_directory_path,
    write_directory_csv,
    write_openreferral,
)
from jsna.cli import app
from jsna.errors import InputError

from .conftest import LABEL_POINTS, service

# a service as another publisher might write it: fields jsna does not use must survive
FOREIGN = {
    "id": "ac148810-d857-441c-9679-408f346de14b",
    "name": "Community Counselling",
    "url": "http://example.com/counselling",
    "status": "active",
    "alert": "Sessions moved online on Fridays",
    "funding": [{"source": "Healthy Communities Fund"}],
    "organization": {"id": "d9d5e0f5", "name": "Example Trust", "logo": "logo.png"},
    "languages": [{"name": "Arabic", "code": "ar"}],
    "schedules": [{"byday": "MO,FR", "opens_at": "09:00", "closes_at": "17:00",
                   "freq": "WEEKLY"}],
    "attributes": [{"taxonomy_term": {"vocabulary": "jsna:service_type",
                                      "code": "mental_health", "id": "t-1"}}],
    "service_at_locations": [{"id": "sal-1", "location": {
        "id": "loc-1", "name": "Hall", "latitude": 51.52341, "longitude": -0.170461,
        "external_identifier": "10092008082", "external_identifier_type": "UPRN"}}],
}  # fmt: skip


def test_synthetic_directory_has_forty_plus_organisations_and_is_labelled() -> None:
    directory = read_openreferral(synthetic_directory_path())
    table = directory.table()
    assert directory.synthetic
    assert table["organisation_id"].nunique() >= 40
    assert table["ward_name"].nunique() == 18
    assert all("Synthetic" in s["description"] for s in directory.services)


def test_openreferral_round_trip_is_byte_identical(tmp_path: Path) -> None:
    source = synthetic_directory_path()
    out = write_openreferral(read_openreferral(source), tmp_path / "copy.json")
    assert out.read_bytes() == source.read_bytes()


@pytest.mark.parametrize("wrapper", ["list", "content", "services"])
def test_unknown_fields_and_wrappers_survive_a_round_trip(tmp_path: Path, wrapper: str) -> None:
    document = [FOREIGN] if wrapper == "list" else {"total_items": 1, wrapper: [FOREIGN]}
    source = tmp_path / "in.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    out = write_openreferral(read_openreferral(source), tmp_path / "out.json")
    assert json.loads(out.read_text(encoding="utf-8")) == document


def test_csv_round_trips_and_agrees_with_the_json(tmp_path: Path) -> None:
    original = read_openreferral(synthetic_directory_path())
    first = write_directory_csv(original, tmp_path / "a.csv")
    again = read_directory_csv(first)
    second = write_directory_csv(again, tmp_path / "b.csv")
    assert first.read_bytes() == second.read_bytes()
    assert again.table().equals(original.table())


def test_the_flat_table_reads_the_open_referral_fields() -> None:
    row = Directory([FOREIGN], source="x.json").table().iloc[0]
    assert row["opening_times"] == "Mon,Fri 09:00-17:00"
    assert (row["languages"], row["service_types"], row["ward_name"]) == (
        "Arabic",
        "mental_health",
        "Church Street",
    )


def bad(field_path: list, value: object) -> dict:
    doc = json.loads(json.dumps(service("s1", "Church Street", ["vaccination"])))
    target = doc
    for key in field_path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[field_path[-1]]
    else:
        target[field_path[-1]] = value
    return doc


@pytest.mark.parametrize(
    ("document", "column", "fragment"),
    [
        (bad(["name"], KeyError), "name", "required field missing"),
        (bad(["organization"], KeyError), "organization", "required object missing"),
        (bad(["organization", "name"], ""), "organization.name", "missing or empty"),
        (bad(["service_at_locations", 0, "location", "latitude"], KeyError),
         "service_at_locations[0].location.latitude", "coordinates are required"),
        (bad(["service_at_locations"], []), "service_at_locations", "at least one location"),
        (bad(["attributes"], []), "attributes", "jsna:service_type"),
        (bad(["attributes", 0, "taxonomy_term", "code"], "gardening"), "attributes",
         "unknown service type"),
        (bad(["status"], "open"), "status", "status must be one of"),
        (bad(["minimum_age"], -3), "minimum_age", "0-120"),
        (bad(["schedules"], [{"byday": "MO", "opens_at": "9am", "closes_at": "17:00"}]),
         "schedules[0].opens_at", "HH:MM"),
    ],
)  # fmt: skip
def test_malformed_services_are_refused(
    tmp_path: Path, document: dict, column: str, fragment: str
) -> None:
    good = service("s0", "Harrow Road", ["screening"])
    path = tmp_path / "dir.json"
    path.write_text(json.dumps([good, document]), encoding="utf-8")
    with pytest.raises(InputError, match=fragment) as caught:
        read_openreferral(path)
    assert (caught.value.file, caught.value.column, caught.value.row) == ("dir.json", column, 2)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('[{"id": "a",}]', "not valid JSON"),
        ('{"items": []}', "not an Open Referral UK service list"),
        ('"services"', "not an Open Referral UK service list"),
        ("[1, 2]", "each service must be a JSON object"),
    ],
)
def test_malformed_files_are_refused(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "dir.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=fragment):
        read_openreferral(path)


CSV_HEADER = (
    "organisation_id,organisation_name,service_id,service_name,service_types,location_id,"
    "latitude,longitude,opening_times\n"
)


def test_csv_errors_name_file_column_row_and_value(tmp_path: Path) -> None:
    lat, lon = LABEL_POINTS["Westbourne"]
    path = tmp_path / "dir.csv"
    path.write_text(
        CSV_HEADER + f"o1,Org,s1,Svc,vaccination,l1,{lat},{lon},Mon 10:00-12:00\n"
        f"o2,Org,s2,Svc,vaccination,l2,{lat},{lon},Monday mornings\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        read_directory_csv(path)
    error = caught.value
    assert (error.file, error.column, error.row, error.value) == (
        "dir.csv", "opening_times", 2, "Monday mornings",
    )  # fmt: skip


def test_csv_missing_field_and_outside_point(tmp_path: Path) -> None:
    path = tmp_path / "dir.csv"
    path.write_text(CSV_HEADER.replace("latitude,", ""), encoding="utf-8")
    with pytest.raises(InputError, match="required column missing") as caught:
        read_directory_csv(path)
    assert caught.value.column == "latitude"
    lat, lon = LABEL_POINTS["Westbourne"]
    path.write_text(
        CSV_HEADER + f"o1,Org,s1,Svc,vaccination,l1,{lat},{lon},\n"
        "o2,Org,s2,Svc,vaccination,l2,51.4613,-0.1156,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="outside Westminster") as caught:
        read_directory(path).table()
    assert (caught.value.file, caught.value.row) == ("dir.csv", 2)


def test_cli_convert_json_to_csv(tmp_path: Path) -> None:
    out = tmp_path / "dir.csv"
    result = CliRunner().invoke(app, ["assets", "convert", str(synthetic_directory_path()),
                                      str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "44 organisations, 54 services" in result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1 + 54
