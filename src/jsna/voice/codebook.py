"""The theme codebook: what each engagement theme means, for people and for coders.

A codebook is a YAML file (the shipped one, ``data/codebook.yaml``, holds the
themes of the Westminster JSNA on Global Majority communities, 2024). Each
theme has a label, a description, example comments, lexicon keywords and the
tidy-table indicators it bears on; analysts edit it or pass their own. The
embedding coder compares comments with the description and examples, the
lexicon coder with the keywords.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from jsna.errors import InputError

__all__ = ["Codebook", "Theme", "default_codebook_path", "load_codebook"]

_THEME_ID = re.compile(r"^[a-z][a-z0-9_]*$")
DEFAULT_THRESHOLD = 0.42


@dataclass(frozen=True)
class Theme:
    """One theme: ``id`` is the codebook key written to coded output."""

    id: str
    label: str
    description: str
    examples: tuple[str, ...]
    keywords: tuple[str, ...]
    indicators: tuple[str, ...]

    def bears_on(self, indicator_id: str) -> bool:
        """True when an indicator id matches one of the theme's ids or ``prefix*`` patterns.

        >>> Theme("t", "T", "d", (), (), ("prev_*",)).bears_on("prev_bowel_screening")
        True
        """
        for pattern in self.indicators:
            if pattern.endswith("*"):
                if indicator_id.startswith(pattern[:-1]):
                    return True
            elif indicator_id == pattern:
                return True
        return False


@dataclass(frozen=True)
class Codebook:
    """The themes in file order and the embedding coder's similarity threshold."""

    themes: tuple[Theme, ...]
    threshold: float
    source: str

    @property
    def ids(self) -> tuple[str, ...]:
        """Theme ids in codebook order."""
        return tuple(theme.id for theme in self.themes)

    def theme(self, theme_id: str) -> Theme:
        """The theme with this id (KeyError if absent)."""
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise KeyError(theme_id)


def default_codebook_path() -> Path:
    """Path of the shipped Westminster codebook."""
    return Path(str(resources.files("jsna.voice").joinpath("data/codebook.yaml")))


def _strings(value: Any, file: str, where: str, *, required: bool) -> tuple[str, ...]:
    if value is None:
        if required:
            raise InputError("needs at least one entry", file=file, column=where)
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError("must be a list of non-empty texts", file=file, column=where,
                         value=value)  # fmt: skip
    if required and not value:
        raise InputError("needs at least one entry", file=file, column=where)
    return tuple(v.strip() for v in value)


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Load and validate a codebook YAML (default: the shipped Westminster one).

    Errors name the file and the theme field (``themes.trust.keywords``) at fault.

    >>> book = load_codebook()
    >>> book.ids[:3]
    ('understanding', 'access_acceptability', 'discrimination')
    """
    source = Path(path) if path is not None else default_codebook_path()
    file = source.name
    if not source.is_file():
        raise InputError("codebook file not found", file=str(source))
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise InputError(f"not valid YAML: {error}", file=file) from None
    if not isinstance(data, dict) or not isinstance(data.get("themes"), dict):
        raise InputError("a codebook needs a 'themes' mapping of theme id → theme", file=file,
                         column="themes")  # fmt: skip
    threshold = data.get("threshold", DEFAULT_THRESHOLD)
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, int | float)
        or not (-1 < threshold < 1)
    ):
        raise InputError("threshold must be a number between -1 and 1", file=file,
                         column="threshold", value=threshold)  # fmt: skip
    themes = []
    for theme_id, body in data["themes"].items():
        where = f"themes.{theme_id}"
        if not isinstance(theme_id, str) or not _THEME_ID.match(theme_id):
            raise InputError("theme ids must be lower-case letters, digits and _", file=file,
                             column="themes", value=theme_id)  # fmt: skip
        if not isinstance(body, dict):
            raise InputError("each theme must be a mapping", file=file, column=where)
        unknown = set(body) - {"label", "description", "examples", "keywords", "indicators"}
        if unknown:
            raise InputError("unknown theme field", file=file, column=where,
                             value=sorted(unknown)[0])  # fmt: skip
        for name in ("label", "description"):
            if not isinstance(body.get(name), str) or not body[name].strip():
                raise InputError("required text missing", file=file, column=f"{where}.{name}")
        themes.append(
            Theme(
                id=theme_id,
                label=body["label"].strip(),
                description=" ".join(body["description"].split()),
                examples=_strings(body.get("examples"), file, f"{where}.examples", required=True),
                keywords=tuple(
                    k.lower()
                    for k in _strings(
                        body.get("keywords"), file, f"{where}.keywords", required=True
                    )
                ),
                indicators=_strings(
                    body.get("indicators"), file, f"{where}.indicators", required=False
                ),
            )
        )
    if not themes:
        raise InputError("the codebook has no themes", file=file, column="themes")
    return Codebook(themes=tuple(themes), threshold=float(threshold), source=str(source))
