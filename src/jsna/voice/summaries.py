"""What residents say, summarised: theme frequency, representative quotes, links to indicators.

Pure functions of the comments, their codes and the codebook (and, for links,
the tidy result table of docs/tidy-table.md). Frequencies count comments, not
mentions: a comment carrying a theme counts once for it, and the share is of
all comments in the group (including those with no theme), so nothing is
dropped. The representative quote of a theme is the comment closest to the
theme's centroid (the mean vector of the comments carrying it): the most
typical way residents put the point, not the most extreme.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jsna.voice.codebook import Codebook

__all__ = ["representative_quotes", "theme_frequency", "theme_indicator_links", "voice_summary"]

BREAKDOWNS = ("all", "ethnic_group", "ward", "method", "community", "language")


def theme_frequency(
    comments: pd.DataFrame, codes: pd.DataFrame, codebook: Codebook, by: str = "all"
) -> pd.DataFrame:
    """Comments carrying each theme, by a breakdown column (``all`` = every comment).

    Columns: ``dimension`` (``by``), ``category``, ``theme``, ``theme_label``,
    ``comments`` (carrying the theme), ``total`` (comments in the category),
    ``share`` (per cent). Every theme appears for every category (zero counts kept).

    >>> c = pd.DataFrame({"id": ["1", "2"], "ward": ["A", "B"]})
    >>> k = pd.DataFrame({"id": ["1"], "theme": ["trust"], "score": [1.0]})
    >>> from jsna.voice.codebook import load_codebook
    >>> f = theme_frequency(c, k, load_codebook(), by="ward")
    >>> f[f.theme == "trust"][["category", "comments", "total", "share"]].values.tolist()
    [['A', 1, 1, 100.0], ['B', 0, 1, 0.0]]
    """
    frame = comments[["id"]].copy()
    frame["category"] = "All" if by == "all" else comments[by].astype(str).to_numpy()
    categories = list(dict.fromkeys(sorted(frame["category"])))
    totals = frame.groupby("category").size()
    coded = codes[["id", "theme"]].drop_duplicates().merge(frame, on="id", how="inner")
    counts = coded.groupby(["category", "theme"]).size()
    rows = []
    for category in categories:
        for theme in codebook.themes:
            n = int(counts.get((category, theme.id), 0))
            total = int(totals[category])
            rows.append((by, category, theme.id, theme.label, n, total, 100.0 * n / total))
    return pd.DataFrame(
        rows,
        columns=["dimension", "category", "theme", "theme_label", "comments", "total", "share"],
    )


def representative_quotes(
    comments: pd.DataFrame, codes: pd.DataFrame, vectors: np.ndarray, n: int = 3
) -> pd.DataFrame:
    """The ``n`` comments closest to each theme's centroid (cosine similarity).

    ``vectors`` row *i* is comment *i* of ``comments`` (as returned by the
    coder). Columns: ``theme``, ``rank``, ``id``, ``text``, ``similarity``,
    plus the comment's ``method``, ``community``, ``ethnic_group`` and ``ward``
    where present.

    >>> c = pd.DataFrame({"id": ["a", "b", "c"], "text": ["x", "y", "z"]})
    >>> k = pd.DataFrame({"id": ["a", "b", "c"], "theme": ["t"] * 3, "score": [1.0] * 3})
    >>> v = np.array([[1.0, 0.0], [0.0, 1.0], [0.7071, 0.7071]])
    >>> representative_quotes(c, k, v, n=1)["id"].tolist()
    ['c']
    """
    position = {cid: i for i, cid in enumerate(comments["id"].astype(str))}
    extra = [c for c in ("method", "community", "ethnic_group", "ward") if c in comments.columns]
    rows = []
    for theme, part in codes.groupby("theme", sort=False):
        index = np.array(sorted({position[cid] for cid in part["id"]}))
        members = vectors[index]
        centroid = members.mean(axis=0)
        norms = np.linalg.norm(members, axis=1) * np.linalg.norm(centroid)
        similarity = np.divide(members @ centroid, norms, out=np.zeros(len(index)),
                               where=norms > 0)  # fmt: skip
        # most similar first; ties broken by input order, so the choice is deterministic
        order = np.lexsort((index, -np.round(similarity, 12)))[:n]
        for rank, k in enumerate(order, start=1):
            record = comments.iloc[index[k]]
            rows.append(
                {
                    "theme": theme,
                    "rank": rank,
                    "id": str(record["id"]),
                    "text": str(record["text"]),
                    "similarity": float(similarity[k]),
                    **{c: str(record[c]) for c in extra},
                }
            )
    return pd.DataFrame(rows, columns=["theme", "rank", "id", "text", "similarity", *extra])


def theme_indicator_links(codebook: Codebook, tidy: pd.DataFrame | None) -> pd.DataFrame:
    """Each theme's indicators in the tidy table, with the widest gap to the reference.

    For every indicator a theme bears on (codebook ``indicators``), the group
    (any ethnicity dimension, crude values) furthest below the comparator when
    higher is better, or furthest above it otherwise (lower is better, or a
    recorded prevalence with no judgement: more people affected), among
    comparisons flagged ``Worse``/``Lower``/``Higher``. Columns: ``theme``, ``indicator_id``,
    ``indicator_name``, ``widest_gap_group``, ``value``, ``comparator``,
    ``ratio_to_comparator``, ``significance``. Indicators not in the table are
    listed with empty gap columns, so a missing link is visible.
    """
    columns = ["theme", "indicator_id", "indicator_name", "widest_gap_group", "value",
               "comparator", "ratio_to_comparator", "significance"]  # fmt: skip
    rows = []
    ids = [] if tidy is None or tidy.empty else list(dict.fromkeys(tidy["indicator_id"]))
    if ids:
        first = tidy.drop_duplicates("indicator_id").set_index("indicator_id")  # type: ignore[union-attr]
        compared = tidy[  # type: ignore[index]
            tidy["dimension"].isin(["ethnicity_19", "ethnicity_5", "global_majority"])  # type: ignore[index]
            & ~tidy["age_standardised"].astype(bool)  # type: ignore[index]
            & tidy["significance"].isin(["Worse", "Lower", "Higher"])  # type: ignore[index]
            & tidy["ratio_to_comparator"].notna()  # type: ignore[index]
        ]
        by_indicator = dict(tuple(compared.groupby("indicator_id", sort=False)))
    for theme in codebook.themes:
        matched = [i for i in ids if theme.bears_on(i)]
        for indicator_id in matched:
            name = str(first.loc[indicator_id, "indicator_name"])
            groups = by_indicator.get(indicator_id, compared.iloc[0:0])
            polarity = str(first.loc[indicator_id, "polarity"])
            if polarity == "higher_is_better":
                groups = groups[groups["ratio_to_comparator"] < 1]
                pick = groups.sort_values("ratio_to_comparator", kind="stable").head(1)
            else:
                # lower is better, or a prevalence with no judgement: more people affected
                groups = groups[groups["ratio_to_comparator"] > 1]
                pick = groups.sort_values("ratio_to_comparator", ascending=False,
                                          kind="stable").head(1)  # fmt: skip
            if pick.empty:
                rows.append((theme.id, indicator_id, name, "", np.nan, "", np.nan, ""))
            else:
                r = pick.iloc[0]
                rows.append((theme.id, indicator_id, name, str(r["category"]), float(r["value"]),
                             str(r["comparator"]), float(r["ratio_to_comparator"]),
                             str(r["significance"])))  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def voice_summary(
    comments: pd.DataFrame,
    codes: pd.DataFrame,
    vectors: np.ndarray,
    codebook: Codebook,
    tidy: pd.DataFrame | None = None,
    *,
    quotes: int = 2,
) -> dict[str, pd.DataFrame]:
    """Everything the "What residents say" page shows, as tables.

    Keys: ``themes`` (frequency over all comments, most frequent first),
    ``by_group``, ``by_ward``, ``by_method`` (frequencies), ``quotes``
    (representative quotes), ``links`` (theme → indicators) and ``coverage``
    (comments, comments with at least one theme, synthetic flag).
    """
    overall = theme_frequency(comments, codes, codebook, "all")
    overall = overall.sort_values(["comments", "theme"], ascending=[False, True], kind="stable")
    with_theme = codes["id"].nunique()
    coverage = pd.DataFrame(
        {
            "comments": [len(comments)],
            "with_a_theme": [with_theme],
            "without_a_theme": [len(comments) - with_theme],
            "synthetic": [bool(comments.get("synthetic", pd.Series([False])).any())],
        }
    )
    return {
        "themes": overall.reset_index(drop=True),
        "by_group": theme_frequency(comments, codes, codebook, "ethnic_group"),
        "by_ward": theme_frequency(comments, codes, codebook, "ward"),
        "by_method": theme_frequency(comments, codes, codebook, "method"),
        "quotes": representative_quotes(comments, codes, vectors, n=quotes),
        "links": theme_indicator_links(codebook, tidy),
        "coverage": coverage,
    }
