"""The calibration file: every published figure Synthetic Westminster is built to.

:func:`load_calibration` reads ``westminster.yaml`` (shipped in this package)
or any file of the same shape, checks it, and returns a :class:`Calibration`
holding the raw mapping plus the arrays the generator uses. A wrong value
raises :class:`jsna.errors.InputError` naming the file, the key path and the
value, so an analyst who edits a number learns at once what is wrong.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from jsna.codes import ethnicity, geography
from jsna.errors import InputError
from jsna.sources.schema import CONDITIONS, EVENTS

__all__ = ["BROAD_AGES", "CONDITIONS", "EVENTS", "GROUPS", "Calibration", "load_calibration"]

#: The 19 ONS groups (true ethnicity; "Not stated" is only ever a recording).
GROUPS: tuple[str, ...] = ethnicity.ETHNICITY_19[:-1]
SEXES: tuple[str, ...] = ("F", "M")
#: The broad age groups of ``ward_age_shape`` (ONS mid-year estimates by LSOA).
BROAD_AGES: tuple[str, ...] = ("0-15", "16-29", "30-44", "45-64", "65+")


@dataclass(frozen=True)
class _Reader:
    """Checked access to a parsed calibration mapping (errors name file and key path)."""

    source: str
    raw: Mapping[str, Any]

    def section(self, *path: str) -> Any:
        """The raw value at ``path`` (InputError naming the path if absent)."""
        value: Any = self.raw
        for i, key in enumerate(path):
            if not isinstance(value, Mapping) or key not in value:
                raise InputError(
                    "missing from the calibration file",
                    file=self.source,
                    column=_key(path[: i + 1]),
                )
            value = value[key]
        return value

    def number(self, *path: str, low: float = -np.inf, high: float = np.inf) -> float:
        """A number at ``path``, checked to lie in [low, high]."""
        value = self.section(*path)
        return _number(value, self.source, path, low, high)

    def vector(
        self, *path: str, length: int, low: float = -np.inf, high: float = np.inf
    ) -> np.ndarray:
        """A list of ``length`` numbers at ``path``, each in [low, high]."""
        value = self.section(*path)
        if not isinstance(value, list) or len(value) != length:
            raise InputError(
                f"must be a list of {length} numbers",
                file=self.source,
                column=_key(path),
                value=value,
            )
        return np.array([_number(v, self.source, path, low, high) for v in value], dtype=float)

    def by_group(
        self, *path: str, default: float, low: float = 0.0, high: float = np.inf
    ) -> np.ndarray:
        """A mapping group → number at ``path`` as an array in :data:`GROUPS` order.

        Groups not listed take the mapping's own ``default_global_majority``
        (Global Majority groups) or ``default`` when present, else ``default``.
        """
        value = self.section(*path)
        if not isinstance(value, Mapping):
            raise InputError(
                "must be a mapping of ethnic group to number",
                file=self.source,
                column=_key(path),
                value=value,
            )
        gm_default = value.get("default_global_majority")
        if "default" in value:
            default = _number(value["default"], self.source, (*path, "default"), low, high)
        for key in value:
            if key not in GROUPS and key not in ("default", "default_global_majority"):
                raise InputError(
                    f"not one of the ONS 2021 ethnic groups ({', '.join(GROUPS)})",
                    file=self.source,
                    column=_key((*path, str(key))),
                    value=key,
                )
        out = np.empty(len(GROUPS))
        for i, group in enumerate(GROUPS):
            if group in value:
                out[i] = _number(value[group], self.source, (*path, group), low, high)
            elif gm_default is not None and ethnicity.GROUP_5[group] != "White":
                out[i] = _number(
                    gm_default, self.source, (*path, "default_global_majority"), low, high
                )
            else:
                out[i] = default
        return out


@dataclass(frozen=True)
class Calibration(_Reader):
    """A checked calibration file.

    ``raw`` is the parsed YAML; the other fields are the arrays derived from
    it (group order :data:`GROUPS`, ward order :data:`jsna.codes.geography.WARDS`).
    """

    period_end: np.datetime64
    window_start: np.datetime64
    ward_ethnicity: np.ndarray  # (18 wards, 19 groups) Census counts
    age_sex: np.ndarray  # (2 sexes F/M, 91 ages 0..89, 90+) Census counts
    languages: tuple[str, ...]
    language_counts: np.ndarray
    language_regions: tuple[str, ...]
    ward_position: np.ndarray  # (18,) 0 = least, 1 = most mortality
    ward_age_shape: np.ndarray  # (18 wards, 2 sexes F/M, 5 ages 0-15 … 65+) shares of the ward


def _key(path: tuple[str, ...] | list[str]) -> str:
    return ".".join(str(p) for p in path)


def _number(value: Any, source: str, path: tuple[str, ...], low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError("must be a number", file=source, column=_key(path), value=value)
    if not low <= float(value) <= high:
        raise InputError(
            f"must lie between {low:g} and {high:g}", file=source, column=_key(path), value=value
        )
    return float(value)


def _date(value: Any, source: str, path: tuple[str, ...]) -> np.datetime64:
    if isinstance(value, dt.date):
        return np.datetime64(value, "D")
    try:
        return np.datetime64(str(value), "D")
    except ValueError:
        raise InputError(
            "must be a date YYYY-MM-DD", file=source, column=_key(path), value=value
        ) from None


def load_calibration(path: str | Path | None = None) -> Calibration:
    """Read and check a calibration file (default: the packaged ``westminster.yaml``).

    >>> cal = load_calibration()
    >>> int(cal.ward_ethnicity.sum())
    204247
    """
    if path is None:
        ref = resources.files("jsna.synth").joinpath("calibration", "westminster.yaml")
        source = "westminster.yaml"
        text = ref.read_text(encoding="utf-8")
    else:
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise InputError(
                f"cannot read the calibration file: {error.strerror}", file=source
            ) from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise InputError(f"not valid YAML: {error}", file=source) from None
    if not isinstance(raw, Mapping):
        raise InputError("the calibration file must be a YAML mapping", file=source)
    return _build(raw, source)


def _build(raw: Mapping[str, Any], source: str) -> Calibration:
    probe = _Reader(source, raw)
    census = probe.section("census")
    if list(census.get("ethnic_groups", [])) != list(GROUPS):
        raise InputError(
            "census.ethnic_groups must list the 19 ONS groups in jsna.codes.ethnicity order",
            file=source,
            column="census.ethnic_groups",
        )
    ward_table = probe.section("census", "ward_ethnicity")
    if sorted(ward_table) != sorted(geography.WARDS):
        raise InputError(
            "needs one row per ward (E05013792-E05013809)",
            file=source,
            column="census.ward_ethnicity",
        )
    ward_ethnicity = np.array(
        [
            probe.vector("census", "ward_ethnicity", w, length=len(GROUPS), low=0)
            for w in geography.WARDS
        ]
    )
    age_sex = np.array(
        [probe.vector("census", f"age_{s}", length=91, low=0) for s in ("female", "male")]
    )
    languages, counts, regions = [], [], []
    affinity = probe.section("language", "affinity")
    for i, item in enumerate(probe.section("census", "languages")):
        if not (isinstance(item, list) and len(item) == 3 and str(item[2]) in affinity):
            raise InputError(
                "each language is [name, count, region] with a region listed in language.affinity",
                file=source,
                column=f"census.languages[{i}]",
                value=item,
            )
        languages.append(str(item[0]))
        counts.append(_number(item[1], source, ("census", "languages", str(i)), 0, np.inf))
        regions.append(str(item[2]))
    if "English" not in languages or "Arabic" not in languages:
        raise InputError(
            "census.languages must include English and Arabic",
            file=source,
            column="census.languages",
        )
    positions = probe.section("ward_mortality_position")
    ward_position = np.array(
        [
            _number(positions.get(w), source, ("ward_mortality_position", w), 0, 1)
            for w in geography.WARDS
        ]
    )
    ward_age_shape = np.array(
        [
            probe.vector("ward_age_shape", "shares", w, length=2 * len(BROAD_AGES), low=0, high=1)
            for w in geography.WARDS
        ]
    ).reshape(len(geography.WARDS), 2, len(BROAD_AGES))
    if list(probe.section("ward_age_shape", "age_groups")) != list(BROAD_AGES):
        raise InputError(
            f"ward_age_shape.age_groups must be {list(BROAD_AGES)}",
            file=source,
            column="ward_age_shape.age_groups",
            value=probe.section("ward_age_shape", "age_groups"),
        )
    empty = [
        w for w, shares in zip(geography.WARDS, ward_age_shape, strict=True) if not shares.sum()
    ]
    if empty:
        raise InputError(
            "a ward's shares cannot all be zero",
            file=source,
            column=f"ward_age_shape.shares.{empty[0]}",
        )
    window = probe.section("mortality_window")
    cal = Calibration(
        source=source,
        raw=raw,
        period_end=_date(probe.section("period_end"), source, ("period_end",)),
        window_start=_date(window[0], source, ("mortality_window", "0")),
        ward_ethnicity=ward_ethnicity,
        age_sex=age_sex,
        languages=tuple(languages),
        language_counts=np.array(counts),
        language_regions=tuple(regions),
        ward_position=ward_position,
        ward_age_shape=ward_age_shape,
    )
    if _date(window[1], source, ("mortality_window", "1")) != cal.period_end:
        raise InputError(
            "the mortality window must end on period_end",
            file=source,
            column="mortality_window",
            value=str(window[1]),
        )
    _check_codes(cal)
    return cal


def _check_codes(cal: Calibration) -> None:
    """Every ethnicity code the generator writes must map back to its group."""
    recording = cal.section("recording")
    for group, codes in cal.section("recording", "snomed_concepts").items():
        if group not in GROUPS:
            raise InputError(
                "not an ONS 2021 group",
                file=cal.source,
                column=f"recording.snomed_concepts.{group}",
                value=group,
            )
        mapped = ethnicity.to_ethnicity_19(
            codes, file=cal.source, column=f"recording.snomed_concepts.{group}"
        )
        if not (mapped == group).all():
            raise InputError(
                f"concept does not map to {group!r} in jsna.codes.ethnicity",
                file=cal.source,
                column=f"recording.snomed_concepts.{group}",
                value=list(codes),
            )
    missing = [g for g in GROUPS if g not in recording["snomed_concepts"]]
    if missing:
        raise InputError(
            "every group needs SNOMED concepts",
            file=cal.source,
            column="recording.snomed_concepts",
            value=missing,
        )
    for group, letter in recording["nhs_letters"].items():
        if ethnicity.to_ethnicity_19([letter]).tolist() != [group]:
            raise InputError(
                f"letter does not map to {group!r}",
                file=cal.source,
                column=f"recording.nhs_letters.{group}",
                value=letter,
            )
    stated = ethnicity.to_ethnicity_19(
        recording["not_stated_codes"], file=cal.source, column="recording.not_stated_codes"
    )
    if not (stated == ethnicity.NOT_STATED).all():
        raise InputError(
            "a not-stated code maps to a group",
            file=cal.source,
            column="recording.not_stated_codes",
            value=recording["not_stated_codes"],
        )
