"""Fuzzing the other four readers: whatever the file, a clean read or an InputError.

Issue #8's second half, in the style of ``tests/sources/test_fuzz_readers.py``.
Hypothesis starts from a small valid file for each reader — the first entries
of the shipped catalogue, the shipped build configuration, the first comments
of the shipped synthetic engagement set, the first services of the shipped
synthetic directory (as Open Referral UK JSON and as the simple CSV) — and
breaks its structure (dropped, renamed or unknown keys and columns, values of
the wrong type, unknown tables and statistics, dates in other formats,
duplicated ids, coordinates outside the borough, huge strings) and then its
bytes (UTF-8 with BOM, Windows-1252, inserted random bytes, truncation). The
property: the reader returns, or raises :class:`jsna.errors.InputError` whose
message names the file — and, when the error is about a column or row, names
a column and a data row that exist — never any other exception.
``FAST_EXAMPLES`` cases per reader run in every test run, ``SLOW_EXAMPLES``
more in the slow suite.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzzing import DATE_FORMS, ODD_TEXT, break_columns
from jsna.assets import (
    read_directory,
    read_directory_csv,
    read_openreferral,
    synthetic_directory_path,
    write_directory_csv,
)
from jsna.config import default_config_path, load_config
from jsna.errors import InputError
from jsna.indicators import load_catalogue
from jsna.indicators.loader import shipped_catalogue_files
from jsna.voice import read_comments, synthetic_engagement_path

FAST_EXAMPLES = 8
SLOW_EXAMPLES = 60

_HUGE = [70_000, 300_000]
_ODD_VALUE = st.one_of(
    ODD_TEXT,
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(DATE_FORMS),
    st.lists(st.integers(0, 9), max_size=3),
    st.dictionaries(st.sampled_from(["a", "table", "id"]), st.integers(0, 3), max_size=2),
)


# --- byte-level corruption, shared by every reader -------------------------------------


@st.composite
def encoded(draw: st.DrawFn, text: str) -> bytes:
    """``text`` as UTF-8, UTF-8 with BOM, Windows-1252, or with bytes inserted or cut."""
    form = draw(st.sampled_from(["utf8", "utf8", "bom", "cp1252", "bytes", "truncate"]))
    if form == "bom":
        return codecs.BOM_UTF8 + text.encode()
    if form == "cp1252":
        return text.encode("cp1252", errors="replace")
    data = bytearray(text.encode())
    position = draw(st.integers(0, len(data)))
    if form == "bytes":
        data[position:position] = draw(st.binary(min_size=1, max_size=6))
    elif form == "truncate":
        del data[position:]
    return bytes(data)


# --- structure-level corruption of nested YAML/JSON documents ---------------------------


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key or index path into a nested document (the root is ``()``)."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _parent(document: Any, path: tuple) -> Any:
    for part in path[:-1]:
        document = document[part]
    return document


@st.composite
def mutated_document(draw: st.DrawFn, document: Any, extra: Callable | None = None) -> Any:
    """``document`` with 0-3 nested edits: delete, retype, rename, unknown key, huge, duplicate."""
    for _ in range(draw(st.integers(0, 3))):
        paths = [p for p in _paths(document) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(document, path)
        kind = draw(
            st.sampled_from(["delete", "retype", "rename", "unknown", "huge", "duplicate", "date"])
        )
        if kind == "delete":
            del parent[path[-1]]
        elif kind in ("retype", "date"):
            parent[path[-1]] = draw(_ODD_VALUE if kind == "retype" else st.sampled_from(DATE_FORMS))
        elif kind == "rename" and isinstance(parent, dict):
            parent[f"{path[-1]}_x"] = parent.pop(path[-1])
        elif kind == "unknown" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["colour", "table", "statistic", "id", "x"]))] = draw(
                _ODD_VALUE
            )
        elif kind == "huge":
            parent[path[-1]] = "x" * draw(st.sampled_from(_HUGE))
        elif kind == "duplicate" and isinstance(parent, list):
            parent.append(json.loads(json.dumps(parent[path[-1]])))
    if extra is not None:
        document = draw(extra(document))
    return document


def _yaml_bytes(draw: st.DrawFn, document: Any) -> bytes:
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    if draw(st.booleans()):  # hand-broken YAML: an unclosed flow or a tab indent
        text = text + draw(st.sampled_from(["x: [1, 2\n", "\tbad: tab\n", "- :\n  - ]\n"]))
    return draw(encoded(text))


# --- structure-level corruption of CSV tables -------------------------------------------


def _parse_csv(text: str, rows: int) -> dict[str, list[str]]:
    reader = csv.DictReader(io.StringIO(text))
    records = [record for _, record in zip(range(rows), reader, strict=False)]
    return {name: [record[name] for record in records] for name in reader.fieldnames or []}


def _csv_text(columns: dict[str, list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(columns))
    writer.writerows(zip(*columns.values(), strict=True))
    return out.getvalue()


@st.composite
def broken_csv(draw: st.DrawFn, columns: dict[str, list[str]], id_column: str) -> bytes:
    """The table with 0-3 breakages (or harmless changes), then byte-level corruption."""
    columns = break_columns(
        draw,
        columns,
        len(columns[id_column]),
        dated=lambda name: name == "date",
        huge_sizes=_HUGE,
    )
    return draw(encoded(_csv_text(columns)))


# --- the valid starting files -----------------------------------------------------------


def _first_catalogue_entries() -> dict:
    (population,) = [path for path in shipped_catalogue_files() if path.name == "population.yaml"]
    document = yaml.safe_load(population.read_text(encoding="utf-8"))
    return {"indicators": document["indicators"][:3]}


def _catalogue_extra(document: Any) -> st.SearchStrategy:
    """Catalogue-specific breakage: unknown table, statistic or column; entry id repeated."""

    @st.composite
    def edit(draw: st.DrawFn) -> Any:
        entries = document.get("indicators") if isinstance(document, dict) else None
        if not isinstance(entries, list) or not entries or not isinstance(entries[0], dict):
            return document
        entry = entries[draw(st.integers(0, len(entries) - 1))]
        if not isinstance(entry, dict):
            return document
        kind = draw(st.sampled_from(["none", "table", "statistic", "column", "twice"]))
        numerator = entry.get("numerator")
        if kind == "table" and isinstance(numerator, dict):
            numerator["table"] = draw(st.sampled_from(["prescriptions", "PEOPLE", "", "deaths"]))
        elif kind == "statistic":
            entry["statistic"] = draw(st.sampled_from(["median", "Rate", "dsr", "proportion"]))
        elif kind == "column" and isinstance(numerator, dict):
            numerator["column"] = draw(st.sampled_from(["shoe_size", "ethnicity_19", "ward"]))
        elif kind == "twice":
            entries.append(json.loads(json.dumps(entry)))
        return document

    return edit()


def _shipped_config() -> dict:
    return yaml.safe_load(default_config_path().read_text(encoding="utf-8"))


def _comment_columns() -> dict[str, list[str]]:
    return _parse_csv(synthetic_engagement_path().read_text(encoding="utf-8"), 4)


def _first_services() -> dict:
    document = json.loads(synthetic_directory_path().read_text(encoding="utf-8"))
    return {**document, "content": document["content"][:3]}


_OUTSIDE = st.sampled_from([(53.48, -2.24), (51.5, 0.5), (0.0, 0.0), (91.0, -0.15)])


def _directory_extra(document: Any) -> st.SearchStrategy:
    """Directory-specific breakage: a location moved outside the borough, a service id repeated."""

    @st.composite
    def edit(draw: st.DrawFn) -> Any:
        services = document.get("content") if isinstance(document, dict) else None
        if not isinstance(services, list) or not services:
            return document
        kind = draw(st.sampled_from(["none", "outside", "same_id", "unwrapped"]))
        first = services[0]
        if kind == "outside" and isinstance(first, dict):
            places = first.get("service_at_locations")
            if isinstance(places, list) and places and isinstance(places[0], dict):
                location = places[0].get("location")
                if isinstance(location, dict):
                    location["latitude"], location["longitude"] = draw(_OUTSIDE)
        elif kind == "same_id" and isinstance(first, dict) and len(services) > 1:
            second = services[1]
            if isinstance(second, dict):
                second["id"] = first.get("id")
        elif kind == "unwrapped":
            return services
        return document

    return edit()


# --- running one case -------------------------------------------------------------------


def _check(call: Callable[[Path], Any], name: str, data: bytes) -> None:
    """Write ``data`` as ``name``, call the reader: a result, or an InputError naming the file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            call(path)
        except InputError as error:
            message = str(error)
            assert error.file is not None and Path(str(error.file)).name == name, message
            assert name in message, message
            if error.column is not None:
                assert isinstance(error.column, str) and error.column, message
            if error.row is not None:
                assert error.row >= 1, message  # 1-based data rows / services


