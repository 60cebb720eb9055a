"""Coding with overrides (the analyst always wins), hand-label agreement and `jsna voice`."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from jsna.cli import app
from jsna.errors import InputError
from jsna.voice import (
    agreement,
    code_comments,
    hand_labels_path,
    load_codebook,
    read_comments,
    read_theme_lists,
    synthetic_engagement_path,
)

COMMENTS = pd.DataFrame(
    {
        "id": ["a", "b", "c"],
        "text": [
            "I am so lonely since my husband died.",  # ask_socialise (lonel*)
            "The bus is too expensive.",  # practical_barriers (bus, expensive)
            "Nothing to add.",
        ],
    }
)


def test_lexicon_coding_without_overrides() -> None:
    codes = code_comments(COMMENTS, coder="lexicon").codes
    assert codes.values.tolist() == [
        ["a", "ask_socialise", 0.5],
        ["b", "practical_barriers", 0.75],
    ]


def test_overrides_replace_the_coders_themes() -> None:
    overrides = {"a": ("trust", "ask_community_led"), "b": (), "c": ("understanding",)}
    coding = code_comments(COMMENTS, coder="lexicon", overrides=overrides)
    assert coding.codes.values.tolist() == [
        ["a", "trust", 1.0],
        ["a", "ask_community_led", 1.0],
        ["c", "understanding", 1.0],
    ]
    assert coding.overridden == ("a", "b", "c")


def test_override_for_unknown_comment_is_an_error() -> None:
    with pytest.raises(InputError, match="not in the comments") as caught:
        code_comments(COMMENTS, coder="lexicon", overrides={"zz": ("trust",)})
    assert caught.value.value == "zz"


def test_override_file_errors_name_the_row(tmp_path: Path) -> None:
    path = tmp_path / "overrides.csv"
    path.write_text("id,themes\na,trust\nb,trust; housing\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_theme_lists(path, load_codebook())
    error = caught.value
    assert (error.file, error.column, error.row, error.value) == (
        "overrides.csv",
        "themes",
        2,
        "housing",
    )


def test_agreement_on_a_hand_worked_example() -> None:
    codes = pd.DataFrame(
        {"id": ["1", "2", "3", "9"], "theme": ["t", "t", "u", "t"], "score": [1.0] * 4}
    )
    labels = {"1": ("t",), "2": ("u",), "3": ("u",), "4": ("t",)}  # "9" not labelled
    table = agreement(codes, labels, ["t", "u"]).set_index("theme")
    # t: coded {1, 2}, truth {1, 4} → TP 1, P 1/2, R 1/2; u: coded {3}, truth {2, 3} → P 1, R 1/2
    assert table.loc["t", ["true_positive", "precision", "recall"]].tolist() == [1, 0.5, 0.5]
    assert table.loc["u", ["precision", "recall"]].tolist() == [1.0, 0.5]
    # pooled: TP 2 of 3 coded, of 4 labelled
    assert table.loc["all themes", ["precision", "recall"]].tolist() == [2 / 3, 0.5]
    assert math.isclose(table.loc["u", "f1"], 2 * 1 * 0.5 / 1.5)


def test_lexicon_agreement_with_the_hand_labelled_set() -> None:
    book = load_codebook()
    comments = read_comments(synthetic_engagement_path())
    labels = read_theme_lists(hand_labels_path(), book)
    assert set(labels) == set(comments["id"])  # every synthetic comment was hand-labelled
    table = agreement(code_comments(comments, book, coder="lexicon").codes, labels, book.ids)
    pooled = table.set_index("theme").loc["all themes"]
    # recorded in the report: pooled precision 0.73, recall 0.43 on 174 comments
    assert pooled["precision"] >= 0.65
    assert pooled["recall"] >= 0.35


def test_cli_code_writes_id_theme_score_and_honours_overrides(tmp_path: Path) -> None:
    source = tmp_path / "comments.csv"
    source.write_text(
        "id,date,method,text\n"
        "a,2024-01-02,survey,I am so lonely since my husband died.\n"
        "b,2024-01-02,survey,The bus is too expensive.\n",
        encoding="utf-8",
    )
    overrides = tmp_path / "overrides.csv"
    overrides.write_text("id,themes\nb,trust\n", encoding="utf-8")
    out = tmp_path / "codes.csv"
    result = CliRunner().invoke(
        app,
        ["voice", "code", str(source), "--coder", "lexicon", "--overrides", str(overrides),
         "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == "id,theme,score\na,ask_socialise,0.5\nb,trust,1.0\n"
