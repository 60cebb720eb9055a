"""Provenance: ``OUT/manifest.json``, the record of how a build was made.

A manifest lets anyone reproduce or check a published JSNA: the jsna
version, the configuration, every input file's SHA-256 and row count, the
backend, the disclosure policy (and how many cells it hid), the synthetic
seed and the build time.

Everything else a build writes is byte-identical for the same inputs and
configuration; the build time is the one thing that changes between runs,
so it lives here only, and follows the reproducible-builds convention: when
``SOURCE_DATE_EPOCH`` is set (seconds since 1970-01-01 UTC) that time is
used instead of the clock (https://reproducible-builds.org/specs/source-date-epoch/).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from jsna import __version__
from jsna.errors import InputError

__all__ = [
    "MANIFEST_NAME",
    "build_time",
    "file_sha256",
    "input_files",
    "read_manifest",
    "write_manifest",
]

MANIFEST_NAME = "manifest.json"
_INPUT_SUFFIXES = (".parquet", ".csv")


def build_time(environ: Mapping[str, str] | None = None) -> str:
    """The build time as ISO 8601 UTC: ``SOURCE_DATE_EPOCH`` when set, else now.

    >>> build_time({"SOURCE_DATE_EPOCH": "1700000000"})
    '2023-11-14T22:13:20Z'
    """
    env = os.environ if environ is None else environ
    raw = env.get("SOURCE_DATE_EPOCH")
    if raw is None or raw == "":
        moment = datetime.now(UTC)
    else:
        try:
            moment = datetime.fromtimestamp(int(raw), UTC)
        except (ValueError, OverflowError):
            raise InputError(
                "SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01",
                column="SOURCE_DATE_EPOCH",
                value=raw,
            ) from None
    return moment.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _rows(path: Path) -> int:
    if path.suffix == ".parquet":
        return int(pq.ParquetFile(path).metadata.num_rows)
    with path.open("rb") as handle:
        lines = sum(1 for _ in handle)
    return max(lines - 1, 0)  # the header row is not a record


def _parquet_metadata(path: Path) -> dict[str, str]:
    if path.suffix != ".parquet":
        return {}
    raw = pq.ParquetFile(path).schema_arrow.metadata or {}
    return {k.decode(): v.decode() for k, v in sorted(raw.items()) if k.startswith(b"jsna.")}


def input_files(data_dir: str | Path) -> list[dict[str, Any]]:
    """Every data file (``*.parquet``, ``*.csv``) in ``data_dir``: name, bytes, SHA-256, rows.

    Parquet files also report their ``jsna.*`` key-value metadata (the
    synthetic marker, seed and scale).
    """
    folder = Path(data_dir)
    if not folder.is_dir():
        raise InputError("the data folder does not exist", file=str(folder))
    entries = []
    for path in sorted(folder.iterdir()):
        if path.suffix not in _INPUT_SUFFIXES or not path.is_file():
            continue
        entry: dict[str, Any] = {
            "file": path.name,
            "bytes": path.stat().st_size,
            "sha256": file_sha256(path),
            "rows": _rows(path),
        }
        metadata = _parquet_metadata(path)
        if metadata:
            entry["metadata"] = metadata
        entries.append(entry)
    return entries


def _seed(files: list[dict[str, Any]]) -> int | None:
    seeds = {f["metadata"]["jsna.seed"] for f in files if "jsna.seed" in f.get("metadata", {})}
    return int(seeds.pop()) if len(seeds) == 1 else None


def write_manifest(
    out_dir: str | Path,
    *,
    config: Any,
    data_dir: str | Path,
    backend: str,
    disclosure: Mapping[str, Any],
    seed: int | None = None,
    outputs: Iterable[str | Path] = (),
    extra: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Path:
    """Write ``OUT/manifest.json`` and return its path.

    ``config`` is the build configuration (a pydantic model or a mapping);
    ``disclosure`` what :func:`jsna.disclosure.protect` recorded in
    ``table.attrs["disclosure"]``; ``seed`` defaults to the ``jsna.seed``
    the synthetic inputs carry; ``outputs`` are files (relative to
    ``out_dir`` or absolute inside it) whose SHA-256 is recorded too.
    Keys are sorted so the file is stable apart from ``build_time``.
    """
    out = Path(out_dir)
    files = input_files(data_dir)
    is_model = hasattr(config, "model_dump")
    config_data = config.model_dump(mode="json") if is_model else dict(config)
    recorded_outputs = {}
    for item in outputs:
        path = Path(item)
        full = path if path.is_absolute() else out / path
        recorded_outputs[full.relative_to(out).as_posix()] = file_sha256(full)
    manifest = {
        "jsna_version": __version__,
        "build_time": build_time(environ),
        "config": config_data,
        "inputs": files,
        "synthetic": any(f.get("metadata", {}).get("jsna.synthetic") == "true" for f in files),
        "seed": seed if seed is not None else _seed(files),
        "backend": backend,
        "disclosure": dict(disclosure),
        "outputs": dict(sorted(recorded_outputs.items())),
        **(dict(extra) if extra else {}),
    }
    out.mkdir(parents=True, exist_ok=True)
    path = out / MANIFEST_NAME
    # Written whole under a temporary name, then renamed: a reader never sees half a manifest.
    partial = out / f".{MANIFEST_NAME}.partial"
    partial.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(partial, path)
    return path


def read_manifest(out_dir: str | Path) -> dict[str, Any]:
    """Read ``OUT/manifest.json`` (for the methods page and ``jsna audit``)."""
    path = Path(out_dir) / MANIFEST_NAME
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"cannot read the manifest: {error.strerror}", file=str(path)) from None
    except json.JSONDecodeError as error:
        raise InputError(f"not valid JSON: {error.msg}", file=str(path), row=error.lineno) from None
