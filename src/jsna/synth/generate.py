"""Generate Synthetic Westminster in chunks and write it as marked Parquet.

The population is cut into chunks of at most :data:`CHUNK_SIZE` living
people (ward by ward, group by group); chunk *i* draws from its own random
stream, ``SeedSequence(seed, spawn_key=(i,))``, so a seed and scale always
give the same records and memory stays bounded at any scale: each chunk is
written as Parquet row groups and dropped. Person ids run ``P00000000001``…
over the living, then over the deceased in chunk order.

Scale multiplies the Census counts (rounded per ward × group): ``--scale 1``
is Westminster's 204,247 residents, ``0.1`` about 20,000, ``100`` about
20 million.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from jsna.errors import InputError
from jsna.synth.calibration import Calibration, load_calibration
from jsna.synth.model import Model, build_model
from jsna.synth.sample import NO_DATE, Chunk, sample_chunk

__all__ = ["CHUNK_SIZE", "SCHEMAS", "SyntheticData", "generate", "iter_chunks", "write_synthetic"]

CHUNK_SIZE = 1_000_000
ID_DIGITS = 11

SCHEMAS: dict[str, pa.Schema] = {
    "people": pa.schema(
        [
            ("person_id", pa.string()),
            ("sex", pa.string()),
            ("date_of_birth", pa.date32()),
            ("ethnicity_code", pa.string()),
            ("lsoa21", pa.string()),
            ("main_language", pa.string()),
            ("tenure", pa.string()),
            ("economic_activity", pa.string()),
            ("general_health", pa.string()),
            ("disability", pa.string()),
            ("unpaid_care", pa.string()),
            ("registration_start", pa.date32()),
            ("registration_end", pa.date32()),
        ]
    ),
    "conditions": pa.schema(
        [("person_id", pa.string()), ("condition", pa.string()), ("diagnosis_date", pa.date32())]
    ),
    "events": pa.schema(
        [
            ("person_id", pa.string()),
            ("event", pa.string()),
            ("date", pa.date32()),
            ("eligible", pa.bool_()),
        ]
    ),
    "deaths": pa.schema(
        [
            ("person_id", pa.string()),
            ("date_of_death", pa.date32()),
            ("underlying_cause", pa.string()),
        ]
    ),
}


@dataclass
class SyntheticData:
    """An in-memory generation: the four tables plus the hidden truth per person."""

    people: pd.DataFrame
    conditions: pd.DataFrame
    events: pd.DataFrame
    deaths: pd.DataFrame
    truth: pd.DataFrame  # person_id, ethnicity_19, ward_code, lsoa21, imd_quintile, deceased
    model: Model


def _check_scale(scale: float) -> float:
    if not isinstance(scale, int | float) or not 0 < float(scale) <= 1000:
        raise InputError(
            "scale must be a number above 0 and at most 1000", column="scale", value=scale
        )
    return float(scale)


def _cell_counts(model: Model, scale: float) -> np.ndarray:
    """Living people per ward × group cell (row-major), Census counts × scale, rounded."""
    return np.rint(model.ward_group_counts * scale).astype(np.int64).ravel()


def _cells(counts: np.ndarray, start: int, stop: int, groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Ward and group index of living people ``start``..``stop`` in cell order."""
    ends = np.cumsum(counts)
    cell = np.searchsorted(ends, np.arange(start, stop), side="right")
    return cell // groups, cell % groups


def iter_chunks(
    model: Model, *, seed: int, scale: float, chunk_size: int = CHUNK_SIZE
) -> Iterator[tuple[Chunk, np.ndarray]]:
    """Yield each chunk with its people's ids (living then deceased)."""
    counts = _cell_counts(model, _check_scale(scale))
    groups = model.ward_group_counts.shape[1]
    living_total = int(counts.sum())
    deceased_next = living_total
    for i, start in enumerate(range(0, living_total, chunk_size)):
        stop = min(start + chunk_size, living_total)
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(i,)))
        wards, group = _cells(counts, start, stop, groups)
        chunk = sample_chunk(model, wards, group, rng)
        n_dead = len(chunk.deaths["row"])
        numbers = np.concatenate(
            [np.arange(start, stop), np.arange(deceased_next, deceased_next + n_dead)]
        )
        deceased_next += n_dead
        yield chunk, _ids(numbers + 1)


