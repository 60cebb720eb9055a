"""The published site in a real browser: accessibility, keyboard, charts, no network.

axe-core (vendored by the PyPI package axe-playwright-python) audits every
page against WCAG 2.0–2.2 levels A and AA with all data tables opened; the
keyboard test tabs through each page and checks every control receives
focus; every request is checked to stay inside the site's own files.
"""

from __future__ import annotations

import pytest

from jsna.report.sections import SECTIONS

COMMUNITY_PAGES = ["what-residents-say.html", "community-assets.html", "system-equity.html"]
PAGES = [f"{s.slug}.html" for s in SECTIONS] + ["ward-map.html", "explorer.html", *COMMUNITY_PAGES]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FOCUSABLE = "a[href], button, select, input, textarea, summary, [tabindex]:not([tabindex='-1'])"


@pytest.mark.parametrize("name", PAGES)
def test_page_is_accessible_charts_are_described_and_nothing_leaves(visit, name):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    visit.open(name)
    page = visit.page
    figures = page.locator("figure.figure")
    for i in range(figures.count()):
        figure = figures.nth(i)
        chart = figure.locator(".vega-embed[role='graphics-document']")
        label = chart.get_attribute("aria-label")
        assert label and len(label) > 40  # the chart's text alternative
        assert figure.locator("table caption").count() == 1  # and the data behind it
        assert figure.locator("table tbody tr").count() >= 1
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    results = axe_module.Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = [
        (v["id"], v["help"], [n["target"] for n in v["nodes"][:3]])
        for v in results.response["violations"]
    ]
    assert violations == []
    assert results.response["testEngine"]["version"].startswith("4.")
    assert visit.outside() == []
    assert visit.errors == []
    assert any(u.endswith("/assets/site.css") for u in visit.requests)  # the router saw it all


@pytest.mark.parametrize("name", ["long-term-conditions.html", "explorer.html", "ward-map.html"])
def test_keyboard_reaches_every_control(visit, name):
    visit.open(name)
    page = visit.page
    total = page.evaluate(
        f"""() => {{
        const items = Array.from(document.querySelectorAll({FOCUSABLE!r}))
          .filter(e => e.checkVisibility());
        items.forEach((e, i) => e.setAttribute('data-kb', String(i)));
        return items.length;
    }}"""
    )
    assert total > 10
    reached = set()
    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.className")
    assert first == "skip-link"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    reached.add(page.evaluate("document.activeElement.getAttribute('data-kb')"))
    for _ in range(total + 5):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.getAttribute('data-kb')"))
    assert {str(i) for i in range(total)} <= reached


def test_skip_link_moves_focus_to_main(visit):
    visit.open("prevention.html")
    visit.page.keyboard.press("Tab")
    visit.page.keyboard.press("Enter")
    assert visit.page.evaluate("document.activeElement.id") == "main"


def test_explorer_filters_by_indicator_dimension_and_group(visit):
    visit.open("explorer.html")
    page = visit.page
    page.select_option("#explorer-indicator", "flu_vaccination_65plus")
    # the fixture has one flu row per ethnic group: 19 groups and Not stated
    assert page.locator("#explorer-table tbody tr").count() == 20
    assert page.inner_text("#explorer-status") == "Showing 20 rows."
    page.select_option("#explorer-dimension", "ethnicity_19")
    page.select_option("#explorer-group", "Roma")
    rows = page.locator("#explorer-table tbody tr")
    assert rows.count() == 1
    assert rows.nth(0).locator("th").inner_text() == "Roma"
    assert "suppressed" in rows.nth(0).inner_text()
    page.select_option("#explorer-indicator", "le_birth_male")
    # 18 wards and the borough
    assert page.locator("#explorer-table tbody tr").count() == 19


def test_ward_map_shows_the_chosen_indicator(visit):
    visit.open("ward-map.html")
    page = visit.page
    options = page.eval_on_selector_all("#ward-map-indicator option", "os => os.map(o => o.value)")
    assert len(options) >= 5
    page.select_option("#ward-map-indicator", options[3])
    visible = page.eval_on_selector_all(
        "figure.figure", "fs => fs.filter(f => !f.hidden).map(f => f.id)"
    )
    assert visible == [options[3]]
    svg = page.locator(f"#{options[3]} .vega-embed svg path")
    assert svg.count() >= 18  # every ward drawn
