"""The codebook file and the lexicon coder, checked against hand-worked expectations."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from jsna.errors import InputError
from jsna.voice import load_codebook
from jsna.voice.lexicon import LexiconCoder, keyword_pattern, normalise_text, tfidf_vectors

SHIPPED = [
    "understanding", "access_acceptability", "discrimination", "practical_barriers", "trust",
    "ask_community_led", "ask_socialise", "ask_individual_support",
    "ask_culturally_aware_workforce", "ask_health_information",
]  # fmt: skip

SMALL = """
threshold: 0.5
themes:
  transport:
    label: Transport
    description: Getting to services.
    examples: [The bus is late.]
    keywords: [bus, travel*]
    indicators: [prev_*]
  money:
    label: Money
    description: Cost of living.
    examples: [It is too expensive.]
    keywords: [afford*, expensive]
"""


def test_shipped_codebook_keys_are_the_issue_themes() -> None:
    book = load_codebook()
    assert list(book.ids) == SHIPPED
    assert all(t.examples and t.keywords and t.description for t in book.themes)


def test_an_analyst_codebook_drives_the_lexicon(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(SMALL, encoding="utf-8")
    book = load_codebook(path)
    assert book.ids == ("transport", "money") and book.threshold == 0.5
    assert book.theme("transport").bears_on("prev_bowel_screening")
    assert not book.theme("money").bears_on("prev_bowel_screening")
    scores = LexiconCoder(book).score(["Travelling by bus is not affordable", "Fine"])
    # transport: "bus" and "travel*" → 1 - 0.5**2; money: "afford*" → 1 - 0.5
    assert scores.tolist() == [[0.75, 0.5], [0.0, 0.0]]


@pytest.mark.parametrize(
    ("text", "fragment", "column"),
    [
        ("themes: [1, 2]", "'themes' mapping", "themes"),
        ("themes:\n  Bad-Id: {}", "lower-case", "themes"),
        (SMALL.replace("    description: Getting to services.\n", ""), "required text",
         "themes.transport.description"),
        (SMALL.replace("keywords: [afford*, expensive]", "keywords: []"), "at least one",
         "themes.money.keywords"),
        (SMALL.replace("threshold: 0.5", "threshold: 5"), "between -1 and 1", "threshold"),
        (SMALL + "    colour: red\n", "unknown theme field", "themes.money"),
        ("themes: {a: [unclosed", "not valid YAML", None),
    ],
)  # fmt: skip
def test_bad_codebooks_are_refused(tmp_path: Path, text: str, fragment: str, column: str) -> None:
    path = tmp_path / "book.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=fragment) as caught:
        load_codebook(path)
    assert caught.value.file == "book.yaml"
    assert caught.value.column == column


def test_keywords_match_whole_words_and_star_endings() -> None:
    assert keyword_pattern("app").search("use the app please")
    assert not keyword_pattern("app").search("my appointment")
    assert keyword_pattern("interpret*").search("no interpreters today")
    assert keyword_pattern("coffee morning*").search("the coffee   mornings")
    assert keyword_pattern("don't talk about").search(normalise_text("We don’t talk about it"))


def test_shipped_lexicon_on_hand_worked_comments() -> None:
    book = load_codebook()
    coder = LexiconCoder(book)
    scores = coder.score(
        [
            "I can't afford the bus and there was no interpreter.",
            "What a lovely sunny day.",
        ]
    )
    barriers = SHIPPED.index("practical_barriers")
    # afford*, bus, interpret* → three keywords → 1 - 0.5**3
    assert scores[0, barriers] == 0.875
    assert scores[1].tolist() == [0.0] * len(SHIPPED)


def test_tfidf_matches_a_hand_computation() -> None:
    vectors = tfidf_vectors(["bus bus late", "bus fine"])
    # vocabulary (sorted): bus, fine, late; n = 2
    idf_bus = math.log(3 / 3) + 1
    idf_once = math.log(3 / 2) + 1
    first = np.array([2 * idf_bus, 0, idf_once])
    second = np.array([idf_bus, idf_once, 0])
    np.testing.assert_allclose(vectors[0], first / np.linalg.norm(first))
    np.testing.assert_allclose(vectors[1], second / np.linalg.norm(second))
