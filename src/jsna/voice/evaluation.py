"""How well a coder agrees with hand labels: precision, recall and F1 per theme.

For each theme, over the comments that were hand-labelled: true positives are
comments both the coder and the analyst gave the theme; precision = TP / (TP +
FP), recall = TP / (TP + FN), F1 their harmonic mean (van Rijsbergen 1979).
A theme the coder never assigned has precision NaN (undefined), not 0. The
``all themes`` row pools every comment-theme decision (micro-average).
"""

from __future__ import annotations

import math

import pandas as pd

__all__ = ["agreement"]


def _ratio(top: int, bottom: int) -> float:
    return top / bottom if bottom else math.nan


def agreement(
    codes: pd.DataFrame, labels: dict[str, tuple[str, ...]], theme_ids: list[str] | tuple[str, ...]
) -> pd.DataFrame:
    """Per-theme agreement of ``codes`` (id, theme, score) with hand ``labels`` (id → themes).

    Only labelled ids are scored. Columns: ``theme``, ``labelled`` (comments the
    analyst gave the theme), ``coded``, ``true_positive``, ``precision``,
    ``recall``, ``f1``.

    >>> codes = pd.DataFrame({"id": ["a", "b"], "theme": ["t", "t"], "score": [1.0, 1.0]})
    >>> agreement(codes, {"a": ("t",), "b": (), "c": ("t",)}, ["t"]).loc[0, ["precision", "recall"]].tolist()
    [0.5, 0.5]
    """  # noqa: E501
    coded_sets: dict[str, set[str]] = {}
    for comment_id, theme in zip(codes["id"], codes["theme"], strict=True):
        if comment_id in labels:
            coded_sets.setdefault(theme, set()).add(comment_id)
    rows = []
    totals = [0, 0, 0]
    for theme in theme_ids:
        truth = {cid for cid, themes in labels.items() if theme in themes}
        coded = coded_sets.get(theme, set())
        tp = len(truth & coded)
        totals = [totals[0] + len(truth), totals[1] + len(coded), totals[2] + tp]
        rows.append((theme, len(truth), len(coded), tp))
    rows.append(("all themes", *totals))
    out = pd.DataFrame(rows, columns=["theme", "labelled", "coded", "true_positive"])
    out["precision"] = [_ratio(tp, c) for tp, c in zip(out["true_positive"], out["coded"],
                                                        strict=True)]  # fmt: skip
    out["recall"] = [_ratio(tp, n) for tp, n in zip(out["true_positive"], out["labelled"],
                                                     strict=True)]  # fmt: skip
    out["f1"] = [
        2 * p * r / (p + r) if not (math.isnan(p) or math.isnan(r)) and p + r > 0 else math.nan
        for p, r in zip(out["precision"], out["recall"], strict=True)
    ]
    return out
