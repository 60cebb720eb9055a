"""The published site: pages, labels, figures, anchors and no outside references."""

from __future__ import annotations

import html as html_module
import itertools
import json
import re
from html.parser import HTMLParser

from fixture_tables import PEOPLE_LANGUAGE

from jsna.report.sections import SECTIONS

PAGES = [*(s.slug for s in SECTIONS), "ward-map", "explorer"]


class Outline(HTMLParser):
    """Collects what the tests look at: ids, tags with attributes, and text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.ids: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if "id" in attributes:
            self.ids.add(attributes["id"])

    def handle_data(self, data):
        self.text.append(data)


def outline(path) -> Outline:
    parser = Outline()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_page_is_written_and_labelled(published):
    site = published / "site"
    for slug in PAGES:
        page = site / f"{slug}.html"
        html = page.read_text(encoding="utf-8")
        assert html.startswith('<!DOCTYPE html>\n<html lang="en-GB">')
        assert '<a class="skip-link" href="#main">' in html
        assert "Synthetic data." in html  # the banner, on every page
        parsed = outline(page)
        assert [t for t, _ in parsed.tags].count("h1") == 1
        assert "main" in parsed.ids
        current = [a for t, a in parsed.tags if t == "a" and a.get("aria-current") == "page"]
        assert [a["href"] for a in current] == [f"{slug}.html"]


def test_headings_do_not_skip_levels(published):
    for slug in PAGES:
        levels = [int(t[1]) for t, _ in outline(published / "site" / f"{slug}.html").tags
                  if re.fullmatch(r"h[1-6]", t)]  # fmt: skip
        assert levels[0] == 1
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels))


def test_no_reference_leaves_the_site(published):
    site = published / "site"
    outside = re.compile(r"""(?:src|href)\s*=\s*["'](?:[a-z]+:)?//""", re.IGNORECASE)
    for path in site.rglob("*"):
        if path.suffix in {".html", ".css"}:
            text = path.read_text(encoding="utf-8")
            assert not outside.search(text), path
            assert "url(http" not in text and "@import" not in text
    # every local reference resolves to a file of the site
    for slug in PAGES:
        for tag, attributes in outline(site / f"{slug}.html").tags:
            target = attributes.get("src") or (attributes.get("href") if tag != "a" else None)
            if target:
                assert (site / target).is_file(), target


def test_every_figure_has_alt_text_svg_and_data_table(published):
    site = published / "site"
    figures = 0
    for slug in PAGES:
        html = (site / f"{slug}.html").read_text(encoding="utf-8")
        for block in re.findall(r'<figure class="figure".*?</figure>', html, flags=re.S):
            figures += 1
            image = re.search(r'<img src="(charts/[^"]+\.svg)" alt="([^"]+)"', block)
            assert image, block[:200]
            assert (site / image.group(1)).read_text(encoding="utf-8").startswith("<svg")
            assert len(image.group(2)) > 40
            assert "<caption>" in block and '<th scope="col">' in block
            assert '<th scope="row">' in block
            spec_id = re.search(r'data-spec="([^"]+)"', block).group(1)
            spec = re.search(rf'<script type="application/json" id="{spec_id}">(.*?)</script>',
                             block, flags=re.S).group(1)  # fmt: skip
            assert json.loads(spec)["description"] == html_module.unescape(image.group(2))
    assert figures >= 20


def test_alt_text_names_highest_and_lowest_groups(published):
    html = (published / "site" / "long-term-conditions.html").read_text(encoding="utf-8")
    # age-standardised hypertension, by hand from the fixture's counts:
    # Black Caribbean 1.06 × 43/180 = 25.3%; White Gypsy or Irish Traveller 1.14 × 1/12 = 9.5%
    assert ("Highest: Black Caribbean (25.3%); lowest: White Gypsy or Irish Traveller (9.5%)."
            in html)  # fmt: skip
    assert "Compared with White British: 16 similar, 3 worse." in html


def test_suppressed_rows_are_shown_not_dropped(published):
    html = (published / "site" / "prevention.html").read_text(encoding="utf-8")
    row = re.search(r'<tr><th scope="row">Roma</th>(.*?)</tr>', html).group(1)
    cells = re.findall(r"<td>(.*?)</td>", row)
    # value and numerator hidden; the published denominator max(40 // 6, 5) = 6 stays
    assert cells[0] == "suppressed" and cells[-3:-1] == ["suppressed", "6"]
    assert "Suppressed: numerator below 10." in row