def _fuzz(examples: int):
    def decorate(test):
        return settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )(test)

    return decorate


def _read_and_tabulate(reader: Callable[[Path], Any]) -> Callable[[Path], Any]:
    """Read a directory and build its table (the borough check runs on the table)."""
    return lambda path: reader(path).table()


@st.composite
def catalogue_case(draw: st.DrawFn) -> bytes:
    document = draw(mutated_document(_first_catalogue_entries(), _catalogue_extra))
    return _yaml_bytes(draw, document)


@st.composite
def config_case(draw: st.DrawFn) -> bytes:
    return _yaml_bytes(draw, draw(mutated_document(_shipped_config())))


@st.composite
def comments_case(draw: st.DrawFn) -> bytes:
    return draw(broken_csv(_comment_columns(), "id"))


@st.composite
def openreferral_case(draw: st.DrawFn) -> bytes:
    document = draw(mutated_document(_first_services(), _directory_extra))
    return draw(encoded(json.dumps(document, ensure_ascii=False, indent=1)))


def _directory_columns() -> dict[str, list[str]]:
    directory = read_openreferral(synthetic_directory_path())
    with tempfile.TemporaryDirectory() as tmp:
        text = write_directory_csv(directory, Path(tmp) / "d.csv").read_text(encoding="utf-8")
    return _parse_csv(text, 4)


