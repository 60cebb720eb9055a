"""Fuzzing the four readers: whatever the file, a clean read or an InputError.

Hypothesis starts from the hand-made directory, breaks one table (dropped or
renamed columns, wrong types, other date formats, duplicated ids, quotes,
commas and newlines inside values, huge fields, random bytes, BOM,
Windows-1252, Parquet instead of CSV) — or changes it harmlessly (column
order, padding, an extra column) — and reads the directory with
:func:`jsna.sources.open_records`. The property: it returns records or raises
:class:`jsna.errors.InputError` naming one of the directory's files — never
any other exception. ``FAST_EXAMPLES`` cases per reader run in every test
run, ``SLOW_EXAMPLES`` more in the slow suite.
"""

from __future__ import annotations

import codecs
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzzing import break_columns
from jsna.errors import InputError
from jsna.sources import open_records

from .datadir import copy_tables, write_tables

FAST_EXAMPLES = 8
SLOW_EXAMPLES = 60
READERS = ("people", "conditions", "events", "deaths")


@st.composite
def broken_table(draw: st.DrawFn, table: str) -> tuple[dict, str, bytes | None]:
    """The tables with ``table`` broken, the format to write it in, and raw bytes if any."""
    tables = copy_tables()
    tables[table] = columns = break_columns(
        draw,
        tables[table],
        len(tables[table]["person_id"]),
        dated=lambda name: "date" in name or name.startswith("registration"),
        huge_sizes=[70_000, 2_100_000],
    )
    fmt = draw(st.sampled_from(["csv", "csv", "bom", "cp1252", "bytes", "parquet"]))
    raw = None
    if fmt in ("bom", "cp1252", "bytes"):
        text = pd.DataFrame(columns, dtype=str).to_csv(index=False)
        if fmt == "bom":
            raw = codecs.BOM_UTF8 + text.encode()
        elif fmt == "cp1252":
            raw = text.encode("cp1252", errors="replace")
        else:
            data = bytearray(text.encode())
            position = draw(st.integers(0, len(data)))
            data[position:position] = draw(st.binary(min_size=1, max_size=6))
            raw = bytes(data)
    return tables, fmt, raw


def _read(table: str, case: tuple[dict, str, bytes | None]) -> None:
    tables, fmt, raw = case
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp) / "data"
        others = {name: value for name, value in tables.items() if name != table}
        write_tables(directory, others)
        if raw is not None:
            (directory / f"{table}.csv").write_bytes(raw)
        else:
            write_tables(
                directory, {table: tables[table]}, "parquet" if fmt == "parquet" else "csv"
            )
        names = {path.name for path in directory.iterdir()}
        try:
            with open_records(directory) as records:
                assert records.people.count().execute() >= 0
        except InputError as error:
            assert error.file in names, str(error)
            assert str(error)


def _fuzz(examples: int):
    def decorate(test):
        return settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )(test)

    return decorate


@pytest.mark.parametrize("table", READERS)
def test_reader_gives_records_or_input_error(table: str) -> None:
    @_fuzz(FAST_EXAMPLES)
    @given(case=broken_table(table))
    def run(case) -> None:
        _read(table, case)

    run()


@pytest.mark.slow
@pytest.mark.parametrize("table", READERS)
def test_reader_gives_records_or_input_error_many(table: str) -> None:
    @_fuzz(SLOW_EXAMPLES)
    @given(case=broken_table(table))
    def run(case) -> None:
        _read(table, case)

    run()
