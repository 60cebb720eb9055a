"""Resident-engagement evidence: comments, themes, quotes (what residents say).

Read engagement comments (:func:`read_comments`), code them with the themes of
a codebook (:func:`load_codebook`, :func:`code_comments`: sentence embeddings
when the optional ``nlp`` extra is installed, a keyword lexicon otherwise;
analyst overrides always win), and summarise them for the report
(:func:`voice_summary`: theme frequency by group, ward and method,
representative quotes, and each theme's links to the indicators it bears on).
:func:`agreement` measures a coder against hand labels.
"""

from pathlib import Path

from jsna.voice.codebook import Codebook, Theme, default_codebook_path, load_codebook
from jsna.voice.coding import CODERS, Coding, apply_overrides, code_comments, read_theme_lists
from jsna.voice.comments import read_comments, synthetic_engagement_path
from jsna.voice.evaluation import agreement
from jsna.voice.summaries import (
    representative_quotes,
    theme_frequency,
    theme_indicator_links,
    voice_summary,
)

__all__ = [
    "CODERS",
    "Codebook",
    "Coding",
    "Theme",
    "agreement",
    "apply_overrides",
    "code_comments",
    "default_codebook_path",
    "hand_labels_path",
    "load_codebook",
    "read_comments",
    "read_theme_lists",
    "representative_quotes",
    "synthetic_engagement_path",
    "theme_frequency",
    "theme_indicator_links",
    "voice_summary",
]


def hand_labels_path() -> Path:
    """Path of the hand labels (id → themes) of the synthetic engagement set."""
    return synthetic_engagement_path().parent / "hand_labels.csv"
