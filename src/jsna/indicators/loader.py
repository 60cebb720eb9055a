"""Load and validate the indicator catalogue from YAML files.

The shipped catalogue is every ``*.yaml`` file in ``jsna/catalogue/``; a
council may add its own files. Each file holds ``indicators:``, a list of
entries (see ``docs/catalogue.md``). Every entry is validated with the
pydantic models of :mod:`jsna.indicators.models`; the first problem raises
:class:`jsna.errors.InputError` naming the file, the indicator and the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from jsna.errors import InputError
from jsna.indicators.models import DOMAINS, Indicator
from jsna.indicators.schema import TABLES

__all__ = ["Catalogue", "load_catalogue", "shipped_catalogue_files"]


@dataclass(frozen=True)
class Catalogue:
    """Indicators in report order (domain, then file name and order within the file)."""

    indicators: tuple[Indicator, ...]
    files: Mapping[str, str]  # indicator id -> file it came from

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    def __getitem__(self, indicator_id: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(indicator_id)

    def select(self, ids: Iterable[str] | None) -> Catalogue:
        """The named indicators (all when ``ids`` is None); an unknown id raises InputError."""
        if ids is None:
            return self
        wanted = list(ids)
        known = {indicator.id for indicator in self.indicators}
        for indicator_id in wanted:
            if indicator_id not in known:
                raise InputError(
                    "no such indicator in the catalogue",
                    column="indicators",
                    value=indicator_id,
                    hint="docs/catalogue.md lists the catalogue's ids",
                )
        chosen = tuple(i for i in self.indicators if i.id in set(wanted))
        return Catalogue(chosen, {i.id: self.files[i.id] for i in chosen})


def shipped_catalogue_files() -> list[Path]:
    """The YAML files of the catalogue that ships with jsna, sorted by name."""
    folder = resources.files("jsna") / "catalogue"
    return sorted(Path(str(item)) for item in folder.iterdir() if item.name.endswith(".yaml"))


def _field_path(location: tuple[int | str, ...]) -> str:
    # pydantic puts the discriminator's value (e.g. 'conditions') in the location of
    # a tagged union; keep only real field names and list positions.
    parts = [
        f"[{part}]" if isinstance(part, int) else str(part)
        for part in location
        if part not in {"people", "conditions", "events", "deaths"}
    ]
    return ".".join(parts).replace(".[", "[") or "(entry)"


def _entry_value(entry: object, location: tuple[int | str, ...]) -> object:
    """The offending value in the raw YAML entry (None when the field is missing)."""
    value = entry
    for part in location:
        if isinstance(part, str) and part in {"people", "conditions", "events", "deaths"}:
            continue  # a tagged-union tag, not a field
        inside_mapping = isinstance(value, Mapping) and part in value
        inside_list = isinstance(value, list) and isinstance(part, int) and part < len(value)
        if not (inside_mapping or inside_list):
            return None
        value = value[part]  # type: ignore[index]
    return value


def _load_file(path: Path) -> list[tuple[Indicator, str]]:
    name = str(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise InputError(f"not valid YAML: {error}", file=name) from None
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text (byte offset {error.start})", file=name,
                         hint="save the file as UTF-8") from None  # fmt: skip
    except OSError as error:
        raise InputError(f"cannot read the catalogue file: {error.strerror}", file=name) from None
    if not isinstance(document, dict) or not isinstance(document.get("indicators"), list):
        raise InputError("a catalogue file holds `indicators:` followed by a list", file=name)
    loaded: list[tuple[Indicator, str]] = []
    for position, entry in enumerate(document["indicators"], start=1):
        label = entry.get("id") if isinstance(entry, dict) else None
        who = f"indicator {label!r}" if label else f"indicator number {position}"
        if not isinstance(entry, dict):
            raise InputError(
                f"{who}: an entry must be a mapping of fields", file=name, row=position
            )
        try:
            loaded.append((Indicator.model_validate(entry), name))
        except ValidationError as error:
            first = error.errors()[0]
            field, value = _field_path(first["loc"]), _entry_value(entry, first["loc"])
            message = first["msg"]
            if first["type"] in {"union_tag_invalid", "union_tag_not_found"}:
                field, value = f"{field}.table", first.get("ctx", {}).get("tag")
                message = f"unknown table; known: {', '.join(TABLES)}"
            raise InputError(
                f"{who}, field {field!r}: {message}",
                file=name,
                column=field,
                row=position,
                value=value,
            ) from None
    return loaded


def load_catalogue(paths: Iterable[str | Path] | None = None) -> Catalogue:
    """Load and validate catalogue files (the shipped catalogue when ``paths`` is None).

    >>> catalogue = load_catalogue()
    >>> catalogue["ltc_diabetes_prevalence"].denominator.age_min
    17
    """
    files = shipped_catalogue_files() if paths is None else [Path(p) for p in paths]
    indicators: list[Indicator] = []
    origin: dict[str, str] = {}
    for path in files:
        for indicator, name in _load_file(path):
            if indicator.id in origin:
                raise InputError(
                    f"indicator {indicator.id!r} is defined twice (also in {origin[indicator.id]})",
                    file=name,
                    value=indicator.id,
                )
            origin[indicator.id] = name
            indicators.append(indicator)
    # Report order: by domain as listed in DOMAINS, then file and entry order.
    indicators.sort(key=lambda indicator: DOMAINS.index(indicator.domain))
    return Catalogue(tuple(indicators), origin)