def _ids(numbers: np.ndarray) -> np.ndarray:
    return np.char.add("P", np.char.zfill(numbers.astype(str), ID_DIGITS)).astype(object)


def _dates(days: np.ndarray) -> pa.Array:
    mask = days == NO_DATE
    return pa.array(np.where(mask, 0, days).astype(np.int32), mask=mask).cast(pa.date32())


def _tables(chunk: Chunk, ids: np.ndarray) -> dict[str, pa.Table]:
    people = dict(chunk.people)
    columns = {
        "person_id": ids,
        **people,
        "date_of_birth": _dates(people["date_of_birth"]),
        "registration_start": _dates(people["registration_start"]),
        "registration_end": _dates(people["registration_end"]),
    }
    conditions = {
        "person_id": ids[chunk.conditions["row"]],
        "condition": chunk.conditions["condition"],
        "diagnosis_date": _dates(chunk.conditions["diagnosis_date"]),
    }
    events = {
        "person_id": ids[chunk.events["row"]],
        "event": chunk.events["event"],
        "date": _dates(chunk.events["date"]),
        "eligible": chunk.events["eligible"],
    }
    deaths = {
        "person_id": ids[chunk.deaths["row"]],
        "date_of_death": _dates(chunk.deaths["date_of_death"]),
        "underlying_cause": chunk.deaths["underlying_cause"],
    }
    return {
        name: pa.table(
            {field.name: data[field.name] for field in SCHEMAS[name]}, schema=SCHEMAS[name]
        )
        for name, data in (
            ("people", columns),
            ("conditions", conditions),
            ("events", events),
            ("deaths", deaths),
        )
    }


def _metadata(seed: int, scale: float, calibration: Calibration) -> dict[bytes, bytes]:
    return {
        b"jsna.synthetic": b"true",
        b"jsna.seed": str(seed).encode(),
        b"jsna.scale": f"{scale:g}".encode(),
        b"jsna.calibration": calibration.source.encode(),
    }


def generate(
    *, seed: int = 2024, scale: float = 1.0, calibration: Calibration | None = None
) -> SyntheticData:
    """Generate in memory (for tests and small scales) with the truth alongside.

    >>> data = generate(seed=1, scale=0.01)
    >>> len(data.people) >= 2000
    True
    """
    cal = calibration or load_calibration()
    model = build_model(cal)
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in (*SCHEMAS, "truth")}
    for chunk, ids in iter_chunks(model, seed=seed, scale=scale):
        for name, table in _tables(chunk, ids).items():
            parts[name].append(table.to_pandas())
        parts["truth"].append(pd.DataFrame({"person_id": ids, **chunk.truth}))
    frames = {name: pd.concat(p, ignore_index=True) for name, p in parts.items()}
    return SyntheticData(**frames, model=model)


def write_synthetic(
    out: str | Path,
    *,
    seed: int = 2024,
    scale: float = 1.0,
    calibration: Calibration | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> dict[str, int]:
    """Write people/conditions/events/deaths ``.parquet`` into ``out``; return row counts.

    Each file carries the key-value metadata ``jsna.synthetic = "true"``,
    ``jsna.seed`` and ``jsna.scale``.
    """
    cal = calibration or load_calibration()
    model = build_model(cal)
    folder = Path(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(
            f"cannot create the output folder: {error.strerror}", file=str(folder)
        ) from None
    metadata = _metadata(seed, float(scale), cal)
    writers = {
        name: pq.ParquetWriter(folder / f"{name}.parquet", schema.with_metadata(metadata))
        for name, schema in SCHEMAS.items()
    }
    rows = dict.fromkeys(SCHEMAS, 0)
    try:
        for chunk, ids in iter_chunks(model, seed=seed, scale=scale, chunk_size=chunk_size):
            for name, table in _tables(chunk, ids).items():
                writers[name].write_table(table.replace_schema_metadata(metadata))
                rows[name] += table.num_rows
    finally:
        for writer in writers.values():
            writer.close()
    return rows
