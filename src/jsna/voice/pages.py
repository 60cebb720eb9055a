"""The "What residents say" page: its tables, quotes and links, ready for a template.

Pure functions from the voice summary (:func:`jsna.voice.voice_summary`) to
a :class:`CommunityPage`: the page's slug, title, intro, template
(``report/templates/voice_residents_say.html.j2``), figures and template
context. Tables are :class:`jsna.report.figures.DataTable` so they render with
the site's accessible table macro (caption, column and row headers).
The site builder renders the page like its own sections (see the lead's
wiring note in the module :mod:`jsna.assets.pages`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from jsna.report.figures import DataTable, Figure
from jsna.report.formatting import slugify
from jsna.voice.codebook import Codebook

__all__ = ["CommunityPage", "residents_say_page"]


@dataclass(frozen=True)
class CommunityPage:
    """One report page built outside :mod:`jsna.report`: render ``template`` with ``context``."""

    slug: str
    title: str
    intro: str
    template: str
    context: dict[str, Any]
    figures: tuple[Figure, ...] = field(default=())


def _pct(value: float) -> str:
    return "" if value is None or math.isnan(value) else f"{value:.0f}%"


def _breakdown(frame: pd.DataFrame, codebook: Codebook, caption: str, first: str) -> DataTable:
    """Categories as rows, themes as columns: 'n (share%)' per cell."""
    rows = []
    for category, part in frame.groupby("category", sort=False):
        by_theme = dict(zip(part["theme"], zip(part["comments"], part["share"], strict=True),
                            strict=True))  # fmt: skip
        total = int(part["total"].iloc[0])
        rows.append(
            (
                str(category),
                f"{total:,}",
                *(f"{by_theme[t.id][0]} ({_pct(by_theme[t.id][1])})" for t in codebook.themes),
            )
        )
    return DataTable(
        caption=caption,
        headers=(first, "Comments", *(t.label for t in codebook.themes)),
        rows=tuple(rows),
    )


def residents_say_page(
    summary: Mapping[str, pd.DataFrame],
    codebook: Codebook,
    *,
    coder: str,
    indicator_pages: Mapping[str, str] | None = None,
    agreement: pd.DataFrame | None = None,
) -> CommunityPage:
    """Build the "What residents say" page from :func:`jsna.voice.voice_summary` tables.

    ``indicator_pages`` maps an indicator id to the page carrying its table
    (``jsna.report.site.page_for_indicator``) so each theme links to the
    numbers it bears on; ``agreement`` (from :func:`jsna.voice.agreement`) adds
    the coding-quality table.
    """
    pages = indicator_pages or {}
    coverage = summary["coverage"].iloc[0]
    themes = summary["themes"]
    quotes = summary["quotes"]
    links = summary["links"]
    theme_table = DataTable(
        caption="Comments carrying each theme (a comment can carry several)",
        headers=("Theme", "Comments", "Share of all comments"),
        rows=tuple((r.theme_label, f"{r.comments:,}", _pct(r.share)) for r in themes.itertuples()),
    )
    sections = []
    for theme in codebook.themes:
        count = themes.loc[themes["theme"] == theme.id, "comments"]
        chosen = quotes[quotes["theme"] == theme.id]
        linked = links[links["theme"] == theme.id]
        link_items = []
        for r in linked.itertuples():
            page = pages.get(r.indicator_id)
            gap = (
                f"widest gap: {r.widest_gap_group}, {r.ratio_to_comparator:.2f} times "
                f"{r.comparator} ({r.significance.lower()})"
                if r.widest_gap_group
                else "no significant gap by ethnic group"
            )
            link_items.append(
                {
                    "name": r.indicator_name,
                    "href": f"{page}#table-{slugify(r.indicator_id)}" if page else "",
                    "gap": gap,
                }
            )
        sections.append(
            {
                "id": f"theme-{theme.id.replace('_', '-')}",
                "label": theme.label,
                "description": theme.description,
                "comments": int(count.iloc[0]) if len(count) else 0,
                "quotes": [
                    {
                        "text": q.text,
                        "source": ", ".join(
                            x
                            for x in (
                                getattr(q, "method", ""),
                                getattr(q, "community", ""),
                                getattr(q, "ward", ""),
                            )
                            if x and x != "Not recorded"
                        ),
                    }
                    for q in chosen.itertuples()
                ],
                "indicators": link_items,
            }
        )
    quality = None
    if agreement is not None:
        quality = DataTable(
            caption=f"Agreement of the {coder} coder with hand labels, by theme",
            headers=("Theme", "Hand-labelled", "Coded", "Both", "Precision", "Recall"),
            rows=tuple(
                (
                    codebook.theme(r.theme).label if r.theme in codebook.ids else r.theme,
                    str(r.labelled), str(r.coded), str(r.true_positive),
                    "" if math.isnan(r.precision) else f"{r.precision:.2f}",
                    "" if math.isnan(r.recall) else f"{r.recall:.2f}",
                )
                for r in agreement.itertuples()
            ),
        )  # fmt: skip
    context = {
        "coverage": {
            "comments": int(coverage["comments"]),
            "with_a_theme": int(coverage["with_a_theme"]),
            "without_a_theme": int(coverage["without_a_theme"]),
            "synthetic": bool(coverage["synthetic"]),
            "coder": coder,
        },
        "theme_table": theme_table,
        "themes": sections,
        "breakdowns": [
            _breakdown(summary["by_group"], codebook, "Themes by ethnic group", "Ethnic group"),
            _breakdown(summary["by_ward"], codebook, "Themes by ward", "Ward"),
            _breakdown(summary["by_method"], codebook, "Themes by engagement method", "Method"),
        ],
        "quality": quality,
    }
    return CommunityPage(
        slug="what-residents-say",
        title="What residents say",
        intro="Themes from conversations with residents and community groups, with the most "
        "typical comment on each and the indicators each theme bears on.",
        template="voice_residents_say.html.j2",
        context=context,
    )
