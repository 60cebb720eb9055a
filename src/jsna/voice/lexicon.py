"""The lexicon coder: deterministic keyword matching against the codebook.

The fallback when the optional ``nlp`` extra (sentence embeddings) is not
installed, and a transparent baseline beside it. A theme applies to a comment
when at least one of its keywords occurs as whole words (a trailing ``*``
matches any ending: ``vaccin*`` matches vaccine, vaccination). The score is
``1 - 0.5 ** k`` for ``k`` distinct keywords found (0.5, 0.75, 0.875 …), so
more evidence gives a higher score but never 1, which is kept for analyst
overrides.

For choosing representative quotes the lexicon coder also gives each comment
a TF-IDF vector (Salton & Buckley 1988; smoothed idf ``ln((1+n)/(1+df)) + 1``,
L2-normalised) so that "closest to the theme centroid" means the same thing
with either coder.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from jsna.voice.codebook import Codebook

__all__ = ["LexiconCoder", "keyword_pattern", "normalise_text", "tfidf_vectors"]

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def normalise_text(text: str) -> str:
    """Lower case, curly apostrophes made straight, runs of space made one.

    >>> normalise_text("Don’t  KNOW")
    "don't know"
    """
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").lower().split())


def keyword_pattern(keyword: str) -> re.Pattern[str]:
    """Regular expression for one codebook keyword (whole words; ``*`` = any ending).

    >>> bool(keyword_pattern("vaccin*").search("the vaccination centre"))
    True
    >>> bool(keyword_pattern("app").search("appointment"))
    False
    """
    star = keyword.endswith("*")
    words = normalise_text(keyword.rstrip("*")).split(" ")
    body = r"\s+".join(re.escape(w) for w in words)
    tail = r"[\w'-]*" if star else ""
    return re.compile(rf"(?<![\w]){body}{tail}(?![\w])")


class LexiconCoder:
    """Scores comments against each theme's keywords; see the module docstring.

    >>> from jsna.voice.codebook import load_codebook
    >>> coder = LexiconCoder(load_codebook())
    >>> scores = coder.score(["I feel so lonely since my wife died"])
    >>> float(scores[0, coder.theme_ids.index("ask_socialise")])
    0.5
    """

    name = "lexicon"

    def __init__(self, codebook: Codebook) -> None:
        self.theme_ids = list(codebook.ids)
        self._patterns = [[keyword_pattern(k) for k in t.keywords] for t in codebook.themes]
        self.threshold = 0.5

    def score(self, texts: Sequence[str]) -> np.ndarray:
        """Scores, one row per text and one column per theme (0 when no keyword matches)."""
        out = np.zeros((len(texts), len(self.theme_ids)))
        for i, text in enumerate(texts):
            clean = normalise_text(text)
            for j, patterns in enumerate(self._patterns):
                hits = sum(1 for p in patterns if p.search(clean))
                if hits:
                    out[i, j] = 1 - 0.5**hits
        return out

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """TF-IDF vectors of the texts (rows L2-normalised), for centroid distances."""
        return tfidf_vectors(texts)


def tfidf_vectors(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised TF-IDF rows over the texts' own vocabulary (smoothed idf).

    >>> v = tfidf_vectors(["a cat", "a dog"])
    >>> v.shape, round(float(v[0] @ v[0]), 6)
    ((2, 3), 1.0)
    """
    tokens = [_WORD.findall(normalise_text(t)) for t in texts]
    vocabulary = {w: i for i, w in enumerate(sorted({w for ts in tokens for w in ts}))}
    counts = np.zeros((len(texts), len(vocabulary)))
    for i, ts in enumerate(tokens):
        for w in ts:
            counts[i, vocabulary[w]] += 1
    df = (counts > 0).sum(axis=0)
    idf = np.log((1 + len(texts)) / (1 + df)) + 1
    weights = counts * idf
    norms = np.linalg.norm(weights, axis=1, keepdims=True)
    return np.divide(weights, norms, out=np.zeros_like(weights), where=norms > 0)