def test_finding_links_reach_their_tables(published, findings):
    site = published / "site"
    index = outline(site / "index.html")
    links = [a["href"] for t, a in index.tags if t == "a" and "#table-" in a.get("href", "")]
    assert len(links) == 7  # the fixture's seven significant findings
    for link in links:
        page, anchor = link.split("#")
        assert anchor in outline(site / page).ids, link
    # the anchors jsna.equity gives each finding are the ids the report carries
    ids = set().union(*(outline(p).ids for p in site.glob("*.html")))
    for anchor in findings["table_anchor"]:
        assert anchor.removeprefix("#") in ids, anchor


def test_language_profile_compares_with_the_borough(published):
    html = (published / "site" / "language-communities.html").read_text(encoding="utf-8")
    table = re.search(r"<caption>Residents whose main language is Arabic.*?</table>", html,
                      flags=re.S).group(0)  # fmt: skip
    row = re.search(r'<th scope="row">Limiting long-term condition \(2021\)</th>(.*?)</tr>',
                    table).group(1)  # fmt: skip
    # Arabic: round(370 × 0.34) = 126 of 370 = 34.1%; borough (the 'All' language row):
    # 1,079 + 126 + 52 + 30 + 287 = 1,574 of 11,142 = 14.1%
    cells = re.findall(r"<td>(.*?)</td>", row)
    assert cells[0] == "34.1%" and cells[2] == "14.1%"
    assert sum(PEOPLE_LANGUAGE.values()) == 11142


def test_hot_spots_lead_with_the_largest_difference(published):
    html = (published / "site" / "hot-spots.html").read_text(encoding="utf-8")
    first = re.search(r"largest significant differences.*?<tbody>\s*<tr><th scope=\"row\">(.*?)<",
                      html, flags=re.S).group(1)  # fmt: skip
    # (95/310) / (57/330) = 1.77, the only ratio whose log exceeds 0.3 in the fixture
    assert first == "Black × 1 (most deprived)"


def test_explorer_and_methods_cover_every_row_and_indicator(published, tidy):
    data = (published / "site" / "assets" / "explorer-data.js").read_text(encoding="utf-8")
    payload = json.loads(data.removeprefix("window.JSNA_DATA = ").removesuffix(";\n"))
    assert len(payload["rows"]) == len(tidy)
    methods = (published / "site" / "methods.html").read_text(encoding="utf-8")
    for indicator_id in tidy["indicator_id"].unique():
        assert f"<td>{indicator_id}</td>" in methods
    assert "Wilson score interval (Wilson 1927" in methods
    ward_map = outline(published / "site" / "ward-map.html")
    options = [a for t, a in ward_map.tags if t == "option"]
    wards = tidy[tidy["dimension"] == "ward"][["indicator_id", "period"]].drop_duplicates()
    assert len(options) == len(wards)


def test_vega_runtime_is_shipped_once(published):
    site = published / "site"
    large = [
        p for p in site.rglob("*") if p.suffix in {".js", ".html"} and p.stat().st_size > 300_000
    ]
    assert [p.name for p in large] == ["vega-bundle.js"]
    for slug in ("long-term-conditions", "ward-map"):
        html = (site / f"{slug}.html").read_text(encoding="utf-8")
        assert html.count('<script src="assets/vega-bundle.js">') == 1


def test_method_glossary_reads_qualified_method_names():
    from jsna.report.site import _method_note

    assert _method_note("Sullivan (Chiang II life table)").startswith("Healthy life expectancy")
    assert _method_note("Exact").startswith("Crude rates and counts below 10 events")
    assert _method_note("Bootstrap") == "As named in the results table."


def test_methods_page_states_the_equity_defaults():
    """The 'Small groups' and 'Ranking of findings' notes follow EquityConfig's defaults."""
    from jsna.equity import EquityConfig
    from jsna.report.site import GENERAL_NOTES

    notes = dict(GENERAL_NOTES)
    config = EquityConfig()
    small = notes["Small groups"]
    assert f"numerator below {config.min_numerator:g}," in small
    assert f"denominator below {config.min_denominator:g}," in small
    assert config.max_ci_width_share == 1.0 and "wider than its value" in small
    ranking = notes["Ranking of findings"]
    for label in config.unranked_categories:
        assert label.lower() in ranking
    assert config.unranked_dimensions == ("age_band",) and "age bands" in ranking
    assert config.unranked_domains == ("population",) and "population shares" in ranking
