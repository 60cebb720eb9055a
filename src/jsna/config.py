"""The build configuration: area, periods, indicators, strata, references, backend, disclosure.

A configuration is a small YAML file (the default ships as
``jsna/default_config.yaml`` and is used when none is given). It makes a JSNA
chapter re-runnable for another area, period, group or backend by changing
configuration, not code. Loading validates every field with pydantic and
raises :class:`jsna.errors.InputError` naming the file and field at fault.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from jsna.errors import InputError
from jsna.indicators.schema import DIMENSIONS

__all__ = [
    "ALL_REFERENCE",
    "Area",
    "BackendConfig",
    "BuildConfig",
    "DisclosureConfig",
    "Period",
    "Strata",
    "Window",
    "default_config_path",
    "load_config",
]

#: The reference value meaning "compare with the whole area (the `all` row)".
ALL_REFERENCE = "All"

#: Backends the engine can run on (see :mod:`jsna.engine.backends`).
BACKENDS = ("duckdb", "spark", "postgres")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Area(_Strict):
    """The area the build describes (a local authority by default)."""

    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    type: str = Field(min_length=1)


class Period(_Strict):
    """The snapshot date: people registered and alive on ``end`` are counted."""

    end: date
    label: str = Field(min_length=1)


class Window(_Strict):
    """The mortality window, both ends inclusive."""

    start: date
    end: date
    label: str = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.start >= self.end:
            raise ValueError(f"start {self.start} must come before end {self.end}")
        return self


def _check_dimension(name: str) -> str:
    if name not in DIMENSIONS:
        raise ValueError(f"unknown dimension {name!r}; known: {', '.join(DIMENSIONS)}")
    return name


class Strata(_Strict):
    """Dimensions and intersections (``a×b``) every indicator is reported by."""

    dimensions: list[str]
    intersections: list[str] = []

    @field_validator("dimensions")
    @classmethod
    def _dimensions(cls, value: list[str]) -> list[str]:
        for name in value:
            _check_dimension(name)
        if len(set(value)) != len(value):
            raise ValueError("a dimension is listed twice")
        return value

    @field_validator("intersections")
    @classmethod
    def _intersections(cls, value: list[str]) -> list[str]:
        for name in value:
            parts = name.split("×")
            if len(parts) != 2 or parts[0] == parts[1]:
                raise ValueError(f"an intersection joins two dimensions with ×, not {name!r}")
            for part in parts:
                _check_dimension(part)
        return value

    @property
    def all(self) -> list[str]:
        """``all``, the dimensions, then the intersections."""
        return ["all", *self.dimensions, *self.intersections]


class BackendConfig(_Strict):
    """Which Ibis backend runs the counts, its connection options and where the tables are.

    ``options`` are the backend's connection settings (see ``docs/scaling.md``);
    anything secret belongs in the environment (``PGPASSWORD``, ``SPARK_REMOTE``),
    which the backends read, rather than in a configuration file.
    ``tables: files`` reads the data folder (DuckDB reads the files where they
    are; Spark and PostgreSQL first get them loaded, as Parquet or by COPY);
    ``tables: backend`` reads ``<prefix><table>`` tables already in the backend
    (in ``schema``: a PostgreSQL schema or a Spark database). ``staging`` is the
    folder or URI the Spark cluster reads the loaded Parquet from.
    """

    # `schema` in YAML; `schema_name` in Python (a pydantic model has a `schema` method).
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    name: Literal["duckdb", "spark", "postgres"] = "duckdb"
    # Neither printed nor dumped (provenance records the configuration): a password
    # given here never reaches a log or an output.
    options: dict[str, Any] = Field(default={}, repr=False, exclude=True)
    tables: Literal["files", "backend"] = "files"
    prefix: str = Field(default="jsna_", pattern=r"^[a-z_][a-z0-9_]*$")
    schema_name: str | None = Field(
        default=None, alias="schema", pattern=r"^[A-Za-z_][A-Za-z0-9_]*$"
    )
    staging: str | None = None


class DisclosureConfig(_Strict):
    """The disclosure-control policy every published output is made with.

    ``policy`` is one of :data:`jsna.disclosure.POLICIES` (``docs/disclosure.md``);
    ``below`` sets the ``threshold`` policy's limit (counts 1 to ``below - 1``
    hidden; 5 when not given); ``suppress_zero`` hides zeros as well.
    """

    policy: Literal["nhs_digital", "opensafely", "threshold"] = "nhs_digital"
    below: int | None = Field(default=None, ge=2)
    suppress_zero: bool = False

    @model_validator(mode="after")
    def _below_needs_threshold(self) -> DisclosureConfig:
        if self.below is not None and self.policy != "threshold":
            raise ValueError(f"'below' applies to the threshold policy only, not {self.policy!r}")
        return self

    @property
    def options(self) -> dict[str, Any]:
        """Keyword options for :func:`jsna.disclosure.protect` (only those set)."""
        chosen: dict[str, Any] = {}
        if self.below is not None:
            chosen["below"] = self.below
        if self.suppress_zero:
            chosen["suppress_zero"] = True
        return chosen


class BuildConfig(_Strict):
    """Everything a build needs besides the data and the catalogue."""

    area: Area
    snapshot: Period
    mortality_window: Window
    indicators: Literal["all"] | list[str] = "all"
    strata: Strata
    reference: dict[str, str]
    confidence: list[float] = [0.95, 0.998]
    backend: BackendConfig = BackendConfig()
    disclosure: DisclosureConfig = DisclosureConfig()

    @field_validator("reference")
    @classmethod
    def _reference(cls, value: dict[str, str]) -> dict[str, str]:
        for name in value:
            _check_dimension(name)
        return value

    @field_validator("confidence")
    @classmethod
    def _confidence(cls, value: list[float]) -> list[float]:
        if 0.95 not in value:
            raise ValueError("the 95% level is required (comparisons and the tidy table use it)")
        for level in value:
            if not 0 < level < 1:
                raise ValueError(f"confidence levels are fractions in (0, 1), not {level}")
        return value

    @model_validator(mode="after")
    def _references_cover_strata(self) -> BuildConfig:
        for name in self.strata.dimensions:
            if name not in self.reference:
                raise ValueError(
                    f"no reference group for dimension {name!r} (use All for the area)"
                )
        return self

    def reference_for(self, dimension: str) -> str:
        """The reference category of a dimension (``All`` means the area row)."""
        return self.reference.get(dimension, ALL_REFERENCE)

    @property
    def indicator_ids(self) -> list[str] | None:
        """The selected indicator ids, or None for the whole catalogue."""
        return None if self.indicators == "all" else list(self.indicators)


def default_config_path() -> Path:
    """The configuration shipped with jsna (Westminster, 2023/24)."""
    return Path(str(resources.files("jsna") / "default_config.yaml"))


def load_config(path: str | Path | None = None) -> BuildConfig:
    """Read and validate a build configuration (the shipped default when ``path`` is None).

    >>> load_config().area.name
    'Westminster'
    """
    source = default_config_path() if path is None else Path(path)
    name = str(source)
    try:
        document = yaml.safe_load(source.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"cannot read the configuration: {error.strerror}", file=name) from None
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text (byte offset {error.start})", file=name,
                         hint="save the file as UTF-8") from None  # fmt: skip
    except yaml.YAMLError as error:
        raise InputError(f"not valid YAML: {error}", file=name) from None
    if not isinstance(document, dict):
        raise InputError("a configuration is a mapping of settings", file=name)
    try:
        return BuildConfig.model_validate(document)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise InputError(
            f"field {field!r}: {first['msg']}", file=name, column=field, value=first.get("input")
        ) from None
