"""The "Community assets" and "System equity" pages, ready for their templates.

Pure functions from the asset directory, need-against-provision table and
service profiles to :class:`jsna.voice.pages.CommunityPage` objects: slug,
title, intro, template (``report/templates/assets_community_assets.html.j2``
and ``equity_system_equity.html.j2``), figures (the asset map) and context.

Wiring into the site (``jsna.report.site.build_site``): build the pages with
:func:`community_pages`; for each, call the builder's ``page(slug, title,
intro, template, bool(figures), **context)`` helper, add ``figures`` to
``all_figures`` (so their SVG and spec are written), and add ``(slug, title)``
to the navigation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from jsna.assets.directory import Directory
from jsna.assets.profiles import ServiceProfile
from jsna.codes.geography import WARDS
from jsna.report.charts import ward_key, ward_map
from jsna.report.figures import DataTable, Figure
from jsna.voice.codebook import Codebook
from jsna.voice.pages import CommunityPage

__all__ = ["asset_map", "community_assets_page", "community_pages", "system_equity_page"]

TOP_FLAGGED = 25


def _number(value: float, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not available"
    if isinstance(value, float) and math.isinf(value):
        return "no service"
    return f"{value:,.{digits}f}"


def asset_map(directory: Directory, residents: Mapping[str, float]) -> Figure:
    """Wards shaded by service sites per 10,000 residents, each site a point.

    ``residents`` maps ward name → registered residents.
    """
    table = directory.table()
    sites = table.drop_duplicates("location_id")
    per_ward = sites.groupby("ward_name").size()
    values, rows = {}, []
    for ward, people in residents.items():
        n = int(per_ward.get(ward, 0))
        rate = 10000 * n / people if people else math.nan
        values[ward_key(ward)] = {
            "value": None if math.isnan(rate) else round(rate, 2),
            "label": f"{n} site{'s' if n != 1 else ''}, {_number(rate, 2)} per 10,000 residents",
        }
        rows.append((ward, str(n), f"{people:,.0f}", _number(rate, 2)))
    busiest = max(rows, key=lambda r: float(r[1]) / max(float(r[2].replace(",", "")), 1))
    description = (
        f"Map of the borough's wards shaded by community service sites per 10,000 residents, "
        f"with a dot for each of {len(sites)} sites; the highest rate is in {busiest[0]}. "
        "The table below gives every ward's figures."
    )
    spec = ward_map(values, description=description, value_title="Sites per 10,000 residents")
    points = [
        {
            "latitude": float(r.latitude),
            "longitude": float(r.longitude),
            "organisation": r.organisation_name,
            "ward": r.ward_name,
        }
        for r in sites.itertuples()
    ]
    spec["layer"].append(
        {
            "data": {"values": points},
            "mark": {"type": "circle", "size": 40, "color": "#D55E00", "stroke": "#ffffff",
                     "strokeWidth": 1, "opacity": 1},
            "encoding": {
                "longitude": {"field": "longitude", "type": "quantitative"},
                "latitude": {"field": "latitude", "type": "quantitative"},
                "tooltip": [
                    {"field": "organisation", "type": "nominal", "title": "Organisation"},
                    {"field": "ward", "type": "nominal", "title": "Ward"},
                ],
            },
        }
    )  # fmt: skip
    return Figure(
        figure_id="community-assets-map",
        title="Community service sites by ward",
        alt=description,
        kind="map",
        spec=spec,
        table=DataTable(
            caption="Community service sites per ward",
            headers=("Ward", "Sites", "Residents", "Sites per 10,000 residents"),
            rows=tuple(rows),
        ),
    )


def community_assets_page(
    directory: Directory, need: pd.DataFrame, residents: Mapping[str, float]
) -> CommunityPage:
    """Build the "Community assets" page: map, high-need thin-provision table, directory."""
    table = directory.table()
    flagged = need[need["high_need_thin_provision"]].sort_values(
        ["people_in_need_per_service", "people_in_need"], ascending=[False, False], kind="stable"
    )
    flagged_table = DataTable(
        caption=f"High need, thin provision: the {min(TOP_FLAGGED, len(flagged))} places and "
        f"groups with most people in need per service (of {len(flagged)} flagged)",
        headers=("Place or group", "Service type", "Need indicator", "People in need per 1,000 "
                 "residents", "Services per 10,000 residents", "People in need per service"),
        rows=tuple(
            (
                f"{r.category} ({'ward' if r.dimension == 'ward' else 'ethnic group'})",
                r.service_label,
                r.indicator_name,
                _number(r.need_per_1000),
                _number(r.services_per_10000, 2),
                _number(r.people_in_need_per_service, 0),
            )
            for r in flagged.head(TOP_FLAGGED).itertuples()
        ),
    )  # fmt: skip
    listing = DataTable(
        caption="Every service in the directory",
        headers=("Service", "Organisation", "Ward", "Communities", "Languages", "Cost",
                 "Opening times", "Accessibility"),
        rows=tuple(
            (r.service_name, r.organisation_name, r.ward_name, r.communities or "All residents",
             r.languages, r.cost, r.opening_times, r.accessibility or "not recorded")
            for r in table.sort_values(["ward_name", "service_name"], kind="stable").itertuples()
        ),
    )  # fmt: skip
    figure = asset_map(directory, residents)
    return CommunityPage(
        slug="community-assets",
        title="Community assets",
        intro="Voluntary, community and faith sector services, where they are, who they are for, "
        "and where need is high but provision thin.",
        template="assets_community_assets.html.j2",
        context={
            "counts": {
                "organisations": int(table["organisation_id"].nunique()),
                "services": len(directory),
                "sites": int(table["location_id"].nunique()),
                "synthetic": directory.synthetic,
            },
            "asset_map": figure,
            "flagged_table": flagged_table,
            "listing": listing,
        },
        figures=(figure,),
    )


def system_equity_page(
    profiles: Sequence[ServiceProfile], codebook: Codebook | None = None
) -> CommunityPage:
    """Build the "System equity" page: one profile per service (availability, access,
    acceptability)."""
    label = (lambda t: codebook.theme(t).label if t in codebook.ids else t) if codebook else str
    sections = []
    for p in profiles:
        availability = DataTable(
            caption=f"{p.label}: sites per 10,000 residents by ward",
            headers=("Ward", "Sites", "Sites per 10,000 residents"),
            rows=tuple(
                (r.ward, str(r.sites), _number(r.sites_per_10000, 2))
                for r in p.availability.itertuples()
            ),
        )
        access_tables = []
        for _, part in p.access.groupby("indicator_id", sort=False):
            access_tables.append(
                DataTable(
                    caption=f"{part['indicator_name'].iloc[0]}: uptake by ethnic group",
                    headers=(
                        "Ethnic group",
                        "Uptake",
                        "Compared with",
                        "Difference (percentage points)",
                        "Compared with the reference",
                    ),
                    rows=tuple(
                        (
                            r.group,
                            _number(r.value),
                            r.comparator or "",
                            _number(r.difference),
                            r.significance or "Not compared",
                        )
                        for r in part.itertuples()
                    ),
                )
            )
        lowest = p.access[p.access["significance"].isin(["Lower", "Worse"])]
        voice = DataTable(
            caption=f"Themes of the {p.comments_mentioning} resident comments that mention "
            f"{p.label.lower()}",
            headers=("Theme", "Comments"),
            rows=tuple((label(r.theme), str(r.comments)) for r in p.voice.itertuples()),
        )
        sections.append(
            {
                "id": f"service-{p.code.replace('_', '-')}",
                "label": p.label,
                "sites": p.sites,
                "languages": ", ".join(p.languages) or "none recorded",
                "wards_without_site": ", ".join(p.wards_without_site),
                "availability": availability,
                "access_tables": access_tables,
                "lower_groups": sorted(set(lowest["group"])),
                "completion": None
                if p.completion.empty
                else DataTable(
                    caption=f"{p.label}: completion",
                    headers=("Indicator", "Group", "Value"),
                    rows=tuple(
                        (r.indicator_name, r.category, _number(float(r.value)))
                        for r in p.completion.itertuples()
                    ),
                ),
                "voice": voice if len(p.voice) else None,
                "comments_mentioning": p.comments_mentioning,
            }
        )
    return CommunityPage(
        slug="system-equity",
        title="System equity",
        intro="Each prevention service judged on availability (is it there?), access (do "
        "eligible people from every group use it?) and acceptability (does it suit them?).",
        template="equity_system_equity.html.j2",
        context={"services": sections},
    )


def community_pages(
    tidy: pd.DataFrame,
    *,
    comments_path: str | Path | None = None,
    directory_path: str | Path | None = None,
    labels_path: str | Path | None = None,
    codebook_path: str | Path | None = None,
    coder: str = "lexicon",
    indicator_pages: Mapping[str, str] | None = None,
) -> list[CommunityPage]:
    """The three community pages from the tidy table, comments and directory.

    Defaults are the shipped synthetic engagement set (with its hand labels,
    for the coding-quality table) and the synthetic asset directory. The
    default coder is the lexicon one: deterministic and fast for ``jsna
    demo``; pass ``coder="embedding"`` (nlp extra) for sentence embeddings.
    ``indicator_pages`` (``jsna.report.site.page_for_indicator(tidy)``) links
    themes to their indicator tables.
    """
    from jsna.assets import synthetic_directory_path
    from jsna.assets.io import read_directory
    from jsna.assets.profiles import service_profiles
    from jsna.assets.provision import need_vs_provision, residents_by
    from jsna.voice import (
        agreement,
        code_comments,
        hand_labels_path,
        load_codebook,
        read_comments,
        read_theme_lists,
        synthetic_engagement_path,
        voice_summary,
    )
    from jsna.voice.pages import residents_say_page

    book = load_codebook(codebook_path)
    comments = read_comments(comments_path or synthetic_engagement_path())
    coding = code_comments(comments, book, coder=coder)
    labels = labels_path or (hand_labels_path() if comments_path is None else None)
    quality = agreement(coding.codes, read_theme_lists(labels, book), book.ids) if labels else None
    summary = voice_summary(comments, coding.codes, coding.vectors, book, tidy)
    directory = read_directory(directory_path or synthetic_directory_path())
    residents = residents_by(tidy, "ward")
    residents = residents[residents.index.isin(list(WARDS.values()))]
    return [
        residents_say_page(
            summary, book, coder=coding.coder, indicator_pages=indicator_pages, agreement=quality
        ),
        community_assets_page(
            directory, need_vs_provision(tidy, directory), residents.astype(float).to_dict()
        ),
        system_equity_page(service_profiles(tidy, directory, comments, coding.codes), book),
    ]
