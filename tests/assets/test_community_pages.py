"""The three community pages render with the site's templates and keep its accessibility rules."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from jsna.assets import need_vs_provision, service_profiles
from jsna.assets.pages import community_assets_page, system_equity_page
from jsna.report.inputs import report_metadata
from jsna.report.site import _chart_assets, _environment
from jsna.voice import load_codebook, voice_summary
from jsna.voice.pages import residents_say_page

from .test_need_and_profiles import HC, directory, tidy  # noqa: F401  (fixtures)


class Outline(HTMLParser):
    """Collects headings, ids, images, tables and their captions."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.ids: list[str] = []
        self.images: list[dict] = []
        self.tables = 0
        self.captions = 0
        self.th_without_scope = 0
        self.blockquotes = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag in {"h1", "h2", "h3", "h4"}:
            self.headings.append(int(tag[1]))
        if tag == "img":
            self.images.append(a)
        if tag == "table":
            self.tables += 1
        if tag == "caption":
            self.captions += 1
        if tag == "th" and "scope" not in a:
            self.th_without_scope += 1
        if tag == "blockquote":
            self.blockquotes += 1


@pytest.fixture()
def pages(tidy, directory):  # noqa: F811
    book = load_codebook()
    comments = pd.DataFrame(
        {"id": ["1", "2"], "text": ["Health checks at the mosque please.", "I trust nobody."],
         "method": ["survey", "focus group"], "community": ["A", "B"],
         "ward": ["Marylebone", "Church Street"], "ethnic_group": ["Arab", "Black African"],
         "synthetic": [True, True]}
    )  # fmt: skip
    codes = pd.DataFrame(
        {"id": ["1", "2"], "theme": ["ask_community_led", "trust"], "score": [1.0, 1.0]}
    )
    summary = voice_summary(comments, codes, np.eye(2), book, tidy)
    residents = {"Church Street": 1000.0, "Marylebone": 2000.0, "Pimlico South": 1000.0}
    return [
        residents_say_page(summary, book, coder="lexicon", indicator_pages={HC: "prevention.html"}),
        community_assets_page(directory, need_vs_provision(tidy, directory), residents),
        system_equity_page(service_profiles(tidy, directory, comments, codes), book),
    ]


def render(page) -> str:
    charts, _ = _chart_assets(list(page.figures))
    meta = report_metadata(
        {"synthetic": True, "title": "JSNA", "area_name": "Westminster",
         "published": dt.date(2024, 3, 31)}
    )  # fmt: skip
    return (
        _environment()
        .get_template(page.template)
        .render(
            page={"title": page.title, "intro": page.intro, "charts": bool(page.figures)},
            nav=[{"href": f"{page.slug}.html", "title": page.title, "current": True}],
            meta=meta,
            synthetic=True,
            charts=charts,
            **page.context,
        )
    )


def test_pages_have_one_h1_no_skipped_levels_and_unique_ids(pages) -> None:
    for page in pages:
        outline = Outline()
        outline.feed(render(page))
        assert outline.headings.count(1) == 1, page.slug
        steps = zip(outline.headings, outline.headings[1:], strict=False)
        assert all(b - a <= 1 for a, b in steps), page.slug
        duplicates = [i for i, n in Counter(outline.ids).items() if n > 1]
        assert duplicates == [], page.slug
        assert outline.tables == outline.captions and outline.tables > 0
        assert outline.th_without_scope == 0
        assert all(img.get("alt") for img in outline.images)


def test_every_page_says_synthetic(pages) -> None:
    for page in pages:
        assert "Synthetic data." in render(page)


def test_residents_page_quotes_and_links(pages) -> None:
    html = render(pages[0])
    outline = Outline()
    outline.feed(html)
    assert outline.blockquotes == 2
    assert "Health checks at the mosque please." in html
    assert 'href="prevention.html#table-prev-nhs-health-check"' in html


def test_assets_page_has_the_map_and_flagged_rows(pages) -> None:
    html = render(pages[1])
    assert 'src="charts/community-assets-map.svg"' in html
    assert "Church Street (ward)" in html  # the constructed case's top-ranked place
    assert "Black African (ethnic group)" in html


def test_equity_page_profiles_each_service(pages) -> None:
    html = render(pages[2])
    for label in ("Vaccination", "Cancer screening", "NHS Health Checks", "Stop smoking"):
        assert label in html
    assert "Groups with significantly lower uptake than the reference group: Arab." in html


def test_community_pages_from_the_shipped_synthetic_data(tidy) -> None:  # noqa: F811
    from jsna.assets.pages import community_pages

    built = community_pages(tidy)
    assert [p.slug for p in built] == ["what-residents-say", "community-assets", "system-equity"]
    residents, assets, _ = built
    assert residents.context["coverage"]["comments"] == 174
    assert residents.context["quality"] is not None  # hand labels of the shipped set
    assert assets.context["counts"]["organisations"] == 44
    assert "Synthetic data." in render(assets)
