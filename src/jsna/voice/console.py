"""``jsna voice …``: code engagement comments and check a coder against hand labels.

Thin wrappers over :mod:`jsna.voice`; heavy imports happen inside the
commands so ``jsna --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["voice_app"]

voice_app = typer.Typer(
    help="Resident engagement: code comments with themes, check coding against hand labels.",
    no_args_is_help=True,
)

_Codebook = Annotated[
    Path | None, typer.Option(help="Theme codebook YAML (default: the shipped Westminster one).")
]
_Coder = Annotated[str, typer.Option(help="embedding (needs the nlp extra), lexicon, or auto.")]


@voice_app.command("code")
def code(
    file: Annotated[Path, typer.Argument(help="Engagement comments, .csv or .xlsx.")],
    out: Annotated[Path, typer.Option(help="CSV to write: one row per comment and theme.")],
    codebook: _Codebook = None,
    coder: _Coder = "auto",
    overrides: Annotated[
        Path | None, typer.Option(help="CSV of id,themes that replace the coder's themes.")
    ] = None,
) -> None:
    """Code every comment with the codebook's themes; write id, theme, score."""
    from jsna.voice import code_comments, load_codebook, read_comments, read_theme_lists

    book = load_codebook(codebook)
    comments = read_comments(file)
    fixed = read_theme_lists(overrides, book) if overrides else None
    coding = code_comments(comments, book, coder=coder, overrides=fixed)
    out.parent.mkdir(parents=True, exist_ok=True)
    coding.codes.to_csv(out, index=False, lineterminator="\n")
    typer.echo(
        f"{len(comments)} comments coded by the {coding.coder} coder: {len(coding.codes)} "
        f"comment-theme rows, {coding.codes['id'].nunique()} comments with a theme, "
        f"{len(coding.overridden)} overridden → {out}"
    )


@voice_app.command("evaluate")
def evaluate(
    file: Annotated[
        Path | None, typer.Argument(help="Comments (default: the synthetic engagement set).")
    ] = None,
    labels: Annotated[
        Path | None, typer.Option(help="Hand labels id,themes (default: the shipped ones).")
    ] = None,
    codebook: _Codebook = None,
    coder: _Coder = "auto",
    out: Annotated[Path | None, typer.Option(help="Also write the table as CSV.")] = None,
) -> None:
    """Precision and recall per theme of a coder against hand labels."""
    from jsna.voice import (
        agreement,
        code_comments,
        hand_labels_path,
        load_codebook,
        read_comments,
        read_theme_lists,
        synthetic_engagement_path,
    )

    book = load_codebook(codebook)
    comments = read_comments(file or synthetic_engagement_path())
    truth = read_theme_lists(labels or hand_labels_path(), book)
    coding = code_comments(comments, book, coder=coder)
    table = agreement(coding.codes, truth, book.ids)
    typer.echo(f"{coding.coder} coder against {len(truth)} hand-labelled comments")
    typer.echo(table.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    if out is not None:
        table.to_csv(out, index=False, lineterminator="\n")
