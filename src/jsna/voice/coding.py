"""Coding comments with themes: choose a coder, score, threshold, apply overrides.

Each comment gets zero or more themes with a score in [0, 1]. The embedding
coder (:mod:`jsna.voice.embedding`, optional ``nlp`` extra) is used when
installed; the lexicon coder (:mod:`jsna.voice.lexicon`) otherwise, or when
asked for. Analyst overrides always win: for every id in the overrides file,
the coder's themes are replaced by the analyst's, with score 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd

from jsna.errors import InputError
from jsna.voice.codebook import Codebook, load_codebook
from jsna.voice.lexicon import LexiconCoder
from jsna.voice.tabular import read_table, require_columns

__all__ = [
    "CODERS",
    "Coder",
    "Coding",
    "apply_overrides",
    "code_comments",
    "make_coder",
    "read_theme_lists",
]

CODERS = ("auto", "embedding", "lexicon")
CODE_COLUMNS = ["id", "theme", "score"]


class Coder(Protocol):
    """What a coder provides: theme scores and comment vectors for centroids."""

    name: str
    theme_ids: list[str]
    threshold: float

    def score(self, texts: list[str]) -> np.ndarray: ...

    def embed(self, texts: list[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Coding:
    """The result of coding: long codes, each comment's vector and who coded it.

    ``codes`` has one row per comment and theme (``id``, ``theme``, ``score``),
    comments in input order and themes in codebook order; ``vectors`` row *i*
    belongs to comment *i* of the input; ``overridden`` lists the ids whose
    themes came from the analyst.
    """

    codes: pd.DataFrame
    vectors: np.ndarray
    coder: str
    overridden: tuple[str, ...]


def make_coder(codebook: Codebook, coder: str = "auto") -> Coder:
    """Build a coder: ``embedding``, ``lexicon`` or ``auto`` (embedding when installed).

    Asking for ``embedding`` without the ``nlp`` extra raises :class:`InputError`
    saying how to install it.
    """
    if coder not in CODERS:
        raise InputError(f"coder must be one of {', '.join(CODERS)}", column="coder",
                         value=coder)  # fmt: skip
    if coder == "lexicon":
        return LexiconCoder(codebook)
    from jsna.voice.embedding import EmbeddingCoder, embedding_available

    if embedding_available():
        return EmbeddingCoder(codebook)
    if coder == "embedding":
        raise InputError(
            "the embedding coder needs the optional 'nlp' extra",
            column="coder",
            value=coder,
            hint="pip install 'jsna[nlp]', or use --coder lexicon",
        )
    return LexiconCoder(codebook)


def read_theme_lists(path: str | Path, codebook: Codebook) -> dict[str, tuple[str, ...]]:
    """Read an ``id,themes`` file (themes separated by ``;``; empty = no theme).

    Used for analyst overrides and hand labels. Every theme must be a codebook
    id; ids must be unique. Errors name file, column, row and value.
    """
    table = read_table(path)
    require_columns(table, ["id", "themes"])
    known = set(codebook.ids)
    out: dict[str, tuple[str, ...]] = {}
    rows: dict[str, int] = {}
    for row, raw in enumerate(table.rows, start=1):
        comment_id = raw["id"]
        if not comment_id:
            raise InputError("required value is empty", file=table.file, column="id", row=row)
        if comment_id in out:
            raise InputError(f"duplicate id (first seen in row {rows[comment_id]})",
                             file=table.file, column="id", row=row,
                             value=comment_id)  # fmt: skip
        themes = [t.strip() for t in raw["themes"].split(";") if t.strip()]
        for theme in themes:
            if theme not in known:
                raise InputError(f"not a theme of the codebook ({', '.join(codebook.ids)})",
                                 file=table.file, column="themes", row=row,
                                 value=theme)  # fmt: skip
        out[comment_id] = tuple(dict.fromkeys(themes))
        rows[comment_id] = row
    return out


def apply_overrides(
    codes: pd.DataFrame,
    overrides: dict[str, tuple[str, ...]],
    ids: list[str],
    *,
    file: str = "overrides",
) -> pd.DataFrame:
    """Replace the themes of every overridden id with the analyst's (score 1).

    An override for an id that is not among the comments is an error (a typo
    would otherwise be silently ignored). Row order: comments in ``ids``
    order, themes in codebook order for coded rows, analyst order for overrides.
    """
    position = {comment_id: i for i, comment_id in enumerate(ids)}
    for comment_id in overrides:
        if comment_id not in position:
            raise InputError("override for an id that is not in the comments", file=file,
                             column="id", value=comment_id)  # fmt: skip
    kept = codes[~codes["id"].isin(list(overrides))]
    added = pd.DataFrame(
        [(cid, theme, 1.0) for cid, themes in overrides.items() for theme in themes],
        columns=CODE_COLUMNS,
    )
    merged = pd.concat([kept, added], ignore_index=True) if len(added) else kept
    order = merged["id"].map(position)
    return (
        merged.assign(_order=order.to_numpy())
        .sort_values("_order", kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
        .astype({"id": str, "theme": str, "score": float})
    )


def code_comments(
    comments: pd.DataFrame,
    codebook: Codebook | None = None,
    *,
    coder: str | Coder = "auto",
    overrides: dict[str, tuple[str, ...]] | None = None,
) -> Coding:
    """Code every comment (``comments`` from :func:`jsna.voice.read_comments`).

    A theme applies when its score reaches the coder's threshold (embedding:
    the codebook's ``threshold``; lexicon: one keyword). Overrides (id →
    themes) replace the coder's themes for their ids.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"id": ["a", "b"], "text": ["I am so lonely", "Nice day"]})
    >>> code_comments(frame, coder="lexicon").codes.values.tolist()
    [['a', 'ask_socialise', 0.5]]
    """
    book = codebook or load_codebook()
    engine = make_coder(book, coder) if isinstance(coder, str) else coder
    texts = comments["text"].astype(str).tolist()
    ids = comments["id"].astype(str).tolist()
    scores = engine.score(texts) if texts else np.zeros((0, len(book.ids)))
    rows, cols = np.nonzero(scores >= engine.threshold)
    codes = pd.DataFrame(
        {
            "id": [ids[i] for i in rows],
            "theme": [engine.theme_ids[j] for j in cols],
            "score": np.round(scores[rows, cols], 6),
        },
        columns=CODE_COLUMNS,
    ).astype({"id": str, "theme": str, "score": float})
    if overrides:
        codes = apply_overrides(codes, overrides, ids)
    vectors = engine.embed(texts) if texts else np.zeros((0, 0))
    return Coding(codes=codes, vectors=vectors, coder=engine.name,
                  overridden=tuple(overrides or ()))  # fmt: skip
