"""Theme frequency, representative quotes and indicator links on hand-made data."""

from __future__ import annotations

import numpy as np
import pandas as pd

from jsna.voice import (
    load_codebook,
    representative_quotes,
    theme_frequency,
    theme_indicator_links,
    voice_summary,
)

COMMENTS = pd.DataFrame(
    {
        "id": ["1", "2", "3", "4"],
        "text": ["a", "b", "c", "d"],
        "ward": ["Church Street", "Church Street", "Harrow Road", "Harrow Road"],
        "method": ["survey", "survey", "survey", "focus group"],
        "ethnic_group": ["Arab", "Arab", "Arab", "Black African"],
        "synthetic": [True] * 4,
    }
)
CODES = pd.DataFrame(
    {
        "id": ["1", "1", "2", "3"],
        "theme": ["trust", "practical_barriers", "trust", "trust"],
        "score": [0.9, 0.6, 0.7, 0.8],
    }
)


def test_frequency_counts_comments_over_all_comments_in_the_group() -> None:
    book = load_codebook()
    table = theme_frequency(COMMENTS, CODES, book, by="ward").set_index(["category", "theme"])
    # Church Street: 2 comments, both trust → 100%; Harrow Road: 2 comments, 1 trust → 50%
    assert table.loc[("Church Street", "trust"), ["comments", "total", "share"]].tolist() == [
        2, 2, 100.0,
    ]  # fmt: skip
    assert table.loc[("Harrow Road", "trust"), "share"] == 50.0
    assert table.loc[("Harrow Road", "discrimination"), "comments"] == 0
    assert len(table) == 2 * len(book.ids)  # zero counts are kept


def test_the_quote_is_the_most_typical_not_the_most_extreme() -> None:
    comments = pd.DataFrame({"id": ["p", "q", "r", "s"], "text": ["P", "Q", "R", "S"]})
    codes = pd.DataFrame({"id": ["p", "q", "r", "s"], "theme": ["t"] * 4, "score": [1.0] * 4})
    # three comments cluster around (1, 0.2); one is far away (the extreme)
    vectors = np.array([[1.0, 0.0], [1.0, 0.4], [1.0, 0.2], [0.0, 1.0]])
    centroid = vectors.mean(axis=0)
    cosine = vectors @ centroid / (np.linalg.norm(vectors, axis=1) * np.linalg.norm(centroid))
    expected = [["p", "q", "r", "s"][i] for i in np.argsort(-cosine)[:2]]
    quotes = representative_quotes(comments, codes, vectors, n=2)
    assert quotes["id"].tolist() == expected
    assert "s" not in quotes["id"].tolist()


def test_links_pick_the_widest_significant_gap() -> None:
    tidy = pd.DataFrame(
        {
            "indicator_id": ["prev_flu_vaccination_65plus"] * 3,
            "indicator_name": ["Flu vaccination coverage, aged 65+"] * 3,
            "dimension": ["ethnicity_19"] * 3,
            "category": ["Black African", "Arab", "White British"],
            "value": [45.0, 60.0, 70.0],
            "age_standardised": [False] * 3,
            "significance": ["Lower", "Lower", ""],
            "ratio_to_comparator": [45 / 70, 60 / 70, np.nan],
            "comparator": ["White British"] * 3,
            "polarity": ["higher_is_better"] * 3,
        }
    )
    links = theme_indicator_links(load_codebook(), tidy)
    access = links[links["theme"] == "access_acceptability"].iloc[0]
    assert access["widest_gap_group"] == "Black African"
    assert access["ratio_to_comparator"] == 45 / 70
    # understanding bears on condition prevalences only: no link to flu vaccination
    assert links[links["theme"] == "understanding"].empty


def test_a_prevalence_with_no_judgement_links_to_the_highest_ratio() -> None:
    tidy = pd.DataFrame(
        {
            "indicator_id": ["ltc_diabetes_prevalence"] * 3,
            "indicator_name": ["Diabetes"] * 3,
            "dimension": ["ethnicity_19"] * 3,
            "category": ["Bangladeshi", "Black Caribbean", "Chinese"],
            "value": [16.0, 12.0, 2.0],
            "age_standardised": [False] * 3,
            "significance": ["Higher", "Higher", "Lower"],
            "ratio_to_comparator": [4.0, 3.0, 0.5],
            "comparator": ["White British"] * 3,
            "polarity": ["no_judgement"] * 3,
        }
    )
    links = theme_indicator_links(load_codebook(), tidy)
    picked = links[links["theme"] == "understanding"].iloc[0]
    assert (picked["widest_gap_group"], picked["ratio_to_comparator"]) == ("Bangladeshi", 4.0)


def test_summary_coverage_counts_comments_without_a_theme() -> None:
    vectors = np.eye(4)
    summary = voice_summary(COMMENTS, CODES, vectors, load_codebook())
    coverage = summary["coverage"].iloc[0]
    assert (coverage["comments"], coverage["with_a_theme"], coverage["without_a_theme"]) == (
        4, 3, 1,
    )  # fmt: skip
    assert summary["themes"].iloc[0]["theme"] == "trust"  # 3 comments, the most frequent