_DIRECTORY_COLUMNS = _directory_columns()


@st.composite
def directory_csv_case(draw: st.DrawFn) -> bytes:
    columns = {name: list(values) for name, values in _DIRECTORY_COLUMNS.items()}
    if draw(st.booleans()):
        columns["latitude"][0], columns["longitude"][0] = (str(x) for x in draw(_OUTSIDE))
    return draw(broken_csv(columns, "service_id"))


# reader label -> (strategy, file name, call)
CASES: dict[str, tuple[Callable[[], st.SearchStrategy[bytes]], str, Callable[[Path], Any]]] = {
    "catalogue": (catalogue_case, "catalogue.yaml", lambda path: load_catalogue([path])),
    "config": (config_case, "config.yaml", load_config),
    "comments": (comments_case, "comments.csv", read_comments),
    "openreferral": (openreferral_case, "dir.json", _read_and_tabulate(read_openreferral)),
    "directory_json": (openreferral_case, "dir.json", _read_and_tabulate(read_directory)),
    "directory_csv": (directory_csv_case, "dir.csv", _read_and_tabulate(read_directory_csv)),
    "directory_by_suffix": (directory_csv_case, "dir.csv", _read_and_tabulate(read_directory)),
}


def _run(label: str, examples: int) -> None:
    strategy, name, call = CASES[label]

    @_fuzz(examples)
    @given(data=strategy())
    def run(data: bytes) -> None:
        _check(call, name, data)

    run()


def test_the_starting_files_read_clean() -> None:
    """Each fuzz case starts from a file the reader accepts."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "c.yaml").write_text(yaml.safe_dump(_first_catalogue_entries()), "utf-8")
        assert len(load_catalogue([folder / "c.yaml"])) == 3
        (folder / "comments.csv").write_text(_csv_text(_comment_columns()), "utf-8")
        assert len(read_comments(folder / "comments.csv")) == 4
        (folder / "dir.json").write_text(json.dumps(_first_services()), "utf-8")
        assert len(read_openreferral(folder / "dir.json").table()) == 3
        (folder / "dir.csv").write_text(_csv_text(_DIRECTORY_COLUMNS), "utf-8")
        assert len(read_directory_csv(folder / "dir.csv").table()) == 4
    assert load_config(default_config_path()).area.code == "E09000033"


@pytest.mark.parametrize("label", CASES)
def test_reader_gives_a_result_or_input_error(label: str) -> None:
    _run(label, FAST_EXAMPLES)


@pytest.mark.slow
@pytest.mark.parametrize("label", CASES)
def test_reader_gives_a_result_or_input_error_many(label: str) -> None:
    _run(label, SLOW_EXAMPLES)


# --- the crashes this suite found, kept as fixed examples --------------------------------


def _first_service_with(field: str, value: Any, *, in_location: bool = False) -> bytes:
    document = _first_services()
    service = document["content"][0]
    target = service["service_at_locations"][0]["location"] if in_location else service
    target[field] = value
    return json.dumps(document).encode()


@pytest.mark.parametrize(
    ("call", "name", "data", "column", "row"),
    [
        # Windows-1252 bytes used to escape as UnicodeDecodeError
        (load_config, "config.yaml", "area:\n  name: Westminster \u00d7\n".encode("cp1252"),
         None, None),
        (lambda path: load_catalogue([path]), "catalogue.yaml",
         "indicators:\n- id: caf\u00e9\n".encode("cp1252"), None, None),
        # list fields of another type used to escape as AttributeError or TypeError
        (read_openreferral, "dir.json",
         _first_service_with("addresses", "1 High Street", in_location=True),
         "service_at_locations[0].location.addresses", 1),
        (read_openreferral, "dir.json", _first_service_with("cost_options", 5),
         "cost_options", 1),
        (read_openreferral, "dir.json", _first_service_with("languages", 7), "languages", 1),
        (read_openreferral, "dir.json", _first_service_with("attributes", True), "attributes", 1),
        (read_openreferral, "dir.json", _first_service_with("cost_options", ["Free"]),
         "cost_options", 1),
    ],
)  # fmt: skip
def test_found_crashes_are_input_errors(
    call: Callable[[Path], Any], name: str, data: bytes, column: str | None, row: int | None
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        with pytest.raises(InputError) as caught:
            call(path)
    error = caught.value
    assert (Path(str(error.file)).name, error.column, error.row) == (name, column, row)
